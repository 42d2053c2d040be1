import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient, QueryCommandInput, QueryCommandOutput } from '@aws-sdk/lib-dynamodb';

import { byUrgency, isListed } from '../../domain/case/commands/queries';
import type { CaseQueries, OpenCaseFilter } from '../../domain/case/commands/queries';
import { isOverdue } from '../../domain/case/commands/views';
import type { CaseProjection } from '../../domain/ledger/projection';
import { OPEN_MARKER, readProjectionItem } from './projection-item';
import { toStoreError } from './store-errors';
import { CASE_INDEXES } from './table-definitions';
import type { TableNames } from './table-definitions';

/** Default bound of one listing: the most urgent open cases beyond it are not returned. */
export const DEFAULT_MAX_LISTED_CASES = 1000;

type CaseIndexName = (typeof CASE_INDEXES)[keyof typeof CASE_INDEXES];

/** An index item skipped because it is not exactly what the case ledger writes (ids only, no content). */
export interface InvalidListedItem {
  readonly indexName: CaseIndexName;
  /** Absent when the item's own `caseId` is not a string. */
  readonly caseId?: string;
}

/** A listing that matched more open cases than `maxCases`; only the most urgent `maxCases` were returned. */
export interface ListingTruncation {
  readonly indexName: CaseIndexName;
  readonly maxCases: number;
}

export interface DynamoDbCaseQueriesConfig {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'cases'>;
  /** Most cases one listing returns (default `DEFAULT_MAX_LISTED_CASES`). */
  readonly maxCases?: number;
  /** Items DynamoDB evaluates per page (`Limit`); default none, i.e. 1 MB pages. Small values test paging. */
  readonly pageSize?: number;
  /** Told of each skipped item; the ledger repairs it on the next `getCase` of that case. */
  readonly onInvalidItem?: (item: InvalidListedItem) => void;
  /** Told when a listing stopped at `maxCases`. */
  readonly onTruncated?: (truncation: ListingTruncation) => void;
}

/**
 * `CaseQueries` on the `cases` table's indexes. Both indexes are sorted by `nextDueAt`, so DynamoDB returns
 * cases most urgent first and the listing can stop early:
 * - with an `assignee`, a Query of `ByAssignee` on that assignee, keeping open items (`openMarker = OPEN`);
 * - otherwise a Query of the sparse `OpenByDue` index on `openMarker = OPEN` (closed cases are not in it,
 *   except those with a letter still to post, which only a `toMailOnly` listing returns);
 * - `overdueOnly` adds the key condition `nextDueAt < asOf` (cases without a deadline carry
 *   `NO_DUE_SORT_KEY`, after any real instant, so they never match); `unit` and `status` are filters on the
 *   stored projection.
 *
 * Reads are eventually consistent (GSIs offer nothing else): a case changed a moment ago may be listed as it
 * was, or missed once. Each item is checked with `readProjectionItem`; an item that fails is skipped and
 * reported through `onInvalidItem` rather than failing the whole listing. Every filter is checked again on the
 * parsed projection, so the list holds exactly what `InMemoryCaseQueries` would return for the same items.
 *
 * Bounded: pages are read until more than `maxCases` (default 1,000) cases matched; the listing then returns
 * the `maxCases` most urgent and reports the cut through `onTruncated`. Filters do not bound the read: the
 * indexes still evaluate (and bill) the items a filter drops, and `ByAssignee` also holds the assignee's
 * closed cases, which sort last with the undated ones.
 */
export class DynamoDbCaseQueries implements CaseQueries {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly maxCases: number;
  private readonly pageSize: number | undefined;
  private readonly onInvalidItem: (item: InvalidListedItem) => void;
  private readonly onTruncated: (truncation: ListingTruncation) => void;

  constructor(config: DynamoDbCaseQueriesConfig) {
    this.client = config.client;
    this.tableName = config.tables.cases;
    this.maxCases = positiveInteger(config.maxCases ?? DEFAULT_MAX_LISTED_CASES, 'maxCases');
    this.pageSize = config.pageSize === undefined ? undefined : positiveInteger(config.pageSize, 'pageSize');
    this.onInvalidItem = config.onInvalidItem ?? (() => undefined);
    this.onTruncated = config.onTruncated ?? (() => undefined);
  }

