// The admin console: one file, no framework, no build step. It speaks only to the API of the origin that served
// it (the page's CSP allows nothing else), with the signed-in admin's own tokens, so it shows nothing that admin
// could not read with curl. Tokens live in this module's memory only: never in storage or cookies, so a reload, a
// closed tab or leaving the page forgets them. Every value from the API reaches the page as text (textContent,
// attributes), never as markup, and with its direction controls shown rather than obeyed (visible).

const API = '/api/v1';
const REFRESH_MARGIN_MS = 30_000; // refresh this long before the access token runs out
const PAGE_SIZE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUSES = ['queued', 'sent', 'delivered', 'opened', 'failed', 'bounced'];
const REASONS = {
  channel_disabled: 'switched off by the user, or the account is disabled',
  category_opt_out: 'the user opted out of this category',
  email_bounced: 'email to this address bounced',
  email_unverified: 'the email address is not verified',
  no_active_devices: 'no active device to push to',
  quiet_hours: 'inside the user\'s quiet hours',
};
const END_REASONS = {
  logout: 'signed out', logout_all: 'signed out everywhere', revoked: 'ended from another session',
  password_changed: 'password changed', password_reset: 'password reset', refresh_reuse: 'refresh token reused (revoked)',
  expired_idle: 'expired (unused for 7 days)', expired_absolute: 'expired (30 days after sign-in)',
  admin: 'ended by an administrator', session_limit: 'too many sessions', account_deleted: 'account deleted',
};

const CONSOLE_TITLE = document.title;
/**
 * Controls that turn text around (U+202A-U+202E, U+2066-U+2069). Names and profile texts refuse them, but a device's
 * name, an attribute's value or a text stored before those rules may hold one, and obeyed it would reverse what the
 * console says around it ("Work phone<U+202E>exe.gpj" shown as "Work phonejpg.exe"): the console shows them as codes.
 */
const DIRECTION_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

function visible(text) {
  return String(text).replace(DIRECTION_CONTROLS, (control) => `⟨U+${control.codePointAt(0).toString(16).toUpperCase()}⟩`);
}

const session = { access: null, refresh: null, expiresAt: 0, user: null, refreshing: null };
/**
 * The account types and plans an admin may choose, the deployment's own (AccountTypes, Plans), as the metrics name
 * them: read at sign-in, and again when a choice is to be made while that read has failed. Until one succeeds the
 * values seen on accounts stand in.
 */
const offered = { types: null, plans: null };
const seen = { types: new Set(), plans: new Set() };
const choices = (kind) => offered[kind] ?? [...seen[kind]];

/** Takes the deployment's types and plans from the metrics' `users`, when it names them. */
function takeOffered(users) {
  if (users?.plans) Object.assign(offered, { types: users.types, plans: users.plans });
}

/** Reads the deployment's types and plans, once it works; a failure leaves the values seen, and is thrown. */
async function readOffered() {
  if (!offered.plans) takeOffered((await call('GET', '/metrics')).data.users);
}
const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------------------------------------------------------
// The API, with the session's tokens
// ---------------------------------------------------------------------------------------------------------------

/** An answer the API refused: its status, error code and message, as the envelope says. */
class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `The service answered ${status}`);
    this.status = status;
    this.code = body?.error || 'http_' + status;
    this.details = body?.details || [];
  }
}

async function call(method, path, body) {
  if (session.refresh && Date.now() > session.expiresAt - REFRESH_MARGIN_MS) {
    await refresh();
  }
  let response = await send(method, path, body, session.access);
  if (response.status === 401 && session.refresh) {
    await refresh();
    response = await send(method, path, body, session.access);
  }
  const envelope = await response.json().catch(() => null);
  if (response.status === 401 && path !== '/auth/login') {
    endLocally('Your session has ended. Sign in again.');
  }
  if (!response.ok || !envelope?.success) {
    throw new ApiError(response.status, envelope);
  }
  return envelope;
}

function send(method, path, body, token) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return fetch(API + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit', cache: 'no-store' });
}

/** One refresh at a time: calls that find the token expiring together wait for the same new pair. */
function refresh() {
  session.refreshing ??= (async () => {
    try {
      const response = await send('POST', '/auth/refresh', { refresh_token: session.refresh });
      const envelope = await response.json().catch(() => null);
      if (!response.ok || !envelope?.success) {
        // Only a 401 says the session is over; a 503 or a 429 is worth trying again with the same refresh token.
        if (response.status === 401) endLocally('Your session has ended. Sign in again.');
        throw new ApiError(response.status, envelope);
      }
      keep(envelope.data);
    } finally {
      session.refreshing = null;
    }
  })();
  return session.refreshing;
}

function keep(grant) {
  session.access = grant.access_token;
  session.refresh = grant.refresh_token;
  session.expiresAt = Date.now() + grant.expires_in * 1000;
  if (grant.user) session.user = grant.user;
}

const path = (template, ...values) => template.reduce((out, part, i) =>
  out + part + (i < values.length ? encodeURIComponent(values[i]) : ''), '');

function query(params) {
  const entries = Object.entries(params).filter(([, value]) => value !== undefined && value !== null && value !== '');
  return entries.length ? '?' + new URLSearchParams(entries).toString() : '';
}

