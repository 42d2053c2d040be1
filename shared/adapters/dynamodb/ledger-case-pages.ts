import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import type { LedgerCasePages, LedgerCursor } from '../../domain/ledger/case-pages';
import { toStoreError } from './store-errors';
import type { TableNames } from './table-definitions';

export interface DynamoDbLedgerCasePagesConfig {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'ledger'>;
  /** Ledger items read per page (Scan `Limit`, before the filter): 1,000 by default. */
  readonly pageSize?: number;
}

/**
 * The ledger's cases a page at a time: a Scan of the ledger table, resumable at the last key read, returning
 * only the case ids of the first events (`seq = 1`, keys only). Each case is then read whole by its caller.
 */
export class DynamoDbLedgerCasePages implements LedgerCasePages {
  constructor(private readonly config: DynamoDbLedgerCasePagesConfig) {}

  async casePage(
    cursor: LedgerCursor | undefined,
  ): Promise<{ readonly caseIds: readonly string[]; readonly next?: LedgerCursor }> {
    let page;
    try {
      page = await this.config.client.send(
        new ScanCommand({
          TableName: this.config.tables.ledger,
          Limit: this.config.pageSize ?? 1000,
          FilterExpression: '#seq = :first',
          ProjectionExpression: '#caseId',
          ExpressionAttributeNames: { '#seq': 'seq', '#caseId': 'caseId' },
          ExpressionAttributeValues: { ':first': 1 },
          ...(cursor !== undefined ? { ExclusiveStartKey: { caseId: cursor.caseId, seq: cursor.seq } } : {}),
        }),
      );
    } catch (error) {
      throw toStoreError(error, { table: 'ledger', operation: 'Scan' });
    }
    const caseIds = (page.Items ?? []).flatMap((item) =>
      typeof item['caseId'] === 'string' ? [item['caseId']] : [],
    );
    const last = page.LastEvaluatedKey;
    const next =
      last !== undefined && typeof last['caseId'] === 'string' && typeof last['seq'] === 'number'
        ? { caseId: last['caseId'], seq: last['seq'] }
        : undefined;
    return { caseIds, ...(next === undefined ? {} : { next }) };
  }
}
