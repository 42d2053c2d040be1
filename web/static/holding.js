/**
 * The holding-pen page (plain ES module): held email the person may see (`GET /api/staff/holding`, oldest
 * first by default, a page at a time with the API's cursor), one item read (`GET /api/staff/holding/{itemId}`)
 * and triaged: attached to a case given by id or reference, registered as a new case, or dismissed
 * (`POST /api/staff/holding/{itemId}/attach|register|dismiss`). What a person may see is the API's decision.
 * Every sentence comes from the page or the API.
 */

import {
  alertError,
  announce,
  casePath,
  el,
  errorMessage,
  fact,
  pluralForm,
  quebecDateTime,
  startPage,
} from './staff-common.js';
import { createFormKey, formErrors } from './staff.js';
import { clearErrors, showErrors } from './staff-forms.js';
import { formValues, requesterBody, syncRequester } from './intake.js';

/** Rows per page of the list. */
export const PAGE_SIZE = 20;
const STATUSES = ['open', 'recorded', 'resolved'];

/** `GET /api/staff/holding` for the filters (`HoldingListQuerySchema`) and the page's cursor. */
export function holdingQuery(filters, cursor) {
  const query = new URLSearchParams();
  query.set('status', STATUSES.includes(filters.status) ? filters.status : 'open');
  if (typeof filters.kind === 'string' && filters.kind !== '') query.set('kind', filters.kind);
  query.set('order', filters.order === 'newest' ? 'newest' : 'oldest');
  query.set('limit', String(PAGE_SIZE));
  if (typeof cursor === 'string' && cursor !== '') query.set('cursor', cursor);
  return `/api/staff/holding?${query.toString()}`;
}

/**
 * The body of a triage (`HoldingAttachBodySchema`, `HoldingRegisterBodySchema`, `HoldingDismissBodySchema`):
 * the case to attach to (its id, once a reference is resolved), the category and requester of a new case (its
 * subject and text only when typed: the message's otherwise), the reason of a dismissal (its note when typed).
 */
export function triageBody(action, entries, caseId) {
  const values = formValues(entries);
  const optional = (name) => {
    const value = (values[name] ?? '').trim();
    return value !== '' ? { [name]: name === 'body' ? values[name] : value } : {};
  };
  switch (action) {
    case 'attach':
      return { caseId: caseId ?? (values.caseId ?? '').trim() };
    case 'register':
      return {
        category: values.category ?? '',
        requester: requesterBody(values),
        ...optional('subject'),
        ...optional('body'),
      };
    case 'dismiss':
      return { reason: values.reason ?? '', ...optional('note') };
    default:
      throw new RangeError(`unknown triage: ${action}`);
  }
}

/**
 * How a triaged item was dealt with, in words: « Versé au dossier SCT-… par Agent Démo (agent), le … »; who
 * triaged it by their directory name (`names`), the id when it has none.
 */
export function triageText(triage, language, t, names = {}) {
  const outcome = ['attached', 'case-created', 'dismissed'].includes(triage?.outcome)
    ? triage.outcome
    : 'dismissed';
  const named = Object.hasOwn(names ?? {}, triage.by) ? names[triage.by] : undefined;
  const who = typeof named === 'string' && named !== '' ? named : triage.by;
  const by = triage.role ? `${who} (${triage.role})` : who;
  const reason = triage.reason ? t(`holding.dismissReason.${triage.reason}`) : '';
  const text = t(`holding.triage.${outcome}`, {
    case: triage.caseId ?? '',
    by,
    date: triage.at ? quebecDateTime(triage.at, language) : '',
    reason,
  });
  return triage.note ? `${text} — ${triage.note}` : text;
}

/** The email open in the address (`?item=<id>`), or undefined: a reload, Back or a shared link reopens it. */
export function itemFromSearch(search) {
  const itemId = new URLSearchParams(search).get('item');
  return itemId !== null && itemId.trim() !== '' ? itemId : undefined;
}

/** The address `search` with the email `itemId` open (or none when undefined), other parameters kept. */
export function searchWithItem(search, itemId) {
  const query = new URLSearchParams(search);
  if (itemId === undefined) query.delete('item');
  else query.set('item', itemId);
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}

