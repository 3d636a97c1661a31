// The admin console's choices of account type and plan, in a real headless Chromium against a local runner whose
// AccountTypes and Plans are not the defaults: AdminConsoleChoicesBrowserEndToEndTest checks the report printed on
// the last line.
//
//   BASE_URL=... ADMIN_EMAIL=... ADMIN_PASSWORD=... USER_ID=... node local/src/test/browser/admin-console-choices.mjs
import { base, signIn, withPage } from './browser.mjs';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const options = (select) => select.locator('option').evaluateAll((all) => all.map((option) => option.value));

await withPage({ width: 1280, height: 900 }, async (page, report) => {
  // Straight to a user's page, as a link from a ticket opens it: the dashboard's metrics are never shown first.
  await page.goto(`${base}/admin#/users/${env('USER_ID')}`, { waitUntil: 'load' });

  // The sign-in's read of the metrics meets a refused token (and so does the refresh it tries): the session is
  // ended, and the sign-in form says so, with nothing of the console shown.
  const refused = { success: false, error: 'invalid_token', message: 'expired' };
  const consoleErrorsBefore = report.consoleErrors.length;
  for (const path of ['/api/v1/metrics', '/api/v1/auth/refresh']) {
    await page.route((url) => url.pathname === path,
      (route) => route.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify(refused) }), { times: 1 });
  }
  await signIn(page, env('ADMIN_EMAIL'), env('ADMIN_PASSWORD'));
  await page.locator('#sign-in-message').filter({ hasText: /\S/ }).waitFor();
  report.afterRefusedRead = { message: (await page.locator('#sign-in-message').textContent()).trim(),
    signInShown: await page.locator('#sign-in').isVisible(), navShown: await page.locator('#nav').isVisible() };
  await page.unrouteAll();
  report.injectedConsoleErrors = report.consoleErrors.splice(consoleErrorsBefore);

  await signIn(page, env('ADMIN_EMAIL'), env('ADMIN_PASSWORD'));
  await page.locator('#user-account').getByRole('button', { name: 'Change plan' }).click();
  await page.locator('#confirm').waitFor();
  report.planDialog = await options(page.locator('#confirm-choice'));
  await page.keyboard.press('Escape');
  await page.locator('#confirm').waitFor({ state: 'hidden' });
  await page.locator('#user-account').getByRole('button', { name: 'Change type' }).click();
  await page.locator('#confirm').waitFor();
  report.typeDialog = await options(page.locator('#confirm-choice'));
  await page.keyboard.press('Escape');
  await page.locator('#confirm').waitFor({ state: 'hidden' });

  await page.evaluate(() => { location.hash = '#/users'; });
  await page.locator('#filter-plan').waitFor();
  report.planFilter = await options(page.locator('#filter-plan'));
  report.typeFilter = await options(page.locator('#filter-type'));
});
