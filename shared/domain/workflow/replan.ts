import { SystemError } from '../../errors';
import type { DeadlineKind } from '../case/case';
import type { Actor, LedgerEvent } from '../ledger/events';
import type { CaseLedger } from '../ledger/ports';
import { isOpen, type CaseProjection } from '../ledger/projection';
import type { Clock } from '../messaging/ports';
import type { CalendarRegistry } from '../time/calendars';
import { computeDeadline } from '../time/deadline';
import { localDateOf } from '../time/local-date-of';
import type { WorkingHours } from '../time/working-hours';
import { startGeneration } from './generations';
import type { Workflow } from './ports';

/** Some cases could not be re-planned (the others were); a later run retries them. Ids only, no content. */
export class ReplanIncompleteError extends SystemError {
  override readonly name = 'ReplanIncompleteError';

  constructor(caseIds: readonly string[]) {
    super('REPLAN_INCOMPLETE', `${caseIds.length} case(s) could not be re-planned.`, {
      transient: true,
      details: { caseIds: [...caseIds] },
    });
  }
}

const REPLAN: Actor = { kind: 'system', id: 'replan' };

export interface ReplanDeps {
  readonly ledger: CaseLedger;
  readonly calendars: CalendarRegistry;
  readonly clock: Clock;
  /** The organization's working hours (deadlines counted in working hours need them). */
  readonly workingHours: WorkingHours;
  /** Told of each case that could not be re-planned (to log its id and the error's name, never content). */
  readonly onCaseFailure?: (caseId: string, error: unknown) => void;
  /**
   * Starts a case's workflow (Step Functions in AWS, the local engine locally). With it, a case whose deadline
   * moved earlier gets a new workflow generation that wakes at the new instant (`wakeSooner`); without it,
   * the running workflow acts at the instant it planned from the old date.
   */
  readonly workflow?: Workflow;
}

/** What re-planning did to one deadline of a case. */
export interface DeadlineReplan {
  readonly caseId: string;
  readonly kind: DeadlineKind;
  /**
   * `changed`: a new date was recorded; `kept-communicated`: the date given to the requester stands and the
   * recalculated one (earlier or later) was not applied (and why was recorded).
   */
  readonly outcome: 'changed' | 'kept-communicated';
  readonly from: string;
  readonly to: string;
}

/** The result of a run over many cases: counts (no personal data) and the ids of the cases that failed. */
export interface ReplanSummary {
  /** Cases read (open or not). */
  readonly checked: number;
  /** Deadlines given a new date. */
  readonly changed: number;
  /** Deadlines whose date was communicated to the requester, so kept (the recalculated one recorded as not applied). */
  readonly keptCommunicated: number;
  /** Cases whose workflow was started again (a new generation) because a deadline moved earlier. */
  readonly woken: number;
  readonly failed: string[];
  readonly deadlines: DeadlineReplan[];
}

/**
 * Re-plans the unmet deadlines of one case under the calendar version in force today.
 *
 * Business rules:
 * - Only an open case's deadlines that are neither met nor past due are re-planned: a past deadline is
 *   history (met or breached as it stood), not rewritten by a later decree.
 * - Each is recomputed from its recorded inputs (receipt instant, delay, calendar id in its proof) with the
 *   version of that calendar in force on today's Québec date; a deadline already computed with that version
 *   is left as it is, which makes a second run record nothing.
 * - For a deadline nobody was told of, the new date (earlier or later) is recorded as `deadline.recalculated`
 *   (`calendar-changed`) holding the previous deadline and the new one, each with its proof.
 * - A date given to a requester is kept: never shortened (a promise made) and never silently lengthened (the
 *   statement's commitment is "by the date given in the acknowledgement"; answering later would break it, and
 *   only an extension, a staff decision with its notice, moves it later). The event records the recalculated
 *   date in `notApplied` with the reason, once per calendar version (idempotency key); nothing is sent.
 * - Communicated: the acknowledgement deadline once the automatic receipt stated it, or from the start for a
 *   web-form request (its confirmation page states it); the answer deadline once
 *   the acknowledgement promised it, an extension notice announced it, or the automatic receipt stated it
 *   (categories without an acknowledgement commitment).
 *
 * The workflow sees a later date at its next checkpoint (timer + check: it wakes, finds nothing due, waits
 * again). An earlier date would be acted on late, at the instant planned from the old date; so the case's
 * workflow is woken (`wakeSooner`).
 */
