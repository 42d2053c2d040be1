import { AccessDeniedError } from '../../errors';
import type { StaffIdentity } from '../identity/identity';
import type { LedgerEvent } from '../ledger/events';
import { applyEvent, projectCase } from '../ledger/projection';
import type { CaseProjection } from '../ledger/projection';
import type { CalendarRegistry } from '../time/calendars';
import { localDateOf } from '../time/local-date-of';
import type { LocalDate } from '../time/types';
import type { ReportPeriod } from './compute';
import type { ReportCaseSource } from './service-statement';
import { caseReportState, reportFactsAt } from './facts';
import type { CaseReportFacts, CaseReportState } from './facts';
import { earliestDifference, isEarlyChange, stableFrom } from './day-summary';
import type { DayChange, ReportDayStore } from './day-summary';

/** The event-determined state of a case from the instant `from` (an event's `at`) until the next epoch. */
export interface ReportEpoch {
  readonly from: string;
  readonly state: CaseReportState;
}

/**
 * The report aggregate of one case: enough to derive its report facts at ANY cut-off, without its ledger.
 * Facts depend on the cut-off (a deadline pending at the end of one period may be met in the next), so the
 * record keeps the instants, not outcomes: the case's event-determined state after each instant at which
 * it changed (`epochs`, oldest first), and `reportFactsAt` adds what the cut-off decides.
 */
export interface CaseReportRecord {
  readonly caseId: string;
  /** The seq of the last ledger event folded in: a stream record at or below it changes nothing. */
  readonly lastSeq: number;
  /** Québec date of receipt: the key a period's cases are read by. */
  readonly receivedDay: LocalDate;
  /**
   * Since when the case is no longer awaiting the organization (answered or closed) for good: the start of
   * the last run of epochs that are not open. Absent while the case is open. A case is open at a cut-off
   * only if the cut-off is before this instant.
   */
  readonly settledAt?: string;
  readonly epochs: readonly ReportEpoch[];
}

const OPEN_STATUSES: readonly string[] = ['received', 'acknowledged', 'dissatisfied'];

/**
 * The report aggregate of a case from its ledger events (all of them, in seq order): its state after each
 * distinct event instant (events recorded at the same instant are one step, as a cut-off includes them
 * together), consecutive equal states merged. Equal by construction to what `caseReportFacts` replays: the
 * facts of the record at a cut-off are the facts of the events recorded up to it. `undefined` for no event.
 *
 * @throws CaseHistoryError when the events do not fold into a case (as `projectCase`).
 */
export function caseReportRecord(events: readonly LedgerEvent[]): CaseReportRecord | undefined {
  if (events.length === 0) return undefined;
  const instants = events.map((event) => Date.parse(event.at));
  const ordered = instants.every((instant, i) => i === 0 || instant >= instants[i - 1]!);
  const epochs: ReportEpoch[] = [];
  const push = (from: string, state: CaseReportState) => {
    const previous = epochs[epochs.length - 1];
    if (previous !== undefined && JSON.stringify(previous.state) === JSON.stringify(state)) return;
    epochs.push({ from, state });
  };
  if (ordered) {
    // Recording order is time order (the usual case): one fold, a state at the end of each instant.
    let projection: CaseProjection | undefined;
    events.forEach((event, i) => {
      projection = applyEvent(projection, event);
      if (i + 1 < events.length && instants[i + 1] === instants[i]) return;
      push(event.at, caseReportState(projection, events.slice(0, i + 1)));
    });
  } else {
    // An event recorded with an earlier instant than the one before: each cut-off takes the events up to it.
    const distinct = [...new Set(instants)].sort((a, b) => a - b);
    for (const instant of distinct) {
      const upTo = events.filter((event) => Date.parse(event.at) <= instant);
      const projection = projectCase(upTo);
      if (projection === undefined) continue;
      push(events[instants.indexOf(instant)]!.at, caseReportState(projection, upTo));
    }
  }
  const last = epochs[epochs.length - 1];
  if (last === undefined) return undefined;
  let settled: string | undefined;
  for (let i = epochs.length - 1; i >= 0 && !OPEN_STATUSES.includes(epochs[i]!.state.status); i -= 1) {
    settled = epochs[i]!.from;
  }
  return {
    caseId: last.state.caseId,
    lastSeq: events[events.length - 1]!.seq,
    receivedDay: localDateOf(last.state.receivedAt),
    ...(settled !== undefined ? { settledAt: settled } : {}),
    epochs,
  };
}

