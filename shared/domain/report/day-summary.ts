import type { CalendarRegistry } from '../time/calendars';
import { formatLocalDate, parseLocalDate } from '../time/local-date';
import { localDateOf } from '../time/local-date-of';
import type { LocalDate } from '../time/types';
import type { ReportPeriod } from './compute';
import { reportFactsFromRecord } from './aggregates';
import type { CaseReportRecord } from './aggregates';
import type { ReportDeadlineState } from './facts';
import { addToTally, emptyTally, mergeTally } from './tally';
import type { ReportTally } from './tally';

const OPEN_STATUSES: readonly string[] = ['received', 'acknowledged', 'dissatisfied'];

/**
 * From when the report facts of a case no longer depend on the cut-off, as its aggregate stands: the start of
 * its last epoch, when in that state the case is not open (no age, never past a deadline) and each of its
 * acknowledgement and answer deadlines is met (met or met late, by a fixed number of business days) or void
 * (closed before it came). A deadline unmet and not void is pending, then breached by more days each day:
 * never final. `undefined` when not final. Business days are counted on the calendar version of the cut-off
 * date, so the facts are final only while that version is the same (`ReportDaySummary.calendars`); and a
 * later event changes the aggregate (the day is then marked changed, `ReportDayStore.markDayChanged`).
 */
export function stableFrom(record: CaseReportRecord): string | undefined {
  const last = record.epochs[record.epochs.length - 1];
  if (last === undefined) return undefined;
  const state = last.state;
  if (OPEN_STATUSES.includes(state.status)) return undefined;
  const settled = (deadline: ReportDeadlineState | undefined) =>
    deadline === undefined ||
    deadline.metAt !== undefined ||
    (state.closedAt !== undefined && Date.parse(state.closedAt) <= Date.parse(deadline.dueAt));
  if (!settled(state.acknowledgement) || !settled(state.answer)) return undefined;
  return last.from;
}

/**
 * The report facts of the final cases received on one day, folded once (`ReportTally`), so that a report
 * reads one item instead of the day's cases. Valid for a cut-off at or after `stableThrough`, on the same
 * calendar versions, while the day has not changed since (`changes`); the day's other cases are listed
 * (`pending`) and read one by one.
 */
export interface ReportDaySummary {
  readonly day: LocalDate;
  /** The latest `stableFrom` of the cases included: the earliest cut-off the summary is valid for. */
  readonly stableThrough: string;
  /** The calendar versions the business days were counted on, by calendar id (in effect at `stableThrough`). */
  readonly calendars: Readonly<Record<string, string>>;
  /** The day's change count when it was built (`ReportDayState.changes`). */
  readonly changes: number;
  /** How many cases `tally` holds. */
  readonly included: number;
  readonly tally: ReportTally;
  /** The day's cases not included (not final when it was built): read one by one. */
  readonly pending: readonly string[];
}

/** A day's summary item: its summary if one was built, how many times its cases changed, and when last. */
export interface ReportDayState {
  readonly summary?: ReportDaySummary;
  readonly changes: number;
  readonly changedAt?: string;
}

/**
 * The report aggregates read day by day, with a summary item per day of receipt (`ReportDaySummary`): the
 * reports table in AWS and locally. A case aggregate written for a case that is new, or that was final (it
 * may be in its day's summary), counts a change of its day (`markDayChanged`), which invalidates the summary.
 */
export interface ReportDayStore {
  /** The summary items of these days (a day without one: absent). */
  dayStates(days: readonly LocalDate[]): Promise<ReadonlyMap<LocalDate, ReportDayState>>;
  /** The aggregates of the cases received on a day. */
  recordsOfDay(day: LocalDate): Promise<CaseReportRecord[]>;
  /** The aggregates of these cases (those missing are left out). */
  recordsOf(caseIds: readonly string[]): Promise<CaseReportRecord[]>;
  /** The cases received before `from` and still open at `asOf` (the end-of-period figures). */
  openBefore(from: LocalDate, asOf: Date): Promise<CaseReportRecord[]>;
  /**
   * Stores a day's summary unless the day changed since `summary.changes` was read (conditional): false when
   * it did.
   */
  saveDaySummary(summary: ReportDaySummary): Promise<boolean>;
  /**
   * Counts a change of the cases of a day (an atomic increment of its item; creates it if need be), `at` the
   * wall-clock time of the write.
   */
  markDayChanged(day: LocalDate, at: string): Promise<void>;
  /**
   * How long after its last change (wall-clock) a day may be summarized, so that the index its cases are
   * read by has caught up with the last write (default `DAY_SUMMARY_SETTLE_MS`).
   */
  readonly settleMs?: number;
}

