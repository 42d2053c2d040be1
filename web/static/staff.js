/**
 * The staff pages (plain ES module): sign-in (the strategy the page names, see `staff-auth.js`), its
 * callback and the session-expired page, the work list (`GET /api/staff/cases`) and the case page
 * (`GET /api/staff/cases/{caseId}`, the action forms posting to `/api/staff/cases/{caseId}/{action}` with an
 * `Idempotency-Key`). Which shell it runs on comes from `<body data-page>`. Every sentence comes from the page.
 */

import {
  alertError,
  announce,
  caseIdFromPath,
  casePath,
  deadlineText,
  el,
  errorMessage,
  fact,
  formatLongDate,
  pluralForm,
  loginDestination,
  problemCode,
  problemIssues,
  quebecDate,
  quebecDateTime,
  quebecInstant,
  saveSession,
  startPage,
  roleText,
} from './staff-common.js';
import { clearErrors } from './staff-forms.js';
import { beginSignIn, completeSignIn, localSignIn } from './staff-auth.js';

const OPEN_FILTER_STATUSES = ['received', 'acknowledged', 'answered', 'dissatisfied'];
/** Status choices beyond the open statuses: closed cases, and open and closed ones (a search only). */
const LIST_STATUSES = [...OPEN_FILTER_STATUSES, 'closed', 'all'];
const SORTS = ['deadline', 'received', 'reference'];
const ORDERS = ['asc', 'desc'];

/** The order a sort starts in: newest first by receipt, otherwise ascending (most urgent, lowest reference). */
export function defaultOrder(sort) {
  return sort === 'received' ? 'desc' : 'asc';
}

/**
 * Every filter of the work list as its address keeps them (`?view=mine&unit=&q=&status=&overdue=true&toMail=true
 * &sort=&order=`), so that a list can be bookmarked, shared, reloaded and gone back to; unknown values are
 * dropped (a unit the person is not in is dropped when the list asks the API, see `listQuery`).
 */
export function listStateFromAddress(search) {
  const params = new URLSearchParams(search);
  const q = (params.get('q') ?? '').trim();
  const status = params.get('status') ?? '';
  const sort = SORTS.includes(params.get('sort') ?? '') ? params.get('sort') : 'deadline';
  const order = ORDERS.includes(params.get('order') ?? '') ? params.get('order') : defaultOrder(sort);
  const view = params.get('view') === 'mine' ? 'mine' : 'unit';
  const unit = view === 'unit' ? (params.get('unit') ?? '').trim() : '';
  return {
    q,
    status: LIST_STATUSES.includes(status) ? status : '',
    sort,
    order,
    view,
    unit,
    overdue: params.get('overdue') === 'true',
    toMail: params.get('toMail') === 'true',
  };
}

/** The work list's address for a state (defaults left out), in the page's language. */
export function workListAddress(state, language) {
  const params = new URLSearchParams();
  if (state.view === 'mine') params.set('view', 'mine');
  else if (typeof state.unit === 'string' && state.unit.trim() !== '') params.set('unit', state.unit.trim());
  const q = String(state.q ?? '').trim();
  if (q !== '') params.set('q', q);
  if (LIST_STATUSES.includes(state.status) && !(state.status === 'all' && q === '')) {
    params.set('status', state.status);
  }
  if (state.overdue === true || state.overdue === 'true') params.set('overdue', 'true');
  if (state.toMail === true || state.toMail === 'true') params.set('toMail', 'true');
  const sort = SORTS.includes(state.sort) ? state.sort : 'deadline';
  if (sort !== 'deadline') params.set('sort', sort);
  if (ORDERS.includes(state.order) && state.order !== defaultOrder(sort)) params.set('order', state.order);
  const text = params.toString();
  return `${language === 'en' ? '/en' : ''}/staff/${text === '' ? '' : `?${text}`}`;
}

/** The `aria-sort` of a sortable column's header for the list's sort: `ascending`, `descending` or `none`. */
export function columnSort(column, state) {
  const sort = SORTS.includes(state?.sort) ? state.sort : 'deadline';
  if (column !== sort) return 'none';
  const order = ORDERS.includes(state?.order) ? state.order : defaultOrder(sort);
  return order === 'asc' ? 'ascending' : 'descending';
}

/**
 * The sort a click on a column's header asks for: that column in its natural order (`defaultOrder`) or, when
 * the list is already sorted by it, the other way round.
 */
export function clickedSort(column, state) {
  if (columnSort(column, state) === 'none') return { sort: column, order: defaultOrder(column) };
  return { sort: column, order: state.order === 'asc' ? 'desc' : 'asc' };
}

/**
 * Whether the list is in the work order (`sortCases`: stopped and overdue cases first, then the nearest
 * deadline): the default sort, by deadline nearest first, when nothing is searched. Any other sort, or a
 * search, keeps the API's order.
 */
export function usesWorkOrder(state) {
  const sort = SORTS.includes(state?.sort) ? state.sort : 'deadline';
  const order = ORDERS.includes(state?.order) ? state.order : defaultOrder(sort);
  return sort === 'deadline' && order === 'asc' && String(state?.q ?? '').trim() === '';
}

/**
 * The work list's caption for what it shows: how many cases of which status (and the search), in which sort,
 * « 12 dossiers ouverts, les retards d’abord, puis triés par échéance (la plus proche d’abord) »; whether more
 * pages follow. An empty list says only that it is empty.
 */
export function listCaption(state, count, more, language, t) {
  const status = LIST_STATUSES.includes(state?.status) ? state.status : '';
  const group = status === '' ? 'open' : status === 'closed' || status === 'all' ? status : 'status';
  const form = count === 0 ? 'zero' : pluralForm(count, language) === 'one' ? 'one' : 'other';
  let caption = t(`caption.count.${group}.${form}`, {
    n: count,
    status: group === 'status' ? t(`status.${status}`) : '',
  });
  const q = String(state?.q ?? '').trim();
  if (q !== '') caption = t('caption.search', { count: caption, q });
  if (count === 0) return caption;
  const sort = SORTS.includes(state?.sort) ? state.sort : 'deadline';
  const order = ORDERS.includes(state?.order) ? state.order : defaultOrder(sort);
  const sorted = t(`caption.sort.${sort}.${order}`);
  caption =
    usesWorkOrder(state) && count > 1
      ? t('caption.workOrder', { count: caption, sort: sorted })
      : t(`caption.sorted.${form === 'one' ? 'one' : 'other'}`, { count: caption, sort: sorted });
  return more ? t('caption.more', { caption }) : caption;
}

/**
 * Whether « assign to me » is offered on a case: an open case in a unit, not already the person's, to a
 * person who handles cases there (an agent or supervisor of that unit, for a case that is not confidential;
 * the complaints officer, any). The API decides in the end (`checkAssignmentTarget`).
 */
