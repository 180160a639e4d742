// End-to-end browser test of case and contact tracing. A health official opens "cases" from the
// page bar: the list shows what the API holds (the demo may seed an outbreak, or nothing). They
// register a case — first with the confirmation before the sample, which is named next to its
// input — and the new case's page opens. Through the page's form they add an interview contact
// of the case (a citizen who just signed up: F1) and one of that F1 (a new person: F2); the tree shows F2 under
// F1 under the case, the graph has their three nodes and two edges, and clicking a node
// highlights that person in the tree. Ordering the F1 into quarantine shows the end date and
// test days; ordering again after reopening the case shows the overlap refusal; the case's
// status changes to recovered and back. The chain
// downloads as CSV. The people-by-level list, filtered to F1, shows the F1 and downloads as XLSX
// (a zip). The quarantine list shows the F1 without today's update; a test dated tomorrow is
// refused next to its date, today's negative test is recorded and listed. The citizen's home
// shows "Bạn là F1 — cách ly đến …" with today's tasks, leading to the daily update.
// Runs against the real `phongdich demo` in Debian's Chromium:
//
//   cargo build -p phongdich && (cd web && node --test tests/tracing.test.mjs)
//
// Screenshots go to <repo>/target/screenshots/ (cases-error.png, case-chain.png, case-chain-en.png,
// traced-people.png, quarantine-list.png, quarantine-test.png, citizen-quarantine.png).

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { digits, launchBrowser, outboxLines, shot, signInStaff, smsCode, startDemo, watchPage } from './support.mjs';

