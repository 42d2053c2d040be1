import {
  acknowledge,
  answer,
  close,
  extend,
  reassign,
  recategorize,
  recordDissatisfaction,
  recordLetterMailed,
} from '../../../shared/domain/case/commands';
import type { StaffIdentity } from '../../../shared/domain/identity/identity';
import type { LedgerEvent } from '../../../shared/domain/ledger';
import { bundledCalendars, computeDeadline } from '../../../shared/domain/time';
import {
  checkpoint,
  performStep,
  planDeadlines,
  routeAndNotify,
} from '../../../shared/domain/workflow/tasks';
import { receiveCase, workflowDeps } from '../../support/workflow-fixtures';
import { AGENT, COMPLAINTS_OFFICER, SUPERVISOR, harness } from '../commands/fixtures';
import type { Harness } from '../commands/fixtures';

/**
 * A month of cases with known outcomes (March 2026), built through the real intake tasks, staff commands
 * and workflow steps on one in-memory ledger. The period of the report is 2026-03-01 → 2026-03-31.
 *
 * Calendar: Monday 2 March 2026 + 10 business days = Monday 16 March (due 2026-03-17T03:59:59.999Z, EDT
 * from 8 March); Good Friday 3 April and Easter Monday 6 April are holidays.
 */
export interface Scenario {
  readonly h: Harness;
  /** Case ids by letter; the reference of case X is `refs.X`. */
  readonly ids: Record<string, string>;
  readonly refs: Record<string, string>;
  histories(): Promise<LedgerEvent[][]>;
}

export const PERIOD = { from: '2026-03-01', to: '2026-03-31' } as const;

/** The helpers a script of cases is written with: one in-memory ledger, its clock, intake and workflow steps. */
export interface CaseScript {
  readonly h: Harness;
  /** Case ids by the script's names. */
  readonly ids: Record<string, string>;
  /** Sets the staff commands' and the workflow's clocks to `instant`. */
  at(instant: string): void;
  /** Receives a case (intake, deadlines planned, routed) at `receivedAt` under `name`; its case id. */
  receive(
    name: string,
    receivedAt: string,
    options?: { category?: string; email?: string | undefined; confidential?: boolean },
  ): Promise<string>;
  /** Runs the case's due workflow steps up to `until`, as the state machine would. */
  drive(caseId: string, until: string): Promise<void>;
}

/** A fresh script whose workflow clock starts at `start`. */
export function caseScript(start = '2026-02-16T14:00:00Z'): CaseScript {
  const h = harness();
  const flow = workflowDeps(start, h.ledger);
  const ids: Record<string, string> = {};
  const at = (instant: string) => {
    h.clock.set(instant);
    flow.clock.set(instant);
  };
  const receive: CaseScript['receive'] = async (name, receivedAt, options = {}) => {
    at(receivedAt);
    const caseId = await receiveCase(h.ledger, {
      receivedAt,
      email: 'marie@example.com',
      ...options,
    });
    await planDeadlines(flow.deps, caseId);
    await routeAndNotify(flow.deps, caseId);
    h.queries.track(caseId);
    ids[name] = caseId;
    return caseId;
  };
  const drive: CaseScript['drive'] = async (caseId, until) => {
    for (let guard = 0; guard < 100; guard++) {
      const check = await checkpoint(flow.deps, caseId);
      if (check.phase === 'done') break;
      if (check.due && check.step) {
        await performStep(flow.deps, caseId, check.step.id);
        continue;
      }
      if (!check.waitUntil || check.waitUntil > until) break;
      at(check.waitUntil);
    }
  };
  return { h, ids, at, receive, drive };
}

