// The /docs page in a real headless Chromium (Debian's, driven by Playwright; no browser is downloaded), against
// a running local runner. It does what a person does and prints one JSON report on its last line, which
// DocsPageBrowserEndToEndTest checks: the operations the page rendered, "Try it out" of a public operation and of
// one with a pasted token, every response the page loaded with its headers, Content-Security-Policy violations,
// console errors, and axe-core's accessibility violations. Screenshots go to SCREENSHOTS_DIR.
//
//   BASE_URL=http://localhost:3000 ACCESS_TOKEN=... node local/src/test/browser/docs-page.mjs
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const base = process.env.BASE_URL ?? 'http://localhost:3000';
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const screenshots = process.env.SCREENSHOTS_DIR ?? 'target/screenshots';
const token = process.env.ACCESS_TOKEN ?? '';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TIMEOUT = 60_000; // a busy two-core machine; every wait is for a thing on the page, never a fixed time

mkdirSync(screenshots, { recursive: true });
const report = { responses: [], cspViolations: [], consoleErrors: [], pageErrors: [] };
// As root Chromium needs --no-sandbox; the others keep it from calling Google's hosts, which this network refuses.
const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu',
  '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`));
  });
  page.on('response', async (response) => {
    report.responses.push({ url: response.url(), status: response.status(), headers: await response.allHeaders() });
  });
  page.on('console', (message) => { if (message.type() === 'error') report.consoleErrors.push(message.text()); });
  page.on('pageerror', (error) => report.pageErrors.push(String(error)));

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

  report.storage = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }));
  report.cspViolations = await page.evaluate(() => window.__cspViolations);
  // axe-core runs through the DevTools protocol, which the page's CSP does not govern (an injected <script> it would).
  await page.evaluate(axeSource);
  report.axe = await page.evaluate(async () => {
    const results = await window.axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));

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
