import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from '../../zod-mini';

import {
  HoldingItemNotFoundError,
  HoldingItemResolvedError,
  StoreError,
  ValidationError,
} from '../../errors';
import { parseOrThrow } from '../../domain/case/parse';
import {
  HoldingAccessRecordSchema,
  HoldingItemSchema,
  HoldingKindSchema,
  HoldingStatusSchema,
} from '../../domain/intake/email/holding-pen';
import type {
  HoldingAccessRecord,
  HoldingItem,
  HoldingPage,
  HoldingPen,
  HoldingQuery,
  HoldingResolution,
  HoldingStatus,
} from '../../domain/intake/email/holding-pen';
import { isConditionalCheckFailed, toStoreError } from './store-errors';
import { HOLDING_INDEXES } from './table-definitions';
import type { TableNames } from './table-definitions';

export interface DynamoDbHoldingPenConfig {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'holding'>;
}

/**
 * The `status` of access-journal records in the `holding` table: not a triage status, so no listing of items
 * ever returns them, and `ByStatus` keeps them in time order (`receivedAt` holds the record's instant).
 */
export const ACCESS_RECORD_STATUS = 'access-record';

const DEFAULT_PAGE = 50;
const MAX_PAGE = 100;

function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key === undefined ? undefined : Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof key === 'object' && key !== null && !Array.isArray(key)) return key as Record<string, unknown>;
  } catch {
    // Reported below as an invalid cursor.
  }
  throw new ValidationError('Invalid cursor.', [
    { path: 'cursor', code: 'invalid_cursor', message: 'not a cursor of this listing' },
  ]);
}

/**
 * The holding pen on the `holding` table (`HOLDING_TABLE`): one item per raw message, keyed by `itemId`
 * (the SHA-256 of the raw key), listed by status through the `ByStatus` index (`status`, then `receivedAt`,
 * oldest first). Items carry the sender's domain only; nothing in them or in the index names a person.
 *
 * - `hold` is a conditional put (`attribute_not_exists(itemId)`): a redelivered event finds the first item and
 *   gets it back unchanged, so a message is never recorded twice nor overwritten.
 * - `list` queries `ByStatus` in either order; a kind is a filter on that query (a short page then still has
 *   a cursor when more may follow).
 * - `resolve` is a conditional update (`status <> resolved`), so two clerks cannot triage one item twice;
 *   legal hold is never cleared and nothing is ever deleted (the adapter has no delete).
 * - the access journal (`recordAccess`) is one item per record, keyed `access-<recordId>`, under the status
 *   `ACCESS_RECORD_STATUS`, written with a conditional put and never updated or deleted.
 * Stored items are checked against `HoldingItemSchema` when read back.
 */
export class DynamoDbHoldingPen implements HoldingPen {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(config: DynamoDbHoldingPenConfig) {
    this.client = config.client;
    this.table = config.tables.holding;
  }

