/**
 * What the staff and auditor pages share (plain ES module, no framework): the session kept in
 * `sessionStorage`, calls to the APIs with the session's token (an expired session or a 401 sends the person
 * to the session-expired page), the words of the page (read from its `<template id="staff-text">`: this file
 * holds no sentence), Québec dates, and small DOM helpers. The pure functions are exported for the unit tests.
 */

import { formatLongDate } from './form.js';
import { logoutUrl, readAuthConfig } from './staff-auth.js';

export { formatLongDate };

const TIME_ZONE = 'America/Toronto';
const LOCALES = { fr: 'fr-CA', en: 'en-CA' };
export const SESSION_KEY = 'jalon.staff.session';

/** `{token, user}` from storage, or null when there is none or it is not one. */
export function loadSession(storage) {
  let value;
  try {
    value = JSON.parse(storage.getItem(SESSION_KEY) ?? 'null');
  } catch {
    return null;
  }
  if (typeof value?.token !== 'string' || value.token === '' || typeof value.user !== 'object') return null;
  const user = value.user ?? {};
  return {
    token: value.token,
    ...(typeof value.expiresAt === 'string' ? { expiresAt: value.expiresAt } : {}),
    user: {
      sub: String(user.sub ?? ''),
      name: String(user.name ?? ''),
      roles: Array.isArray(user.roles) ? user.roles.map(String) : [],
      units: Array.isArray(user.units) ? user.units.map(String) : [],
    },
  };
}

export function saveSession(storage, session) {
  const { token, expiresAt, user } = session;
  storage.setItem(SESSION_KEY, JSON.stringify({ token, expiresAt, user }));
}

export function clearSession(storage) {
  storage.removeItem(SESSION_KEY);
}

/** `/en` for the English pages, '' for the French ones. */
export function languagePrefix(language) {
  return language === 'en' ? '/en' : '';
}

/** The login page, asking to come back to `returnTo` (a path of the staff pages) once signed in. */
export function loginUrl(language, returnTo) {
  const base = `${languagePrefix(language)}/staff/login`;
  return returnTo ? `${base}?next=${encodeURIComponent(returnTo)}` : base;
}

/** True once the session's token has expired (a session without an expiry is left to the API to refuse). */
export function sessionExpired(session, now = Date.now()) {
  return typeof session?.expiresAt === 'string' && Date.parse(session.expiresAt) <= now;
}

/** The session-expired page, offering to come back to `returnTo` after signing in again. */
export function sessionExpiredUrl(language, returnTo) {
  const base = `${languagePrefix(language)}/staff/session-expired`;
  return returnTo ? `${base}?next=${encodeURIComponent(returnTo)}` : base;
}

const STAFF_PATH = /^(?:\/en)?\/(?:staff|audit)(?:\/[A-Za-z0-9._~%-]*)*\/?$/;

/**
 * Where to go after signing in: the page asked for (`next`) when it is a staff or auditor page of this site,
 * else the auditor's page for an auditor and the work list for everyone else, in the page's language.
 */
export function loginDestination(user, next, language) {
  if (typeof next === 'string' && STAFF_PATH.test(next) && !/\/staff\/login\/?$/.test(next)) return next;
  const auditorOnly = user.roles.includes('auditor') && user.roles.every((role) => role === 'auditor');
  return `${languagePrefix(language)}${auditorOnly ? '/audit/' : '/staff/'}`;
}

