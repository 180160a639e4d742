// End-to-end browser test of the officials' Bluetooth exposure notification pages. A health
// official opens "case codes" from the page bar: a bad phone number is named next to its input;
// a valid form shows the 8-digit code in two groups with its expiry, and the SMS reaches the
// phone. The code then works as a phone would use it (verify → upload a key, over HTTP from
// Node); "publish now" publishes it and lists the export file. The F1 reports page first shows
// what the API holds (rows or the empty state); after a citizen reports a match of that key
// (and shares their own) and another reports a match of theirs, the F1 row with its red badge
// and the F2 row with its orange one, newest first. Runs against the real `phongdich demo` in Debian's
// Chromium; the server embeds web/dist when it is compiled, so build the web app first:
//
//   (cd web && npm run build) && PHONGDICH_SKIP_WEB_BUILD=1 cargo build -p phongdich && (cd web && node --test tests/exposure.test.mjs)
//
// Screenshots go to <repo>/target/screenshots/ (case-codes-error.png, case-codes.png,
// key-exports.png, f1-reports.png, f1-reports-en.png).

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { digits, launchBrowser, outboxLines, samePhone, shot, signInStaff, smsCode, startDemo, until, watchPage } from './support.mjs';

/** YYYY-MM-DD in Vietnam (UTC+7), `offsetDays` from today. */
const vietnamDay = (offsetDays) => new Date(Date.now() + 7 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);

async function post(baseUrl, path, body, token) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Signs a citizen in over the API (code from the SMS outbox); returns the session token. */
async function citizenToken(baseUrl, dataDir, phone) {
  const before = outboxLines(dataDir).length;
  const sent = await post(baseUrl, '/api/v1/auth/otp', { phone });
  assert.equal(sent.status, 202, `OTP request: ${JSON.stringify(sent.body)}`);
  const verified = await post(baseUrl, '/api/v1/auth/otp/verify', { phone, code: await smsCode(dataDir, phone, before) });
  assert.equal(verified.status, 200, `OTP verify: ${JSON.stringify(verified.body)}`);
  return verified.body.token;
}

/** Makes the citizen a resident of Xã Bắc Hà (the official's commune), whose officials see their reports. */
async function moveToBacHa(baseUrl, token) {
  const res = await fetch(`${baseUrl}/api/v1/me`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ unit_code: '02839' }),
  });
  assert.equal(res.status, 200, `moving to Xã Bắc Hà: ${await res.text()}`);
}

/** What the F1 reports API holds for the signed-in official (read with the page's own token). */
function apiReports(page) {
  return page.evaluate(() =>
    fetch('/api/v1/exposure/f1-reports', { headers: { Authorization: `Bearer ${localStorage.getItem('phongdich.token')}` } }).then((r) => r.json()),
  );
}

