import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';

import { RawMailNotFoundError } from '../../errors';
import type { RawMail, RawMailLocation, RawMailReader } from '../../domain/intake/email/ports';
import { isNotFound, toObjectStoreError } from './s3-errors';

export interface S3RawMailReaderConfig {
  /**
   * The S3 client, built by the caller. Against s3rver (local stack, tests) it must be created with
   * `forcePathStyle: true` and `LOCAL_S3_CHECKSUM_OPTIONS` (see `client-options.ts`).
   */
  readonly client: S3Client;
}

/** Streams that can be destroyed without reading them (the SDK's Node body). */
interface Destroyable {
  destroy?: () => void;
}

/**
 * Reads received messages from the raw-mail bucket with one `GetObject` (the version named by the event when
 * given). Read-only: it has no way to delete, overwrite or tag the evidence. A message larger than `maxBytes`
 * is not loaded (its body stream is closed unread).
 */
export class S3RawMailReader implements RawMailReader {
  private readonly client: S3Client;

  constructor(config: S3RawMailReaderConfig) {
    this.client = config.client;
  }

  async read(location: RawMailLocation, options: { maxBytes?: number } = {}): Promise<RawMail> {
    const context = { operation: 'GetObject', bucket: 'raw-mail' } as const;
    try {
      const output = await this.client.send(
        new GetObjectCommand({
          Bucket: location.bucket,
          Key: location.key,
          ...(location.versionId !== undefined ? { VersionId: location.versionId } : {}),
        }),
      );
      const common = {
        ...(output.LastModified !== undefined ? { storedAt: output.LastModified } : {}),
        ...(output.VersionId !== undefined ? { versionId: output.VersionId } : {}),
      };
      const declared = output.ContentLength;
      if (options.maxBytes !== undefined && declared !== undefined && declared > options.maxBytes) {
        (output.Body as Destroyable | undefined)?.destroy?.();
        return { bytes: Buffer.alloc(0), size: declared, ...common };
      }
      const bytes =
        output.Body === undefined ? Buffer.alloc(0) : Buffer.from(await output.Body.transformToByteArray());
      return { bytes, size: bytes.length, ...common };
    } catch (error) {
      if (isNotFound(error)) throw new RawMailNotFoundError({ bucket: location.bucket, key: location.key });
      throw toObjectStoreError(error, context);
    }
  }
}
