import type { CaseLedger } from '../../ledger/ports';
import type { CaseProjection } from '../../ledger/projection';
import type { CaseReference } from '../reference';
import { searchTermsOf } from '../search-terms';
import { comparePositions, sortValueOf } from './case-search';
import type { CaseSearchIndex, ListPartition, ListPartitionRequest, TermMatches } from './case-search';
import { listPartitionKeyOf, listPartitionPrefix } from './list-partitions';

/**
 * `CaseSearchIndex` over a `CaseLedger` for tests and local tools: it reads every case it was told about
 * (`track`) through the ledger and orders them as the DynamoDB indexes do (sort value, then case id).
 */
export class InMemoryCaseSearchIndex implements CaseSearchIndex {
  private readonly caseIds = new Set<string>();

  constructor(
    private readonly ledger: CaseLedger,
    caseIds: Iterable<string> = [],
    /** Cases per page of `listPartition` (small values exercise paging). */
    private readonly pageSize = 25,
  ) {
    for (const caseId of caseIds) this.caseIds.add(caseId);
  }

  track(caseId: string): void {
    this.caseIds.add(caseId);
  }

  async *listPartition(request: ListPartitionRequest): AsyncIterable<readonly CaseProjection[]> {
    const sign = request.order === 'asc' ? 1 : -1;
    const start = request.start;
    const positioned = (await this.all())
      .filter((projection) => listPartitionKeyOf(projection) === request.partition)
      .map((projection) => ({
        projection,
        position: { value: sortValueOf(projection, request.sort), caseId: projection.caseId },
      }))
      // The store's order within a sort value: the case id.
      .sort((a, b) => sign * comparePositions(a.position, b.position))
      .filter(({ position }) => {
        if (start === undefined) return true;
        if (start.kind === 'after-case') return sign * comparePositions(position, start.position) > 0;
        const byValue =
          sign * comparePositions({ value: position.value, caseId: '' }, { value: start.value, caseId: '' });
        return start.kind === 'after-value' ? byValue > 0 : byValue >= 0;
      })
      .map(({ projection }) => projection);
    for (let from = 0; from < positioned.length; from += this.pageSize) {
      yield positioned.slice(from, from + this.pageSize);
    }
  }

  async listPartitions(status: ListPartition): Promise<readonly string[]> {
    const prefix = listPartitionPrefix(status);
    const keys = (await this.all()).map(listPartitionKeyOf).filter((key) => key.startsWith(prefix));
    return [...new Set(keys)].sort();
  }

  async casesWithTermPrefix(prefix: string, max: number): Promise<TermMatches> {
    // As `ByTerm` read backwards: by term, then the newest receipt first.
    const entries = (await this.all())
      .flatMap((projection) =>
        searchTermsOf(projection).map((term) => ({
          term: `${term}#${new Date(projection.receivedAt).toISOString()}`,
          caseId: projection.caseId,
        })),
      )
      .filter(({ term }) => term.startsWith(prefix))
      .sort((a, b) =>
        comparePositions({ value: b.term, caseId: b.caseId }, { value: a.term, caseId: a.caseId }),
      );
    return { caseIds: entries.slice(0, max).map(({ caseId }) => caseId), truncated: entries.length > max };
  }

  async getCases(caseIds: readonly string[]): Promise<CaseProjection[]> {
    const found: CaseProjection[] = [];
    for (const caseId of caseIds) {
      if (!this.caseIds.has(caseId)) continue;
      const projection = await this.ledger.getCase(caseId);
      if (projection !== undefined) found.push(projection);
    }
    return found;
  }

  async caseIdOf(reference: CaseReference): Promise<string | undefined> {
    return (await this.all()).find((projection) => projection.reference === reference)?.caseId;
  }

  private async all(): Promise<CaseProjection[]> {
    return this.getCases([...this.caseIds]);
  }
}