  async hold(item: HoldingItem): Promise<{ item: HoldingItem; created: boolean }> {
    const valid = parseOrThrow(HoldingItemSchema, item, 'holding-pen item');
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: valid,
          ConditionExpression: 'attribute_not_exists(itemId)',
        }),
      );
      return { item: valid, created: true };
    } catch (error) {
      if (!isConditionalCheckFailed(error))
        throw toStoreError(error, { operation: 'PutItem', table: 'holding' });
    }
    const existing = await this.get(valid.itemId);
    if (existing === undefined) {
      throw new StoreError('The holding-pen item exists but could not be read back.', {
        transient: true,
        details: { operation: 'GetItem', table: 'holding' },
      });
    }
    return { item: existing, created: false };
  }

  async get(itemId: string): Promise<HoldingItem | undefined> {
    let item: Record<string, unknown> | undefined;
    try {
      ({ Item: item } = await this.client.send(
        new GetCommand({ TableName: this.table, Key: { itemId }, ConsistentRead: true }),
      ));
    } catch (error) {
      throw toStoreError(error, { operation: 'GetItem', table: 'holding' });
    }
    return item === undefined ? undefined : parseStored(item);
  }

  async listByStatus(
    status: HoldingStatus,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<HoldingPage> {
    return this.list({ status, ...options });
  }

  async list(query: HoldingQuery): Promise<HoldingPage> {
    const wanted = parseOrThrow(HoldingStatusSchema, query.status, 'holding status');
    const kind =
      query.kind === undefined ? undefined : parseOrThrow(HoldingKindSchema, query.kind, 'holding kind');
    const limit = Math.min(Math.max(1, Math.trunc(query.limit ?? DEFAULT_PAGE)), MAX_PAGE);
    const start = decodeCursor(query.cursor);
    let output;
    try {
      output = await this.client.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: HOLDING_INDEXES.byStatus,
          KeyConditionExpression: '#status = :status',
          ...(kind !== undefined ? { FilterExpression: '#kind = :kind' } : {}),
          ExpressionAttributeNames: {
            '#status': 'status',
            ...(kind !== undefined ? { '#kind': 'kind' } : {}),
          },
          ExpressionAttributeValues: { ':status': wanted, ...(kind !== undefined ? { ':kind': kind } : {}) },
          ScanIndexForward: query.order !== 'newest',
          Limit: limit,
          ...(start !== undefined ? { ExclusiveStartKey: start } : {}),
        }),
      );
    } catch (error) {
      throw toStoreError(error, { operation: 'Query', table: 'holding' });
    }
    const cursor = encodeCursor(output.LastEvaluatedKey);
    return {
      items: (output.Items ?? []).map(parseStored),
      ...(cursor !== undefined ? { cursor } : {}),
    };
  }

  async resolve(itemId: string, resolution: HoldingResolution): Promise<HoldingItem> {
    const checked = parseOrThrow(
      z.required(
        z.pick(HoldingItemSchema, {
          resolvedAt: true,
          resolvedBy: true,
          resolvedRole: true,
          resolution: true,
          resolvedCaseId: true,
          dismissReason: true,
          dismissNote: true,
        }),
        { resolvedAt: true, resolvedBy: true, resolution: true },
      ),
      {
        resolvedAt: resolution.at,
        resolvedBy: resolution.by,
        resolution: resolution.resolution,
        ...(resolution.role !== undefined ? { resolvedRole: resolution.role } : {}),
        ...(resolution.caseId !== undefined ? { resolvedCaseId: resolution.caseId } : {}),
        ...(resolution.dismissReason !== undefined ? { dismissReason: resolution.dismissReason } : {}),
        ...(resolution.dismissNote !== undefined ? { dismissNote: resolution.dismissNote } : {}),
      },
      'holding-pen resolution',
    );
    const { resolvedAt, resolvedBy, resolution: what, ...optional } = checked;
    const names = Object.keys(optional) as (keyof typeof optional)[];
    const values: Record<string, unknown> = {
      ':resolved': 'resolved',
      ':at': resolvedAt,
      ':by': resolvedBy,
      ':resolution': what,
    };
    for (const name of names) values[`:${name}`] = optional[name];
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { itemId },
          UpdateExpression:
            'SET #status = :resolved, resolvedAt = :at, resolvedBy = :by, resolution = :resolution' +
            names.map((name) => `, ${name} = :${name}`).join(''),
          ConditionExpression: 'attribute_exists(itemId) AND #status <> :resolved',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return parseStored(Attributes ?? {});
    } catch (error) {
      if (!isConditionalCheckFailed(error))
        throw toStoreError(error, { operation: 'UpdateItem', table: 'holding' });
    }
    const existing = await this.get(itemId);
    if (existing === undefined) throw new HoldingItemNotFoundError(itemId);
    throw new HoldingItemResolvedError(itemId);
  }

  async recordAccess(record: HoldingAccessRecord): Promise<void> {
    const valid = parseOrThrow(HoldingAccessRecordSchema, record, 'holding-pen access record');
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            itemId: `access-${valid.recordId}`,
            status: ACCESS_RECORD_STATUS,
            receivedAt: valid.at,
            record: valid,
          },
          ConditionExpression: 'attribute_not_exists(itemId)',
        }),
      );
    } catch (error) {
      throw toStoreError(error, { operation: 'PutItem', table: 'holding' });
    }
  }

  async accessRecords(itemId: string): Promise<HoldingAccessRecord[]> {
    const records: HoldingAccessRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      let output;
      try {
        output = await this.client.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: HOLDING_INDEXES.byStatus,
            KeyConditionExpression: '#status = :status',
            FilterExpression: 'contains(#record.#itemIds, :itemId)',
            ExpressionAttributeNames: { '#status': 'status', '#record': 'record', '#itemIds': 'itemIds' },
            ExpressionAttributeValues: { ':status': ACCESS_RECORD_STATUS, ':itemId': itemId },
            ...(start !== undefined ? { ExclusiveStartKey: start } : {}),
          }),
        );
      } catch (error) {
        throw toStoreError(error, { operation: 'Query', table: 'holding' });
      }
      records.push(...(output.Items ?? []).map(parseStoredRecord));
      start = output.LastEvaluatedKey;
    } while (start !== undefined);
    return records;
  }
}

function parseStoredRecord(item: Record<string, unknown>): HoldingAccessRecord {
  const parsed = HoldingAccessRecordSchema.safeParse(item.record);
  if (parsed.success) return parsed.data;
  throw new StoreError('A stored holding-pen access record does not match its schema.', {
    transient: false,
    details: { operation: 'read', table: 'holding' },
  });
}

function parseStored(item: Record<string, unknown>): HoldingItem {
  const parsed = HoldingItemSchema.safeParse(item);
  if (parsed.success) return parsed.data;
  throw new StoreError('A stored holding-pen item does not match its schema.', {
    transient: false,
    details: {
      operation: 'read',
      table: 'holding',
      paths: parsed.error.issues.map((issue) => issue.path.join('.')),
    },
  });
}
