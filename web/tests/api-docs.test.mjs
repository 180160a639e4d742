// Browser test of the API reference at /api/docs: Swagger UI, bundled into the embedded web app,
// loads the server's own OpenAPI document and lists its operations, under the server's
// Content-Security-Policy (a violation is a console error, which fails the test) and without a
// single request to another origin (it works offline).
//
//   cargo build -p phongdich && (cd web && node --test tests/api-docs.test.mjs)
//
// Screenshot: <repo>/target/screenshots/api-docs.png.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, shot, startDemo, until, watchPage } from './support.mjs';

describe('API reference', { timeout: 180_000 }, () => {
  let server;
  let browser;

  before(async () => {
    server = await startDemo('phongdich-api-docs-test-');
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
  });

  test('/api/docs lists the operations of /api/v1/openapi.json', { timeout: 120_000 }, async () => {
    const { baseUrl } = server;
    const res = await fetch(`${baseUrl}/api/docs`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/, 'the page has the CSP');
    const doc = await (await fetch(`${baseUrl}/api/v1/openapi.json`)).json();
    const methods = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);
    const operations = Object.values(doc.paths).flatMap((item) => Object.keys(item).filter((m) => methods.has(m)));
    // Another address under /api is still the API's 404, not a page.
    assert.equal((await fetch(`${baseUrl}/api/nothing`)).status, 404);

    const errors = [];
    const foreign = [];
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      watchPage(page, errors);
      page.on('request', (r) => {
        const url = r.url();
        if (!url.startsWith(baseUrl) && !/^(data|blob):/.test(url)) foreign.push(url);
      });
      await page.goto(`${baseUrl}/api/docs`);
      await page.locator('.opblock').first().waitFor({ timeout: 60_000 });
      await page.getByText(doc.info.title).first().waitFor();
      // Swagger UI renders the sections in view: the first tag's operations at the top, the
      // last tag's at the bottom.
      const pathsOf = (tag) =>
        Object.entries(doc.paths).filter(([, item]) => Object.values(item).some((op) => op?.tags?.includes(tag))).map(([path]) => path);
      for (const path of pathsOf(doc.tags[0].name)) {
        await page.locator('.opblock-summary-path', { hasText: path }).first().waitFor();
      }
      await page.locator('.opblock').nth(3).waitFor();
      await until('the last tag in view', async () => {
        await page.mouse.wheel(0, 20_000);
        return page.locator('.opblock-summary-path', { hasText: pathsOf(doc.tags.at(-1).name)[0] }).count();
      }, 30_000);
      await page.evaluate(() => window.scrollTo(0, 0));
      assert.ok(operations.length > 100, `the document has every operation (${operations.length})`);
      const otp = page.locator('.opblock-post', { hasText: '/api/v1/auth/otp' }).first();
      await otp.waitFor();

      // Opening an operation shows its responses, the problem+json ones included.
      await otp.locator('.opblock-summary').first().click();
      await otp.locator('.responses-wrapper').waitFor();
      assert.match(await otp.locator('.responses-wrapper').innerText(), /202/);
      await shot(page, 'api-docs.png', false);
    } finally {
      await context.close();
    }
    assert.deepEqual(foreign, [], 'no request leaves the server');
    assert.deepEqual(errors, [], 'no page or console errors (CSP violations included)');
  });
});
