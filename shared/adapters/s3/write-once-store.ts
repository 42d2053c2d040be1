import { createHash } from 'node:crypto';

import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';

import type { WriteOnceStore } from '../../domain/ledger/mirror';
import { LEDGER_MIRROR_CONTENT_TYPE } from '../../domain/ledger/mirror-layout';
import { isNotFound, toObjectStoreError } from './s3-errors';

export interface S3WriteOnceStoreConfig {
  /** The S3 client, built by the caller (for s3rver: `forcePathStyle` and `LOCAL_S3_CHECKSUM_OPTIONS`). */
  readonly client: S3Client;
  /** Physical name of the bucket (the ledger mirror: Object Lock in compliance mode). */
  readonly bucket: string;
  /** Logical name in errors and logs, never a key. */
  readonly label: string;
}

/**
 * JSON objects written once (`WriteOnceStore`): a `PutObject` conditioned on no object existing
 * (`If-None-Match: *`), and only when S3 refuses it (412: the key holds an object; 409: a concurrent write) a
 * `GetObject` of what is there. A new key costs one request; the condition, checked by S3 during the write, is
 * what makes it write-once, also between concurrent writers (the local stack's s3rver honours it the same way,
 * `infra/local/s3-conditional-writes.ts`). Each put carries `Content-MD5`, which S3 requires of every write to
 * a bucket with a default Object Lock retention.
 */
export class S3WriteOnceStore implements WriteOnceStore {
  constructor(private readonly config: S3WriteOnceStoreConfig) {}

  async putIfAbsent(
    key: string,
    body: string,
  ): Promise<{ written: true } | { written: false; existing: string }> {
    try {
      await this.config.client.send(
        new PutObjectCommand({
          Bucket: this.config.bucket,
          Key: key,
          Body: body,
          ContentType: LEDGER_MIRROR_CONTENT_TYPE,
          ContentMD5: createHash('md5').update(body, 'utf8').digest('base64'),
          IfNoneMatch: '*',
        }),
      );
      return { written: true };
    } catch (error) {
      if (!isWriteConflict(error)) throw toObjectStoreError(error, this.context('PutObject'));
    }
    const winner = await this.get(key);
    if (winner === undefined) {
      throw toObjectStoreError(
        new Error('object absent after a refused conditional write'),
        this.context('GetObject'),
      );
    }
    return { written: false, existing: winner };
  }

  /** The object's body as text, or `undefined` when there is none. */
  async get(key: string): Promise<string | undefined> {
    try {
      const output = await this.config.client.send(
        new GetObjectCommand({ Bucket: this.config.bucket, Key: key }),
      );
      return output.Body === undefined ? '' : await output.Body.transformToString('utf-8');
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw toObjectStoreError(error, this.context('GetObject'));
    }
  }

  private context(operation: string) {
    return { operation, bucket: this.config.label };
  }
}

/** S3's answers to a conditional write that lost: the object exists (412), or a concurrent write (409). */
function isWriteConflict(error: unknown): boolean {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as {
    name?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  return (
    shape.name === 'PreconditionFailed' ||
    shape.name === 'ConditionalRequestConflict' ||
    shape.$metadata?.httpStatusCode === 412 ||
    shape.$metadata?.httpStatusCode === 409
  );
}
