import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

import type { DownloadLinks, DownloadRequest } from '../../domain/attachments/download';
import { contentDisposition } from './attachment-writer';

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
 * media type the domain chose, whatever was stored with the object; nothing is fetched or read here (signing
 * is local: no call to S3).
 */
export class S3DownloadLinks implements DownloadLinks {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(config: S3DownloadLinksConfig) {
    this.client = config.client;
    this.bucket = config.bucket;
  }

  async linkFor(request: DownloadRequest): Promise<{ url: string }> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: request.key,
      ResponseContentDisposition: contentDisposition(request.filename),
      ResponseContentType: request.contentType,
      ResponseCacheControl: 'no-store',
    });
    return { url: await getSignedUrl(this.client, command, { expiresIn: request.expiresInSeconds }) };
  }
}
