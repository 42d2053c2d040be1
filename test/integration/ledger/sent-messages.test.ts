import { randomUUID } from 'node:crypto';

import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

import { DynamoDbCaseLedger } from '../../../shared/adapters/dynamodb/dynamodb-case-ledger';
import {
  SNAPSHOT_ATTRIBUTE,
  eventsOfItem,
  keysOf,
  toLedgerItem,
} from '../../../shared/adapters/dynamodb/ledger-head';
import type { EventDraft, LedgerEvent } from '../../../shared/domain/ledger/events';
import { projectCase } from '../../../shared/domain/ledger/projection';
import { recordMailReport } from '../../../shared/domain/messaging/mail-events';
import type { MailReport } from '../../../shared/domain/messaging/mail-events';
import { byTable, countingClient, ledgerItemsOf, startDynalite } from '../../support/dynalite';
import type { LocalDynamo } from '../../support/dynalite';
import { SYSTEM, receivedDraft } from '../../unit/ledger/fixtures';

let dynamo: LocalDynamo;

beforeAll(async () => {
  dynamo = await startDynalite();
});

afterAll(async () => {
  await dynamo.stop();
});

const AT = '2026-03-02T14:00:00.000Z';
const clock = { now: () => new Date('2026-03-02T15:00:00.000Z') };

/** A new adapter instance (another Lambda instance: it remembers no head), counting its requests. */
function instance(calls: string[] = []): DynamoDbCaseLedger {
  const client = countingClient(dynamo.client, calls, byTable(dynamo.tables));
  return new DynamoDbCaseLedger({ client, tables: dynamo.tables, retry: { maxAttempts: 60 } });
}

function sent(messageId: string, recipient: 'requester' | 'staff' = 'requester'): EventDraft {
  return {
    type: 'message.sent',
    at: AT,
    actor: SYSTEM,
    data: { messageId, purpose: recipient === 'requester' ? 'acknowledgement' : 'reminder', recipient },
  };
}

function step(stepId: string): EventDraft {
  return { type: 'step.done', at: AT, actor: SYSTEM, data: { stepId } };
}

const bounce = (caseId: string, messageId: string, reportKey = 'feedback-1'): MailReport => ({
  kind: 'bounce',
  messageId,
  caseId,
  reportedAt: '2026-03-02T14:00:05.000Z',
  reportKey,
  bounceType: 'permanent',
});

async function newCase(ledger: DynamoDbCaseLedger): Promise<string> {
  const caseId = randomUUID();
  await ledger.append(caseId, receivedDraft(), { idempotencyKey: 'received' });
  return caseId;
}

function items(caseId: string): Promise<Record<string, unknown>[]> {
  return ledgerItemsOf(dynamo.client, dynamo.tables.ledger, caseId);
}

/**
 * Rewrites the head item as the adapter wrote it before snapshots listed messages: the same event with a snapshot
 * of the projection and keys alone, sealed with the hash of that time.
 */
async function toOldFormat(caseId: string): Promise<void> {
  const stored = await items(caseId);
  const events = stored.flatMap(eventsOfItem) as LedgerEvent[];
  const head = stored.at(-1)!;
  const held = eventsOfItem(head) as [LedgerEvent, ...LedgerEvent[]];
  const item = toLedgerItem(held, { projection: projectCase(events)!, keys: keysOf(events) });
  expect(item[SNAPSHOT_ATTRIBUTE]).not.toHaveProperty('messages');
  await dynamo.client.send(new PutCommand({ TableName: dynamo.tables.ledger, Item: item }));
}

