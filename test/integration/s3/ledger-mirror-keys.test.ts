import { PutObjectCommand } from '@aws-sdk/client-s3';

import { S3LedgerMirrorReader } from '../../../shared/adapters/s3/ledger-mirror-reader';
import { ledgerMirrorKey } from '../../../shared/domain/ledger/mirror-layout';
import { startS3rver } from '../../support/s3rver';
import type { LocalS3 } from '../../support/s3rver';

/**
 * The mirror's keys by case, listed past one page on s3rver (more than 1,000 keys), as the local stack lists
 * them at start: the seqs of each case, other prefixes left out.
 */
jest.setTimeout(120_000);

let s3: LocalS3;

beforeAll(async () => {
  s3 = await startS3rver();
});

afterAll(async () => {
  await s3?.stop();
});

it('lists every mirrored seq by case across pages', async () => {
  const put = (key: string) =>
    s3.client.send(new PutObjectCommand({ Bucket: s3.buckets.ledgerMirror, Key: key, Body: '{}' }));
  const keys = [
    ...Array.from({ length: 1_005 }, (_, i) => ledgerMirrorKey('case-a', i + 1)),
    ledgerMirrorKey('case-b', 1),
    ledgerMirrorKey('case-b', 3),
    'ledger-conflicts/v1/case-b/0000000002/x.json',
  ];
  for (let i = 0; i < keys.length; i += 25) await Promise.all(keys.slice(i, i + 25).map(put));

  const seqs = await new S3LedgerMirrorReader({
    client: s3.client,
    bucket: s3.buckets.ledgerMirror,
  }).mirroredSeqs();

  expect([...seqs.keys()].sort()).toEqual(['case-a', 'case-b']);
  expect(seqs.get('case-a')?.size).toBe(1_005);
  expect(seqs.get('case-a')?.has(1_005)).toBe(true);
  expect([...(seqs.get('case-b') ?? [])].sort()).toEqual([1, 3]);
});
