// End-to-end browser test of the Phòng Dịch web front end against the real server.
//
//   cargo build -p phongdich   (builds web/ and embeds it), then:
//   cd web && npm run test:browser
//
// Shared setup is in support.mjs. Environment:
//   PHONGDICH_BIN   server binary (default ../target/debug/phongdich, relative to web/)
//   CHROMIUM_PATH   browser (default /usr/bin/chromium, Debian's package; nothing is downloaded)
//   PHONGDICH_KEEP_DATA=1  keep the temporary data folder for inspection
//
// Screenshots go to <repo>/target/screenshots/.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { digits, launchBrowser, outboxLines, samePhone, shot, startDemo, until, watchPage, webDir } from './support.mjs';

// ---------------------------------------------------------------------------

describe('Phòng Dịch web front end', { timeout: 300_000 }, () => {
  let server;
  let dataDir;
  let demo;
  let baseUrl;
  let browser;

  before(async () => {
    server = await startDemo();
    ({ dataDir, demo, baseUrl } = server);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
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
