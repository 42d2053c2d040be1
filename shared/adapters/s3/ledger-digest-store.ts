import { createHash } from 'node:crypto';

import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';

import { digestKeys, parseDigestLine } from '../../domain/audit/ledger-digest';
import type { DigestHead, DigestSignatureRecord, LedgerDigestStore } from '../../domain/audit/ledger-digest';
import { toObjectStoreError } from './s3-errors';

const SIGNATURE_SUFFIX = '.sig.json';

/**
 * The signed daily digests under `digests/` of the ledger mirror bucket, whose Object Lock (compliance mode)
 * makes them WORM: the digest (`digests/<day>.jsonl`) and then its signature record (`digests/<day>.sig.json`),
 * each put once with its `Content-MD5` (which Object Lock requires). The latest is the last signature record in
 * key order (keys are UTC days).
 */
export class S3LedgerDigestStore implements LedgerDigestStore {
  constructor(private readonly config: { readonly client: S3Client; readonly bucket: string }) {}

  async save(body: Buffer, record: DigestSignatureRecord): Promise<void> {
    const keys = digestKeys(record.statement.day);
    await this.put(keys.digest, body, 'application/x-ndjson');
    await this.put(keys.signature, Buffer.from(JSON.stringify(record), 'utf8'), 'application/json');
  }

  async latest(): Promise<DigestSignatureRecord | undefined> {
    let last: string | undefined;
    let token: string | undefined;
    do {
      let page;
      try {
        page = await this.config.client.send(
          new ListObjectsV2Command({
            Bucket: this.config.bucket,
            Prefix: 'digests/',
            ...(token !== undefined ? { ContinuationToken: token } : {}),
          }),
        );
      } catch (error) {
        throw toObjectStoreError(error, { operation: 'ListObjectsV2', bucket: 'ledger-mirror' });
      }
      for (const object of page.Contents ?? []) {
        if (object.Key?.endsWith(SIGNATURE_SUFFIX) === true && (last === undefined || object.Key > last))
          last = object.Key;
      }
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    if (last === undefined) return undefined;
    const text = Buffer.concat(await this.chunks(last)).toString('utf8');
    return JSON.parse(text) as DigestSignatureRecord;
  }

  async *bytes(digestKey: string): AsyncIterable<Uint8Array> {
    let output;
    try {
      output = await this.config.client.send(
        new GetObjectCommand({ Bucket: this.config.bucket, Key: digestKey }),
      );
    } catch (error) {
      throw toObjectStoreError(error, { operation: 'GetObject', bucket: 'ledger-mirror' });
    }
    const body = output.Body as AsyncIterable<Uint8Array> | undefined;
    if (body !== undefined) yield* body;
  }

  async headsFrom(
    digestKey: string,
    offset: number,
    maxBytes: number,
  ): Promise<{ readonly heads: readonly DigestHead[]; readonly next?: number }> {
    const buffer = Buffer.concat(await this.chunks(digestKey, `bytes=${offset}-${offset + maxBytes - 1}`));
    const end = buffer.lastIndexOf(0x0a);
    // Fewer bytes than asked: the object's end (a last line without newline is read whole).
    const atEnd = buffer.length < maxBytes;
    const used = atEnd ? buffer.length : end + 1;
    if (!atEnd && end < 0) throw new Error(`digest line longer than ${maxBytes} bytes at ${offset}`);
    const heads = buffer
      .subarray(0, used)
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => parseDigestLine(line) ?? { caseId: '', seq: 0, hash: '' });
    return atEnd ? { heads } : { heads, next: offset + used };
  }

  private async chunks(key: string, range?: string): Promise<Buffer[]> {
    const chunks: Buffer[] = [];
    try {
      const output = await this.config.client.send(
        new GetObjectCommand({
          Bucket: this.config.bucket,
          Key: key,
          ...(range !== undefined ? { Range: range } : {}),
        }),
      );
      for await (const chunk of (output.Body ?? []) as AsyncIterable<Uint8Array>)
        chunks.push(Buffer.from(chunk));
    } catch (error) {
      if ((error as { name?: unknown }).name === 'InvalidRange') return [];
      throw toObjectStoreError(error, { operation: 'GetObject', bucket: 'ledger-mirror' });
    }
    return chunks;
  }

  private async put(key: string, body: Buffer, contentType: string): Promise<void> {
    try {
      await this.config.client.send(
        new PutObjectCommand({
          Bucket: this.config.bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          ContentMD5: createHash('md5').update(body).digest('base64'),
        }),
      );
    } catch (error) {
      throw toObjectStoreError(error, { operation: 'PutObject', bucket: 'ledger-mirror' });
    }
  }
}
