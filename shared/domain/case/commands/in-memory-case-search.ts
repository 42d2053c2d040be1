import type { CaseLedger } from '../../ledger/ports';
import type { CaseProjection } from '../../ledger/projection';
import type { CaseReference } from '../reference';
import { searchTermsOf } from '../search-terms';
import { comparePositions, listPartitionOf, sortValueOf } from './case-search';
import type { CaseSearchIndex, ListPartitionRequest, TermMatches } from './case-search';

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
    const positioned = (await this.all())
      .filter((projection) => listPartitionOf(projection) === request.partition)
      .map((projection) => ({
        projection,
        position: { value: sortValueOf(projection, request.sort), caseId: projection.caseId },
      }))
      .sort((a, b) => sign * comparePositions(a.position, b.position))
      .filter(
        ({ position }) => request.after === undefined || sign * comparePositions(position, request.after) > 0,
      )
      .map(({ projection }) => projection);
    for (let start = 0; start < positioned.length; start += this.pageSize) {
      yield positioned.slice(start, start + this.pageSize);
    }
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
