// Shared setup of the browser tests: the demo server on a free port, Chromium, sign-in
// helpers, the SMS outbox and screenshots. Each test file starts its own server.
//
// Environment:
//   PHONGDICH_BIN   server binary (default ../target/debug/phongdich, relative to web/)
//   CHROMIUM_PATH   browser (default /usr/bin/chromium, Debian's package; nothing is downloaded)
//   PHONGDICH_KEEP_DATA=1  keep the temporary data folder for inspection

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(webDir, '..');
export const screenshotDir = join(repoRoot, 'target', 'screenshots');
export const serverBin = resolve(webDir, process.env.PHONGDICH_BIN || '../target/debug/phongdich');
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

/** Polls `fn` until it returns a truthy value or `timeoutMs` passes. */
export async function until(what, fn, timeoutMs, intervalMs = 200) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`);
}

export const digits = (s) => String(s).replace(/\D/g, '');
/** Same subscriber number, whatever the prefix (0912…, +84912…, 84912…). */
export const samePhone = (a, b) => digits(a).slice(-9) === digits(b).slice(-9);

export function outboxLines(dataDir) {
  const file = join(dataDir, 'sms-outbox.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

/** The newest 6-digit code sent to `phone` after the first `skip` outbox lines. */
export async function smsCode(dataDir, phone, skip) {
  const sms = await until(
    `an SMS to ${phone} in sms-outbox.jsonl`,
    () => outboxLines(dataDir).slice(skip).reverse().find((l) => samePhone(l.to, phone)),
    15_000,
  );
  const code = /\b(\d{6})\b/.exec(sms.text)?.[1];
  assert.ok(code, `a 6-digit code in the SMS text: ${JSON.stringify(sms.text)}`);
  return code;
}

/**
 * Starts `phongdich demo` on a free port with a temporary data folder, waits for /healthz and
 * demo.json. Returns { baseUrl, demo, dataDir, logTail, stop }.
 */
export async function startDemo(prefix = 'phongdich-web-test-') {
  assert.ok(
    existsSync(serverBin),
    `server binary not found at ${serverBin}: build it with \`cargo build -p phongdich\` or set PHONGDICH_BIN`,
  );
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const args = ['demo', '--addr', `127.0.0.1:${port}`, '--data', dataDir];
  const logFile = createWriteStream(join(dataDir, 'server.log'));
  let serverLog = '';
  let serverExit = null;
  const server = spawn(serverBin, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'info' } });
  for (const stream of [server.stdout, server.stderr]) {
    stream.on('data', (chunk) => {
      serverLog += chunk.toString();
      if (serverLog.length > 200_000) serverLog = serverLog.slice(-100_000);
      logFile.write(chunk);
    });
  }
  server.on('exit', (code, signal) => {
    serverExit = { code, signal };
  });
  process.on('exit', () => server.kill('SIGKILL'));
  const logTail = () => serverLog.split('\n').slice(-40).join('\n');

  const fallbackUrl = `http://127.0.0.1:${port}`;
  await until(
    'GET /healthz',
    async () => {
      if (serverExit) throw new Error(`server exited early (${JSON.stringify(serverExit)}):\n${logTail()}`);
      const res = await fetch(`${fallbackUrl}/healthz`);
      return res.ok && (await res.json()).status === 'ok';
    },
    60_000,
    250,
  ).catch((err) => {
    throw new Error(`${err.message}\n--- server log ---\n${logTail()}`);
  });

  const demo = await until(
    'demo.json',
    () => {
      const file = join(dataDir, 'demo.json');
      return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
    },
    15_000,
  );
  assert.ok(Array.isArray(demo.staff) && demo.staff.length > 0, 'demo.json has staff');
  assert.ok(Array.isArray(demo.citizens) && demo.citizens.length > 0, 'demo.json has citizens');
  const baseUrl = (demo.url || fallbackUrl).replace(/\/+$/, '');

  async function stop() {
    if (!serverExit) {
      server.kill('SIGTERM');
      const stopped = await until('server to stop', () => serverExit, 5_000, 100).catch(() => null);
      if (!stopped) server.kill('SIGKILL');
    }
    if (!process.env.PHONGDICH_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
    else console.log(`data kept in ${dataDir}`);
  }

  return { baseUrl, demo, dataDir, logTail, stop };
}

export async function launchBrowser() {
  assert.ok(existsSync(chromiumPath), `Chromium not found at ${chromiumPath} (apt-get install chromium)`);
  return chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, headless: true });
}

/** Collects page errors and console errors (except failed resource loads: 4xx are expected). */
export function watchPage(page, errors) {
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) errors.push(`console: ${msg.text()}`);
  });
}

export async function shot(page, name, fullPage = true) {
  mkdirSync(screenshotDir, { recursive: true });
  const file = join(screenshotDir, name);
  await page.screenshot({ path: file, fullPage });
  return file;
}

/** Signs a citizen in with the code from the SMS outbox and waits for the home page. */
export async function signInCitizen(page, baseUrl, dataDir, citizen) {
  await page.goto(baseUrl);
  const before = outboxLines(dataDir).length;
  await page.getByTestId('phone-input').fill(citizen.phone);
  await page.getByTestId('send-code').click();
  await page.getByTestId('code-input').waitFor();
  await page.getByTestId('code-input').fill(await smsCode(dataDir, citizen.phone, before));
  await page.getByTestId('verify-code').click();
  await page.getByTestId('citizen-home').waitFor({ timeout: 15_000 });
}

/** Signs a staff member in with username and password and waits for the staff home. */
export async function signInStaff(page, baseUrl, staff) {
  await page.goto(baseUrl);
  await page.getByTestId('tab-staff').click();
  await page.getByTestId('username-input').fill(staff.username);
  await page.getByTestId('password-input').fill(staff.password);
  await page.getByTestId('login-button').click();
  await page.getByTestId('staff-home').waitFor({ timeout: 15_000 });
}
