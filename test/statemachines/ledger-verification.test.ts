import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DeleteCommand, BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

import { makeHandler as makeDigestHandler } from '../../functions/ledger-digest/handler';
import { makeHandler } from '../../functions/ledger-verification/handler';
import { LocalDigestSigner } from '../../infra/local/local-digest-signer';
import {
  DynamoDbCaseLedger,
  DynamoDbLedgerCasePages,
  DynamoDbLedgerScanner,
  DynamoDbLedgerVerifications,
} from '../../shared/adapters/dynamodb';
import { S3LedgerDigestStore, S3LedgerMirrorReader } from '../../shared/adapters/s3';
import { mirrorEventKey } from '../../shared/adapters/s3/ledger-mirror-reader';
import { hashEvent } from '../../shared/domain/ledger/chain';
import type { LedgerEvent } from '../../shared/domain/ledger';
import { LocalStepFunctions } from '../../infra/local/stepfunctions/engine';
import {
  LEDGER_VERIFICATION_SUBSTITUTIONS,
  readLedgerVerificationDefinition,
} from '../../statemachines/definition';
import { ledgerItemsOf, startDynalite } from '../support/dynalite';
import type { LocalDynamo } from '../support/dynalite';
import { mirrorLedger } from '../support/ledger-mirror';
import { startS3rver } from '../support/s3rver';
import type { LocalS3 } from '../support/s3rver';
import { buildScenario } from '../unit/report/scenario';

/**
 * The ledger-verification state machine: the real ASL on the local engine, the real task handler over dynalite
 * (the scripted cases' ledger and projections) and s3rver (the mirror, in its layout, and a digest signed by
 * the daily digest's handler with the local signer). Small pages and a zero step budget make every step one
 * page, so the run loops many times. Then an insider tampers, and the job must say which case.
 */
jest.setTimeout(180_000);

// asl-validator ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const validate = require('asl-validator') as (definition: unknown) => { isValid: boolean; errors: unknown[] };

const NOW = new Date('2026-06-10T12:00:00.000Z');
const MIRROR_BUCKET = 'jalon-test-ledger-mirror';

let dynamo: LocalDynamo;
let s3: LocalS3;
let ledger: DynamoDbCaseLedger;
let caseIds: string[];
let eventCount: number;
let store: DynamoDbLedgerVerifications;
let sfn: LocalStepFunctions;
let machineArn: string;
let actions: string[];
const logs: { message: string; fields: Record<string, unknown> }[] = [];

function caseItems(caseId: string): Promise<Record<string, unknown>[]> {
  return ledgerItemsOf(dynamo.client, dynamo.tables.ledger, caseId);
}

