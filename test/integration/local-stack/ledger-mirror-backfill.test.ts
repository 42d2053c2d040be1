import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';

import { startLedgerBackfill } from '../../../cli/commands/ledger-backfill';
import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import { realSleep } from '../../../infra/local/real-timers';
import { LOCAL_S3_CHECKSUM_OPTIONS } from '../../../shared/adapters/s3';
import { executionArchiveKey } from '../../../shared/domain/audit/execution-archive';
import { ledgerMirrorKey } from '../../../shared/domain/ledger/mirror-layout';
import { client } from './support';

/**
 * The mirror back-fill on the whole local stack: a case whose mirror objects and execution archive are gone
 * (as for events and executions from before the mirror was deployed; s3rver allows the deletes the WORM bucket
 * refuses) is reported `mirror-missing` by the verification job, then back-filled by the same state machine
 * as in AWS, started as the operator command does, after which the verification holds. A mirror object that
 * holds another event is recorded as tampered and left as it is.
 */
jest.setTimeout(180_000);

const START = '2026-03-02T15:00:00.000Z';
let stack: LocalStack;
let api: ReturnType<typeof client>;
let s3: S3Client;
let sfn: SFNClient;
let auditor: string;
let clerk: string;

beforeAll(async () => {
  stack = await startLocalStack({ memory: true, virtualClock: START, port: 0, smtpPort: 0, quiet: true });
  api = client(stack.urls.web);
  s3 = new S3Client({
    endpoint: stack.urls.s3,
    region: 'ca-central-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
    ...LOCAL_S3_CHECKSUM_OPTIONS,
  });
  sfn = new SFNClient({
    endpoint: stack.urls.sfn,
    region: 'ca-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  clerk = await api.login('agent');
  auditor = await api.login('auditor');
}, 120_000);

afterAll(async () => {
  s3?.destroy();
  sfn?.destroy();
  await stack?.stop();
});

async function mirrorKeysOf(caseId: string): Promise<string[]> {
  const listed = await s3.send(
    new ListObjectsV2Command({ Bucket: stack.buckets.ledgerMirror, Prefix: `ledger/v1/${caseId}/` }),
  );
  return (listed.Contents ?? []).map((object) => object.Key!).sort();
}

async function bodyOf(key: string): Promise<string | undefined> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: stack.buckets.ledgerMirror, Key: key }));
    return await object.Body!.transformToString('utf-8');
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

async function verify(): Promise<Record<string, unknown>> {
  const auth = { authorization: `Bearer ${auditor}` };
  const started = await api.request('POST', '/api/audit/ledger/verifications', undefined, auth);
  expect(started.status).toBe(202);
  const runId = started.json['runId'];
  await api.clock({ advance: 'PT0S' });
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const latest = (await api.request('GET', '/api/audit/ledger/verifications/latest', undefined, auth)).json[
      'latest'
    ] as Record<string, unknown> | null;
    if (latest !== null && latest['runId'] === runId && latest['status'] !== 'running') return latest;
    await realSleep(100);
  }
  throw new Error(`the verification ${String(runId)} did not end`);
}

function backfill() {
  return startLedgerBackfill({
    client: sfn,
    stateMachineArn: stack.ledgerMirrorBackfillArn,
    wait: true,
    pollMs: 100,
    sleep: realSleep,
  });
}

describe('ledger mirror back-fill on the local stack', () => {
  it('mirrors the events and archives the executions the mirror lacks, after which the verification holds', async () => {
    const { caseId } = await api.registerLetter(clerk, 'backfill-letter-1', '2026-03-02T14:00:00.000Z');
    await api.clock({ advance: 'PT0S' });
    const executionArn = `${stack.stateMachineArn.replace(':stateMachine:', ':execution:')}:${caseId}`;
    await stack.sfn.stopExecution({ executionArn });
    await stack.sfn.whenClosed(executionArn);
    const mirrored = await mirrorKeysOf(caseId);
    const bodies = await Promise.all(mirrored.map(bodyOf));
    expect(mirrored.length).toBeGreaterThan(1);
    expect(await bodyOf(executionArchiveKey(caseId))).toBeDefined();
    for (const key of [...mirrored, executionArchiveKey(caseId)])
      await s3.send(new DeleteObjectCommand({ Bucket: stack.buckets.ledgerMirror, Key: key }));
    // Past the verification's grace for events not mirrored yet.
    await api.clock({ advance: 'PT1H' });
    const before = await verify();
    expect(before).toMatchObject({ ok: false, badCaseCount: 1 });
    expect(before['badCases']).toEqual([{ caseId, seq: 1, problem: 'mirror-missing' }]);

    const run = await backfill();

    expect(run.status).toBe('SUCCEEDED');
    expect(run.result).toMatchObject({ cases: 1, tamperedCount: 0, archived: 1, alreadyArchived: 0 });
    expect(run.result?.['mirrored']).toBeGreaterThan(0);
    expect(await mirrorKeysOf(caseId)).toEqual(mirrored);
    expect(await Promise.all(mirrored.map(bodyOf))).toEqual(bodies);
    expect(JSON.parse((await bodyOf(executionArchiveKey(caseId)))!)).toMatchObject({
      summary: { name: caseId, status: 'ABORTED' },
    });
    expect(await verify()).toMatchObject({ ok: true, badCaseCount: 0 });
    const again = await backfill();
    expect(again.result).toMatchObject({ mirrored: 0, tamperedCount: 0, archived: 0, alreadyArchived: 1 });
    expect(again.result?.['alreadyMirrored']).toBe(again.result?.['items']);
  });

  it('records a mirror object that holds another event as tampered, and leaves it as it is', async () => {
    const { caseId } = await api.registerLetter(clerk, 'backfill-letter-2', '2026-03-02T14:30:00.000Z');
    await api.clock({ advance: 'PT0S' });
    const key = ledgerMirrorKey(caseId, 1);
    const original = JSON.parse((await bodyOf(key))!) as Record<string, unknown>;
    // Another event under its key: another instant, hence another hash.
    const forged = JSON.stringify({ ...original, at: '2026-03-01T00:00:00.000Z', hash: 'f'.repeat(64) });
    await s3.send(new PutObjectCommand({ Bucket: stack.buckets.ledgerMirror, Key: key, Body: forged }));

    const run = await backfill();

    expect(run.status).toBe('SUCCEEDED');
    expect(run.result).toMatchObject({ tamperedCount: 1, mirrored: 0 });
    expect(await bodyOf(key)).toBe(forged);
    const conflicts = await s3.send(
      new ListObjectsV2Command({
        Bucket: stack.buckets.ledgerMirror,
        Prefix: `ledger-conflicts/v1/${caseId}/0000000001/`,
      }),
    );
    expect(conflicts.Contents).toHaveLength(1);
    const record = JSON.parse((await bodyOf(conflicts.Contents![0]!.Key!))!) as Record<string, unknown>;
    expect(record).toMatchObject({
      caseId,
      seq: 1,
      reason: 'content-differs',
      itemEvent: { at: original['at'] },
    });
    expect((await verify())['badCases']).toEqual([{ caseId, seq: 1, problem: 'mirror-mismatch' }]);
  });
});
