import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import type { TableNames } from '../../shared/adapters/dynamodb/table-definitions';
import { digestSignerOn } from '../../shared/adapters/ports/digest-signer';
import type { DigestKey } from '../../shared/adapters/ports/digest-signer';
import { ledgerScannerOn } from '../../shared/adapters/ports/ledger-scanner';
import { S3LedgerDigestStore } from '../../shared/adapters/s3';
import { makeHandler } from './handler';
import type { LedgerDigestHandlerDeps } from './handler';

/** What the daily digest is deployed with (its Lambda's environment; the local stack's names). */
export interface LedgerDigestConfig {
  readonly tables: Pick<TableNames, 'cases' | 'ledger'>;
  /** The ledger mirror bucket: digests go under `digests/`. */
  readonly buckets: { readonly ledgerMirror: string };
}

export interface LedgerDigestWiringInput extends Pick<LedgerDigestHandlerDeps, 'now' | 'logger'> {
  readonly clients: { readonly dynamo: DynamoDBDocumentClient; readonly s3: S3Client };
  readonly config: LedgerDigestConfig;
  /** The digests' signing key (KMS; the local stack's key file). */
  readonly digestKey: DigestKey;
}

/**
 * The daily digest's ports, composed in one place for the Lambda entry point and the local stack: the cases
 * table's heads (scanned), the signer, and the digest store of the mirror bucket (the local stack, which has
 * no scheduler, reads its latest digest to write the day's only when missing).
 */
export function ledgerDigestDeps(input: LedgerDigestWiringInput): LedgerDigestHandlerDeps & {
  readonly store: S3LedgerDigestStore;
} {
  const { clients, config } = input;
  const scanner = ledgerScannerOn({ client: clients.dynamo, tables: config.tables });
  return {
    heads: () => scanner.projectionHeadPages(),
    signer: digestSignerOn(input.digestKey),
    store: new S3LedgerDigestStore({ client: clients.s3, bucket: config.buckets.ledgerMirror }),
    now: input.now,
    logger: input.logger,
  };
}

/** The daily digest's handler on its ports (`ledgerDigestDeps`). */
export function ledgerDigestFunction(input: LedgerDigestWiringInput) {
  return makeHandler(ledgerDigestDeps(input));
}
