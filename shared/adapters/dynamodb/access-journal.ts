import { BatchGetCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { BatchGetCommandOutput, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { StoreError } from '../../errors';
import { ListViewRecordSchema } from '../../domain/access/access-journal';
import type { AccessJournal, ListViewRecord } from '../../domain/access/access-journal';
import { parseOrThrow } from '../../domain/case/parse';
import { LocalDateSchema } from '../../domain/time/types';
import { localDateOf } from '../../domain/time/local-date-of';
import { incrementCounter } from './counter-item';
import { toStoreError } from './store-errors';
import type { TableNames } from './table-definitions';

export interface DynamoDbAccessJournalConfig {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'control'>;
}

/** Key of a day's counter of list views in the `control` table, e.g. `access-list#2026-03-04`. */
export function listViewCounterKey(day: string): string {
  return `access-list#${day}`;
}

/** Key of one list view of a day, numbered from 1, e.g. `access-list#2026-03-04#000001`. */
export function listViewKey(day: string, sequence: number): string {
  return `access-list#${day}#${String(sequence).padStart(6, '0')}`;
}

const BATCH_SIZE = 100;

/**
 * `AccessJournal` on the `control` table (no new table, no index): per Québec-local day, a counter item
 * (`access-list#<day>`, incremented atomically) numbers the records, and each record is one item
 * (`access-list#<day>#<n>`) written once, with `attribute_not_exists(pk)`. A day is read back by number, in
 * batches, without a scan. A number taken by a writer that then failed stays a gap: the list it belonged to
 * was not shown.
 */
export class DynamoDbAccessJournal implements AccessJournal {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(config: DynamoDbAccessJournalConfig) {
    this.client = config.client;
    this.table = config.tables.control;
  }

  async recordListView(record: ListViewRecord): Promise<void> {
    const parsed = parseOrThrow(ListViewRecordSchema, record, 'list view record');
    const day = localDateOf(parsed.at);
    const sequence = await incrementCounter(this.client, this.table, {
      key: listViewCounterKey(day),
      attribute: 'value',
      what: 'list-view counter',
    });
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: listViewKey(day, sequence), record: parsed },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      throw toStoreError(error, { operation: 'PutItem', table: 'control' });
    }
  }

  async listViewsOn(day: string): Promise<ListViewRecord[]> {
    const date = parseOrThrow(LocalDateSchema, day, 'day');
    let count: unknown;
    try {
      const output = await this.client.send(
        new GetCommand({
          TableName: this.table,
          Key: { pk: listViewCounterKey(date) },
          ConsistentRead: true,
        }),
      );
      count = output.Item?.['value'] ?? 0;
    } catch (error) {
      throw toStoreError(error, { operation: 'GetItem', table: 'control' });
    }
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
      throw new StoreError('The list-view counter holds no usable value.', {
        transient: false,
        details: { operation: 'GetItem', table: 'control' },
      });
    }
    const found = new Map<string, ListViewRecord>();
    for (let first = 1; first <= count; first += BATCH_SIZE) {
      const keys = Array.from({ length: Math.min(BATCH_SIZE, count - first + 1) }, (_, index) => ({
        pk: listViewKey(date, first + index),
      }));
      let pending: Record<string, unknown>[] | undefined = keys;
      while (pending !== undefined && pending.length > 0) {
        try {
          const output: BatchGetCommandOutput = await this.client.send(
            new BatchGetCommand({ RequestItems: { [this.table]: { Keys: pending, ConsistentRead: true } } }),
          );
          for (const item of output.Responses?.[this.table] ?? []) {
            found.set(
              String(item['pk']),
              parseOrThrow(ListViewRecordSchema, item['record'], 'list view record'),
            );
          }
          pending = output.UnprocessedKeys?.[this.table]?.Keys;
        } catch (error) {
          throw toStoreError(error, { operation: 'BatchGetItem', table: 'control' });
        }
      }
    }
    return [...found.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, record]) => record);
  }
}
