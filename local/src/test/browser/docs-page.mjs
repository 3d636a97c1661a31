// The /docs page in a real headless Chromium (Debian's, driven by Playwright; no browser is downloaded), against
// a running local runner. It does what a person does and prints one JSON report on its last line, which
// DocsPageBrowserEndToEndTest checks: the operations the page rendered, "Try it out" of a public operation and of
// one with a pasted token, every response the page loaded with its headers, Content-Security-Policy violations,
// console errors, and axe-core's accessibility violations. Screenshots go to SCREENSHOTS_DIR.
//
//   BASE_URL=http://localhost:3000 ACCESS_TOKEN=... node local/src/test/browser/docs-page.mjs
import { join } from 'node:path';
import { axe, base, screenshots, withPage } from './browser.mjs';

const token = process.env.ACCESS_TOKEN ?? '';

await withPage({ width: 1280, height: 900 }, async (page, report) => {
  await page.goto(`${base}/docs`, { waitUntil: 'load' });
  await page.locator('.opblock').first().waitFor();
  report.operations = await page.$$eval('.opblock', (blocks) => [...new Set(blocks.map((block) =>
    `${block.querySelector('.opblock-summary-method').textContent.trim().toUpperCase()} ${block.querySelector('[data-path]').getAttribute('data-path')}`))]);
  report.title = await page.title();
  await page.screenshot({ path: join(screenshots, 'docs.png') });

  report.health = await tryItOut(page, '#operations-health-HealthFunction');
  await page.locator('#operations-health-HealthFunction .live-responses-table').first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(screenshots, 'docs-try-it-out.png') });

  if (token) {
    await page.locator('.auth-wrapper .authorize').click();
    const dialog = page.locator('.dialog-ux .modal-ux');
    await dialog.locator('input[type="text"], input[type="password"]').first().fill(token);
    await dialog.locator('button.authorize').click();
    await dialog.locator('button.btn-done').click();
    report.me = await tryItOut(page, '#operations-users-GetCurrentUserFunction');
  }

  report.axe = await axe(page);
});

/** Opens an operation, presses "Try it out" and "Execute", and reads the live response's status and body. */
async function tryItOut(page, operation) {
  const block = page.locator(operation);
  await block.locator('.opblock-summary').first().click();
  await block.locator('button.try-out__btn').click();
  await block.locator('button.execute').click();
  const live = block.locator('.live-responses-table .response');
  await live.first().waitFor();
  return {
    status: Number((await live.locator('.response-col_status').first().textContent()).trim()),
    body: (await live.locator('.response-col_description pre').first().textContent()).trim(),
    requestUrl: (await block.locator('.request-url pre').first().textContent()).trim(),
  };
}