/** Only a day whose last change is older than this is summarized: the index it is read by has caught up. */
export const DAY_SUMMARY_SETTLE_MS = 60_000;

/**
 * The summary of a day from all its case aggregates (read after its state, whose change count it keeps):
 * the final cases (`stableFrom`) folded at the latest of their `stableFrom`, the others listed. With
 * `finalBy`, only the cases final by then are folded (the others listed), so that the summary is valid for a
 * cut-off at `finalBy`: a report of a past period summarizes its last days although their cases were closed
 * after its cut-off. `undefined` when no case is final (nothing to save).
 */
export function buildDaySummary(
  day: LocalDate,
  records: readonly CaseReportRecord[],
  state: ReportDayState | undefined,
  calendars: CalendarRegistry,
  finalBy?: Date,
): ReportDaySummary | undefined {
  const final: CaseReportRecord[] = [];
  const pending: string[] = [];
  let stableThrough: string | undefined;
  for (const record of records) {
    const from = stableFrom(record);
    if (from === undefined || (finalBy !== undefined && Date.parse(from) > finalBy.getTime())) {
      pending.push(record.caseId);
      continue;
    }
    final.push(record);
    if (stableThrough === undefined || Date.parse(from) > Date.parse(stableThrough)) stableThrough = from;
  }
  if (stableThrough === undefined) return undefined;
  const asOf = new Date(stableThrough);
  const tally = emptyTally();
  const period = { from: day, to: day };
  for (const record of final) {
    const facts = reportFactsFromRecord(record, asOf, calendars);
    if (facts !== undefined) addToTally(tally, facts, period);
  }
  return {
    day,
    stableThrough,
    calendars: calendarVersions(calendars, localDateOf(asOf)),
    changes: state?.changes ?? 0,
    included: final.length,
    tally,
    pending: pending.sort(),
  };
}

/** The version of each calendar in effect on a date. */
function calendarVersions(calendars: CalendarRegistry, on: LocalDate): Record<string, string> {
  return Object.fromEntries(calendars.ids().map((id) => [id, calendars.at(id, on).version.version]));
}

/** Whether a day's summary gives the day's facts at `asOf` (see `ReportDaySummary`). */
export function daySummaryValid(
  state: ReportDayState | undefined,
  asOf: Date,
  calendars: CalendarRegistry,
): boolean {
  const summary = state?.summary;
  if (summary === undefined || state === undefined || state.changes !== summary.changes) return false;
  if (asOf.getTime() < Date.parse(summary.stableThrough)) return false;
  const versions = calendarVersions(calendars, localDateOf(asOf));
  return JSON.stringify(versions) === JSON.stringify(summary.calendars);
}

/** The receipt days a report reads: from `from` to the earlier of `to` and the cut-off's date. */
export function receiptDays(period: ReportPeriod, asOf: Date): LocalDate[] {
  const asOfDay = localDateOf(asOf);
  const lastDay = asOfDay < period.to ? asOfDay : period.to;
  const days: LocalDate[] = [];
  for (let n = parseLocalDate(period.from); formatLocalDate(n) <= lastDay; n += 1)
    days.push(formatLocalDate(n));
  return days;
}

/** A day summary built by a report but not saved because the save failed (not a change meanwhile). */
export interface DaySummaryNotSaved {
  readonly day: LocalDate;
  /** The error's name (`StoreUnavailableError`, …), never its message. */
  readonly error: string;
}

/**
 * Told of the day summaries a report could not save (the report is right all the same, the saving is lost
 * until the next report): the audit API logs each as a warning (`day summary not saved`, the day and the
 * error's name), so that a save that always fails (a permission, an item too large) is seen rather than paid
 * for silently by every report.
 */
