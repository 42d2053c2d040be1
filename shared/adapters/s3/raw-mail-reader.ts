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
  /**
   * A user-metadata key whose ISO-8601 value is the time the object was stored, read instead of
   * `LastModified`. Only the local stack sets it: s3rver dates objects by the file system's clock, which the
   * virtual clock does not move, so its SMTP intake records the (virtual) instant it stored the message. In
   * AWS it is absent and `LastModified` is the object time.
   */
  readonly storedAtMetadataKey?: string;
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
  private readonly storedAtMetadataKey: string | undefined;

  constructor(config: S3RawMailReaderConfig) {
    this.client = config.client;
    this.storedAtMetadataKey = config.storedAtMetadataKey;
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
      const storedAt = this.storedAtOf(output.Metadata) ?? output.LastModified;
      const common = {
        ...(storedAt !== undefined ? { storedAt } : {}),
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

  private storedAtOf(metadata: Record<string, string> | undefined): Date | undefined {
    if (this.storedAtMetadataKey === undefined) return undefined;
    const value = metadata?.[this.storedAtMetadataKey];
    const time = value === undefined ? Number.NaN : Date.parse(value);
    return Number.isNaN(time) ? undefined : new Date(time);
  }
}
