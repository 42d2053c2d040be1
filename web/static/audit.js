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
  countText,
  el,
  errorMessage,
  fact,
  formatLongDate,
  lateText,
  pluralForm,
  quebecDateTime,
  startPage,
  roleText,
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

/**
 * The result of a ledger verification in words, with the grammar of the page's language: intact with its
 * counts, or how many cases are broken (« 1 dossier sur 3 échoue », « 2 dossiers sur 3 échouent »).
 */
export function verifyMessage(result, t, language = 'fr') {
  const cases = result?.cases ?? 0;
  const events = result?.events ?? 0;
  if (result?.ok) {
    return t('verify.ok', {
      cases: countText('cases', cases, language, t),
      events: countText('events', events, language, t),
    });
  }
  const listed = Array.isArray(result?.badCases) ? result.badCases.length : 0;
  const broken = result?.badCaseCount ?? listed;
  const summary = t(`verify.bad.${pluralForm(broken, language)}`, {
    count: countText('cases', broken, language, t),
    cases,
    events: countText('eventsRead', events, language, t),
  });
  if (!result?.truncated) return summary;
  return `${summary} ${t(`verify.truncated.${pluralForm(listed, language)}`, { shown: listed })}`;
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

/** A staff member's display name from the timeline's `staffNames`, the id when it has none. */
function staffName(id, names) {
  const named = names && Object.hasOwn(names, id) ? names[id] : undefined;
  return typeof named === 'string' && named !== '' ? named : id;
}

/** Who did something: « Personnel (Marie Tremblay, agent) », the id when the directory gives no name. */
export function actorText(actor, t, names = {}) {
  const kind = t(`actor.${actor?.kind}`);
  if (!actor?.id) return kind;
  const who = actor.kind === 'staff' ? staffName(actor.id, names) : actor.id;
  return `${kind} (${who}${actor.role ? `, ${roleText(actor.role, t)}` : ''})`;
}

/**
 * What one chronology entry says, in the page's language: a ledger event by its type, a workflow step by its
 * name (« Calcul des échéances »), the start or end of a run with the run's name.
 */
export function chronologyWhat(entry, t) {
  if (entry?.source === 'ledger') return t(`event.${entry.type}`);
  if (entry?.phase === 'step-entered')
    return entry.step ? t(`step.${entry.step}`) : (entry.historyType ?? '');
  const phase = t(`phase.${entry?.phase}`, { name: entry?.execution ?? '' });
  return entry?.step ? `${phase} (${t(`step.${entry.step}`)})` : phase;
}

/** A run's status in the page's language; a status Step Functions adds later shows as it is named. */
export function executionStatusText(status, t) {
  const key = `executionStatus.${status}`;
  const label = t(key);
  return label === key ? String(status ?? '') : label;
}

/** One row per chronology entry: when, source, what, by whom (the actor, or the run), and a ledger event's hashes. */
function chronologyRows(entries, context, names) {
  const { t, language } = context;
  return entries.map((entry) => {
    const ledger = entry.source === 'ledger';
    return el(
      'tr',
      { class: ledger ? 'entry-ledger' : 'entry-workflow' },
      el('th', { scope: 'row' }, quebecDateTime(entry.at, language)),
      cell(t(`chronology.${ledger ? 'ledger' : 'workflow'}`)),
      cell(chronologyWhat(entry, t)),
      cell(ledger ? actorText(entry.actor, t, names) : t('chronology.run', { generation: entry.generation })),
      cell(ledger ? entry.seq : ''),
      code(ledger ? entry.hash : ''),
      code(ledger ? entry.prevHash : ''),
    );
  });
}

/** A unit in words: its name from the policy (the page's words), else its id. */
function unitText(unit, t) {
  const name = t(`unit.${unit}`);
  return name === `unit.${unit}` ? unit : name;
}

/**
 * The case's facts at the head of its timeline, as [label, value] pairs in the page's language: category,
 * channel, status and unit by name (as on the case page), never by id; absent facts left out.
 */
export function timelineFacts(summary, language, t, names = {}) {
  const facts = [
    ['reference', summary?.reference],
    ['caseId', summary?.caseId],
    ['category', summary?.category ? t(`category.${summary.category}`) : undefined],
    ['channel', summary?.channel ? t(`channel.${summary.channel}`) : undefined],
    ['status', summary?.status ? t(`status.${summary.status}`) : undefined],
    [
      'confidential',
      summary?.confidential === undefined ? undefined : summary.confidential ? t('yes') : t('no'),
    ],
    ['unit', summary?.unit ? unitText(summary.unit, t) : undefined],
    ['assignee', summary?.assignee ? staffName(summary.assignee, names) : undefined],
    ['receivedAt', summary?.receivedAt ? quebecDateTime(summary.receivedAt, language) : undefined],
    ['handoffCount', summary?.handoffCount],
  ];
  return facts
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => [t(`field.${key}`), String(value)]);
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
    for (const [label, value] of timelineFacts(summary, language, t, timeline.staffNames))
      fact(list, label, value);
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
  events?.replaceChildren(...chronologyRows(timeline.chronology ?? [], context, timeline.staffNames));

  const executions = document.querySelector('#timeline-executions tbody');
  const runs = timeline.execution ?? [];
  executions?.replaceChildren(
    ...(runs.length === 0
      ? [el('tr', {}, el('td', { colspan: '4' }, t('execution.none')))]
      : runs.map((run) =>
          el(
            'tr',
            {},
            el('th', { scope: 'row' }, run.name),
            cell(executionStatusText(run.status, t)),
            cell(run.startDate ? quebecDateTime(run.startDate, language) : ''),
            cell(run.stopDate ? quebecDateTime(run.stopDate, language) : ''),
          ),
        )),
  );
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
      verifyResult.textContent = verifyMessage(response.body, t, language);
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