// ---------------------------------------------------------------------------------------------------------------
// Signing in and out
// ---------------------------------------------------------------------------------------------------------------

async function signIn(event) {
  event.preventDefault();
  const message = $('sign-in-message');
  message.textContent = '';
  const email = $('email').value.trim();
  const password = $('password').value;
  if (!email || !password) {
    message.textContent = 'Enter your email and password.';
    return;
  }
  let grant;
  try {
    const response = await send('POST', '/auth/login', { email, password });
    const envelope = await response.json().catch(() => null);
    if (!response.ok || !envelope?.success) throw new ApiError(response.status, envelope);
    grant = envelope.data;
  } catch (error) {
    message.textContent = error.code === 'invalid_credentials' ? 'The email or password is wrong.'
      : error.code === 'account_disabled' ? 'This account is disabled.' : `Could not sign in: ${error.message}`;
    return;
  }
  if (grant.user?.role !== 'admin') {
    // Not ours to keep: end the session it just started, so no token of it outlives this refusal.
    await send('POST', '/auth/logout', undefined, grant.access_token).catch(() => {});
    message.textContent = 'This account is not an administrator, so it cannot use the admin console. '
      + 'Its sign-in was ended; sign in with an admin account.';
    return;
  }
  keep(grant);
  $('password').value = '';
  $('sign-in-form').reset();
  try {
    await readOffered();
  } catch {
    // Read again when a choice is to be made; a refused token has already ended the session here.
    if (!session.access) return;
  }
  showConsole();
  if (!location.hash || location.hash === '#/' || location.hash === '#') location.hash = '#/dashboard';
  else route();
}

async function signOut() {
  try {
    await call('POST', '/auth/logout');
  } catch {
    // The session is forgotten here either way; the server ends it when the token runs out.
  }
  endLocally('You are signed out.');
}

function endLocally(text) {
  Object.assign(session, { access: null, refresh: null, expiresAt: 0, user: null });
  // Nothing of the last page shown stays in the tab for the next person at this machine: its title and address
  // named the user. A link followed before signing in (a user's page from a ticket) is kept until it is shown.
  if (!$('view').hidden) {
    document.title = CONSOLE_TITLE;
    window.history.replaceState(null, '', location.pathname + location.search);
  }
  if ($('confirm').open) $('confirm').close();
  $('nav').hidden = true;
  $('who').hidden = true;
  $('view').hidden = true;
  $('view').replaceChildren();
  $('notices').replaceChildren();
  $('sign-in').hidden = false;
  $('sign-in-message').textContent = text;
  $('email').focus();
}

function showConsole() {
  $('sign-in').hidden = true;
  $('sign-in-message').textContent = '';
  $('nav').hidden = false;
  $('who').hidden = false;
  $('who-email').textContent = session.user.email;
  $('view').hidden = false;
}

// ---------------------------------------------------------------------------------------------------------------
// Building the page: elements from data, as text
// ---------------------------------------------------------------------------------------------------------------

/** An element; strings and numbers among the children become text nodes, null and false are left out. */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(visible(child)));
  }
  return element;
}

function time(iso, zone) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  const date = new Date(iso);
  const text = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone })
    .format(date);
  return h('time', { datetime: iso, title: iso }, text);
}

function yesNo(value) {
  return h('span', { class: value ? 'pill ok' : 'pill no' }, value ? 'yes' : 'no');
}

function pill(text, kind) {
  return h('span', { class: `pill ${kind}` }, text);
}

function definitions(rows) {
  return h('dl', { class: 'facts' }, rows.filter(Boolean).flatMap(([term, value]) =>
    [h('dt', {}, term), h('dd', {}, value ?? h('span', { class: 'muted' }, '—'))]));
}

/** A table that scrolls sideways on a phone; the wrapper takes focus so a keyboard can scroll it too. */
function table(caption, headings, rows, empty) {
  if (!rows.length) return h('p', { class: 'muted' }, empty);
  return h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': `${caption} (table)` },
    h('table', { class: headings.length > 3 ? 'many' : null },
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, headings.map((heading) => h('th', { scope: 'col' }, heading)))),
      h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((cell) => h('td', {}, cell)))))));
}

function section(id, title, ...children) {
  return h('section', { class: 'card', id, 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, title), ...children);
}

/** Fills a section from a load; a refusal or failure shows in that section alone. */
async function fill(container, load) {
  container.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  try {
    container.replaceChildren(...[await load()].flat().filter(Boolean));
  } catch (error) {
    container.replaceChildren(problem(error));
  }
}

function problem(error) {
  const text = error instanceof ApiError
    ? error.status === 404 ? `Not available (404 ${error.code}): ${error.message}`
      : error.status === 403 ? `Not allowed (403 ${error.code}): ${error.message}`
        : `${error.message} (${error.status} ${error.code})`
    : `Something went wrong: ${error.message}`;
  return h('p', { class: 'message', role: 'alert' }, text);
}

/** What an action changed, shown above the view and focused, so a keyboard user lands on it. */
function notice(text) {
  const shown = h('p', { class: 'notice', tabindex: -1 }, text);
  $('notices').replaceChildren(shown);
  shown.focus();
}

