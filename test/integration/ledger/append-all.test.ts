import { randomUUID } from 'node:crypto';

import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbCaseLedger } from '../../../shared/adapters/dynamodb/dynamodb-case-ledger';
import { FOLLOWING_ATTRIBUTE, eventsOfItem } from '../../../shared/adapters/dynamodb/ledger-head';
import { sealEvent } from '../../../shared/domain/ledger/chain';
import type { KeyedDraft } from '../../../shared/domain/ledger/chain';
import type { EventDraft, LedgerEvent } from '../../../shared/domain/ledger/events';
import { projectCase } from '../../../shared/domain/ledger/projection';
import { IdempotencyKeyConflictError, ValidationError } from '../../../shared/errors';
import { ledgerItemsOf, startDynalite } from '../../support/dynalite';
import type { LocalDynamo } from '../../support/dynalite';
import { SYSTEM, receivedDraft } from '../../unit/ledger/fixtures';

let dynamo: LocalDynamo;

beforeAll(async () => {
  dynamo = await startDynalite();
});

afterAll(async () => {
  await dynamo.stop();
});

/** A new adapter instance (another Lambda instance: it remembers no head). */
function instance(client: DynamoDBDocumentClient = dynamo.client): DynamoDbCaseLedger {
  return new DynamoDbCaseLedger({ client, tables: dynamo.tables, retry: { maxAttempts: 60 } });
}

function step(stepId: string): EventDraft {
  return { type: 'step.done', at: '2026-03-03T14:00:00.000Z', actor: SYSTEM, data: { stepId } };
}

function keyed(stepId: string): KeyedDraft {
  return { draft: step(stepId), idempotencyKey: stepId };
}

async function newCase(ledger: DynamoDbCaseLedger): Promise<string> {
  const caseId = randomUUID();
  await ledger.append(caseId, receivedDraft(), { idempotencyKey: 'received' });
  return caseId;
}

function items(caseId: string): Promise<Record<string, unknown>[]> {
  return ledgerItemsOf(dynamo.client, dynamo.tables.ledger, caseId);
}

