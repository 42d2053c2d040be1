import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

import { localLedgerMirrorDeps } from '../../../infra/local/ledger-mirror';
import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import { realSleep } from '../../../infra/local/real-timers';
import { DynamoDbCaseLedger } from '../../../shared/adapters/dynamodb/dynamodb-case-ledger';
import { eventsOfItem } from '../../../shared/adapters/dynamodb/ledger-head';
import { LOCAL_S3_CHECKSUM_OPTIONS } from '../../../shared/adapters/s3';
import { hashEvent } from '../../../shared/domain/ledger/chain';
import type { LedgerEvent } from '../../../shared/domain/ledger/events';
import { mirrorLedgerEvent } from '../../../shared/domain/ledger/mirror';
import { ledgerMirrorBody, ledgerMirrorKey } from '../../../shared/domain/ledger/mirror-layout';
import { ledgerItemsOf } from '../../support/dynalite';
import { client } from './support';

/**
 * The ledger verification job on the whole local stack: the audit API starts the same state machine on the
 * local engine, whose steps read dynalite and the s3rver mirror bucket (filled here in the mirror's layout,
 * the writer being the stream consumer's) and check the digest the stack signed at start.
 */
jest.setTimeout(120_000);

const START = '2026-03-02T15:00:00.000Z';
let stack: LocalStack;
let api: ReturnType<typeof client>;
let dynamo: DynamoDBDocumentClient;
let s3: S3Client;
let auditor: string;
let caseId: string;

beforeAll(async () => {
  stack = await startLocalStack({ memory: true, virtualClock: START, port: 0, smtpPort: 0, quiet: true });
  api = client(stack.urls.web);
  dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.urls.dynamodb,
      region: 'ca-central-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  s3 = new S3Client({
    endpoint: stack.urls.s3,
    region: 'ca-central-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
    ...LOCAL_S3_CHECKSUM_OPTIONS,
  });
  const clerk = await api.login('agent');
  auditor = await api.login('auditor');
  caseId = (await api.registerLetter(clerk, 'letter-1', '2026-03-02T14:00:00.000Z')).caseId;
  // The stack mirrors each append into s3rver (as the stream's Lambda does in AWS); idle once it has.
  await api.clock({ advance: 'PT0S' });
}, 120_000);

afterAll(async () => {
  dynamo?.destroy();
  s3?.destroy();
  await stack?.stop();
});

async function verify(): Promise<Record<string, unknown>> {
  const auth = { authorization: `Bearer ${auditor}` };
  const started = await api.request('POST', '/api/audit/ledger/verifications', undefined, auth);
  expect(started.status).toBe(202);
  const runId = started.json['runId'];
  // The run's steps are work of the stack: once it is idle the run has ended.
  await api.clock({ advance: 'PT0S' });
  let latest: Record<string, unknown> | null = null;
  for (let attempt = 0; attempt < 200; attempt += 1) {
    latest = (await api.request('GET', '/api/audit/ledger/verifications/latest', undefined, auth)).json[
      'latest'
    ] as Record<string, unknown> | null;
    if (latest !== null && latest['runId'] === runId && latest['status'] !== 'running') return latest;
    await realSleep(100);
  }
  throw new Error(`the verification of ${String(runId)} did not end: ${JSON.stringify(latest)}`);
}

