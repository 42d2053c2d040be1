/**
 * The auditor's page (plain ES module): « verify the ledger » (the verification job: `POST
 * /api/audit/ledger/verifications`, then `GET …/verifications/latest` until the run it answered has ended), a
 * case lookup, and a case's timeline (`GET /api/audit/cases/{caseId}/timeline`: metadata, deadlines with their
 * proofs, ledger events with their hashes, the workflow executions and the case's chain check). Every sentence
 * comes from the page.
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

/** A finding's problem in words (« le miroir inaltérable n’a pas cet événement »), else its code. */
export function problemText(problem, t) {
  const key = `problem.${problem}`;
  const text = t(key);
  return text === key ? String(problem ?? '?') : text;
}

/** One line per broken case the verification lists (case id, first bad event, its problem in words). */
export function verifyItems(result, t) {
  if (result?.ok || !Array.isArray(result?.badCases)) return [];
  return result.badCases.map((bad) => ({
    caseId: String(bad?.caseId ?? '?'),
    text: t('verify.item', {
      caseId: bad?.caseId ?? '?',
      seq: bad?.seq ?? '?',
      problem: problemText(bad?.problem, t),
    }),
  }));
}

/**
 * A running verification's progress: the cases checked, out of the number of cases in the latest signed digest
 * while that number is still ahead (cases opened since the digest are not in it, so it is « about »); then the
 * digest's heads checked out of its heads.
 */
export function verificationProgressText(run, t) {
  const cases = run?.cases ?? 0;
  const digest = run?.digest;
  const signed = digest?.status === 'valid' || digest?.status === 'invalid';
  if (run?.phase === 'digest' && signed) {
    return t('verify.progress.digest', { cases, checked: digest.checked ?? 0, heads: digest.heads ?? 0 });
  }
  const total = signed ? (digest.heads ?? 0) : 0;
  return total > cases
    ? t('verify.progress.total', { checked: cases, total })
    : t('verify.progress', { checked: cases });
}

/**
 * What the page shows after one look at `GET …/verifications/latest` (`answer`: `{latest, lastFinished}`) while
 * it follows `followed` (`{runId, startedAt}`, the run it started or found running; null: none yet):
 * - `run`: the run of the result line (null: the followed run has stored nothing yet, or there is no run);
 * - `last`: the last finished run, shown beside a run in progress (null otherwise);
 * - `next`: the run to look at again (null: stop looking).
 * The start answers before the run's first step stores it: until then `latest` is the previous run (or null)
 * and the followed run is waited for, never taken from it. A run started later than the followed one (by
 * another auditor, after it ended) is followed in its turn.
 */
export function verificationView(answer, followed) {
  const latest = answer?.latest ?? null;
  const lastFinished = answer?.lastFinished ?? null;
  const shown = (run) =>
    run?.status === 'running'
      ? { run, last: lastFinished, next: { runId: run.runId, startedAt: run.startedAt } }
      : { run, last: null, next: null };
  if (followed === null) return shown(latest ?? lastFinished);
  if (latest?.runId === followed.runId) return shown(latest);
  if (lastFinished?.runId === followed.runId) return shown(lastFinished);
  if (latest !== null && String(latest.startedAt) > String(followed.startedAt)) return shown(latest);
  return { run: null, last: lastFinished, next: followed };
}

/**
 * A verification run as the page shows it: while it runs, that it runs (its counts are
 * `verificationProgressText`); once ended, the result (as `verifyMessage`), the check against the signed
 * digest and when it finished; or why it stopped.
 */
export function verificationRunText(run, t, language = 'fr') {
  if (run?.status === 'running') return t('verify.running');
  if (run?.status === 'failed') return verificationFailureText(run, t, language);
  const digest = run?.digest;
  const digestText =
    digest?.status === 'valid' || digest?.status === 'invalid'
      ? t(`verify.digest.${digest.status}`, {
          day: digest.day,
          checked: digest.checked ?? 0,
          heads: digest.heads ?? 0,
          mismatches: digest.mismatches ?? 0,
        })
      : t('verify.digest.none');
  const finished = run?.finishedAt
    ? t('verify.finishedAt', { when: quebecDateTime(run.finishedAt, language) })
    : '';
  return [verifyMessage(run, t, language), digestText, finished].filter((part) => part !== '').join(' ');
}

/**
 * The text of each ending a failed run's `error` may name, beyond a step's own error (`verify.failed`): a step
 * out of time, and the endings the API reports for a run whose execution ended without storing its end
 * (`docs/ledger-verification.md`, "A run that dies").
 */
const FAILURE_TEXTS = {
  'States.Timeout': 'verify.failed.stepTimeout',
  'Sandbox.Timedout': 'verify.failed.stepTimeout',
  ExecutionAborted: 'verify.failed.stopped',
  ExecutionTimedOut: 'verify.failed.timedOut',
  ExecutionFailed: 'verify.failed.unrecorded',
  ExecutionEndedUnrecorded: 'verify.failed.unrecorded',
  ExecutionNotFound: 'verify.failed.unrecorded',
  RunStale: 'verify.failed.stale',
};

