import { createHash } from 'node:crypto';

import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';

import type { AttachmentStore, AttachmentUpload } from '../../domain/intake/email/ports';
import { isNotFound, toObjectStoreError } from './s3-errors';

export interface S3AttachmentWriterConfig {
  /** The S3 client, built by the caller (for s3rver: `forcePathStyle` and `LOCAL_S3_CHECKSUM_OPTIONS`). */
  readonly client: S3Client;
  /** Physical name of the attachments bucket. */
  readonly bucket: string;
}

/** `Content-Disposition` for a download under the sender's file name (RFC 6266, UTF-8 `filename*`). */
export function contentDisposition(filename: string): string {
  const ascii = filename
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii === '' ? 'fichier' : ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Keeps accepted attachments in the attachments bucket (encrypted by the bucket's default key): `HeadObject`
 * first, so a retried event that finds the object already there with the same size leaves it alone; else one
 * `PutObject` with the media type, a download disposition and `Content-MD5`, which S3 checks (an upload
 * altered in transit is refused rather than stored). Never deletes.
 */
export class S3AttachmentWriter implements AttachmentStore {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(config: S3AttachmentWriterConfig) {
    this.client = config.client;
    this.bucket = config.bucket;
  }

  async put(upload: AttachmentUpload): Promise<{ stored: boolean }> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: upload.key }));
      if (head.ContentLength === upload.content.length) return { stored: false };
    } catch (error) {
      if (!isNotFound(error))
        throw toObjectStoreError(error, { operation: 'HeadObject', bucket: 'attachments' });
    }
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: upload.key,
          Body: upload.content,
          ContentLength: upload.content.length,
          ContentType: upload.contentType,
          ContentDisposition: contentDisposition(upload.filename),
          ContentMD5: createHash('md5').update(upload.content).digest('base64'),
        }),
      );
    } catch (error) {
      throw toObjectStoreError(error, { operation: 'PutObject', bucket: 'attachments' });
    }
    return { stored: true };
  }
}
