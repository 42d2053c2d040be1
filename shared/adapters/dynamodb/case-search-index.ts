import { BatchGetCommand, BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient, QueryCommandInput, QueryCommandOutput } from '@aws-sdk/lib-dynamodb';

import type {
  CaseSearchIndex,
  CaseSort,
  ListPartition,
  ListPartitionRequest,
  TermMatches,
} from '../../domain/case/commands/case-search';
import { listPartitionKeyOf, listPartitionPrefix } from '../../domain/case/commands/list-partitions';
import type { CaseReference } from '../../domain/case/reference';
import { searchTermsOf } from '../../domain/case/search-terms';
import type { CaseProjection } from '../../domain/ledger/projection';
import { DynamoDbCaseReferenceLookup } from './case-reference-lookup';
import { readProjectionItem } from './projection-item';
import { toStoreError } from './store-errors';
import { CASE_INDEXES } from './table-definitions';
import type { TableNames } from './table-definitions';

/** Key prefix of search-term items in the `cases` table (never a case id: `#` is not allowed in one). */
export const TERM_KEY_PREFIX = 'term#';

/** Key prefix of the items that record each list partition that ever held a case. */
export const LIST_PARTITION_KEY_PREFIX = 'partition#';

/**
 * `ByTerm` bucket of the list partition items: never a term's bucket (those are two letters), so a word
 * search never reads them, and one Query lists the partitions (a few dozen small items).
 */
export const LIST_PARTITIONS_BUCKET = 'list-partitions';

/** The index and sort-key attribute of each list order. */
const LIST_INDEXES: Readonly<Record<CaseSort, { readonly indexName: string; readonly attribute: string }>> = {
  received: { indexName: CASE_INDEXES.listByReceived, attribute: 'receivedAt' },
  deadline: { indexName: CASE_INDEXES.listByDeadline, attribute: 'listDueAt' },
  reference: { indexName: CASE_INDEXES.listByReference, attribute: 'reference' },
};

/** BatchGetItem takes 100 keys, BatchWriteItem 25 items. */
const BATCH_GET = 100;
const BATCH_WRITE = 25;
const MAX_BATCH_ATTEMPTS = 8;

/**
 * The search-term item of one term of a case (`docs/case-search.md`): under the term's first two letters,
 * sorted by the term then the receipt instant, so that a word read backwards gives the newest cases first.
 */
export function termItem(
  projection: Pick<CaseProjection, 'caseId' | 'receivedAt'>,
  term: string,
): Record<string, string> {
  return {
    caseId: `${TERM_KEY_PREFIX}${projection.caseId}#${term}`,
    searchBucket: term.slice(0, 2),
    searchTerm: `${term}#${new Date(projection.receivedAt).toISOString()}`,
    searchCaseId: projection.caseId,
  };
}

/** The item that records a list partition (`listPartitions` reads them). */
export function listPartitionItem(partition: string): Record<string, string> {
  return {
    caseId: `${LIST_PARTITION_KEY_PREFIX}${partition}`,
    searchBucket: LIST_PARTITIONS_BUCKET,
    searchTerm: partition,
  };
}

export interface DynamoDbCaseSearchIndexConfig {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'cases'>;
  /** Items per Query page of a list (`Limit`, default 100): a page of 50 rarely needs a second read. */
  readonly pageSize?: number;
  /** Told of a projection item skipped because it fails validation (ids only). */
  readonly onInvalidItem?: (caseId: string | undefined) => void;
  /** Told when a word matched more index entries than asked for (the word, never: only its length). */
  readonly onTruncated?: (wordLength: number) => void;
}

/**
 * `CaseSearchIndex` on the `cases` table:
 * - lists: a Query of `ListByReceived`, `ListByDeadline` or `ListByReference` on one `listPartition`, forward
 *   or backward, resumed with an `ExclusiveStartKey` rebuilt from the last case (its sort value and case id:
 *   the index key, the table key) or from a sort value (a key condition on the sort key); the first Query asks
 *   for `firstPageSize` items, each next one for twice as many, up to `pageSize`;
 * - list partitions: one Query of `ByTerm` on the `list-partitions` bucket;
 * - words: a Query of `ByTerm` on the word's first two letters with `begins_with(searchTerm, word)`, backwards
 *   (newest first within a term), reading only `searchCaseId`, then BatchGetItem of the projections
 *   (eventually consistent, 100 keys a call).
 * Items that fail `readProjectionItem` are skipped and reported; reading the case repairs them.
 */
