import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import type { TableNames } from '../../shared/adapters/dynamodb/table-definitions';

/**
 * Every case id the ledger holds, found by scanning for first events (`seq = 1`). Restart safety reads the
 * ledger rather than the `OpenByDue` index because the ledger is the source of truth: a case whose projection
 * write failed after its first append is missing from the index, not from the ledger. A local-only scan: AWS
 * never needs it, its executions outlive any restart.
 */
export async function ledgerCaseIds(source: {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'ledger'>;
}): Promise<string[]> {
  const ids: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await source.client.send(
      new ScanCommand({
        TableName: source.tables.ledger,
        FilterExpression: '#seq = :first',
        ProjectionExpression: 'caseId',
        ExpressionAttributeNames: { '#seq': 'seq' },
        ExpressionAttributeValues: { ':first': 1 },
        ...(startKey !== undefined ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const item of page.Items ?? []) if (typeof item['caseId'] === 'string') ids.push(item['caseId']);
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return ids;
}
