import * as z from '../../zod-mini';

import { CaseIdSchema } from '../case/case';
import { singleLineText } from '../case/text';
import { ActorSchema } from '../ledger/events';
import { localDateOf } from '../time/local-date-of';
import { InstantSchema } from '../time/types';

/**
 * One list view that showed confidential cases: who (`actor`), when, through which route, and the ids of the
 * confidential cases it listed (metadata only: a work list never shows their content).
 */
export const ListViewRecordSchema = z.strictObject({
  at: InstantSchema,
  actor: ActorSchema,
  route: z.optional(singleLineText(200)),
  caseIds: z.array(CaseIdSchema).check(z.minLength(1)),
});
export type ListViewRecord = z.infer<typeof ListViewRecordSchema>;

/**
 * The access journal: one record per work-list view that showed confidential cases, kept apart from the
 * cases' ledgers so that a list of 30 complaints is one write, not 30 (see `docs/access-records.md`).
 * Records are grouped by Québec-local day and numbered in the order they were written.
 */
export interface AccessJournal {
  /** Writes one record. Throws when it cannot: the caller then shows nothing. */
  recordListView(record: ListViewRecord): Promise<void>;
  /** The records of one local day (`YYYY-MM-DD`, America/Toronto), in the order they were written. */
  listViewsOn(day: string): Promise<ListViewRecord[]>;
}

/** An `AccessJournal` in memory, for domain and handler tests. */
export class InMemoryAccessJournal implements AccessJournal {
  private readonly days = new Map<string, ListViewRecord[]>();

  recordListView(record: ListViewRecord): Promise<void> {
    const parsed = ListViewRecordSchema.parse(record);
    const day = localDateOf(parsed.at);
    this.days.set(day, [...(this.days.get(day) ?? []), structuredClone(parsed)]);
    return Promise.resolve();
  }

  listViewsOn(day: string): Promise<ListViewRecord[]> {
    return Promise.resolve(structuredClone(this.days.get(day) ?? []));
  }

  /** Every record, for tests. */
  all(): ListViewRecord[] {
    return [...this.days.values()].flat().map((record) => structuredClone(record));
  }
}
