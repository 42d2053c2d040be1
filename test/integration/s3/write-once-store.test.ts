import { subscribe, unsubscribe } from 'node:diagnostics_channel';

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

  it('writes a new key in one request, and reads only when the put is refused', async () => {
    const key = 'ledger/v1/case-0002-abcdefgh/0000000001.json';

    const first = await requestsTo(s3.endpoint, () => store.putIfAbsent(key, '{"seq":1}'));
    const again = await requestsTo(s3.endpoint, () => store.putIfAbsent(key, '{"seq":1}'));

    expect(first).toEqual({ result: { written: true }, methods: ['PUT'] });
    expect(again).toEqual({ result: { written: false, existing: '{"seq":1}' }, methods: ['PUT', 'GET'] });
  });

  it('of concurrent puts of one key with different bodies, writes one and gives every other the winner', async () => {
    const key = 'ledger/v1/case-0003-abcdefgh/0000000001.json';
    const bodies = Array.from({ length: 10 }, (_, i) => `{"seq":1,"writer":${i}}`);

    const results = await Promise.all(bodies.map((body) => store.putIfAbsent(key, body)));

    const winners = bodies.filter((_, i) => results[i]!.written);
    expect(winners).toHaveLength(1);
    expect(results.filter((result) => !result.written)).toEqual(
      Array.from({ length: 9 }, () => ({ written: false, existing: winners[0] })),
    );
    await expect(store.get(key)).resolves.toBe(winners[0]);
  });

  it('reads an absent key as undefined', async () => {
    await expect(store.get('ledger/v1/none/0000000001.json')).resolves.toBeUndefined();
  });
});

/** The result of `act`, and the methods of the HTTP requests s3rver (at `endpoint`) received meanwhile. */
async function requestsTo<T>(
  endpoint: string,
  act: () => Promise<T>,
): Promise<{ result: T; methods: string[] }> {
  const port = Number(new URL(endpoint).port);
  const methods: string[] = [];
  const listener = (message: unknown) => {
    const { server, request } = message as {
      server: { address(): { port: number } | null };
      request: { method?: string };
    };
    if (server.address()?.port === port) methods.push(request.method ?? '');
  };
  subscribe('http.server.request.start', listener);
  try {
    return { result: await act(), methods };
  } finally {
    unsubscribe('http.server.request.start', listener);
  }
}