/**
 * The report facts of a case at `asOf` from its aggregate: the state of the last epoch begun at or before
 * `asOf`, evaluated at `asOf` (`reportFactsAt`). `undefined` when nothing of the case was recorded by then or
 * it was not yet received.
 */
export function reportFactsFromRecord(
  record: CaseReportRecord,
  asOf: Date,
  calendars: CalendarRegistry,
): CaseReportFacts | undefined {
  const cutoff = asOf.getTime();
  let state: CaseReportState | undefined;
  for (const epoch of record.epochs) {
    if (Date.parse(epoch.from) > cutoff) break;
    state = epoch.state;
  }
  return state === undefined ? undefined : reportFactsAt(state, asOf, calendars);
}

/** Whether two aggregates of a case say the same (the replay's comparison). */
export function sameReportRecord(a: CaseReportRecord, b: CaseReportRecord): boolean {
  return (
    a.caseId === b.caseId &&
    a.lastSeq === b.lastSeq &&
    a.receivedDay === b.receivedDay &&
    a.settledAt === b.settledAt &&
    JSON.stringify(a.epochs) === JSON.stringify(b.epochs)
  );
}

/** The outcome of the last full replay of the ledger against the aggregates. */
export interface ReportReplayResult {
  readonly runId: string;
  readonly startedAt: string;
  /** When the comparison finished. */
  readonly checkedAt: string;
  /** No difference found. */
  readonly matched: boolean;
  /** Cases whose aggregate was missing or differed from the replay (each repaired). */
  readonly differences: number;
  /** The cases of the ledger compared. */
  readonly cases: number;
  /** The first differing case ids (at most `MAX_LISTED_DIFFERENCES`), for the investigation. */
  readonly differingCases: readonly string[];
}

export const MAX_LISTED_DIFFERENCES = 100;

/** Cases of the replay checked at once. */
const REPLAY_CONCURRENCY = 16;

/** What a conditional write of an aggregate did: nothing, or replaced `previous` (none for a new case). */
export type ReportAggregatePut =
  { readonly written: false } | { readonly written: true; readonly previous: CaseReportRecord | undefined };

/** Where the report aggregates are kept (a DynamoDB table in AWS and locally). */
export interface ReportAggregateStore {
  /** The stored aggregate of a case (a consistent read). */
  get(caseId: string): Promise<CaseReportRecord | undefined>;
  /**
   * Stores `record` unless the stored aggregate of the case already folds in `record.lastSeq` or later
   * (conditional write): false when it did. `replace` also overwrites an equal `lastSeq` (a repair).
   */
  put(record: CaseReportRecord, options?: { readonly replace?: boolean }): Promise<boolean>;
  /**
   * Stores `record` as `put` does (never over an aggregate that already folds in `record.lastSeq` or later)
   * and returns, in the same request, the aggregate it replaced (`undefined` for none).
   */
  putReturningPrevious(record: CaseReportRecord): Promise<ReportAggregatePut>;
  saveReplayResult(result: ReportReplayResult): Promise<void>;
  latestReplayResult(): Promise<ReportReplayResult | undefined>;
  /** See `ReportDayStore.markDayChanged`. */
  markDayChanged(day: LocalDate, at: string, change?: DayChange): Promise<void>;
}

/**
 * Where the report reads aggregates: the cases received from `period.from` up to the Québec date of `asOf`
 * (by receipt day, no scan), and the cases received before `from` that were still open at `asOf` (not
 * settled by then; needed by the end-of-period figures). Never the ledger.
 */
export interface ReportRecordSource {
  recordsFor(period: ReportPeriod, asOf: Date): AsyncIterable<CaseReportRecord>;
  latestReplayResult(): Promise<ReportReplayResult | undefined>;
  /**
   * The ledger, read instead of the aggregates until a full replay has completed: where the aggregates were
   * started on a ledger that already held cases (AWS: the stream sees only what is appended after it is
   * deployed), they lack the older cases until the first replay fills them.
   */
  readonly untilFirstReplay?: ReportCaseSource;
  /**
   * The same aggregates read by day of receipt with a summary per settled day (`readPeriodByDays`): a
   * period's settled days are read as one item each instead of their cases. Without it, `recordsFor`.
   */
  readonly days?: ReportDayStore;
}