export class DynamoDbCaseSearchIndex implements CaseSearchIndex {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly pageSize: number;
  private readonly references: DynamoDbCaseReferenceLookup;
  private readonly onInvalidItem: (caseId: string | undefined) => void;
  private readonly onTruncated: (wordLength: number) => void;

  constructor(config: DynamoDbCaseSearchIndexConfig) {
    this.client = config.client;
    this.table = config.tables.cases;
    this.pageSize = config.pageSize ?? 100;
    this.references = new DynamoDbCaseReferenceLookup(config);
    this.onInvalidItem = config.onInvalidItem ?? (() => undefined);
    this.onTruncated = config.onTruncated ?? (() => undefined);
  }

  async *listPartition(request: ListPartitionRequest): AsyncIterable<readonly CaseProjection[]> {
    const { indexName, attribute } = LIST_INDEXES[request.sort];
    const forward = request.order === 'asc';
    const names: Record<string, string> = { '#partition': 'listPartition' };
    const values: Record<string, unknown> = { ':partition': request.partition };
    let keyCondition = '#partition = :partition';
    let start: Record<string, unknown> | undefined;
    if (request.start?.kind === 'after-case') {
      const { value, caseId } = request.start.position;
      start = { listPartition: request.partition, [attribute]: value, caseId };
    } else if (request.start !== undefined) {
      const inclusive = request.start.kind === 'from-value';
      names['#sort'] = attribute;
      values[':value'] = request.start.value;
      keyCondition += ` AND #sort ${forward ? '>' : '<'}${inclusive ? '=' : ''} :value`;
    }
    // Small first, then larger: a partition a page needs little of costs little, one it needs much of few calls.
    let limit = Math.min(this.pageSize, Math.max(1, request.firstPageSize ?? this.pageSize));
    do {
      const output = await this.query({
        TableName: this.table,
        IndexName: indexName,
        KeyConditionExpression: keyCondition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ScanIndexForward: forward,
        Limit: limit,
        ...(start !== undefined ? { ExclusiveStartKey: start } : {}),
      });
      yield this.validProjections(output.Items ?? []);
      start = output.LastEvaluatedKey;
      limit = Math.min(this.pageSize, limit * 2);
    } while (start !== undefined);
  }

  async listPartitions(status: ListPartition): Promise<readonly string[]> {
    const keys = new Set<string>();
    let start: Record<string, unknown> | undefined;
    do {
      const output = await this.query({
        TableName: this.table,
        IndexName: CASE_INDEXES.byTerm,
        KeyConditionExpression: '#bucket = :bucket AND begins_with(#term, :prefix)',
        ProjectionExpression: '#term',
        ExpressionAttributeNames: { '#bucket': 'searchBucket', '#term': 'searchTerm' },
        ExpressionAttributeValues: {
          ':bucket': LIST_PARTITIONS_BUCKET,
          ':prefix': listPartitionPrefix(status),
        },
        ...(start !== undefined ? { ExclusiveStartKey: start } : {}),
      });
      for (const item of output.Items ?? []) {
        if (typeof item.searchTerm === 'string') keys.add(item.searchTerm);
      }
      start = output.LastEvaluatedKey;
    } while (start !== undefined);
    return [...keys].sort();
  }

  async casesWithTermPrefix(prefix: string, max: number): Promise<TermMatches> {
    const caseIds = new Set<string>();
    let start: Record<string, unknown> | undefined;
    do {
      const output = await this.query({
        TableName: this.table,
        IndexName: CASE_INDEXES.byTerm,
        KeyConditionExpression: '#bucket = :bucket AND begins_with(#term, :prefix)',
        ProjectionExpression: '#caseId',
        ExpressionAttributeNames: {
          '#bucket': 'searchBucket',
          '#term': 'searchTerm',
          '#caseId': 'searchCaseId',
        },
        ExpressionAttributeValues: { ':bucket': prefix.slice(0, 2), ':prefix': prefix },
        // Newest first within each term: past `max`, the oldest cases are the ones left out.
        ScanIndexForward: false,
        ...(start !== undefined ? { ExclusiveStartKey: start } : {}),
      });
      for (const item of output.Items ?? []) {
        if (typeof item.searchCaseId === 'string') caseIds.add(item.searchCaseId);
      }
      start = output.LastEvaluatedKey;
    } while (start !== undefined && caseIds.size <= max);
    const truncated = caseIds.size > max;
    if (truncated) this.onTruncated(prefix.length);
    return { caseIds: [...caseIds].slice(0, max), truncated };
  }

