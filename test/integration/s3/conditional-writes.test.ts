import { CopyObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';

import { startS3rver } from '../../support/s3rver';
import type { LocalS3 } from '../../support/s3rver';

/**
 * S3's conditional writes (user guide, "How to prevent object overwrites with conditional writes"): a PUT with
 * `If-None-Match: *` stores the object only when the key holds none, else 412 PreconditionFailed and the object
 * unchanged; of concurrent ones, one wins. The local s3rver must behave so, as the write-once store relies on it.
 */
describe('conditional writes on the local s3rver (honourConditionalWrites)', () => {
  let s3: LocalS3;
  let bucket: string;

  beforeAll(async () => {
    s3 = await startS3rver();
    bucket = s3.buckets.ledgerMirror;
  });

  afterAll(async () => {
    await s3.stop();
  });

  const put = (key: string, body: string, condition: { IfNoneMatch?: string; IfMatch?: string } = {}) =>
    s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...condition }));
  const read = async (key: string) =>
    (await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body?.transformToString();
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: { name?: string; $metadata?: { httpStatusCode?: number } }) => ({
        name: error.name,
        status: error.$metadata?.httpStatusCode,
      }),
    );

  it('stores a new key, then refuses a second conditional put with 412 and keeps the first body', async () => {
    const key = 'ledger/v1/case-a/0000000001.json';

    await put(key, '{"first":true}', { IfNoneMatch: '*' });
    const second = await failure(put(key, '{"second":true}', { IfNoneMatch: '*' }));

    expect(second).toEqual({ name: 'PreconditionFailed', status: 412 });
    expect(await read(key)).toBe('{"first":true}');
  });

  it('lets exactly one of concurrent conditional puts of a key write; the others get 412', async () => {
    const key = 'ledger/v1/case-b/0000000001.json';
    const bodies = Array.from({ length: 8 }, (_, i) => `{"writer":${i}}`);

    const outcomes = await Promise.all(bodies.map((body) => failure(put(key, body, { IfNoneMatch: '*' }))));

    const winners = bodies.filter((_, i) => outcomes[i] === undefined);
    expect(winners).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome !== undefined)).toEqual(
      Array.from({ length: 7 }, () => ({ name: 'PreconditionFailed', status: 412 })),
    );
    expect(await read(key)).toBe(winners[0]);
  });

  it('refuses a conditional copy onto an existing key, and writes one onto a new key', async () => {
    const source = 'ledger/v1/case-c/0000000001.json';
    await put(source, '{"source":true}');
    await put('ledger/v1/case-c/0000000002.json', '{"kept":true}');
    const copy = (key: string) =>
      s3.client.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: key,
          CopySource: `${bucket}/${source}`,
          IfNoneMatch: '*',
        }),
      );

    expect(await failure(copy('ledger/v1/case-c/0000000002.json'))).toEqual({
      name: 'PreconditionFailed',
      status: 412,
    });
    await copy('ledger/v1/case-c/0000000003.json');

    expect(await read('ledger/v1/case-c/0000000002.json')).toBe('{"kept":true}');
    expect(await read('ledger/v1/case-c/0000000003.json')).toBe('{"source":true}');
  });

  it('leaves unconditional puts as S3 does (the last one replaces the object)', async () => {
    const key = 'ledger/v1/case-d/0000000001.json';

    await put(key, '{"v":1}');
    await put(key, '{"v":2}');

    expect(await read(key)).toBe('{"v":2}');
  });

  it('refuses with 501 a condition it does not honour, rather than ignoring it', async () => {
    const key = 'ledger/v1/case-e/0000000001.json';
    await put(key, '{"v":1}');

    expect(await failure(put(key, '{"v":2}', { IfNoneMatch: '"0123456789abcdef"' }))).toEqual({
      name: 'NotImplemented',
      status: 501,
    });
    expect(await failure(put(key, '{"v":2}', { IfMatch: '"0123456789abcdef"' }))).toEqual({
      name: 'NotImplemented',
      status: 501,
    });
    expect(await read(key)).toBe('{"v":1}');
  });
});