export interface ReportProjectorDeps {
  readonly ledger: { read(caseId: string): Promise<LedgerEvent[]> };
  readonly store: Pick<ReportAggregateStore, 'get' | 'put' | 'markDayChanged'>;
  /** The clock the events are recorded by, which decides whether a write is early (default: the system's). */
  readonly now?: () => Date;
}

/** What the stream projector needs: the case's events, and a write that returns the aggregate it replaced. */
export interface ReportStreamProjectorDeps {
  readonly ledger: ReportProjectorDeps['ledger'];
  readonly store: Pick<ReportAggregateStore, 'putReturningPrevious' | 'markDayChanged'>;
  readonly now?: () => Date;
}

/**
 * After `record` replaced `stored`: counts a change of its day when the case may be in the day's summary or
 * is new to the day (`ReportDaySummary`): a case that was final, or had no aggregate. A case that was not
 * final is listed as pending by any summary of its day, and read by id. Counts an early change of its day
 * (`earlyChanges`, which the summaries at a past cut-off depend on) when the write changes a state from more
 * than `EARLY_CHANGE_MS` before now, or moves the case to another day (both days).
 */
async function markDayIfSummarized(
  deps: { readonly store: Pick<ReportAggregateStore, 'markDayChanged'>; readonly now?: () => Date },
  stored: CaseReportRecord | undefined,
  record: CaseReportRecord,
): Promise<void> {
  const { store } = deps;
  const now = deps.now?.() ?? new Date();
  const at = now.toISOString();
  const moved = stored !== undefined && stored.receivedDay !== record.receivedDay;
  const early = moved || isEarlyChange(earliestDifference(stored, record), now);
  const changes = new Map<LocalDate, DayChange>();
  const mark = (day: LocalDate, summary: boolean) => {
    const before = changes.get(day);
    changes.set(day, { summary: summary || before?.summary === true, early });
  };
  if (stored === undefined || moved) mark(record.receivedDay, true);
  if (stored !== undefined) mark(stored.receivedDay, stableFrom(stored) !== undefined);
  for (const [day, change] of changes) {
    if (change.summary || change.early) await store.markDayChanged(day, at, change);
  }
}

/**
 * What `projectReportAggregate` did: wrote the aggregate, or found one folding in as much; either way the
 * stored aggregate now folds in the case's events up to `lastSeq` at least. `superseded`: the events read
 * make no aggregate.
 */
export type ReportProjection =
  | { readonly outcome: 'applied' | 'already-applied'; readonly lastSeq: number }
  | { readonly outcome: 'superseded' };

/**
 * Folds a new ledger event of a case into its report aggregate, idempotently: the aggregate is rebuilt from
 * the case's ledger (one read of its events, so a record that arrives out of order, or one that never arrives,
 * is covered by the next) and written only if the stored one does not already fold in as much (a replayed,
 * duplicated or late stream record, or a newer write meanwhile, changes nothing: `already-applied`). The write
 * returns the aggregate it replaced, so the stored one is never read first: two requests for a new event, where
 * a read of the aggregate first would save the ledger read only for records already applied (rare in the
 * stream, which projects each case once a batch).
 *
 * @throws CaseHistoryError when the case's events do not fold; StoreError.
 */
export async function projectReportAggregate(
  deps: ReportStreamProjectorDeps,
  caseId: string,
): Promise<ReportProjection> {
  const record = caseReportRecord(await deps.ledger.read(caseId));
  if (record === undefined) return { outcome: 'superseded' };
  const put = await deps.store.putReturningPrevious(record);
  if (!put.written) return { outcome: 'already-applied', lastSeq: record.lastSeq };
  await markDayIfSummarized(deps, put.previous, record);
  return { outcome: 'applied', lastSeq: record.lastSeq };
}

export interface ReplayTally {
  readonly cases: number;
  readonly differences: number;
  readonly differingCases: readonly string[];
}

