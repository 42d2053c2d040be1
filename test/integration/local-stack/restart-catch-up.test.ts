import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { DeleteObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import { realSleep } from '../../../infra/local/real-timers';
import { LOCAL_S3_CHECKSUM_OPTIONS } from '../../../shared/adapters/s3';
import { ledgerMirrorKey } from '../../../shared/domain/ledger/mirror-layout';
import { client, deliveriesBySent, keptDeliveries } from './support';

/**
 * What a `kill -9` leaves undone is done at the next start: mirror copies still queued when the process died
 * (`MirroringCaseLedger` copies after the append) are simulated by deleting the last mirror objects of a case
 * on a stopped stack's data folder (s3rver allows it); the next start back-fills that case, and only it, and
 * the verification job then finds the mirror complete.
 */
jest.setTimeout(180_000);

let dataDir: string;
let stack: LocalStack | undefined;
const infos: string[] = [];
const mailInfos: string[] = [];

function start(virtualClock: string | true, options: { dropMailEvents?: boolean } = {}): Promise<LocalStack> {
  return startLocalStack({
    dataDir,
    virtualClock,
    port: 0,
    smtpPort: 0,
    ...options,
    stderr: (text) => {
      if (text.startsWith('[info]') && text.includes('ledger mirror caught up')) infos.push(text);
      if (text.startsWith('[info]') && text.includes('mail reports caught up')) mailInfos.push(text);
    },
    stdout: () => undefined,
  });
}

function s3Of(running: LocalStack): S3Client {
  return new S3Client({
    endpoint: running.urls.s3,
    region: 'ca-central-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
    ...LOCAL_S3_CHECKSUM_OPTIONS,
  });
}

async function mirrorKeysOf(s3: S3Client, bucket: string, caseId: string): Promise<string[]> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `ledger/v1/${caseId}/` }));
  return (listed.Contents ?? []).map((object) => object.Key!).sort();
}

beforeEach(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'jalon-catch-up-'));
  infos.length = 0;
  mailInfos.length = 0;
});

afterEach(async () => {
  await stack?.stop();
  stack = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

describe('restart after copies were lost', () => {
  it('mirrors at start the events of the cases whose mirror lags, and only those', async () => {
    stack = await start('2026-03-02T15:00:00Z');
    let api = client(stack.urls.web);
    const clerk = await api.login('agent');
    const lagging = await api.registerLetter(clerk, 'catch-up-1', '2026-03-02T14:00:00Z');
    const whole = await api.registerLetter(clerk, 'catch-up-2', '2026-03-02T14:10:00Z');
    await api.clock({ advance: 'PT0S' });
    let s3 = s3Of(stack);
    const bucket = stack.buckets.ledgerMirror;
    const events = await stack.ledger.read(lagging.caseId);
    const keys = events.map((event) => ledgerMirrorKey(lagging.caseId, event.seq));
    expect(await mirrorKeysOf(s3, bucket, lagging.caseId)).toEqual(keys);
    // The last two copies never made it (the process died with them queued).
    for (const key of keys.slice(-2)) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    s3.destroy();
    await stack.stop();

    stack = await start(true);
    api = client(stack.urls.web);
    s3 = s3Of(stack);
    await api.clock({ advance: 'PT0S' });

    expect(infos).toHaveLength(2);
    expect(infos[1]).toMatch(/lagging=1\b/);
    expect(infos[1]).toMatch(/mirrored=2\b/);
    expect(await mirrorKeysOf(s3, stack.buckets.ledgerMirror, lagging.caseId)).toEqual(
      (await stack.ledger.read(lagging.caseId)).map((event) => ledgerMirrorKey(lagging.caseId, event.seq)),
    );
    expect((await mirrorKeysOf(s3, stack.buckets.ledgerMirror, whole.caseId)).length).toBeGreaterThan(1);
    // Past the verification's grace for events not mirrored yet: the job finds every event mirrored.
    await api.clock({ advance: 'PT1H' });
    const auth = { authorization: `Bearer ${await api.login('auditor')}` };
    const started = await api.request('POST', '/api/audit/ledger/verifications', undefined, auth);
    expect(started.status).toBe(202);
    await api.clock({ advance: 'PT0S' });
    let latest: Record<string, unknown> | null = null;
    for (let attempt = 0; attempt < 200 && latest?.['status'] !== 'succeeded'; attempt += 1) {
      latest = (await api.request('GET', '/api/audit/ledger/verifications/latest', undefined, auth)).json[
        'latest'
      ] as Record<string, unknown> | null;
      if (latest?.['status'] === 'failed') break;
      await realSleep(100);
    }
    expect(latest).toMatchObject({ ok: true, badCaseCount: 0 });
    s3.destroy();
  });

  it('records at start, once, the delivery reports that were on their way', async () => {
    stack = await start('2026-03-02T15:00:00Z', { dropMailEvents: true });
    let api = client(stack.urls.web);
    const { caseId } = await api.registerLetter(
      await api.login('agent'),
      'catch-up-mail',
      '2026-03-02T14:00:00Z',
    );
    await api.clock({ advance: 'PT0S' });
    const outbox = await api.outbox();
    const lost = deliveriesBySent(await stack.ledger.read(caseId));
    await stack.stop();

    stack = await start(true);
    api = client(stack.urls.web);
    await api.clock({ advance: 'PT0S' });
    const recovered = deliveriesBySent(await stack.ledger.read(caseId));
    await stack.stop();
    stack = await start(true);
    api = client(stack.urls.web);
    await api.clock({ advance: 'PT0S' });
    const again = deliveriesBySent(await stack.ledger.read(caseId));

    // The receipt to the requester and the notice to the unit went out; their SES events were lost.
    expect(Object.keys(lost)).toHaveLength(2);
    expect(Object.values(lost)).toEqual([[], []]);
    // The receipt's delivery recorded once at the next start (the unit's notice's is not kept), nothing sent
    // again, and nothing more at the start after it.
    expect(Object.keys(recovered).sort()).toEqual(Object.keys(lost).sort());
    expect(
      Object.keys(recovered)
        .map((key) => key.split(' ')[0])
        .sort(),
    ).toEqual(['requester', 'staff']);
    expect(Object.values(recovered)).toEqual(keptDeliveries(recovered));
    expect(await api.outbox()).toHaveLength(outbox.length);
    expect(mailInfos[1]).toMatch(/replayed=1\b/);
    expect(mailInfos[2]).toMatch(/replayed=0\b/);
    expect(again).toEqual(recovered);
  });
});
