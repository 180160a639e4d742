// End-to-end browser test of venue check-in (issue #4). First: a citizen registers a venue and
// gets its posters; another citizen opens the venue's QR link, signs in, lands back on the
// check-in page, checks in and out; a forged link is refused; a health official marks an
// exposure window and visitors are alerted; the visitor sees the alert, and the phone's own check
// of the signed risky-venue feed matches too; the feed's Ed25519 signature is checked in Node.
// Then: a check-in made offline is queued and sent when back online; venue staff record a visitor
// by phone number; an official's CSV import reports a bad row by its line.
// Runs against the real `phongdich demo` in Debian's Chromium. The server embeds web/dist when it
// is compiled, so build the web app before the server:
//
//   (cd web && npm run build) && PHONGDICH_SKIP_WEB_BUILD=1 cargo build -p phongdich && (cd web && node --test tests/venues.test.mjs)
//
// Screenshots go to <repo>/target/screenshots/ (my-venues.png, checkin.png, checkin-invalid.png,
// venues-official.png, alerts.png, venue-scan.png).

import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, outboxLines, shot, signInCitizen, signInStaff, smsCode, startDemo, watchPage } from './support.mjs';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The link with one character of the signature changed (in the middle, so every bit counts). */
function forge(qrUrl) {
  const url = new URL(qrUrl);
  const [, , code, sig] = url.pathname.split('/');
  const i = Math.floor(sig.length / 2);
  const other = B64URL[(B64URL.indexOf(sig[i]) + 1) % B64URL.length];
  url.pathname = `/v/${code}/${sig.slice(0, i)}${other}${sig.slice(i + 1)}`;
  return url.toString();
}

/** Signs a citizen in on the page already showing the sign-in form (no navigation). */
async function signInHere(page, dataDir, citizen) {
  const before = outboxLines(dataDir).length;
  await page.getByTestId('phone-input').fill(citizen.phone);
  await page.getByTestId('send-code').click();
  await page.getByTestId('code-input').waitFor();
  await page.getByTestId('code-input').fill(await smsCode(dataDir, citizen.phone, before));
  await page.getByTestId('verify-code').click();
}

const mobile = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