export interface DaySummaryMonitor {
  summaryNotSaved(failure: DaySummaryNotSaved): void;
}

/** What a period's read by day summaries gave: the summaries' tally, the aggregates read, and its costs. */
export interface SummarizedPeriod {
  /** The tally of the summaries used (their included cases). */
  readonly tally: ReportTally;
  readonly summarizedCases: number;
  /** The aggregates read one by one: whole days, pending cases, cases open before the period. */
  readonly records: CaseReportRecord[];
  readonly daysSummarized: number;
  readonly daysRead: number;
  /** Summaries built and saved from the days read whole. */
  readonly summariesSaved: number;
  /** Summaries built whose save failed (an error, not a change meanwhile). */
  readonly summariesNotSaved: readonly DaySummaryNotSaved[];
}

/**
 * Reads a period's report aggregates by day: a day whose summary is valid at `asOf` (`daySummaryValid`)
 * gives its tally and the aggregates of its pending cases (read by id); any other day is read whole, as
 * without summaries, and — when it is before the cut-off's date and settled for `DAY_SUMMARY_SETTLE_MS` —
 * summarized (valid at this cut-off: the cases final only after it are left pending) and saved for the next
 * reports (a summary not saved is only a saving lost: the next report tries again; a failed save is listed in
 * `summariesNotSaved`). The cases received before the period and open at `asOf` are read as without summaries.
 */
export async function readPeriodByDays(
  store: ReportDayStore,
  period: ReportPeriod,
  asOf: Date,
  calendars: CalendarRegistry,
): Promise<SummarizedPeriod> {
  const days = receiptDays(period, asOf);
  const asOfDay = localDateOf(asOf);
  const [states, openBefore] = await Promise.all([
    store.dayStates(days),
    store.openBefore(period.from, asOf),
  ]);
  const tally = emptyTally();
  const summaries: ReportDaySummary[] = [];
  const whole: LocalDate[] = [];
  const pending: string[] = [];
  for (const day of days) {
    const state = states.get(day);
    if (daySummaryValid(state, asOf, calendars)) {
      summaries.push(state!.summary!);
      pending.push(...state!.summary!.pending);
    } else whole.push(day);
  }
  let summariesSaved = 0;
  const summariesNotSaved: DaySummaryNotSaved[] = [];
  const [byId, byDay] = await Promise.all([
    store.recordsOf(pending),
    Promise.all(
      whole.map(async (day) => {
        const records = await store.recordsOfDay(day);
        const state = states.get(day);
        // Wall-clock on both sides (the report's clock may be a virtual one): the index's lag is real time.
        const settled =
          state?.changedAt === undefined ||
          Date.now() - Date.parse(state.changedAt) >= (store.settleMs ?? DAY_SUMMARY_SETTLE_MS);
        // Every final case when the summary is then valid at this cut-off; else those final by the cut-off.
        const full = day < asOfDay && settled ? buildDaySummary(day, records, state, calendars) : undefined;
        const summary =
          full !== undefined && Date.parse(full.stableThrough) > asOf.getTime()
            ? buildDaySummary(day, records, state, calendars, asOf)
            : full;
        if (summary !== undefined) {
          try {
            if (await store.saveDaySummary(summary)) summariesSaved += 1;
          } catch (error) {
            // Only a saving lost: the day was read whole and counts; the next report tries again. Said, not
            // swallowed: a save that always fails would make every report read the day whole.
            summariesNotSaved.push({ day, error: error instanceof Error ? error.name : 'UnknownError' });
          }
        }
        return records;
      }),
    ),
  ]);
  return {
    tally: summaries.reduce((into, summary) => mergeTally(into, summary.tally), tally),
    summarizedCases: summaries.reduce((sum, summary) => sum + summary.included, 0),
    records: [...byDay.flat(), ...byId, ...openBefore],
    daysSummarized: summaries.length,
    daysRead: whole.length,
    summariesSaved,
    summariesNotSaved: summariesNotSaved.sort((a, b) => (a.day < b.day ? -1 : 1)),
  };
}
