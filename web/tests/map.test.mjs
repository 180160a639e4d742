// End-to-end browser test of the epidemic map and "An toàn COVID". Someone who is not signed in
// opens the public map at /map: it shows every layer the API lists with a toggle, and the
// facility marker of a school staffed by the demo's `truong.sapa`, with its colour. In a second
// browser the staff member signs in, opens "my facilities" and submits today's self-assessment
// so that the colour changes (every criterion met → green, or none → red); the first page's
// marker takes the new colour without a reload, through the server's event stream and a
// conditional request of the layer (its ETag gives a 304 when nothing changed). A citizen who
// just signed up opens the facility's page, sends feedback with a photo (a PNG made here), and a
// risk report with a point picked on the small map; the staff member answers the feedback on the
// facility's page, so it is no longer in the officials' "open feedback". Sa Pa's health official
// takes the report in hand and closes it (refused without a note, then with one); the citizen
// sees "closed" and the note.
// Runs against the real `phongdich demo` in Debian's Chromium:
//
//   cargo build -p phongdich && (cd web && node --test tests/map.test.mjs)
//
// Screenshots go to <repo>/target/screenshots/ (map.png, map-live.png, assessment.png,
// facility.png, risk-report.png, risk-triage.png).

import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, shot, signInCitizen, signInStaff, startDemo, until, watchPage } from './support.mjs';