export function canAssignToMe(item, user) {
  if (!item || !user || !OPEN_FILTER_STATUSES.includes(item.status)) return false;
  if (typeof item.unit !== 'string' || item.unit === '' || item.assignee === user.sub) return false;
  const roles = Array.isArray(user.roles) ? user.roles : [];
  if (roles.includes('complaints-officer')) return true;
  if (item.confidential) return false;
  const units = Array.isArray(user.units) ? user.units : [];
  return roles.some((role) => role === 'agent' || role === 'supervisor') && units.includes(item.unit);
}

/** The body of `POST /api/staff/cases/{caseId}/reassign` for « assign to me »: the person, in the case's unit. */
export function assignToMeBody(item, user) {
  return { to: { unit: item.unit, assignee: user.sub }, reason: 'self-assigned' };
}

/** A unit in words: its name from the policy (the page's words), else its id. */
export function unitText(unit, t) {
  if (typeof unit !== 'string' || unit === '') return '';
  const name = t(`unit.${unit}`);
  return name === `unit.${unit}` ? unit : name;
}

/**
 * A staff member as the page shows them: the display name the API gave (`staffNames`, from the staff directory)
 * or, for the person reading, the name of their session; the id when neither is known.
 */
export function staffName(id, names, user) {
  const named = names && Object.hasOwn(names, id) ? names[id] : undefined;
  if (typeof named === 'string' && named !== '') return named;
  if (id === user?.sub && typeof user.name === 'string' && user.name !== '') return user.name;
  return id;
}

/**
 * The people the reassignment form proposes for a unit (`assigneeChoices` of the case): their id as the value
 * the API takes, their name as what the person reads (the id when the directory has no name).
 */
export function assigneeOptions(choices, unit) {
  return (Array.isArray(choices) ? choices : [])
    .filter((choice) => typeof choice?.id === 'string' && (!unit || choice.units?.includes(unit)))
    .map((choice) => ({
      value: choice.id,
      label: choice.name ? `${choice.name} (${choice.id})` : choice.id,
    }));
}

/**
 * Who a case is assigned to, in words: their name (`staffName`, the id when the directory has none), « (vous) »
 * after it for the person reading, or « non assigné ».
 */
export function assigneeText(assignee, user, t, names = {}) {
  if (typeof assignee !== 'string' || assignee === '') return t('unassigned');
  const name = staffName(assignee, names, user);
  return assignee === user?.sub ? `${name} (${t('you')})` : name;
}

/**
 * The work list in the order staff work it: cases whose deadlines are not enforced first (nothing will remind
 * anyone of them), then overdue cases, then by next deadline (none last), then by reference, whatever order
 * the API gave.
 */
export function sortCases(cases) {
  const due = (item) => (item.nextDueAt ? Date.parse(item.nextDueAt) : Number.POSITIVE_INFINITY);
  return [...cases].sort((a, b) => {
    if (Boolean(a.enforcementStoppedAt) !== Boolean(b.enforcementStoppedAt)) {
      return a.enforcementStoppedAt ? -1 : 1;
    }
    if (Boolean(a.overdue) !== Boolean(b.overdue)) return a.overdue ? -1 : 1;
    if (due(a) !== due(b)) return due(a) < due(b) ? -1 : 1;
    const left = a.reference ?? a.caseId;
    const right = b.reference ?? b.caseId;
    return left < right ? -1 : left > right ? 1 : 0;
  });
}

/**
 * The query of `GET /api/staff/cases` for the filters (`ListCasesQuerySchema`): « my cases » asks for the
 * cases assigned to the person (`assignee` = their id), « my unit » for one of their units or, without one,
 * every case they may see; search text, status, overdue, sort and order as chosen; `cursor` for the next
 * page.
 */
export function listQuery(filters, user) {
  const query = new URLSearchParams();
  if (filters.view === 'mine') query.set('assignee', user.sub);
  else if (filters.unit && user.units.includes(filters.unit)) query.set('unit', filters.unit);
  const q = String(filters.q ?? '').trim();
  if (q !== '') query.set('q', q);
  // `all` (open and closed) is for a search; a list without one shows open cases.
  if (LIST_STATUSES.includes(filters.status) && !(filters.status === 'all' && q === '')) {
    query.set('status', filters.status);
  }
  if (filters.overdue === true || filters.overdue === 'true') query.set('overdue', 'true');
  if (filters.toMail === true || filters.toMail === 'true') query.set('toMail', 'true');
  if (SORTS.includes(filters.sort) && filters.sort !== 'deadline') query.set('sort', filters.sort);
  if (ORDERS.includes(filters.order) && filters.order !== defaultOrder(filters.sort ?? 'deadline')) {
    query.set('order', filters.order);
  }
  if (typeof filters.cursor === 'string' && filters.cursor !== '') query.set('cursor', filters.cursor);
  const text = query.toString();
  return text === '' ? '/api/staff/cases' : `/api/staff/cases?${text}`;
}

const HANDLER_ROLES = ['agent', 'supervisor', 'complaints-officer'];

/** The statuses each action is open in (the use cases' `requireStatus`). */
export const ACTION_STATUSES = {
  acknowledge: ['received'],
  answer: ['received', 'acknowledged', 'dissatisfied'],
  extend: ['acknowledged'],
  reassign: ['received', 'acknowledged', 'answered', 'dissatisfied'],
  recategorize: ['received', 'acknowledged', 'answered', 'dissatisfied'],
  close: ['received', 'acknowledged', 'answered', 'dissatisfied'],
  dissatisfied: ['answered', 'closed'],
  // A later call or visit is documented on the case it concerns, closed or not.
  note: ['received', 'acknowledged', 'answered', 'dissatisfied', 'closed'],
  // An answer may bounce after the case was closed: the requester is reached all the same.
  'requester-reached': ['received', 'acknowledged', 'answered', 'dissatisfied', 'closed'],
};

/** Actions only some handlers take: a change of category is the supervisor's or the complaints officer's. */
const ACTION_ROLES = { recategorize: ['supervisor', 'complaints-officer'] };

/** Actions that answer a task of the case: « requester reached » only while an email was not delivered. */
const ACTION_TASKS = { 'requester-reached': (detail) => detail.undeliveredMessages > 0 };

/**
 * The actions the page offers on a case: those its status allows, to a person who handles cases and sees the
 * case's content (auditors and administrators read, they do not act), and to an administrator the restart of
 * a case's stopped deadline enforcement. A change of category is offered to supervisors and the complaints
 * officer only; « requester reached » while the case has undelivered emails. The API decides in the end.
 */
export function actionsFor(detail, roles) {
  // Administrators run the system: they restart a case's stopped deadline enforcement, and act on nothing else.
  if (detail?.enforcementStoppedAt && roles.includes('admin')) return ['restart-enforcement'];
  if (detail?.scope !== 'content') return [];
  if (!roles.some((role) => HANDLER_ROLES.includes(role))) return [];
  return Object.keys(ACTION_STATUSES).filter(
    (action) =>
      ACTION_STATUSES[action].includes(detail.status) &&
      (ACTION_ROLES[action] === undefined || roles.some((role) => ACTION_ROLES[action].includes(role))) &&
      (ACTION_TASKS[action] === undefined || ACTION_TASKS[action](detail)),
  );
}

