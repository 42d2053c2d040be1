import 'aws-sdk-client-mock-jest';

import { createHash } from 'node:crypto';

import {
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

import { S3AttachmentWriter, S3RawMailReader, contentDisposition } from '../../../shared/adapters/s3';
import { ObjectStoreError, ObjectStoreUnavailableError, RawMailNotFoundError } from '../../../shared/errors';

const s3 = mockClient(S3Client);
const client = new S3Client({
  region: 'ca-central-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});

/** The part of the SDK's streaming body the reader uses. */
const body = (text: string) => {
  const bytes = Buffer.from(text);
  return { transformToByteArray: async () => new Uint8Array(bytes), destroy: jest.fn() } as never as {
    transformToByteArray(): Promise<Uint8Array>;
    destroy: jest.Mock;
  };
};
const serviceError = (name: string, status: number) =>
  new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, requestId: 'REQ1' },
    message: `key inbound/secret-name ${name}`,
  });

beforeEach(() => s3.reset());

describe('S3RawMailReader', () => {
  it('reads the object (and the version the event names) with one GetObject, and returns its stored time', async () => {
    const lastModified = new Date('2026-03-03T14:12:05.000Z');
    s3.on(GetObjectCommand).resolves({
      Body: body('From: a@b.example\r\n\r\nx') as never,
      ContentLength: 22,
      LastModified: lastModified,
      VersionId: 'v1',
    });

    const raw = await new S3RawMailReader({ client }).read({
      bucket: 'raw',
      key: 'inbound/abc',
      versionId: 'v1',
    });

    expect(s3).toHaveReceivedCommandTimes(GetObjectCommand, 1);
    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: 'raw',
      Key: 'inbound/abc',
      VersionId: 'v1',
    });
    expect(raw).toEqual({
      bytes: Buffer.from('From: a@b.example\r\n\r\nx'),
      size: 22,
      storedAt: lastModified,
      versionId: 'v1',
    });
  });

  it('takes the stored time from the configured metadata key when there is one (the local stack), else LastModified', async () => {
    const lastModified = new Date('2026-11-26T19:36:40.000Z');
    s3.on(GetObjectCommand).resolves({
      Body: body('x') as never,
      ContentLength: 1,
      LastModified: lastModified,
      Metadata: { 'jalon-stored-at': '2026-12-18T15:00:00.000Z' },
    });
    const location = { bucket: 'raw', key: 'inbound/abc' };

    const local = await new S3RawMailReader({ client, storedAtMetadataKey: 'jalon-stored-at' }).read(
      location,
    );
    const inAws = await new S3RawMailReader({ client }).read(location);
    const unreadable = await new S3RawMailReader({ client, storedAtMetadataKey: 'other-key' }).read(location);

    expect(local.storedAt).toEqual(new Date('2026-12-18T15:00:00.000Z'));
    expect(inAws.storedAt).toEqual(lastModified);
    expect(unreadable.storedAt).toEqual(lastModified);
  });

  it('never deletes, copies or writes: GetObject is the only command', async () => {
    s3.on(GetObjectCommand).resolves({ Body: body('x') as never, ContentLength: 1 });

    await new S3RawMailReader({ client }).read({ bucket: 'raw', key: 'inbound/abc' });

    expect(s3.calls().map((call) => call.args[0].constructor.name)).toEqual(['GetObjectCommand']);
  });

  it('does not load a message larger than allowed', async () => {
    const stream = body('x'.repeat(10));
    s3.on(GetObjectCommand).resolves({ Body: stream as never, ContentLength: 100 });

    const raw = await new S3RawMailReader({ client }).read(
      { bucket: 'raw', key: 'inbound/big' },
      { maxBytes: 50 },
    );

    expect(raw).toEqual({ bytes: Buffer.alloc(0), size: 100 });
    expect(stream.destroy).toHaveBeenCalled();
  });

  it('names a missing object, and keeps S3 messages (which quote keys) out of its errors', async () => {
    s3.on(GetObjectCommand).rejects(
      new NoSuchKey({ message: 'no such key inbound/abc', $metadata: { httpStatusCode: 404 } }),
    );
    const reader = new S3RawMailReader({ client });

    await expect(reader.read({ bucket: 'raw', key: 'inbound/abc' })).rejects.toBeInstanceOf(
      RawMailNotFoundError,
    );

    s3.on(GetObjectCommand).rejects(serviceError('SlowDown', 503));
    const error = await reader.read({ bucket: 'raw', key: 'inbound/abc' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ObjectStoreUnavailableError);
    expect(error).toMatchObject({
      transient: true,
      details: {
        operation: 'GetObject',
        bucket: 'raw-mail',
        errorName: 'SlowDown',
        httpStatusCode: 503,
        requestId: 'REQ1',
      },
    });
    expect(JSON.stringify(error)).not.toContain('secret-name');

    s3.on(GetObjectCommand).rejects(serviceError('AccessDenied', 403));
    await expect(reader.read({ bucket: 'raw', key: 'inbound/abc' })).rejects.toMatchObject({
      name: 'ObjectStoreError',
      transient: false,
    });
  });
});

describe('S3AttachmentWriter', () => {
  const upload = {
    key: 'sct-0123456789abcdef/0011223344556677/01-Releve.pdf',
    filename: 'Relevé "2025".pdf',
    contentType: 'application/pdf',
    content: Buffer.from('%PDF-1.4 relevé'),
  };

  it('puts a new object with its type, a download name, its length and Content-MD5', async () => {
    s3.on(HeadObjectCommand).rejects(
      new NotFound({ message: 'not found', $metadata: { httpStatusCode: 404 } }),
    );
    s3.on(PutObjectCommand).resolves({});

    const result = await new S3AttachmentWriter({ client, bucket: 'attachments' }).put(upload);

    expect(result).toEqual({ stored: true });
    expect(s3).toHaveReceivedCommandWith(HeadObjectCommand, { Bucket: 'attachments', Key: upload.key });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'attachments',
      Key: upload.key,
      Body: upload.content,
      ContentLength: upload.content.length,
      ContentType: 'application/pdf',
      ContentDisposition: `attachment; filename="Releve _2025_.pdf"; filename*=UTF-8''Relev%C3%A9%20%222025%22.pdf`,
      ContentMD5: createHash('md5').update(upload.content).digest('base64'),
    });
  });

  it('leaves an object a retried event already stored alone', async () => {
    s3.on(HeadObjectCommand).resolves({ ContentLength: upload.content.length });

    expect(await new S3AttachmentWriter({ client, bucket: 'attachments' }).put(upload)).toEqual({
      stored: false,
    });
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });

  it('maps failures to named errors', async () => {
    s3.on(HeadObjectCommand).rejects(
      new NotFound({ message: 'not found', $metadata: { httpStatusCode: 404 } }),
    );
    s3.on(PutObjectCommand).rejects(serviceError('InternalError', 500));

    await expect(new S3AttachmentWriter({ client, bucket: 'attachments' }).put(upload)).rejects.toMatchObject(
      {
        name: 'ObjectStoreUnavailableError',
        details: { operation: 'PutObject', bucket: 'attachments' },
      },
    );

    s3.on(HeadObjectCommand).rejects(serviceError('AccessDenied', 403));
    await expect(
      new S3AttachmentWriter({ client, bucket: 'attachments' }).put(upload),
    ).rejects.toBeInstanceOf(ObjectStoreError);
  });

  it('contentDisposition escapes quotes and keeps non-ASCII names in filename*', () => {
    expect(contentDisposition('日本.pdf')).toBe(
      `attachment; filename=".pdf"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.pdf`,
    );
  });
});
