import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbLedgerScanner } from '../dynamodb/ledger-scanner';
import type { TableNames } from '../dynamodb/table-definitions';

/** The whole ledger and the cases' heads, scanned (the verification, the report's ledger pass, the digest). */
export function ledgerScannerOn(input: {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'cases' | 'ledger'>;
}): DynamoDbLedgerScanner {
  return new DynamoDbLedgerScanner({
    client: input.client,
    tables: { cases: input.tables.cases, ledger: input.tables.ledger },
  });
}
