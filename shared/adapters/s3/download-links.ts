import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

import { attachmentArchivedError } from '../../domain/attachments/download';
import type { DownloadLinks, DownloadRequest } from '../../domain/attachments/download';
import { contentDisposition } from './attachment-writer';
import { toObjectStoreError } from './s3-errors';

/**
 * What S3 answers a read of an object it cannot serve without a restore (S3 Glacier Flexible Retrieval, Deep
 * Archive, the archive tiers of Intelligent-Tiering, not yet restored).
 */
const ARCHIVED_ERRORS = new Set(['InvalidObjectState']);

export interface S3DownloadLinksConfig {
  /**
   * The S3 client whose credentials sign the links (the function's role in AWS: the link grants what the
   * role may read, for its lifetime). On the local stack, the client bound to s3rver: its endpoint is the
   * host and port the browser follows.
   */
  readonly client: S3Client;
  /** Physical name of the attachments bucket. */
  readonly bucket: string;
}

/**
 * Presigned `GetObject` links to the attachments bucket. The signature covers the response overrides, so the
 * browser gets `Content-Disposition: attachment` with the sender's file name (RFC 6266 / RFC 5987) and the
 * media type the domain chose, whatever was stored with the object.
 *
 * Before signing, one ranged `GetObject` of the object's first byte checks that S3 can serve it now: an
 * archived object answers `InvalidObjectState`, and the person is told so (`attachmentArchivedError`, 409)
 * instead of following a link that fails. Attachments are archived to Glacier Instant Retrieval, which serves
 * reads at once (`docs/attachment-archiving.md`); the check covers objects archived otherwise (by an older
 * lifecycle rule or by hand).
 */
export class S3DownloadLinks implements DownloadLinks {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(config: S3DownloadLinksConfig) {
    this.client = config.client;
    this.bucket = config.bucket;
  }

  async linkFor(request: DownloadRequest): Promise<{ url: string }> {
    await this.checkReadable(request.key);
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: request.key,
      ResponseContentDisposition: contentDisposition(request.filename),
      ResponseContentType: request.contentType,
      ResponseCacheControl: 'no-store',
    });
    return { url: await getSignedUrl(this.client, command, { expiresIn: request.expiresInSeconds }) };
  }

  private async checkReadable(key: string): Promise<void> {
    try {
      const probe = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: 'bytes=0-0' }),
      );
      (probe.Body as { destroy?: () => void } | undefined)?.destroy?.();
    } catch (error) {
      const name = (error as { name?: unknown } | null)?.name;
      if (typeof name === 'string' && ARCHIVED_ERRORS.has(name)) throw attachmentArchivedError();
      // An empty file has no first byte: it is readable all the same.
      if (name === 'InvalidRange') return;
      throw toObjectStoreError(error, { operation: 'GetObject', bucket: 'attachments' });
    }
  }
}
