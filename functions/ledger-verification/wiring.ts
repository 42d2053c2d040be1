import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbCaseLedger } from '../../shared/adapters/dynamodb/dynamodb-case-ledger';
import { DynamoDbLedgerCasePages } from '../../shared/adapters/dynamodb/ledger-case-pages';
import { DynamoDbLedgerVerifications } from '../../shared/adapters/dynamodb/ledger-verifications';
import { S3LedgerDigestStore, S3LedgerMirrorReader } from '../../shared/adapters/s3';
import type { DigestSigner } from '../../shared/domain/audit/ledger-digest';
import { makeHandler } from './handler';
import type { LedgerVerificationHandlerDeps } from './handler';

/**
 * The ledger-verification handler on its adapters, composed once for the Lambda entry point and the local
 * stack: the ledger's case pages and chains, the cases' projections, the mirror bucket (events and digests),
 * the reports table's run items; the signer (KMS in AWS, the local key) comes from the caller.
 */
export function ledgerVerificationFunction(
  input: Pick<LedgerVerificationHandlerDeps, 'now' | 'stepBudgetMs' | 'logger'> & {
    readonly client: DynamoDBDocumentClient;
    readonly tables: { readonly cases: string; readonly ledger: string; readonly reports: string };
    readonly s3: S3Client;
    readonly bucket: string;
    readonly signer: Pick<DigestSigner, 'publicKey'>;
  },
): (event: unknown) => Promise<unknown> {
  const { client, tables, s3, bucket, ...rest } = input;
  return makeHandler({
    ...rest,
    pages: new DynamoDbLedgerCasePages({ client, tables: { ledger: tables.ledger } }),
    chains: new DynamoDbCaseLedger({ client, tables: { cases: tables.cases, ledger: tables.ledger } }),
    mirror: new S3LedgerMirrorReader({ client: s3, bucket }),
    digests: new S3LedgerDigestStore({ client: s3, bucket }),
    store: new DynamoDbLedgerVerifications({ client, tables: { reports: tables.reports } }),
  });
}
