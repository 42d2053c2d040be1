import { randomUUID } from 'node:crypto';

import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbCaseLedger } from '../../../shared/adapters/dynamodb/dynamodb-case-ledger';
import {
  FOLLOWING_ATTRIBUTE,
  SNAPSHOT_ATTRIBUTE,
  eventsOfItem,
} from '../../../shared/adapters/dynamodb/ledger-head';
import { DynamoDbLedgerItemReader } from '../../../shared/adapters/dynamodb/ledger-item-reader';
import type { EventDraft } from '../../../shared/domain/ledger/events';
import { ledgerItemsOf, startDynalite } from '../../support/dynalite';
import type { LocalDynamo } from '../../support/dynalite';
import { SYSTEM, lifecycleDrafts, receivedDraft } from '../../unit/ledger/fixtures';

/**
 * The readers that only need events read ledger items without their snapshots (`withEventAttributesOnly`,
 * `docs/write-path.md`, "Reading events without snapshots"): `CaseLedger.read`, the read of a replayed event and
 * `hashAt`, and the local mirror's item reader. They return exactly the events of a whole-item read, for items of
 * one event, a case's opening item and a command's item (`following`), and DynamoDB's answers hold no snapshot.
 */

let dynamo: LocalDynamo;

beforeAll(async () => {
  dynamo = await startDynalite();
});

afterAll(async () => {
  await dynamo.stop();
});

interface LedgerRead {
  readonly command: string;
  readonly projection: string | undefined;
  readonly items: readonly Record<string, unknown>[];
}

/** A client that keeps what each read of the ledger table asked and got back. */
function recording(reads: LedgerRead[]): DynamoDBDocumentClient {
  return {
    send: async (command: {
      constructor: { name: string };
      input: { TableName?: string; ProjectionExpression?: string };
    }) => {
      const output = (await dynamo.client.send(command as never)) as {
        Items?: Record<string, unknown>[];
        Item?: Record<string, unknown>;
      };
      const name = command.constructor.name;
      if (command.input.TableName === dynamo.tables.ledger && /^(Query|Get)Command$/.test(name)) {
        const items = output.Items ?? (output.Item !== undefined ? [output.Item] : []);
        reads.push({ command: name, projection: command.input.ProjectionExpression, items });
      }
      return output;
    },
  } as unknown as DynamoDBDocumentClient;
}

function stepDone(stepId: string): EventDraft {
  return { type: 'step.done', at: '2026-03-03T14:00:00.000Z', actor: SYSTEM, data: { stepId } };
}

/** Whole items of the case, snapshots included, as the verification reads them. */
function wholeItems(caseId: string): Promise<Record<string, unknown>[]> {
  return ledgerItemsOf(dynamo.client, dynamo.tables.ledger, caseId);
}

/**
 * A case of every kind of item: an opening item of three events, items of one event (with and without an
 * idempotency key), and a command's item of three events.
 */
async function caseOfEveryItem(ledger: DynamoDbCaseLedger): Promise<string> {
  const caseId = randomUUID();
  const [registered, planned] = lifecycleDrafts();
  await ledger.openCase(caseId, [
    { draft: receivedDraft(), idempotencyKey: 'intake:received' },
    { draft: registered!, idempotencyKey: 'intake:registered' },
    { draft: planned!, idempotencyKey: 'intake:planned' },
  ]);
  await ledger.append(caseId, stepDone('alone'), { idempotencyKey: 'step:alone' });
  await ledger.append(caseId, stepDone('unkeyed'));
  await ledger.appendAll(caseId, [
    { draft: stepDone('a'), idempotencyKey: 'step:a' },
    { draft: stepDone('b'), idempotencyKey: 'step:b' },
    { draft: stepDone('c') },
  ]);
  await ledger.append(caseId, stepDone('last'), { idempotencyKey: 'step:last' });
  return caseId;
}

function expectNoSnapshot(reads: readonly LedgerRead[]): void {
  expect(reads.length).toBeGreaterThan(0);
  for (const read of reads) {
    expect(read.projection).toBeDefined();
    expect(read.items.length).toBeGreaterThan(0);
    for (const item of read.items) expect(item).not.toHaveProperty(SNAPSHOT_ATTRIBUTE);
  }
}