/**
 * The JSON body of an action form (the body schemas of `shared/schemas/staff-api.ts`): fields as typed, the
 * « sent by mail » box as `true` when ticked, the reassignment target as `{to: {unit, assignee?}}`, a Québec
 * date and time as an instant with its offset, optional fields left out when empty.
 */
export function actionBody(action, entries) {
  const values = {};
  for (const [name, value] of entries) if (typeof value === 'string') values[name] = value;
  const optional = (name) =>
    values[name] !== undefined && values[name].trim() !== '' ? values[name] : undefined;
  const mail = values.sentByMail === 'true' ? { sentByMail: true } : {};
  switch (action) {
    case 'acknowledge':
      return { answerBy: values.answerBy ?? '', ...mail };
    case 'answer':
      return { message: values.message ?? '', ...mail };
    case 'extend':
      return { answerBy: values.answerBy ?? '', reason: values.reason ?? '', ...mail };
    case 'reassign': {
      const assignee = optional('to.assignee');
      return {
        to: {
          unit: values['to.unit'] ?? '',
          ...(assignee !== undefined ? { assignee: assignee.trim() } : {}),
        },
        reason: values.reason ?? '',
      };
    }
    case 'recategorize':
      return { category: values.category ?? '', reason: values.reason ?? '' };
    case 'close':
      return { outcome: values.outcome ?? '' };
    case 'dissatisfied': {
      const note = optional('note');
      return { channel: values.channel ?? '', ...(note !== undefined ? { note } : {}) };
    }
    case 'restart-enforcement':
      return { reason: values.reason ?? '' };
    case 'note':
      return { text: values.text ?? '' };
    case 'requester-reached': {
      const note = optional('note');
      return {
        channel: values.channel ?? '',
        reachedAt: quebecInstant(values.reachedAt),
        ...(note !== undefined ? { note } : {}),
      };
    }
    default:
      throw new RangeError(`unknown action: ${action}`);
  }
}

/**
 * The API's field issues (`{path, message}`) split between the form's fields (by `data-field`, the issue
 * path or its first part: `to` goes to `to.unit`) and the rest, said above the form.
 */
export function splitIssues(issues, fieldNames) {
  const byField = new Map();
  const general = [];
  for (const issue of Array.isArray(issues) ? issues : []) {
    const path = typeof issue?.path === 'string' ? issue.path : '';
    const message = typeof issue?.message === 'string' ? issue.message : '';
    const name =
      fieldNames.find((candidate) => candidate === path) ??
      (path !== '' ? fieldNames.find((candidate) => candidate.startsWith(`${path}.`)) : undefined);
    if (name === undefined) general.push(message);
    else byField.set(name, [...(byField.get(name) ?? []), message]);
  }
  return { byField, general };
}

/**
 * What a refused action says: a summary above the form (and in the alert region) and the issues to put next to
 * fields. A refused promised date (`ANSWER_DATE_…`, a business rule without field path) belongs to `answerBy`.
 */
export function formErrors(status, body, t) {
  const message = errorMessage(status, body, t);
  const issues = problemIssues(body);
  if (issues.length === 0 && /^ANSWER_DATE_/.test(problemCode(body))) {
    return { summary: t('error.invalid'), issues: [{ path: 'answerBy', message }] };
  }
  return { summary: message, issues };
}

/**
 * The `Idempotency-Key` of one display of an action form: drawn when the form is shown, kept while the outcome
 * of a submission is unknown (network error, 5xx: the action may have been recorded), drawn again once an
 * answer proves nothing was recorded (400, 403, 404, 409, 422), so a corrected form is a new request.
 */
export function createFormKey(randomUUID) {
  let key = randomUUID();
  return {
    current: () => key,
    settle(status) {
      if ([400, 403, 404, 409, 422].includes(status)) key = randomUUID();
    },
    renew() {
      key = randomUUID();
    },
  };
}

/** The `next` address of this page's query (`loginDestination` checks it before it is followed). */
function nextFromQuery() {
  return new URLSearchParams(window.location.search).get('next');
}

/**
 * Who wrote an internal note and when (Québec time): « Par Marie Tremblay (agent), le 2026-03-04 22 h 30 »;
 * the note of a « requester reached » record says first how and when the requester was reached.
 */
export function noteByline(note, language, t, names = {}) {
  const name = staffName(note.author, names);
  const author = note.authorRole ? `${name} (${roleText(note.authorRole, t)})` : name;
  const byline = t('note.by', { author, date: quebecDateTime(note.at, language) });
  if (!note.reached) return byline;
  const reached = t('note.reached', {
    channel: t(`reach.${note.reached.channel}`),
    date: quebecDateTime(note.reached.reachedAt, language),
  });
  return `${reached}. ${byline}`;
}

/**
 * The answer's text once a template is chosen: the template's body when nothing (or only that body) is typed;
 * otherwise only if the person confirms replacing what they typed (`null`: keep the text as it is).
 */
export function templateText(current, template, confirmReplace) {
  const typed = typeof current === 'string' ? current : '';
  if (typed.trim() === '' || typed === template.body) return template.body;
  return confirmReplace() ? template.body : null;
}

/**
 * Where the cursor goes once a template fills the answer: on the first empty line left for the person to
 * write in (a blank paragraph between two others), or at the start.
 */
export function templateCaret(text) {
  const gap = text.indexOf('\n\n\n');
  return gap >= 0 ? gap + 2 : 0;
}

/** The placeholders a template could not fill from the case (e.g. no promised date yet), for the person. */
export function unfilledText(template, t) {
  const names = Array.isArray(template?.unfilled) ? template.unfilled : [];
  return names.length === 0
    ? ''
    : t('template.unfilled', { names: names.map((name) => `{${name}}`).join(', ') });
}

/**
 * The files of a case's content to download: its own, then those of each message received on it (with the
 * message's date), each once, by its id on the case.
 */
export function caseFiles(content, language, t) {
  const own = (content?.attachments ?? []).map((file) => ({ file, origin: '' }));
  const received = (content?.messages ?? []).flatMap((message) =>
    (message.attachments ?? []).map((file) => ({
      file,
      origin: t('attachment.fromMessage', { date: quebecDateTime(message.receivedAt, language) }),
    })),
  );
  const seen = new Set();
  return [...own, ...received].filter(
    ({ file }) => !seen.has(file.attachmentId) && seen.add(file.attachmentId),
  );
}

/** A file's size in the page's language: « 512 octets », « 12 ko », « 3,3 Mo » (steps of 1024). */
export function fileSize(bytes, language) {
  const locale = language === 'en' ? 'en-CA' : 'fr-CA';
  const format = (value, unit, unitDisplay) =>
    new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay, maximumFractionDigits: 1 }).format(
      value,
    );
  if (bytes < 1024) return format(bytes, 'byte', 'long');
  if (bytes < 1024 * 1024) return format(Math.round(bytes / 1024), 'kilobyte', 'short');
  return format(bytes / (1024 * 1024), 'megabyte', 'short');
}

