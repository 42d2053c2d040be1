import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { S3Client } from '@aws-sdk/client-s3';

import { startLocalS3rver } from '../../infra/local/s3rver';
import { LOCAL_S3_CHECKSUM_OPTIONS } from '../../shared/adapters/s3/client-options';

export interface LocalS3 {
  /**
   * A client bound to this s3rver: path-style addressing, s3rver's fixed credentials, and the checksum options
   * s3rver needs (`LOCAL_S3_CHECKSUM_OPTIONS`); destroyed by `stop`.
   */
  readonly client: S3Client;
  readonly endpoint: string;
  readonly buckets: { readonly rawMail: string; readonly attachments: string; readonly ledgerMirror: string };
  stop(): Promise<void>;
}

/**
 * Starts s3rver on 127.0.0.1 (free port) over a temporary folder, with the raw-mail and attachments buckets of
 * the email stack and the ledger mirror bucket of the data stack, as the local stack runs it (`startLocalS3rver`:
 * conditional puts honoured, each put stored whole or not at all). Start one per test file and stop it in `afterAll` (the folder is
 * removed).
 */
export async function startS3rver(stage = 'test'): Promise<LocalS3> {
  const directory = mkdtempSync(path.join(os.tmpdir(), 'jalon-s3-test-'));
  const buckets = {
    rawMail: `jalon-${stage}-raw-mail`,
    attachments: `jalon-${stage}-attachments`,
    ledgerMirror: `jalon-${stage}-ledger-mirror`,
  };
  const server = await startLocalS3rver({ directory, buckets: Object.values(buckets) });
  const { port } = server;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: 'ca-central-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
    ...LOCAL_S3_CHECKSUM_OPTIONS,
  });
  return {
    client,
    endpoint,
    buckets,
    async stop() {
      client.destroy();
      server.httpServer.closeAllConnections();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
