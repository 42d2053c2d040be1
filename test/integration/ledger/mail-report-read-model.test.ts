import { randomUUID } from 'node:crypto';

import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbCaseLedger } from '../../../shared/adapters/dynamodb/dynamodb-case-ledger';
import { LedgerIntegrityError } from '../../../shared/errors';
import { DynamoDbCaseQueries } from '../../../shared/adapters/dynamodb/dynamodb-case-queries';
import { showsSameCase } from '../../../shared/adapters/dynamodb/projection-item';
import type { EventDraft } from '../../../shared/domain/ledger/events';
import { projectCase } from '../../../shared/domain/ledger/projection';
import type { CaseProjection } from '../../../shared/domain/ledger/projection';
import { recordMailReport } from '../../../shared/domain/messaging/mail-events';
import type { MailReport } from '../../../shared/domain/messaging/mail-events';
import { byTable, countingClient, startDynalite } from '../../support/dynalite';
import type { LocalDynamo } from '../../support/dynalite';
import { SYSTEM, receivedDraft } from '../../unit/ledger/fixtures';

/**
 * The mail service's reports write the read model only when they change what it shows
 * (`AppendOptions.readModelIfChanged`, `docs/write-path.md`, "Mail reports and the directory"): a delivery
 * report costs its head read and its put, a bounce that makes the "reach the requester" task writes the read
 * model too, and a read model left at an earlier seq is served as it is, not repaired.
 */
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
  return new DynamoDbCaseLedger({ client, tables: dynamo.tables });
}

function sent(messageId: string, recipient: 'requester' | 'staff' = 'requester'): EventDraft {
  return {
    type: 'message.sent',
    at: AT,
    actor: SYSTEM,
    data: { messageId, purpose: recipient === 'requester' ? 'acknowledgement' : 'reminder', recipient },
  };
}

function assigned(assignee: string): EventDraft {
  return { type: 'case.assigned', at: AT, actor: SYSTEM, data: { unit: 'dgrh-statistiques', assignee } };
}

const delivery = (caseId: string, messageId: string, reportKey = 'delivered-1'): MailReport => ({
  kind: 'delivery',
  messageId,
  caseId,
  reportedAt: '2026-03-02T14:00:05.000Z',
  reportKey,
});

const bounce = (caseId: string, messageId: string): MailReport => ({
  kind: 'bounce',
  messageId,
  caseId,
  reportedAt: '2026-03-02T14:00:06.000Z',
  reportKey: 'feedback-1',
  bounceType: 'permanent',
});

/** A case received, with a message to the requester and one to staff, written by one instance. */
async function caseWithMessages(): Promise<string> {
  const writer = instance();
  const caseId = randomUUID();
  await writer.append(caseId, receivedDraft(), { idempotencyKey: 'received' });
  await writer.append(caseId, sent('ses-ack'), { idempotencyKey: 'ack' });
  await writer.append(caseId, sent('ses-staff', 'staff'), { idempotencyKey: 'notify' });
  return caseId;
}

/** The `cases` item as stored. */
async function readModelItem(caseId: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await dynamo.client.send(
    new GetCommand({ TableName: dynamo.tables.cases, Key: { caseId }, ConsistentRead: true }),
  );
  return Item;
}

/** The case as its whole ledger folds it. */
async function folded(caseId: string): Promise<CaseProjection> {
  return projectCase(await instance().read(caseId))!;
}

/** The case as the staff work list shows it. */
async function listed(caseId: string): Promise<CaseProjection | undefined> {
  const open = await new DynamoDbCaseQueries({ client: dynamo.client, tables: dynamo.tables }).listOpenCases({
    asOf: clock.now(),
  });
  return open.find((item) => item.caseId === caseId);
}