/**
 * A « Télécharger » button for one file: asks the API for a short-lived link (a complaint's download is
 * recorded then) and follows it; the file downloads under its name, the page stays.
 */
function downloadButton(detail, file, context) {
  const { t, api } = context;
  const button = el(
    'button',
    { type: 'button', 'aria-label': t('attachment.downloadNamed', { filename: file.filename }) },
    t('attachment.download'),
  );
  button.addEventListener('click', async () => {
    const path = `/api/staff/cases/${encodeURIComponent(detail.caseId)}/attachments/${encodeURIComponent(file.attachmentId)}`;
    const response = await api('GET', path);
    if (response.status === 200 && typeof response.body?.url === 'string') {
      window.location.assign(response.body.url);
      return;
    }
    alertError(
      problemCode(response.body) === 'ATTACHMENT_NOT_FOUND'
        ? t('attachment.notFound')
        : errorMessage(response.status, response.body, t),
    );
  });
  return button;
}

function runLogin(context) {
  const { language, storage, auth } = context;
  if (auth.auth === 'cognito') {
    const button = document.getElementById('sign-in');
    button?.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const returnTo = nextFromQuery();
        window.location.assign(
          await beginSignIn({ config: auth, storage, crypto: window.crypto, returnTo, language }),
        );
      } catch {
        button.disabled = false;
        alertError(button.dataset.loginFailed ?? '');
      }
    });
    return;
  }
  const form = document.getElementById('login-form');
  if (!form) return;
  let busy = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    const role = new FormData(form).get('role');
    let session;
    try {
      session = await localSignIn({ config: auth, fetch: globalThis.fetch.bind(globalThis), role });
    } catch {
      session = undefined;
    }
    busy = false;
    if (!session) {
      alertError(form.dataset.loginFailed ?? '');
      return;
    }
    saveSession(storage, session);
    window.location.assign(loginDestination(session.user, nextFromQuery(), language));
  });
}

/** The hosted sign-in's return: the code exchanged (state checked), then the page asked for. */
async function runCallback(context) {
  const { language, storage, auth } = context;
  const failed = () => {
    document.querySelector('[data-callback-working]')?.setAttribute('hidden', '');
    const block = document.getElementById('callback-failed');
    if (block) block.hidden = false;
  };
  if (auth.auth !== 'cognito') return failed();
  try {
    const { session, returnTo } = await completeSignIn({
      config: auth,
      storage,
      fetch: globalThis.fetch.bind(globalThis),
      search: window.location.search,
    });
    saveSession(storage, session);
    // The code and state leave the address (and the history) at once.
    window.location.replace(loginDestination(session.user, returnTo, language));
  } catch {
    failed();
  }
}

/** « Sign in again » comes back to the page the session ended on. */
function runSessionExpired() {
  const link = document.getElementById('sign-in-again');
  const next = nextFromQuery();
  if (link && next)
    link.setAttribute('href', `${link.getAttribute('href')}?next=${encodeURIComponent(next)}`);
}

function dash(t) {
  return [
    el('span', { 'aria-hidden': 'true' }, '—'),
    el('span', { class: 'visually-hidden' }, t('notVisible')),
  ];
}

/** What a refused « assign to me » says, in the page's words: the API's summary and its field messages. */
export function assignErrorText(status, body, t) {
  const { summary, issues } = formErrors(status, body, t);
  const details = issues.map((issue) => issue?.message).filter((message) => typeof message === 'string');
  return [summary, ...details].join(' ');
}

/** A cell of the work list, labelled with its column's name for the stacked (phone) layout. */
function cell(label, ...children) {
  return el('td', { 'data-label': label }, ...children);
}

function caseRow(item, context, onAssign) {
  const { t, language, session, columns, names } = context;
  const reference = item.reference ?? item.caseId;
  const status = [t(`status.${item.status}`)];
  if (item.overdue) status.push(' ', el('strong', { class: 'overdue' }, t('overdue')));
  const kinds = ['acknowledgement', 'answer'];
  if (kinds.some((kind) => item.deadlines?.[kind]?.breachedAt)) {
    status.push(' ', el('strong', { class: 'breached' }, t('breached')));
  }
  if (item.lettersToMail > 0) {
    status.push(' ', el('strong', { class: 'to-mail' }, t('toMail', { n: item.lettersToMail })));
  }
  if (item.enforcementStoppedAt) {
    status.push(' ', el('strong', { class: 'enforcement-stopped' }, t('enforcementStopped')));
  }
  if (item.undeliveredMessages > 0) {
    status.push(' ', el('strong', { class: 'undelivered' }, t('undelivered')));
  }
  const deadlines = el(
    'ul',
    { class: 'row-deadlines' },
    ...kinds
      .filter((kind) => item.deadlines?.[kind])
      .map((kind) =>
        el(
          'li',
          {},
          el('span', { class: 'deadline-kind' }, t(`deadline.${kind}`)),
          ' ',
          deadlineText(item.deadlines[kind], language, t),
        ),
      ),
  );
  const assignment = el(
    'span',
    {},
    item.unit ? unitText(item.unit, t) : t('unassigned'),
    el('br'),
    assigneeText(item.assignee, session.user, t, names),
  );
  const actions = [];
  if (onAssign && canAssignToMe(item, session.user)) {
    const button = el(
      'button',
      { type: 'button', class: 'secondary', 'aria-label': t('assignToMe.label', { reference }) },
      t('assignToMe'),
    );
    button.addEventListener('click', () => onAssign(item, button));
    actions.push(button);
  }
  return el(
    'tr',
    { 'data-case-id': item.caseId, class: item.overdue ? 'is-overdue' : undefined },
    el(
      'th',
      { scope: 'row', 'data-label': columns.reference },
      el('a', { href: casePath('staff', item.caseId, language) }, reference),
    ),
    cell(columns.status, ...status),
    cell(columns.deadlines, deadlines.childElementCount > 0 ? deadlines : t('none')),
    cell(columns.received, quebecDate(item.receivedAt)),
    cell(columns.requester, ...(item.requesterName !== undefined ? [item.requesterName] : dash(t))),
    cell(columns.subject, ...(item.subject !== undefined ? [item.subject] : dash(t))),
    cell(columns.category, t(`category.${item.category}`)),
    cell(columns.assignment, assignment),
    cell(columns.actions, ...actions),
  );
}

/** The names of the work list's columns, read from its header (`data-sort` buttons hold them too). */
function columnNames() {
  const headers = [...document.querySelectorAll('#case-table thead th')];
  const keys = [
    'reference',
    'status',
    'deadlines',
    'received',
    'requester',
    'subject',
    'category',
    'assignment',
    'actions',
  ];
  return Object.fromEntries(keys.map((key, index) => [key, headers[index]?.textContent?.trim() ?? '']));
}

