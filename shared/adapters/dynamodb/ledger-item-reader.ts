import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import type { LedgerEvent } from '../../domain/ledger/events';
import type { LedgerItemSource } from '../../domain/ledger/mirror';
import { eventsOfItem } from './ledger-head';
import { toStoreError } from './store-errors';
import type { TableNames } from './table-definitions';

export interface DynamoDbLedgerItemReaderConfig {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'ledger'>;
}

/**
 * One ledger item's events by key (consistent `GetItem`: one event, or a case's opening events), unparsed and
 * without its snapshot: the mirror copies what is stored, a tampered field included. Needs `dynamodb:GetItem`
 * on the ledger table alone.
 */
export class DynamoDbLedgerItemReader implements LedgerItemSource {
  constructor(private readonly config: DynamoDbLedgerItemReaderConfig) {}

  async events(caseId: string, seq: number): Promise<readonly LedgerEvent[] | undefined> {
    try {
      const output = await this.config.client.send(
        new GetCommand({ TableName: this.config.tables.ledger, Key: { caseId, seq }, ConsistentRead: true }),
      );
      return output.Item === undefined ? undefined : eventsOfItem(output.Item);
    } catch (error) {
      throw toStoreError(error, { operation: 'GetItem', table: 'ledger' });
    }
  }
}
