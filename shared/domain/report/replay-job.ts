import type {
  CaseReportRecord,
  ReplayTally,
  ReportProjectorDeps,
  ReportReplayResult,
  ReportAggregateStore,
} from './aggregates';
import { replayReportAggregates, replayResultOf } from './aggregates';
import type { LedgerCasePages, LedgerCursor } from '../ledger/case-pages';
import type { LedgerEvent } from '../ledger/events';
import type { CalendarRegistry } from '../time/calendars';
import { formatLocalDate, parseLocalDate } from '../time/local-date';
import { localDateOf } from '../time/local-date-of';
import { endOfLocalDay } from '../time/zone';
import type { LocalDate } from '../time/types';
import {
  DAY_SUMMARY_SETTLE_MS,
  buildCutoffSummary,
  buildDaySummary,
  cutoffSummariesApply,
  cutoffSummaryValid,
  daySummaryValid,
  stableFrom,
} from './day-summary';
import type { ReportDayState, ReportDayStore } from './day-summary';

/** Cases of a page read from the ledger at once. */
const READ_CONCURRENCY = 16;

/** The state a replay run carries from one step to the next: keys and counts only, no personal data. */
export interface ReplayStep {
  readonly run: { readonly runId: string; readonly startedAt: string };
  readonly tally: ReplayTally;
  /** Where the next step resumes; absent at the start. */
  readonly cursor?: LedgerCursor;
  /** The earliest Québec date of receipt of the cases replayed so far (`null` before any): where days begin. */
  readonly firstDay?: LocalDate | null;
}

export interface ReplayPagesDeps extends ReportProjectorDeps {
  readonly pages: LedgerCasePages;
  /** Whether the step may start another page (a time budget: the step must end well within its timeout). */
  readonly mayContinue: () => boolean;
}

/**
 * One step of the full replay job (the Step Functions run in AWS): page after page of the ledger's cases,
 * while the step's budget allows, each case read whole from the ledger (one consistent Query, so a case is
 * never split between pages or steps), replayed into its aggregate, compared and repaired
 * (`replayReportAggregates`); the tally and the cursor are handed on. `more` is false once the ledger's last
 * page is done. At least one page is done per step, so a run always advances.
 */
export async function replayReportPages(
  deps: ReplayPagesDeps,
  step: ReplayStep,
): Promise<ReplayStep & { readonly more: boolean }> {
  let { tally, cursor } = step;
  let firstDay = step.firstDay ?? null;
  let more = true;
  do {
    const page = await deps.pages.casePage(cursor);
    // The cases of a page are read a group at a time, concurrently (one Query each), in page order.
    const histories = async function* () {
      for (let i = 0; i < page.caseIds.length; i += READ_CONCURRENCY) {
        const group = page.caseIds.slice(i, i + READ_CONCURRENCY);
        const read = await Promise.all(group.map((caseId) => deps.ledger.read(caseId)));
        for (const events of read) firstDay = earlierReceiptDay(firstDay, events);
        yield* read;
      }
    };
    tally = await replayReportAggregates(deps, histories(), tally);
    cursor = page.next;
    more = cursor !== undefined;
  } while (more && deps.mayContinue());
  return { run: step.run, tally, ...(cursor === undefined ? {} : { cursor }), firstDay, more };
}

/** The earlier of `day` and the Québec date of receipt of a case's events (`null`: neither known). */
export function earlierReceiptDay(day: LocalDate | null, events: readonly LedgerEvent[]): LocalDate | null {
  const received = events.find((event) => event.type === 'case.received');
  const receivedDay = received === undefined ? undefined : localDateOf(received.data.receivedAt);
  return receivedDay !== undefined && (day === null || receivedDay < day) ? receivedDay : day;
}

/** The state of the replay job's day walk: the run, its tally, and the next day to look at. */
export interface SummarizeDaysStep {
  readonly run: { readonly runId: string; readonly startedAt: string };
  readonly tally: ReplayTally;
  /** The earliest day of receipt of the ledger (`null`: no case, nothing to summarize). */
  readonly firstDay: LocalDate | null;
  /** The next day to look at (`null`: `firstDay`). */
  readonly day: LocalDate | null;
}

/** Days whose summary items are read at once (one BatchGetItem). */
const DAYS_PER_READ = 31;

export interface SummarizeDaysDeps {
  readonly days: ReportDayStore;
  readonly calendars: CalendarRegistry;
  readonly now: () => Date;
  /** Whether the step may look at another group of days (its time budget). */
  readonly mayContinue: () => boolean;
  /**
   * How long after its last change a day may be summarized (default: the store's `settleMs`); 0 where the
   * index is written with the item (dynalite).
   */
  readonly settleMs?: number;
}

/**
 * The cut-offs the replay job prepares summaries at (`ReportCutoffSummary`): the end of the last closed month
 * and of the last closed year (Québec time; the same in January), the ends of the periods most often asked
 * after they close, each once it is far enough in the past (`cutoffSummariesApply`).
 */