/** Why a run failed, in words, and when it stopped when that is known. */
export function verificationFailureText(run, t, language = 'fr') {
  const error = String(run?.error ?? '?');
  const key = Object.hasOwn(FAILURE_TEXTS, error) ? FAILURE_TEXTS[error] : 'verify.failed';
  const since = run?.updatedAt ? quebecDateTime(run.updatedAt, language) : '?';
  const why = t(key, { error, since });
  return run?.finishedAt
    ? `${why} ${t('verify.failed.at', { when: quebecDateTime(run.finishedAt, language) })}`
    : why;
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

/** How long the page waits between two looks at a running verification. */
const VERIFY_POLL_MS = 1500;

function runAudit(context) {
  const { t, language, api } = context;
  const verifyButton = document.getElementById('verify-ledger');
  const verifyResult = document.getElementById('verify-result');
  const verifyProgress = document.getElementById('verify-progress');
  const verifyLast = document.getElementById('verify-last');
  const badList = document.getElementById('verify-bad-cases');
  /**
   * A start in flight, or the run its answer named (live then: the API answers the running one rather than start
   * another): the button starts nothing more. A run merely stored as running, found on opening, does not hold the
   * button: its execution may have died without storing its end (a local stack killed mid-run), and a click asks
   * the API, which answers that run if it still runs.
   */
  let starting = false;
  let following = null;
  let answered = null;
  /** Which look is current: a click's start supersedes the look the page took on opening. */
  let looks = 0;

  const holds = () => starting || (following !== null && following.runId === answered);
  const busy = () => {
    if (holds()) verifyButton?.setAttribute('aria-disabled', 'true');
    else verifyButton?.removeAttribute('aria-disabled');
  };
  /** The result line (announced: the start, then the end), the progress (not announced) and the last run. */
  const show = (view) => {
    const { run, last } = view;
    const running = run === null || run.status === 'running';
    if (verifyResult) {
      const text =
        run === null
          ? view.next === null
            ? ''
            : t('verify.running')
          : verificationRunText(run, t, language);
      // Rewritten only when it changes, so that the live region does not repeat « en cours » at every look.
      if (verifyResult.textContent !== text) verifyResult.textContent = text;
      verifyResult.classList.toggle('result-bad', !running && !run.ok);
    }
    if (verifyProgress) {
      verifyProgress.textContent = run?.status === 'running' ? verificationProgressText(run, t) : '';
      verifyProgress.hidden = verifyProgress.textContent === '';
    }
    if (verifyLast) {
      verifyLast.textContent = !running
        ? ''
        : last === null
          ? t('verify.last.none')
          : t('verify.last', { run: verificationRunText(last, t, language) });
      verifyLast.hidden = verifyLast.textContent === '';
    }
    if (badList) {
      const items = running ? [] : verifyItems(run, t);
      badList.replaceChildren(
        ...items.map((item) =>
          el('li', {}, el('a', { href: casePath('audit', item.caseId, language) }, item.text)),
        ),
      );
      badList.hidden = items.length === 0;
    }
  };
  const failed = (response) => {
    if (response.status === 401) return;
    if (verifyResult) verifyResult.textContent = '';
    // No case is named here: a 404 means the route itself is missing.
    alertError(
      response.status === 404 ? t('error.unavailable') : errorMessage(response.status, response.body, t),
    );
  };
  /**
   * Looks at the latest runs and shows them, again every `VERIFY_POLL_MS` while `followed` (or, when null, a
   * run found running) has not ended. Stops when a newer look starts.
   */
  const follow = async (followed) => {
    const look = ++looks;
    let next = followed;
    for (;;) {
      following = next;
      busy();
      const response = await api('GET', '/api/audit/ledger/verifications/latest');
      if (look !== looks) return;
      if (response.status !== 200) {
        following = null;
        busy();
        failed(response);
        return;
      }
      const view = verificationView(response.body, next);
      show(view);
      next = view.next;
      if (next === null) {
        following = null;
        busy();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, VERIFY_POLL_MS));
      if (look !== looks) return;
    }
  };

  verifyButton?.addEventListener('click', async () => {
    if (holds()) return;
    starting = true;
    ++looks;
    busy();
    if (verifyResult) verifyResult.textContent = t('verify.running');
    // A run already in progress is answered rather than started again: it is followed all the same.
    const started = await api('POST', '/api/audit/ledger/verifications');
    starting = false;
    if (started.status !== 202 && started.status !== 200) {
      following = null;
      busy();
      failed(started);
      return;
    }
    answered = String(started.body?.runId);
    await follow({ runId: answered, startedAt: String(started.body?.startedAt) });
  });
  // The latest run (started earlier, here or by another auditor) is shown, and followed while it runs.
  if (verifyResult) void follow(null);

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