/** A notice for the next view, after an action that leaves the current one. */
let flash = null;

function remember(kind, values) {
  for (const value of values) if (value) seen[kind].add(value);
}

// ---------------------------------------------------------------------------------------------------------------
// The confirmation dialog
// ---------------------------------------------------------------------------------------------------------------

/**
 * Asks before an action: a modal <dialog> (focus moves in, Escape cancels, focus returns to the opener). `act` runs
 * on confirm; a refusal keeps the dialog open with the reason. Resolves with act's answer, or null when cancelled.
 */
function confirmAction({ title, text, confirm, danger = false, extra = null, ready = () => true, act }) {
  const dialog = $('confirm');
  const opener = document.activeElement;
  $('confirm-title').textContent = title;
  $('confirm-text').textContent = visible(text);
  $('confirm-extra').replaceChildren(...(extra ? [extra] : []));
  $('confirm-error').textContent = '';
  const ok = $('confirm-ok');
  ok.textContent = confirm;
  ok.className = danger ? 'danger' : '';
  const update = () => { ok.disabled = !ready(); };
  update();
  $('confirm-extra').oninput = update;
  const cancel = $('confirm-cancel');
  return new Promise((resolve) => {
    let result = null;
    let pending = false;
    // Once sent, the action happens whatever the dialog does: it stays open until the answer says how it went.
    const holdWhilePending = (event) => { if (pending) event.preventDefault(); };
    const finish = () => {
      // Closed all the same (Chromium lets a page hold back only one Escape per user action): open again until the
      // answer comes.
      if (pending) {
        dialog.showModal();
        return;
      }
      dialog.removeEventListener('close', finish);
      dialog.removeEventListener('cancel', holdWhilePending);
      $('confirm-form').onsubmit = null;
      cancel.onclick = null;
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
      resolve(result);
    };
    cancel.disabled = false;
    cancel.onclick = () => dialog.close();
    $('confirm-form').onsubmit = async (event) => {
      event.preventDefault();
      if (!ready() || pending) return;
      pending = true;
      ok.disabled = true;
      cancel.disabled = true;
      try {
        result = await act();
        pending = false;
        dialog.close();
      } catch (error) {
        pending = false;
        cancel.disabled = false;
        $('confirm-error').textContent = error.message + (error.code ? ` (${error.code})` : '');
        update();
      }
    };
    dialog.addEventListener('cancel', holdWhilePending);
    dialog.addEventListener('close', finish);
    dialog.showModal();
    (dialog.querySelector('#confirm-extra input, #confirm-extra select') ?? $('confirm-cancel')).focus();
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------------------------------------------

function route() {
  if (!session.access) return;
  const [where, rawQuery = ''] = location.hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(rawQuery);
  const parts = where.split('/').filter(Boolean);
  for (const link of document.querySelectorAll('#nav a')) {
    const current = link.getAttribute('href').slice(1) === '/' + (parts[0] ?? 'dashboard');
    if (current) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  const view = $('view');
  $('notices').replaceChildren();
  if (parts[0] === 'users' && parts[1] && UUID.test(parts[1])) userPage(view, parts[1].toLowerCase());
  else if (parts[0] === 'users') usersPage(view, params);
  else dashboard(view);
  const heading = view.querySelector('h1');
  heading.setAttribute('tabindex', '-1');
  heading.focus();
  if (flash) {
    notice(flash);
    flash = null;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Dashboard
// ---------------------------------------------------------------------------------------------------------------

function dashboard(view) {
  document.title = 'Dashboard · user-service admin';
  const body = h('div', { class: 'grid' });
  view.replaceChildren(h('h1', {}, 'Dashboard'), body);
  fill(body, async () => {
    const metrics = (await call('GET', '/metrics')).data;
    takeOffered(metrics.users);
    const counts = (kind, values) => section(`count-${kind.toLowerCase()}`, `Users by ${kind.toLowerCase()}`,
      table(`Users by ${kind.toLowerCase()}`, [kind, 'Users'], Object.entries(values ?? {}).map(([key, n]) => [key, String(n)]), 'None yet.'));
    return [
      counts('Status', metrics.users?.by_status),
      counts('Type', metrics.users?.by_type),
      counts('Plan', metrics.users?.by_plan),
      section('live', 'Right now', definitions([
        ['Active sessions', String(metrics.sessions?.active ?? 0)],
        ['Active devices', String(metrics.devices?.active ?? 0)]])),
      h('section', { class: 'card wide', 'aria-labelledby': 'chart-title' },
        h('h2', { id: 'chart-title' }, 'Notification statuses, last 24 hours'),
        chart(metrics)),
    ];
  });
}

/** The statuses of the last 24 hours as an SVG drawn here: stacked bars per hour, or one bar per status. */
function chart(metrics) {
  const hours = metrics.notifications_by_hour;
  if (Array.isArray(hours) && hours.length) {
    const series = hours.map((hour) => ({ label: hour.hour, counts: hour.by_status ?? {} }));
    return bars(series, true);
  }
  const totals = {};
  for (const channel of Object.values(metrics.notifications_last_24_hours ?? {})) {
    for (const [status, n] of Object.entries(channel)) totals[status] = (totals[status] ?? 0) + n;
  }
  return bars(STATUSES.map((status) => ({ label: status, counts: { [status]: totals[status] ?? 0 } })), false);
}

function bars(series, hourly) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = (tag, attributes, ...children) => {
    const element = document.createElementNS(ns, tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
    return append(element, children);
  };
  const width = 720, height = 240, left = 40, bottom = 28, top = 10;
  const totals = series.map((item) => Object.values(item.counts).reduce((a, b) => a + b, 0));
  // An even top, so the middle line is a whole number too.
  const max = Math.max(...totals) <= 1 ? 1 : Math.ceil(Math.max(...totals) / 2) * 2;
  const slot = (width - left) / series.length;
  const sum = totals.reduce((a, b) => a + b, 0);
  const description = sum === 0 ? 'No notification statuses were recorded in the last 24 hours.'
    : STATUSES.map((status) => `${status} ${series.reduce((n, item) => n + (item.counts[status] ?? 0), 0)}`)
      .filter((text) => !text.endsWith(' 0')).join(', ');
  const graphic = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'chart-svg-title chart-svg-desc', class: 'chart' },
    svg('title', { id: 'chart-svg-title' }, hourly ? 'Statuses per hour' : 'Statuses in total'),
    svg('desc', { id: 'chart-svg-desc' }, description));
  for (const fraction of max === 1 ? [0, 1] : [0, 0.5, 1]) {
    const y = top + (height - top - bottom) * (1 - fraction);
    graphic.append(svg('line', { x1: left, x2: width, y1: y, y2: y, class: 'grid-line' }),
      svg('text', { x: left - 6, y: y + 4, class: 'axis', 'text-anchor': 'end' }, String(max * fraction)));
  }
  series.forEach((item, index) => {
    let y = height - bottom;
    const x = left + index * slot + slot * 0.15;
    for (const status of STATUSES) {
      const n = item.counts[status] ?? 0;
      if (!n) continue;
      const tall = (height - top - bottom) * n / max;
      y -= tall;
      graphic.append(svg('rect', { x, y, width: slot * 0.7, height: tall, class: `bar s-${status}` },
        svg('title', {}, `${hourly ? hourLabel(item.label) + ': ' : ''}${n} ${status}`)));
    }
    if (!hourly || index % 3 === 0) {
      graphic.append(svg('text', { x: x + slot * 0.35, y: height - 8, class: 'axis', 'text-anchor': 'middle' },
        hourly ? hourLabel(item.label) : item.label));
    }
  });
  const legend = h('ul', { class: 'legend', 'aria-label': 'Colours of the chart' },
    STATUSES.map((status) => h('li', {}, h('span', { class: `swatch s-${status}`, 'aria-hidden': 'true' }), status)));
  return [graphic, legend, h('p', { class: 'muted' }, sum === 0 ? description : `In total: ${description}.`)];
}

function hourLabel(iso) {
  return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

// ---------------------------------------------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------------------------------------------

function usersPage(view, params) {
  document.title = 'Users · user-service admin';
  if (!offered.plans) readOffered().then(route, () => {}); // the filters again, once the deployment's are known
  const q = params.get('q') ?? '';
  const filters = { status: params.get('status') ?? '', type: params.get('type') ?? '', plan: params.get('plan') ?? '' };
  const select = (name, label, choices) => [
    h('label', { for: `filter-${name}` }, label),
    h('select', { id: `filter-${name}`, name },
      h('option', { value: '' }, 'Any'),
      choices.map((choice) => h('option', { value: choice, selected: choice === filters[name] }, choice))),
  ];
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Find users', onsubmit: (event) => {
    event.preventDefault();
    const data = new FormData(event.target);
    location.hash = '#/users' + query({ q: String(data.get('q')).trim(), status: data.get('status'),
      type: data.get('type'), plan: data.get('plan') });
  } },
  h('div', { class: 'field grow' }, h('label', { for: 'filter-q' }, 'Email, name or id'),
    h('input', { id: 'filter-q', name: 'q', type: 'search', value: q, autocomplete: 'off',
      'aria-describedby': 'filter-q-help' }),
    h('small', { id: 'filter-q-help' }, 'The start of an email or name, or a whole user id.')),
  h('div', { class: 'field' }, select('status', 'Status', ['active', 'disabled'])),
  h('div', { class: 'field' }, select('type', 'Type', choices('types'))),
  h('div', { class: 'field' }, select('plan', 'Plan', choices('plans'))),
  h('button', { type: 'submit' }, 'Find'));
  const results = h('div', { id: 'user-results' });
  view.replaceChildren(h('h1', {}, 'Users'), h('section', { class: 'card', 'aria-label': 'Find users' }, form), results);
  showUsers(results, q, filters, params.get('cursor') ?? '');
}

/**
 * A whole id opens that user; an email (with "@") or no text lists accounts in email order with the filters
 * applied by the API; other text finds names and usernames (and emails) by their start, and the filters keep the
 * matching accounts of each page of what was found.
 */
function showUsers(results, q, filters, cursor) {
  fill(results, async () => {
    let users, meta = {};
    if (UUID.test(q)) {
      try {
        users = [(await call('GET', path`/users/${q.toLowerCase()}`)).data];
      } catch (error) {
        if (error.status !== 404) throw error;
        users = [];
      }
    } else if (!q || q.includes('@')) {
      const answer = await call('GET', '/users' + query({ email_prefix: q || undefined, status: filters.status,
        type: filters.type, plan: filters.plan, limit: PAGE_SIZE, cursor }));
      users = answer.data;
      meta = answer.meta ?? {};
    } else {
      const answer = await call('GET', '/users/search' + query({ q, limit: PAGE_SIZE, cursor }));
      meta = answer.meta ?? {};
      // Search answers names only: each account is read for the columns and filters. One deleted since is left
      // out; any other failure fails the search, rather than leave out an account that exists.
      users = (await Promise.all(answer.data.map((found) =>
        call('GET', path`/users/${found.id}`).then((r) => r.data, (error) => {
          if (error.status !== 404) throw error;
          return null;
        })))).filter(Boolean);
      users = users.filter((user) => (!filters.status || user.status === filters.status)
        && (!filters.type || user.type === filters.type) && (!filters.plan || user.plan === filters.plan));
    }
    remember('types', users.map((user) => user.type));
    remember('plans', users.map((user) => user.plan));
    const rows = users.map((user) => [
      h('a', { href: `#/users/${encodeURIComponent(user.id)}` }, user.email),
      user.name ?? '', statusPill(user.status), user.type, user.role, user.plan, yesNo(user.email_verified),
      time(user.created_at)]);
    const here = { q, ...filters };
    const pager = h('nav', { class: 'pager', 'aria-label': 'Pages of users' },
      cursor ? h('a', { href: '#/users' + query(here) }, '← First page') : null,
      meta.has_next && meta.next_cursor ? h('a', { href: '#/users' + query({ ...here, cursor: meta.next_cursor }) }, 'Next page →') : null);
    return [
      table('Users', ['Email', 'Name', 'Status', 'Type', 'Role', 'Plan', 'Verified', 'Created'], rows,
        q ? 'No user matches.' : 'No users yet.'),
      pager];
  });
}

function statusPill(status) {
  return pill(status, status === 'active' ? 'ok' : 'no');
}

// ---------------------------------------------------------------------------------------------------------------
// One user
// ---------------------------------------------------------------------------------------------------------------

function userPage(view, id) {
  document.title = 'User · user-service admin';
  const heading = h('h1', {}, 'User');
  const sub = h('p', { class: 'muted id' }, id);
  const parts = {};
  for (const [key, title] of [['account', 'Account'], ['profile', 'Profile and attributes'],
    ['preferences', 'Preferences'], ['delivery', 'Notifications as a pipeline sees them now'],
    ['devices', 'Devices'], ['sessions', 'Sessions'], ['history', 'Notification history']]) {
    parts[key] = h('div', { class: 'body' });
    parts[`${key}Section`] = section(`user-${key}`, title, parts[key]);
  }
  view.replaceChildren(heading, sub, h('div', { class: 'grid user' },
    parts.accountSection, parts.profileSection, parts.preferencesSection,
    h('div', { class: 'wide' }, parts.deliverySection), h('div', { class: 'wide' }, parts.devicesSection), h('div', { class: 'wide' }, parts.sessionsSection),
    h('div', { class: 'wide' }, parts.historySection)));

  const page = { id, user: null, parts, heading };
  page.reloadAccount = () => fill(parts.account, () => account(page));
  page.reloadDelivery = () => fill(parts.delivery, () => delivery(page));
  page.reloadDevices = () => fill(parts.devices, () => devices(page));
  page.reloadSessions = (number = 1) => fill(parts.sessions, () => sessions(page, number));
  page.reloadAccount().then(() => {
    fill(parts.preferences, () => preferences(page));
  });
  fill(parts.profile, () => profile(page));
  page.reloadDelivery();
  page.reloadDevices();
  // Without the sessions, the last sign-in is unknown rather than loading for good.
  page.reloadSessions().then(() => {
    page.lastSignIn ??= null;
    page.showLastSignIn?.(page.lastSignIn);
  });
  fill(parts.history, () => history(page, { channel: '', status: '', cursors: [''] }));
}

async function account(page) {
  const user = (await call('GET', path`/users/${page.id}`)).data;
  page.user = user;
  page.heading.textContent = visible(user.name ? user.name : user.email);
  document.title = `${visible(user.email)} · user-service admin`;
  remember('types', [user.type]);
  remember('plans', [user.plan]);
  const self = user.id === session.user.id;
  const lastSignIn = h('span', { id: 'last-sign-in' }, h('span', { class: 'muted' }, '…'));
  page.showLastSignIn = (iso) => lastSignIn.replaceChildren(time(iso));
  if (page.lastSignIn !== undefined) page.showLastSignIn(page.lastSignIn);
  const actions = h('div', { class: 'actions' },
    h('button', { type: 'button', disabled: self, onclick: () => toggleStatus(page) },
      user.status === 'active' ? 'Disable account' : 'Enable account'),
    h('button', { type: 'button', disabled: self, onclick: () => chooseOffered(page, 'type', 'Change type') }, 'Change type'),
    h('button', { type: 'button', disabled: self, onclick: () => choose(page, 'role', 'Change role', ['user', 'admin']) }, 'Change role'),
    h('button', { type: 'button', onclick: () => chooseOffered(page, 'plan', 'Change plan') }, 'Change plan'),
    h('button', { type: 'button', onclick: () => passwordReset(page) }, 'Send password reset'),
    h('button', { type: 'button', class: 'danger', disabled: self, onclick: () => deleteAccount(page) }, 'Delete account'));
  return [definitions([
    ['Email', user.email],
    ['Status', statusPill(user.status)],
    ['Roles', user.role],
    ['Type', user.type],
    ['Plan', user.plan],
    ['Email verified', yesNo(user.email_verified)],
    ['Created', time(user.created_at)],
    ['Last sign-in', lastSignIn],
    ['Time zone', user.timezone],
    ['Locale', user.locale],
    user.username ? ['Username', user.username] : null,
    user.phone ? ['Phone', user.phone] : null,
  ]), self ? h('p', { class: 'muted' }, 'This is your own account: its status and role are changed by another admin.') : null,
  actions];
}

async function profile(page) {
  const data = (await call('GET', path`/users/${page.id}/profile`)).data;
  const attributes = Object.entries(data.attributes ?? {});
  return [definitions([
    ['Name', data.name],
    ['Title', data.title],
    ['Location', data.location],
    ['Bio', data.bio],
    ['Avatar', data.avatar_url],
    ['Links', data.links?.length ? h('ul', { class: 'plain' }, data.links.map((link) =>
      h('li', {}, typeof link === 'string' ? link : `${link.label ?? ''} ${link.url ?? ''}`.trim()))) : null],
  ]), h('h3', {}, 'Attributes'),
  table('Attributes', ['Name', 'Value'], attributes.map(([name, value]) =>
    [name, typeof value === 'string' ? value : JSON.stringify(value)]), 'No attributes.')];
}

async function preferences(page) {
  const data = (await call('GET', path`/users/${page.id}/preferences`)).data;
  const zone = page.user?.timezone ?? 'UTC';
  const quiet = data.quiet_hours_start && data.quiet_hours_end
    ? `${data.quiet_hours_start}–${data.quiet_hours_end} in ${zone}` : 'None';
  const now = new Intl.DateTimeFormat(undefined, { timeStyle: 'short', timeZone: zone }).format(new Date());
  const categories = Object.entries(data.categories ?? {});
  return [definitions([
    ['Email', yesNo(data.email)],
    ['Push', yesNo(data.push)],
    ['Quiet hours', quiet],
    ['The user\'s time now', `${now} (${zone})`],
    ['Updated', time(data.updated_at)],
  ]), h('h3', {}, 'Categories'),
  table('Categories', ['Category', 'Email', 'Push'], categories.map(([name, channels]) =>
    [name, channelSwitch(channels, 'email'), channelSwitch(channels, 'push')]), 'No category settings: all on.')];
}

function channelSwitch(value, channel) {
  if (typeof value === 'boolean') return yesNo(value);
  return value && channel in value ? yesNo(value[channel]) : h('span', { class: 'muted' }, 'default');
}

async function delivery(page) {
  const data = (await call('GET', path`/internal/users/${page.id}/notification-profile`)).data;
  const zone = data.timezone;
  const rows = ['email', 'push'].map((channel) => {
    const state = data.channels?.[channel] ?? {};
    return [channel, yesNo(state.enabled),
      state.allowed_now ? pill('allowed', 'ok') : pill('held', 'no'),
      state.allowed_now ? h('span', { class: 'muted' }, '—') : `${state.reason}: ${REASONS[state.reason] ?? ''}`,
      channel === 'push' ? String(state.tokens?.length ?? 0) : (data.email_verified ? 'verified' : 'unverified')];
  });
  return [table('Channels now', ['Channel', 'Switched on', 'Now', 'Why not', 'Targets'], rows, ''),
    definitions([
      ['Inside quiet hours', yesNo(data.quiet_hours_active)],
      data.quiet_hours_end_at ? ['Quiet hours end', [time(data.quiet_hours_end_at, zone), ` (${zone})`]] : null,
    ])];
}

async function devices(page) {
  const answer = await call('GET', path`/users/${page.id}/devices` + query({ limit: 100 }));
  const rows = answer.data.map((device) => [
    device.platform, device.device_name ?? '', device.active ? pill('active', 'ok') : pill('inactive', 'no'),
    time(device.last_seen_at), device.deactivated_reason ?? (device.active ? '' : '—'),
    h('code', { title: device.token }, shorten(device.token)),
    device.active ? h('button', { type: 'button', class: 'small', 'aria-label': `Deactivate the ${device.platform} device ${shorten(device.token)}`,
      onclick: () => deactivateDevice(page, device) }, 'Deactivate') : '']);
  return table('Devices', ['Platform', 'Name', 'State', 'Last seen', 'Deactivated because', 'Token', ''], rows,
    'No devices registered.');
}

function shorten(text) {
  return text && text.length > 16 ? `${text.slice(0, 8)}…${text.slice(-6)}` : text ?? '';
}

async function sessions(page, number) {
  const answer = await call('GET', path`/users/${page.id}/sessions` + query({ state: 'all', page: number, limit: PAGE_SIZE }));
  const all = answer.data;
  const latest = all.map((s) => s.created_at).sort().at(-1) ?? null;
  if (number === 1) {
    page.lastSignIn = latest;
    page.showLastSignIn?.(latest);
  }
  const rows = all.map((s) => [
    s.ended_at ? pill('ended', 'no') : pill('active', 'ok'), time(s.created_at), time(s.last_used_at),
    s.ended_at ? time(s.ended_at) : '', s.end_reason ? `${s.end_reason}: ${END_REASONS[s.end_reason] ?? ''}` : '',
    s.current ? `${s.device_name ?? s.user_agent ?? ''} (this console)` : s.device_name ?? s.user_agent ?? '', s.ip ?? '',
    s.ended_at ? '' : h('button', { type: 'button', class: 'small', 'aria-label': `End the session signed in ${s.created_at}`,
      onclick: () => endSession(page, s) }, 'End')]);
  const meta = answer.meta ?? {};
  return [
    // Never disabled: a page of ended sessions says nothing of the older pages, and ending none is harmless.
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => endAllSessions(page) }, 'End all sessions')),
    table('Sessions', ['State', 'Signed in', 'Last used', 'Ended', 'How it ended', 'Device or browser', 'IP', ''], rows,
      'No sessions in the last 30 days.'),
    h('nav', { class: 'pager', 'aria-label': 'Pages of sessions' },
      meta.has_previous ? h('button', { type: 'button', class: 'quiet', onclick: () => page.reloadSessions(number - 1) }, '← Newer') : null,
      meta.has_next ? h('button', { type: 'button', class: 'quiet', onclick: () => page.reloadSessions(number + 1) }, 'Older →') : null),
  ];
}

