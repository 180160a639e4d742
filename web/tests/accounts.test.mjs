// End-to-end browser test of the account life cycle (issue 15, class 7): an account an admin
// made must change its password before anything else; the admin deactivates it from the staff
// page and its open session ends at once; a reset shows the temporary password once. A citizen
// downloads their data and deletes their account with a confirmation.
// Runs against the real `phongdich demo` in Debian's Chromium (see browser.test.mjs).

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, shot, signInCitizen, signInStaff, startDemo, watchPage } from './support.mjs';

describe('account life cycle', { timeout: 300_000 }, () => {
  let server;
  let browser;

  before(async () => {
    server = await startDemo('phongdich-accounts-test-');
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  test('forced password change, deactivation and reset from the admin page', { timeout: 180_000 }, async () => {
    const { demo, baseUrl } = server;
    const admin = demo.staff.find((s) => s.role === 'admin');
    const login = await (await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: admin.username, password: admin.password }) })).json();
    const created = await fetch(`${baseUrl}/api/v1/staff`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${login.token}` },
      body: JSON.stringify({ username: 'kiem.thu', full_name: 'Kiểm Thử', role: 'health_official', unit_code: admin.unit }),
    });
    assert.equal(created.status, 201);
    const temporary = (await created.json()).password;
    assert.ok(temporary, 'a generated password is shown once');

    const userContext = await browser.newContext();
    const user = await userContext.newPage();
    const adminContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await adminContext.newPage();
    const errors = [];
    watchPage(user, errors);
    watchPage(page, errors);
    try {
      await user.goto(baseUrl);
      await user.getByTestId('tab-staff').click();
      await user.getByTestId('username-input').fill('kiem.thu');
      await user.getByTestId('password-input').fill(temporary);
      await user.getByTestId('login-button').click();
      await user.getByTestId('change-password-page').waitFor({ timeout: 15_000 });
      await user.getByTestId('old-password').fill(temporary);
      await user.getByTestId('new-password').fill('password123456');
      await user.getByTestId('confirm-password').fill('password123456');
      await user.getByTestId('change-password-submit').click();
      await user.locator('#new-password[aria-invalid="true"]').waitFor();
      await shot(user, 'change-password.png');
      await user.getByTestId('old-password').fill(temporary);
      await user.getByTestId('new-password').fill('ba con mèo trên mái nhà');
      await user.getByTestId('confirm-password').fill('ba con mèo trên mái nhà');
      await user.getByTestId('change-password-submit').click();
      await user.getByTestId('staff-home').waitFor({ timeout: 15_000 });

      await signInStaff(page, baseUrl, admin);
      await page.getByTestId('nav-staff').click();
      const row = page.getByTestId('staff-row').filter({ hasText: 'kiem.thu' });
      await row.waitFor();
      page.once('dialog', (d) => void d.accept());
      await row.getByTestId('staff-deactivate').click();
      await page.getByTestId('staff-action-notice').waitFor();
      await row.getByTestId('staff-reactivate').waitFor();
      await shot(page, 'staff-actions.png');

      // The deactivated account's open page is signed out at its next request.
      await user.reload();
      await user.getByTestId('tab-staff').waitFor({ timeout: 15_000 });

      page.once('dialog', (d) => void d.accept());
      await row.getByTestId('staff-reset').click();
      await page.getByTestId('staff-action-notice').filter({ hasText: /:\s*\S{12,}/ }).waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await userContext.close();
      await adminContext.close();
    }
  });

  test('a citizen downloads their data and deletes their account', { timeout: 120_000 }, async () => {
    const { baseUrl, dataDir } = server;
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const errors = [];
    watchPage(page, errors);
    try {
      await signInCitizen(page, baseUrl, dataDir, { phone: '0987600001' });
      const downloading = page.waitForEvent('download');
      await page.getByTestId('download-my-data').click();
      const file = await downloading;
      assert.match(file.suggestedFilename(), /^phongdich-du-lieu-cua-toi-.*\.json$/);
      const data = JSON.parse(await readFile(await file.path(), 'utf8'));
      assert.equal(data.account.phone, '+84987600001');
      assert.ok(Array.isArray(data.declarations) && Array.isArray(data.family));

      await page.getByTestId('delete-account').click();
      assert.equal(await page.getByTestId('delete-account-submit').isDisabled(), true, 'nothing happens before the confirmation');
      await page.getByTestId('delete-confirm-check').check();
      await page.getByTestId('delete-account-submit').click();
      await page.getByTestId('account-deleted').waitFor();
      await shot(page, 'account-deleted.png');
      await page.getByTestId('account-deleted-back').click();
      await page.getByTestId('phone-input').waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
