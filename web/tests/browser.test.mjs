// End-to-end browser test of the Phòng Dịch web front end against the real server.
//
//   cargo build -p phongdich && (cd web && npm run build) ... then:
//   cd web && npm run test:browser
//
// Environment:
//   PHONGDICH_BIN   server binary (default ../target/debug/phongdich, relative to web/)
//   CHROMIUM_PATH   browser (default /usr/bin/chromium, Debian's package; nothing is downloaded)
//   PHONGDICH_KEEP_DATA=1  keep the temporary data folder for inspection
//
// Screenshots go to <repo>/target/screenshots/.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(webDir, '..');
const screenshotDir = join(repoRoot, 'target', 'screenshots');
const serverBin = resolve(webDir, process.env.PHONGDICH_BIN || '../target/debug/phongdich');
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
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
async function until(what, fn, timeoutMs, intervalMs = 200) {
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

const digits = (s) => String(s).replace(/\D/g, '');
/** Same subscriber number, whatever the prefix (0912…, +84912…, 84912…). */
const samePhone = (a, b) => digits(a).slice(-9) === digits(b).slice(-9);

function outboxLines(dataDir) {
  const file = join(dataDir, 'sms-outbox.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

// ---------------------------------------------------------------------------

describe('Phòng Dịch web front end', { timeout: 300_000 }, () => {
  let server;
  let serverLog = '';
  let serverExit = null;
  let dataDir;
  let demo;
  let baseUrl;
  let browser;

  const logTail = () => serverLog.split('\n').slice(-40).join('\n');

  function watchPage(page, errors) {
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      // 4xx answers are expected (wrong password, invalid phone); the browser logs them.
      if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) errors.push(`console: ${msg.text()}`);
    });
  }

  async function shot(page, name, fullPage = true) {
    mkdirSync(screenshotDir, { recursive: true });
    const file = join(screenshotDir, name);
    await page.screenshot({ path: file, fullPage });
    return file;
  }

  before(async () => {
    assert.ok(
      existsSync(serverBin),
      `server binary not found at ${serverBin}: build it with \`cargo build -p phongdich\` or set PHONGDICH_BIN`,
    );
    assert.ok(existsSync(chromiumPath), `Chromium not found at ${chromiumPath} (apt-get install chromium)`);

    const port = await freePort();
    dataDir = mkdtempSync(join(tmpdir(), 'phongdich-web-test-'));
    const args = ['demo', '--addr', `127.0.0.1:${port}`, '--data', dataDir];
    const [cmd, cmdArgs] = [serverBin, args];
    const logFile = createWriteStream(join(dataDir, 'server.log'));
    server = spawn(cmd, cmdArgs, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'info' } });
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
    process.on('exit', () => server?.kill('SIGKILL'));

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

    demo = await until(
      'demo.json',
      () => {
        const file = join(dataDir, 'demo.json');
        return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
      },
      15_000,
    );
    assert.ok(Array.isArray(demo.staff) && demo.staff.length > 0, 'demo.json has staff');
    assert.ok(Array.isArray(demo.citizens) && demo.citizens.length > 0, 'demo.json has citizens');
    baseUrl = (demo.url || fallbackUrl).replace(/\/+$/, '');

    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, headless: true });
  });

  after(async () => {
    await browser?.close().catch(() => {});
    if (server && !serverExit) {
      server.kill('SIGTERM');
      const stopped = await until('server to stop', () => serverExit, 5_000, 100).catch(() => null);
      if (!stopped) server.kill('SIGKILL');
    }
    if (dataDir && !process.env.PHONGDICH_KEEP_DATA) rmSync(dataDir, { recursive: true, force: true });
    else if (dataDir) console.log(`data kept in ${dataDir}`);
  });

  test('the app shell is served at / and unknown paths fall back to it', async (t) => {
    for (const path of ['/', '/some/client/route']) {
      const res = await fetch(`${baseUrl}${path}`);
      assert.equal(res.status, 200, `GET ${path}`);
      const html = await res.text();
      assert.match(html, /<div id="app"/, `GET ${path} serves index.html`);
      // The server embeds web/dist at compile time: say so when it serves an older build.
      const asset = /\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
      if (asset && !existsSync(join(webDir, 'dist', asset))) {
        t.diagnostic(`the server serves ${asset}, which is not in web/dist: rebuild the server after \`npm run build\``);
      }
    }
  });

  test('citizen signs in with an SMS code and sees the home page', { timeout: 120_000 }, async () => {
    const citizen = demo.citizens[0];
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors = [];
    watchPage(page, errors);
    try {
      await page.goto(baseUrl);
      assert.equal(await page.getAttribute('html', 'lang'), 'vi', 'Vietnamese by default');

      // A phone number the server rejects shows its message next to the input.
      await page.getByTestId('phone-input').fill('12');
      await page.getByTestId('send-code').click();
      await page.getByTestId('form-error').waitFor();
      assert.ok((await page.getByTestId('form-error').innerText()).trim(), 'invalid phone: an error message is shown');

      const before = outboxLines(dataDir).length;
      await page.getByTestId('phone-input').fill(citizen.phone);
      await page.getByTestId('send-code').click();
      await page.getByTestId('code-input').waitFor();

      const sms = await until(
        `an SMS to ${citizen.phone} in sms-outbox.jsonl`,
        () => outboxLines(dataDir).slice(before).reverse().find((l) => samePhone(l.to, citizen.phone)),
        15_000,
      );
      const code = /\b(\d{6})\b/.exec(sms.text)?.[1];
      assert.ok(code, `a 6-digit code in the SMS text: ${JSON.stringify(sms.text)}`);

      await page.getByTestId('code-input').fill(code);
      await page.getByTestId('verify-code').click();
      const home = page.getByTestId('citizen-home');
      await home.waitFor({ timeout: 15_000 });
      if (citizen.name) {
        await page.waitForFunction((name) => document.querySelector('[data-testid="citizen-home"]')?.textContent?.includes(name), citizen.name, { timeout: 5_000 });
      }
      const greeting = await page.getByTestId('greeting').innerText();
      if (citizen.name) assert.ok(greeting.includes(citizen.name), `greeting ${JSON.stringify(greeting)} names ${citizen.name}`);
      const masked = await page.getByTestId('masked-phone').innerText();
      assert.ok(digits(masked).length >= 6 && !masked.includes(digits(citizen.phone).slice(-9)), `phone is masked: ${masked}`);
      assert.ok(await page.evaluate(() => localStorage.getItem('phongdich.token')), 'session token stored');

      const file = await shot(page, 'citizen-home.png');
      console.log(`screenshot: ${file}`);

      // English switch: visible labels change, <html lang> follows, choice persists.
      const logout = page.getByTestId('logout-button');
      assert.equal((await logout.innerText()).trim(), 'Đăng xuất');
      await page.getByTestId('lang-switch').click();
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      assert.equal((await logout.innerText()).trim(), 'Sign out');
      assert.match(await page.getByTestId('greeting').innerText(), /^Hello/);
      await page.reload();
      await page.getByTestId('citizen-home').waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), 'en', 'language choice persists');
      assert.equal((await page.getByTestId('logout-button').innerText()).trim(), 'Sign out');
      await shot(page, 'citizen-home-en.png');

      // Sign out returns to the sign-in page.
      await page.getByTestId('logout-button').click();
      await page.getByTestId('phone-input').waitFor();
      assert.equal(await page.evaluate(() => localStorage.getItem('phongdich.token')), null, 'token cleared');

      assert.deepEqual(errors, [], 'no JavaScript errors in the page');
    } finally {
      await context.close();
    }
  });

  test('staff: wrong password is refused; health official sees citizens', { timeout: 120_000 }, async () => {
    const official = demo.staff.find((s) => s.role === 'health_official');
    assert.ok(official, 'demo.json has a health_official');
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    const errors = [];
    watchPage(page, errors);
    try {
      await page.goto(baseUrl);
      await page.getByTestId('tab-staff').click();

      await page.getByTestId('username-input').fill(official.username);
      await page.getByTestId('password-input').fill(`${official.password}-wrong`);
      await page.getByTestId('login-button').click();
      const problem = page.getByTestId('form-error');
      await problem.waitFor({ timeout: 15_000 });
      const message = (await problem.innerText()).trim();
      assert.ok(message.length > 0, 'wrong password: an error message is shown');
      assert.equal(await page.getByTestId('staff-home').count(), 0, 'not signed in');
      await shot(page, 'staff-login-error.png');

      await page.getByTestId('password-input').fill(official.password);
      await page.getByTestId('login-button').click();
      await page.getByTestId('staff-home').waitFor({ timeout: 15_000 });
      assert.equal(await page.getAttribute('[data-testid="staff-home"]', 'data-role'), 'health_official');
      assert.ok((await page.getByTestId('staff-role').innerText()).trim(), 'role label shown');
      assert.ok((await page.getByTestId('audit-notice').innerText()).trim(), 'audit notice shown');

      await page.getByTestId('citizens-table').waitFor({ timeout: 15_000 });
      const rows = await page.getByTestId('citizen-row').count();
      assert.ok(rows > 0, 'the citizens table has rows');

      // Opening a row shows the citizen's details.
      await page.getByTestId('citizen-row').first().locator('button').click();
      await page.getByTestId('citizen-detail').waitFor({ timeout: 15_000 });

      const file = await shot(page, 'staff-home.png', false);
      console.log(`screenshot: ${file}`);

      assert.deepEqual(errors, [], 'no JavaScript errors in the page');
    } finally {
      await context.close();
    }
  });
  // Runs last: it moves a demo citizen to another unit.
  test('citizen edits the profile with the unit picker and manages family members', { timeout: 120_000 }, async () => {
    const citizen = demo.citizens[1] ?? demo.citizens[0];
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors = [];
    watchPage(page, errors);
    page.on('dialog', (dialog) => dialog.accept());
    try {
      await page.goto(baseUrl);
      const before = outboxLines(dataDir).length;
      await page.getByTestId('phone-input').fill(citizen.phone);
      await page.getByTestId('send-code').click();
      await page.getByTestId('code-input').waitFor();
      const sms = await until(
        `an SMS to ${citizen.phone}`,
        () => outboxLines(dataDir).slice(before).reverse().find((l) => samePhone(l.to, citizen.phone)),
        15_000,
      );
      await page.getByTestId('code-input').fill(/\b(\d{6})\b/.exec(sms.text)[1]);
      await page.getByTestId('verify-code').click();
      await page.getByTestId('citizen-home').waitFor({ timeout: 15_000 });

      // Pick a home unit by typing without diacritics, then save.
      await page.getByTestId('unit-picker').fill('bac ha');
      const option = page.getByTestId('unit-picker-options').getByRole('option').first();
      await option.waitFor({ timeout: 10_000 });
      const optionText = await option.innerText();
      assert.match(optionText, /Bắc Hà/, 'search without diacritics finds "Bắc Hà"');
      await option.click();
      await page.getByTestId('unit-picker-selected').waitFor();
      await page.getByTestId('save-profile').click();
      await page.getByTestId('profile-saved').waitFor({ timeout: 10_000 });
      await page.waitForFunction(() => /Bắc Hà/.test(document.querySelector('[data-testid="home-unit-path"]')?.textContent ?? ''));

      // A birth year the server rejects is reported next to its input.
      const members = () => page.getByTestId('family-member').count();
      const count = await members();
      await page.getByTestId('family-name-input').fill('Nguyễn Văn Thử');
      await page.getByTestId('family-year-input').fill('1800');
      await page.getByTestId('family-relation-input').selectOption('child');
      await page.getByTestId('add-member').click();
      await page.locator('#family-form [data-testid="form-error"]').waitFor({ timeout: 10_000 });
      assert.equal(await page.getByTestId('field-error-birth_year').count(), 1, 'birth year error shown next to the input');

      await page.getByTestId('family-year-input').fill('2012');
      await page.getByTestId('add-member').click();
      await page.getByTestId('family-notice').waitFor({ timeout: 10_000 });
      assert.equal(await members(), count + 1, 'member added');
      await shot(page, 'citizen-family.png');

      await page.getByTestId('family-member').filter({ hasText: 'Nguyễn Văn Thử' }).getByTestId('remove-member').click();
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="family-member"]').length === n, count, { timeout: 10_000 });

      // The server kept it all: reload and check.
      await page.reload();
      await page.getByTestId('citizen-home').waitFor();
      assert.match(await page.getByTestId('home-unit-path').innerText(), /Bắc Hà/);
      assert.equal(await members(), count);

      assert.deepEqual(errors, [], 'no JavaScript errors in the page');
    } finally {
      await context.close();
    }
  });
});
