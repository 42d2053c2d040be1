import type { CaseReportRecord } from '../../../shared/domain/report';
import type { LocalDate } from '../../../shared/domain/time/types';

/** A store the report reads case aggregates from, by day of receipt and by id. */
interface CaseReadingStore {
  recordsOfDay(day: LocalDate): Promise<CaseReportRecord[]>;
  recordsOf(caseIds: readonly string[]): Promise<CaseReportRecord[]>;
}

/** What a report read of the cases themselves, from the moment `countCaseReads` was called. */
export interface CaseReads {
  /** Days read whole, and which. */
  days: number;
  readonly whole: string[];
  /** Case ids asked by id. */
  byId: number;
  /** Aggregates both gave. */
  records: number;
  /** Puts the store's own methods back. */
  restore(): void;
}

/**
 * Counts the days a store is asked to read whole, the cases it is asked for by id, and the aggregates both give
 * (not the day items, nor the cases open before a period): the measure of what summaries saved a report.
 */
export function countCaseReads(store: CaseReadingStore): CaseReads {
  const recordsOfDay = store.recordsOfDay;
  const recordsOf = store.recordsOf;
  const reads: CaseReads = {
    days: 0,
    whole: [],
    byId: 0,
    records: 0,
    restore: () => {
      store.recordsOfDay = recordsOfDay;
      store.recordsOf = recordsOf;
    },
  };
  store.recordsOfDay = async (day) => {
    reads.days += 1;
    reads.whole.push(day);
    const records = await recordsOfDay.call(store, day);
    reads.records += records.length;
    return records;
  };
  store.recordsOf = async (caseIds) => {
    reads.byId += caseIds.length;
    const records = await recordsOf.call(store, caseIds);
    reads.records += records.length;
    return records;
  };
  return reads;
}