  async listOpenCases(filter: OpenCaseFilter): Promise<CaseProjection[]> {
    const query = openCaseQuery(this.tableName, filter);
    const indexName = query.IndexName as CaseIndexName;
    const cases: CaseProjection[] = [];
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const output = await this.query({
        ...query,
        ...(this.pageSize !== undefined ? { Limit: this.pageSize } : {}),
        ...(exclusiveStartKey !== undefined ? { ExclusiveStartKey: exclusiveStartKey } : {}),
      });
      for (const item of output.Items ?? []) {
        const stored = readProjectionItem(item);
        if (stored.state !== 'valid') {
          this.onInvalidItem({
            indexName,
            ...(typeof item.caseId === 'string' ? { caseId: item.caseId } : {}),
          });
          continue;
        }
        if (matches(stored.projection, filter)) cases.push(stored.projection);
      }
      exclusiveStartKey = output.LastEvaluatedKey;
      // One case past the bound tells a real cut from a listing of exactly `maxCases`.
    } while (exclusiveStartKey !== undefined && cases.length <= this.maxCases);
    cases.sort(byUrgency);
    if (cases.length > this.maxCases) {
      this.onTruncated({ indexName, maxCases: this.maxCases });
      return cases.slice(0, this.maxCases);
    }
    return cases;
  }

  private async query(input: QueryCommandInput): Promise<QueryCommandOutput> {
    try {
      return await this.client.send(new QueryCommand(input));
    } catch (error) {
      throw toStoreError(error, { table: 'cases', operation: 'Query' });
    }
  }
}

/** The Query of one listing, without paging parameters (see `DynamoDbCaseQueries` for the choice of index). */
export function openCaseQuery(tableName: string, filter: OpenCaseFilter): QueryCommandInput {
  const names: Record<string, string> = { '#openMarker': 'openMarker' };
  const values: Record<string, unknown> = { ':open': OPEN_MARKER };
  const keyConditions: string[] = [];
  const filters: string[] = [];
  let indexName: CaseIndexName;
  if (filter.assignee !== undefined) {
    indexName = CASE_INDEXES.byAssignee;
    names['#assignee'] = 'assignee';
    values[':assignee'] = filter.assignee;
    keyConditions.push('#assignee = :assignee');
    // Closed cases keep their assignee, so they stay in this index.
    filters.push('#openMarker = :open');
  } else {
    indexName = CASE_INDEXES.openByDue;
    keyConditions.push('#openMarker = :open');
  }
  if (filter.overdueOnly === true) {
    names['#nextDueAt'] = 'nextDueAt';
    // Same text form as the stored sort key (UTC, milliseconds), so text order is time order.
    values[':asOf'] = filter.asOf.toISOString();
    keyConditions.push('#nextDueAt < :asOf');
  }
  if (filter.unit !== undefined || filter.status !== undefined) names['#projection'] = 'projection';
  if (filter.unit !== undefined) {
    names['#unit'] = 'unit';
    values[':unit'] = filter.unit;
    filters.push('#projection.#unit = :unit');
  }
  if (filter.status !== undefined) {
    names['#status'] = 'status';
    values[':status'] = filter.status;
    filters.push('#projection.#status = :status');
  }
  return {
    TableName: tableName,
    IndexName: indexName,
    KeyConditionExpression: keyConditions.join(' AND '),
    ...(filters.length > 0 ? { FilterExpression: filters.join(' AND ') } : {}),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ScanIndexForward: true,
  };
}

function matches(projection: CaseProjection, filter: OpenCaseFilter): boolean {
  return (
    isListed(projection, filter) &&
    (filter.assignee === undefined || projection.assignee === filter.assignee) &&
    (filter.unit === undefined || projection.unit === filter.unit) &&
    (filter.status === undefined || projection.status === filter.status) &&
    (filter.overdueOnly !== true || isOverdue(projection, filter.asOf))
  );
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  return value;
}
