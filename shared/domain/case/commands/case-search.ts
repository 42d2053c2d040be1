import { hasLetterToMail, isOpen } from '../../ledger/projection';
import type { CaseProjection } from '../../ledger/projection';
import type { CaseReference } from '../reference';

/** The orders a case list can be read in. */
export type CaseSort = 'received' | 'deadline' | 'reference';
export type SortOrder = 'asc' | 'desc';
/**
 * The two statuses cases are listed by: open cases, closed cases. Each is split into list partitions by unit
 * (`listPartitionKeyOf`).
 */
export type ListPartition = 'open' | 'closed';

/** `deadline` sort value of a case without a deadline: after every real instant, as in `OpenByDue`. */
export const NO_DEADLINE_SORT_VALUE = '9999-12-31T23:59:59.999Z';
/** `reference` sort value of a case not yet registered (a moment at intake): after every reference. */
export const NO_REFERENCE_SORT_VALUE = '~';

/** Where a page ended: the sort value of its last case and that case's id (the store's tie-breaker). */
export interface SortPosition {
  readonly value: string;
  readonly caseId: string;
}

/**
 * The value a case is sorted by, as text whose order is the sort's order (the same value the DynamoDB
 * indexes hold, so a position read here resumes an index Query):
 * - `received`: the receipt instant in UTC (ISO-8601, milliseconds);
 * - `deadline`: while open, the next unmet deadline (cases without one last); once closed, the answer
 *   deadline it was held to (else the acknowledgement's), so closed cases sort by what was promised;
 * - `reference`: the reference (`SCT-2026-000123`: year, then sequence).
 */
export function sortValueOf(projection: CaseProjection, sort: CaseSort): string {
  switch (sort) {
    case 'received':
      return new Date(projection.receivedAt).toISOString();
    case 'reference':
      return projection.reference ?? NO_REFERENCE_SORT_VALUE;
    case 'deadline': {
      const due = isOpen(projection)
        ? projection.nextDueAt
        : (projection.deadlines.answer?.dueAt ?? projection.deadlines.acknowledgement?.dueAt);
      return due === undefined ? NO_DEADLINE_SORT_VALUE : new Date(due).toISOString();
    }
  }
}

/**
 * The status a case is listed under: `open` while it has work left (open, or closed with a letter still to
 * post, which the to-mail list must reach: docs/letters.md), `closed` otherwise.
 */
export function listPartitionOf(projection: CaseProjection): ListPartition {
  return isOpen(projection) || hasLetterToMail(projection) ? 'open' : 'closed';
}

/** Compares two positions in ascending order: sort value, then case id. */
export function comparePositions(a: SortPosition, b: SortPosition): number {
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  return a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0;
}

/**
 * Where the read of a partition starts (`docs/case-search.md`): after a case (its sort value and id: the
 * store's order resumes from it), after every case of a sort value, or at the first case of a sort value;
 * from the first case when absent. "After" and "first" follow the order the partition is read in.
 */
export type PartitionStart =
  | { readonly kind: 'after-case'; readonly position: SortPosition }
  | { readonly kind: 'after-value'; readonly value: string }
  | { readonly kind: 'from-value'; readonly value: string };

export interface ListPartitionRequest {
  /** A list partition key (`listPartitionKeyOf`): `OPEN#unit#statistics`, `CLOSED#confidential`… */
  readonly partition: string;
  readonly sort: CaseSort;
  readonly order: SortOrder;
  readonly start?: PartitionStart;
  /** Cases the caller expects to need from this partition: the first read is about that size. */
  readonly firstPageSize?: number;
}

/** Index entries of one search word, bounded. */
export interface TermMatches {
  /** Ids of the cases with a term that begins with the word (at most the `max` asked for). */
  readonly caseIds: readonly string[];
  /** More cases than `max` had such a term; only the first `max` (in term order) were returned. */
  readonly truncated: boolean;
}

/**
 * The search index of the cases (DynamoDB: `docs/case-search.md`). It returns candidates; access, status and
 * the full match are checked by `findCases` on the projections, so an index entry that lags (a term left over
 * from an edited subject, a case listed before its closing reached the index) can only add a candidate that is
 * then dropped, never show a case it should not.
 */
export interface CaseSearchIndex {
  /**
   * The cases of a list partition in sort order (ties in the store's order, the same on every read), in pages,
   * from `start`. The caller stops reading when it has enough.
   */
  listPartition(request: ListPartitionRequest): AsyncIterable<readonly CaseProjection[]>;
  /** The keys of the list partitions of one status that ever held a case (some may be empty now). */
  listPartitions(status: ListPartition): Promise<readonly string[]>;
  /**
   * The cases with a search term (see `searchTermsOf`) that begins with `prefix` (folded, 2+ characters); past
   * `max`, the newest cases of each term are kept.
   */
  casesWithTermPrefix(prefix: string, max: number): Promise<TermMatches>;
  /** The projections of these cases, in any order; unknown ids are left out. */
  getCases(caseIds: readonly string[]): Promise<CaseProjection[]>;
  /** The case registered under a reference (the `ByReference` lookup). */
  caseIdOf(reference: CaseReference): Promise<string | undefined>;
}
