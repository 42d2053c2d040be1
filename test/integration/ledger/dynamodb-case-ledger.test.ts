import { randomUUID } from 'node:crypto';

import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbCaseSearchIndex } from '../../../shared/adapters/dynamodb/case-search-index';
import { DynamoDbCaseLedger } from '../../../shared/adapters/dynamodb/dynamodb-case-ledger';
import type { ProjectionFailure } from '../../../shared/adapters/dynamodb/dynamodb-case-ledger';
import { NO_DUE_SORT_KEY, OPEN_MARKER } from '../../../shared/adapters/dynamodb/projection-item';
import { eventsOfItem } from '../../../shared/adapters/dynamodb/ledger-head';
import { CASE_INDEXES } from '../../../shared/adapters/dynamodb/table-definitions';
import { projectCase } from '../../../shared/domain/ledger/projection';
import type { EventDraft, LedgerEvent } from '../../../shared/domain/ledger/events';
import type { OpeningEvent } from '../../../shared/domain/ledger/chain';
import {
  CaseAlreadyExistsError,
  CaseNotFoundError,
  LedgerIntegrityError,
  ValidationError,
} from '../../../shared/errors';
import { byTable, countingClient, startDynalite } from '../../support/dynalite';
import type { LocalDynamo } from '../../support/dynalite';
import { SYSTEM, lifecycleDrafts, receivedDraft, staff } from '../../unit/ledger/fixtures';

let dynamo: LocalDynamo;
let ledger: DynamoDbCaseLedger;

beforeAll(async () => {
  dynamo = await startDynalite();
  ledger = new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables });
});

afterAll(async () => {
  await dynamo.stop();
});

function stepDone(stepId: string): EventDraft {
  return { type: 'step.done', at: '2026-03-03T14:00:00.000Z', actor: SYSTEM, data: { stepId } };
}

async function newCase(extraDrafts: EventDraft[] = []): Promise<string> {
  const caseId = randomUUID();
  await ledger.append(caseId, receivedDraft());
  for (const draft of extraDrafts) await ledger.append(caseId, draft);
  return caseId;
}

/** Another instance of the adapter (another Lambda instance), which remembers no head. */
function anotherInstance(): DynamoDbCaseLedger {
  return new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables });
}

async function ledgerItem(caseId: string, seq: number): Promise<Record<string, unknown>> {
  const { Item } = await dynamo.client.send(
    new GetCommand({ TableName: dynamo.tables.ledger, Key: { caseId, seq } }),
  );
  return Item!;
}

async function projectionItem(caseId: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await dynamo.client.send(
    new GetCommand({ TableName: dynamo.tables.cases, Key: { caseId }, ConsistentRead: true }),
  );
  return Item;
}

