import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbLedgerCasePages } from '../../shared/adapters/dynamodb/ledger-case-pages';
import { DynamoDbLedgerVerifications } from '../../shared/adapters/dynamodb/ledger-verifications';
import type { TableNames } from '../../shared/adapters/dynamodb/table-definitions';
import { caseLedgerOn } from '../../shared/adapters/ports/case-ledger';
import { digestSignerOn } from '../../shared/adapters/ports/digest-signer';
import type { DigestKey } from '../../shared/adapters/ports/digest-signer';
import { S3LedgerDigestStore, S3LedgerMirrorReader } from '../../shared/adapters/s3';
import { makeHandler } from './handler';
import type { LedgerVerificationHandlerDeps } from './handler';

/** What the ledger verification is deployed with (its Lambda's environment; the local stack's names). */
export interface LedgerVerificationConfig {
  readonly tables: Pick<TableNames, 'cases' | 'ledger' | 'reports'>;
  /** The ledger mirror bucket (events and digests). */
  readonly buckets: { readonly ledgerMirror: string };
}

/**
 * The ledger-verification handler with every port it needs, composed in one place for the Lambda entry point
 * and the local stack: the ledger's case pages and chains, the cases' projections, the mirror bucket (events
 * and digests), the reports table's run items, and the digest key (KMS; the local stack's key file, as it
 * has no KMS).
 */
export function ledgerVerificationFunction(
  input: Pick<LedgerVerificationHandlerDeps, 'now' | 'stepBudgetMs' | 'logger'> & {
    readonly clients: { readonly dynamo: DynamoDBDocumentClient; readonly s3: S3Client };
    readonly config: LedgerVerificationConfig;
    /** The digests' key, whose public half verifies them (KMS; the local stack's key file). */
    readonly digestKey: DigestKey;
  },
): (event: unknown) => Promise<unknown> {
  const { clients, config, digestKey, ...rest } = input;
  const client = clients.dynamo;
  const { tables } = config;
  const bucket = config.buckets.ledgerMirror;
  return makeHandler({
    ...rest,
    pages: new DynamoDbLedgerCasePages({ client, tables: { ledger: tables.ledger } }),
    chains: caseLedgerOn({ client, tables }),
    mirror: new S3LedgerMirrorReader({ client: clients.s3, bucket }),
    digests: new S3LedgerDigestStore({ client: clients.s3, bucket }),
    store: new DynamoDbLedgerVerifications({ client, tables: { reports: tables.reports } }),
    signer: digestSignerOn(digestKey),
  });
}