describe('venues and check-in', { timeout: 400_000 }, () => {
  let server;
  let browser;

  before(async () => {
    server = await startDemo('phongdich-venues-test-');
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  test('register a venue, check in by its QR, mark an exposure, alert the visitor, verify the feed', { timeout: 300_000 }, async () => {
    const { baseUrl, dataDir, demo } = server;
    const owner = demo.citizens[0];
    const visitor = demo.citizens[2];
    const official = demo.staff.find((s) => s.username === 'yte.bacha');
    assert.ok(official, 'demo.json has the Bắc Hà health official');
    const errors = [];
    const venueName = `Quán phở Thử ${Date.now() % 100_000}`;

    // 1. The owner registers a venue in Xã Bắc Hà and downloads its posters.
    const ownerContext = await browser.newContext(mobile);
    const ownerPage = await ownerContext.newPage();
    watchPage(ownerPage, errors);
    let venueId;
    let qrUrl;
    try {
      await signInCitizen(ownerPage, baseUrl, dataDir, owner);
      await ownerPage.getByTestId('app-nav-my-venues').click();
      await ownerPage.getByTestId('my-venues-page').waitFor();
      await ownerPage.locator('[data-testid="venue-category"] option[value="restaurant"]').waitFor({ state: 'attached', timeout: 15_000 });

      await ownerPage.getByTestId('venue-name').fill(venueName);
      await ownerPage.getByTestId('venue-category').selectOption('restaurant');
      await ownerPage.getByTestId('venue-unit-province').selectOption('15');
      await ownerPage.waitForFunction(() => document.querySelectorAll('[data-testid="venue-unit-commune"] option').length > 2, null, { timeout: 15_000 });
      await ownerPage.getByTestId('venue-unit-commune').selectOption('02839');
      await ownerPage.getByTestId('venue-street').fill('Đường Ngọc Uyển');
      // Only a latitude: the server names the missing longitude next to its input.
      await ownerPage.getByTestId('venue-lat').fill('22.5401');
      await ownerPage.getByTestId('venue-submit').click();
      await ownerPage.getByTestId('field-error-lon').waitFor({ timeout: 15_000 });
      assert.equal(await ownerPage.getByTestId('venue-lon').getAttribute('aria-invalid'), 'true', 'the longitude input is marked invalid');

      await ownerPage.getByTestId('venue-lon').fill('104.2911');
      await ownerPage.getByTestId('venue-submit').click();
      await ownerPage.getByTestId('venue-registered').waitFor({ timeout: 15_000 });
      const card = ownerPage.getByTestId('my-venue').filter({ hasText: venueName });
      await card.waitFor();
      // A citizen's venue waits for an official before its staff powers start.
      await card.getByTestId('my-venue-pending').waitFor();
      venueId = await card.getAttribute('data-venue-id');
      qrUrl = await card.getAttribute('data-qr-url');
      assert.match(venueId, /^V[0-9A-Z]{8}$/, `venue code ${venueId}`);
      assert.match(qrUrl, new RegExp(`/v/${venueId}/[A-Za-z0-9_-]+$`), `signed link ${qrUrl}`);
      assert.equal(await card.locator('[data-testid="my-venue-qr"] svg').count(), 1, 'the QR code is drawn');
      assert.match(await card.getByTestId('my-venue-status').innerText(), /mở cửa/i);

      for (const [format, check] of [
        ['pdf', (b) => assert.equal(b.subarray(0, 4).toString('latin1'), '%PDF', 'a PDF poster')],
        ['png', (b) => assert.deepEqual(b.subarray(0, 8), PNG_SIGNATURE, 'a PNG poster')],
      ]) {
        const href = await card.getByTestId(`poster-${format}`).getAttribute('href');
        const res = await ownerPage.request.get(new URL(href, baseUrl).toString());
        assert.equal(res.status(), 200, `poster.${format}`);
        check(Buffer.from(await res.body()));
      }
      await shot(ownerPage, 'my-venues.png');
    } finally {
      await ownerContext.close();
    }

    // 2. A visitor scans the QR code: signs in, lands back on the check-in page, checks in and out.
    const visitorContext = await browser.newContext(mobile);
    const visitorPage = await visitorContext.newPage();
    watchPage(visitorPage, errors);
    try {
      await visitorPage.goto(qrUrl);
      await visitorPage.getByTestId('signin-checkin-notice').waitFor({ timeout: 15_000 });
      await signInHere(visitorPage, dataDir, visitor);
      await visitorPage.getByTestId('checkin-page').waitFor({ timeout: 15_000 });
      assert.equal(new URL(visitorPage.url()).pathname, new URL(qrUrl).pathname, 'the address is still the venue link');
      await visitorPage.getByTestId('checkin-venue-name').filter({ hasText: venueName }).waitFor({ timeout: 15_000 });
      assert.match(await visitorPage.getByTestId('checkin-venue').innerText(), /Bắc Hà/);
      assert.ok(await visitorPage.getByTestId('checkin-person-self').isChecked(), 'the account holder is checked');

      await visitorPage.getByTestId('checkin-in').click();
      const result = visitorPage.getByTestId('checkin-result');
      await visitorPage.waitForSelector('[data-testid="checkin-result"][data-direction="in"]', { timeout: 15_000 });
      assert.equal(await result.getAttribute('data-state'), 'sent');
      assert.ok((await visitorPage.getByTestId('checkin-result-auto-out').innerText()).trim(), 'the automatic check-out time is shown');
      await shot(visitorPage, 'checkin.png');

      const me = await visitorPage.evaluate(() => fetch('/api/v1/me', { headers: { Authorization: `Bearer ${localStorage.getItem('phongdich.token')}` } }).then((r) => r.json()));
      const local = await visitorPage.evaluate((id) => JSON.parse(localStorage.getItem(`phongdich.visits.${id}`) ?? '[]'), me.id);
      assert.equal(local.length, 1, 'the visit is kept on the phone');
      assert.equal(local[0].venue_id, venueId);

      await visitorPage.getByTestId('checkin-out').click();
      await visitorPage.waitForSelector('[data-testid="checkin-result"][data-direction="out"]', { timeout: 15_000 });
      const ended = await visitorPage.evaluate((id) => JSON.parse(localStorage.getItem(`phongdich.visits.${id}`) ?? '[]'), me.id);
      assert.ok(ended[0].people[0].out_at, 'the check-out is kept on the phone');

      // 3. A forged link (one character of the signature changed) is refused, with no buttons.
      await visitorPage.goto(forge(qrUrl));
      const invalid = visitorPage.getByTestId('checkin-invalid');
      await invalid.waitFor({ timeout: 15_000 });
      assert.match(await invalid.innerText(), /Mã QR không hợp lệ/);
      assert.equal(await visitorPage.getByTestId('checkin-in').count(), 0, 'no check-in button for a forged link');
      assert.equal(await visitorPage.getByTestId('checkin-out').count(), 0, 'no check-out button for a forged link');
      await shot(visitorPage, 'checkin-invalid.png');
    } catch (err) {
      await visitorContext.close();
      throw err;
    }

    // 4. The commune's health official marks an exposure window covering the visit.
    const officialContext = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const officialPage = await officialContext.newPage();
    watchPage(officialPage, errors);
    try {
      await signInStaff(officialPage, baseUrl, official);
      await officialPage.getByTestId('app-nav-venues').click();
      await officialPage.getByTestId('venues-official-page').waitFor();
      // The official approves it from the list of venues waiting.
      const waiting = officialPage.locator(`[data-testid="venue-pending-row"][data-venue-id="${venueId}"]`);
      await waiting.waitFor({ timeout: 15_000 });
      await waiting.getByTestId('venue-approve').click();
      await waiting.waitFor({ state: 'detached', timeout: 15_000 });
      await officialPage.getByTestId('venues-search').fill(venueId);
      await officialPage.getByTestId('venues-search-button').click();
      const row = officialPage.locator(`[data-testid="venue-row"][data-venue-id="${venueId}"]`);
      await row.waitFor({ timeout: 15_000 });
      await row.getByTestId('venue-open').click();
      await officialPage.getByTestId('venue-detail-name').filter({ hasText: venueName }).waitFor();
      // The form starts one hour ago and ends now (Vietnam time).
      assert.match(await officialPage.getByTestId('exposure-starts').inputValue(), /^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
      await officialPage.getByTestId('exposure-level').selectOption('high');
      await officialPage.getByTestId('exposure-case').fill('BN-2021-0042');
      await officialPage.getByTestId('exposure-submit').click();
      const alerted = officialPage.getByTestId('exposure-alerted');
      await alerted.waitFor({ timeout: 15_000 });
      assert.ok(Number(await alerted.getAttribute('data-count')) >= 1, `people alerted: ${await alerted.innerText()}`);
      assert.match(await alerted.innerText(), /Đã cảnh báo \d+ người/);

      const exposureRow = officialPage.locator(`[data-testid="exposure-row"][data-venue-id="${venueId}"]`);
      await exposureRow.waitFor({ timeout: 15_000 });
      await exposureRow.getByTestId('exposure-visitors-button').click();
      await officialPage.getByTestId('exposure-visitors-table').waitFor({ timeout: 15_000 });
      assert.match(await officialPage.getByTestId('exposure-visitors-table').innerText(), new RegExp(visitor.name));
      await shot(officialPage, 'venues-official.png');
    } finally {
      await officialContext.close();
    }

    // 5. The visitor sees the alert, and the phone's own check of the signed feed matches.
    try {
      await visitorPage.goto(baseUrl);
      await visitorPage.getByTestId('home-alerts').waitFor({ timeout: 15_000 });
      await visitorPage.getByTestId('app-nav-alerts').click();
      await visitorPage.getByTestId('alerts-page').waitFor();
      const alert = visitorPage.locator(`[data-testid="alert-item"][data-venue-id="${venueId}"]`);
      await alert.waitFor({ timeout: 15_000 });
      assert.equal(await alert.getAttribute('data-level'), 'high');
      assert.match(await alert.getByTestId('alert-venue').innerText(), new RegExp(venueName));
      assert.match(await alert.getByTestId('alert-level').innerText(), /Nguy cơ cao/);
      assert.ok((await alert.getByTestId('alert-message').innerText()).trim(), 'guidance is shown');
      const match = visitorPage.locator(`[data-testid="local-match"][data-venue-id="${venueId}"]`);
      await match.waitFor({ timeout: 15_000 });
      assert.match(await visitorPage.getByTestId('feed-verified').innerText(), /Chữ ký hợp lệ/);
      await visitorPage.locator('[data-testid="local-visit"]').first().waitFor();
      await shot(visitorPage, 'alerts.png');

      await alert.getByTestId('alert-mark-read').click();
      await visitorPage.waitForSelector(`[data-testid="alert-item"][data-venue-id="${venueId}"][data-read="true"]`, { timeout: 15_000 });
    } finally {
      await visitorContext.close();
    }

    // 6. The public feed is a JWS whose Ed25519 signature verifies against the published key.
    const jws = await (await fetch(`${baseUrl}/feeds/risky-venues.jws`)).text();
    const { keys } = await (await fetch(`${baseUrl}/api/v1/venues/keys`)).json();
    const [h, p, s] = jws.trim().split('.');
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    assert.equal(header.alg, 'EdDSA');
    assert.equal(header.typ, 'phongdich-risky-venues+jws');
    const jwk = keys.find((k) => k.kid === header.kid) ?? keys[0];
    const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
    assert.ok(verify(null, Buffer.from(`${h}.${p}`, 'ascii'), key, Buffer.from(s, 'base64url')), 'the feed signature verifies');
    const tampered = Buffer.from(`${h}.${p.slice(0, -2)}AA`, 'ascii');
    assert.ok(!verify(null, tampered, key, Buffer.from(s, 'base64url')), 'an altered feed does not verify');
    const feed = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    const entry = feed.entries.find((e) => e.venue_id === venueId);
    assert.ok(entry, `the feed lists the window at ${venueId}`);
    assert.equal(entry.level, 'high');
    assert.ok(Date.parse(entry.starts_at) < Date.parse(entry.ends_at) && Date.parse(entry.ends_at) <= Date.now() + 120_000, 'the window ends about now');

    assert.deepEqual(errors, [], 'no JavaScript errors in the pages');
  });

  test('an offline check-in is queued and sent when back online; staff scan by phone; CSV import reports lines', { timeout: 200_000 }, async () => {
    const { baseUrl, dataDir, demo } = server;
    const errors = [];
    const market = (demo.venues ?? []).find((v) => /Chợ/.test(v.name));
    assert.ok(market, 'demo.json lists the demo market');
    const venue = await (await fetch(`${baseUrl}/api/v1/venues/${market.id}`)).json();
    const visitor = demo.citizens[3];

    // A check-in without network waits in the queue with its own time, then goes out online.
    const context = await browser.newContext(mobile);
    const page = await context.newPage();
    watchPage(page, errors);
    try {
      await page.goto(venue.qr_url);
      await page.getByTestId('signin-checkin-notice').waitFor({ timeout: 15_000 });
      await signInHere(page, dataDir, visitor);
      await page.getByTestId('checkin-venue-name').filter({ hasText: venue.name }).waitFor({ timeout: 15_000 });
      await context.setOffline(true);
      await page.getByTestId('checkin-in').click();
      await page.waitForSelector('[data-testid="checkin-result"][data-state="queued"]', { timeout: 15_000 });
      assert.match(await page.getByTestId('checkin-queued').innerText(), /Đã lưu, sẽ gửi khi có mạng/);
      const queue = await page.evaluate(() => JSON.parse(localStorage.getItem('phongdich.checkinQueue') ?? '[]'));
      assert.equal(queue.length, 1, 'one request waits');
      assert.ok(queue[0].body.at, 'with its own time');
      await context.setOffline(false);
      await page.waitForFunction(() => localStorage.getItem('phongdich.checkinQueue') === null, null, { timeout: 15_000 });
      const visits = await page.evaluate(() => fetch('/api/v1/me/visits', { headers: { Authorization: `Bearer ${localStorage.getItem('phongdich.token')}` } }).then((r) => r.json()));
      const sent = visits.find((v) => v.venue_id === market.id && v.in_at.slice(0, 16) === queue[0].body.at.slice(0, 16));
      assert.ok(sent, `the queued check-in reached the server: ${JSON.stringify(visits.slice(0, 2))}`);
      await page.getByTestId('app-nav-alerts').click();
      await page.locator(`[data-testid="local-visit"][data-venue-id="${market.id}"][data-state="sent"]`).waitFor({ timeout: 15_000 });
    } finally {
      await context.close();
    }

    // Venue staff record a visitor without a smartphone by phone number; a bad pass is refused.
    const staff = demo.staff.find((s) => s.username === 'cho.bacha');
    const staffContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const staffPage = await staffContext.newPage();
    watchPage(staffPage, errors);
    try {
      await signInStaff(staffPage, baseUrl, staff);
      await staffPage.getByTestId('app-nav-venue-scan').click();
      await staffPage.getByTestId('venue-scan-page').waitFor();
      await staffPage.getByTestId('venue-scan-venue').waitFor({ timeout: 15_000 });
      assert.equal(await staffPage.getByTestId('venue-scan-venue').inputValue(), market.id, 'the market is chosen');
      await staffPage.getByTestId('venue-scan-pass').fill('PD1:NOT-A-PASS');
      await staffPage.getByTestId('venue-scan-pass-submit').click();
      await staffPage.getByTestId('field-error-pass').waitFor({ timeout: 15_000 });
      await staffPage.getByTestId('venue-scan-phone').fill('0912000333');
      await staffPage.getByTestId('venue-scan-phone-submit').click();
      const result = staffPage.getByTestId('venue-scan-result');
      await result.waitFor({ timeout: 15_000 });
      assert.equal(await result.getAttribute('data-direction'), 'in');
      await staffPage.getByTestId('venue-scan-direction-out').check();
      await staffPage.getByTestId('venue-scan-phone').fill('0912000333');
      await staffPage.getByTestId('venue-scan-phone-submit').click();
      await staffPage.waitForSelector('[data-testid="venue-scan-result"][data-direction="out"]', { timeout: 15_000 });
      await shot(staffPage, 'venue-scan.png', false);
    } finally {
      await staffContext.close();
    }

    // An official imports venues from CSV: a bad row is reported by line and nothing is stored.
    const official = demo.staff.find((s) => s.username === 'yte.bacha');
    const officialContext = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const officialPage = await officialContext.newPage();
    watchPage(officialPage, errors);
    try {
      await signInStaff(officialPage, baseUrl, official);
      await officialPage.getByTestId('app-nav-venues').click();
      await officialPage.getByTestId('venues-table').waitFor({ timeout: 15_000 });
      // The visit the staff typed waits for the official's confirmation before it joins a chain.
      const typed = officialPage.locator(`[data-testid="venue-typed-row"][data-venue-id="${market.id}"]`);
      await typed.waitFor({ timeout: 15_000 });
      assert.match(await typed.innerText(), /1 lượt nhập tay/);
      await typed.getByTestId('venue-typed-confirm').click();
      await typed.waitFor({ state: 'detached', timeout: 15_000 });
      const header = 'name,category,unit_code,street,lat,lon';
      const csv = (rows) => ({ name: 'venues.csv', mimeType: 'text/csv', buffer: Buffer.from([header, ...rows].join('\n'), 'utf8') });
      await officialPage.getByTestId('import-file').setInputFiles(csv(['Tiệm may Hoa,other,02839,Thôn Na Hối,,', 'Sòng bạc,casino,02839,,,']));
      await officialPage.getByTestId('import-submit').click();
      const lineError = officialPage.locator('[data-testid="import-error"][data-line="3"]');
      await lineError.waitFor({ timeout: 15_000 });
      assert.match(await lineError.innerText(), /Dòng 3 · category/);
      await officialPage.getByTestId('import-file').setInputFiles(csv(['Tiệm may Hoa,other,02839,Thôn Na Hối,,', 'Hiệu thuốc Bình An,health_facility,02839,Thôn Bắc Hà,22.5402,104.2901']));
      await officialPage.getByTestId('import-submit').click();
      await officialPage.getByTestId('import-done').waitFor({ timeout: 15_000 });
      assert.match(await officialPage.getByTestId('import-done').innerText(), /Đã nhập 2 địa điểm/);
      await officialPage.getByTestId('venue-row').filter({ hasText: 'Hiệu thuốc Bình An' }).waitFor({ timeout: 15_000 });
    } finally {
      await officialContext.close();
    }

    assert.deepEqual(errors, [], 'no JavaScript errors in the pages');
  });
});
