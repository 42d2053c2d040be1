/**
 * The auditor's page (plain ES module): « verify the ledger » (`GET /api/audit/ledger/verify`), a case lookup,
 * and a case's timeline (`GET /api/audit/cases/{caseId}/timeline`: metadata, deadlines with their proofs,
 * ledger events with their hashes, the workflow executions and the case's chain check). Every sentence comes
 * from the page.
 */

import {
  alertError,
  announce,
  caseIdFromPath,
  casePath,
  el,
  errorMessage,
  fact,
  formatLongDate,
  lateText,
  quebecDateTime,
  startPage,
} from './staff-common.js';

/**
 * A deadline's outcome on the timeline, its breach stated explicitly: « Non respectée — Échéance dépassée le
 * 2026-03-16 23 h 59, 2 jours ouvrables de retard ».
 */
export function outcomeText(deadline, language, t) {
  if (!deadline.outcome) return '';
  const label = t(`outcome.${deadline.outcome}`);
  if (!deadline.breachedAt) return label;
  const when = quebecDateTime(deadline.breachedAt, language);
  return `${label} — ${t('field.breachedAt')} ${when}, ${lateText(deadline.lateBusinessDays, t)}`;
}

/** The result of a ledger verification in words: intact with its counts, or how many cases are broken. */
export function verifyMessage(result, t) {
  const counts = { cases: result?.cases ?? 0, events: result?.events ?? 0 };
  if (result?.ok) return t('verify.ok', counts);
  const listed = Array.isArray(result?.badCases) ? result.badCases.length : 0;
  const summary = t('verify.bad', { ...counts, count: result?.badCaseCount ?? listed });
  return result?.truncated ? `${summary} ${t('verify.truncated', { shown: listed })}` : summary;
}

/** One line per broken case the verification lists (case id, first bad event, problem), in its order. */
export function verifyItems(result, t) {
  if (result?.ok || !Array.isArray(result?.badCases)) return [];
  return result.badCases.map((bad) => ({
    caseId: String(bad?.caseId ?? '?'),
    text: t('verify.item', {
      caseId: bad?.caseId ?? '?',
      seq: bad?.seq ?? '?',
      problem: bad?.problem ?? '?',
    }),
  }));
}

/** The case's chain check in words. */
export function chainMessage(chain, t) {
  if (chain?.ok) return t('chain.ok');
  return t('chain.bad', { seq: chain?.seq ?? '?', problem: chain?.problem ?? '?' });
}

/** The case id typed in the lookup, trimmed; null when empty. */
export function lookupTarget(value) {
  const caseId = String(value ?? '').trim();
  return caseId === '' ? null : caseId;
}

function cell(value) {
  return el('td', {}, value === undefined || value === null ? '' : String(value));
}

function code(value) {
  return el('td', {}, value ? el('code', { class: 'hash' }, value) : '');
}

function actorText(actor, t) {
  const kind = t(`actor.${actor?.kind}`);
  return actor?.id ? `${kind} (${actor.id}${actor.role ? `, ${actor.role}` : ''})` : kind;
}