function runWorkList(context) {
  const { t, session, api } = context;
  const form = document.getElementById('list-filters');
  const body = document.querySelector('#case-table tbody');
  const empty = document.getElementById('no-cases');
  const unitSelect = document.getElementById('filter-unit');
  const unitField = document.querySelector('[data-view-unit]');
  if (!form || !body) return;
  /** The display names of the assignees of the lists shown so far (`staffNames` of each answer). */
  const names = {};
  const rowContext = { ...context, columns: columnNames(), names };
  for (const unit of session.user.units) unitSelect?.append(el('option', { value: unit }, unitText(unit, t)));

  const more = document.getElementById('more-cases');
  const caption = document.getElementById('case-table-caption');
  /** Puts a state (from the address) into the filter form. */
  const fill = (state) => {
    for (const [name, value] of Object.entries(state)) {
      const field = form.elements.namedItem(name);
      if (!field) continue;
      if (name === 'view') {
        for (const radio of form.querySelectorAll('input[name="view"]'))
          radio.checked = radio.value === value;
      } else if (field.type === 'checkbox') field.checked = value === true;
      else if ('value' in field) field.value = value;
    }
  };
  fill(listStateFromAddress(window.location.search));
  const filters = () => {
    const data = new FormData(form);
    return {
      view: data.get('view') === 'mine' ? 'mine' : 'unit',
      unit: String(data.get('unit') ?? ''),
      q: String(data.get('q') ?? ''),
      status: String(data.get('status') ?? ''),
      sort: String(data.get('sort') ?? 'deadline'),
      order: String(data.get('order') ?? ''),
      overdue: data.get('overdue') === 'true',
      toMail: data.get('toMail') === 'true',
    };
  };
  let nextCursor;
  let shown = 0;
  const syncView = () => {
    if (unitField) unitField.hidden = filters().view !== 'unit';
  };
  const syncSortHeaders = () => {
    const state = filters();
    for (const header of document.querySelectorAll('#case-table th[data-sort-column]')) {
      const sorted = columnSort(header.dataset.sortColumn, state);
      if (sorted === 'none') header.removeAttribute('aria-sort');
      else header.setAttribute('aria-sort', sorted);
      const indicator = header.querySelector('.sort-indicator');
      if (indicator) indicator.textContent = sorted === 'none' ? '' : sorted === 'ascending' ? ' ▲' : ' ▼';
    }
  };
  /** The filters into the address (a new history entry, so Back returns to the previous list). */
  const remember = () => {
    const address = workListAddress(filters(), context.language);
    if (address !== `${window.location.pathname}${window.location.search}`) {
      window.history.pushState(null, '', address);
    }
  };

  const keys = new Map();
  /** « Assign to me » on a row: the person in the case's unit; the row redrawn and the change said. */
  const assign = async (item, button) => {
    button.disabled = true;
    const key = keys.get(item.caseId) ?? createFormKey(() => crypto.randomUUID());
    keys.set(item.caseId, key);
    announce(t('sending'));
    const response = await api('POST', `/api/staff/cases/${encodeURIComponent(item.caseId)}/reassign`, {
      body: assignToMeBody(item, session.user),
      idempotencyKey: key.current(),
    });
    if (response.status === 401) return;
    key.settle(response.status);
    if (response.status !== 200 && response.status !== 201) {
      button.disabled = false;
      alertError(assignErrorText(response.status, response.body, t));
      return;
    }
    keys.delete(item.caseId);
    const updated = {
      ...item,
      unit: response.body?.unit ?? item.unit,
      assignee: response.body?.assignee ?? session.user.sub,
    };
    const row = button.closest('tr');
    const replacement = caseRow(updated, rowContext, assign);
    row?.replaceWith(replacement);
    replacement.querySelector('a')?.focus();
    announce(t('assignToMe.done', { reference: item.reference ?? item.caseId }));
  };

  /** The first page (`append` false) or the next one after `nextCursor`. */
  const load = async (append = false) => {
    announce(t('loading'));
    syncSortHeaders();
    const current = filters();
    const response = await api(
      'GET',
      listQuery(append && nextCursor ? { ...current, cursor: nextCursor } : current, session.user),
    );
    if (response.status === 401) return;
    if (response.status !== 200) {
      alertError(errorMessage(response.status, response.body, t));
      return;
    }
    const page = Array.isArray(response.body?.cases) ? response.body.cases : [];
    if (response.body?.staffNames && typeof response.body.staffNames === 'object')
      Object.assign(names, response.body.staffNames);
    // The default order is the work order (see `sortCases`); a chosen sort or a search keeps the API's.
    const cases = usesWorkOrder(current) ? sortCases(page) : page;
    const rows = cases.map((item) => caseRow(item, rowContext, assign));
    if (append) body.append(...rows);
    else body.replaceChildren(...rows);
    shown = append ? shown + cases.length : cases.length;
    nextCursor = typeof response.body?.nextCursor === 'string' ? response.body.nextCursor : undefined;
    if (more) more.hidden = nextCursor === undefined;
    if (empty) empty.hidden = shown > 0;
    const count = shown;
    if (caption)
      caption.textContent = listCaption(current, count, nextCursor !== undefined, context.language, t);
    announce(count === 0 ? t('listed.zero') : count === 1 ? t('listed.one') : t('listed.many', { n: count }));
  };

  form.addEventListener('change', (event) => {
    if (event.target?.name === 'view') syncView();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    remember();
    void load();
  });
  form.elements.namedItem('sort')?.addEventListener('change', (event) => {
    const order = form.elements.namedItem('order');
    if (order && 'value' in order) order.value = defaultOrder(event.target.value);
  });
  for (const button of document.querySelectorAll('#case-table button[data-sort]')) {
    button.addEventListener('click', () => {
      const { sort, order } = clickedSort(button.dataset.sort, filters());
      fill({ sort, order });
      remember();
      void load();
    });
  }
  // Back and Forward: the list of that address.
  window.addEventListener('popstate', () => {
    form.reset();
    fill(listStateFromAddress(window.location.search));
    syncView();
    void load();
  });
  more?.addEventListener('click', () => void load(true));
  syncView();
  void load();
}

function formatInstant(instant, language) {
  return instant ? quebecDateTime(instant, language) : undefined;
}

/**
 * The case's facts: the key ones (reference, status, category, unit, assignee, receipt, promised date) in view
 * at the top of the page, the rest under « all details ». Units and categories by name, never by id.
 */
