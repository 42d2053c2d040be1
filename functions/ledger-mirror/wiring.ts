import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbLedgerItemReader } from '../../shared/adapters/dynamodb/ledger-item-reader';
import type { TableNames } from '../../shared/adapters/dynamodb/table-definitions';
import { S3WriteOnceStore } from '../../shared/adapters/s3';
import type { LedgerMirrorDeps } from '../../shared/domain/ledger/mirror';
import { makeHandler } from './handler';
import type { LedgerMirrorHandlerDeps } from './handler';

/** What the ledger mirror is deployed with (its Lambda's environment; the local stack's names). */
export interface LedgerMirrorConfig {
  readonly tables: Pick<TableNames, 'ledger'>;
  readonly buckets: { readonly ledgerMirror: string };
}

export interface LedgerMirrorWiringInput {
  readonly clients: { readonly dynamo: DynamoDBDocumentClient; readonly s3: S3Client };
  readonly config: LedgerMirrorConfig;
  /**
   * Read each item's event attributes alone (the local stack's inline mirror, which runs on the append's
   * heels); the stream Lambda reads whole items (`docs/write-path.md`).
   */
  readonly eventAttributesOnly?: boolean;
}

/**
 * The mirror's ports, composed in one place for the stream Lambda and the local stack's inline mirror: each
 * appended ledger item read by key, and the mirror bucket's write-once store.
 */
export function ledgerMirrorDeps(input: LedgerMirrorWiringInput): LedgerMirrorDeps {
  const { clients, config } = input;
  return {
    ledger: new DynamoDbLedgerItemReader({
      client: clients.dynamo,
      tables: { ledger: config.tables.ledger },
      ...(input.eventAttributesOnly === true ? { eventAttributesOnly: true } : {}),
    }),
    mirror: new S3WriteOnceStore({
      client: clients.s3,
      bucket: config.buckets.ledgerMirror,
      label: 'ledger-mirror',
    }),
  };
}

/** The stream Lambda's handler on the mirror's ports (`ledgerMirrorDeps`). */
export function ledgerMirrorFunction(
  input: LedgerMirrorWiringInput & Pick<LedgerMirrorHandlerDeps, 'logger' | 'metrics'>,
) {
  return makeHandler({ ...ledgerMirrorDeps(input), logger: input.logger, metrics: input.metrics });
}