beforeAll(async () => {
  [dynamo, s3] = await Promise.all([
    startDynalite('ledger-verification'),
    startS3rver('ledger-verification'),
  ]);
  const histories = await (await buildScenario()).histories();
  const items = histories.flat();
  for (let i = 0; i < items.length; i += 25) {
    await dynamo.client.send(
      new BatchWriteCommand({
        RequestItems: {
          [dynamo.tables.ledger]: items.slice(i, i + 25).map((item) => ({ PutRequest: { Item: item } })),
        },
      }),
    );
  }
  ledger = new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables });
  caseIds = histories.map((events) => events[0]!.caseId);
  // Confidential reads in the middle of a case's history (the insider below deletes them), then a note.
  const read = { type: 'case.read', at: '2026-03-20T15:00:00.000Z', data: { scope: 'content' } } as const;
  const auditor = { kind: 'staff', id: 'aud-bouchard', role: 'auditor' } as const;
  await ledger.append(caseIds[2]!, { ...read, actor: auditor });
  await ledger.append(caseIds[2]!, { ...read, at: '2026-03-21T15:00:00.000Z', actor: auditor });
  await ledger.append(caseIds[2]!, {
    type: 'case.noted',
    at: '2026-03-22T15:00:00.000Z',
    actor: { kind: 'staff', id: 'agt-tremblay' },
    data: { text: 'Rappel fait.' },
  });
  // The projections (their heads are what the digest lists).
  for (const caseId of caseIds) await ledger.getCase(caseId);
  eventCount = items.length + 3;
  expect(
    await mirrorLedger({
      s3: s3.client,
      bucket: MIRROR_BUCKET,
      dynamo: dynamo.client,
      ledgerTable: dynamo.tables.ledger,
      caseIds,
    }),
  ).toBe(eventCount);

  const signer = LocalDigestSigner.open();
  const digests = new S3LedgerDigestStore({ client: s3.client, bucket: MIRROR_BUCKET });
  const scanner = new DynamoDbLedgerScanner({ client: dynamo.client, tables: dynamo.tables, pageSize: 5 });
  const digest = makeDigestHandler({
    heads: () => scanner.projectionHeadPages(),
    signer,
    store: digests,
    now: () => NOW,
    logger: { info: () => undefined },
  });
  expect(await digest({})).toMatchObject({ day: '2026-06-10', heads: caseIds.length });

  store = new DynamoDbLedgerVerifications({ client: dynamo.client, tables: dynamo.tables });
  const handler = makeHandler({
    pages: new DynamoDbLedgerCasePages({ client: dynamo.client, tables: dynamo.tables, pageSize: 7 }),
    chains: ledger,
    mirror: new S3LedgerMirrorReader({ client: s3.client, bucket: MIRROR_BUCKET }),
    digests: {
      latest: () => digests.latest(),
      bytes: (key) => digests.bytes(key),
      save: (body, record) => digests.save(body, record),
      // Small reads: the digest is checked over several steps.
      headsFrom: (key, offset) => digests.headsFrom(key, offset, 300),
    },
    signer,
    store,
    now: () => NOW,
    stepBudgetMs: 0,
    logger: {
      info: (message, fields) => logs.push({ message, fields }),
      warn: (message, fields) => logs.push({ message, fields }),
    },
  });
  sfn = new LocalStepFunctions();
  const task = async (input: unknown) => {
    actions.push((input as { action: string }).action);
    return handler(input);
  };
  machineArn = await sfn.createStateMachine({
    name: 'ledger-verification',
    definition: readLedgerVerificationDefinition(),
    taskHandlers: {
      CheckDigestSignature: task,
      CheckCases: task,
      CheckDigestHeads: task,
      Finish: task,
      RecordFailure: task,
    },
  });
}, 180_000);

afterAll(async () => {
  await sfn?.close();
  await Promise.all([dynamo?.stop(), s3?.stop()]);
});

beforeEach(() => {
  actions = [];
});

async function run(name: string) {
  const started = await sfn.startExecution({ stateMachineArn: machineArn, name });
  const closed = await sfn.whenClosed(started.executionArn);
  expect(closed.status).toBe('SUCCEEDED');
  return (await store.latest()).latest!;
}