function renderMetadata(detail, context) {
  const { t, language, session } = context;
  const keyList = document.getElementById('case-key-facts');
  const list = document.getElementById('case-metadata');
  if (!list) return;
  list.replaceChildren();
  keyList?.replaceChildren();
  const into = (target) => (key, value) => {
    if (target && value !== undefined && value !== null && value !== '') {
      fact(target, t(`field.${key}`), String(value));
    }
  };
  const key = into(keyList ?? list);
  const add = into(list);
  key('reference', detail.reference);
  key(
    'status',
    t(`status.${detail.status}`) +
      (detail.overdue ? ` — ${t('overdue')}` : '') +
      (detail.enforcementStoppedAt
        ? ` — ${t('enforcementStopped')} (${formatInstant(detail.enforcementStoppedAt, language)})`
        : '') +
      (detail.undeliveredMessages > 0
        ? ` — ${t('undelivered')}. ${t('undeliveredText', { n: detail.undeliveredMessages })}`
        : ''),
  );
  key('category', t(`category.${detail.category}`));
  key('unit', detail.unit ? unitText(detail.unit, t) : t('unassigned'));
  key('assignee', assigneeText(detail.assignee, session.user, t, detail.staffNames));
  key('receivedAt', formatInstant(detail.receivedAt, language));
  key(
    'promisedAnswerDate',
    detail.promisedAnswerDate ? formatLongDate(detail.promisedAnswerDate, language) : undefined,
  );
  add('caseId', detail.caseId);
  add('channel', t(`channel.${detail.channel}`));
  add('confidential', detail.confidential ? t('yes') : t('no'));
  add('registeredAt', formatInstant(detail.registeredAt, language));
  add('acknowledgedAt', formatInstant(detail.acknowledgedAt, language));
  add('answeredAt', formatInstant(detail.answeredAt, language));
  add('dissatisfiedAt', formatInstant(detail.dissatisfiedAt, language));
  add('closedAt', formatInstant(detail.closedAt, language));
  add('closeReason', detail.closeReason ? t(`closeReason.${detail.closeReason}`) : undefined);
  add('handoffCount', detail.handoffCount);
  add('attachmentCount', detail.attachmentCount);
  add('scope', t(`scope.${detail.scope}`));
}

/** A skipped day in words: its date and why (weekday name or the holiday's name in the page's language). */
function skippedText(day, language, t) {
  const why = day.reason === 'holiday' && day.name ? day.name[language] : t(`skipped.${day.reason}`);
  return `${formatLongDate(day.date, language)} (${why})`;
}

function renderDeadlines(detail, context) {
  const { t, language } = context;
  const container = document.getElementById('case-deadlines');
  if (!container) return;
  container.replaceChildren();
  for (const kind of ['acknowledgement', 'answer', 'review']) {
    const deadline = detail.deadlines?.[kind];
    if (!deadline) continue;
    const list = el('dl', { class: 'facts' });
    fact(list, t('field.dueDate'), deadlineText(deadline, language, t));
    if (deadline.overdue) fact(list, t('overdue'), t('yes'));
    if (deadline.outcome) fact(list, t('field.outcome'), t(`outcome.${deadline.outcome}`));
    if (deadline.breachedAt) fact(list, t('field.breachedAt'), quebecDateTime(deadline.breachedAt, language));
    fact(list, t('field.revision'), String(deadline.revision));
    if (deadline.originalDueAt !== deadline.dueAt)
      fact(list, t('field.originalDueAt'), quebecDateTime(deadline.originalDueAt, language));
    if (deadline.proof) {
      fact(list, t('field.calendar'), `${deadline.proof.calendar.id} ${deadline.proof.calendar.version}`);
      fact(list, t('field.explanation'), deadline.proof.explanation?.[language] ?? '');
      const skipped = deadline.proof.skipped ?? [];
      fact(
        list,
        t('field.skipped'),
        skipped.length === 0
          ? t('none')
          : el('ul', {}, ...skipped.map((day) => el('li', {}, skippedText(day, language, t)))),
      );
    }
    container.append(el('section', { class: 'deadline' }, el('h3', {}, t(`deadline.${kind}`)), list));
  }
  if (container.childElementCount === 0) container.append(el('p', {}, t('none')));
}

function renderContent(detail, context) {
  const { t } = context;
  const section = document.getElementById('content-section');
  const container = document.getElementById('case-content');
  if (!section || !container) return;
  const content = detail.content;
  section.hidden = !content;
  container.replaceChildren();
  if (!content) return;
  const list = el('dl', { class: 'facts' });
  const requester = content.requester ?? {};
  fact(list, t('field.requester'), requester.name ?? '');
  if (requester.email) fact(list, t('field.email'), requester.email);
  if (requester.phone) fact(list, t('field.phone'), requester.phone);
  if (requester.postalAddress) {
    const address = requester.postalAddress;
    const lines = [
      ...address.lines,
      [address.municipality, address.province, address.postalCode].filter(Boolean).join(' '),
      address.country,
    ];
    fact(list, t('field.postalAddress'), el('span', { class: 'address' }, lines.join('\n')));
  }
  fact(list, t('field.requesterLanguage'), t(`language.${requester.language}`));
  fact(list, t('field.subject'), content.subject ?? '');
  fact(list, t('field.body'), el('div', { class: 'message-body' }, content.body ?? ''));
  const files = caseFiles(content, context.language, t);
  fact(
    list,
    t('field.attachments'),
    files.length === 0
      ? t('none')
      : el(
          'ul',
          { class: 'attachments' },
          ...files.map(({ file, origin }) =>
            el(
              'li',
              { 'data-attachment-id': file.attachmentId },
              `${file.filename} (${fileSize(file.size, context.language)})${origin ? ` ${origin}` : ''} `,
              downloadButton(detail, file, context),
            ),
          ),
        ),
  );
  container.append(list);
}

/**
 * The case's letters (requester without email): each opens as a PDF (fetched with the session's token) and,
 * until it is recorded as posted, offers the mailing form. Its date defaults to, and cannot pass, the `today`
 * the API gives: the legal day in Québec by the server's clock, not the browser's date (another time zone, or
 * a local stack whose clock was moved); it cannot precede the day the letter was prepared.
 */
async function renderLetters(detail, context, reload) {
  const { t, api, session, language } = context;
  const section = document.getElementById('letters-section');
  const list = document.getElementById('case-letters');
  if (!section || !list) return;
  section.hidden = true;
  list.replaceChildren();
  if (detail.scope !== 'content') return;
  const base = `/api/staff/cases/${encodeURIComponent(detail.caseId)}/letters`;
  const response = await api('GET', base);
  const letters = response.status === 200 ? (response.body?.letters ?? []) : [];
  if (letters.length === 0) return;
  const today = response.body?.today ?? quebecDate(new Date().toISOString());
  for (const letter of letters) {
    const open = el('button', { type: 'button' }, t('letter.open'));
    open.addEventListener('click', async () => {
      const pdf = await fetch(letter.pdf, { headers: { authorization: `Bearer ${session.token}` } });
      if (!pdf.ok) {
        alertError(errorMessage(pdf.status, null, t));
        return;
      }
      window.open(URL.createObjectURL(await pdf.blob()), '_blank', 'noopener');
    });
    const item = el(
      'li',
      { 'data-letter-id': letter.letterId },
      t('letter.item', { template: letter.template, date: formatInstant(letter.createdAt, language) }),
      ' ',
      open,
    );
    if (letter.mailedOn) {
      item.append(' ', el('strong', {}, t('letter.mailedOn', { date: letter.mailedOn })));
    } else {
      const id = `mailed-${letter.letterId}`;
      const date = el('input', {
        type: 'date',
        id,
        name: 'mailedOn',
        required: '',
        value: today,
        max: today,
        min: quebecDate(letter.createdAt),
      });
      const form = el(
        'form',
        { class: 'inline' },
        el('label', { for: id }, t('letter.mailedDate')),
        ' ',
        date,
        ' ',
        el('button', { type: 'submit' }, t('letter.markMailed')),
      );
      const key = crypto.randomUUID();
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const result = await api('POST', `${base}/${letter.letterId}/mailed`, {
          body: { mailedOn: date.value },
          idempotencyKey: `${key}:${date.value}`,
        });
        if (result.status === 200 || result.status === 201) {
          await reload(t('saved'));
          return;
        }
        alertError(formErrors(result.status, result.body, t).summary);
      });
      item.append(' ', el('strong', { class: 'to-mail' }, t('toMail', { n: 1 })), form);
    }
    list.append(item);
  }
  section.hidden = false;
}

