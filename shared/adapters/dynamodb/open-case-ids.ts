import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { OPEN_MARKER } from './projection-item';
import { toStoreError } from './store-errors';
import { CASE_INDEXES, type TableNames } from './table-definitions';

export interface DynamoDbOpenCaseIdsConfig {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'cases'>;
  /** Items per Query page (`Limit`); DynamoDB's 1 MB pages when absent. Small values test paging. */
  readonly pageSize?: number;
}

/**
 * The ids of the open cases, from the sparse `OpenByDue` index of the cases table (only open cases carry
 * `openMarker`; every open case has a `nextDueAt`, a real instant or `NO_DUE_SORT_KEY`): a Query on
 * `openMarker = OPEN`, every page, ids only. What the nightly re-planning reads instead of scanning the ledger.
 *
 * The index is eventually consistent and follows the projections: a case opened a moment ago, or whose
 * projection write failed after its append (repaired at its next read, which its own workflow makes), may be
 * missing from one run and is listed by the next. All ids are read before any is used, so a caller that
 * changes `nextDueAt` (the index's sort key) while working does not move items under the pages still to read.
 */
export class DynamoDbOpenCaseIds {
  constructor(private readonly config: DynamoDbOpenCaseIdsConfig) {}

  async caseIds(): Promise<string[]> {
    const ids = new Set<string>();
    let startKey: Record<string, unknown> | undefined;
    do {
      let page;
      try {
        page = await this.config.client.send(
          new QueryCommand({
            TableName: this.config.tables.cases,
            IndexName: CASE_INDEXES.openByDue,
            KeyConditionExpression: '#openMarker = :open',
            ProjectionExpression: '#caseId',
            ExpressionAttributeNames: { '#openMarker': 'openMarker', '#caseId': 'caseId' },
            ExpressionAttributeValues: { ':open': OPEN_MARKER },
            ...(this.config.pageSize !== undefined ? { Limit: this.config.pageSize } : {}),
            ...(startKey !== undefined ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
      } catch (error) {
        throw toStoreError(error, { table: 'cases', operation: 'Query' });
      }
      for (const item of page.Items ?? []) if (typeof item['caseId'] === 'string') ids.add(item['caseId']);
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return [...ids];
  }
}