function renderTimeline(timeline, context) {
  const { t, language } = context;
  const summary = timeline.case ?? {};
  const reference = summary.reference ?? summary.caseId ?? '';
  const heading = document.getElementById('timeline-title');
  if (heading) heading.textContent = t('timelineTitle', { reference });
  document.title = `${t('timelineTitle', { reference })} – Jalon`;

  const chain = document.getElementById('chain-status');
  if (chain) {
    chain.textContent = chainMessage(timeline.chain, t);
    chain.classList.toggle('result-bad', !timeline.chain?.ok);
  }

  const list = document.getElementById('timeline-metadata');
  if (list) {
    list.replaceChildren();
    const add = (key, value) => {
      if (value !== undefined && value !== null && value !== '') fact(list, t(`field.${key}`), String(value));
    };
    add('reference', summary.reference);
    add('caseId', summary.caseId);
    add('category', summary.category ? t(`category.${summary.category}`) : undefined);
    add('channel', summary.channel ? t(`channel.${summary.channel}`) : undefined);
    add('status', summary.status ? t(`status.${summary.status}`) : undefined);
    add(
      'confidential',
      summary.confidential === undefined ? undefined : summary.confidential ? t('yes') : t('no'),
    );
    add('unit', summary.unit);
    add('assignee', summary.assignee);
    add('receivedAt', summary.receivedAt ? quebecDateTime(summary.receivedAt, language) : undefined);
    add('handoffCount', summary.handoffCount);
  }

  const deadlines = document.querySelector('#timeline-deadlines tbody');
  deadlines?.replaceChildren(
    ...(timeline.deadlines ?? []).map((deadline) =>
      el(
        'tr',
        {},
        el('th', { scope: 'row' }, t(`deadline.${deadline.kind}`)),
        cell(formatLongDate(deadline.dueDate, language)),
        cell(deadline.revision),
        cell(quebecDateTime(deadline.originalDueAt, language)),
        cell(deadline.metAt ? quebecDateTime(deadline.metAt, language) : t('no')),
        cell(deadline.overdue ? t('yes') : t('no')),
        cell(outcomeText(deadline, language, t)),
        cell(deadline.proof?.explanation?.[language] ?? ''),
      ),
    ),
  );

  const events = document.querySelector('#timeline-events tbody');
  events?.replaceChildren(
    ...(timeline.events ?? []).map((event) =>
      el(
        'tr',
        {},
        el('th', { scope: 'row' }, String(event.seq)),
        cell(quebecDateTime(event.at, language)),
        cell(t(`event.${event.type}`)),
        cell(actorText(event.actor, t)),
        code(event.hash),
        code(event.prevHash),
      ),
    ),
  );

  const executions = document.getElementById('timeline-executions');
  if (executions) {
    const columns = (executions.dataset.columns ?? '').split('|');
    const runs = timeline.execution ?? [];
    executions.replaceChildren(
      ...(runs.length === 0
        ? [el('p', {}, t('execution.none'))]
        : runs.map((run) =>
            el(
              'div',
              { class: 'table-scroll' },
              el(
                'table',
                {},
                el('caption', {}, t('execution.caption', { name: run.name, status: run.status })),
                el('thead', {}, el('tr', {}, ...columns.map((label) => el('th', { scope: 'col' }, label)))),
                el(
                  'tbody',
                  {},
                  ...(run.events ?? []).map((step) =>
                    el(
                      'tr',
                      {},
                      el('th', { scope: 'row' }, String(step.id)),
                      cell(quebecDateTime(step.timestamp, language)),
                      cell(step.type),
                      cell(step.state ?? ''),
                    ),
                  ),
                ),
              ),
            ),
          )),
    );
  }
  const section = document.getElementById('timeline');
  if (section) section.hidden = false;
}

function runAudit(context) {
  const { t, language, api } = context;
  const verifyButton = document.getElementById('verify-ledger');
  const verifyResult = document.getElementById('verify-result');
  let verifying = false;
  verifyButton?.addEventListener('click', async () => {
    if (verifying) return;
    verifying = true;
    verifyButton.setAttribute('aria-disabled', 'true');
    if (verifyResult) verifyResult.textContent = t('verify.running');
    const response = await api('GET', '/api/audit/ledger/verify');
    verifying = false;
    verifyButton.removeAttribute('aria-disabled');
    if (response.status === 401) return;
    if (response.status !== 200) {
      if (verifyResult) verifyResult.textContent = '';
      // No case is named here: a 404 means the route itself is missing.
      alertError(
        response.status === 404 ? t('error.unavailable') : errorMessage(response.status, response.body, t),
      );
      return;
    }
    if (verifyResult) {
      verifyResult.textContent = verifyMessage(response.body, t);
      verifyResult.classList.toggle('result-bad', !response.body?.ok);
    }
    const badList = document.getElementById('verify-bad-cases');
    if (badList) {
      const items = verifyItems(response.body, t);
      badList.replaceChildren(
        ...items.map((item) =>
          el('li', {}, el('a', { href: casePath('audit', item.caseId, language) }, item.text)),
        ),
      );
      badList.hidden = items.length === 0;
    }
  });

  const lookup = document.getElementById('case-lookup');
  const input = document.getElementById('lookup-case-id');
  lookup?.addEventListener('submit', (event) => {
    event.preventDefault();
    const caseId = lookupTarget(input?.value);
    if (caseId === null) {
      input?.focus();
      return;
    }
    window.location.assign(casePath('audit', caseId, language));
  });

  const caseId = caseIdFromPath(window.location.pathname);
  if (caseId === null) return;
  if (input) input.value = caseId;
  void (async () => {
    announce(t('loading'));
    const response = await api('GET', `/api/audit/cases/${encodeURIComponent(caseId)}/timeline`);
    if (response.status === 401) return;
    if (response.status !== 200 || !response.body) {
      alertError(errorMessage(response.status, response.body, t));
      return;
    }
    renderTimeline(response.body, context);
    announce(t('loaded'));
  })();
}

if (typeof document !== 'undefined' && document.body?.dataset.page === 'audit') {
  const context = startPage();
  if (context) runAudit(context);
}
