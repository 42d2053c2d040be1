import type { S3Client } from '@aws-sdk/client-s3';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbLedgerCasePages } from '../../shared/adapters/dynamodb/ledger-case-pages';
import { DynamoDbLedgerItemReader } from '../../shared/adapters/dynamodb/ledger-item-reader';
import { DynamoDbLedgerMirrorBackfills } from '../../shared/adapters/dynamodb/ledger-verifications';
import { S3WriteOnceStore } from '../../shared/adapters/s3';
import { SfnClosedExecutionPages } from '../../shared/adapters/sfn/closed-executions';
import { SfnExecutionHistory } from '../../shared/adapters/sfn/execution-history';
import { makeHandler } from './handler';
import type { LedgerMirrorBackfillHandlerDeps } from './handler';

/** What the mirror back-fill is deployed with (its Lambda's environment; the local stack's names). */
export interface LedgerMirrorBackfillConfig {
  readonly tables: { readonly ledger: string; readonly reports: string };
  readonly buckets: { readonly ledgerMirror: string };
  /** The case-lifecycle state machine, whose closed executions are archived. */
  readonly stateMachineArn: string;
}

/**
 * The mirror back-fill handler on its adapters, composed once for the Lambda entry point and the local stack:
 * the ledger's case pages and items (read only), the mirror bucket through the stream consumer's write-once
 * store, the case-lifecycle's executions, the reports table's run items.
 */
export function ledgerMirrorBackfillFunction(
  input: Pick<LedgerMirrorBackfillHandlerDeps, 'now' | 'stepBudgetMs' | 'logger'> & {
    readonly clients: {
      readonly dynamo: DynamoDBDocumentClient;
      readonly s3: S3Client;
      readonly sfn: SFNClient;
    };
    readonly config: LedgerMirrorBackfillConfig;
  },
): (event: unknown) => Promise<unknown> {
  const { clients, config, ...rest } = input;
  const client = clients.dynamo;
  const { tables, stateMachineArn } = config;
  const items = new DynamoDbLedgerItemReader({ client, tables: { ledger: tables.ledger } });
  const store = new S3WriteOnceStore({
    client: clients.s3,
    bucket: config.buckets.ledgerMirror,
    label: 'ledger-mirror',
  });
  return makeHandler({
    ...rest,
    pages: new DynamoDbLedgerCasePages({ client, tables: { ledger: tables.ledger } }),
    items,
    mirror: { ledger: items, mirror: store },
    closedExecutions: new SfnClosedExecutionPages({ client: clients.sfn, stateMachineArn }),
    executions: new SfnExecutionHistory({ client: clients.sfn, stateMachineArn }),
    archive: store,
    store: new DynamoDbLedgerMirrorBackfills({ client, tables: { reports: tables.reports } }),
  });
}
