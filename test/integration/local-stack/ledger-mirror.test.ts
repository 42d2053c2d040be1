import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import { LOCAL_S3_CHECKSUM_OPTIONS } from '../../../shared/adapters/s3';
import { eventsOfItem } from '../../../shared/adapters/dynamodb/ledger-head';
import { hashEvent } from '../../../shared/domain/ledger/chain';
import type { LedgerEvent } from '../../../shared/domain/ledger/events';
import {
  LEDGER_CONFLICT_PREFIX,
  LEDGER_MIRROR_PREFIX,
  ledgerMirrorBody,
  ledgerMirrorKey,
  parseLedgerMirrorKey,
} from '../../../shared/domain/ledger/mirror-layout';
import { client } from './support';

/**
 * The ledger mirror on the local stack (`docs/ledger-mirror.md`): the cases that intake and the workflow write
 * reach the mirror bucket in s3rver through the code the stream Lambda runs in AWS, one object per event, and
 * an item later edited in place in dynalite leaves the mirrored event as first written.
 */
const START = '2026-03-02T15:00:00.000Z';
let stack: LocalStack;
let s3: S3Client;
let dynamo: DynamoDBDocumentClient;

beforeAll(async () => {
  stack = await startLocalStack({ memory: true, virtualClock: START, port: 0, smtpPort: 0, quiet: true });
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  s3 = new S3Client({
    endpoint: stack.urls.s3,
    region: 'ca-central-1',
    credentials,
    forcePathStyle: true,
    ...LOCAL_S3_CHECKSUM_OPTIONS,
  });
  dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.urls.dynamodb,
      region: 'ca-central-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
}, 30_000);

afterAll(async () => {
  s3?.destroy();
  await stack?.stop();
});

async function keys(prefix: string): Promise<string[]> {
  const found: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: stack.buckets.ledgerMirror,
        Prefix: prefix,
        ...(token === undefined ? {} : { ContinuationToken: token }),
      }),
    );
    for (const object of page.Contents ?? []) if (object.Key !== undefined) found.push(object.Key);
    token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return found;
}

async function body(key: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: stack.buckets.ledgerMirror, Key: key }));
  return (await object.Body?.transformToString('utf-8')) ?? '';
}

async function submit(subject: string): Promise<string> {
  const response = await client(stack.urls.web).request('POST', '/api/requests', {
    category: 'statistics',
    name: 'Léa Roy',
    email: 'lea.roy@example.com',
    subject,
    message: 'Bonjour, les effectifs par ministère, svp.',
    website: '',
  });
  expect(response.status).toBe(201);
  return response.json['caseId'] as string;
}

describe('ledger mirror on the local stack', () => {
  const caseIds: string[] = [];

  it('holds every event of the cases created, once per seq, exactly as the ledger holds it', async () => {
    caseIds.push(await submit('Effectifs 2025'), await submit('Effectifs 2026'));
    // The workflow acts on the cases (acknowledgement, reminders) as the clock runs.
    await client(stack.urls.web).clock({ to: '2026-03-20T14:00:00.000Z' });

    for (const caseId of caseIds) {
      const events = await stack.ledger.read(caseId);
      expect(events.length).toBeGreaterThan(3);
      const mirrored = await keys(`${LEDGER_MIRROR_PREFIX}${caseId}/`);
      expect(mirrored.map((key) => parseLedgerMirrorKey(key)?.seq)).toEqual(events.map((event) => event.seq));
      for (const event of events) {
        expect(await body(ledgerMirrorKey(caseId, event.seq))).toBe(ledgerMirrorBody(event));
      }
    }
    expect(await keys(LEDGER_CONFLICT_PREFIX)).toEqual([]);
  }, 120_000);

  it('mirrors each event of an item of several events at a later seq, in the object of its own seq', async () => {
    const caseId = caseIds[1]!;
    const at = '2026-03-20T15:00:00.000Z';
    const done = (stepId: string) => ({
      draft: { type: 'step.done' as const, at, actor: { kind: 'system' as const }, data: { stepId } },
      idempotencyKey: `test:${stepId}`,
    });
    const { results } = await stack.ledger.appendAll(caseId, [done('x'), done('y'), done('z')]);
    const seqs = results.map((entry) => entry.event.seq);
    expect(seqs[0]).toBeGreaterThan(1);
    const item = (
      await dynamo.send(new GetCommand({ TableName: stack.tables.ledger, Key: { caseId, seq: seqs[0] } }))
    ).Item!;
    expect(eventsOfItem(item).map((event) => event.seq)).toEqual(seqs);
    await client(stack.urls.web).clock({ advance: 'PT0S' });

    for (const entry of results) {
      expect(await body(ledgerMirrorKey(caseId, entry.event.seq))).toBe(ledgerMirrorBody(entry.event));
    }
    const events = await stack.ledger.read(caseId);
    const mirrored = await keys(`${LEDGER_MIRROR_PREFIX}${caseId}/`);
    expect(mirrored.map((key) => parseLedgerMirrorKey(key)?.seq)).toEqual(events.map((event) => event.seq));
    expect(await keys(LEDGER_CONFLICT_PREFIX)).toEqual([]);
  });

  it('keeps the event as first written when the ledger item is edited in place', async () => {
    const caseId = caseIds[0]!;
    const key = { caseId, seq: 1 };
    const item = (await dynamo.send(new GetCommand({ TableName: stack.tables.ledger, Key: key }))).Item!;
    const original = await body(ledgerMirrorKey(caseId, 1));
    const edited = { ...item, at: '2026-01-01T00:00:00.000Z' };
    await dynamo.send(new PutCommand({ TableName: stack.tables.ledger, Item: edited }));

    const [ledgerFirst] = await stack.ledger.read(caseId);

    expect(ledgerFirst?.at).toBe('2026-01-01T00:00:00.000Z');
    const mirrored = JSON.parse(await body(ledgerMirrorKey(caseId, 1))) as LedgerEvent;
    expect(await body(ledgerMirrorKey(caseId, 1))).toBe(original);
    expect(mirrored.at).not.toBe('2026-01-01T00:00:00.000Z');
    expect(hashEvent(mirrored)).toBe(mirrored.hash);
  });
});