export const EMPTY_TALLY: ReplayTally = { cases: 0, differences: 0, differingCases: [] };

/**
 * One step of the full replay: each case's ledger events (a page of the ledger, each case complete) are
 * replayed into the aggregate they should give, compared with the stored one, and a missing or different
 * aggregate is repaired and counted. When they differ the case is read again from the ledger first, so an
 * event appended since the page was read (the live projector is ahead) is not taken for a difference.
 */
export async function replayReportAggregates(
  deps: ReportProjectorDeps,
  histories: Iterable<readonly LedgerEvent[]> | AsyncIterable<readonly LedgerEvent[]>,
  tally: ReplayTally,
): Promise<ReplayTally> {
  let { cases, differences } = tally;
  const differing = [...tally.differingCases];
  const check = async (events: readonly LedgerEvent[]): Promise<string | undefined> => {
    const expected = caseReportRecord(events);
    if (expected === undefined) return undefined;
    cases += 1;
    const stored = await deps.store.get(expected.caseId);
    if (stored !== undefined && sameReportRecord(stored, expected)) return undefined;
    const latest =
      stored !== undefined && stored.lastSeq > expected.lastSeq
        ? caseReportRecord(await deps.ledger.read(expected.caseId))
        : expected;
    if (latest !== undefined && stored !== undefined && sameReportRecord(stored, latest)) return undefined;
    if (latest !== undefined && (await deps.store.put(latest, { replace: true }))) {
      await markDayIfSummarized(deps, stored, latest);
    }
    return expected.caseId;
  };
  // Cases in groups checked concurrently (each is a read, and a write when it differs), in ledger order.
  let group: (readonly LedgerEvent[])[] = [];
  const flush = async () => {
    for (const caseId of await Promise.all(group.map(check))) {
      if (caseId === undefined) continue;
      differences += 1;
      if (differing.length < MAX_LISTED_DIFFERENCES) differing.push(caseId);
    }
    group = [];
  };
  for await (const events of histories) {
    group.push(events);
    if (group.length >= REPLAY_CONCURRENCY) await flush();
  }
  await flush();
  return { cases, differences, differingCases: differing };
}

/** The result of a finished replay run, from its tally. */
export function replayResultOf(
  run: { readonly runId: string; readonly startedAt: string },
  tally: ReplayTally,
  checkedAt: string,
): ReportReplayResult {
  return {
    runId: run.runId,
    startedAt: run.startedAt,
    checkedAt,
    matched: tally.differences === 0,
    differences: tally.differences,
    cases: tally.cases,
    differingCases: tally.differingCases,
  };
}

/** Starts a full replay of the ledger against the report aggregates, asynchronously (see `ReplayTally`). */
export interface ReportReplayStarter {
  /** Starts a run, or returns the run in progress: a second start while one runs starts nothing. */
  start(): Promise<{ readonly runId: string; readonly startedAt: string }>;
}

export interface ReportReplayDeps {
  readonly replay: ReportReplayStarter;
  readonly store: Pick<ReportAggregateStore, 'latestReplayResult'>;
}

/**
 * Starts a full replay of the ledger against the report aggregates (auditors only): it recomputes every
 * case's aggregate from the ledger, compares it with the stored one, repairs and counts the differences, and
 * stores `{checkedAt, matched, differences, cases}`, which the report then states (`source.lastChecked`).
 *
 * @throws AccessDeniedError for anyone but an auditor.
 */
export async function startReportReplay(
  deps: ReportReplayDeps,
  identity: StaffIdentity,
): Promise<{ readonly runId: string; readonly startedAt: string }> {
  if (!identity.roles.includes('auditor')) throw new AccessDeniedError('audit-report-replay');
  return deps.replay.start();
}

/**
 * The latest finished replay check of the report aggregates (`null` before the first one); auditors only.
 *
 * @throws AccessDeniedError for anyone but an auditor.
 */
export async function latestReportReplay(
  deps: ReportReplayDeps,
  identity: StaffIdentity,
): Promise<{ readonly latest: ReportReplayResult | null }> {
  if (!identity.roles.includes('auditor')) throw new AccessDeniedError('audit-report-replay');
  return { latest: (await deps.store.latestReplayResult()) ?? null };
}
