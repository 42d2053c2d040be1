import type { CaseLedger } from '../../shared/domain/ledger/ports';

export interface ReindexSummary {
  /** Case ids the ledger holds. */
  readonly checked: number;
  /** Cases whose projection could not be read or repaired (run again; ids only). */
  readonly failed: readonly string[];
}

/**
 * Reads every case of the ledger once through the case ledger, which repairs a projection written before
 * the search layout (no `listPartition`, `listDueAt` or search terms) or before the list partitions per unit
 * (`listPartition` `OPEN`/`CLOSED`): it fails validation, and its repair writes the new values, its terms and
 * its list partition's item. A current one is left untouched. The one-off step of a deployment over existing data (`docs/case-search.md`); safe
 * to run again.
 */
export async function reindexCases(
  caseIds: readonly string[],
  ledger: Pick<CaseLedger, 'getCase'>,
): Promise<ReindexSummary> {
  const failed: string[] = [];
  for (const caseId of caseIds) {
    try {
      await ledger.getCase(caseId);
    } catch {
      failed.push(caseId);
    }
  }
  return { checked: caseIds.length, failed };
}
