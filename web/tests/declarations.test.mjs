// End-to-end browser test of health declarations: a citizen declares and opens their QR pass;
// venue staff verify it (and a tampered copy) and declare on behalf of someone; a health
// official lists, opens and exports declarations. Runs against the real `phongdich demo`.
//
//   cargo build -p phongdich && (cd web && npm run test:browser)
//
// Screenshots go to <repo>/target/screenshots/ (declare-result.png, my-qr.png, checkpoint.png,
// declarations.png and a few more).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, outboxLines, shot, signInCitizen, signInStaff, smsCode, startDemo, watchPage } from './support.mjs';

const BASE45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

/** The pass with one character near the end changed to another Base45 character. */
function tamper(pass) {
  const i = pass.length - 4;
  const c = pass[i];
  const other = BASE45[(BASE45.indexOf(c) + 7) % BASE45.length];
  return pass.slice(0, i) + other + pass.slice(i + 1);
}

describe('health declarations', { timeout: 400_000 }, () => {
  let server;
  let browser;
  /** The pass text and colour shown on "my QR" (used by the checkpoint test). */
  let passText = null;
  let passColour = null;

  before(async () => {
    server = await startDemo('phongdich-decl-test-');
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  test('citizen declares with a symptom, sees a yellow result with a QR, then opens "my QR"', { timeout: 150_000 }, async (t) => {
    const { baseUrl, dataDir, demo } = server;
    const citizen = demo.citizens[0];
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors = [];
    watchPage(page, errors);
    try {
      await signInCitizen(page, baseUrl, dataDir, citizen);

      // Keyboard navigation to the declare page.
      await page.getByTestId('app-nav-declare').focus();
      await page.keyboard.press('Enter');
      await page.getByTestId('declare-page').waitFor();
      await page.getByTestId('kind-tab-domestic').click();
      assert.equal(await page.getAttribute('[data-testid="kind-tab-domestic"]', 'aria-selected'), 'true');
      await page.getByTestId('decl-identity-full_name').waitFor({ timeout: 15_000 });
      assert.equal(await page.getByTestId('person-select').inputValue(), '', 'declaring for myself by default');
      assert.match(await page.getByTestId('decl-legal-warning').innerText(), /vi phạm pháp luật Việt Nam/);

      await page.getByTestId('decl-identity-full_name').fill(citizen.name || 'Nguyễn Văn Thử');
      await page.getByTestId('decl-identity-birth_year').fill('1985');
      await page.getByTestId('decl-identity-gender').selectOption('female');
      assert.equal(await page.getByTestId('decl-identity-nationality').inputValue(), 'VN');

      // The commune through the cascading selects: province, then commune.
      await page.getByTestId('decl-address-province').selectOption('15');
      const commune = page.getByTestId('decl-address-commune');
      await commune.waitFor({ timeout: 15_000 });
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="decl-address-commune"] option').length > 2, null, { timeout: 15_000 });
      await commune.selectOption('02839');
      await page.getByTestId('decl-identity-address-street').fill('');
      await page.getByTestId('decl-symptom-fever').check();

      // Without a street and consent the server's field errors show next to the inputs.
      await page.getByTestId('declare-submit').click();
      await page.locator('#declare-form [data-testid="form-error"]').waitFor({ timeout: 15_000 });
      assert.equal(await page.getByTestId('field-error-identity.address.street').count(), 1, 'street error next to its input');
      assert.equal(await page.getByTestId('field-error-consent').count(), 1, 'consent error next to the check box');
      assert.equal(await page.getByTestId('decl-address-commune').inputValue(), '02839', 'the commune stays chosen');
      await shot(page, 'declare-errors.png');

      await page.getByTestId('decl-identity-address-street').fill('Thôn Nậm Cài');
      await page.getByTestId('decl-consent').check();
      await page.getByTestId('declare-submit').click();

      const result = page.getByTestId('result-card');
      await result.waitFor({ timeout: 15_000 });
      assert.equal(await result.getAttribute('data-colour'), 'yellow', 'a symptom gives yellow');
      assert.match(await page.getByTestId('result-colour').innerText(), /Vàng/, 'the colour is written out, not only shown');
      assert.match(await page.getByTestId('result-flags').innerText(), /triệu chứng/i, 'the reason is listed');
      assert.equal(await page.locator('[data-testid="result-qr"] svg').count(), 1, 'a QR code is drawn');
      await shot(page, 'declare-result.png');

      // Non-personal answers are remembered for next time; personal ones are not.
      const remembered = JSON.parse(await page.evaluate(() => localStorage.getItem('phongdich.declare.answers')));
      assert.equal(remembered.address_unit, '02839');
      assert.equal(remembered.nationality, 'VN');
      const rememberedText = JSON.stringify(remembered);
      assert.ok(!rememberedText.includes('1985') && !rememberedText.includes('fever'), `nothing personal is remembered: ${rememberedText}`);

      // My QR: the pass of the declaration just made.
      await page.getByTestId('result-my-qr').click();
      await page.getByTestId('my-qr-page').waitFor();
      const passEl = page.getByTestId('pass-text');
      await passEl.waitFor({ timeout: 15_000 });
      passText = (await passEl.innerText()).trim();
      assert.match(passText, /^PD1:/, 'the pass text starts with PD1:');
      passColour = await page.getByTestId('pass-colour').getAttribute('data-colour');
      assert.ok(['green', 'yellow', 'red'].includes(passColour), `pass colour ${passColour}`);
      if (passColour !== 'yellow') {
        // GET /me/health-pass answers from the person's latest declaration by time; the demo
        // seeds the listed citizens' declarations a few days ahead of the server clock, so
        // that one (green) is still "latest" after a new declaration today.
        t.diagnostic(`my QR shows ${passColour}, not the yellow just declared: the server's current pass comes from a later-dated (demo-seeded) declaration`);
      }
      await page.waitForFunction(() => {
        const img = document.querySelector('[data-testid="pass-qr"]');
        return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
      }, null, { timeout: 15_000 });
      assert.ok((await page.getByTestId('pass-expires').innerText()).trim(), 'the expiry is shown');
      await page.getByTestId('history-item').first().waitFor({ timeout: 15_000 });
      await shot(page, 'my-qr.png');

      assert.deepEqual(errors, [], 'no JavaScript errors in the page');
    } finally {
      await context.close();
    }
  });

  test('venue staff verify a pass, refuse a tampered copy and declare on behalf of someone', { timeout: 150_000 }, async (t) => {
    if (!passText) {
      t.skip('no pass from the citizen test');
      return;
    }
    const { baseUrl, dataDir, demo } = server;
    const staff = demo.staff.find((s) => s.username === 'chot.bacha') ?? demo.staff.find((s) => s.role === 'checkpoint_staff');
    assert.ok(staff, 'demo.json has venue staff');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = [];
    watchPage(page, errors);
    try {
      await signInStaff(page, baseUrl, staff);
      await page.getByTestId('app-nav-checkpoint').click();
      await page.getByTestId('checkpoint-page').waitFor();
      // Headless Chromium has no BarcodeDetector: the scan button is hidden then.
      const hasDetector = await page.evaluate(() => 'BarcodeDetector' in window);
      if (!hasDetector) assert.equal(await page.getByTestId('scan-button').count(), 0, 'no scan button without BarcodeDetector');

      await page.getByTestId('verify-input').fill(passText);
      await page.getByTestId('verify-button').click();
      const verdict = page.getByTestId('verdict');
      await verdict.waitFor({ timeout: 15_000 });
      assert.equal(await verdict.getAttribute('data-valid'), 'true', 'the pass is valid');
      assert.equal(await verdict.getAttribute('data-colour'), passColour, 'the verdict has the colour of the pass');
      assert.match(await verdict.innerText(), /hợp lệ/i);
      assert.match(await verdict.innerText(), { green: /Xanh/, yellow: /Vàng/, red: /Đỏ/ }[passColour], 'the colour is written out');
      await shot(page, 'checkpoint-valid.png', false);

      await page.getByTestId('verify-input').fill(tamper(passText));
      await page.getByTestId('verify-button').click();
      await page.waitForSelector('[data-testid="verdict"][data-valid="false"]', { timeout: 15_000 });
      const refusal = await page.getByTestId('verdict').innerText();
      assert.match(refusal, /không hợp lệ/i, `refused: ${refusal}`);
      await shot(page, 'checkpoint.png', false);

      // Declare on behalf of someone with a phone: a code is sent first, then confirmed.
      await page.getByTestId('cp-identity-full_name').waitFor({ timeout: 15_000 });
      await page.getByTestId('cp-identity-full_name').fill('Lò Thị Mai');
      await page.getByTestId('cp-identity-birth_year').fill('1958');
      await page.getByTestId('cp-identity-gender').selectOption('female');
      // The checkpoint's commune is preselected.
      await page.waitForFunction(() => document.querySelector('[data-testid="cp-address-commune"]')?.value === '02839', null, { timeout: 15_000 });
      await page.getByTestId('cp-identity-address-street').fill('Thôn Na Hối');
      const phone = '0912000111';
      await page.getByTestId('cp-phone').fill(phone);
      await page.getByTestId('cp-consent').check();
      const before = outboxLines(dataDir).length;
      await page.getByTestId('onbehalf-submit').click();
      await page.getByTestId('cp-code-sent').waitFor({ timeout: 15_000 });
      await page.getByTestId('cp-code').fill(await smsCode(dataDir, phone, before));
      await page.getByTestId('onbehalf-submit').click();
      const result = page.getByTestId('onbehalf-result');
      await result.waitFor({ timeout: 15_000 });
      // No symptoms or exposure, but the demo outbreak put a lockdown zone in Bắc Hà, where she
      // lives: the zone's flag makes it yellow.
      assert.equal(await result.getAttribute('data-colour'), 'yellow');
      assert.equal(await page.locator('[data-testid="onbehalf-result"] [data-testid="result-qr"] svg').count(), 1, 'a printable QR');
      await shot(page, 'checkpoint-onbehalf.png', false);

      assert.deepEqual(errors, [], 'no JavaScript errors in the page');
    } finally {
      await context.close();
    }
  });

  test('health official lists, opens and exports declarations', { timeout: 150_000 }, async () => {
    const { baseUrl, demo } = server;
    const official = demo.staff.find((s) => s.username === 'yte.laocai') ?? demo.staff.find((s) => s.role === 'health_official');
    assert.ok(official, 'demo.json has a health official');
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
    const page = await context.newPage();
    const errors = [];
    watchPage(page, errors);
    try {
      await signInStaff(page, baseUrl, official);
      await page.getByTestId('app-nav-declarations').click();
      await page.getByTestId('declarations-page').waitFor();
      assert.ok((await page.getByTestId('audit-notice').innerText()).includes('nhật ký'), 'audit note shown');
      await page.getByTestId('declarations-table').waitFor({ timeout: 15_000 }).catch(async (err) => {
        await shot(page, 'declarations-fail.png');
        throw err;
      });
      const rows = page.getByTestId('declaration-row');
      assert.ok((await rows.count()) > 0, 'rows are listed');
      const colours = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-colour')));
      const rank = { red: 2, yellow: 1, green: 0 };
      assert.equal(colours[0], 'red', 'risky first');
      assert.ok(colours.every((c, i) => i === 0 || rank[colours[i - 1]] >= rank[c]), 'sorted by risk');
      assert.match(await rows.first().locator('.colour-badge').innerText(), /Đỏ/, 'colour badges carry text');

      await rows.first().locator('button').click();
      await page.getByTestId('declaration-answers').waitFor({ timeout: 15_000 });
      const name = (await page.getByTestId('declaration-detail-name').innerText()).trim();
      assert.ok(name.length > 0, 'the detail names the person');
      assert.match(await page.getByTestId('declaration-answers').innerText(), /triệu chứng/iu, 'symptoms are listed');
      await page.getByTestId('missed-table').waitFor({ timeout: 15_000 });
      await shot(page, 'declarations.png', false);

      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.getByTestId('export-csv').click()]);
      assert.match(download.suggestedFilename(), /\.csv$/);
      const file = await download.path();
      const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
      const header = text.split(/\r?\n/)[0];
      assert.ok(header.includes('Họ và tên'), `CSV header: ${header}`);
      assert.ok(text.split(/\r?\n/).filter(Boolean).length > 1, 'the CSV has rows');
      await page.getByTestId('export-notice').waitFor();

      // Only flagged declarations.
      await page.getByTestId('filter-flagged').check();
      await page.getByTestId('filters-apply').click();
      await page.waitForFunction(() => {
        const trs = [...document.querySelectorAll('[data-testid="declaration-row"]')];
        return trs.length > 0 && trs.every((tr) => tr.getAttribute('data-colour') !== 'green');
      }, null, { timeout: 15_000 });

      assert.deepEqual(errors, [], 'no JavaScript errors in the page');
    } finally {
      await context.close();
    }
  });
});