describe('statemachines/ledger-verification.asl.json on the local engine', () => {
  it('finds every chain, mirror object and digested head intact, page by page, and stores the counts', async () => {
    const result = await run('clean');
    expect(result).toMatchObject({
      runId: 'clean',
      status: 'succeeded',
      phase: 'done',
      ok: true,
      cases: caseIds.length,
      events: eventCount,
      mirrorObjects: eventCount,
      badCaseCount: 0,
      badCases: [],
      truncated: false,
      digest: {
        status: 'valid',
        day: '2026-06-10',
        heads: caseIds.length,
        checked: caseIds.length,
        mismatches: 0,
      },
      finishedAt: NOW.toISOString(),
    });
    // Many steps of one page each, the digest in several reads, then the finish.
    expect(actions[0]).toBe('begin');
    expect(actions.filter((action) => action === 'check-cases').length).toBeGreaterThanOrEqual(
      Math.ceil(eventCount / 7),
    );
    expect(actions.filter((action) => action === 'check-digest').length).toBeGreaterThan(1);
    expect(actions.slice(-1)).toEqual(['finish']);
    expect((await store.latest()).lastFinished).toEqual(result);
    // Logged: counts, never a case id.
    expect(caseIds.filter((id) => JSON.stringify(logs).includes(id))).toEqual([]);
  });

  it('reports a ledger item edited in place (and leaves the others)', async () => {
    const caseId = caseIds[5]!;
    const items = await caseItems(caseId);
    const original = items[1]!;
    await dynamo.client.send(
      new PutCommand({
        TableName: dynamo.tables.ledger,
        Item: { ...original, at: '2026-01-01T00:00:00.000Z' },
      }),
    );
    try {
      const result = await run('edited');
      expect(result).toMatchObject({
        status: 'succeeded',
        ok: false,
        badCaseCount: 1,
        cases: caseIds.length,
      });
      expect(result.badCases).toEqual([{ caseId, seq: 2, problem: 'hash-mismatch' }]);
    } finally {
      await dynamo.client.send(new PutCommand({ TableName: dynamo.tables.ledger, Item: original }));
    }
  });

  it('reports a mirror object whose body was changed around the hash it carries', async () => {
    const caseId = caseIds[7]!;
    const key = mirrorEventKey(caseId, 2);
    const original = await (
      await s3.client.send(new GetObjectCommand({ Bucket: MIRROR_BUCKET, Key: key }))
    ).Body!.transformToString('utf8');
    const forged = { ...(JSON.parse(original) as Record<string, unknown>), at: '2026-01-01T00:00:00.000Z' };
    await s3.client.send(
      new PutObjectCommand({ Bucket: MIRROR_BUCKET, Key: key, Body: JSON.stringify(forged) }),
    );
    try {
      const result = await run('forged-mirror');
      expect(result).toMatchObject({ status: 'succeeded', ok: false, badCaseCount: 1 });
      expect(result.badCases).toEqual([{ caseId, seq: 2, problem: 'mirror-mismatch' }]);
    } finally {
      await s3.client.send(new PutObjectCommand({ Bucket: MIRROR_BUCKET, Key: key, Body: original }));
    }
  });

  it('catches an insider who deletes the read events and recomputes every hash after them', async () => {
    const caseId = caseIds[2]!;
    const items = await caseItems(caseId);
    const reads = items.filter((item) => item['type'] === 'case.read').map((item) => Number(item['seq']));
    expect(reads.length).toBe(2);
    // The insider: every item of the case deleted, the others renumbered and re-hashed in order, the
    // projection dropped and rebuilt from the rewritten ledger.
    for (const item of items) {
      await dynamo.client.send(
        new DeleteCommand({ TableName: dynamo.tables.ledger, Key: { caseId, seq: item['seq'] } }),
      );
    }
    let prevHash = '0'.repeat(64);
    const kept = items.filter((item) => item['type'] !== 'case.read');
    for (const [index, item] of kept.entries()) {
      const event: Record<string, unknown> = { ...item, seq: index + 1, prevHash };
      delete event['snapshot'];
      delete event['hash'];
      const hash = hashEvent(event as unknown as LedgerEvent);
      await dynamo.client.send(new PutCommand({ TableName: dynamo.tables.ledger, Item: { ...event, hash } }));
      prevHash = hash;
    }
    await dynamo.client.send(new DeleteCommand({ TableName: dynamo.tables.cases, Key: { caseId } }));
    await ledger.getCase(caseId);
    // The chain alone is fooled.
    expect(await ledger.verifyChain(caseId)).toEqual({ ok: true });

    const result = await run('insider');
    expect(result).toMatchObject({ status: 'succeeded', ok: false, badCaseCount: 1 });
    // The mirror still holds the first read at its seq; the digest's head is no longer in the ledger.
    expect(result.badCases).toEqual([
      { caseId, seq: Math.min(...reads), problem: 'mirror-mismatch' },
      { caseId, seq: items.length, problem: 'digest-missing' },
    ]);
    expect(result.digest).toMatchObject({ status: 'valid', mismatches: 1 });
  });
});

describe('statemachines/ledger-verification.asl.json (static)', () => {
  const source = readLedgerVerificationDefinition();

  it('is valid Amazon States Language and uses exactly the declared substitutions', () => {
    const result = validate(JSON.parse(source));
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
    const used = new Set([...source.matchAll(/\$\{([A-Za-z0-9]+)\}/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual([...LEDGER_VERIFICATION_SUBSTITUTIONS].sort());
  });

  it('bounds and retries every task, and records a failed run before failing', () => {
    const states = (JSON.parse(source) as { States: Record<string, Record<string, unknown>> }).States;
    const tasks = Object.entries(states).filter(([, state]) => state['Type'] === 'Task');
    for (const [name, state] of tasks) {
      expect(state['TimeoutSeconds']).toBeLessThanOrEqual(960);
      expect(state['Retry']).toEqual([expect.objectContaining({ MaxAttempts: 6 })]);
      if (name !== 'RecordFailure')
        expect(state['Catch']).toEqual([
          { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' },
        ]);
    }
    expect(states['RecordFailure']?.['Next']).toBe('VerificationFailed');
  });
});
