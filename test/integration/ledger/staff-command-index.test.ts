import { randomUUID } from 'node:crypto';

import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbCaseLedger } from '../../../shared/adapters/dynamodb/dynamodb-case-ledger';
import {
  SNAPSHOT_ATTRIBUTE,
  eventsOfItem,
  keysOf,
  toLedgerItem,
} from '../../../shared/adapters/dynamodb/ledger-head';
import { acknowledge, addNote } from '../../../shared/domain/case/commands';
import type { EventDraft, LedgerEvent } from '../../../shared/domain/ledger/events';
import { indexAfter } from '../../../shared/domain/ledger/ledger-index';
import { projectCase } from '../../../shared/domain/ledger/projection';
import { IdempotencyKeyReuseError } from '../../../shared/errors';
import { countingClient, ledgerItemsOf, startDynalite } from '../../support/dynalite';
import type { LocalDynamo } from '../../support/dynalite';
import { AGENT, harness } from '../../unit/commands/fixtures';

let dynamo: LocalDynamo;

beforeAll(async () => {
  dynamo = await startDynalite();
});

afterAll(async () => {
  await dynamo.stop();
});

/**
 * A new adapter instance (another Lambda instance: it remembers no head), logging its ledger requests: a Query
 * of the head (`Limit` 1) is `head`, of the whole ledger `whole`.
 */
function instance(calls: string[] = [], inner: DynamoDBDocumentClient = dynamo.client): DynamoDbCaseLedger {
  const client = countingClient(inner, calls, (command) => {
    if (command.input.TableName !== dynamo.tables.ledger) return undefined;
    const name = command.constructor.name;
    return name === 'QueryCommand' ? (command.input.Limit === 1 ? 'head' : 'whole') : name;
  });
  return new DynamoDbCaseLedger({ client, tables: dynamo.tables, retry: { maxAttempts: 60 } });
}

/** A case of the command tests (received, registered, planned, assigned), stored on dynalite. */
async function seeded(): Promise<{ caseId: string; deps: (ledger: DynamoDbCaseLedger) => CommandDepsOf }> {
  const h = harness();
  const caseId = await h.seed({ caseId: `case-${randomUUID()}` });
  const ledger = instance();
  for (const { type, at, actor, data, idempotencyKey } of await h.ledger.read(caseId))
    await ledger.append(caseId, { type, at, actor, data } as EventDraft, {
      ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
    });
  return { caseId, deps: (other) => ({ ...h.deps, ledger: other }) };
}

type CommandDepsOf = Parameters<typeof acknowledge>[0];