describe('ledger reads of events without snapshots, on dynalite', () => {
  it('reads a case with `read` as a whole-item read does, without fetching the snapshots', async () => {
    const caseId = await caseOfEveryItem(
      new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables }),
    );
    const whole = await wholeItems(caseId);
    // Every item carries its snapshot; three of them hold several events.
    expect(whole.every((item) => item[SNAPSHOT_ATTRIBUTE] !== undefined)).toBe(true);
    expect(whole.filter((item) => item[FOLLOWING_ATTRIBUTE] !== undefined)).toHaveLength(2);
    const reads: LedgerRead[] = [];

    const events = await new DynamoDbCaseLedger({ client: recording(reads), tables: dynamo.tables }).read(
      caseId,
    );

    expect(events).toEqual(whole.flatMap(eventsOfItem));
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(reads.map((read) => read.command)).toEqual(['QueryCommand']);
    expectNoSnapshot(reads);
  });

  it('reads a replayed event and the hash at a seq from the item holding it, without its snapshot', async () => {
    const caseId = await caseOfEveryItem(
      new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables }),
    );
    const stored = (await wholeItems(caseId)).flatMap(eventsOfItem);
    const reads: LedgerRead[] = [];
    // Another instance, which remembers no head: each replay reads the head, then the item at or before its seq.
    const ledger = new DynamoDbCaseLedger({ client: recording(reads), tables: dynamo.tables });

    const replays = [
      // The opening's `case.registered` again (a retried intake), inside the opening item.
      await ledger.append(caseId, lifecycleDrafts()[0]!, { idempotencyKey: 'intake:registered' }),
      await ledger.append(caseId, stepDone('alone'), { idempotencyKey: 'step:alone' }),
      await ledger.append(caseId, stepDone('b'), { idempotencyKey: 'step:b' }),
    ];
    const eventReads = reads.filter((read) => read.projection !== undefined);
    const hashes = await Promise.all(stored.map((event) => ledger.hashAt(caseId, event.seq)));

    expect(replays.map((replay) => replay.appended)).toEqual([false, false, false]);
    expect(replays.map((replay) => replay.event)).toEqual([stored[1], stored[3], stored[6]]);
    expect(eventReads).toHaveLength(3);
    expect(hashes).toEqual(stored.map((event) => event.hash));
    expectNoSnapshot(reads.filter((read) => read.projection !== undefined));
    // The head reads, which need the snapshot, still read whole items.
    const headReads = reads.filter((read) => read.projection === undefined);
    expect(headReads.length).toBeGreaterThan(0);
    for (const read of headReads) expect(read.items[0]).toHaveProperty(SNAPSHOT_ATTRIBUTE);
  });

  it("reads each item's events for the local mirror as a whole-item read does, without the snapshot", async () => {
    const caseId = await caseOfEveryItem(
      new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables }),
    );
    const whole = await wholeItems(caseId);
    const reads: LedgerRead[] = [];
    const projected = new DynamoDbLedgerItemReader({
      client: recording(reads),
      tables: dynamo.tables,
      eventAttributesOnly: true,
    });
    const full = new DynamoDbLedgerItemReader({ client: dynamo.client, tables: dynamo.tables });

    for (const item of whole) {
      const seq = item['seq'] as number;
      expect(await projected.events(caseId, seq)).toEqual(await full.events(caseId, seq));
      expect(await projected.events(caseId, seq)).toEqual(eventsOfItem(item));
    }
    expect(reads.map((read) => read.command)).toEqual(whole.flatMap(() => ['GetCommand', 'GetCommand']));
    expectNoSnapshot(reads);
  });

  it('leaves out an attribute added to an item, which the whole-item verification reports', async () => {
    const ledger = new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables });
    const caseId = await caseOfEveryItem(ledger);
    const before = await ledger.read(caseId);
    await dynamo.client.send(
      new UpdateCommand({
        TableName: dynamo.tables.ledger,
        Key: { caseId, seq: 4 },
        UpdateExpression: 'SET #approvedBy = :someone',
        ExpressionAttributeNames: { '#approvedBy': 'approvedBy' },
        ExpressionAttributeValues: { ':someone': 'agent-x' },
      }),
    );

    expect(await ledger.read(caseId)).toEqual(before);
    expect(await ledger.verifyChain(caseId)).toEqual({ ok: false, seq: 4, problem: 'hash-mismatch' });
  });
});