/** The history, filtered by channel and status and paged by the API's cursors. */
async function history(page, state) {
  const cursor = state.cursors.at(-1);
  const answer = await call('GET', path`/users/${page.id}/notifications` + query({ channel: state.channel, status: state.status,
    cursor: cursor || undefined, limit: PAGE_SIZE }));
  const entries = answer.data;
  const again = (next) => fill(page.parts.history, () => history(page, next));
  const filter = (name, label, choices) => h('div', { class: 'field' },
    h('label', { for: `history-${name}` }, label),
    h('select', { id: `history-${name}`, onchange: (event) =>
      again({ ...state, [name]: event.target.value, cursors: [''] }).then(() => $(`history-${name}`)?.focus()) },
    h('option', { value: '' }, 'Any'),
    choices.map((choice) => h('option', { value: choice, selected: choice === state[name] }, choice))));
  const rows = entries.map((entry) => [time(entry.timestamp), entry.channel, pill(entry.status, ['failed', 'bounced'].includes(entry.status) ? 'no' : 'ok'),
    entry.error ?? '', entry.notification_id, entry.device_token ? h('code', { title: entry.device_token }, shorten(entry.device_token)) : '']);
  const meta = answer.meta ?? {};
  return [
    h('div', { class: 'filters' }, filter('channel', 'Channel', ['email', 'push']), filter('status', 'Status', STATUSES)),
    table('Notification history', ['When', 'Channel', 'Status', 'Error', 'Notification', 'Device'], rows,
      state.channel || state.status ? 'No notification statuses match these filters.' : 'No notification statuses yet.'),
    h('nav', { class: 'pager', 'aria-label': 'Pages of the notification history' },
      state.cursors.length > 1 ? h('button', { type: 'button', class: 'quiet', onclick: () =>
        again({ ...state, cursors: state.cursors.slice(0, -1) }) }, '← Newer') : null,
      meta.has_next && meta.next_cursor ? h('button', { type: 'button', class: 'quiet', onclick: () =>
        again({ ...state, cursors: [...state.cursors, meta.next_cursor] }) }, 'Older →') : null),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Actions: each confirmed, each answered with what changed
// ---------------------------------------------------------------------------------------------------------------

async function done(text, ...reloads) {
  await Promise.all(reloads.map((reload) => reload()));
  notice(text);
}

async function toggleStatus(page) {
  const user = page.user;
  const disabling = user.status === 'active';
  const changed = await confirmAction({
    title: disabling ? 'Disable this account?' : 'Enable this account?',
    text: disabling
      ? `${user.email} will be signed out everywhere, and sign-ins and refreshes will be refused until it is enabled again.`
      : `${user.email} will be able to sign in again.`,
    confirm: disabling ? 'Disable' : 'Enable', danger: disabling,
    act: () => call('PATCH', path`/users/${user.id}`, { status: disabling ? 'disabled' : 'active' }),
  });
  if (changed) {
    await done(`Status changed from ${user.status} to ${changed.data.status}.`,
      page.reloadAccount, page.reloadSessions, page.reloadDevices, page.reloadDelivery);
  }
}

/** choose() among the deployment's types or plans, read again first if the read at sign-in failed. */
async function chooseOffered(page, field, title) {
  try {
    await readOffered();
  } catch (error) {
    if (!session.access) return;
    notice(`The deployment's ${field}s could not be read (${error.message}); only those seen on accounts are offered.`);
  }
  await choose(page, field, title, choices(`${field}s`));
}

async function choose(page, field, title, allowed) {
  const user = page.user;
  // A value no longer offered (a plan retired since) is shown as it is, not replaced by the first offered.
  const options = allowed.includes(user[field]) ? allowed : [user[field], ...allowed];
  const select = h('select', { id: 'confirm-choice' }, options.map((choice) =>
    h('option', { value: choice, selected: choice === user[field], disabled: !allowed.includes(choice) }, choice)));
  const extra = h('div', { class: 'field' }, h('label', { for: 'confirm-choice' }, `New ${field}`), select);
  const changed = await confirmAction({
    title: `${title}?`,
    text: `The ${field} of ${user.email} is ${user[field]} now.` + (field === 'role'
      ? ' Taking admin away ends all their sessions; a new admin has the role from their next sign-in.' : ''),
    confirm: title, extra, ready: () => select.value !== user[field],
    act: () => field === 'plan'
      ? call('PUT', path`/users/${user.id}/plan`, { plan: select.value })
      : call('PATCH', path`/users/${user.id}`, { [field]: select.value }),
  });
  if (changed) {
    await done(`The ${field} changed from ${user[field]} to ${select.value}.`, page.reloadAccount, page.reloadSessions);
  }
}

async function passwordReset(page) {
  const user = page.user;
  const sent = await confirmAction({
    title: 'Send a password reset?',
    text: `An email with a link to set a new password goes to ${user.email}. Their current password keeps working until they use it.`,
    confirm: 'Send',
    act: () => call('POST', '/auth/password-reset/request', { email: user.email }),
  });
  if (sent) await done(`A password reset email was requested for ${user.email}.`);
}

async function deleteAccount(page) {
  const user = page.user;
  const typed = h('input', { id: 'confirm-typed', type: 'email', autocomplete: 'off', 'aria-describedby': 'confirm-text' });
  const extra = h('div', { class: 'field' }, h('label', { for: 'confirm-typed' }, `Type ${user.email} to confirm`), typed);
  const deleted = await confirmAction({
    title: 'Delete this account?',
    text: `${user.email}, their profile, preferences, devices, sessions and notification history are erased. This cannot be undone.`,
    confirm: 'Delete account', danger: true, extra, ready: () => typed.value.trim().toLowerCase() === user.email.toLowerCase(),
    act: () => call('DELETE', path`/users/${user.id}`),
  });
  if (deleted) {
    flash = `The account ${user.email} was deleted.`;
    location.hash = '#/users';
  }
}

async function endSession(page, s) {
  const ended = await confirmAction({
    title: 'End this session?',
    text: s.current
      ? 'This is the session of this console: ending it signs you out here.'
      : `The session signed in ${new Date(s.created_at).toLocaleString()} from ${s.device_name ?? s.user_agent ?? 'an unknown device'} ends: its tokens stop working.`,
    confirm: 'End session', danger: true,
    act: () => call('DELETE', path`/users/${page.id}/sessions/${s.id}`),
  });
  if (ended) await done('The session was ended.', page.reloadSessions, page.reloadDevices, page.reloadDelivery);
}

async function endAllSessions(page) {
  const ended = await confirmAction({
    title: 'End all sessions?',
    text: page.id === session.user.id
      ? 'You are signed out everywhere, this console included: every token of yours stops working, and devices registered in those sessions stop receiving pushes. You can sign in again.'
      : `${page.user?.email ?? 'The user'} is signed out everywhere: every token of theirs stops working, and devices registered in those sessions stop receiving pushes. They can sign in again.`,
    confirm: 'End all sessions', danger: true,
    act: () => call('DELETE', path`/users/${page.id}/sessions`),
  });
  // Devices registered in an ended session stop receiving pushes too.
  if (ended) await done('Every session of the user was ended.', page.reloadSessions, page.reloadDevices, page.reloadDelivery);
}

async function deactivateDevice(page, device) {
  const changed = await confirmAction({
    title: 'Deactivate this device?',
    text: `Pushes stop going to the ${device.platform} device ${shorten(device.token)}. Registering it again from the app activates it.`,
    confirm: 'Deactivate', danger: true,
    act: () => call('PATCH', path`/users/${page.id}/devices/${device.id}`, { active: false }),
  });
  if (changed) {
    await done(`The ${device.platform} device ${shorten(device.token)} was deactivated.`, page.reloadDevices, page.reloadDelivery);
  }
}

// ---------------------------------------------------------------------------------------------------------------

$('sign-in-form').addEventListener('submit', signIn);
$('sign-in-button').disabled = false;
$('sign-out').addEventListener('click', signOut);
window.addEventListener('hashchange', route);
// Leaving the page forgets the tokens and ends the session: the browser may keep the page, memory and all, in its
// back/forward cache, where Back on a shared machine would bring it back signed in. The refresh token goes too: should
// the access token have run out while the console sat idle, it names the session to end.
window.addEventListener('pagehide', () => {
  if (!session.access) return;
  fetch(API + '/auth/logout', {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', Authorization: `Bearer ${session.access}` },
    body: JSON.stringify({ refresh_token: session.refresh }), credentials: 'omit', keepalive: true,
  }).catch(() => {});
  endLocally('You are signed out.');
});
$('email').focus();
