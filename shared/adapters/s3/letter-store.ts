import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';

import type { LetterStore } from '../../domain/letters/ports';
import { isNotFound, toObjectStoreError } from './s3-errors';

export interface S3LetterStoreConfig {
  /** The S3 client, built by the caller (for s3rver: `forcePathStyle` and `LOCAL_S3_CHECKSUM_OPTIONS`). */
  readonly client: S3Client;
  /** Physical name of the letters bucket (encrypted, private, versioned, no deletes). */
  readonly bucket: string;
}

/** Key prefix of the letters in the bucket: `letters/<caseId>/<letterId>.pdf`. */
export const LETTERS_PREFIX = 'letters/';

/**
 * Keeps the PDF of each letter in the letters bucket under `letters/`. A letter's id is derived from its
 * message, so a retried preparation writes the same bytes under the same key.
 */
export class S3LetterStore implements LetterStore {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(config: S3LetterStoreConfig) {
    this.client = config.client;
    this.bucket = config.bucket;
  }

  async put(caseId: string, letterId: string, document: Uint8Array): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: keyOf(caseId, letterId),
          Body: document,
          ContentLength: document.length,
          ContentType: 'application/pdf',
        }),
      );
    } catch (error) {
      throw toObjectStoreError(error, { operation: 'PutObject', bucket: 'letters' });
    }
  }

  async get(caseId: string, letterId: string): Promise<Uint8Array | undefined> {
    try {
      const output = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: keyOf(caseId, letterId) }),
      );
      return output.Body === undefined ? new Uint8Array() : await output.Body.transformToByteArray();
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw toObjectStoreError(error, { operation: 'GetObject', bucket: 'letters' });
    }
  }
}

function keyOf(caseId: string, letterId: string): string {
  return `${LETTERS_PREFIX}${encodeURIComponent(caseId)}/${letterId}.pdf`;
}