describe('CaseLedger.findSentMessage on dynalite', () => {
  it('answers from the head item alone, and the report recorded after it reads nothing more', async () => {
    const writer = instance();
    const caseId = await newCase(writer);
    await writer.append(caseId, sent('ses-ack'), { idempotencyKey: 'ack' });
    await writer.appendAll(caseId, [
      { draft: sent('ses-staff', 'staff'), idempotencyKey: 'notify' },
      { draft: step('notify'), idempotencyKey: 'notify:done' },
    ]);
    const calls: string[] = [];
    const ledger = instance(calls);

    const found = await ledger.findSentMessage(caseId, 'ses-staff');
    const outcome = await recordMailReport({ ledger, clock }, bounce(caseId, 'ses-ack'));

    expect(found).toEqual({
      found: true,
      message: { messageId: 'ses-staff', seq: 3, recipient: 'staff', purpose: 'reminder' },
    });
    expect(outcome).toEqual({ outcome: 'recorded', caseId, type: 'message.bounced' });
    expect(calls.filter((call) => call.startsWith('ledger:'))).toEqual([
      'ledger:QueryCommand',
      'ledger:PutCommand',
    ]);
    const recorded = (await writer.read(caseId)).at(-1);
    expect(recorded).toMatchObject({
      seq: 5,
      type: 'message.bounced',
      data: { messageId: 'ses-ack', recipient: 'requester', purpose: 'acknowledgement' },
    });
    expect(await writer.verifyChain(caseId)).toEqual({ ok: true });
  });

  it('tells an unknown case from an unknown message, and finds a message another instance recorded since', async () => {
    const calls: string[] = [];
    const ledger = instance(calls);
    const caseId = await newCase(ledger);

    expect(await ledger.findSentMessage(randomUUID(), 'ses-ack')).toEqual({
      found: false,
      why: 'unknown-case',
    });
    // The report came before the message's record: nothing is recorded.
    expect(await recordMailReport({ ledger, clock }, bounce(caseId, 'ses-ack'))).toEqual({
      outcome: 'unmatched',
      why: 'unknown-message',
    });
    // Another instance records the message; this one remembers the head from before it.
    await instance().append(caseId, sent('ses-ack'), { idempotencyKey: 'ack' });
    calls.length = 0;
    const again = await recordMailReport({ ledger, clock }, bounce(caseId, 'ses-ack'));
    const requests = calls.filter((call) => call.startsWith('ledger:'));

    expect(again).toEqual({ outcome: 'recorded', caseId, type: 'message.bounced' });
    expect((await ledger.read(caseId)).map((event) => event.type)).toEqual([
      'case.received',
      'message.sent',
      'message.bounced',
    ]);
    // Looked for afresh (the head it remembered lacks the message), then chained on that read.
    expect(requests).toEqual(['ledger:QueryCommand', 'ledger:PutCommand']);
  });

  it('reads the whole ledger for a head written before snapshots listed messages, then writes them on', async () => {
    const writer = instance();
    const caseId = await newCase(writer);
    await writer.append(caseId, sent('ses-ack'), { idempotencyKey: 'ack' });
    await writer.append(caseId, step('routed'), { idempotencyKey: 'routed' });
    await toOldFormat(caseId);
    // An older adapter's item is still a head with an intact snapshot: a case read serves it.
    expect(await instance().getCase(caseId)).toMatchObject({ lastSeq: 3 });

    const calls: string[] = [];
    const ledger = instance(calls);
    const outcome = await recordMailReport({ ledger, clock }, bounce(caseId, 'ses-ack'));

    expect(outcome).toEqual({ outcome: 'recorded', caseId, type: 'message.bounced' });
    expect(calls.filter((call) => call.startsWith('ledger:'))).toEqual([
      'ledger:QueryCommand',
      'ledger:QueryCommand',
      'ledger:PutCommand',
    ]);
    // The new head lists every message of the case, the old ones too: the next instance reads it alone.
    expect((await items(caseId)).at(-1)![SNAPSHOT_ATTRIBUTE]).toMatchObject({
      messages: [{ messageId: 'ses-ack', seq: 2, recipient: 'requester', purpose: 'acknowledgement' }],
    });
    const next: string[] = [];
    expect(await instance(next).findSentMessage(caseId, 'ses-ack')).toMatchObject({ found: true });
    expect(next).toEqual(['ledger:QueryCommand']);
    expect(await writer.verifyChain(caseId)).toEqual({ ok: true });
  });

  it('does not carry on a snapshot without messages that a case read remembered', async () => {
    const writer = instance();
    const caseId = await newCase(writer);
    await writer.append(caseId, sent('ses-ack'), { idempotencyKey: 'ack' });
    await toOldFormat(caseId);
    const ledger = instance();
    // The case read remembers the old head (and the read model standing at it).
    await ledger.getCase(caseId);

    await ledger.append(caseId, sent('ses-answer'), { idempotencyKey: 'answer' });

    expect((await items(caseId)).at(-1)![SNAPSHOT_ATTRIBUTE]).toMatchObject({
      messages: [{ messageId: 'ses-ack' }, { messageId: 'ses-answer' }],
    });
    expect(await instance().findSentMessage(caseId, 'ses-ack')).toMatchObject({ found: true });
  });

  it('does not trust a list of messages altered in place', async () => {
    const writer = instance();
    const caseId = await newCase(writer);
    await writer.append(caseId, sent('ses-ack'), { idempotencyKey: 'ack' });
    await dynamo.client.send(
      new UpdateCommand({
        TableName: dynamo.tables.ledger,
        Key: { caseId, seq: 2 },
        UpdateExpression: 'SET #snapshot.#messages[0].#recipient = :staff',
        ExpressionAttributeNames: {
          '#snapshot': 'snapshot',
          '#messages': 'messages',
          '#recipient': 'recipient',
        },
        ExpressionAttributeValues: { ':staff': 'staff' },
      }),
    );

    const found = await instance().findSentMessage(caseId, 'ses-ack');

    expect(found).toEqual({
      found: true,
      message: { messageId: 'ses-ack', seq: 2, recipient: 'requester', purpose: 'acknowledgement' },
    });
  });

  it('records a report once when it is delivered to 8 instances at once, beside other commands', async () => {
    const caseId = await newCase(instance());
    await instance().append(caseId, sent('ses-ack'), { idempotencyKey: 'ack' });
    await instance().append(caseId, sent('ses-staff', 'staff'), { idempotencyKey: 'notify' });

    const outcomes = await Promise.all([
      ...Array.from({ length: 8 }, () =>
        recordMailReport({ ledger: instance(), clock }, bounce(caseId, 'ses-ack')),
      ),
      ...Array.from({ length: 3 }, (_, i) =>
        recordMailReport({ ledger: instance(), clock }, bounce(caseId, 'ses-staff', `staff-${i}`)),
      ),
      ...Array.from({ length: 4 }, (_, i) =>
        instance().append(caseId, step(`step-${i}`), { idempotencyKey: `step-${i}` }),
      ),
    ]);

    const reports = outcomes.slice(0, 8).map((outcome) => (outcome as { outcome: string }).outcome);
    expect(reports.filter((outcome) => outcome === 'recorded')).toHaveLength(1);
    expect(reports.filter((outcome) => outcome === 'already-recorded')).toHaveLength(7);
    const events = await instance().read(caseId);
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(events.filter((event) => event.type === 'message.bounced')).toHaveLength(1 + 3);
    expect(await instance().verifyChain(caseId)).toEqual({ ok: true });
    const projection = await instance().getCase(caseId);
    expect(projection).toMatchObject({ lastSeq: 3 + 1 + 3 + 4 });
    // The requester's bounced message is the staff's task; the staff's bounces are not.
    expect(projection?.undeliveredMessages).toEqual([
      expect.objectContaining({ messageId: 'ses-ack', purpose: 'acknowledgement', outcome: 'bounced' }),
    ]);
  });
});
