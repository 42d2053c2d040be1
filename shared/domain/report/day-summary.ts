import { mapConcurrently } from '../../concurrency';
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

/**
 * The report facts of every case received on one day as they stood at one past cut-off (`at`), final or not,
 * folded once (`ReportTally`): a report of a closed period (its cut-off more than `EARLY_CHANGE_MS` and the
 * settling time ago) then reads neither the day's cases nor its summary's pending ones. Valid for that
 * cut-off only, on the same calendar versions, while no early change of the day was counted since
 * (`earlyChanges`): a later write can change the facts at a past cut-off only by changing a state from before
 * it, which is early (`isEarlyChange`).
 */
export interface ReportCutoffSummary {
  readonly day: LocalDate;
  /** The cut-off (ISO instant) the facts were taken at. */
  readonly at: string;
  /** The calendar versions the business days were counted on, by calendar id (in effect on the cut-off date). */
  readonly calendars: Readonly<Record<string, string>>;
  /** The day's early change count when the summary's cases were read (`ReportDayState.earlyChanges`). */
  readonly earlyChanges: number;
  /** How many cases `tally` stands for (those read, received by the cut-off or not). */
  readonly included: number;
  readonly tally: ReportTally;
}

/** A day's summary item: its summary if one was built, how many times its cases changed, and when last. */
export interface ReportDayState {
  readonly summary?: ReportDaySummary;
  readonly changes: number;
  readonly changedAt?: string;
  /** How many writes of its cases changed a state from before `EARLY_CHANGE_MS` before them (absent: none). */
  readonly earlyChanges?: number;
  /** The summary of the day at the cut-off `dayStates` was asked for, when one was saved. */
  readonly cutoffSummary?: ReportCutoffSummary;
}

/**
 * What a write of a case's aggregate changed for its day's summaries: `summary`, the case may be in the day's
 * summary (it was final) or is new to the day; `early`, a state from more than `EARLY_CHANGE_MS` before the
 * write changed (`isEarlyChange`), which may change the facts at a past cut-off.
 */
export interface DayChange {
  readonly summary: boolean;
  readonly early: boolean;
}

/**
 * The report aggregates read day by day, with a summary item per day of receipt (`ReportDaySummary`): the
 * reports table in AWS and locally. A case aggregate written for a case that is new, or that was final (it
 * may be in its day's summary), counts a change of its day (`markDayChanged`), which invalidates the summary.
 */
