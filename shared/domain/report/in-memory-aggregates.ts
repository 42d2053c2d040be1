import type { ReportPeriod } from './compute';
import type {
  CaseReportRecord,
  ReportAggregateStore,
  ReportRecordSource,
  ReportReplayResult,
} from './aggregates';
import { localDateOf } from '../time/local-date-of';

/**
 * Report aggregates in memory (unit tests, the what-if and benchmark harnesses): the same rules as the
 * DynamoDB store (`DynamoDbReportAggregates`): conditional on `lastSeq`, and `recordsFor` returns the cases
 * received from `from` to the cut-off's date and those received before `from` not settled by the cut-off.
 */
export class InMemoryReportAggregates implements ReportAggregateStore, ReportRecordSource {
  readonly records = new Map<string, CaseReportRecord>();
  #replay: ReportReplayResult | undefined;

  async get(caseId: string): Promise<CaseReportRecord | undefined> {
    return this.records.get(caseId);
  }

  async put(record: CaseReportRecord, options: { readonly replace?: boolean } = {}): Promise<boolean> {
    const stored = this.records.get(record.caseId);
    if (stored !== undefined) {
      if (stored.lastSeq > record.lastSeq) return false;
      if (stored.lastSeq === record.lastSeq && options.replace !== true) return false;
    }
    this.records.set(record.caseId, structuredClone(record));
    return true;
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