/**
 * Who sent a message received on the case and when (Québec time): « Le demandeur (marie@example.org), le
 * 2026-03-04 10 h 30 ».
 */
export function messageByline(message, language, t) {
  const who = t(message?.from === 'requester' ? 'message.fromRequester' : 'message.fromOther');
  const from = message?.fromAddress ? `${who} (${message.fromAddress})` : who;
  return t('message.byline', { from, date: quebecDateTime(message?.receivedAt, language) });
}

/** The messages received on the case after it opened (content readers only), oldest first, as received. */
function renderMessages(detail, context) {
  const { t, language } = context;
  const section = document.getElementById('messages-section');
  const list = document.getElementById('case-messages');
  if (!section || !list) return;
  const messages = Array.isArray(detail.content?.messages) ? detail.content.messages : [];
  section.hidden = messages.length === 0;
  list.replaceChildren(
    ...messages.map((message) =>
      el(
        'li',
        { 'data-message-seq': message.seq },
        el('p', { class: 'note-byline' }, messageByline(message, language, t)),
        message.subject ? el('p', {}, message.subject) : undefined,
        message.text ? el('div', { class: 'message-body' }, message.text) : undefined,
        (message.attachments ?? []).length > 0
          ? el(
              'ul',
              { 'aria-label': t('field.attachments') },
              ...message.attachments.map((attachment) => el('li', {}, attachment.filename)),
            )
          : undefined,
        ...(message.refusedAttachments ?? []).map((refused) =>
          el(
            'p',
            { class: 'hint' },
            t('message.refused', { name: refused.filename, reason: refused.reason }),
          ),
        ),
      ),
    ),
  );
}

/** The internal notes (content readers only): author, Québec date and time, the text as typed, line breaks kept. */
function renderNotes(detail, context) {
  const { t, language } = context;
  const section = document.getElementById('notes-section');
  const list = document.getElementById('case-notes');
  const none = document.getElementById('no-notes');
  if (!section || !list) return;
  const notes = Array.isArray(detail.content?.notes) ? detail.content.notes : [];
  section.hidden = !detail.content;
  list.replaceChildren(
    ...notes.map((note) =>
      el(
        'li',
        { 'data-note-seq': note.seq },
        el('p', { class: 'note-byline' }, noteByline(note, language, t, detail.staffNames)),
        el('div', { class: 'message-body' }, note.text ?? ''),
      ),
    ),
  );
  list.hidden = notes.length === 0;
  if (none) none.hidden = notes.length > 0;
}

/** The answer templates of the case (content readers only) as the choices of « start from a template ». */
function renderAnswerTemplates(detail, context) {
  const { t } = context;
  const field = document.querySelector('[data-answer-templates]');
  const choice = document.getElementById('answer-template');
  const unfilled = document.getElementById('answer-template-unfilled');
  if (!field || !choice) return;
  const templates = Array.isArray(detail.answerTemplates) ? detail.answerTemplates : [];
  const first = choice.querySelector('option');
  choice.replaceChildren(
    ...(first ? [first] : [el('option', { value: '' }, t('none'))]),
    ...templates.map((template) => el('option', { value: template.id }, template.title)),
  );
  field.hidden = templates.length === 0;
  if (unfilled) {
    unfilled.hidden = true;
    unfilled.textContent = '';
  }
}

/**
 * The reassignment form's assignee field proposes the people of the chosen unit by name (a list the field
 * suggests from; an id typed by hand still works, and the API checks it either way).
 */
function renderAssigneeChoices(detail) {
  const field = document.getElementById('reassign-to-assignee');
  const unit = document.getElementById('reassign-to-unit');
  if (!field) return;
  let list = document.getElementById('reassign-assignee-choices');
  if (!list) {
    list = el('datalist', { id: 'reassign-assignee-choices' });
    field.after(list);
    field.setAttribute('list', list.id);
    field.setAttribute('autocomplete', 'off');
    unit?.addEventListener('change', () => fill());
  }
  const fill = () =>
    list.replaceChildren(
      ...assigneeOptions(list.choices, unit?.value).map((option) =>
        el('option', { value: option.value, label: option.label }, option.label),
      ),
    );
  list.choices = detail.assigneeChoices;
  fill();
}

/** Who did something in the history: « Personnel (Marie Tremblay, agent) », the id when no name is known. */
export function actorText(actor, t, names = {}) {
  const kind = t(`actor.${actor?.kind}`);
  if (!actor?.id) return kind;
  const who = actor.kind === 'staff' ? staffName(actor.id, names) : actor.id;
  return `${kind} (${who}${actor.role ? `, ${roleText(actor.role, t)}` : ''})`;
}

/**
 * An event of the history in words: its type, and why (withheld receipt), to whom and how (mail events) or how
 * the requester was reached (`requester.reached`).
 */
function historyText(entry, t) {
  const label = t(`event.${entry.type}`);
  if (entry.reason) return `${label} (${t(`withheld.${entry.reason}`)})`;
  const details = [
    ...(entry.recipient ? [t(`mailEvent.${entry.recipient}`)] : []),
    ...(entry.bounceType ? [t(`bounce.${entry.bounceType}`)] : []),
    ...(entry.channel ? [t(`reach.${entry.channel}`)] : []),
  ];
  return details.length > 0 ? `${label} (${details.join(', ')})` : label;
}

function renderHistory(detail, context) {
  const { t, language } = context;
  const body = document.querySelector('#history-table tbody');
  if (!body) return;
  body.replaceChildren(
    ...(detail.history ?? []).map((entry) =>
      el(
        'tr',
        {},
        el('td', {}, String(entry.seq)),
        el('td', {}, quebecDateTime(entry.at, language)),
        el('td', {}, historyText(entry, t)),
        el('td', {}, actorText(entry.actor, t, detail.staffNames)),
      ),
    ),
  );
}

