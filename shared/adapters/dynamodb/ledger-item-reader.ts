import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import type { LedgerItemKeys } from '../../domain/audit/mirror-backfill';
import type { LedgerEvent } from '../../domain/ledger/events';
import type { LedgerItemSource } from '../../domain/ledger/mirror';
import { eventsOfItem, withEventAttributesOnly } from './ledger-head';
import { toStoreError } from './store-errors';
import type { TableNames } from './table-definitions';

export interface DynamoDbLedgerItemReaderConfig {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'ledger'>;
  /**
   * Reads only the event attributes of an item (`withEventAttributesOnly`), not its snapshot: an attribute
   * added to the item is then not copied, and the verification, which reads whole items, finds the item
   * differing from its mirror. The local stack's inline mirror does; the stream Lambda and the back-fill read
   * whole items (`docs/write-path.md`, "Reading events without snapshots").
   */
  readonly eventAttributesOnly?: boolean;
}

/**
 * One ledger item's events by key (consistent `GetItem`: one event, or a case's opening events), unparsed and
 * without its snapshot: the mirror copies what is stored, a tampered field of the event included; and a case's item keys
 * (keys-only `Query`, for the back-fill). Needs `dynamodb:GetItem` and `dynamodb:Query` on the ledger table
 * alone.
 */
export class DynamoDbLedgerItemReader implements LedgerItemSource, LedgerItemKeys {
  constructor(private readonly config: DynamoDbLedgerItemReaderConfig) {}

  async events(caseId: string, seq: number): Promise<readonly LedgerEvent[] | undefined> {
    const input = { TableName: this.config.tables.ledger, Key: { caseId, seq }, ConsistentRead: true };
    try {
      const output = await this.config.client.send(
        new GetCommand(this.config.eventAttributesOnly === true ? withEventAttributesOnly(input) : input),
      );
      return output.Item === undefined ? undefined : eventsOfItem(output.Item);
    } catch (error) {
      throw toStoreError(error, { operation: 'GetItem', table: 'ledger' });
    }
  }

  async itemSeqs(caseId: string): Promise<readonly number[]> {
    const seqs: number[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      let output;
      try {
        output = await this.config.client.send(
          new QueryCommand({
            TableName: this.config.tables.ledger,
            KeyConditionExpression: '#caseId = :caseId',
            ProjectionExpression: '#seq',
            ExpressionAttributeNames: { '#caseId': 'caseId', '#seq': 'seq' },
            ExpressionAttributeValues: { ':caseId': caseId },
            ConsistentRead: true,
            ...(start !== undefined ? { ExclusiveStartKey: start } : {}),
          }),
        );
      } catch (error) {
        throw toStoreError(error, { operation: 'Query', table: 'ledger' });
      }
      for (const item of output.Items ?? []) if (typeof item['seq'] === 'number') seqs.push(item['seq']);
      start = output.LastEvaluatedKey;
    } while (start !== undefined);
    return seqs;
  }
}