/** The case id of `/staff/cases/{id}` or `/audit/cases/{id}` (either language), or null. */
export function caseIdFromPath(pathname) {
  const match = /\/cases\/([^/]+)\/?$/.exec(pathname);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

/** A case's page for staff or auditors, in a language. */
export function casePath(kind, caseId, language) {
  return `${languagePrefix(language)}/${kind === 'audit' ? 'audit' : 'staff'}/cases/${encodeURIComponent(caseId)}`;
}

const REFERENCE = /^[A-Za-z]{2,10}-\d{4}-\d{6}$/;

/**
 * Where the header's search box goes: a case reference (`SCT-2026-000123`, any letter case) opens that case's
 * page (the auditor's page on the audit pages and the dashboard); any other text opens the work list searching it among open
 * and closed cases; blank text goes nowhere (null).
 */
export function headerSearchTarget(text, language, kind) {
  const value = String(text ?? '').trim();
  if (value === '') return null;
  if (REFERENCE.test(value)) {
    return casePath(kind === 'dashboard' ? 'audit' : kind, value.toUpperCase(), language);
  }
  const query = new URLSearchParams({ q: value, status: 'all' });
  return `${languagePrefix(language)}/staff/?${query.toString()}`;
}

/** The same page in the other language: `/staff/…` ↔ `/en/staff/…`, query and fragment kept. */
export function otherLanguagePath(pathname, language) {
  const bare = pathname.startsWith('/en/') ? pathname.slice(3) : pathname;
  return language === 'fr' ? `/en${bare}` : bare;
}

/**
 * The page's words: `t(key, {name: value})` fills `{name}` placeholders; an unknown key gives the key itself
 * (a gap shows, nothing breaks).
 */
export function createTexts(entries) {
  const table = new Map(entries);
  return (key, values = {}) => {
    const template = table.get(key) ?? key;
    return template.replace(/\{([a-zA-Z]+)\}/g, (whole, name) =>
      name in values ? String(values[name]) : whole,
    );
  };
}

/** A role in the page's words (« Responsable des plaintes »); a role the page does not know shows as it is named. */
export function roleText(role, t) {
  const key = `role.${role}`;
  const label = t(key);
  return label === key ? String(role ?? '') : label;
}

/** `n` things in words with the grammar of the page's language: « 0 dossier », « 1 dossier », « 2 dossiers »; "0 cases". */
export function countText(kind, n, language, t) {
  return t(`count.${kind}.${pluralForm(n, language)}`, { n });
}

/** The plural form of the page's language for `n` (`one` or `other`), to pick a sentence whose verb agrees. */
export function pluralForm(n, language) {
  return new Intl.PluralRules(LOCALES[language] ?? LOCALES.fr).select(n) === 'one' ? 'one' : 'other';
}

/** The business days left on an unmet deadline, in words: « dû aujourd’hui », « 3 jours ouvrables restants », « en retard de 2 jours ouvrables ». */
export function businessDaysText(left, t) {
  if (left === 0) return t('daysLeft.zero');
  if (left === 1) return t('daysLeft.one');
  if (left > 1) return t('daysLeft.many', { n: left });
  if (left === -1) return t('overdueBy.one');
  return t('overdueBy.many', { n: -left });
}

/** True for a date `YYYY-MM-DD` that exists (2026-02-30 does not), the API's rule for a date. */
export function realLocalDate(date) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const time = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(date);
}

/** The Québec date (`YYYY-MM-DD`) of an instant. */
export function quebecDate(instant) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(instant));
  const part = (type) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** Milliseconds Québec's wall clock is ahead of UTC at `epoch` (negative: -5 h in winter, -4 h in summer). */
function quebecOffset(epoch) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: TIME_ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(epoch));
  const part = (type) => Number(parts.find((candidate) => candidate.type === type)?.value ?? 0);
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return wall - Math.floor(epoch / 1000) * 1000;
}

function pad(n) {
  return String(Math.abs(n)).padStart(2, '0');
}

/**
 * The instant of a Québec wall-clock time as a `datetime-local` gives it (`2026-12-18T09:30`), in ISO 8601 with
 * its offset (`2026-12-18T09:30:00-05:00`), whatever the browser's own time zone. A time skipped when clocks
 * spring forward is read with the offset before the change (02:30 → 03:30 EDT); a repeated hour is its first
 * occurrence. `''` when the text is not a date and time (the API then says what is expected).
 */
