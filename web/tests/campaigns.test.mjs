// End-to-end browser test of adoption campaigns. The demo's unit reporter of Bắc Hà opens
// "Báo cáo tiến độ", chooses the demo campaign and the commune unit BH-XA (the date starts as the
// reporting date due), sends a count above the unit's head count and sees the server's error
// next to that input, then sends a good count and sees the unit's new standing, and can open the
// dashboard. The province's health official opens "Chiến dịch", the campaign's dashboard shows
// BH-XA's reported figure updated and on track, LC-XA (which never reported) late at the top,
// late and behind units first and highlighted, the "not reported" list, the totals and the chart;
// the XLSX (a zip) and the PDF download through the page; reminders go out on request; the
// badges follow a switch to English. A citizen gives a unit code on their home page (a wrong
// code is named next to the input).
// Runs against the real `phongdich demo` in Debian's Chromium:
//
//   cargo build -p phongdich && (cd web && node --test tests/campaigns.test.mjs)
//
// Screenshots go to <repo>/target/screenshots/ (campaign-report-error.png,
// campaign-report-saved.png, campaign-dashboard.png, campaign-dashboard-en.png).

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, shot, signInCitizen, signInStaff, startDemo, watchPage } from './support.mjs';

/** DD/MM/YYYY, as both languages of the app write a date. */
const shownDay = (iso) => iso.split('-').reverse().join('/');

/** What an API answers to the signed-in user of `page` (the page's own token). */
function pageGet(page, path) {
  return page.evaluate((p) => fetch(p, { headers: { Authorization: `Bearer ${localStorage.getItem('phongdich.token')}` } }).then((r) => r.json()), path);
}

