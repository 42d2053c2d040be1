import type { StaffIdentity } from '../../identity/identity';
import type { CaseProjection } from '../../ledger/projection';
import type { Policy } from '../../policy/schema';
import { isConfidentialCase } from '../../access/case-access';
import { listPartitionOf, sortValueOf } from './case-search';
import type { CaseSort, ListPartition, PartitionStart, SortOrder } from './case-search';

/** Text of each status at the head of a list partition key, as the `ListBy…` indexes hold it. */
const STATUS_PREFIX: Readonly<Record<ListPartition, string>> = { open: 'OPEN', closed: 'CLOSED' };

/**
 * The group of cases a case is listed with, within its status (`docs/case-search.md`), from the case alone (no
 * policy: the stored item must not change when the policy does):
 * - `confidential`: a case received or recategorized as confidential (the complaints officer's and auditors');
 * - `review`: an ordinary case a requester said they were not satisfied with (the complaints officer reads it
 *   whatever its unit, the unit's staff too);
 * - `unit#<unit>`: an ordinary case routed to a unit;
 * - `category#<category>`: an ordinary case not yet routed (its unit is its category's queue).
 */
export function listGroupOf(projection: CaseProjection): string {
  if (projection.confidential) return 'confidential';
  if (projection.dissatisfiedAt !== undefined) return 'review';
  if (projection.unit !== undefined) return `unit#${projection.unit}`;
  return `category#${projection.category}`;
}

/** The list partition of a case: its status then its group (`CLOSED#unit#statistics`, `OPEN#confidential`). */
export function listPartitionKeyOf(projection: CaseProjection): string {
  return `${STATUS_PREFIX[listPartitionOf(projection)]}#${listGroupOf(projection)}`;
}

/** The start of the keys of the partitions of one status (`OPEN#`, `CLOSED#`). */
export function listPartitionPrefix(status: ListPartition): string {
  return `${STATUS_PREFIX[status]}#`;
}

/**
 * Whether a person may see any case of a list partition: the partitions a list reads. A superset of what
 * `authorize` lets the person read (each case is still checked on its projection), as small as the access
 * rules allow:
 * - confidential cases: the complaints officer and auditors;
 * - ordinary cases: everyone reads `review` (a unit's staff see their dissatisfied cases, the complaints
 *   officer all of them); a unit's partitions (`unit#`, and `category#` of the categories routed to it) are
 *   read by the people of that unit, by administrators and auditors (metadata of every ordinary case), and by
 *   the complaints officer for the queues of confidential categories (a case of a category the policy made
 *   confidential after it was received stays in its unit's partition);
 * - `unit` (a work-list filter) keeps only that unit's partitions, `review` and `confidential`.
 * Not read: the partition of another unit holding a case assigned to the person (assigned while they were in
 * that unit); « my cases » and a search by reference still find it.
 */
export function mayListPartition(
  identity: StaffIdentity,
  policy: Pick<Policy, 'categories'>,
  key: string,
  unit?: string,
): boolean {
  const group = key.slice(key.indexOf('#') + 1);
  const has = (role: StaffIdentity['roles'][number]) => identity.roles.includes(role);
  if (group === 'confidential') return has('complaints-officer') || has('auditor');
  if (group === 'review') return true;
  const everyUnit = has('admin') || has('auditor');
  const confidentialCategories = policy.categories.filter((category) =>
    isConfidentialCase({ confidential: false, category: category.id }, policy),
  );
  if (group.startsWith('unit#')) {
    const caseUnit = group.slice('unit#'.length);
    if (unit !== undefined && caseUnit !== unit) return false;
    return (
      everyUnit ||
      identity.units.includes(caseUnit) ||
      (has('complaints-officer') &&
        confidentialCategories.some((category) => category.routing.queue === caseUnit))
    );
  }
  if (group.startsWith('category#')) {
    // A case without a unit never matches a unit filter.
    if (unit !== undefined) return false;
    const categoryId = group.slice('category#'.length);
    const queue = policy.categories.find((category) => category.id === categoryId)?.routing.queue;
    return (
      everyUnit ||
      (queue !== undefined && identity.units.includes(queue)) ||
      (has('complaints-officer') && confidentialCategories.some((category) => category.id === categoryId))
    );
  }
  return everyUnit;
}

/**
 * Where a merged list stands: the sort value of the last case shown, its partition and its id. Cases are
 * ordered by sort value, then by partition key (ties across partitions), then in the store's order within
 * their partition (ties within one: the index order DynamoDB keeps, and resumes from, for equal sort keys).
 */
export interface ListPosition {
  readonly value: string;
  readonly partition: string;
  readonly caseId: string;
}

/** Where a partition resumes after `after`, in a list read in `order` (see `ListPosition`). */
export function partitionStart(partition: string, after: ListPosition, order: SortOrder): PartitionStart {
  if (partition === after.partition) {
    return { kind: 'after-case', position: { value: after.value, caseId: after.caseId } };
  }
  // A partition before the last one in tie order already gave its cases of this value.
  return directed(order, compareText(partition, after.partition)) < 0
    ? { kind: 'after-value', value: after.value }
    : { kind: 'from-value', value: after.value };
}

/** One partition's cases in list order, page by page. */
export interface PartitionPages {
  readonly partition: string;
  readonly pages: AsyncIterable<readonly CaseProjection[]>;
}

/**
 * Merges partitions read in the same order into one list (a k-way merge by sort value, then partition key;
 * within a partition, the store's order). A partition's next page is read only when its buffered cases are
 * used up and the merge needs its next case, so a page of the list reads only about the cases it shows, plus
 * one page per partition; stopping early stops every read.
 */
export async function* mergePartitions(
  sources: readonly PartitionPages[],
  sort: CaseSort,
  order: SortOrder,
): AsyncGenerator<{ readonly projection: CaseProjection; readonly position: ListPosition }> {
  const heads = sources.map((source) => ({
    partition: source.partition,
    iterator: source.pages[Symbol.asyncIterator](),
    buffer: [] as CaseProjection[],
    done: false,
  }));
  type Head = (typeof heads)[number];
  const fill = async (head: Head) => {
    while (head.buffer.length === 0 && !head.done) {
      const next = await head.iterator.next();
      if (next.done === true) head.done = true;
      else head.buffer.push(...next.value);
    }
  };
  const headValue = (head: Head) => sortValueOf(head.buffer[0]!, sort);
  try {
    await Promise.all(heads.map(fill));
    for (;;) {
      let best: Head | undefined;
      for (const head of heads) {
        if (head.buffer.length === 0) continue;
        if (best === undefined) best = head;
        else {
          const byValue = compareText(headValue(head), headValue(best));
          const comparison = byValue !== 0 ? byValue : compareText(head.partition, best.partition);
          if (directed(order, comparison) < 0) best = head;
        }
      }
      if (best === undefined) return;
      const projection = best.buffer.shift()!;
      yield {
        projection,
        position: {
          value: sortValueOf(projection, sort),
          partition: best.partition,
          caseId: projection.caseId,
        },
      };
      await fill(best);
    }
  } finally {
    await Promise.all(heads.filter((head) => !head.done).map((head) => head.iterator.return?.()));
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function directed(order: SortOrder, comparison: number): number {
  return order === 'asc' ? comparison : -comparison;
}