/** YYYY-MM-DD in Vietnam (UTC+7), `offsetDays` from today. */
const vietnamDay = (offsetDays) => new Date(Date.now() + 7 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
/** DD/MM/YYYY, as both languages of the app write a date. */
const shownDay = (iso) => iso.split('-').reverse().join('/');

async function api(baseUrl, method, path, { body, token } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Signs a citizen in over the API (code from the SMS outbox); returns the session token. */
async function citizenToken(baseUrl, dataDir, phone) {
  const before = outboxLines(dataDir).length;
  const sent = await api(baseUrl, 'POST', '/api/v1/auth/otp', { body: { phone } });
  assert.equal(sent.status, 202, `OTP request: ${JSON.stringify(sent.body)}`);
  const verified = await api(baseUrl, 'POST', '/api/v1/auth/otp/verify', { body: { phone, code: await smsCode(dataDir, phone, before) } });
  assert.equal(verified.status, 200, `OTP verify: ${JSON.stringify(verified.body)}`);
  return verified.body.token;
}

/** What an API answers to the signed-in official of `page` (the page's own token). */
function pageGet(page, path) {
  return page.evaluate((p) => fetch(p, { headers: { Authorization: `Bearer ${localStorage.getItem('phongdich.token')}` } }).then((r) => r.json()), path);
}

describe('case and contact tracing', { timeout: 300_000 }, () => {
  let server;
  let browser;

  before(async () => {
    server = await startDemo('phongdich-tracing-test-');
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  test('register a case, trace F1 and F2, order quarantine, follow up', { timeout: 240_000 }, async () => {
    const { baseUrl, dataDir, demo } = server;
    const official = demo.staff.find((s) => s.username === 'yte.bacha') ?? demo.staff.find((s) => s.role === 'health_official');
    assert.ok(official, 'demo.json has a health official');

    // The F1 is a citizen who signs up now (the demo's outbreak, if seeded, has put some of the
    // demo's citizens in quarantine already), living in Xã Bắc Hà, the official's commune.
    const contact = { phone: `+8498${String(Date.now()).slice(-7)}`, name: 'Đỗ Thị Thu Hà' };
    const contactToken = await citizenToken(baseUrl, dataDir, contact.phone);
    const profile = await api(baseUrl, 'PATCH', '/api/v1/me', { body: { full_name: contact.name, unit_code: '02839' }, token: contactToken });
    assert.equal(profile.status, 200, `the citizen's profile: ${JSON.stringify(profile.body)}`);

    const errors = [];
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
    const page = await context.newPage();
    watchPage(page, errors);
    try {
      await signInStaff(page, baseUrl, official);
      await page.getByTestId('app-nav-quarantine').waitFor();
      await page.getByTestId('app-nav-cases').click();
      await page.getByTestId('cases-page').waitFor();
      assert.equal((await page.getByTestId('cases-heading').innerText()).trim(), 'Ca bệnh (F0)');

      // 1. The list shows what the API holds: the demo's cases, or the empty state.
      await page.locator('[data-testid="cases-table"], [data-testid="cases-empty"]').first().waitFor({ timeout: 15_000 });
      const listed = await pageGet(page, '/api/v1/cases');
      assert.ok(Array.isArray(listed), `the API lists cases: ${JSON.stringify(listed)}`);
      assert.equal(await page.getByTestId('case-row').count(), listed.length, 'one row per case');
      if (listed.length === 0) assert.equal((await page.getByTestId('cases-empty').innerText()).trim(), 'Chưa có ca bệnh nào.');
      else {
        for (const c of listed.slice(0, 5)) await page.locator(`[data-testid="case-row"][data-case-id="${c.id}"]`).waitFor();
        const statuses = await page.getByTestId('case-status').allInnerTexts();
        assert.ok(statuses.every((s) => ['Đang điều trị', 'Đã khỏi', 'Tử vong'].includes(s.trim())), `status badges: ${statuses}`);
      }

      // 2. Confirmation before the sample: the error is named next to the confirmation date.
      const caseName = 'Phạm Thị Ca Bệnh';
      await page.getByTestId('case-full-name').fill(caseName);
      assert.match(await page.getByTestId('case-unit-selected').innerText(), /Bắc Hà/, 'the unit starts as the official’s');
      await page.getByTestId('case-onset').fill(vietnamDay(-4));
      await page.getByTestId('case-sample').fill(vietnamDay(-2));
      await page.getByTestId('case-confirmed').fill(vietnamDay(-3));
      await page.getByTestId('case-source').selectOption('community');
      await page.getByTestId('case-submit').click();
      const dateError = page.getByTestId('field-error-confirmed_date');
      await dateError.waitFor({ timeout: 15_000 });
      assert.match(await dateError.innerText(), /Ngày xác nhận không được trước/);
      assert.equal(await page.getByTestId('case-confirmed').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.getByTestId('case-row').count(), listed.length, 'nothing was registered');
      await shot(page, 'cases-error.png');

      // 3. Valid dates: the case is registered and its page opens.
      await page.getByTestId('case-confirmed').fill(vietnamDay(-1));
      await page.getByTestId('case-submit').click();
      await page.getByTestId('case-page').waitFor({ timeout: 15_000 });
      await page.getByTestId('contact-form').waitFor({ timeout: 15_000 });
      const caseId = Number(await page.getByTestId('case-page').getAttribute('data-case-id'));
      assert.ok(caseId > 0, 'the case page names its case');
      assert.equal((await page.getByTestId('case-heading').innerText()).trim(), `Ca bệnh ${caseName}`);
      assert.equal(await page.getByTestId('case-count-f1').getAttribute('data-count'), '0');
      assert.equal(await page.getByTestId('chain-node').count(), 1, 'the graph starts with the case alone');

      // 4. An interview contact of the case: the demo citizen, unmasked at home for an hour → F1.
      await page.getByTestId('contact-from').selectOption({ index: 0 });
      await page.getByTestId('contact-full-name').fill(contact.name);
      await page.getByTestId('contact-phone').fill(contact.phone);
      await page.getByTestId('contact-setting').selectOption('household');
      await page.getByTestId('contact-at').fill(`${vietnamDay(-3)}T10:00`);
      await page.getByTestId('contact-minutes').fill('60');
      await page.getByTestId('contact-submit').click();
      const f1 = page.locator('[data-testid="chain-item"][data-level="1"]');
      await f1.waitFor({ timeout: 15_000 });
      await page.getByTestId('contact-added').waitFor();
      const f1Id = Number(await f1.getAttribute('data-person-id'));
      assert.equal((await f1.getByTestId('chain-name').first().innerText()).trim(), contact.name);

      // 5. A contact of that F1 (a new person, at work the next morning) → F2 under the F1.
      await page.getByTestId('contact-from').selectOption(String(f1Id));
      await page.getByTestId('contact-full-name').fill('Lê Văn Hai');
      await page.getByTestId('contact-setting').selectOption('workplace');
      await page.getByTestId('contact-at').fill(`${vietnamDay(-2)}T08:30`);
      await page.getByTestId('contact-minutes').fill('45');
      await page.getByTestId('contact-submit').click();
      const f2 = f1.locator('[data-testid="chain-item"][data-level="2"]');
      await f2.waitFor({ timeout: 15_000 });
      assert.equal((await f2.getByTestId('chain-name').innerText()).trim(), 'Lê Văn Hai');
      assert.equal(Number(await f2.getAttribute('data-via')), f1Id, 'the F2 met the F1');
      assert.equal(await page.getByTestId('case-count-f1').getAttribute('data-count'), '1');
      assert.equal(await page.getByTestId('case-count-f2').getAttribute('data-count'), '1');
      assert.match(await f2.getByTestId('chain-evidence').innerText(), /interview: workplace, 45 min/);
      assert.deepEqual(await f2.locator('.chain-source').evaluateAll((els) => els.map((e) => e.dataset.source)), ['interview']);
      assert.match(await f2.locator('.chain-meta').innerText(), /Phỏng vấn · Nơi làm việc · 45 phút · Độ tin cậy: cao/);

      // 6. The graph: three nodes coloured by level and two edges; a click highlights the tree.
      const graph = page.getByTestId('chain-graph');
      assert.equal(await page.getByTestId('chain-node').count(), 3);
      assert.equal(await graph.getAttribute('data-edges'), '2');
      assert.deepEqual((await page.getByTestId('chain-node').evaluateAll((ns) => ns.map((n) => n.dataset.level))).sort(), ['0', '1', '2']);
      const f2Node = page.locator(`[data-testid="chain-node"][data-level="2"]`);
      await f2Node.click();
      await page.locator('[data-testid="chain-item"][data-level="2"].highlighted').waitFor({ timeout: 5_000 });
      assert.equal(await page.locator('.chain-item.highlighted').count(), 1);
      assert.equal(await page.locator('[data-testid="chain-node"][data-level="2"]').getAttribute('aria-pressed'), 'true');
      await graph.scrollIntoViewIfNeeded();
      await shot(page, 'case-chain.png');

      // 7. Quarantine for the F1: the plan's end (14 days from today) and test days are shown.
      await f1.getByTestId('quarantine-order').first().click();
      const result = f1.getByTestId('quarantine-result').first();
      await result.waitFor({ timeout: 15_000 });
      const endsOn = await result.getAttribute('data-ends-on');
      assert.equal(endsOn, vietnamDay(13), 'F1: 14 days of quarantine from today');
      assert.match(await result.innerText(), new RegExp(`^Cách ly đến ${shownDay(endsOn)}; xét nghiệm ngày ${shownDay(vietnamDay(0))}`));

      // 8. The chain as CSV.
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('case-csv').click()]);
      assert.equal(download.suggestedFilename(), `case-${caseId}-chain.csv`);
      const csv = await readFile(await download.path(), 'utf8');
      assert.match(csv, /F1,/);
      assert.match(csv, /F2,Lê Văn Hai/);

      // 9. In English, then reopening the case and ordering again: the overlap is refused.
      await page.getByTestId('lang-switch').click();
      assert.equal((await page.getByTestId('case-heading').innerText()).trim(), `Case ${caseName}`);
      await shot(page, 'case-chain-en.png');
      await page.getByTestId('lang-switch').click();
      await page.getByTestId('case-back').click();
      await page.locator(`[data-testid="case-row"][data-case-id="${caseId}"]`).waitFor({ timeout: 15_000 });
      assert.equal(await page.getByTestId('case-row').count(), listed.length + 1, 'the new case is listed');
      await page.locator(`[data-testid="case-row"][data-case-id="${caseId}"]`).getByTestId('case-open').click();
      const again = page.locator(`[data-testid="chain-item"][data-person-id="${f1Id}"]`);
      await again.waitFor({ timeout: 15_000 });
      await again.getByTestId('quarantine-order').first().click();
      const refused = again.getByTestId('quarantine-problem').first();
      await refused.waitFor({ timeout: 15_000 });
      assert.equal(await refused.getAttribute('data-problem-code'), 'quarantine_overlaps');
      assert.match(await refused.innerText(), /trùng thời gian/);

      // The case's course: recovered, then reopened.
      const status = page.getByTestId('case-facts').getByTestId('case-status');
      assert.equal(await status.getAttribute('data-status'), 'active');
      await page.getByTestId('case-status-select').selectOption('recovered');
      await page.getByTestId('case-status-save').click();
      await page.locator('[data-testid="case-facts"] [data-testid="case-status"][data-status="recovered"]').waitFor({ timeout: 15_000 });
      assert.equal((await status.innerText()).trim(), 'Đã khỏi');
      await page.getByTestId('case-status-select').selectOption('active');
      await page.getByTestId('case-status-save').click();
      await page.locator('[data-testid="case-facts"] [data-testid="case-status"][data-status="active"]').waitFor({ timeout: 15_000 });

      // 10. People by level: filtered to F1, the F1 is listed (with the case); the XLSX is a zip.
      await page.getByTestId('app-nav-traced').click();
      await page.getByTestId('traced-page').waitFor();
      assert.equal((await page.getByTestId('traced-heading').innerText()).trim(), 'Danh sách theo cấp');
      await page.locator('[data-testid="traced-table"], [data-testid="traced-empty"]').first().waitFor({ timeout: 15_000 });
      await page.getByTestId('traced-level').selectOption('1');
      await Promise.all([page.waitForResponse((r) => r.url().includes('/api/v1/tracing/people?level=1')), page.getByTestId('traced-apply').click()]);
      await page.locator('[data-testid="traced-page"] .table-wrap[aria-busy="false"]').waitFor({ timeout: 15_000 });
      const tracedF1 = page.locator(`[data-testid="traced-row"][data-person-id="${f1Id}"]`);
      await tracedF1.waitFor({ timeout: 15_000 });
      assert.equal(await tracedF1.getAttribute('data-level'), '1');
      assert.equal(Number(await tracedF1.getAttribute('data-case-id')), caseId, 'the F1 came from the new case');
      const tracedText = await tracedF1.innerText();
      assert.match(tracedText, new RegExp(contact.name));
      assert.ok(digits(tracedText).includes(digits(contact.phone).slice(-9)), `the F1's phone in ${JSON.stringify(tracedText)}`);
      const tracedLevels = await page.getByTestId('traced-row').evaluateAll((rows) => rows.map((r) => r.dataset.level));
      assert.ok(tracedLevels.every((l) => l === '1'), `only F1s after filtering: ${tracedLevels}`);
      const tracedApi = await pageGet(page, '/api/v1/tracing/people?level=1');
      assert.equal(tracedLevels.length, tracedApi.length, 'one row per F1 the API lists');
      assert.equal(await page.locator('[data-testid="traced-row"]:has-text("Lê Văn Hai")').count(), 0, 'the F2 is filtered out');
      const [xlsxResponse, xlsx] = await Promise.all([
        page.waitForResponse((r) => r.url().includes('/api/v1/tracing/people.xlsx')),
        page.waitForEvent('download'),
        page.getByTestId('traced-export-xlsx').click(),
      ]);
      assert.equal(xlsxResponse.status(), 200);
      assert.match(xlsxResponse.url(), /[?&]level=1(&|$)/, 'the download keeps the filter');
      assert.match(xlsxResponse.headers()['content-type'], /spreadsheetml/);
      assert.equal(xlsx.suggestedFilename(), 'tiep-xuc.xlsx');
      const workbook = await readFile(await xlsx.path());
      assert.equal(workbook.subarray(0, 2).toString('latin1'), 'PK', 'the XLSX is a zip');
      await page.getByTestId('traced-export-notice').waitFor();
      await shot(page, 'traced-people.png');

      // 11. The follow-up list: the F1 on day 1 of 14, without today's update (highlighted).
      await page.getByTestId('app-nav-quarantine').click();
      await page.getByTestId('quarantine-page').waitFor();
      const row = page.locator(`[data-testid="quarantine-row"][data-person-id="${f1Id}"]`);
      await row.waitFor({ timeout: 15_000 });
      assert.equal(await row.getAttribute('data-updated'), 'false');
      assert.match(await row.getAttribute('class'), /missing-update/);
      const rowText = await row.innerText();
      assert.ok(digits(rowText).includes(digits(contact.phone).slice(-9)), `the F1's phone in ${JSON.stringify(rowText)}`);
      assert.match(rowText, /F1/);
      assert.match(rowText, /Tập trung/);
      assert.match(rowText, /Ngày 1\/14/);
      assert.match(rowText, new RegExp(shownDay(endsOn)));
      assert.match(rowText, /Hôm nay/, 'day 1 is a test day');
      assert.match(rowText, /Chưa cập nhật/);
      assert.equal(await row.getAttribute('data-missed'), '0', 'no earlier day to miss on day 1');
      assert.equal(await row.getByTestId('quarantine-missed').count(), 0);
      assert.equal(await row.getAttribute('data-overdue'), '0', 'no test day is past yet');
      assert.match(await row.getByTestId('quarantine-tests').innerText(), /Chưa có kết quả/);
      const orders = await pageGet(page, '/api/v1/quarantine');
      assert.equal(await page.getByTestId('quarantine-row').count(), orders.length, 'one row per order');
      await shot(page, 'quarantine-list.png');

      // 12. A test result for the F1: tomorrow is refused next to the date; today's negative is listed.
      assert.equal(await row.getByTestId('quarantine-test-date').inputValue(), vietnamDay(0), 'the sample date starts as today');
      await row.getByTestId('quarantine-test-date').fill(vietnamDay(1));
      await row.getByTestId('quarantine-test-submit').click();
      const testDateError = row.getByTestId('field-error-date');
      await testDateError.waitFor({ timeout: 15_000 });
      assert.match(await testDateError.innerText(), /Ngày xét nghiệm phải trong thời gian cách ly/);
      assert.equal(await row.getByTestId('quarantine-test-date').getAttribute('aria-invalid'), 'true');
      assert.equal(await row.getByTestId('quarantine-test').count(), 0, 'nothing was recorded');
      await row.getByTestId('quarantine-test-date').fill(vietnamDay(0));
      await row.getByTestId('quarantine-test-result').selectOption('negative');
      await row.getByTestId('quarantine-test-submit').click();
      const recordedTest = row.locator(`[data-testid="quarantine-test"][data-date="${vietnamDay(0)}"][data-result="negative"]`);
      await recordedTest.waitFor({ timeout: 15_000 });
      assert.equal((await recordedTest.innerText()).trim(), `${shownDay(vietnamDay(0))}: Âm tính`);
      assert.equal(await row.getByTestId('field-error-date').count(), 0, 'the date error is gone');
      assert.match(await row.getByTestId('quarantine-test-recorded').innerText(), /^Đã ghi: Âm tính/);
      assert.equal(await row.getByTestId('quarantine-positive-hint').count(), 0, 'no case hint after a negative test');
      const afterTest = (await pageGet(page, '/api/v1/quarantine')).find((o) => o.person_id === f1Id);
      assert.deepEqual(afterTest.tests, [{ date: vietnamDay(0), result: 'negative' }]);
      await page.getByTestId('quarantine-reload').click();
      await row.locator(`[data-testid="quarantine-test"][data-date="${vietnamDay(0)}"]`).waitFor({ timeout: 15_000 });
      await shot(page, 'quarantine-test.png');
    } finally {
      await context.close();
    }

    // 13. The F1's own home: the quarantine card with today's tasks, leading to the daily update.
    const citizenContext = await browser.newContext({ viewport: { width: 420, height: 900 } });
    const phone = await citizenContext.newPage();
    watchPage(phone, errors);
    try {
      // The session from signing up (a second code within a minute would be refused).
      await phone.goto(baseUrl);
      await phone.evaluate((token) => localStorage.setItem('phongdich.token', token), contactToken);
      await phone.reload();
      await phone.getByTestId('citizen-home').waitFor({ timeout: 15_000 });
      const card = phone.getByTestId('my-quarantine');
      await card.waitFor({ timeout: 15_000 });
      const endsOn = vietnamDay(13);
      assert.equal(await card.getAttribute('data-ends-on'), endsOn);
      assert.equal((await card.locator('h2').innerText()).trim(), `Bạn là F1 — cách ly đến ${shownDay(endsOn)}`);
      assert.equal((await phone.getByTestId('my-quarantine-day').innerText()).trim(), 'Hôm nay là ngày 1/14 của đợt cách ly.');
      await phone.getByTestId('task-test').waitFor();
      await shot(phone, 'citizen-quarantine.png');
      await phone.getByTestId('lang-switch').click();
      assert.equal((await card.locator('h2').innerText()).trim(), `You are F1 — quarantine until ${shownDay(endsOn)}`);
      await phone.getByTestId('lang-switch').click();
      await phone.getByTestId('my-quarantine-update').click();
      await phone.getByTestId('kind-tab-daily_update').waitFor({ timeout: 15_000 });
      assert.equal(await phone.getByTestId('kind-tab-daily_update').getAttribute('aria-selected'), 'true');
    } finally {
      await citizenContext.close();
    }
    assert.deepEqual(errors, [], 'no JavaScript errors in the pages');
  });
});
