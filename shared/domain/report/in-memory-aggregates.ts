import type { ReportPeriod } from './compute';
import type {
  CaseReportRecord,
  ReportAggregatePut,
  ReportAggregateStore,
  ReportRecordSource,
  ReportReplayResult,
} from './aggregates';
import { localDateOf } from '../time/local-date-of';
import type { LocalDate } from '../time/types';
import type {
  DayChange,
  ReportCutoffSummary,
  ReportDayState,
  ReportDayStore,
  ReportDaySummary,
} from './day-summary';

/**
 * Report aggregates in memory (unit tests, the what-if and benchmark harnesses): the same rules as the
 * DynamoDB store (`DynamoDbReportAggregates`): conditional on `lastSeq`, and `recordsFor` returns the cases
 * received from `from` to the cut-off's date and those received before `from` not settled by the cut-off.
 */
export class InMemoryReportAggregates implements ReportAggregateStore, ReportRecordSource, ReportDayStore {
  readonly records = new Map<string, CaseReportRecord>();
  readonly dayItems = new Map<
    LocalDate,
    { changes: number; changedAt?: string; earlyChanges?: number; summary?: ReportDaySummary }
  >();
  /** The summaries at a cut-off, by day and cut-off (`<day>@<cut-off>`). */
  readonly cutoffItems = new Map<string, ReportCutoffSummary>();
  #replay: ReportReplayResult | undefined;
  /** Read by day summaries (`readPeriodByDays`) only when asked: `{daySummaries: true}`. */
  readonly days?: ReportDayStore;
  /** Summarized as soon as asked: nothing lags in memory. */
  readonly settleMs = 0;

  constructor(options: { readonly daySummaries?: boolean } = {}) {
    if (options.daySummaries === true) this.days = this;
  }

  async dayStates(
    days: readonly LocalDate[],
    cutoff?: Date,
  ): Promise<ReadonlyMap<LocalDate, ReportDayState>> {
    const states = new Map<LocalDate, ReportDayState>();
    for (const day of days) {
      const item = this.dayItems.get(day);
      const at = cutoff === undefined ? undefined : this.cutoffItems.get(`${day}@${cutoff.toISOString()}`);
      if (item === undefined && at === undefined) continue;
      states.set(
        day,
        structuredClone({ changes: 0, ...item, ...(at !== undefined ? { cutoffSummary: at } : {}) }),
      );
    }
    return states;
  }

  async recordsOfDay(day: LocalDate): Promise<CaseReportRecord[]> {
    return [...this.records.values()].filter((record) => record.receivedDay === day);
  }

  async recordsOf(caseIds: readonly string[]): Promise<CaseReportRecord[]> {
    return caseIds.flatMap((caseId) => this.records.get(caseId) ?? []);
  }

  async openBefore(from: LocalDate, asOf: Date): Promise<CaseReportRecord[]> {
    return [...this.records.values()].filter(
      (record) =>
        record.receivedDay < from &&
        (record.settledAt === undefined || Date.parse(record.settledAt) > asOf.getTime()),
    );
  }

  async saveDaySummary(summary: ReportDaySummary): Promise<boolean> {
    const item = this.dayItems.get(summary.day) ?? { changes: 0 };
    if (item.changes !== summary.changes) return false;
    this.dayItems.set(summary.day, { ...item, summary: structuredClone(summary) });
    return true;
  }

  async saveCutoffSummary(summary: ReportCutoffSummary): Promise<boolean> {
    const key = `${summary.day}@${summary.at}`;
    const stored = this.cutoffItems.get(key);
    if (stored !== undefined && stored.earlyChanges > summary.earlyChanges) return false;
    this.cutoffItems.set(key, structuredClone(summary));
    return true;
  }

  async markDayChanged(
    day: LocalDate,
    at: string,
    change: DayChange = { summary: true, early: false },
  ): Promise<void> {
    if (!change.summary && !change.early) return;
    const item = this.dayItems.get(day) ?? { changes: 0 };
    this.dayItems.set(day, {
      ...item,
      changes: item.changes + (change.summary ? 1 : 0),
      ...(change.early ? { earlyChanges: (item.earlyChanges ?? 0) + 1 } : {}),
      changedAt: at,
    });
  }

  async get(caseId: string): Promise<CaseReportRecord | undefined> {
    return this.records.get(caseId);
  }

  async put(record: CaseReportRecord, options: { readonly replace?: boolean } = {}): Promise<boolean> {
    return this.write(record, options.replace === true).written;
  }

  async putReturningPrevious(record: CaseReportRecord): Promise<ReportAggregatePut> {
    return this.write(record, false);
  }

  private write(record: CaseReportRecord, replace: boolean): ReportAggregatePut {
    const stored = this.records.get(record.caseId);
    if (stored !== undefined) {
      if (stored.lastSeq > record.lastSeq) return { written: false };
      if (stored.lastSeq === record.lastSeq && !replace) return { written: false };
    }
    this.records.set(record.caseId, structuredClone(record));
    return { written: true, previous: stored !== undefined ? structuredClone(stored) : undefined };
  }

  async *recordsFor(period: ReportPeriod, asOf: Date): AsyncIterable<CaseReportRecord> {
    const lastDay = localDateOf(asOf) < period.to ? localDateOf(asOf) : period.to;
    for (const record of this.records.values()) {
      const inPeriod = record.receivedDay >= period.from && record.receivedDay <= lastDay;
      const openBefore =
        record.receivedDay < period.from &&
        (record.settledAt === undefined || Date.parse(record.settledAt) > asOf.getTime());
      if (inPeriod || openBefore) yield record;
    }
  }

  async saveReplayResult(result: ReportReplayResult): Promise<void> {
    this.#replay = result;
  }

  async latestReplayResult(): Promise<ReportReplayResult | undefined> {
    return this.#replay;
  }
}