function showFormErrors(form, messages, issues, prefix) {
  clearErrors(form);
  const wrappers = [...form.querySelectorAll('[data-field]')];
  const names = wrappers.map((wrapper) => wrapper.dataset.field);
  const { byField, general } = splitIssues(issues, names);
  let first = null;
  for (const wrapper of wrappers) {
    const fieldMessages = byField.get(wrapper.dataset.field);
    if (!fieldMessages) continue;
    const control = wrapper.querySelector('input, select, textarea');
    if (!control) continue;
    const errorId = `${control.id}-error`;
    const paragraph = el(
      'p',
      { class: 'error-message', id: errorId },
      el('span', { class: 'visually-hidden' }, `${prefix} `),
      fieldMessages.join(' '),
    );
    wrapper.insertBefore(paragraph, control.closest('.choice') === wrapper ? wrapper.firstChild : control);
    wrapper.classList.add('field-invalid');
    control.setAttribute('aria-invalid', 'true');
    const described = (control.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id !== '');
    control.setAttribute('aria-describedby', [...described, errorId].join(' '));
    first ??= control;
  }
  const summary = form.querySelector('[data-form-error]');
  if (summary) summary.replaceChildren(...[...messages, ...general].map((message) => el('p', {}, message)));
  first?.focus();
}

function runCase(context) {
  const { t, session, api } = context;
  const caseId = caseIdFromPath(window.location.pathname);
  const view = document.getElementById('case-view');
  const title = document.getElementById('case-title');
  const keys = new Map();
  let current = null;

  const showActions = (detail) => {
    const allowed = actionsFor(detail, session.user.roles);
    for (const section of document.querySelectorAll('[data-action-section]')) {
      const action = section.dataset.actionSection;
      const shown = allowed.includes(action);
      section.hidden = !shown;
      const form = section.querySelector('form');
      if (!form) continue;
      form.reset();
      clearErrors(form);
      if (shown) {
        const key = keys.get(action) ?? createFormKey(() => crypto.randomUUID());
        key.renew();
        keys.set(action, key);
      }
    }
    const none = document.getElementById('no-actions');
    // Notes and the undelivered-email task have their own sections: « none » when only those are open.
    if (none) none.hidden = allowed.some((action) => action !== 'note' && action !== 'requester-reached');
    const task = document.getElementById('undelivered-section');
    if (task) {
      task.hidden = !(detail.undeliveredMessages > 0);
      const said = document.getElementById('undelivered-text');
      if (said) said.textContent = t('undeliveredText', { n: detail.undeliveredMessages ?? 0 });
    }
    const moreActions = document.getElementById('more-actions');
    if (moreActions) {
      moreActions.hidden = !moreActions.querySelector('[data-action-section]:not([hidden])');
    }
    const assignButton = document.getElementById('assign-to-me');
    if (assignButton) {
      const offered = detail.scope === 'content' && canAssignToMe(detail, session.user);
      assignButton.hidden = !offered;
      assignButton.disabled = false;
    }
  };

  const load = async (message) => {
    if (!caseId) {
      alertError(t('error.notFound'));
      return false;
    }
    const response = await api('GET', `/api/staff/cases/${encodeURIComponent(caseId)}`);
    if (response.status === 401) return false;
    if (response.status !== 200 || !response.body?.case) {
      if (view) view.hidden = true;
      alertError(errorMessage(response.status, response.body, t));
      return false;
    }
    const detail = response.body.case;
    current = detail;
    const heading = t('caseTitle', { reference: detail.reference ?? detail.caseId });
    if (title) title.textContent = heading;
    document.title = `${heading} – Jalon`;
    renderMetadata(detail, context);
    renderDeadlines(detail, context);
    renderContent(detail, context);
    renderMessages(detail, context);
    await renderLetters(detail, context, load);
    showActions(detail);
    renderNotes(detail, context);
    renderAnswerTemplates(detail, context);
    renderHistory(detail, context);
    renderAssigneeChoices(detail);
    if (view) view.hidden = false;
    announce(message ?? t('loaded'));
    return true;
  };

  // « Assign to me »: the person in the case's unit, with its own idempotency key per display of the case.
  let assignKey = createFormKey(() => crypto.randomUUID());
  const assignButton = document.getElementById('assign-to-me');
  assignButton?.addEventListener('click', async () => {
    if (!current || assignButton.disabled) return;
    assignButton.disabled = true;
    announce(t('sending'));
    const response = await api('POST', `/api/staff/cases/${encodeURIComponent(current.caseId)}/reassign`, {
      body: assignToMeBody(current, session.user),
      idempotencyKey: assignKey.current(),
    });
    if (response.status === 401) return;
    assignKey.settle(response.status);
    if (response.status === 200 || response.status === 201) {
      assignKey = createFormKey(() => crypto.randomUUID());
      const reference = current.reference ?? current.caseId;
      if (await load(t('assignToMe.done', { reference }))) title?.focus();
      return;
    }
    assignButton.disabled = false;
    alertError(assignErrorText(response.status, response.body, t));
  });

  const templateChoice = document.getElementById('answer-template');
  templateChoice?.addEventListener('change', () => {
    const template = (current?.answerTemplates ?? []).find((item) => item.id === templateChoice.value);
    const message = templateChoice.form?.querySelector('textarea[name="message"]');
    const unfilled = document.getElementById('answer-template-unfilled');
    if (!template || !message) return;
    const next = templateText(message.value, template, () =>
      window.confirm(t('template.confirmReplace', { title: template.title })),
    );
    if (next === null) {
      templateChoice.value = '';
      return;
    }
    message.value = next;
    const missing = unfilledText(template, t);
    if (unfilled) {
      unfilled.textContent = missing;
      unfilled.hidden = missing === '';
    }
    if (missing !== '') announce(missing);
    message.focus();
    const caret = templateCaret(next);
    message.setSelectionRange(caret, caret);
    // The template reads from its first line; the cursor waits where the person writes.
    message.scrollTop = 0;
  });

  for (const form of document.querySelectorAll('form[data-action]')) {
    let busy = false;
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (busy || !current) return;
      const action = form.dataset.action;
      const key = keys.get(action);
      if (!key) return;
      busy = true;
      announce(t('sending'));
      const response = await api('POST', `/api/staff/cases/${encodeURIComponent(current.caseId)}/${action}`, {
        body: actionBody(action, new FormData(form).entries()),
        idempotencyKey: key.current(),
      });
      busy = false;
      if (response.status === 401) return;
      key.settle(response.status);
      if (response.status === 200 || response.status === 201) {
        if (await load(t('saved'))) title?.focus();
        // A change of category may take the case out of the person's sight (another unit, confidential).
        else if (action === 'recategorize') announce(t('movedAway'));
        return;
      }
      const { summary, issues } = formErrors(response.status, response.body, t);
      showFormErrors(form, [summary], issues, t('error.prefix'));
      alertError(summary);
    });
  }
  void load();
}

/** The shells this script runs; the intake and holding-pen pages run their own, which import its helpers. */
const PAGES = ['login', 'callback', 'session-expired', 'work-list', 'case'];

if (typeof document !== 'undefined' && PAGES.includes(document.body?.dataset.page)) {
  const page = document.body.dataset.page;
  const signInPage = page === 'login' || page === 'callback' || page === 'session-expired';
  const context = startPage({ requireSession: !signInPage });
  if (context) {
    if (page === 'login') runLogin(context);
    else if (page === 'callback') void runCallback(context);
    else if (page === 'session-expired') runSessionExpired();
    else if (page === 'work-list') runWorkList(context);
    else if (page === 'case') runCase(context);
  }
}
