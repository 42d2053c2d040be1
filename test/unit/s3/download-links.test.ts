import 'aws-sdk-client-mock-jest';

import { GetObjectCommand, InvalidObjectState, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

import { S3DownloadLinks } from '../../../shared/adapters/s3';
import { CaseStateConflictError, ObjectStoreError } from '../../../shared/errors';

const s3 = mockClient(S3Client);
const client = new S3Client({
  region: 'ca-central-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
});
const REQUEST = {
  key: 'case-0001-statistics/3f9a0c2b7d1e4a56/01-Resume.pdf',
  filename: 'Résumé.pdf',
  contentType: 'application/pdf',
  expiresInSeconds: 60,
};

function links(): S3DownloadLinks {
  return new S3DownloadLinks({ client, bucket: 'jalon-attachments' });
}

function archived(): InvalidObjectState {
  return new InvalidObjectState({
    message: 'The operation is not valid for the object’s storage class',
    $metadata: { httpStatusCode: 403 },
    StorageClass: 'GLACIER',
  });
}

beforeEach(() => {
  s3.reset();
});

describe('S3DownloadLinks: a link only for an object S3 can serve now', () => {
  it('reads the first byte of the object, then signs a GET of it', async () => {
    s3.on(GetObjectCommand).resolves({});

    const { url } = await links().linkFor(REQUEST);

    expect(s3).toHaveReceivedCommandWith(GetObjectCommand, {
      Bucket: 'jalon-attachments',
      Key: REQUEST.key,
      Range: 'bytes=0-0',
    });
    expect(new URL(url).pathname).toBe(`/${REQUEST.key}`);
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('60');
  });

  it('an archived object (InvalidObjectState) is a 409 ATTACHMENT_ARCHIVED that says why in French and English', async () => {
    s3.on(GetObjectCommand).rejects(archived());

    const error = await links()
      .linkFor(REQUEST)
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(CaseStateConflictError);
    expect(error).toMatchObject({
      name: 'CaseStateConflictError',
      code: 'ATTACHMENT_ARCHIVED',
      messages: {
        fr: expect.stringContaining('archivé') as string,
        en: expect.stringContaining('archived') as string,
      },
    });
    // Nothing of the key (the sender's file name) in what the error carries.
    expect(JSON.stringify(error)).not.toContain('Resume');
  });

  it('an empty file (no first byte) still gets its link', async () => {
    s3.on(GetObjectCommand).rejects(
      Object.assign(new Error('The requested range is not satisfiable'), {
        name: 'InvalidRange',
        $metadata: { httpStatusCode: 416 },
      }),
    );

    await expect(links().linkFor(REQUEST)).resolves.toHaveProperty('url');
  });

  it('any other failure is an object-store error, without the key', async () => {
    s3.on(GetObjectCommand).rejects(
      Object.assign(new Error(`Access Denied ${REQUEST.key}`), {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      }),
    );

    const error = await links()
      .linkFor(REQUEST)
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ObjectStoreError);
    expect(JSON.stringify(error)).not.toContain('Resume');
  });
});
