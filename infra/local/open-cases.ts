import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import type { TableNames } from '../../shared/adapters/dynamodb/table-definitions';
import { ledgerScannerOn } from '../../shared/adapters/ports/ledger-scanner';

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
  return ledgerScannerOn(source).caseIds();
}