/** A client whose ledger puts fail (a throttled or lost write), everything else going through. */
function failingPuts(): DynamoDBDocumentClient {
  return {
    send: (command: { constructor: { name: string }; input: { TableName?: string } }) => {
      if (command.constructor.name === 'PutCommand' && command.input.TableName === dynamo.tables.ledger) {
        return Promise.reject(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
      }
      return dynamo.client.send(command as never);
    },
  } as unknown as DynamoDBDocumentClient;
}

describe('CaseLedger.appendAll on dynalite', () => {
  it('puts several events as one item at the head + 1, each sealed as if appended alone', async () => {
    const ledger = instance();
    const caseId = await newCase(ledger);
    const [received] = await ledger.read(caseId);

    const result = await ledger.appendAll(caseId, [keyed('a'), keyed('b'), { draft: step('c') }]);

    // The same events as three appends one after the other would have sealed.
    const alone: LedgerEvent[] = [];
    for (const entry of [keyed('a'), keyed('b'), { draft: step('c') } as KeyedDraft])
      alone.push(sealEvent(caseId, alone.at(-1) ?? received, entry.draft, entry.idempotencyKey));
    const events = await ledger.read(caseId);
    expect(events.slice(1)).toEqual(alone);
    expect(result.results.map((entry) => [entry.appended, entry.event])).toEqual(
      alone.map((event) => [true, event]),
    );
    expect(result.projection).toEqual(projectCase(events));
    const stored = await items(caseId);
    expect(stored.map((item) => item.seq)).toEqual([1, 2]);
    expect(eventsOfItem(stored[1]!)).toEqual(alone);
    expect(stored[1]![FOLLOWING_ATTRIBUTE]).toHaveLength(2);
    expect(await ledger.verifyChain(caseId)).toEqual({ ok: true });
    // Another instance reads the head (the item's last event) and each event inside the item.
    const other = instance();
    expect(await other.getCase(caseId)).toMatchObject({ lastSeq: 4, stepsDone: ['a', 'b', 'c'] });
    expect(await other.hashAt(caseId, 3)).toBe(alone[1]!.hash);
    const { Item } = await dynamo.client.send(
      new GetCommand({ TableName: dynamo.tables.cases, Key: { caseId }, ConsistentRead: true }),
    );
    expect(Item).toMatchObject({ lastSeq: 4 });
    const next = await other.append(caseId, step('d'), { idempotencyKey: 'd' });
    expect(next.event).toMatchObject({ seq: 5, prevHash: alone[2]!.hash });
  });

  it('records none of the events when the put fails, and all of them on the retry', async () => {
    const ledger = instance();
    const caseId = await newCase(ledger);

    await expect(instance(failingPuts()).appendAll(caseId, [keyed('a'), keyed('b')])).rejects.toMatchObject({
      name: 'StoreUnavailableError',
    });
    expect((await ledger.read(caseId)).map((event) => event.seq)).toEqual([1]);

    const retried = await instance().appendAll(caseId, [keyed('a'), keyed('b')]);
    expect(retried.results.map((entry) => entry.appended)).toEqual([true, true]);
    expect((await ledger.read(caseId)).map((event) => event.idempotencyKey)).toEqual(['received', 'a', 'b']);
  });

  it('replays what a previous run recorded and appends only what is missing', async () => {
    const ledger = instance();
    const caseId = await newCase(ledger);
    // A run that crashed after its first event (appended alone, as before items of several events).
    const first = await ledger.append(caseId, step('a'), { idempotencyKey: 'a' });

    const resumed = await instance().appendAll(caseId, [keyed('a'), keyed('b'), keyed('c')]);
    expect(resumed.results.map((entry) => [entry.appended, entry.event.seq])).toEqual([
      [false, 2],
      [true, 3],
      [true, 4],
    ]);
    expect(resumed.results[0]!.event).toEqual(first.event);

    // Run again after it completed (a crash before the command answered): nothing is written.
    const again = await instance().appendAll(caseId, [keyed('a'), keyed('b'), keyed('c')]);
    expect(again.results.map((entry) => [entry.appended, entry.event.seq])).toEqual([
      [false, 2],
      [false, 3],
      [false, 4],
    ]);
    expect(again.results.map((entry) => entry.event)).toEqual((await ledger.read(caseId)).slice(1));
    expect((await items(caseId)).map((item) => item.seq)).toEqual([1, 2, 3]);
    expect(await ledger.verifyChain(caseId)).toEqual({ ok: true });
  });

  it('refuses a key recorded for another type, and two drafts with one key, writing nothing', async () => {
    const ledger = instance();
    const caseId = await newCase(ledger);
    await ledger.append(caseId, step('a'), { idempotencyKey: 'a' });

    await expect(
      instance().appendAll(caseId, [{ draft: receivedDraft(), idempotencyKey: 'a' }, keyed('b')]),
    ).rejects.toBeInstanceOf(IdempotencyKeyConflictError);
    await expect(
      ledger.appendAll(caseId, [keyed('b'), { draft: step('c'), idempotencyKey: 'b' }]),
    ).rejects.toBeInstanceOf(ValidationError);
    const invalid = { draft: { ...step('c'), at: 'yesterday' } as EventDraft, idempotencyKey: 'c' };
    await expect(ledger.appendAll(caseId, [keyed('b'), invalid])).rejects.toBeInstanceOf(ValidationError);
    expect(await ledger.read(caseId)).toHaveLength(2);
  });

  it('lets concurrent appendAll and append calls on one case each land once, chained, nothing lost', async () => {
    const caseId = await newCase(instance());
    const calls = Array.from({ length: 12 }, (_, i) =>
      i % 3 === 0
        ? instance().append(caseId, step(`single-${i}`), { idempotencyKey: `single-${i}` })
        : instance().appendAll(caseId, [keyed(`item-${i}-a`), keyed(`item-${i}-b`), keyed(`item-${i}-c`)]),
    );
    // The same items again, racing with the first: replays, not second copies.
    const twins = [1, 2, 4].map((i) =>
      instance().appendAll(caseId, [keyed(`item-${i}-a`), keyed(`item-${i}-b`), keyed(`item-${i}-c`)]),
    );

    await Promise.all([...calls, ...twins]);

    const events = await instance().read(caseId);
    const keys = events.map((event) => event.idempotencyKey);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(1 + 4 + 8 * 3);
    // Each item holds its command's events together, in order.
    for (const item of await items(caseId)) {
      const held = eventsOfItem(item).map((event) => event.idempotencyKey!);
      if (held.length > 1) expect(held.map((key) => key.slice(-1))).toEqual(['a', 'b', 'c']);
    }
    expect(await instance().verifyChain(caseId)).toEqual({ ok: true });
    expect(await instance().getCase(caseId)).toMatchObject({ lastSeq: events.length });
  });
});
