// The admin console at /admin in a real headless Chromium against a running local runner, doing what support staff
// do; AdminConsoleBrowserEndToEndTest prepared the accounts (environment below) and checks the JSON report printed
// on the last line, and what the service holds afterwards. Screenshots of the main screens go to SCREENSHOTS_DIR.
//
//   BASE_URL=... ADMIN_EMAIL=... ADMIN_PASSWORD=... NON_ADMIN_EMAIL=... NON_ADMIN_PASSWORD=... USER_EMAIL=...
//   USER_NAME=... USER_ID=... DEVICE_TOKEN=... NOTIFICATION_ID=... node local/src/test/browser/admin-console.mjs
import { join } from 'node:path';
import { axe, base, screenshots, signIn, withPage } from './browser.mjs';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const user = { email: env('USER_EMAIL'), name: env('USER_NAME'), id: env('USER_ID') };
const deviceToken = env('DEVICE_TOKEN');
const notificationId = env('NOTIFICATION_ID');

await withPage({ width: 1280, height: 900 }, async (page, report) => {
  report.axe = [];
  const check = async (screen) => {
    for (const violation of await axe(page)) report.axe.push({ screen, ...violation });
  };
  const shot = (name, fullPage = false) => page.screenshot({ path: join(screenshots, name), fullPage });
  const section = (id) => page.locator(`#user-${id}`);

  await page.goto(`${base}/admin`, { waitUntil: 'load' });
  report.title = await page.title();
  await check('sign-in');

  // A user who is not an admin is turned away, with a reason, and the console keeps nothing of them.
  await signIn(page, env('NON_ADMIN_EMAIL'), env('NON_ADMIN_PASSWORD'));
  const refusal = page.locator('#sign-in-message');
  await refusal.filter({ hasText: 'not an administrator' }).waitFor();
  report.nonAdminMessage = (await refusal.textContent()).trim();
  report.nonAdminShownConsole = await page.locator('#view').isVisible();

  await signIn(page, env('ADMIN_EMAIL'), env('ADMIN_PASSWORD'));
  await page.locator('svg.chart').waitFor();
  report.dashboard = (await page.locator('#view').innerText()).replace(/\s+/g, ' ');
  report.focusAfterSignIn = await page.evaluate(() => document.activeElement?.tagName);
  await shot('admin-dashboard.png', true);
  await check('dashboard');

  // A refresh the service cannot answer now (503) leaves the admin signed in: only a 401 ends the session. The list
  // of users is answered 401 once, as to an expired token, so the console refreshes, and the refresh gets the 503.
  const unavailable = { success: false, error: 'service_unavailable', message: 'The service is unavailable; try again.' };
  const consoleErrorsBefore = report.consoleErrors.length;
  await page.route((url) => url.pathname === '/api/v1/auth/refresh',
    (route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify(unavailable) }));
  await page.route((url) => url.pathname === '/api/v1/users', (route) => route.fulfill({ status: 401,
    contentType: 'application/json', body: JSON.stringify({ success: false, error: 'invalid_token', message: 'expired' }) }), { times: 1 });
  await page.getByRole('link', { name: 'Users' }).click();
  await page.locator('#user-results [role=alert]').waitFor();
  report.afterFailedRefresh = { alert: await page.locator('#user-results [role=alert]').textContent(),
    signInShown: await page.locator('#sign-in').isVisible(), consoleShown: await page.locator('#view').isVisible() };
  await page.unrouteAll();
  // Chromium logs each refused answer; these two were made on purpose, and are checked apart from the others.
  report.injectedConsoleErrors = report.consoleErrors.splice(consoleErrorsBefore);

  // Find the user by the start of their email, then by their name, then by their id as some tools print it.
  await page.getByLabel('Email, name or id').fill(user.email.slice(0, user.email.indexOf('@') + 1));
  await page.getByRole('button', { name: 'Find' }).click();
  await page.getByRole('link', { name: user.email }).waitFor();
  report.foundByEmail = await page.getByRole('link', { name: user.email }).count();
  await page.getByLabel('Email, name or id').fill(user.name);
  await page.getByRole('button', { name: 'Find' }).click();
  await page.locator('#user-results table').waitFor();
  await page.getByRole('link', { name: user.email }).waitFor();
  report.foundByName = await page.getByRole('link', { name: user.email }).count();
  // A found account whose read fails is a failed search, not a list without it.
  const consoleErrorsBeforeFailedRead = report.consoleErrors.length;
  await page.route((url) => url.pathname === `/api/v1/users/${user.id}`, (route) => route.fulfill({ status: 503,
    contentType: 'application/json', body: JSON.stringify({ success: false, message: 'Try again', error: 'service_unavailable', data: null }) }));
  await page.getByLabel('Email, name or id').fill(user.name.toLowerCase());
  await page.getByRole('button', { name: 'Find' }).click();
  await page.locator('#user-results [role=alert]').waitFor();
  report.searchWithAFailedRead = await page.locator('#user-results').innerText();
  await page.unrouteAll();
  report.injectedConsoleErrors.push(...report.consoleErrors.splice(consoleErrorsBeforeFailedRead));
  await page.getByLabel('Email, name or id').fill(user.id.toUpperCase());
  const readById = page.waitForResponse((response) => new URL(response.url()).pathname.startsWith('/api/v1/users/'));
  await page.getByRole('button', { name: 'Find' }).click();
  await readById;
  await page.locator('#user-results').getByText('Loading…').waitFor({ state: 'detached' });
  report.foundByUpperCaseId = await page.getByRole('link', { name: user.email }).count();
  await shot('admin-users.png');
  await check('users');

  // The user's page: account, device, session and the status that came through the queue.
  await page.getByRole('link', { name: user.email }).click();
  await section('account').locator('dl').waitFor();
  await section('devices').locator('table').waitFor();
  await section('sessions').locator('table').waitFor();
  await section('history').getByText(notificationId).waitFor();
  await section('delivery').locator('table').waitFor();
  await section('preferences').locator('dl').waitFor();
  await section('profile').locator('dl').waitFor();
  report.userPage = {};
  for (const id of ['account', 'profile', 'preferences', 'delivery', 'devices', 'sessions', 'history']) {
    report.userPage[id] = (await section(id).innerText()).replace(/\s+/g, ' ');
  }
  report.deviceShown = await section('devices').locator(`code[title="${deviceToken}"]`).count();
  await shot('admin-user.png', true);
  await check('user');

  // The history's filters are the API's: a status the user has none of lists nothing, and clearing it lists the rest.
  await section('history').getByLabel('Status').selectOption('failed');
  await section('history').getByText('No notification statuses match these filters.').waitFor();
  report.historyOfFailures = (await section('history').innerText()).replace(/\s+/g, ' ');
  await section('history').getByLabel('Status').selectOption('delivered');
  await section('history').getByText(notificationId).waitFor();

  // Deactivate the device: asked in a dialog, answered with what changed.
  await section('devices').getByRole('button', { name: /^Deactivate/ }).click();
  const dialog = page.locator('dialog#confirm');
  await dialog.waitFor();
  report.dialogFocus = await page.evaluate(() => document.activeElement?.closest('dialog')?.id ?? null);
  await shot('admin-confirm.png');
  await check('dialog');
  await dialog.getByRole('button', { name: 'Deactivate' }).click();
  await page.locator('#notices .notice').filter({ hasText: 'deactivated' }).waitFor();
  report.deviceNotice = await page.locator('#notices .notice').textContent();
  await section('devices').getByText('inactive').waitFor();
  report.devicesAfter = (await section('devices').innerText()).replace(/\s+/g, ' ');

  // Escape cancels a dialog and gives focus back to the button that opened it.
  await section('account').getByRole('button', { name: 'Delete account' }).click();
  await dialog.waitFor();
  report.deleteReadyBeforeTyping = await dialog.getByRole('button', { name: 'Delete account' }).isEnabled();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  report.focusAfterCancel = await page.evaluate(() => document.activeElement?.textContent);

  // Disable the account. While its answer is awaited, neither Escape nor Cancel closes the dialog as if nothing
  // happened: the change is made whatever the dialog does.
  let answer;
  const answered = new Promise((resolve) => { answer = resolve; });
  await page.route((url) => url.pathname.startsWith('/api/v1/users/'), async (route) =>
    route.request().method() === 'PATCH' ? answered.then(() => route.continue()) : route.fallback());
  await section('account').getByRole('button', { name: 'Disable account' }).click();
  const change = page.waitForRequest((request) => request.method() === 'PATCH');
  await dialog.getByRole('button', { name: 'Disable' }).click();
  await change;
  report.cancelEnabledWhilePending = await dialog.getByRole('button', { name: 'Cancel' }).isEnabled();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  // A dialog Chromium closed anyway opens again at its close event, a moment later: judged after that moment.
  await page.waitForTimeout(300);
  report.dialogOpenAfterEscapeWhilePending = await dialog.isVisible();
  answer();
  await page.locator('#notices .notice').filter({ hasText: 'disabled' }).waitFor();
  await page.unrouteAll();
  report.disableNotice = await page.locator('#notices .notice').textContent();
  await section('account').getByRole('button', { name: 'Enable account' }).waitFor();
  await section('sessions').locator('table').waitFor();
  report.sessionsAfter = (await section('sessions').innerText()).replace(/\s+/g, ' ');
  report.endAllEnabledWithNoActiveSession = await section('sessions').getByRole('button', { name: 'End all sessions' }).isEnabled();

  await page.setViewportSize({ width: 390, height: 844 });
  await section('account').locator('dl').waitFor();
  await shot('admin-user-phone.png', true);
  report.phoneOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await check('user (phone)');
  await page.setViewportSize({ width: 1280, height: 900 });

  // On the admin's own page, the console's own session is marked, and ending them all says it signs the admin out.
  await page.evaluate((id) => { location.hash = `#/users/${id}`; }, env('ADMIN_ID'));
  await section('sessions').getByText('(this console)').waitFor();
  await section('sessions').getByRole('button', { name: 'End all sessions' }).click();
  await dialog.waitFor();
  report.endOwnSessionsText = await page.locator('#confirm-text').textContent();
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });

  report.cookies = await page.evaluate(() => document.cookie);
  report.storageKeys = await page.evaluate(() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)]);
  report.titleBeforeSignOut = await page.title();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('#sign-in').waitFor();
  report.signedOutMessage = (await page.locator('#sign-in-message').textContent()).trim();
  report.afterSignOut = { title: await page.title(), hash: await page.evaluate(() => location.hash) };

  // Leaving the page signs out too: Back, on a shared machine, must not bring a signed-in console out of the
  // browser's back/forward cache.
  await signIn(page, env('ADMIN_EMAIL'), env('ADMIN_PASSWORD'));
  await page.locator('#who-email').waitFor();
  await page.goto(`${base}/docs`, { waitUntil: 'load' });
  await page.goBack({ waitUntil: 'load' });
  await page.locator('#sign-in').waitFor();
  report.afterBack = { signInShown: await page.locator('#sign-in').isVisible(), consoleShown: await page.locator('#view').isVisible() };
});