export interface ReportDayStore {
  /**
   * The summary items of these days (a day without one: absent), with, when `cutoff` is given, each day's
   * summary at that cut-off if one was saved (`ReportCutoffSummary`); a store may then leave out the day
   * summary of a day whose summary at the cut-off was built at the day's current early change count.
   */
  dayStates(days: readonly LocalDate[], cutoff?: Date): Promise<ReadonlyMap<LocalDate, ReportDayState>>;
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
   * Stores a day's summary at a cut-off (its own item per day and cut-off) unless one built after a later
   * early change is stored: false then. A summary saved after an early change it did not see is only unused
   * (its `earlyChanges` is behind the day's).
   */
  saveCutoffSummary(summary: ReportCutoffSummary): Promise<boolean>;
  /**
   * Counts a change of the cases of a day (atomic increments of its item; creates it if need be): of `changes`
   * when `change.summary` (the default), of `earlyChanges` when `change.early`; `at` the time of the write,
   * on the clock the events are recorded by.
   */
  markDayChanged(day: LocalDate, at: string, change?: DayChange): Promise<void>;
  /**
   * How long after its last change (wall-clock) a day may be summarized, so that the index its cases are
   * read by has caught up with the last write (default `DAY_SUMMARY_SETTLE_MS`).
   */
  readonly settleMs?: number;
}

/**
 * How many summaries at a cut-off built from day summaries a report saves at once (the days read whole save
 * theirs as each is read). A closed year's first report saves ~365: one after another they cost it a write's
 * round trip each; the bound is the DynamoDB store's reads in flight (`DynamoDbReportAggregatesConfig`).
 */
export const CUTOFF_SUMMARY_SAVES_IN_FLIGHT = 16;

/**
 * Days a report reads whole at once (`readPeriodByDays`): a year without summaries is 365 day Queries (each
 * paged), which unbounded queued behind the SDK's sockets; the same bound as the saves above.
 */
export const DAYS_READ_IN_FLIGHT = 16;

/** Only a day whose last change is older than this is summarized: the index it is read by has caught up. */
export const DAY_SUMMARY_SETTLE_MS = 60_000;

/**
 * A write of a case's aggregate that changes its state from an instant more than this before the write is
 * early (an event recorded with an earlier instant, a projection delayed by retries, a repair): it is counted
 * on its day (`earlyChanges`). A summary at a cut-off is built only this long (and the settling time) after
 * the cut-off, so a write not counted early changed nothing at or before any cut-off summarized: either it was
 * made before the summary's cases were read and the index had caught up with it, or its changes begin after
 * the cut-off.
 */
export const EARLY_CHANGE_MS = 3_600_000;

/**
 * The earliest instant from which two aggregates of a case say something different (their first differing
 * epoch, the earlier of its two starts, or the first epoch one has beyond the other); `undefined` when their
 * epochs are the same. Facts at a cut-off before it are the same from either. A case new to the store
 * (`previous` undefined) differs from its first epoch (an empty string when it has none: early).
 */
export function earliestDifference(
  previous: CaseReportRecord | undefined,
  record: CaseReportRecord,
): string | undefined {
  if (previous === undefined) return record.epochs[0]?.from ?? '';
  const shared = Math.min(previous.epochs.length, record.epochs.length);
  for (let i = 0; i < shared; i += 1) {
    const a = previous.epochs[i]!;
    const b = record.epochs[i]!;
    if (a.from === b.from && JSON.stringify(a.state) === JSON.stringify(b.state)) continue;
    return Date.parse(a.from) <= Date.parse(b.from) ? a.from : b.from;
  }
  const longer = previous.epochs.length > shared ? previous : record;
  return longer.epochs[shared]?.from;
}

/** Whether a write at `at` that changes a case's states from `from` on is early (see `EARLY_CHANGE_MS`). */
export function isEarlyChange(from: string | undefined, at: Date): boolean {
  if (from === undefined) return false;
  const instant = Date.parse(from);
  return !(instant >= at.getTime() - EARLY_CHANGE_MS);
}

/**
 * Whether a report with this cut-off may use and build summaries at it: the cut-off is at least
 * `EARLY_CHANGE_MS` and the settling time before `now` (the clock the events are recorded by).
 */
export function cutoffSummariesApply(asOf: Date, now: number, settleMs: number): boolean {
  return asOf.getTime() + EARLY_CHANGE_MS + settleMs <= now;
}

/**
 * The summary of a day at a past cut-off: the facts at `asOf` of `records` (the day's cases), folded on
 * `base` (a day summary valid at `asOf`, whose pending cases `records` then are). `earlyChanges` is the day's
 * early change count read before the records.
 */
export function buildCutoffSummary(
  day: LocalDate,
  records: readonly CaseReportRecord[],
  earlyChanges: number,
  asOf: Date,
  calendars: CalendarRegistry,
  base?: ReportDaySummary,
): ReportCutoffSummary {
  const tally = emptyTally();
  if (base !== undefined) mergeTally(tally, base.tally);
  foldDay(tally, day, records, asOf, calendars);
  return {
    day,
    at: asOf.toISOString(),
    calendars: calendarVersions(calendars, localDateOf(asOf)),
    earlyChanges,
    included: (base?.included ?? 0) + records.length,
    tally,
  };
}

/** Whether a day's summary at a cut-off gives the day's facts at `asOf` (see `ReportCutoffSummary`). */
export function cutoffSummaryValid(
  state: ReportDayState | undefined,
  asOf: Date,
  calendars: CalendarRegistry,
): boolean {
  const summary = state?.cutoffSummary;
  if (summary === undefined || summary.at !== asOf.toISOString()) return false;
  if (summary.earlyChanges !== (state?.earlyChanges ?? 0)) return false;
  const versions = calendarVersions(calendars, localDateOf(asOf));
  return JSON.stringify(versions) === JSON.stringify(summary.calendars);
}

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
  const tally = foldDay(emptyTally(), day, final, asOf, calendars);
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

/** Folds into `tally` the facts at `asOf` of cases received on `day` (those received by then). */
function foldDay(
  tally: ReportTally,
  day: LocalDate,
  records: readonly CaseReportRecord[],
  asOf: Date,
  calendars: CalendarRegistry,
): ReportTally {
  const period = { from: day, to: day };
  for (const record of records) {
    const facts = reportFactsFromRecord(record, asOf, calendars);
    if (facts !== undefined) addToTally(tally, facts, period);
  }
  return tally;
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
  /** Days given by a summary: at the cut-off (`daysAtCutoff` of them) or valid from `stableThrough`. */
  readonly daysSummarized: number;
  /** Of `daysSummarized`, the days given by a summary at the cut-off (nothing read by id). */
  readonly daysAtCutoff: number;
  readonly daysRead: number;
  /** Summaries built and saved from the days read whole, and at the cut-off. */
  readonly summariesSaved: number;
  /** Summaries built whose save failed (an error, not a change meanwhile). */
  readonly summariesNotSaved: readonly DaySummaryNotSaved[];
}

/**
 * Reads a period's report aggregates by day. For a past cut-off (`cutoffSummariesApply`), a day whose summary
 * at this cut-off is valid (`cutoffSummaryValid`) gives its tally and nothing is read of its cases. Otherwise a
 * day whose summary is valid at `asOf` (`daySummaryValid`) gives its tally and the aggregates of its pending
 * cases (read by id); any other day is read whole, as without summaries, and — when it is before the cut-off's
 * date and settled for `DAY_SUMMARY_SETTLE_MS` — summarized (valid at this cut-off: the cases final only after
 * it are left pending) and saved for the next reports. For a past cut-off, each settled day read (whole, or
 * its pending cases) is also summarized at the cut-off and saved, so that the next report of the period reads
 * one item for it (the days read through a day summary save `CUTOFF_SUMMARY_SAVES_IN_FLIGHT` at a time, the
 * days read whole, `DAYS_READ_IN_FLIGHT` at a time, each as it is read). A summary not saved is only a saving
 * lost: the next report tries again; a failed save is listed in `summariesNotSaved`. The cases received before
 * the period and open at `asOf` are read as without summaries. `now` is the clock the events are recorded by
 * (the system's).
 */
export async function readPeriodByDays(
  store: ReportDayStore,
  period: ReportPeriod,
  asOf: Date,
  calendars: CalendarRegistry,
  now: number = Date.now(),
): Promise<SummarizedPeriod> {
  const days = receiptDays(period, asOf);
  const asOfDay = localDateOf(asOf);
  const settleMs = store.settleMs ?? DAY_SUMMARY_SETTLE_MS;
  const atCutoff = cutoffSummariesApply(asOf, now, settleMs);
  const [states, openBefore] = await Promise.all([
    store.dayStates(days, atCutoff ? asOf : undefined),
    store.openBefore(period.from, asOf),
  ]);
  const tally = emptyTally();
  const summaries: ReportDaySummary[] = [];
  const cutoffSummaries: ReportCutoffSummary[] = [];
  const whole: LocalDate[] = [];
  const pending: string[] = [];
  for (const day of days) {
    const state = states.get(day);
    if (atCutoff && cutoffSummaryValid(state, asOf, calendars)) {
      cutoffSummaries.push(state!.cutoffSummary!);
    } else if (daySummaryValid(state, asOf, calendars)) {
      summaries.push(state!.summary!);
      pending.push(...state!.summary!.pending);
    } else whole.push(day);
  }
  let summariesSaved = 0;
  const summariesNotSaved: DaySummaryNotSaved[] = [];
  const save = async (day: LocalDate, saving: () => Promise<boolean>) => {
    try {
      if (await saving()) summariesSaved += 1;
    } catch (error) {
      // Only a saving lost: the day was read and counts; the next report tries again. Said, not swallowed: a
      // save that always fails would make every report read the day again.
      summariesNotSaved.push({ day, error: error instanceof Error ? error.name : 'UnknownError' });
    }
  };
  // Wall-clock on both sides (the report's clock may be a virtual one): the index's lag is real time.
  const settled = (state: ReportDayState | undefined) =>
    state?.changedAt === undefined || Date.now() - Date.parse(state.changedAt) >= settleMs;
  const [byId, byDay] = await Promise.all([
    (async () => {
      const records = await store.recordsOf(pending);
      if (!atCutoff) return records;
      const byCase = new Map(records.map((record) => [record.caseId, record]));
      const toSave = summaries.filter((summary) => settled(states.get(summary.day)));
      // `save` does not throw: a failed save is listed, and the others go on.
      await mapConcurrently(toSave, CUTOFF_SUMMARY_SAVES_IN_FLIGHT, async (summary) => {
        const own = summary.pending.flatMap((caseId) => byCase.get(caseId) ?? []);
        const early = states.get(summary.day)?.earlyChanges ?? 0;
        await save(summary.day, () =>
          store.saveCutoffSummary(buildCutoffSummary(summary.day, own, early, asOf, calendars, summary)),
        );
      });
      return records;
    })(),
    mapConcurrently(whole, DAYS_READ_IN_FLIGHT, async (day) => {
      const records = await store.recordsOfDay(day);
      const state = states.get(day);
      if (!settled(state)) return records;
      if (atCutoff && records.length > 0) {
        const early = state?.earlyChanges ?? 0;
        await save(day, () =>
          store.saveCutoffSummary(buildCutoffSummary(day, records, early, asOf, calendars)),
        );
      }
      // Every final case when the summary is then valid at this cut-off; else those final by the cut-off.
      const full = day < asOfDay ? buildDaySummary(day, records, state, calendars) : undefined;
      const summary =
        full !== undefined && Date.parse(full.stableThrough) > asOf.getTime()
          ? buildDaySummary(day, records, state, calendars, asOf)
          : full;
      if (summary !== undefined) await save(day, () => store.saveDaySummary(summary));
      return records;
    }),
  ]);
  mergeAll(tally, summaries);
  mergeAll(tally, cutoffSummaries);
  return {
    tally,
    summarizedCases: [...summaries, ...cutoffSummaries].reduce((sum, summary) => sum + summary.included, 0),
    records: [...byDay.flat(), ...byId, ...openBefore],
    daysSummarized: summaries.length + cutoffSummaries.length,
    daysAtCutoff: cutoffSummaries.length,
    daysRead: whole.length,
    summariesSaved,
    summariesNotSaved: summariesNotSaved.sort((a, b) => (a.day < b.day ? -1 : 1)),
  };
}

function mergeAll(into: ReportTally, summaries: readonly { readonly tally: ReportTally }[]): void {
  for (const summary of summaries) mergeTally(into, summary.tally);
}