export function usualCutoffs(now: Date, settleMs: number): Date[] {
  const today = localDateOf(now);
  const ends = [`${today.slice(0, 7)}-01`, `${today.slice(0, 4)}-01-01`].map((first) =>
    endOfLocalDay(parseLocalDate(first as LocalDate) - 1),
  );
  return [...new Set(ends)]
    .map((end) => new Date(end))
    .filter((cutoff) => cutoffSummariesApply(cutoff, now.getTime(), settleMs));
}

/**
 * A step of the replay job after its pages (the aggregates repaired): the day summaries built or refreshed for
 * every day of receipt from the ledger's first to yesterday, a group of days at a time while the budget
 * allows, so that reports after a replay read summaries and build none. A day is rebuilt from its aggregates
 * (`buildDaySummary`, every case final now) when it has no summary valid now, or when one of its pending cases
 * has become final since (its pending cases are read by id to know); and summarized at each of the usual
 * cut-offs after it (`usualCutoffs`, for the days of a period of at most 366 days ending there) when it has no
 * current summary at that cut-off, so that the report of a closed month or year reads no case one by one. A
 * day changed less than `DAY_SUMMARY_SETTLE_MS` ago is left for later (the index its cases are read by may
 * lag). A save refused because the day changed meanwhile is left to the next report or replay.
 */
export async function summarizeReportDays(
  deps: SummarizeDaysDeps,
  step: SummarizeDaysStep,
): Promise<SummarizeDaysStep & { readonly more: boolean; readonly saved: number }> {
  const now = deps.now();
  const settleMs = deps.settleMs ?? deps.days.settleMs ?? DAY_SUMMARY_SETTLE_MS;
  const cutoffs = usualCutoffs(now, settleMs);
  const last = parseLocalDate(localDateOf(now)) - 1;
  const settled = (state: ReportDayState | undefined) =>
    state?.changedAt === undefined || Date.now() - Date.parse(state.changedAt) >= settleMs;
  let next = step.day ?? step.firstDay;
  let saved = 0;
  while (next !== null && parseLocalDate(next) <= last) {
    const start = parseLocalDate(next);
    const days: LocalDate[] = [];
    for (let n = start; n <= last && days.length < DAYS_PER_READ; n += 1) days.push(formatLocalDate(n));
    // Every count the summaries are saved with is read before any case: a change meanwhile makes a summary
    // unused (or refused), never wrong. Then a day's cases are read at most once, whichever summaries need them.
    const states = await deps.days.dayStates(days);
    const atCutoffs = await Promise.all(
      cutoffs.map(async (cutoff) => {
        const cutoffDay = localDateOf(cutoff);
        const earliest = formatLocalDate(parseLocalDate(cutoffDay) - 365);
        const covered = days.filter((day) => day <= cutoffDay && day >= earliest);
        const states = covered.length > 0 ? await deps.days.dayStates(covered, cutoff) : new Map();
        return { cutoff, covered, states };
      }),
    );
    const read = new Map<LocalDate, Promise<CaseReportRecord[]>>();
    const recordsOfDay = (day: LocalDate) => {
      if (!read.has(day)) read.set(day, deps.days.recordsOfDay(day));
      return read.get(day)!;
    };
    for (const day of days) {
      const state = states.get(day);
      if (!settled(state)) continue;
      if (daySummaryValid(state, now, deps.calendars)) {
        const pending = state!.summary!.pending;
        if (pending.length === 0) continue;
        const records = await deps.days.recordsOf(pending);
        if (!records.some((record) => stableFrom(record) !== undefined)) continue;
      }
      const summary = buildDaySummary(day, await recordsOfDay(day), state, deps.calendars);
      if (summary !== undefined && (await deps.days.saveDaySummary(summary))) saved += 1;
    }
    for (const { cutoff, covered, states: atCutoff } of atCutoffs) {
      for (const day of covered) {
        const state = atCutoff.get(day);
        if (!settled(state) || cutoffSummaryValid(state, cutoff, deps.calendars)) continue;
        const records = await recordsOfDay(day);
        if (records.length === 0) continue;
        const early = state?.earlyChanges ?? 0;
        const summary = buildCutoffSummary(day, records, early, cutoff, deps.calendars);
        if (await deps.days.saveCutoffSummary(summary)) saved += 1;
      }
    }
    const after = parseLocalDate(days[days.length - 1]!) + 1;
    next = after <= last ? formatLocalDate(after) : null;
    if (!deps.mayContinue()) break;
  }
  const more = next !== null && parseLocalDate(next) <= last;
  return { run: step.run, tally: step.tally, firstDay: step.firstDay, day: more ? next : null, more, saved };
}

/**
 * The last step of the full replay job: the run's result (`{checkedAt, matched, differences, cases}`) stored
 * where the report reads it (`source.lastChecked`; the report reads the aggregates once one is stored).
 */
export async function finishReportReplay(
  deps: { readonly store: Pick<ReportAggregateStore, 'saveReplayResult'>; readonly now: () => Date },
  step: Pick<ReplayStep, 'run' | 'tally'>,
): Promise<ReportReplayResult> {
  const result = replayResultOf(step.run, step.tally, deps.now().toISOString());
  await deps.store.saveReplayResult(result);
  return result;
}