async function api(baseUrl, method, path, { body, token, headers = {} } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (token) h.Authorization = `Bearer ${token}`;
  const res = await fetch(`${baseUrl}${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A small RGB PNG (a red square with a white cross), written here so the test needs no file. */
function tinyPng(size = 24) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  const rows = [];
  for (let y = 0; y < size; y += 1) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x += 1) {
      const cross = Math.abs(x - size / 2) < 2 || Math.abs(y - size / 2) < 2;
      row.set(cross ? [255, 255, 255] : [217, 45, 32], 1 + x * 3);
    }
    rows.push(row);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

/** The answer to a criterion that gives `colour`: met / not met, or the fewest / most points. */
function answerFor(criterion, kind, colour) {
  if (kind === 'pass_fail') return colour === 'green' ? 'met' : 'not_met';
  const sorted = [...criterion.options].sort((a, b) => a.points - b.points);
  return (colour === 'green' ? sorted[0] : sorted[sorted.length - 1]).id;
}

describe('epidemic map and facility safety', { timeout: 300_000 }, () => {
  let server;
  let browser;

  before(async () => {
    server = await startDemo('phongdich-map-test-');
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  test('live map, self-assessment, feedback and risk reports', { timeout: 240_000 }, async () => {
    const { baseUrl, dataDir, demo } = server;
    const staff = demo.staff.find((s) => s.username === 'truong.sapa');
    const official = demo.staff.find((s) => s.username === 'yte.sapa') ?? demo.staff.find((s) => s.username === 'yte.laocai');
    assert.ok(staff, 'demo.json has truong.sapa (facility staff)');
    assert.ok(official, 'demo.json has a health official of Sa Pa or Lào Cai');

    // The facility: one of truong.sapa's with coordinates (so it has a marker).
    const login = await api(baseUrl, 'POST', '/api/v1/auth/login', { body: { username: staff.username, password: staff.password } });
    assert.equal(login.status, 200, `truong.sapa signs in: ${JSON.stringify(login.body)}`);
    const mine = await api(baseUrl, 'GET', '/api/v1/me/facilities', { token: login.body.token });
    assert.equal(mine.status, 200, `GET /me/facilities: ${JSON.stringify(mine.body)}`);
    assert.ok(Array.isArray(mine.body) && mine.body.length > 0, 'the demo gives truong.sapa a facility');
    const placed = mine.body.filter((f) => f.lat !== null && f.lon !== null);
    const facility = placed.find((f) => f.facility_type !== 'medical') ?? placed[0];
    assert.ok(facility, `one of truong.sapa's facilities has coordinates: ${JSON.stringify(mine.body)}`);
    // Medical facilities have a layer of their own.
    const layerId = facility.facility_type === 'medical' ? 'medical-facilities' : 'facility-safety';

    // The layer list, and the ETag contract of a layer (a 304 for the copy held).
    const layers = await api(baseUrl, 'GET', '/api/v1/map/layers');
    assert.equal(layers.status, 200);
    const safetyLayer = layers.body.find((l) => l.id === 'facility-safety');
    assert.ok(safetyLayer, `a facility-safety layer: ${JSON.stringify(layers.body.map((l) => l.id))}`);
    const first = await api(baseUrl, 'GET', safetyLayer.url);
    assert.equal(first.status, 200);
    const etag = first.headers.get('etag');
    assert.ok(etag, 'the layer has an ETag');
    assert.equal((await fetch(`${baseUrl}${safetyLayer.url}`, { headers: { 'If-None-Match': etag } })).status, 304, 'If-None-Match with the ETag gives 304');

    const errors = [];
    const contexts = [];
    const newPage = async (viewport = { width: 1280, height: 900 }) => {
      const context = await browser.newContext({ viewport });
      contexts.push(context);
      const page = await context.newPage();
      watchPage(page, errors);
      return page;
    };

    try {
      // (a) The public map, not signed in.
      const mapPage = await newPage({ width: 1440, height: 1000 });
      await mapPage.goto(`${baseUrl}/map`);
      await mapPage.getByTestId('map-page').waitFor({ timeout: 15_000 });
      await mapPage.locator('[data-testid="map-canvas"][data-ready="true"]').waitFor({ timeout: 15_000 });
      assert.equal(await mapPage.getByTestId('map-layer').count(), layers.body.length, 'a toggle per layer');
      const marker = mapPage.locator(`path[data-layer="${layerId}"][data-facility-id="${facility.id}"]`);
      await marker.waitFor({ state: 'attached', timeout: 15_000 });
      const before = await marker.getAttribute('data-colour');
      assert.equal(before, facility.colour, 'the marker has the facility’s colour');
      const target = before === 'green' ? 'red' : 'green';
      await mapPage.evaluate(() => {
        window.__sameDocument = true;
      });
      await shot(mapPage, 'map.png');

      // (b) truong.sapa assesses today so that the colour changes.
      const staffPage = await newPage();
      await signInStaff(staffPage, baseUrl, staff);
      await staffPage.getByTestId('app-nav-my-facilities').click();
      const row = staffPage.locator(`[data-testid="my-facility"][data-facility-id="${facility.id}"]`);
      await row.waitFor({ timeout: 15_000 });
      await row.getByTestId('my-facility-assess').click();
      const form = staffPage.getByTestId('assessment-form');
      await form.waitFor({ timeout: 15_000 });
      const kind = await form.getAttribute('data-kind');
      const criteria = await api(baseUrl, 'GET', `/api/v1/facilities/${facility.id}/criteria`);
      assert.equal(criteria.status, 200);
      assert.equal(await staffPage.getByTestId('criterion').count(), criteria.body.criteria.length, 'every criterion is asked');
      for (const c of criteria.body.criteria) {
        const answer = answerFor(c, kind, target);
        await staffPage.locator(`[data-testid="criterion"][data-criterion-id="${c.id}"] [data-option-id="${answer}"]`).check();
      }
      await staffPage.getByTestId('assessment-submit').click();
      const result = staffPage.locator(`[data-testid="assessment-result"][data-colour="${target}"]`);
      await result.waitFor({ timeout: 15_000 });
      await shot(staffPage, 'assessment.png');

      // (c) The first page follows without a reload.
      await until(`the marker turns ${target}`, async () => (await marker.getAttribute('data-colour')) === target, 15_000);
      assert.equal(await mapPage.evaluate(() => window.__sameDocument), true, 'the map page was not reloaded');
      await shot(mapPage, 'map-live.png');

      // (d) A citizen sends feedback with a photo, then a risk report.
      const citizen = { phone: `+8497${String(Date.now()).slice(-7)}`, name: 'Người dân thử' };
      const citizenPage = await newPage({ width: 420, height: 900 });
      await signInCitizen(citizenPage, baseUrl, dataDir, citizen);
      await citizenPage.goto(`${baseUrl}/facility/${facility.id}`);
      await citizenPage.getByTestId('facility-page').waitFor({ timeout: 15_000 });
      await citizenPage.locator(`[data-testid="facility-colour"][data-colour="${target}"]`).waitFor({ timeout: 15_000 });
      assert.equal((await citizenPage.getByTestId('facility-name').innerText()).trim(), facility.name);
      const feedbackText = `Cổng trường không có nước rửa tay ${Date.now()}`;
      await citizenPage.getByTestId('feedback-text-input').fill(feedbackText);
      await citizenPage.getByTestId('feedback-photo-input').setInputFiles({ name: 'cong-truong.png', mimeType: 'image/png', buffer: tinyPng() });
      await citizenPage.getByTestId('feedback-photo-input-preview').waitFor();
      await citizenPage.getByTestId('feedback-submit').click();
      await citizenPage.getByTestId('feedback-sent').waitFor({ timeout: 15_000 });
      const item = citizenPage.getByTestId('feedback-item').filter({ hasText: feedbackText });
      await item.waitFor({ timeout: 15_000 });
      assert.equal(await item.getAttribute('data-status'), 'open');
      const feedbackId = await item.getAttribute('data-feedback-id');
      await until('the feedback photo is shown', () => item.getByTestId('feedback-photo').evaluate((img) => img.complete && img.naturalWidth > 0), 15_000);
      await shot(citizenPage, 'facility.png');

      const sapa = await api(baseUrl, 'GET', `/api/v1/units/${encodeURIComponent(official.unit)}`);
      assert.equal(sapa.status, 200, `the official's unit ${official.unit}`);
      await citizenPage.getByTestId('app-nav-risk-reports').click();
      await citizenPage.getByTestId('report-form').waitFor({ timeout: 15_000 });
      await until('the report categories', async () => (await citizenPage.locator('[data-testid="report-category"] option').count()) > 1, 15_000);
      await citizenPage.getByTestId('report-category').selectOption('gathering');
      await citizenPage.getByTestId('report-unit').fill(sapa.body.name);
      await citizenPage.locator(`[data-testid="report-unit-options"] [data-code="${official.unit}"]`).click({ timeout: 15_000 });
      await citizenPage.locator('[data-testid="report-map"].leaflet-container').click();
      assert.match(await citizenPage.getByTestId('report-lat').inputValue(), /^-?\d+\.\d+$/, 'a click on the map sets the latitude');
      const reportText = `Tụ tập đông người ở chợ đêm ${Date.now()}`;
      await citizenPage.getByTestId('report-address').fill('Chợ đêm Sa Pa');
      await citizenPage.getByTestId('report-text-input').fill(reportText);
      await citizenPage.getByTestId('report-submit').click();
      await citizenPage.getByTestId('report-sent').waitFor({ timeout: 15_000 });
      const myReport = citizenPage.getByTestId('my-report').filter({ hasText: reportText });
      await myReport.waitFor({ timeout: 15_000 });
      assert.equal(await myReport.getAttribute('data-status'), 'open');
      const reportId = await myReport.getAttribute('data-report-id');
      await shot(citizenPage, 'risk-report.png');

      // The facility's staff member answers the feedback on the facility's page.
      await staffPage.getByTestId('app-nav-my-facilities').click();
      await row.getByTestId('my-facility-open').click();
      const staffItem = staffPage.locator(`[data-testid="feedback-item"][data-feedback-id="${feedbackId}"]`);
      await staffItem.waitFor({ timeout: 15_000 });
      await staffItem.getByTestId('feedback-answer-text').fill('Đã đặt thêm nước rửa tay ở cổng.');
      await staffItem.getByTestId('feedback-answer-submit').click();
      await staffPage.locator(`[data-testid="feedback-item"][data-feedback-id="${feedbackId}"][data-status="answered"]`).waitFor({ timeout: 15_000 });
      assert.match(await staffItem.getByTestId('feedback-answer').innerText(), /nước rửa tay ở cổng/);

      // (e) The official: open feedback (now answered, so not listed), then the report.
      const officialPage = await newPage({ width: 1440, height: 1000 });
      await signInStaff(officialPage, baseUrl, official);
      await officialPage.getByTestId('app-nav-open-feedback').click();
      await officialPage.locator('[data-testid="open-feedback-page"] .feedback-list, [data-testid="open-feedback-empty"]').first().waitFor({ timeout: 15_000 });
      assert.equal(await officialPage.locator(`[data-testid="feedback-item"][data-feedback-id="${feedbackId}"]`).count(), 0, 'answered feedback is not open');

      await officialPage.getByTestId('app-nav-risk-triage').click();
      const openReport = officialPage.locator(`[data-testid="triage-report"][data-report-id="${reportId}"]`);
      await openReport.waitFor({ timeout: 15_000 });
      assert.match(await openReport.innerText(), new RegExp(reportText));
      await openReport.getByTestId('triage-take').click();
      await officialPage.getByTestId('triage-done').waitFor({ timeout: 15_000 });
      await officialPage.getByTestId('triage-tab-in_progress').click();
      const taken = officialPage.locator(`[data-testid="triage-report"][data-report-id="${reportId}"][data-status="in_progress"]`);
      await taken.waitFor({ timeout: 15_000 });
      // Closing needs a note: refused here first, then sent.
      await taken.getByTestId('triage-close').click();
      await taken.getByTestId('field-error-note').waitFor();
      const note = 'Đã cử tổ công tác đến nhắc nhở, giải tán.';
      await taken.getByTestId('triage-note').fill(note);
      await taken.getByTestId('triage-close').click();
      await until('the report leaves the in-progress list', async () => (await officialPage.locator(`[data-testid="triage-report"][data-report-id="${reportId}"]`).count()) === 0, 15_000);
      await officialPage.getByTestId('triage-tab-closed').click();
      await officialPage.locator(`[data-testid="triage-report"][data-report-id="${reportId}"][data-status="closed"]`).waitFor({ timeout: 15_000 });
      await shot(officialPage, 'risk-triage.png');

      // The citizen sees the report closed, with the note.
      await until(
        'the citizen sees the report closed',
        async () => {
          await citizenPage.getByTestId('my-reports-reload').click();
          return (await citizenPage.locator(`[data-testid="my-report"][data-report-id="${reportId}"][data-status="closed"]`).count()) === 1;
        },
        15_000,
        500,
      );
      assert.equal((await myReport.getByTestId('report-note').locator('p').last().innerText()).trim(), note);

      assert.deepEqual(errors, [], 'no page or console errors');
    } finally {
      for (const context of contexts) await context.close().catch(() => {});
    }
  });
});
