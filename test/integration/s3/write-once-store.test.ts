import { GetObjectCommand } from '@aws-sdk/client-s3';

import { S3WriteOnceStore } from '../../../shared/adapters/s3';
import { startS3rver } from '../../support/s3rver';
import type { LocalS3 } from '../../support/s3rver';

const KEY = 'ledger/v1/case-0001-abcdefgh/0000000001.json';

describe('S3WriteOnceStore against s3rver', () => {
  let s3: LocalS3;
  let store: S3WriteOnceStore;

  beforeAll(async () => {
    s3 = await startS3rver();
    store = new S3WriteOnceStore({
      client: s3.client,
      bucket: s3.buckets.ledgerMirror,
      label: 'ledger-mirror',
    });
  });

  afterAll(async () => {
    await s3.stop();
  });

  it('writes a new key as JSON, then never overwrites it and returns what is there', async () => {
    const first = await store.putIfAbsent(KEY, '{"seq":1}');
    const second = await store.putIfAbsent(KEY, '{"seq":1,"edited":true}');

    expect(first).toEqual({ written: true });
    expect(second).toEqual({ written: false, existing: '{"seq":1}' });
    const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.buckets.ledgerMirror, Key: KEY }));
    expect(object.ContentType).toBe('application/json');
    expect(await object.Body?.transformToString()).toBe('{"seq":1}');
  });

  it('reads an absent key as undefined', async () => {
    await expect(store.get('ledger/v1/none/0000000001.json')).resolves.toBeUndefined();
  });
});