describe('ledger verification job on the local stack', () => {
  it('runs through the audit API and finds the ledger, its mirror and the start-up digest intact', async () => {
    const items = await ledgerItemsOf(dynamo, stack.tables.ledger, caseId);
    // A new case's opening events share its first item.
    const events = items.flatMap(eventsOfItem).length;

    const result = await verify();

    expect(result).toMatchObject({
      status: 'succeeded',
      ok: true,
      cases: 1,
      events,
      mirrorObjects: events,
      badCaseCount: 0,
      digest: { status: 'valid', day: '2026-03-02' },
    });
  });

  it('finds intact a case whose later item holds several events, and mirrors each of them', async () => {
    const at = '2026-03-02T16:00:00.000Z';
    const done = (stepId: string) => ({
      draft: { type: 'step.done' as const, at, actor: { kind: 'system' as const }, data: { stepId } },
      idempotencyKey: `test:${stepId}`,
    });
    const appended = await stack.ledger.appendAll(caseId, [done('a'), done('b'), done('c')]);
    const first = appended.results[0]!.event.seq;
    expect(first).toBeGreaterThan(1);
    await api.clock({ advance: 'PT0S' });
    const items = await ledgerItemsOf(dynamo, stack.tables.ledger, caseId);
    const item = items.find((held) => held['seq'] === first)!;
    expect(eventsOfItem(item).map((event) => event.seq)).toEqual([first, first + 1, first + 2]);
    const events = items.flatMap(eventsOfItem).length;

    const result = await verify();

    expect(result).toMatchObject({
      status: 'succeeded',
      ok: true,
      cases: 1,
      events,
      mirrorObjects: events,
      badCaseCount: 0,
    });
  });

  it('reports an item edited in place in dynalite', async () => {
    const item = (
      await dynamo.send(
        new QueryCommand({
          TableName: stack.tables.ledger,
          KeyConditionExpression: 'caseId = :caseId AND seq = :seq',
          ExpressionAttributeValues: { ':caseId': caseId, ':seq': 1 },
        }),
      )
    ).Items![0]!;
    await dynamo.send(
      new PutCommand({ TableName: stack.tables.ledger, Item: { ...item, at: '2026-03-01T00:00:00.000Z' } }),
    );

    const result = await verify();

    expect(result).toMatchObject({ status: 'succeeded', ok: false, badCaseCount: 1 });
    expect(result['badCases']).toEqual([{ caseId, seq: 1, problem: 'hash-mismatch' }]);
  });

  it('mirrors an item that gained an attribute without it, and reports the item', async () => {
    const clerk = await api.login('agent');
    const other = (await api.registerLetter(clerk, 'letter-2', '2026-03-02T14:30:00.000Z')).caseId;
    await api.clock({ advance: 'PT0S' });
    // An event appended outside the stack's mirroring ledger: its item is mirrored below, as the stack's
    // mirror does after an append, once an attribute has been added to it.
    const { event } = await new DynamoDbCaseLedger({ client: dynamo, tables: stack.tables }).append(other, {
      type: 'step.done',
      at: START,
      actor: { kind: 'system' },
      data: { stepId: 'test:late' },
    });
    await dynamo.send(
      new UpdateCommand({
        TableName: stack.tables.ledger,
        Key: { caseId: other, seq: event.seq },
        UpdateExpression: 'SET #approvedBy = :someone',
        ExpressionAttributeNames: { '#approvedBy': 'approvedBy' },
        ExpressionAttributeValues: { ':someone': 'agent-x' },
      }),
    );
    const deps = localLedgerMirrorDeps({
      dynamo: { client: dynamo, tables: stack.tables },
      s3: { client: s3, bucket: stack.buckets.ledgerMirror },
    });

    const outcome = await mirrorLedgerEvent(deps, other, event.seq, 'insert');
    const result = await verify();

    expect(outcome).toEqual({ outcome: 'mirrored' });
    const object = await s3.send(
      new GetObjectCommand({ Bucket: stack.buckets.ledgerMirror, Key: ledgerMirrorKey(other, event.seq) }),
    );
    const body = (await object.Body?.transformToString('utf-8')) ?? '';
    expect(body).toBe(ledgerMirrorBody(event));
    expect(hashEvent(JSON.parse(body) as LedgerEvent)).toBe(event.hash);
    expect(result).toMatchObject({ status: 'succeeded', ok: false });
    expect(result['badCases']).toContainEqual({ caseId: other, seq: event.seq, problem: 'hash-mismatch' });
  });
});