describe('adoption campaigns', { timeout: 240_000 }, () => {
  let server;
  let browser;

  before(async () => {
    server = await startDemo('phongdich-campaigns-test-');
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  test('a unit reports its counts and the officials’ dashboard shows them', { timeout: 180_000 }, async () => {
    const { baseUrl, dataDir, demo } = server;
    const reporter = demo.staff.find((s) => s.username === 'baocao.bacha');
    const official = demo.staff.find((s) => s.username === 'yte.laocai');
    assert.ok(reporter && official, 'demo.json has the reporter baocao.bacha and the official yte.laocai');

    const errors = [];
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
    const page = await context.newPage();
    watchPage(page, errors);
    try {
      // 1. The reporter's page: the demo campaign, BH-XA, the date due.
      await signInStaff(page, baseUrl, reporter);
      await page.getByTestId('app-nav-campaign-report').click();
      await page.getByTestId('campaign-report-page').waitFor();
      await page.getByTestId('report-unit').waitFor({ timeout: 15_000 });
      const campaigns = await pageGet(page, '/api/v1/campaigns');
      const campaign = campaigns.find((c) => c.name === 'Cài đặt ứng dụng Phòng Dịch');
      assert.ok(campaign, `the demo campaign is listed to the reporter: ${JSON.stringify(campaigns)}`);
      assert.equal(await page.getByTestId('report-campaign').inputValue(), String(campaign.id));
      const units = await page.locator('[data-testid="report-unit"] option').evaluateAll((os) => os.map((o) => o.value));
      assert.ok(units.includes('BH-XA'), `BH-XA can be chosen: ${units}`);
      assert.ok(!units.includes('LC-XA'), `units outside Bắc Hà are not offered: ${units}`);
      await page.getByTestId('report-unit').selectOption('BH-XA');
      const before = await pageGet(page, `/api/v1/campaigns/${campaign.id}`);
      const bhxa = before.units.find((u) => u.code === 'BH-XA');
      assert.equal(await page.getByTestId('report-date').inputValue(), bhxa.due, 'the date starts as the reporting date due');
      const count = page.getByTestId('report-count-smartphone_users');
      assert.equal(await page.getByTestId('report-count-staff_smartphone').count(), 0, 'no input for a population the unit does not have');

      // 2. Above the head count (2,600): named next to the input, nothing stored.
      await count.fill('99999');
      await page.getByTestId('report-submit').click();
      const countError = page.getByTestId('field-error-counts.smartphone_users');
      await countError.waitFor({ timeout: 15_000 });
      assert.match(await countError.innerText(), /99999 lớn hơn tổng số 2600/);
      assert.equal(await count.getAttribute('aria-invalid'), 'true');
      await shot(page, 'campaign-report-error.png');

      // 3. A good report: the unit's standing shows the new figure.
      await count.fill('1500');
      await page.getByTestId('report-note').fill('Đã vận động tại các thôn');
      await page.getByTestId('report-submit').click();
      await page.getByTestId('report-saved').waitFor({ timeout: 15_000 });
      assert.match(await page.getByTestId('report-saved-notice').innerText(), /BH-XA/);
      assert.equal(await page.locator('[data-testid="report-saved-progress"] [data-testid="bar-reported"]').getAttribute('data-count'), '1500');
      await shot(page, 'campaign-report-saved.png');

      // The reporter may open the dashboard, without the organisers' reminders button.
      await page.getByTestId('report-open-dashboard').click();
      await page.getByTestId('campaign-units').waitFor({ timeout: 15_000 });
      assert.equal(await page.getByTestId('campaign-remind').count(), 0);
      await page.getByTestId('logout-button').click();
      await page.getByTestId('tab-staff').waitFor();

      // 4. The official's dashboard.
      await signInStaff(page, baseUrl, official);
      await page.getByTestId('app-nav-campaigns').click();
      await page.getByTestId('campaigns-page').waitFor();
      await page.locator(`[data-testid="campaign-row"][data-campaign-id="${campaign.id}"] [data-testid="campaign-open"]`).click();
      await page.getByTestId('campaign-units').waitFor({ timeout: 15_000 });
      assert.equal((await page.getByTestId('campaign-heading').innerText()).trim(), campaign.name);
      const board = await pageGet(page, `/api/v1/campaigns/${campaign.id}`);

      const rows = await page.getByTestId('campaign-unit-row').evaluateAll((trs) =>
        trs.map((tr) => ({ code: tr.dataset.code, late: tr.dataset.late === 'true', behind: tr.dataset.behind === 'true' })),
      );
      assert.deepEqual(rows.map((r) => r.code), board.units.map((u) => u.code), 'one row per unit in the server’s order');
      assert.equal(rows[0].code, 'LC-XA', 'the unit that never reported is at the top');
      assert.ok(rows[0].late, 'LC-XA is late');
      const rank = (r) => (r.late ? 0 : r.behind ? 1 : 2);
      for (let i = 1; i < rows.length; i++) assert.ok(rank(rows[i - 1]) <= rank(rows[i]), `late, then behind, then the rest: ${JSON.stringify(rows)}`);
      const lcxa = page.locator('[data-testid="campaign-unit-row"][data-code="LC-XA"]');
      assert.match(await lcxa.getAttribute('class'), /row-late/);
      assert.equal((await lcxa.getByTestId('badge-late').innerText()).trim(), 'Chậm báo cáo');
      const behindRow = rows.find((r) => r.behind && !r.late);
      if (behindRow) {
        const tr = page.locator(`[data-testid="campaign-unit-row"][data-code="${behindRow.code}"]`);
        assert.match(await tr.getAttribute('class'), /row-behind/);
        assert.equal((await tr.getByTestId('badge-behind').innerText()).trim(), 'Chậm tiến độ');
      }
      const late = await lcxa.getByTestId('badge-late').evaluate((el) => getComputedStyle(el).backgroundColor);
      const behind = await page.getByTestId('badge-behind').first().evaluate((el) => getComputedStyle(el).backgroundColor);
      assert.notEqual(late, behind, 'late and behind badges have distinct colours');

      // BH-XA: the reported figure is the new one, beside the measured one; no longer behind.
      const bhxaRow = page.locator('[data-testid="campaign-unit-row"][data-code="BH-XA"]');
      const cell = bhxaRow.locator('[data-testid="target-cell"][data-population="smartphone_users"]');
      assert.equal(await cell.getAttribute('data-reported'), '1500');
      assert.equal(await cell.locator('[data-testid="bar-reported"]').getAttribute('data-count'), '1500');
      assert.match(await cell.locator('[data-testid="bar-reported"]').innerText(), /57[,.]7%/);
      assert.equal(await cell.locator('[data-testid="bar-measured"]').getAttribute('data-count'), String(board.units.find((u) => u.code === 'BH-XA').targets[1].measured));
      assert.equal(await bhxaRow.getAttribute('data-late'), 'false');
      assert.equal(await bhxaRow.getAttribute('data-behind'), 'false');
      assert.match(await bhxaRow.innerText(), /Đã vận động tại các thôn/);

      // Summary: the counts, who has not reported, totals and the chart.
      assert.equal(await page.getByTestId('campaign-late-count').getAttribute('data-count'), String(board.late));
      assert.equal(await page.getByTestId('campaign-behind-count').getAttribute('data-count'), String(board.behind));
      const notReported = await page.getByTestId('not-reported-unit').evaluateAll((lis) => lis.map((li) => li.dataset.code));
      assert.deepEqual(notReported, board.units.filter((u) => u.late).map((u) => u.code));
      assert.ok(notReported.includes('LC-XA'));
      const total = board.totals.find((x) => x.population === 'smartphone_users');
      assert.equal(await page.locator('[data-testid="campaign-totals-row"] [data-population="smartphone_users"]').getAttribute('data-reported'), String(total.reported));
      assert.ok((await page.getByTestId('chart-reported').count()) >= 1, 'the chart draws the reported line');
      assert.equal(await page.getByTestId('chart-expected').count(), campaign.targets.length);
      await shot(page, 'campaign-dashboard.png');

      // 5. Files: the XLSX is a zip and the PDF a PDF, fetched with the session's token.
      const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('campaign-export-xlsx').click()]);
      assert.match(xlsx.suggestedFilename(), /\.xlsx$/);
      assert.equal((await readFile(await xlsx.path())).subarray(0, 2).toString('latin1'), 'PK', 'the XLSX is a zip');
      await page.getByTestId('campaign-file-notice').waitFor();
      const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('campaign-export-pdf').click()]);
      assert.equal((await readFile(await pdf.path())).subarray(0, 5).toString('latin1'), '%PDF-', 'the PDF is a PDF');

      // Reminders on request (the demo's reporting date is two days away).
      await page.getByTestId('campaign-remind').click();
      await page.getByTestId('campaign-remind-notice').waitFor({ timeout: 15_000 });

      // An earlier date: the status as it was then.
      await page.getByTestId('campaign-date').fill(campaign.start);
      await page.getByTestId('campaign-date-apply').click();
      await page.getByTestId('campaign-summary').getByText(`Tình hình ngày ${shownDay(campaign.start)}`).waitFor({ timeout: 15_000 });
      assert.equal(await page.getByTestId('campaign-late-count').getAttribute('data-count'), '0', 'nobody is late on the first day');

      // English beside Vietnamese.
      await page.getByTestId('lang-switch').click();
      await page.getByText('Late to report').first().waitFor();
      await page.getByTestId('campaign-date').fill(board.date);
      await page.getByTestId('campaign-date-apply').click();
      await page.locator('[data-testid="campaign-unit-row"][data-code="LC-XA"] [data-testid="badge-late"]').getByText('Late to report').waitFor();
      await shot(page, 'campaign-dashboard-en.png');
      await page.getByTestId('lang-switch').click();
      await page.getByTestId('logout-button').click();

      // 6. A citizen gives their unit's code (an unknown one is named next to the input).
      await signInCitizen(page, baseUrl, dataDir, demo.citizens[0]);
      await page.getByTestId('org-code-input').fill('KHONG-CO');
      await page.getByTestId('org-code-save').click();
      await page.getByTestId('field-error-code').waitFor({ timeout: 15_000 });
      await page.getByTestId('org-code-input').fill('bh-ubnd');
      await page.getByTestId('org-code-save').click();
      await page.getByTestId('org-code-saved').waitFor({ timeout: 15_000 });
      assert.match(await page.getByTestId('org-code-saved').innerText(), /UBND xã Bắc Hà \(BH-UBND\)/);

      assert.deepEqual(errors, [], 'no page or console errors');
    } finally {
      await context.close();
    }
  });
});