  async getCases(caseIds: readonly string[]): Promise<CaseProjection[]> {
    const found: CaseProjection[] = [];
    for (let start = 0; start < caseIds.length; start += BATCH_GET) {
      let keys: Record<string, unknown>[] = caseIds
        .slice(start, start + BATCH_GET)
        .map((caseId) => ({ caseId }));
      for (let attempt = 1; keys.length > 0; attempt += 1) {
        if (attempt > MAX_BATCH_ATTEMPTS) throw unprocessed('BatchGetItem');
        let output;
        try {
          output = await this.client.send(
            new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys } } }),
          );
        } catch (error) {
          throw toStoreError(error, { table: 'cases', operation: 'BatchGetItem' });
        }
        found.push(...this.validProjections(output?.Responses?.[this.table] ?? []));
        keys = (output?.UnprocessedKeys?.[this.table]?.Keys ?? []) as Record<string, unknown>[];
      }
    }
    return found;
  }

  caseIdOf(reference: CaseReference): Promise<string | undefined> {
    return this.references.caseIdOf(reference);
  }

  private validProjections(items: readonly Record<string, unknown>[]): CaseProjection[] {
    const projections: CaseProjection[] = [];
    for (const item of items) {
      const stored = readProjectionItem(item);
      if (stored.state === 'valid') projections.push(stored.projection);
      else this.onInvalidItem(typeof item.caseId === 'string' ? item.caseId : undefined);
    }
    return projections;
  }

  private async query(input: QueryCommandInput): Promise<QueryCommandOutput> {
    try {
      return await this.client.send(new QueryCommand(input));
    } catch (error) {
      throw toStoreError(error, { table: 'cases', operation: 'Query' });
    }
  }
}

/**
 * Writes the search-term items of a case's new projection that its previous projection did not have (terms
 * only change when the requester or the subject does, so most projection writes write none), and the item of
 * its list partition when the case enters one (`listPartitionItem`: so that `listPartitions` knows it). The ledger
 * adapter calls it in the round trip of the event's put, before it writes the projection: if it fails, the
 * projection stays behind and its repair writes every term again, so a case is never left without its terms
 * nor in a partition a list does not know. A term that no longer applies (or was written for a put that lost
 * its race) is left in place: it can only make the case a candidate that the full match on the projection
 * then drops.
 */
export async function writeSearchTerms(
  client: DynamoDBDocumentClient,
  table: string,
  next: CaseProjection,
  previous?: CaseProjection,
): Promise<void> {
  const before = new Set(previous === undefined ? [] : searchTermsOf(previous));
  const items = searchTermsOf(next)
    .filter((term) => !before.has(term))
    .map((term) => termItem(next, term));
  const partition = listPartitionKeyOf(next);
  if (previous === undefined || listPartitionKeyOf(previous) !== partition) {
    items.push(listPartitionItem(partition));
  }
  for (let start = 0; start < items.length; start += BATCH_WRITE) {
    let requests: Record<string, unknown>[] = items
      .slice(start, start + BATCH_WRITE)
      .map((item) => ({ PutRequest: { Item: item } }));
    for (let attempt = 1; requests.length > 0; attempt += 1) {
      if (attempt > MAX_BATCH_ATTEMPTS) throw unprocessed('BatchWriteItem');
      let output;
      try {
        output = await client.send(
          new BatchWriteCommand({
            RequestItems: { [table]: requests as { PutRequest: { Item: Record<string, unknown> } }[] },
          }),
        );
      } catch (error) {
        throw toStoreError(error, { table: 'cases', operation: 'BatchWriteItem' });
      }
      requests = (output?.UnprocessedItems?.[table] ?? []) as Record<string, unknown>[];
    }
  }
}

function unprocessed(operation: string) {
  return toStoreError({ name: 'ProvisionedThroughputExceededException' }, { table: 'cases', operation });
}