describe('exposure notification for officials', { timeout: 300_000 }, () => {
  let server;
  let browser;

  before(async () => {
    server = await startDemo('phongdich-exposure-test-');
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  test('issue a case code, publish the keys, see the F1 reports', { timeout: 240_000 }, async () => {
    const { baseUrl, dataDir, demo } = server;
    const official = demo.staff.find((s) => s.username === 'yte.bacha') ?? demo.staff.find((s) => s.role === 'health_official');
    assert.ok(official, 'demo.json has a health official');
    const caseCitizen = demo.citizens[4];
    const contact = demo.citizens[5];
    const secondContact = demo.citizens[6];
    const errors = [];
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    watchPage(page, errors);
    try {
      await signInStaff(page, baseUrl, official);
      // The official's page bar links to both pages.
      await page.getByTestId('app-nav-f1-reports').waitFor();
      await page.getByTestId('app-nav-case-codes').click();
      await page.getByTestId('case-codes-page').waitFor();
      assert.equal((await page.locator('h1').innerText()).trim(), 'Mã xác nhận ca bệnh');
      // The case's unit starts as the official's own.
      assert.match(await page.getByTestId('case-code-unit-selected').innerText(), /Bắc Hà/);
      const reportTypes = await page.locator('[data-testid="case-code-report-type"] option').allInnerTexts();
      assert.deepEqual(reportTypes, ['Xét nghiệm dương tính', 'Chẩn đoán lâm sàng', 'Tự khai báo']);

      // 1. A phone number the server refuses is named next to its input; no code is shown.
      await page.getByTestId('case-code-phone').fill('12345');
      await page.getByTestId('case-code-submit').click();
      await page.getByTestId('field-error-phone').waitFor({ timeout: 15_000 });
      assert.ok((await page.getByTestId('field-error-phone').innerText()).trim(), 'the phone error has a message');
      assert.equal(await page.getByTestId('case-code-phone').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.getByTestId('case-code').count(), 0, 'no code for a refused form');
      await shot(page, 'case-codes-error.png');

      // 2. A valid form: the code in two groups of four, its expiry, and the SMS sent.
      const before = outboxLines(dataDir).length;
      await page.getByTestId('case-code-report-type').selectOption('confirmed_test');
      await page.getByTestId('case-code-onset').fill(vietnamDay(-3));
      await page.getByTestId('case-code-phone').fill(caseCitizen.phone);
      await page.getByTestId('case-code-submit').click();
      const shown = page.getByTestId('case-code');
      await shown.waitFor({ timeout: 15_000 });
      const code = await shown.getAttribute('data-code');
      assert.match(code, /^\d{8}$/, `an 8-digit code: ${code}`);
      assert.deepEqual(await page.getByTestId('case-code-group').allInnerTexts(), [code.slice(0, 4), code.slice(4)]);
      assert.equal(await page.getByTestId('field-error-phone').count(), 0, 'the phone error is gone');
      const expiresAt = Date.parse(await page.getByTestId('case-code-expires').getAttribute('data-expires-at'));
      assert.ok(expiresAt > Date.now() && expiresAt < Date.now() + 24 * 3600_000, 'the code expires later today');
      assert.match(await page.getByTestId('case-code-expires').innerText(), /^Hiệu lực đến (?=.*\d\d:\d\d)(?=.*\d\d\/\d\d\/\d{4})/);
      assert.equal(await page.getByTestId('case-code-sms').getAttribute('data-sms-sent'), 'true');
      const sms = await until(
        `the code's SMS to ${caseCitizen.phone}`,
        () => outboxLines(dataDir).slice(before).find((l) => samePhone(l.to, caseCitizen.phone) && l.text.includes(code)),
        15_000,
      );
      assert.ok(sms, 'the SMS carries the code');
      await shot(page, 'case-codes.png');

      // 3. The case's phone trades the code for a token and uploads yesterday's key (as the app would).
      const verified = await post(baseUrl, '/api/v1/exposure/verify', { code });
      assert.equal(verified.status, 200, `verify: ${JSON.stringify(verified.body)}`);
      const key = randomBytes(16);
      const today = Math.floor(Date.now() / 1000 / 600 / 144) * 144;
      const uploaded = await post(baseUrl, '/api/v1/exposure/keys', {
        token: verified.body.token,
        keys: [{ key: key.toString('base64'), rolling_start_number: today - 144, rolling_period: 144 }],
      });
      assert.equal(uploaded.status, 201, `upload: ${JSON.stringify(uploaded.body)}`);

      // 4. "Publish now" publishes it and the export file is listed.
      await page.getByTestId('key-exports-publish').click();
      const run = page.getByTestId('key-exports-run');
      await run.waitFor({ timeout: 30_000 });
      const index = (await (await fetch(`${baseUrl}/en/exports/index.txt`)).text()).split('\n').filter(Boolean);
      assert.ok(index.length >= 1, 'the index lists an export');
      await page.locator('[data-testid="key-exports-file"]', { hasText: index[index.length - 1] }).waitFor({ timeout: 15_000 });
      assert.equal(Number(await page.getByTestId('key-exports-count').getAttribute('data-count')), index.length);
      await page.getByTestId('key-exports').scrollIntoViewIfNeeded();
      await shot(page, 'key-exports.png');

      // 5. The F1 reports page shows what the API holds: rows or the empty state.
      await page.getByTestId('app-nav-f1-reports').click();
      await page.getByTestId('f1-reports-page').waitFor();
      assert.equal((await page.getByTestId('f1-reports-heading').innerText()).trim(), 'Báo cáo F1');
      await page.locator('[data-testid="f1-reports-table"], [data-testid="f1-reports-empty"]').first().waitFor({ timeout: 15_000 });
      const listed = await apiReports(page);
      assert.ok(Array.isArray(listed), `the API lists reports: ${JSON.stringify(listed)}`);
      assert.equal(await page.getByTestId('f1-report-row').count(), listed.length, 'one row per report');
      assert.equal(await page.getByTestId('f1-reports-count').getAttribute('data-count'), String(listed.length));
      if (listed.length === 0) assert.equal((await page.getByTestId('f1-reports-empty').innerText()).trim(), 'Chưa có báo cáo nào.');

      // 6. A contact in Bắc Hà whose phone matched the key reports it; the official sees the F1 row.
      const token = await citizenToken(baseUrl, dataDir, contact.phone);
      await moveToBacHa(baseUrl, token);
      const yesterday = new Date((today - 144) * 600_000).toISOString().slice(0, 10);
      const reported = await post(
        baseUrl,
        '/api/v1/exposure/f1-reports',
        { exposure_date: yesterday, score: 1260, minutes: 21, matched_keys: [key.toString('hex')], share_keys: true },
        token,
      );
      assert.equal(reported.status, 201, `F1 report: ${JSON.stringify(reported.body)}`);
      assert.equal(reported.body.level, 'F1');

      // The contact shares their own key; someone who met them reports an F2 contact.
      const contactKey = randomBytes(16);
      const shared = await post(baseUrl, '/api/v1/exposure/keys', {
        token: reported.body.upload_token,
        keys: [{ key: contactKey.toString('base64'), rolling_start_number: today - 144, rolling_period: 144 }],
      });
      assert.equal(shared.status, 201, `shared keys: ${JSON.stringify(shared.body)}`);
      const secondToken = await citizenToken(baseUrl, dataDir, secondContact.phone);
      await moveToBacHa(baseUrl, secondToken);
      const second = await post(
        baseUrl,
        '/api/v1/exposure/f1-reports',
        { exposure_date: yesterday, score: 930.5, minutes: 16.4, matched_keys: [contactKey.toString('hex')] },
        secondToken,
      );
      assert.equal(second.status, 201, `F2 report: ${JSON.stringify(second.body)}`);
      assert.equal(second.body.level, 'F2');

      await page.getByTestId('f1-reports-reload').click();
      const row = page.locator(`[data-testid="f1-report-row"][data-report-id="${reported.body.id}"]`);
      await row.waitFor({ timeout: 15_000 });
      assert.equal(await page.getByTestId('f1-report-row').count(), listed.length + 2);
      const order = await page.getByTestId('f1-report-row').evaluateAll((rows) => rows.slice(0, 2).map((r) => r.dataset.reportId));
      assert.deepEqual(order, [String(second.body.id), String(reported.body.id)], 'newest first');
      const f2 = page.locator(`[data-testid="f1-report-row"][data-report-id="${second.body.id}"]`).getByTestId('f1-level');
      assert.equal((await f2.innerText()).trim(), 'F2');
      assert.match(await f2.getAttribute('class'), /colour-orange/);
      const badge = row.getByTestId('f1-level');
      assert.equal((await badge.innerText()).trim(), 'F1');
      assert.match(await badge.getAttribute('class'), /colour-red/);
      const text = await row.innerText();
      assert.ok(digits(text).includes(digits(contact.phone).slice(-9)), `the contact's phone in ${JSON.stringify(text)}`);
      assert.match(text, /Bắc Hà/);
      assert.match(text, /\b21\b/, 'the minutes');
      assert.match(text, /1[.,]?260/, 'the score');
      await shot(page, 'f1-reports.png');

      // 7. In English too.
      await page.getByTestId('lang-switch').click();
      assert.equal((await page.getByTestId('f1-reports-heading').innerText()).trim(), 'F1 reports');
      assert.match(await page.getByTestId('f1-reports-table').locator('thead').innerText(), /Exposure date/i);
      await shot(page, 'f1-reports-en.png');
    } finally {
      await context.close();
    }
    assert.deepEqual(errors, [], 'no JavaScript errors in the pages');
  });
});