/** A client whose ledger puts fail (a throttled or lost write), everything else going through. */
function failingLedgerPuts(): DynamoDBDocumentClient {
  return {
    send: (command: { constructor: { name: string }; input: { TableName?: string } }) => {
      if (command.constructor.name === 'PutCommand' && command.input.TableName === dynamo.tables.ledger)
        return Promise.reject(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
      return dynamo.client.send(command as never);
    },
  } as unknown as DynamoDBDocumentClient;
}

function items(caseId: string): Promise<Record<string, unknown>[]> {
  return ledgerItemsOf(dynamo.client, dynamo.tables.ledger, caseId);
}

/** Rewrites the head item as the adapter wrote it before snapshots held the case's index. */
async function toOldFormat(caseId: string): Promise<void> {
  const stored = await items(caseId);
  const events = stored.flatMap(eventsOfItem) as LedgerEvent[];
  const held = eventsOfItem(stored.at(-1)!) as [LedgerEvent, ...LedgerEvent[]];
  const item = toLedgerItem(held, { projection: projectCase(events)!, keys: keysOf(events) });
  await dynamo.client.send(new PutCommand({ TableName: dynamo.tables.ledger, Item: item }));
}

describe('staff commands from the head on dynalite', () => {
  it('reads the case from its head and writes once, reading the whole ledger only to replay', async () => {
    const { caseId, deps } = await seeded();
    const first: string[] = [];
    const retry: string[] = [];
    const reuse: string[] = [];

    const noted = await addNote(
      deps(instance(first)),
      AGENT,
      { caseId, text: 'Appel.' },
      { idempotencyKey: 'k1' },
    );
    const again = await addNote(
      deps(instance(retry)),
      AGENT,
      { caseId, text: 'Appel.' },
      { idempotencyKey: 'k1' },
    );
    const refused = addNote(
      deps(instance(reuse)),
      AGENT,
      { caseId, text: 'Autre.' },
      { idempotencyKey: 'k1' },
    );

    await expect(refused).rejects.toBeInstanceOf(IdempotencyKeyReuseError);
    expect(noted).toMatchObject({ replayed: false, seq: 5 });
    expect(again).toEqual({ ...noted, replayed: true });
    // `getCase` reads the head (and the read model); the command's keys come from that head; one put.
    expect(first).toEqual(['head', 'PutCommand']);
    expect(retry).toEqual(['head', 'whole']);
    expect(reuse).toEqual(['head']);
    expect((await instance().read(caseId)).map((event) => event.type).slice(4)).toEqual(['case.noted']);
  });

  it('tells a retry from a new note without a client key, from the head alone', async () => {
    const { caseId, deps } = await seeded();
    const note = (text: string) => addNote(deps(instance()), AGENT, { caseId, text });

    const a = await note('A');
    const retried = await note('A');
    const b = await note('B');
    const aAgain = await note('A');

    expect([a.replayed, retried.replayed, b.replayed, aAgain.replayed]).toEqual([false, true, false, false]);
    expect(retried.seq).toBe(a.seq);
    expect((await instance().read(caseId)).filter((event) => event.type === 'case.noted')).toHaveLength(3);
  });

  it('reads the whole ledger for a head written before snapshots held the index, then writes it on', async () => {
    const { caseId, deps } = await seeded();
    const noted = await addNote(
      deps(instance()),
      AGENT,
      { caseId, text: 'Appel.' },
      { idempotencyKey: 'k1' },
    );
    await toOldFormat(caseId);
    const calls: string[] = [];

    const again = await addNote(
      deps(instance(calls)),
      AGENT,
      { caseId, text: 'Appel.' },
      { idempotencyKey: 'k1' },
    );
    const next = await addNote(deps(instance()), AGENT, { caseId, text: 'Suite.' }, { idempotencyKey: 'k2' });
    const after: string[] = [];
    await addNote(deps(instance(after)), AGENT, { caseId, text: 'Fin.' }, { idempotencyKey: 'k3' });

    expect(again).toEqual({ ...noted, replayed: true });
    // The index rebuilt from the whole ledger, which is read again for the replayed event (once per case).
    expect(calls).toEqual(['head', 'whole', 'whole']);
    expect(next).toMatchObject({ replayed: false, seq: 6 });
    expect((await items(caseId)).at(-1)![SNAPSHOT_ATTRIBUTE]).toHaveProperty('unkeyed');
    expect(after).toEqual(['head', 'PutCommand']);
    expect(await instance().verifyChain(caseId)).toEqual({ ok: true });
  });

  it('completes an acknowledgement whose item failed, then replays it, each key once', async () => {
    const { caseId, deps } = await seeded();
    const input = { caseId, answerBy: '2026-03-20' };
    const failing = instance([], failingLedgerPuts());

    await expect(acknowledge(deps(failing), AGENT, input)).rejects.toMatchObject({
      name: 'StoreUnavailableError',
    });
    const completed = await acknowledge(deps(instance()), AGENT, input);
    const replayed = await acknowledge(deps(instance()), AGENT, input);

    expect([completed.replayed, replayed.replayed]).toEqual([false, true]);
    expect(replayed.answerDeadline).toEqual(completed.answerDeadline);
    const events = await instance().read(caseId);
    expect(events.slice(4).map((event) => event.type)).toEqual([
      'message.sent',
      'case.acknowledged',
      'deadline.planned',
    ]);
  });

  it('records one acknowledgement for 6 instances running the same request at once', async () => {
    const { caseId, deps } = await seeded();
    const input = { caseId, answerBy: '2026-03-20' };

    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => acknowledge(deps(instance()), AGENT, input)),
    );

    // One records; the others, whenever they read the case, replay it: none is refused as a second one.
    expect(results.map((result) => result.status)).toEqual(results.map(() => 'fulfilled'));
    const replayed = results.map((result) => result.status === 'fulfilled' && result.value.replayed);
    expect(replayed.filter((flag) => !flag)).toHaveLength(1);
    const events = await instance().read(caseId);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(events.slice(4).map((event) => event.type)).toEqual([
      'message.sent',
      'case.acknowledged',
      'deadline.planned',
    ]);
    expect(await instance().verifyChain(caseId)).toEqual({ ok: true });
  });

  it('answers the index from memory only for the head the caller read', async () => {
    const { caseId } = await seeded();
    const calls: string[] = [];
    const ledger = instance(calls);
    const projection = (await ledger.getCase(caseId))!;
    await instance().append(caseId, {
      type: 'case.noted',
      at: projection.lastEventAt,
      actor: AGENT_ACTOR,
      data: { text: 'x' },
    });
    calls.length = 0;

    const remembered = await ledger.readIndex(caseId, { seq: projection.lastSeq, hash: projection.lastHash });
    const stale = calls.length;
    const fresh = await ledger.readIndex(caseId);

    const events = await instance().read(caseId);
    expect(stale).toBe(0);
    expect(remembered).toEqual(indexAfter(undefined, events.slice(0, projection.lastSeq)));
    expect(calls).toEqual(['head']);
    expect(fresh).toEqual(indexAfter(undefined, events));
    expect(fresh?.unkeyed['case.noted']).toBe(projection.lastSeq + 1);
  });
});

const AGENT_ACTOR = { kind: 'staff', id: AGENT.id, role: 'agent' } as const;