export async function replanCase(deps: ReplanDeps, caseId: string): Promise<CaseReplan | undefined> {
  const projection = await deps.ledger.getCase(caseId);
  if (projection === undefined) return undefined;
  if (!isOpen(projection)) return { deadlines: [] };
  const now = deps.clock.now();
  const today = localDateOf(now);
  let events: LedgerEvent[] | undefined;
  const results: DeadlineReplan[] = [];
  for (const kind of ['acknowledgement', 'answer'] as const) {
    const current = projection.deadlines[kind];
    if (current === undefined || current.metAt !== undefined) continue;
    if (Date.parse(current.dueAt) <= now.getTime()) continue;
    const calendar = deps.calendars.at(current.proof.calendar.id, today);
    if (calendar.version.version === current.proof.calendar.version) continue;
    const recalculated = computeDeadline({
      receivedAt: current.proof.inputs.receivedAt,
      delay: current.proof.inputs.delay,
      calendar,
      workingHours: deps.workingHours,
    });
    if (recalculated.dueAt === current.dueAt) continue;
    events ??= await deps.ledger.read(caseId);
    const previous = {
      dueDate: current.dueDate,
      dueAt: current.dueAt,
      proof: current.proof,
    };
    // A date the requester was given stands, earlier or later (see `replanCase`).
    const kept = wasCommunicated(projection, events, kind) ? 'communicated' : 'recalculated';
    const idempotencyKey = `replan:${kind}:${calendar.id}@${calendar.version.version}`;
    const { appended } = await deps.ledger.append(
      caseId,
      {
        type: 'deadline.recalculated',
        at: now.toISOString(),
        actor: REPLAN,
        data:
          kept === 'communicated'
            ? {
                kind,
                deadline: previous,
                reason: 'calendar-changed',
                previous,
                notApplied: { deadline: recalculated, why: 'communicated-to-requester' },
              }
            : { kind, deadline: recalculated, reason: 'calendar-changed', previous },
      },
      { idempotencyKey },
    );
    if (!appended) continue;
    results.push({
      caseId,
      kind,
      outcome: kept === 'communicated' ? 'kept-communicated' : 'changed',
      from: previous.dueDate,
      to: recalculated.dueDate,
    });
  }
  // Also after a run that recorded nothing: a crash between the recalculation and the start is caught up.
  const recalculatedBefore = Object.values(projection.deadlines).some((d) => (d?.recalculations ?? 0) > 0);
  const woken =
    results.length > 0 || recalculatedBefore ? await wakeSooner(deps, caseId, projection) : undefined;
  return { deadlines: results, ...(woken !== undefined ? { wokenGeneration: woken } : {}) };
}

/** What re-planning did to one case. */
export interface CaseReplan {
  readonly deadlines: DeadlineReplan[];
  /** The workflow generation started to wake the case's workflow at an earlier instant. */
  readonly wokenGeneration?: number;
}

/**
 * Wakes a case's workflow after a deadline of the case moved earlier.
 *
 * Business rule: a running workflow waits (Step Functions `Wait`, the local engine's timer) until the instant
 * it planned from the old date, so it would act late. When the ledger holds a recalculation that made a
 * deadline earlier and no workflow generation was started after it, a new generation is started (recorded
 * first as `workflow.started`, trigger `replan`, then started; `startGeneration`). It checks the case at once
 * and waits for the new instant; the generation it supersedes ends at its next checkpoint without acting
 * (`isSuperseded`), and steps and messages are keyed in the ledger, so nothing is done twice. Nothing is
 * started for a case whose enforcement stopped (an administrator restarts it) or without a workflow port.
 * Idempotent: a second run finds the generation started after the recalculation (and starts it again, a
 * no-op while it runs, in case a crash came between its record and its start).
 *
 * @returns the generation started, or undefined.
 */