describe('DynamoDbCaseLedger on dynalite', () => {
  it('stores events as sealed, reads them back in order and keeps the projection in step', async () => {
    const caseId = randomUUID();
    const appended: LedgerEvent[] = [(await ledger.append(caseId, receivedDraft())).event];
    for (const draft of lifecycleDrafts().slice(0, 8))
      appended.push((await ledger.append(caseId, draft)).event);

    const events = await ledger.read(caseId);

    expect(events).toEqual(appended);
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(eventsOfItem(await ledgerItem(caseId, 3))).toEqual([appended[2]]);
    expect((await ledgerItem(caseId, 3)).snapshot).toMatchObject({
      projection: projectCase(events.slice(0, 3)),
    });
    expect(await ledger.getCase(caseId)).toEqual(projectCase(events));
    expect(await ledger.verifyChain(caseId)).toEqual({ ok: true });
  });

  it('round-trips unusual but valid content without breaking the hash', async () => {
    const caseId = randomUUID();
    const draft = receivedDraft({
      channel: 'mail',
      subject: 'Objet « spécial » — 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀 ﬁ',
      body: '',
      attachments: [],
      requester: {
        name: 'Dana O’Neil',
        language: 'en',
        languageBasis: { basis: 'outside-quebec', attestedOn: '2026-02-27' },
        postalAddress: { lines: ['1 Main St'], municipality: 'Ottawa', province: 'ON', country: 'CA' },
      },
      confidential: true,
    });

    await ledger.append(caseId, draft);

    expect(await ledger.verifyChain(caseId)).toEqual({ ok: true });
    expect((await ledger.read(caseId))[0]?.data).toEqual(draft.data);
    expect((await projectionItem(caseId))?.requesterEmail).toBeUndefined();
  });

  it('writes the index attributes of the cases table and drops openMarker on closure', async () => {
    const caseId = await newCase(lifecycleDrafts().slice(0, 6));

    const open = await projectionItem(caseId);

    expect(open).toMatchObject({
      caseId,
      lastSeq: 7,
      openMarker: OPEN_MARKER,
      nextDueAt: '2026-03-17T03:59:59.999Z',
      assignee: 'agent-roy',
      requesterEmail: 'marie.gagnon@example.org',
      receivedAt: '2026-03-02T14:00:00.000Z',
    });
    const byEmail = await dynamo.client.send(
      new QueryCommand({
        TableName: dynamo.tables.cases,
        IndexName: CASE_INDEXES.byRequesterEmail,
        KeyConditionExpression: 'requesterEmail = :email',
        ExpressionAttributeValues: { ':email': 'marie.gagnon@example.org' },
      }),
    );
    expect(byEmail.Items?.map((item) => item.caseId)).toContain(caseId);

    await ledger.append(caseId, {
      type: 'case.closed',
      at: '2026-03-04T14:00:00Z',
      actor: staff('agent-roy'),
      data: { reason: 'withdrawn' },
    });

    const closed = await projectionItem(caseId);
    expect(closed?.openMarker).toBeUndefined();
    expect(closed?.nextDueAt).toBe(NO_DUE_SORT_KEY);
    const openCases = await dynamo.client.send(
      new QueryCommand({
        TableName: dynamo.tables.cases,
        IndexName: CASE_INDEXES.openByDue,
        KeyConditionExpression: 'openMarker = :open',
        ExpressionAttributeValues: { ':open': OPEN_MARKER },
      }),
    );
    expect(openCases.Items?.map((item) => item.caseId)).not.toContain(caseId);
  });

  it('gives 20 parallel appends to one case distinct consecutive seqs and an intact chain', async () => {
    const caseId = await newCase();

    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => ledger.append(caseId, stepDone(`parallel-${i}`))),
    );

    expect(results.map((result) => result.event.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 2),
    );
    const events = await ledger.read(caseId);
    expect(events.map((event) => event.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(await ledger.verifyChain(caseId)).toEqual({ ok: true });
    const projection = await ledger.getCase(caseId);
    expect(projection?.lastSeq).toBe(21);
    expect(projection?.stepsDone).toHaveLength(20);
  });

  it('loses nothing when 20 instances run a read-then-append command on one case at once', async () => {
    const caseId = await newCase();

    const results = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        // One adapter each, as 20 Lambda instances would have, every one knowing the same (soon stale) head.
        const instance = new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables });
        await instance.getCase(caseId);
        return instance.append(caseId, stepDone(`command-${i}`), { idempotencyKey: `command-${i}` });
      }),
    );

    expect(results.every((result) => result.appended)).toBe(true);
    const events = await ledger.read(caseId);
    expect(events.map((event) => event.idempotencyKey).sort()).toEqual([
      ...Array.from({ length: 20 }, (_, i) => `command-${i}`).sort(),
      undefined,
    ]);
    expect(await ledger.verifyChain(caseId)).toEqual({ ok: true });
    expect((await ledger.getCase(caseId))?.stepsDone).toHaveLength(20);
    expect((await projectionItem(caseId))?.lastSeq).toBe(21);
  });

  it('makes a command one read and one ledger write, the read model written after', async () => {
    const caseId = await newCase([stepDone('first')]);
    const calls: string[] = [];
    const counting = countingClient(dynamo.client, calls, byTable(dynamo.tables));
    const instance = new DynamoDbCaseLedger({ client: counting, tables: dynamo.tables });

    await instance.getCase(caseId);
    const { projection } = await instance.append(caseId, stepDone('second'), { idempotencyKey: 'k2' });

    expect(calls.filter((call) => call.startsWith('ledger:'))).toEqual([
      'ledger:QueryCommand',
      'ledger:PutCommand',
    ]);
    expect(calls).toContain('cases:UpdateCommand');
    expect(projection?.stepsDone).toEqual(['first', 'second']);
  });

  it('serves a case from its head item alone when this instance wrote the read model at that head', async () => {
    const calls: string[] = [];
    const counting = countingClient(dynamo.client, calls, byTable(dynamo.tables));
    const instance = new DynamoDbCaseLedger({ client: counting, tables: dynamo.tables });
    const caseId = randomUUID();
    await instance.append(caseId, receivedDraft());
    const { projection } = await instance.append(caseId, stepDone('first'));
    calls.length = 0;

    const served = await instance.getCase(caseId);

    expect(calls).toEqual(['ledger:QueryCommand']);
    expect(served).toEqual(projection);
  });

  it('reads the read model beside the head again once another instance appended', async () => {
    const caseId = await newCase();
    const other = new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables });
    await other.append(caseId, stepDone('elsewhere'));
    await dynamo.client.send(new DeleteCommand({ TableName: dynamo.tables.cases, Key: { caseId } }));

    const served = await ledger.getCase(caseId);

    expect(served?.stepsDone).toEqual(['elsewhere']);
    expect((await projectionItem(caseId))?.lastSeq).toBe(2);
  });

  it('leaves the read model to the next append when told more of the command follows', async () => {
    const caseId = await newCase();

    await ledger.append(caseId, lifecycleDrafts()[0]!, { readModelLater: true });
    const between = await projectionItem(caseId);
    await ledger.append(caseId, stepDone('next'));

    expect(between?.lastSeq).toBe(1);
    expect(await projectionItem(caseId)).toMatchObject({ lastSeq: 3, reference: 'SCT-2026-000123' });
    expect(await ledger.getCase(caseId)).toMatchObject({ lastSeq: 3, reference: 'SCT-2026-000123' });
  });

  it('does not trust a snapshot altered in place: a recorded key still replays', async () => {
    const caseId = await newCase();
    await ledger.append(caseId, stepDone('once'), { idempotencyKey: 'once' });
    await dynamo.client.send(
      new UpdateCommand({
        TableName: dynamo.tables.ledger,
        Key: { caseId, seq: 2 },
        UpdateExpression: 'REMOVE #snapshot.#keys.#once',
        ExpressionAttributeNames: { '#snapshot': 'snapshot', '#keys': 'keys', '#once': 'once' },
      }),
    );
    const fresh = new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables });

    const again = await fresh.append(caseId, stepDone('once'), { idempotencyKey: 'once' });

    expect(again).toMatchObject({ appended: false, event: { seq: 2 } });
    expect(await ledger.read(caseId)).toHaveLength(2);
  });

  it('appends after events stored without snapshots by rebuilding the head from the whole ledger', async () => {
    const caseId = await newCase([stepDone('old')]);
    await ledger.append(caseId, stepDone('keyed'), { idempotencyKey: 'keyed' });
    for (const seq of [1, 2, 3]) {
      await dynamo.client.send(
        new UpdateCommand({
          TableName: dynamo.tables.ledger,
          Key: { caseId, seq },
          UpdateExpression: 'REMOVE #snapshot',
          ExpressionAttributeNames: { '#snapshot': 'snapshot' },
        }),
      );
    }
    const fresh = new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables });

    const replayed = await fresh.append(caseId, stepDone('keyed'), { idempotencyKey: 'keyed' });
    const next = await fresh.append(caseId, stepDone('new'), { idempotencyKey: 'new' });

    expect(replayed).toMatchObject({ appended: false, event: { seq: 3 } });
    expect(next.event.seq).toBe(4);
    expect(next.projection?.stepsDone).toEqual(['old', 'keyed', 'new']);
    expect(await ledger.verifyChain(caseId)).toEqual({ ok: true });
  });

  it('records exactly one event for 20 parallel appends with the same idempotency key', async () => {
    const caseId = await newCase();

    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        ledger.append(caseId, stepDone('ack-reminder-1'), { idempotencyKey: 'step-ack-1' }),
      ),
    );

    expect(results.filter((result) => result.appended)).toHaveLength(1);
    expect(new Set(results.map((result) => result.event.hash)).size).toBe(1);
    expect((await ledger.read(caseId)).map((event) => event.idempotencyKey)).toEqual([
      undefined,
      'step-ack-1',
    ]);
  });

  it('records one receipt for a retried intake (same caseId and key)', async () => {
    const caseId = randomUUID();

    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        ledger.append(caseId, receivedDraft(), { idempotencyKey: '<m1@example.org>' }),
      ),
    );

    expect(results.filter((result) => result.appended)).toHaveLength(1);
    expect(await ledger.read(caseId)).toHaveLength(1);
    await expect(ledger.append(caseId, receivedDraft())).rejects.toThrow(CaseAlreadyExistsError);
  });

  it('refuses events for an unknown case and invalid drafts', async () => {
    const caseId = randomUUID();

    await expect(ledger.append(caseId, stepDone('x'))).rejects.toThrow(CaseNotFoundError);
    await expect(ledger.append(caseId, receivedDraft({ subject: 'a\r\nb' }))).rejects.toThrow(
      ValidationError,
    );
    expect(await ledger.read(caseId)).toEqual([]);
    expect(await ledger.getCase(caseId)).toBeUndefined();
  });

  describe('opening a case in one write', () => {
    const opening = (): [OpeningEvent, ...OpeningEvent[]] => [
      { draft: receivedDraft(), idempotencyKey: 'intake:received' },
      { draft: lifecycleDrafts()[0]!, idempotencyKey: 'intake:registered' },
      { draft: stepDone('started'), idempotencyKey: 'workflow:g1' },
    ];

    function countingLedger(calls: string[]): DynamoDbCaseLedger {
      const counting = countingClient(dynamo.client, calls, byTable(dynamo.tables));
      return new DynamoDbCaseLedger({ client: counting, tables: dynamo.tables });
    }

    it('puts the opening events as one item at seq 1, without a read, and the read model beside the work', async () => {
      const caseId = randomUUID();
      const calls: string[] = [];
      let callsBeforeWork: string[] = [];

      const opened = await countingLedger(calls).openCase(caseId, opening(), {
        alongside: async () => {
          callsBeforeWork = [...calls];
        },
      });

      // The work starts once the put is done, with the read model's requests already sent beside it.
      expect(callsBeforeWork[0]).toBe('ledger:PutCommand');
      expect(callsBeforeWork.slice(1).every((call) => call.startsWith('cases:'))).toBe(true);
      expect(calls.filter((call) => call.startsWith('ledger:'))).toEqual(['ledger:PutCommand']);
      expect(calls).toContain('cases:UpdateCommand');
      const events = await ledger.read(caseId);
      expect(opened).toEqual({ events, projection: projectCase(events) });
      expect(events.map((event) => [event.seq, event.idempotencyKey])).toEqual([
        [1, 'intake:received'],
        [2, 'intake:registered'],
        [3, 'workflow:g1'],
      ]);
      expect(eventsOfItem(await ledgerItem(caseId, 1))).toEqual(events);
      expect(await projectionItem(caseId)).toMatchObject({ lastSeq: 3, reference: 'SCT-2026-000123' });
      expect(await ledger.verifyChain(caseId)).toEqual({ ok: true });
    });

    it('reads the events of a case still at its opening item from the head just read, without a request', async () => {
      const caseId = randomUUID();
      await ledger.openCase(caseId, opening());
      const calls: string[] = [];
      const reader = countingLedger(calls);

      const projection = (await reader.getCase(caseId))!;
      calls.length = 0;
      const events = await reader.read(caseId, { seq: projection.lastSeq, hash: projection.lastHash });

      expect(calls).toEqual([]);
      expect(events).toEqual(await ledger.read(caseId));
      expect(events.map((event) => event.seq)).toEqual([1, 2, 3]);
      // The instance that opened the case knows them too.
      const opener = countingLedger(calls);
      const other = randomUUID();
      const opened = (await opener.openCase(other, opening()))!;
      calls.length = 0;
      const known = { seq: opened.projection.lastSeq, hash: opened.projection.lastHash };
      expect(await opener.read(other, known)).toEqual(opened.events);
      expect(calls).toEqual([]);
    });

    it('reads the ledger for the events when the head is past the opening, or not the one the caller names', async () => {
      const caseId = randomUUID();
      await ledger.openCase(caseId, opening());
      const calls: string[] = [];
      const reader = countingLedger(calls);
      const atOpening = (await reader.getCase(caseId))!;
      const tail = { seq: atOpening.lastSeq, hash: atOpening.lastHash };

      // Another instance appends after the opening: the head the caller names is no longer the ledger's.
      await new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables }).append(
        caseId,
        stepDone('later'),
      );
      calls.length = 0;
      expect(await reader.read(caseId, { seq: tail.seq, hash: 'f'.repeat(64) })).toHaveLength(4);
      expect(calls).toEqual(['ledger:QueryCommand']);

      const later = (await reader.getCase(caseId))!;
      calls.length = 0;
      const events = await reader.read(caseId, { seq: later.lastSeq, hash: later.lastHash });
      expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4]);
      expect(calls).toEqual(['ledger:QueryCommand']);
    });

    it('chains later appends after the opening item and replays a key held inside it', async () => {
      const caseId = randomUUID();
      await ledger.openCase(caseId, opening());
      await ledger.append(caseId, stepDone('later'));
      const fresh = new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables });

      const replayed = await fresh.append(caseId, lifecycleDrafts()[0]!, {
        idempotencyKey: 'intake:registered',
      });
      const next = await fresh.append(caseId, stepDone('next'), { idempotencyKey: 'next' });

      expect(replayed).toMatchObject({ appended: false, event: { seq: 2, type: 'case.registered' } });
      expect(next.event.seq).toBe(5);
      expect(await fresh.getCase(caseId)).toMatchObject({
        lastSeq: 5,
        stepsDone: ['started', 'later', 'next'],
      });
      expect(await ledger.verifyChain(caseId)).toEqual({ ok: true });
    });

    it('lets exactly one of 20 concurrent openings of one case through, and runs only its work', async () => {
      const caseId = randomUUID();
      let work = 0;

      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables }).openCase(
            caseId,
            [
              { draft: receivedDraft({ subject: `Demande ${i}` }), idempotencyKey: 'intake:received' },
              { draft: stepDone(`opening-${i}`), idempotencyKey: 'workflow:g1' },
            ],
            { alongside: async () => void (work += 1) },
          ),
        ),
      );

      const winners = results.filter((result) => result !== undefined);
      expect(winners).toHaveLength(1);
      expect(work).toBe(1);
      expect(await ledger.read(caseId)).toEqual(winners[0]!.events);
      expect(await ledger.verifyChain(caseId)).toEqual({ ok: true });
      await expect(ledger.openCase(caseId, opening())).resolves.toBeUndefined();
    });

    it("fails with the work's error once the events and the read model are written", async () => {
      const caseId = randomUUID();

      await expect(
        ledger.openCase(caseId, opening(), { alongside: () => Promise.reject(new Error('throttled')) }),
      ).rejects.toThrow('throttled');

      expect(await ledger.read(caseId)).toHaveLength(3);
      expect(await projectionItem(caseId)).toMatchObject({ lastSeq: 3 });
    });

    it('reports an event inside the opening item modified in place', async () => {
      const caseId = randomUUID();
      await ledger.openCase(caseId, opening());
      await dynamo.client.send(
        new UpdateCommand({
          TableName: dynamo.tables.ledger,
          Key: { caseId, seq: 1 },
          UpdateExpression: 'SET #following[0].#at = :at',
          ExpressionAttributeNames: { '#following': 'following', '#at': 'at' },
          ExpressionAttributeValues: { ':at': '2026-03-01T12:00:00.000Z' },
        }),
      );

      expect(await ledger.verifyChain(caseId)).toEqual({ ok: false, seq: 2, problem: 'hash-mismatch' });
    });
  });

  describe('tampering with the ledger table', () => {
    it('reports an event modified in place', async () => {
      const caseId = await newCase(lifecycleDrafts().slice(0, 4));

      await dynamo.client.send(
        new UpdateCommand({
          TableName: dynamo.tables.ledger,
          Key: { caseId, seq: 3 },
          UpdateExpression: 'SET #data.#deadline.#dueAt = :later',
          ExpressionAttributeNames: { '#data': 'data', '#deadline': 'deadline', '#dueAt': 'dueAt' },
          ExpressionAttributeValues: { ':later': '2026-04-30T03:59:59.999Z' },
        }),
      );

      expect(await ledger.verifyChain(caseId)).toEqual({ ok: false, seq: 3, problem: 'hash-mismatch' });
    });

    it('reports a deleted event', async () => {
      const caseId = await newCase(lifecycleDrafts().slice(0, 4));

      await dynamo.client.send(
        new DeleteCommand({ TableName: dynamo.tables.ledger, Key: { caseId, seq: 2 } }),
      );

      expect(await ledger.verifyChain(caseId)).toEqual({ ok: false, seq: 2, problem: 'gap' });
    });

    it('reports two swapped events', async () => {
      const caseId = await newCase(lifecycleDrafts().slice(0, 4));
      const [third, fourth] = [await ledgerItem(caseId, 3), await ledgerItem(caseId, 4)];

      // The sort key pins each item to its seq, so a swap rewrites each slot with the other event's content.
      await dynamo.client.send(
        new PutCommand({ TableName: dynamo.tables.ledger, Item: { ...fourth, seq: 3 } }),
      );
      await dynamo.client.send(
        new PutCommand({ TableName: dynamo.tables.ledger, Item: { ...third, seq: 4 } }),
      );

      expect(await ledger.verifyChain(caseId)).toEqual({ ok: false, seq: 3, problem: 'hash-mismatch' });
    });

    it('reports a deleted last event against the projection head', async () => {
      const caseId = await newCase(lifecycleDrafts().slice(0, 4));

      await dynamo.client.send(
        new DeleteCommand({ TableName: dynamo.tables.ledger, Key: { caseId, seq: 5 } }),
      );

      expect(await ledger.verifyChain(caseId)).toEqual({ ok: false, seq: 5, problem: 'gap' });
      await expect(ledger.getCase(caseId)).rejects.toThrow(LedgerIntegrityError);
    });

    it('refuses to rebuild a projection from a tampered ledger', async () => {
      const caseId = await newCase(lifecycleDrafts().slice(0, 2));
      await dynamo.client.send(new DeleteCommand({ TableName: dynamo.tables.cases, Key: { caseId } }));
      await dynamo.client.send(
        new UpdateCommand({
          TableName: dynamo.tables.ledger,
          Key: { caseId, seq: 1 },
          UpdateExpression: 'SET #data.#confidential = :flipped',
          ExpressionAttributeNames: { '#data': 'data', '#confidential': 'confidential' },
          ExpressionAttributeValues: { ':flipped': true },
        }),
      );

      await expect(anotherInstance().getCase(caseId)).rejects.toMatchObject({
        name: 'LedgerIntegrityError',
        details: { caseId, seq: 1, problem: 'hash-mismatch' },
      });
    });
  });

  describe('projection lag and repair', () => {
    it('rebuilds a deleted projection from the ledger', async () => {
      const caseId = await newCase(lifecycleDrafts().slice(0, 6));
      const expected = projectCase(await ledger.read(caseId));
      const before = await projectionItem(caseId);
      await dynamo.client.send(new DeleteCommand({ TableName: dynamo.tables.cases, Key: { caseId } }));

      expect(await anotherInstance().getCase(caseId)).toEqual(expected);
      expect(await projectionItem(caseId)).toEqual(before);
    });

    it('rebuilds a projection altered in place, even at the same seq', async () => {
      const caseId = await newCase(lifecycleDrafts().slice(0, 6));
      const before = await projectionItem(caseId);
      await dynamo.client.send(
        new UpdateCommand({
          TableName: dynamo.tables.cases,
          Key: { caseId },
          UpdateExpression: 'SET #projection.#handoffCount = :zero, #assignee = :someone',
          ExpressionAttributeNames: {
            '#projection': 'projection',
            '#handoffCount': 'handoffCount',
            '#assignee': 'assignee',
          },
          ExpressionAttributeValues: { ':zero': 0, ':someone': 'agent-x' },
        }),
      );

      expect(await anotherInstance().getCase(caseId)).toMatchObject({
        handoffCount: 1,
        assignee: 'agent-roy',
      });
      expect(await projectionItem(caseId)).toEqual(before);
    });

    it('rebuilds a projection whose head was wound back', async () => {
      const caseId = await newCase(lifecycleDrafts().slice(0, 6));
      const before = await projectionItem(caseId);
      await dynamo.client.send(
        new UpdateCommand({
          TableName: dynamo.tables.cases,
          Key: { caseId },
          UpdateExpression: 'SET #lastSeq = :one',
          ExpressionAttributeNames: { '#lastSeq': 'lastSeq' },
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );

      expect((await anotherInstance().getCase(caseId))?.lastSeq).toBe(7);
      expect(await projectionItem(caseId)).toEqual(before);
    });

    it('repairs at the next append a read model deleted behind the instance that wrote it', async () => {
      const caseId = await newCase(lifecycleDrafts().slice(0, 2));
      await dynamo.client.send(new DeleteCommand({ TableName: dynamo.tables.cases, Key: { caseId } }));

      // This instance wrote the read model at the head: it serves the head's snapshot without reading it.
      expect((await ledger.getCase(caseId))?.lastSeq).toBe(3);
      expect(await projectionItem(caseId)).toBeUndefined();
      await ledger.append(caseId, stepDone('next'));

      expect(await projectionItem(caseId)).toMatchObject({ lastSeq: 4 });
      expect(await anotherInstance().getCase(caseId)).toMatchObject({ lastSeq: 4, stepsDone: ['next'] });
    });

    it('keeps the event when the projection write fails, then repairs on the next read', async () => {
      const caseId = await newCase(lifecycleDrafts().slice(0, 2));
      const failures: ProjectionFailure[] = [];
      // A client that loses every write to the cases table, as during a throttling burst.
      const flaky = {
        send: (command: { input: { TableName?: string } }) =>
          command.input.TableName === dynamo.tables.cases && command instanceof UpdateCommand
            ? Promise.reject(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }))
            : dynamo.client.send(command as never),
      } as unknown as DynamoDBDocumentClient;
      const degraded = new DynamoDbCaseLedger({
        client: flaky,
        tables: dynamo.tables,
        onProjectionFailure: (failure) => failures.push(failure),
      });

      const { event } = await degraded.append(caseId, lifecycleDrafts()[2]!);

      expect(event.seq).toBe(4);
      expect(failures).toEqual([{ caseId, seq: 4, errorName: 'StoreUnavailableError' }]);
      expect((await projectionItem(caseId))?.lastSeq).toBe(3);
      expect(await ledger.getCase(caseId)).toMatchObject({
        lastSeq: 4,
        deadlines: { answer: { revision: 1 } },
      });
      expect((await projectionItem(caseId))?.lastSeq).toBe(4);
    });

    it('keeps a new case out of the read model until its search terms are written, then repairs it', async () => {
      const caseId = randomUUID();
      const failures: ProjectionFailure[] = [];
      // A client that loses the search-term writes (one BatchWriteItem) to the cases table.
      const flaky = {
        send: (command: { input: { RequestItems?: Record<string, unknown> } }) =>
          command instanceof BatchWriteCommand &&
          command.input.RequestItems?.[dynamo.tables.cases] !== undefined
            ? Promise.reject(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }))
            : dynamo.client.send(command as never),
      } as unknown as DynamoDBDocumentClient;
      const degraded = new DynamoDbCaseLedger({
        client: flaky,
        tables: dynamo.tables,
        onProjectionFailure: (failure) => failures.push(failure),
      });
      const search = new DynamoDbCaseSearchIndex({ client: dynamo.client, tables: dynamo.tables });
      const requester = { name: `Zéphirine ${caseId.slice(0, 8)}`, language: 'fr' as const };

      const { event } = await degraded.append(caseId, receivedDraft({ requester }));
      const before = await projectionItem(caseId);
      const repaired = await ledger.getCase(caseId);
      const found = await search.casesWithTermPrefix(caseId.slice(0, 8), 10);

      expect(event.seq).toBe(1);
      expect(failures).toEqual([{ caseId, seq: 1, errorName: 'StoreUnavailableError' }]);
      // Had the read model been written, no read would have rewritten the terms.
      expect(before).toBeUndefined();
      expect(repaired?.lastSeq).toBe(1);
      expect(found.caseIds).toEqual([caseId]);
    });

    it('records the list partition a case enters before the case is in it', async () => {
      const caseId = await newCase();
      const unit = `unit-${caseId.slice(0, 8)}`;
      const partition = `OPEN#unit#${unit}`;
      const search = new DynamoDbCaseSearchIndex({ client: dynamo.client, tables: dynamo.tables });
      const listedWhenEntering: boolean[] = [];
      // Before the read model moves, look at the partitions a work list would read at that instant.
      const watching = {
        send: async (command: { input: { TableName?: string } }) => {
          if (command instanceof UpdateCommand && command.input.TableName === dynamo.tables.cases) {
            listedWhenEntering.push((await search.listPartitions('open')).includes(partition));
          }
          return dynamo.client.send(command as never);
        },
      } as unknown as DynamoDBDocumentClient;
      const watched = new DynamoDbCaseLedger({ client: watching, tables: dynamo.tables });

      await watched.append(caseId, {
        type: 'case.assigned',
        at: '2026-03-03T14:00:00.000Z',
        actor: SYSTEM,
        data: { unit },
      });

      expect(listedWhenEntering).toEqual([true]);
      expect((await projectionItem(caseId))?.listPartition).toBe(partition);
    });
  });
});