export function quebecInstant(local) {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(
    typeof local === 'string' ? local : '',
  );
  if (!match) return '';
  const [, year, month, day, hour, minute, second = '00'] = match;
  const wall = Date.UTC(+year, +month - 1, +day, +hour, +minute, +second);
  if (Number.isNaN(wall)) return '';
  // The offsets in force half a day before and after: both sides of a change of time on that day.
  const offsets = [quebecOffset(wall - 50_400_000), quebecOffset(wall + 50_400_000)];
  const valid = offsets.filter((candidate) => quebecOffset(wall - candidate) === candidate);
  // Two readings (the repeated hour): the first occurrence, the earlier instant; none (the skipped hour): before.
  const offset = valid.length > 0 ? Math.max(...valid) : offsets[0];
  const minutes = Math.round(offset / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  return `${year}-${month}-${day}T${hour}:${minute}:${second}${sign}${pad(Math.trunc(minutes / 60))}:${pad(minutes % 60)}`;
}

/** An instant as a Québec date and time, e.g. « 2026-03-02 09 h 00 » / "2026-03-02, 9:00 a.m.". */
export function quebecDateTime(instant, language) {
  return new Intl.DateTimeFormat(LOCALES[language] ?? LOCALES.fr, {
    timeZone: TIME_ZONE,
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(new Date(instant));
}

/** Business days late, as a breached deadline states it. */
export function lateText(days, t) {
  if (typeof days !== 'number' || days <= 0) return t('late.zero');
  return days === 1 ? t('late.one') : t('late.many', { n: days });
}

/**
 * A deadline as the work list and the case page say it: met late → « respectée en retard le … (échéance
 * dépassée le …, n jours ouvrables de retard) »; breached and unmet → « non respectée : échéance dépassée le … »;
 * met → « respectée le … »; pending → the long Québec
 * due date with the business days left (from the API's `businessDaysLeft`).
 */
export function deadlineText(deadline, language, t) {
  if (!deadline) return t('none');
  if (deadline.outcome === 'met-late' && deadline.metAt) {
    return t('metLate', {
      date: formatLongDate(quebecDate(deadline.metAt), language),
      due: formatLongDate(deadline.dueDate, language),
      late: lateText(deadline.lateBusinessDays, t),
    });
  }
  if (deadline.metAt) return t('metOn', { date: formatLongDate(quebecDate(deadline.metAt), language) });
  if (deadline.outcome === 'breached') {
    return t('breachedText', {
      date: formatLongDate(deadline.dueDate, language),
      late: lateText(deadline.lateBusinessDays, t),
    });
  }
  const date = formatLongDate(deadline.dueDate, language);
  if (typeof deadline.businessDaysLeft !== 'number') return date;
  return t('due', { date, days: businessDaysText(deadline.businessDaysLeft, t) });
}

/**
 * What to tell the person about a refused or failed call: the API's own message for a refused request (the
 * `detail` of its RFC 9457 problem details, in the page's language by `Accept-Language`), a fixed sentence for
 * 403, 404, server and network errors.
 */
export function errorMessage(status, body, t) {
  if (status === 0) return t('error.network');
  if (status === 403) return t('error.forbidden');
  if (status === 404) return t('error.notFound');
  if (status >= 500) return t('error.server');
  const message = body?.detail;
  return typeof message === 'string' && message !== '' ? message : t('error.invalid');
}

/** The code of a refusal (`code` of its problem details), or `''`. */
export function problemCode(body) {
  return typeof body?.code === 'string' ? body.code : '';
}

/**
 * The field errors of a refusal (`errors` of its problem details) as the pages place them: `{path, message}`,
 * `path` the field's dotted name, `message` in the page's language.
 */
export function problemIssues(body) {
  const errors = Array.isArray(body?.errors) ? body.errors : [];
  return errors.map((error) => ({
    path: typeof error?.field === 'string' ? error.field : '',
    message: typeof error?.detail === 'string' ? error.detail : '',
  }));
}

/**
 * An API client for the page: JSON in and out, the session's bearer token, `Accept-Language` of the page, an
 * optional `Idempotency-Key`. A 401 clears the session and calls `onUnauthorized` (the page goes to login).
 * Network failures answer `{status: 0}`.
 */
export function createApi({ fetch: send, storage, language, onUnauthorized }) {
  return async function call(method, path, { body, idempotencyKey } = {}) {
    const session = loadSession(storage);
    if (!session) {
      onUnauthorized();
      return { status: 401, body: null };
    }
    const headers = {
      accept: 'application/json, application/problem+json',
      'accept-language': language,
      authorization: `Bearer ${session.token}`,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    let response;
    try {
      response = await send(path, {
        method,
        headers,
        credentials: 'same-origin',
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      return { status: 0, body: null };
    }
    let parsed = null;
    try {
      parsed = await response.json();
    } catch {
      parsed = null;
    }
    if (response.status === 401) {
      clearSession(storage);
      onUnauthorized();
    }
    return { status: response.status, body: parsed };
  };
}

/** `document.createElement` with attributes and children (strings become text, never HTML). */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child);
  }
  return element;
}

/** The words of the current page. */
export function pageTexts(doc = document) {
  const template = doc.getElementById('staff-text');
  const entries = template
    ? [...template.content.querySelectorAll('data')].map((data) => [data.value, data.textContent ?? ''])
    : [];
  return createTexts(entries);
}

/** Says something in the page's polite live region (and clears the alert region). */
export function announce(message) {
  const status = document.getElementById('page-status');
  const alert = document.getElementById('page-alert');
  if (alert) alert.replaceChildren();
  if (status) status.textContent = message;
}

/** Shows an error in the page's alert region. */
export function alertError(message) {
  const status = document.getElementById('page-status');
  const alert = document.getElementById('page-alert');
  if (status) status.textContent = '';
  if (alert) alert.replaceChildren(el('p', {}, message));
}

/**
 * The page's context: language, words, session (or a trip to the login page), the API client, the
 * navigation with the person's name and sign-out, and a language switch that keeps the whole address.
 */
export function startPage({ requireSession = true } = {}) {
  const language = document.body.dataset.language === 'en' ? 'en' : 'fr';
  const t = pageTexts();
  const storage = window.sessionStorage;
  const auth = readAuthConfig(document);
  const here = () => window.location.pathname + window.location.search;
  const toLogin = () => window.location.assign(loginUrl(language, here()));
  // The API refused the token (expired, revoked): say so, rather than a bare sign-in page.
  const toExpired = () => {
    clearSession(storage);
    window.location.assign(sessionExpiredUrl(language, here()));
  };
  const languageLink = document.querySelector('a.language-link');
  if (languageLink) {
    languageLink.href =
      otherLanguagePath(window.location.pathname, language) + window.location.search + window.location.hash;
  }
  const session = loadSession(storage);
  if (requireSession && !session) {
    toLogin();
    return null;
  }
  if (requireSession && sessionExpired(session)) {
    toExpired();
    return null;
  }
  const nav = document.querySelector('[data-session-nav]');
  if (nav && session) {
    nav.hidden = false;
    const who = nav.querySelector('.session-user');
    if (who) who.textContent = session.user.name;
    for (const item of nav.querySelectorAll('[data-roles]')) {
      item.hidden = !navItemShown(session.user.roles, item.dataset.roles);
    }
    nav.querySelector('[data-sign-out]')?.addEventListener('click', () => {
      clearSession(storage);
      window.location.assign(auth.auth === 'cognito' ? logoutUrl(auth) : loginUrl(language));
    });
  }
  const search = document.querySelector('[data-header-search]');
  search?.addEventListener('submit', (event) => {
    const target = headerSearchTarget(new FormData(search).get('q'), language, document.body.dataset.page);
    event.preventDefault();
    if (target !== null) window.location.assign(target);
  });
  const api = createApi({
    fetch: globalThis.fetch.bind(globalThis),
    storage,
    language,
    onUnauthorized: toExpired,
  });
  return { language, t, storage, session, api, auth };
}

/** Whether a navigation item for some roles (`data-roles`, space-separated) is offered to a person: one role in common. */
export function navItemShown(roles, forRoles) {
  const wanted = String(forRoles ?? '')
    .split(' ')
    .filter(Boolean);
  return wanted.length === 0 || wanted.some((role) => roles.includes(role));
}

/** A `<dl>` row. */
export function fact(list, label, value) {
  list.append(el('dt', {}, label), el('dd', {}, value));
}
