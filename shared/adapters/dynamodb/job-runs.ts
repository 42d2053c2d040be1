import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { toStoreError } from './store-errors';
import type { TableNames } from './table-definitions';

/**
 * The runs of an asynchronous job (the ledger verification, the mirror back-fill) in the reports table, two
 * items whatever the ledger's size: the latest run, rewritten at each step, and the last one that ended, so
 * that a run in progress does not hide the last result. The items' keys start with `#<job>-`, which the job's
 * role is limited to.
 */
export class DynamoDbJobRuns<R extends { readonly status: string }> {
  constructor(
    private readonly config: {
      readonly client: DynamoDBDocumentClient;
      readonly tables: Pick<TableNames, 'reports'>;
      /** The job's name in its items' keys: `#<job>-latest`, `#<job>-finished`. */
      readonly job: string;
    },
  ) {}

  async save(record: R): Promise<void> {
    await this.put(`#${this.config.job}-latest`, record);
    if (record.status !== 'running') await this.put(`#${this.config.job}-finished`, record);
  }

  async latest(): Promise<{ readonly latest: R | null; readonly lastFinished: R | null }> {
    const [latest, lastFinished] = await Promise.all([
      this.get(`#${this.config.job}-latest`),
      this.get(`#${this.config.job}-finished`),
    ]);
    return { latest: latest ?? null, lastFinished: lastFinished ?? null };
  }

  private async put(key: string, record: R): Promise<void> {
    try {
      await this.config.client.send(
        new PutCommand({ TableName: this.config.tables.reports, Item: { ...record, caseId: key } }),
      );
    } catch (error) {
      throw toStoreError(error, { table: 'reports', operation: 'PutItem' });
    }
  }

  private async get(key: string): Promise<R | undefined> {
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
    return record as unknown as R;
  }
}
