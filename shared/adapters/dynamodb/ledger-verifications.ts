import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import type { LedgerVerificationRecord, VerificationStore } from '../../domain/audit/verification-job';
import { toStoreError } from './store-errors';
import type { TableNames } from './table-definitions';

/** Item of the latest verification run (its progress, then its result), beside the report's items. */
const LATEST_KEY = '#ledger-verification-latest';
/** Item of the last run that ended. */
const FINISHED_KEY = '#ledger-verification-finished';

/**
 * The ledger verification runs in the reports table (two items, whatever the ledger's size): the latest run,
 * rewritten at each step, and the last one that ended, so that a run in progress does not hide the last result.
 */
export class DynamoDbLedgerVerifications implements VerificationStore {
  constructor(
    private readonly config: {
      readonly client: DynamoDBDocumentClient;
      readonly tables: Pick<TableNames, 'reports'>;
    },
  ) {}

  async save(record: LedgerVerificationRecord): Promise<void> {
    await this.put(LATEST_KEY, record);
    if (record.status !== 'running') await this.put(FINISHED_KEY, record);
  }

  async latest(): Promise<{
    readonly latest: LedgerVerificationRecord | null;
    readonly lastFinished: LedgerVerificationRecord | null;
  }> {
    const [latest, lastFinished] = await Promise.all([this.get(LATEST_KEY), this.get(FINISHED_KEY)]);
    return { latest: latest ?? null, lastFinished: lastFinished ?? null };
  }

  private async put(key: string, record: LedgerVerificationRecord): Promise<void> {
    try {
      await this.config.client.send(
        new PutCommand({ TableName: this.config.tables.reports, Item: { ...record, caseId: key } }),
      );
    } catch (error) {
      throw toStoreError(error, { table: 'reports', operation: 'PutItem' });
    }
  }

  private async get(key: string): Promise<LedgerVerificationRecord | undefined> {
    let item: Record<string, unknown> | undefined;
    try {
      item = (
        await this.config.client.send(
          new GetCommand({
            TableName: this.config.tables.reports,
            Key: { caseId: key },
            ConsistentRead: true,
          }),
        )
      ).Item;
    } catch (error) {
      throw toStoreError(error, { table: 'reports', operation: 'GetItem' });
    }
    if (item === undefined) return undefined;
    const record: Record<string, unknown> = { ...item };
    delete record['caseId'];
    return record as unknown as LedgerVerificationRecord;
  }
}