export async function wakeSooner(
  deps: ReplanDeps,
  caseId: string,
  projection: CaseProjection,
): Promise<number | undefined> {
  if (deps.workflow === undefined || projection.enforcementStoppedAt !== undefined) return undefined;
  const events = await deps.ledger.read(caseId);
  const lastEarlier = events.findLastIndex(
    (e) =>
      e.type === 'deadline.recalculated' &&
      e.data.notApplied === undefined &&
      e.data.previous !== undefined &&
      Date.parse(e.data.deadline.dueAt) < Date.parse(e.data.previous.dueAt),
  );
  const lastStart = events.findLastIndex((e) => e.type === 'workflow.started');
  if (lastEarlier < 0) return undefined;
  const started = events[lastStart];
  if (lastStart > lastEarlier) {
    // Woken already; a start lost in a crash after its record is made again (a no-op when it runs).
    if (started?.type === 'workflow.started' && started.data.trigger === 'replan') {
      await startGeneration(
        { ledger: deps.ledger, workflow: deps.workflow, clock: deps.clock },
        { caseId, generation: started.data.generation, trigger: 'replan', actor: REPLAN },
      );
    }
    return undefined;
  }
  const latest = events.reduce(
    (g, e) => (e.type === 'workflow.started' ? Math.max(g, e.data.generation) : g),
    projection.workflowGeneration ?? 1,
  );
  const generation = latest + 1;
  await startGeneration(
    { ledger: deps.ledger, workflow: deps.workflow, clock: deps.clock },
    { caseId, generation, trigger: 'replan', actor: REPLAN },
  );
  return generation;
}

/**
 * Re-plans every case of `caseIds` (see `replanCase`). A case that cannot be read or written is counted in
 * `failed` and the run goes on; running it again retries it.
 */
export async function replanCases(deps: ReplanDeps, caseIds: Iterable<string>): Promise<ReplanSummary> {
  let checked = 0;
  const failed: string[] = [];
  const deadlines: DeadlineReplan[] = [];
  let woken = 0;
  for (const caseId of caseIds) {
    try {
      const result = await replanCase(deps, caseId);
      if (result === undefined) {
        failed.push(caseId);
        continue;
      }
      checked += 1;
      deadlines.push(...result.deadlines);
      if (result.wokenGeneration !== undefined) woken += 1;
    } catch (error) {
      deps.onCaseFailure?.(caseId, error);
      failed.push(caseId);
    }
  }
  return {
    checked,
    changed: deadlines.filter((d) => d.outcome === 'changed').length,
    keptCommunicated: deadlines.filter((d) => d.outcome === 'kept-communicated').length,
    woken,
    failed,
    deadlines,
  };
}

/** Whether the requester was told this deadline (see `replanCase`). */
function wasCommunicated(
  projection: CaseProjection,
  events: readonly LedgerEvent[],
  kind: DeadlineKind,
): boolean {
  const receiptSent = events.some(
    (e) => e.type === 'message.sent' && e.data.purpose === 'receipt' && e.data.recipient === 'requester',
  );
  // The web form's confirmation page states the acknowledgement date at once (form intake answers it).
  if (kind === 'acknowledgement') return receiptSent || projection.channel === 'web';
  if (projection.promisedAnswerDate !== undefined) return true;
  if (events.some((e) => e.type === 'deadline.extended' && e.data.kind === 'answer')) return true;
  return receiptSent && projection.deadlines.acknowledgement === undefined;
}
