// What the pages' browser scripts share: Debian's Chromium started by Playwright (no browser is downloaded), a page
// that records every response with its headers, Content-Security-Policy violations, console errors and uncaught
// errors into the script's report, and axe-core's accessibility check of what the page shows.
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

export const base = process.env.BASE_URL ?? 'http://localhost:3000';
export const screenshots = process.env.SCREENSHOTS_DIR ?? 'target/screenshots';
export const TIMEOUT = 60_000; // a busy two-core machine; every wait is for a thing on the page, never a fixed time
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs `script(page, report)` in a fresh browser and prints the report as the last line, for the Java test. */
export async function withPage(viewport, script) {
  mkdirSync(screenshots, { recursive: true });
  const report = { responses: [], cspViolations: [], consoleErrors: [], pageErrors: [] };
  // As root Chromium needs --no-sandbox; the others keep it from calling Google's hosts, which this network refuses.
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu',
    '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const context = await browser.newContext({ viewport });
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
    await script(page, report);
    report.storage = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }));
    report.cspViolations = await page.evaluate(() => window.__cspViolations);
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(report));
}

/**
 * axe-core's violations on what the page shows now. It runs through the DevTools protocol, which the page's CSP
 * does not govern (an injected <script> it would).
 */
export async function axe(page) {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const results = await window.axe.run(document, { resultTypes: ['violations'] });
    return results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
}

/** Signs in to the admin console's form. */
export async function signIn(page, email, password) {
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
