import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbCaseLedger } from '../dynamodb/dynamodb-case-ledger';
import type { TableNames } from '../dynamodb/table-definitions';

/** Where a port reports what it survived (structured keys only). */
export interface PortWarnings {
  warn(message: string, fields: Record<string, unknown>): void;
}

/**
 * The case ledger on the cases and ledger tables, as every function that appends builds it: a projection
 * write that fails after its events were recorded is logged, and the next read repairs it. Readers that only
 * read (the report projector, the verification) pass no logger. `sleep` is the backoff between conflicting
 * appends: the local stack passes a real-time one, as contention on dynalite is real while virtual time may
 * stand still.
 */
export function caseLedgerOn(input: {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'cases' | 'ledger'>;
  readonly logger?: PortWarnings;
  readonly sleep?: (ms: number) => Promise<void>;
}): DynamoDbCaseLedger {
  const { client, tables, logger, sleep } = input;
  return new DynamoDbCaseLedger({
    client,
    tables: { cases: tables.cases, ledger: tables.ledger },
    ...(sleep !== undefined ? { sleep } : {}),
    ...(logger !== undefined
      ? {
          onProjectionFailure: (failure) =>
            logger.warn('projection write failed; the next read repairs it', { ...failure }),
        }
      : {}),
  });
}