/** What the page says once a list is shown: « 3 courriels retenus affichés. », « Aucun courriel retenu. » */
export function listedText(count, language, t) {
  if (count === 0) return t('holding.loaded.zero');
  return t(`holding.loaded.${pluralForm(count, language)}`, { n: count });
}

function dash(t) {
  return [
    el('span', { 'aria-hidden': 'true' }, '—'),
    el('span', { class: 'visually-hidden' }, t('notVisible')),
  ];
}

function runHolding(context) {
  const { t, api, language } = context;
  const filtersForm = document.getElementById('holding-filters');
  const body = document.querySelector('#holding-table tbody');
  const empty = document.getElementById('no-held');
  const previous = document.getElementById('holding-previous');
  const next = document.getElementById('holding-next');
  const pageLabel = document.getElementById('holding-page');
  const view = document.getElementById('held-view');
  const title = document.getElementById('held-title');
  const actions = document.getElementById('held-actions');
  if (!filtersForm || !body || !view) return;

  /** The cursors of the pages seen so far: the first page has none. */
  let cursors = [undefined];
  let nextCursor;
  let current = null;
  const keys = new Map();

  const filters = () => {
    const data = new FormData(filtersForm);
    return {
      status: String(data.get('status') ?? 'open'),
      kind: String(data.get('kind') ?? ''),
      order: String(data.get('order') ?? 'oldest'),
    };
  };

  const row = (item) => {
    const headerId = `held-row-${item.itemId}`;
    // Each button says which email it opens (its visible word first): a list of « Lire » alone tells a screen
    // reader's button list nothing.
    const when = quebecDateTime(item.receivedAt, language);
    const read = el(
      'button',
      { type: 'button', 'aria-label': t('holding.readItem', { date: when }), 'aria-describedby': headerId },
      t('holding.read'),
    );
    read.addEventListener('click', () => void openItem(item.itemId));
    return el(
      'tr',
      { 'data-item-id': item.itemId },
      el('th', { scope: 'row', id: headerId }, when),
      el('td', {}, t(`holding.kind.${item.kind}`)),
      el('td', {}, ...(item.fromDomain ? [item.fromDomain] : dash(t))),
      el('td', {}, ...(item.subject !== undefined ? [item.subject] : dash(t))),
      el('td', {}, String(item.attachmentCount ?? 0)),
      el('td', {}, t(`holding.status.${item.status}`)),
      el('td', {}, read),
    );
  };

  const loadList = async (message) => {
    announce(t('loading'));
    const cursor = cursors[cursors.length - 1];
    const response = await api('GET', holdingQuery(filters(), cursor));
    if (response.status === 401) return false;
    if (response.status !== 200) {
      alertError(errorMessage(response.status, response.body, t));
      return false;
    }
    const items = Array.isArray(response.body?.items) ? response.body.items : [];
    body.replaceChildren(...items.map(row));
    if (empty) empty.hidden = items.length > 0;
    nextCursor = typeof response.body?.cursor === 'string' ? response.body.cursor : undefined;
    if (next) next.hidden = nextCursor === undefined;
    if (previous) previous.hidden = cursors.length <= 1;
    // A page number means something only when there is another page.
    const paged = nextCursor !== undefined || cursors.length > 1;
    if (pageLabel) pageLabel.textContent = paged ? t('holding.page', { n: cursors.length }) : '';
    const listed = listedText(items.length, language, t);
    announce(message ? `${message} ${listed}` : listed);
    return true;
  };

  const showActions = (item) => {
    const open = item.status !== 'resolved' && item.scope === 'content';
    if (actions) actions.hidden = !open;
    for (const form of document.querySelectorAll('form[data-held-action]')) {
      form.reset();
      clearErrors(form);
      const action = form.dataset.heldAction;
      const key = keys.get(action) ?? createFormKey(() => crypto.randomUUID());
      key.renew();
      keys.set(action, key);
      if (action === 'attach' && item.suggestedCase) {
        const caseField = form.elements.namedItem('caseId');
        if (caseField) caseField.value = item.suggestedCase.reference ?? item.suggestedCase.caseId;
      }
      if (action === 'register' && item.message?.from) {
        const name = form.elements.namedItem('requester.name');
        const email = form.elements.namedItem('requester.email');
        if (name) name.value = item.message.from.name ?? '';
        if (email) email.value = item.message.from.address;
      }
      if (action === 'register') syncRequester(form);
    }
  };

  const renderItem = (item) => {
    const facts = document.getElementById('held-facts');
    const message = document.getElementById('held-message');
    if (!facts || !message) return;
    facts.replaceChildren();
    const from = item.message?.from;
    if (from)
      fact(facts, t('holding.field.from'), from.name ? `${from.name} <${from.address}>` : from.address);
    else if (item.fromDomain) fact(facts, t('holding.field.fromDomain'), item.fromDomain);
    if (item.mailbox) fact(facts, t('holding.field.mailbox'), item.mailbox);
    const subject = item.message?.subject ?? item.subject;
    if (subject !== undefined) fact(facts, t('holding.field.subject'), subject);
    fact(facts, t('holding.field.receivedAt'), quebecDateTime(item.receivedAt, language));
    fact(facts, t('holding.field.why'), t(`holding.kind.${item.kind}`));
    if (item.detail) fact(facts, t('holding.field.detail'), item.detail);
    fact(facts, t('holding.field.status'), t(`holding.status.${item.status}`));
    fact(facts, t('holding.field.legalHold'), t(item.legalHold ? 'yes' : 'no'));
    fact(facts, t('holding.field.confidential'), t(item.confidential ? 'yes' : 'no'));
    if (item.suggestedCase) {
      const shown = item.suggestedCase.reference ?? item.suggestedCase.caseId;
      fact(
        facts,
        t('holding.field.suggestedCase'),
        el('a', { href: casePath('staff', item.suggestedCase.caseId, language) }, shown),
      );
    }
    if (item.triage)
      fact(facts, t('holding.field.triage'), triageText(item.triage, language, t, item.staffNames));
    message.replaceChildren();
    if (item.scope !== 'content') {
      message.append(el('p', {}, t('holding.metadataOnly')));
      if (item.attachmentCount !== undefined)
        fact(facts, t('holding.field.attachmentCount'), String(item.attachmentCount));
      return;
    }
    if (!item.message) {
      message.append(el('p', {}, t('holding.unreadable')));
      return;
    }
    const content = el('dl', { class: 'facts' });
    fact(content, t('holding.field.text'), el('div', { class: 'message-body' }, item.message.text ?? ''));
    const files = Array.isArray(item.message.attachments) ? item.message.attachments : [];
    fact(
      content,
      t('holding.field.attachments'),
      files.length === 0
        ? t('none')
        : el(
            'ul',
            {},
            ...files.map((file) =>
              el(
                'li',
                {},
                t('holding.size', {
                  name: file.filename,
                  type: file.contentType,
                  kb: Math.max(1, Math.round(file.size / 1024)),
                }),
              ),
            ),
          ),
    );
    message.append(content);
  };

  /**
   * The open email into the address: `push` a new history entry (Back closes it), `replace` the current one
   * (an email that is gone), or leave it as it is (the address already says it: a reload, Back, Forward).
   */
  const setAddress = (itemId, mode) => {
    const address = window.location.pathname + searchWithItem(window.location.search, itemId);
    if (address === window.location.pathname + window.location.search) return;
    if (mode === 'push') window.history.pushState(null, '', address);
    else if (mode === 'replace') window.history.replaceState(null, '', address);
  };

  const closeItem = () => {
    current = null;
    view.hidden = true;
  };

  const openItem = async (itemId, mode = 'push') => {
    announce(t('loading'));
    const response = await api('GET', `/api/staff/holding/${encodeURIComponent(itemId)}`);
    if (response.status === 401) return;
    if (response.status !== 200 || !response.body?.item) {
      // An address naming an email the person may not read (or no longer exists) opens the list alone.
      if (mode !== 'push') setAddress(undefined, 'replace');
      closeItem();
      alertError(errorMessage(response.status, response.body, t));
      return;
    }
    setAddress(itemId, mode);
    const item = response.body.item;
    current = item;
    if (title)
      title.textContent = t('holding.itemTitle', { date: quebecDateTime(item.receivedAt, language) });
    renderItem(item);
    showActions(item);
    view.hidden = false;
    title?.focus();
    announce(title?.textContent ?? '');
  };

  /** The case id of what the person typed (an id or a reference), or the refusal to show next to the field. */
  const resolveCase = async (typed) => {
    const value = typed.trim();
    if (value === '') return { caseId: '' };
    // The case the message names, as the API showed it: no look-up needed.
    const suggested = current?.suggestedCase;
    if (suggested && (value === suggested.reference || value === suggested.caseId)) {
      return { caseId: suggested.caseId };
    }
    const response = await api('GET', `/api/staff/cases/${encodeURIComponent(value)}`);
    if (response.status === 200 && response.body?.case?.caseId) return { caseId: response.body.case.caseId };
    if (response.status === 401) return { stop: true };
    const message =
      response.status === 404 ? t('holding.caseNotFound') : errorMessage(response.status, response.body, t);
    return { refused: { summary: message, issues: [{ path: 'caseId', message }] } };
  };

  for (const form of document.querySelectorAll('form[data-held-action]')) {
    let busy = false;
    form.addEventListener('change', (event) => {
      if (event.target?.name === 'requester.language' || event.target?.name === 'contact')
        syncRequester(form);
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (busy || !current) return;
      const action = form.dataset.heldAction;
      const key = keys.get(action);
      if (!key) return;
      busy = true;
      announce(t('sending'));
      let caseId;
      // The case as the person named it (its reference, usually): the attach answers with its id only.
      const typedCase = String(new FormData(form).get('caseId') ?? '').trim();
      if (action === 'attach') {
        const resolved = await resolveCase(typedCase);
        if (resolved.stop) {
          busy = false;
          return;
        }
        if (resolved.refused) {
          busy = false;
          announce('');
          showErrors(form, resolved.refused.summary, resolved.refused.issues, t('error.prefix'));
          return;
        }
        caseId = resolved.caseId;
      }
      const response = await api(
        'POST',
        `/api/staff/holding/${encodeURIComponent(current.itemId)}/${action}`,
        { body: triageBody(action, new FormData(form).entries(), caseId), idempotencyKey: key.current() },
      );
      busy = false;
      if (response.status === 401) return;
      key.settle(response.status);
      if (response.status === 200 || response.status === 201) {
        const result = response.body ?? {};
        const outcome =
          action === 'attach' ? 'attached' : action === 'register' ? 'case-created' : 'dismissed';
        const done = t(`holding.done.${outcome}`, {
          case: result.reference ?? (typedCase !== '' ? typedCase : (result.caseId ?? '')),
        });
        // Dealt with: the address no longer names it, so a reload shows the list.
        setAddress(undefined, 'replace');
        closeItem();
        await loadList(done);
        document.getElementById('holding-title')?.focus();
        return;
      }
      const { summary, issues } = formErrors(response.status, response.body, t);
      // The summary above the form takes the focus and says it all: no second copy in the alert region.
      announce('');
      showErrors(form, summary, issues, t('error.prefix'));
    });
  }

  filtersForm.addEventListener('submit', (event) => {
    event.preventDefault();
    cursors = [undefined];
    setAddress(undefined, 'replace');
    closeItem();
    void loadList();
  });
  next?.addEventListener('click', () => {
    if (nextCursor === undefined) return;
    cursors = [...cursors, nextCursor];
    void loadList().then(() => body.closest('.table-scroll')?.focus());
  });
  previous?.addEventListener('click', () => {
    if (cursors.length <= 1) return;
    cursors = cursors.slice(0, -1);
    void loadList().then(() => body.closest('.table-scroll')?.focus());
  });
  // Back and Forward: the email of that address, or none.
  window.addEventListener('popstate', () => {
    const itemId = itemFromSearch(window.location.search);
    if (itemId === undefined) {
      closeItem();
      document.getElementById('holding-title')?.focus();
    } else if (itemId !== current?.itemId) void openItem(itemId, 'keep');
  });
  const opened = itemFromSearch(window.location.search);
  void loadList().then((listed) => {
    if (listed && opened !== undefined) void openItem(opened, 'keep');
  });
}

if (typeof document !== 'undefined' && document.body?.dataset.page === 'holding') {
  const context = startPage();
  if (context) runHolding(context);
}