describe('mail reports and the read model on dynalite', () => {
  it('records a delivery report with one head read and one put: no read model, no search terms', async () => {
    const caseId = await caseWithMessages();
    const calls: string[] = [];

    const outcome = await recordMailReport({ ledger: instance(calls), clock }, delivery(caseId, 'ses-ack'));

    expect(outcome).toEqual({ outcome: 'recorded', caseId, type: 'message.delivered' });
    expect(calls).toEqual(['ledger:QueryCommand', 'ledger:PutCommand']);
    expect(await readModelItem(caseId)).toMatchObject({ lastSeq: 3 });
    expect((await folded(caseId)).lastSeq).toBe(4);
  });

  it('serves the case page and the work list after a delivery report, without repairing the read model', async () => {
    const caseId = await caseWithMessages();
    await recordMailReport({ ledger: instance(), clock }, delivery(caseId, 'ses-ack'));
    await recordMailReport({ ledger: instance(), clock }, delivery(caseId, 'ses-staff'));
    const calls: string[] = [];
    const reader = instance(calls);

    const page = await reader.getCase(caseId);
    const again = await reader.getCase(caseId);
    const fromAnother = await instance().getCase(caseId);

    // The case as the ledger holds it at its head (seq 5), the read model still at seq 3.
    expect(page).toEqual(await folded(caseId));
    expect(again).toEqual(page);
    expect(fromAnother).toEqual(page);
    // Read model and head together, then the head alone: no whole-ledger read, no write.
    expect(calls).toEqual(['cases:GetCommand', 'ledger:QueryCommand', 'ledger:QueryCommand']);
    expect(await readModelItem(caseId)).toMatchObject({ lastSeq: 3 });
    const inList = await listed(caseId);
    expect(inList?.lastSeq).toBe(3);
    expect(showsSameCase(inList!, page!)).toBe(true);
  });

  it('writes the read model for a bounce that makes the requester a task, and for the delivery that settles it', async () => {
    const caseId = await caseWithMessages();
    const bounced: string[] = [];
    const settled: string[] = [];

    await recordMailReport({ ledger: instance(bounced), clock }, bounce(caseId, 'ses-ack'));
    const afterBounce = await listed(caseId);
    await recordMailReport({ ledger: instance(settled), clock }, delivery(caseId, 'ses-ack', 'later'));

    expect(bounced).toContain('cases:UpdateCommand');
    expect(afterBounce).toMatchObject({
      lastSeq: 4,
      undeliveredMessages: [{ messageId: 'ses-ack', outcome: 'bounced' }],
    });
    expect(settled).toContain('cases:UpdateCommand');
    expect(await readModelItem(caseId)).toMatchObject({ lastSeq: 5 });
    expect(await listed(caseId)).not.toHaveProperty('undeliveredMessages');
    expect(await instance().getCase(caseId)).toEqual(await folded(caseId));
  });

  it('accepts the read model of a later command over one a report left behind', async () => {
    const caseId = await caseWithMessages();
    await recordMailReport({ ledger: instance(), clock }, delivery(caseId, 'ses-ack'));
    const calls: string[] = [];

    await instance(calls).append(caseId, assigned('agent-roy'), { idempotencyKey: 'assign' });

    expect(calls.filter((call) => call === 'cases:UpdateCommand')).toHaveLength(1);
    expect(await readModelItem(caseId)).toMatchObject({ lastSeq: 5, assignee: 'agent-roy' });
    expect(await listed(caseId)).toMatchObject({ lastSeq: 5, assignee: 'agent-roy' });
    expect(await instance().getCase(caseId)).toEqual(await folded(caseId));
  });

  it('leaves a read model a command deferred to the next append of that command, which writes it', async () => {
    const caseId = await caseWithMessages();
    const command = instance();
    await command.append(caseId, assigned('agent-roy'), { idempotencyKey: 'assign', readModelLater: true });
    const calls: string[] = [];

    await recordMailReport({ ledger: instance(calls), clock }, delivery(caseId, 'ses-ack'));
    const between = await readModelItem(caseId);
    await command.append(caseId, sent('ses-next', 'staff'), { idempotencyKey: 'next' });

    expect(calls).toEqual(['ledger:QueryCommand', 'ledger:PutCommand']);
    expect(between).toMatchObject({ lastSeq: 3 });
    expect(between).not.toHaveProperty('assignee');
    expect(await readModelItem(caseId)).toMatchObject({ lastSeq: 6, assignee: 'agent-roy' });
    expect(await listed(caseId)).toMatchObject({ lastSeq: 6, assignee: 'agent-roy' });
  });

  it('remembers a report recorded while its own command was still writing the read model', async () => {
    const caseId = await caseWithMessages();
    const calls: string[] = [];
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    // One instance for the command and the report (as locally, or a warm Lambda): the command's read-model
    // write waits until the report is recorded.
    const ledger = new DynamoDbCaseLedger({
      client: {
        send: async (command: { constructor: { name: string }; input: { TableName?: string } }) => {
          calls.push(byTable(dynamo.tables)(command));
          if (command.constructor.name === 'UpdateCommand') await gate;
          return dynamo.client.send(command as never);
        },
      } as unknown as DynamoDBDocumentClient,
      tables: dynamo.tables,
    });
    await ledger.getCase(caseId);
    const assigning = ledger.append(caseId, assigned('agent-roy'), { idempotencyKey: 'assign' });
    while (!calls.includes('cases:UpdateCommand')) await new Promise((resolve) => setImmediate(resolve));
    await recordMailReport({ ledger, clock }, delivery(caseId, 'ses-ack'));
    open();
    await assigning;
    calls.length = 0;

    const page = await ledger.getCase(caseId);

    expect(page).toEqual(await folded(caseId));
    expect(page).toMatchObject({ lastSeq: 5, assignee: 'agent-roy' });
    // The head alone: the instance knows the read model (at seq 4) shows the case at seq 5.
    expect(calls).toEqual(['ledger:QueryCommand']);
  });

  it('serves, with the head alone, a later head that another instance’s report left, to the instance that wrote the read model', async () => {
    const calls: string[] = [];
    const writer = instance(calls);
    const caseId = randomUUID();
    await writer.append(caseId, receivedDraft(), { idempotencyKey: 'received' });
    await writer.append(caseId, sent('ses-ack'), { idempotencyKey: 'ack' });
    await recordMailReport({ ledger: instance(), clock }, delivery(caseId, 'ses-ack'));
    await recordMailReport({ ledger: instance(), clock }, delivery(caseId, 'ses-ack', 'again'));
    calls.length = 0;

    const page = await writer.getCase(caseId);
    const again = await writer.getCase(caseId);

    expect(page).toEqual(await folded(caseId));
    expect(page).toMatchObject({ lastSeq: 4 });
    expect(again).toEqual(page);
    expect(calls).toEqual(['ledger:QueryCommand', 'ledger:QueryCommand']);
    expect(await readModelItem(caseId)).toMatchObject({ lastSeq: 2 });
  });

  it('reads the read model when another instance’s command changed what it shows since', async () => {
    const calls: string[] = [];
    const writer = instance(calls);
    const caseId = randomUUID();
    await writer.append(caseId, receivedDraft(), { idempotencyKey: 'received' });
    await writer.append(caseId, sent('ses-ack'), { idempotencyKey: 'ack' });
    await instance().append(caseId, assigned('agent-roy'), { idempotencyKey: 'assign' });
    await recordMailReport({ ledger: instance(), clock }, delivery(caseId, 'ses-ack'));
    calls.length = 0;

    const page = await writer.getCase(caseId);

    expect(page).toEqual(await folded(caseId));
    expect(page).toMatchObject({ lastSeq: 4, assignee: 'agent-roy' });
    expect(calls).toEqual(['ledger:QueryCommand', 'cases:GetCommand']);
  });

  it('checks the read model when the head went back behind the one the instance knows (a deleted last item)', async () => {
    const writer = instance();
    const caseId = await caseWithMessages();
    await writer.getCase(caseId);
    await dynamo.client.send(new DeleteCommand({ TableName: dynamo.tables.ledger, Key: { caseId, seq: 3 } }));

    await expect(writer.getCase(caseId)).rejects.toBeInstanceOf(LedgerIntegrityError);
  });

  it('repairs on the next case read a read model whose write was lost before a delivery report', async () => {
    const caseId = await caseWithMessages();
    // The assignment's put succeeds, its read-model write fails (the item says the writer wrote it).
    const failures: number[] = [];
    const failing = new DynamoDbCaseLedger({
      client: {
        send: (command: { constructor: { name: string } }) =>
          command.constructor.name === 'UpdateCommand'
            ? Promise.reject(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }))
            : dynamo.client.send(command as never),
      } as unknown as DynamoDBDocumentClient,
      tables: dynamo.tables,
      onProjectionFailure: ({ seq }) => failures.push(seq),
    });
    await failing.append(caseId, assigned('agent-roy'), { idempotencyKey: 'assign' });
    await recordMailReport({ ledger: instance(), clock }, delivery(caseId, 'ses-ack'));
    const calls: string[] = [];

    const page = await instance(calls).getCase(caseId);

    expect(failures).toEqual([4]);
    expect(page).toEqual(await folded(caseId));
    expect(page).toMatchObject({ lastSeq: 5, assignee: 'agent-roy' });
    expect(calls).toContain('cases:UpdateCommand');
    expect(await readModelItem(caseId)).toMatchObject({ lastSeq: 5, assignee: 'agent-roy' });
  });
});