export async function buildScenario(): Promise<Scenario> {
  const { h, ids, at, receive, drive } = caseScript();
  const as = (identity: StaffIdentity) => identity;

  // J: received before the period (Mon 16 Feb), acknowledged, promised 6 March, still unanswered.
  const J = await receive('J', '2026-02-16T14:00:00Z');
  at('2026-02-20T15:00:00Z');
  await acknowledge(h.deps, as(AGENT), { caseId: J, answerBy: '2026-03-06' });

  // A: acknowledged by staff on day 2, handed off twice, answered on 18 March (12 business days).
  const A = await receive('A', '2026-03-02T14:00:00Z');
  at('2026-03-04T15:00:00Z');
  await acknowledge(h.deps, AGENT, { caseId: A, answerBy: '2026-03-20' });
  await reassign(h.deps, SUPERVISOR, {
    caseId: A,
    to: { unit: 'statistics', assignee: 'agent-pelletier' },
    reason: 'workload',
  });
  await reassign(h.deps, SUPERVISOR, {
    caseId: A,
    to: { unit: 'statistics', assignee: 'agent-tremblay' },
    reason: 'absence',
  });
  at('2026-03-18T14:00:00Z');
  await answer(h.deps, AGENT, { caseId: A, message: 'Voici les effectifs.' });

  // B: acknowledged by staff at the last millisecond of day 10; promised 27 March, unanswered at the end.
  const B = await receive('B', '2026-03-02T14:00:00Z');
  at('2026-03-17T03:59:59.999Z');
  await acknowledge(h.deps, AGENT, { caseId: B, answerBy: '2026-03-27' });

  // C: nobody acknowledges; the workflow does at the deadline (16:30 on Tue 17 March), with the standard
  // 15-business-day answer date (24 March), then sends the delay notice; unanswered at the end.
  const C = await receive('C', '2026-03-03T15:00:00Z');
  await drive(C, '2026-03-31T12:00:00Z');

  // D: acknowledged late by staff (Wed 18 March: 2 business days late), handed off once, extended once,
  // answered on 26 March within the extended date (18 business days).
  const D = await receive('D', '2026-03-02T14:00:00Z');
  at('2026-03-18T14:00:00Z');
  await acknowledge(h.deps, AGENT, { caseId: D, answerBy: '2026-03-25' });
  await reassign(h.deps, SUPERVISOR, {
    caseId: D,
    to: { unit: 'statistics', assignee: 'agent-pelletier' },
    reason: 'expertise',
  });
  at('2026-03-24T14:00:00Z');
  await extend(h.deps, SUPERVISOR, { caseId: D, answerBy: '2026-03-27', reason: 'Données à valider' });
  at('2026-03-26T14:00:00Z');
  await answer(h.deps, SUPERVISOR, { caseId: D, message: 'Voici les données validées.' });

  // E: a requester without email (letters); the acknowledgement letter is prepared on 12 March but its
  // posting is recorded on Tue 17 March, 10:00: the acknowledgement counts from then, 1 business day late.
  // The answer letter is posted on 20 March (14 business days).
  const E = await receive('E', '2026-03-02T14:00:00Z', { email: undefined });
  at('2026-03-12T14:00:00Z');
  await acknowledge(h.deps, AGENT, { caseId: E, answerBy: '2026-03-27' });
  const letter = (await h.ledger.read(E)).find((event) => event.type === 'letter.prepared');
  if (letter?.type !== 'letter.prepared') throw new Error('no letter prepared');
  at('2026-03-17T14:00:00Z');
  await recordLetterMailed(h.deps, AGENT, {
    caseId: E,
    letterId: letter.data.letterId,
    mailedOn: '2026-03-17',
  });
  at('2026-03-20T14:00:00Z');
  await answer(h.deps, AGENT, { caseId: E, message: 'Réponse par lettre.' });
  const answerLetter = (await h.ledger.read(E)).filter((event) => event.type === 'letter.prepared')[1];
  if (answerLetter?.type !== 'letter.prepared') throw new Error('no answer letter prepared');
  await recordLetterMailed(h.deps, AGENT, {
    caseId: E,
    letterId: answerLetter.data.letterId,
    mailedOn: '2026-03-20',
  });

  // F: the acknowledgement deadline re-planned one business day later (a holiday decreed on 16 March), then
  // acknowledged on 17 March: on time by the deadline in force.
  const F = await receive('F', '2026-03-02T14:00:00Z');
  const calendar = bundledCalendars().at('qc-fonction-publique', '2026-03-02');
  const previous = (await h.ledger.getCase(F))!.deadlines.acknowledgement!;
  const moved = computeDeadline({
    receivedAt: '2026-03-02T14:00:00.000Z',
    delay: { amount: 11, unit: 'business-days' },
    calendar,
  });
  at('2026-03-10T12:00:00Z');
  await h.ledger.append(F, {
    type: 'deadline.recalculated',
    at: '2026-03-10T12:00:00.000Z',
    actor: { kind: 'system', id: 'replan' },
    data: {
      kind: 'acknowledgement',
      deadline: moved,
      reason: 'calendar-changed',
      previous: { dueDate: previous.dueDate, dueAt: previous.dueAt, proof: previous.proof },
    },
  });
  at('2026-03-17T14:00:00Z');
  await acknowledge(h.deps, AGENT, { caseId: F, answerBy: '2026-04-10' });

  // G: filed as statistics on Thu 5 March, recategorized into a (confidential) service complaint, answered by
  // the complaints officer on 10 March (the answer is also the acknowledgement, 3 business days), then the
  // requester says they are not satisfied.
  const G = await receive('G', '2026-03-05T15:00:00Z');
  at('2026-03-06T15:00:00Z');
  await recategorize(h.deps, SUPERVISOR, {
    caseId: G,
    category: 'service-complaint',
    reason: 'content-reviewed',
  });
  at('2026-03-10T15:00:00Z');
  await answer(h.deps, COMPLAINTS_OFFICER, { caseId: G, message: 'Nous avons examiné votre plainte.' });
  at('2026-03-12T15:00:00Z');
  await recordDissatisfaction(h.deps, COMPLAINTS_OFFICER, { caseId: G, channel: 'phone' });

  // H: a comment (confidential) on Mon 9 March, never acknowledged (due 23 March): 6 business days late at the end.
  const H = await receive('H', '2026-03-09T14:00:00Z', { category: 'comment', confidential: true });

  // I: received Mon 30 March: its acknowledgement is due 15 April (Easter holidays), pending.
  const I = await receive('I', '2026-03-30T14:00:00Z');

  // K: withdrawn and closed on 4 March, before anything was due.
  const K = await receive('K', '2026-03-02T14:00:00Z');
  at('2026-03-04T16:00:00Z');
  await close(h.deps, AGENT, { caseId: K, outcome: 'withdrawn' });

  // L: received after the period (1 April): not counted.
  const L = await receive('L', '2026-04-01T14:00:00Z');

  const refs: Record<string, string> = {};
  for (const [name, caseId] of Object.entries(ids)) refs[name] = (await h.ledger.getCase(caseId))!.reference!;
  void [J, A, B, C, D, E, F, G, H, I, K, L];
  return {
    h,
    ids,
    refs,
    histories: async () => Promise.all(Object.values(ids).map((caseId) => h.ledger.read(caseId))),
  };
}
