import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbLedgerScanner } from '../../shared/adapters/dynamodb/ledger-scanner';
import type { TableNames } from '../../shared/adapters/dynamodb/table-definitions';

/**
 * Every case id the ledger holds, found by scanning for first events (`seq = 1`). Restart safety reads the
 * ledger rather than the `OpenByDue` index because the ledger is the source of truth: a case whose projection
 * write failed after its first append is missing from the index, not from the ledger. A local-only scan: AWS
 * never needs it, its executions outlive any restart.
 */
export async function ledgerCaseIds(source: {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'cases' | 'ledger'>;
}): Promise<string[]> {
  return new DynamoDbLedgerScanner(source).caseIds();
}
