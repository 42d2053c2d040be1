import 'aws-sdk-client-mock-jest';

import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

import { DynamoDbCaseLedger } from '../../../shared/adapters/dynamodb/dynamodb-case-ledger';
import { DynamoDbReferenceAllocator } from '../../../shared/adapters/dynamodb/dynamodb-reference-allocator';
import { keysOf, snapshotOf, toLedgerItem } from '../../../shared/adapters/dynamodb/ledger-head';
import { toProjectionItem } from '../../../shared/adapters/dynamodb/projection-item';
import { sealEvent } from '../../../shared/domain/ledger/chain';
import type { LedgerEvent } from '../../../shared/domain/ledger/events';
import { projectCase } from '../../../shared/domain/ledger/projection';
import {
  LedgerConflictError,
  ReferenceExhaustedError,
  StoreError,
  StoreUnavailableError,
  ValidationError,
} from '../../../shared/errors';
import { CASE_ID, lifecycleDrafts, receivedDraft } from './fixtures';

const TABLES = { cases: 'jalon-test-cases', ledger: 'jalon-test-ledger', control: 'jalon-test-control' };
const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'ca-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
);

const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

function makeLedger(sleeps: number[] = [], maxAttempts = 5) {
  return new DynamoDbCaseLedger({
    client,
    tables: TABLES,
    retry: { maxAttempts, baseMs: 10, capMs: 40 },
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
}

const received = sealEvent(CASE_ID, undefined, receivedDraft());
const registered = sealEvent(CASE_ID, received, lifecycleDrafts()[0]!);

const HEAD_QUERY = {
  TableName: TABLES.ledger,
  KeyConditionExpression: '#caseId = :caseId',
  ExpressionAttributeNames: { '#caseId': 'caseId' },
  ExpressionAttributeValues: { ':caseId': CASE_ID },
  ScanIndexForward: false,
  Limit: 1,
  ConsistentRead: true,
};

/** The head item the adapter wrote for the last of `events`: that event with the snapshot after it. */
function headItem(events: LedgerEvent[]) {
  return toLedgerItem([events.at(-1)!], snapshotOf(events)!);
}

function head(events: LedgerEvent[]) {
  return { Items: events.length > 0 ? [headItem(events)] : [] };
}

beforeEach(() => {
  ddb.reset();
});

describe('DynamoDbCaseLedger commands', () => {
  it('appends the first event of a case with one put conditioned on a free key, reading nothing first', async () => {
    ddb.on(PutCommand).resolves({});
    ddb.on(UpdateCommand).resolves({});

    const { event, appended, projection } = await makeLedger().append(CASE_ID, receivedDraft());

    expect(appended).toBe(true);
    expect(event).toEqual(received);
    expect(projection).toEqual(projectCase([received]));
    expect(ddb).not.toHaveReceivedCommand(QueryCommand);
    expect(ddb).not.toHaveReceivedCommand(GetCommand);
    expect(ddb).toHaveReceivedCommandTimes(PutCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLES.ledger,
      Item: headItem([received]),
      ConditionExpression: 'attribute_not_exists(#caseId) AND attribute_not_exists(#seq)',
      ExpressionAttributeNames: { '#caseId': 'caseId', '#seq': 'seq' },
    });
  });

  it('writes the projection with a forward-only conditional update carrying the index attributes', async () => {
    ddb.on(QueryCommand).resolves(head([]));
    ddb.on(PutCommand).resolves({});
    ddb.on(GetCommand).resolves({});
    ddb.on(UpdateCommand).resolves({});

    await makeLedger().append(CASE_ID, receivedDraft());

    const item = toProjectionItem(projectCase([received])!);
    expect(ddb).toHaveReceivedCommandTimes(UpdateCommand, 1);
    const input = ddb.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      TableName: TABLES.cases,
      Key: { caseId: CASE_ID },
      ConditionExpression: 'attribute_not_exists(#caseId) OR #lastSeq < :lastSeq',
    });
    expect(input.UpdateExpression).toBe(
      'SET #lastSeq = :lastSeq, #lastHash = :lastHash, #projection = :projection, #receivedAt = :receivedAt, ' +
        '#nextDueAt = :nextDueAt, #openMarker = :openMarker, #requesterEmail = :requesterEmail, ' +
        '#listPartition = :listPartition, #listDueAt = :listDueAt, #projectionHash = :projectionHash REMOVE #assignee',
    );
    expect(input.ExpressionAttributeValues).toEqual({
      ':lastSeq': 1,
      ':lastHash': received.hash,
      ':projection': item.projection,
      ':receivedAt': '2026-03-02T14:00:00.000Z',
      ':nextDueAt': '9999-12-31T23:59:59.999Z',
      ':openMarker': 'OPEN',
      ':requesterEmail': 'marie.gagnon@example.org',
      // Received, not yet routed: listed with its category's queue.
      ':listPartition': 'OPEN#category#statistics',
      ':listDueAt': '9999-12-31T23:59:59.999Z',
      ':projectionHash': item.projectionHash,
    });
  });

  it('folds the new event onto the head snapshot, reading neither the whole ledger nor the read model', async () => {
    ddb.on(QueryCommand).resolves(head([received]));
    ddb.on(PutCommand).resolves({});
    ddb.on(UpdateCommand).resolves({});

    await makeLedger().append(CASE_ID, lifecycleDrafts()[0]!);

    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, HEAD_QUERY);
    expect(ddb).not.toHaveReceivedCommand(GetCommand);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { Item: headItem([received, registered]) });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      ExpressionAttributeValues: expect.objectContaining({ ':lastSeq': 2, ':lastHash': registered.hash }),
    });
  });

  it('re-reads the head and retries with the next seq after ConditionalCheckFailedException', async () => {
    const sleeps: number[] = [];
    ddb
      .on(QueryCommand)
      .resolvesOnce(head([received]))
      .resolves(head([received, registered]));
    ddb.on(PutCommand).rejectsOnce(conditionFailed()).resolves({});
    ddb.on(UpdateCommand).resolves({});

    const { event } = await makeLedger(sleeps).append(CASE_ID, lifecycleDrafts()[1]!);

    expect(event).toMatchObject({ seq: 3, prevHash: registered.hash });
    expect(ddb).toHaveReceivedCommandTimes(PutCommand, 2);
    expect(ddb).toHaveReceivedNthSpecificCommandWith(1, PutCommand, {
      Item: expect.objectContaining({ seq: 2 }),
    });
    expect(ddb).toHaveReceivedNthSpecificCommandWith(2, PutCommand, {
      Item: expect.objectContaining({ seq: 3, prevHash: registered.hash }),
    });
    // Full jitter: random 0.5 × min(cap 40, base 10 × 2^0).
    expect(sleeps).toEqual([5]);
  });

  it('retries at once when the head it remembered was stale, then from a fresh read', async () => {
    const sleeps: number[] = [];
    ddb.on(PutCommand).resolvesOnce({}).rejectsOnce(conditionFailed()).resolves({});
    ddb.on(UpdateCommand).resolves({});
    ddb.on(QueryCommand).resolves(head([received, registered]));
    const ledger = makeLedger(sleeps);
    await ledger.append(CASE_ID, receivedDraft());

    const { event } = await ledger.append(CASE_ID, lifecycleDrafts()[1]!);

    expect(event).toMatchObject({ seq: 3, prevHash: registered.hash });
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 1);
    expect(sleeps).toEqual([]);
  });

  it('throws LedgerConflictError after the bounded attempts, with growing capped backoff', async () => {
    const sleeps: number[] = [];
    ddb.on(QueryCommand).resolves(head([received]));
    ddb.on(PutCommand).rejects(conditionFailed());

    await expect(makeLedger(sleeps, 4).append(CASE_ID, lifecycleDrafts()[0]!)).rejects.toThrow(
      LedgerConflictError,
    );

    expect(ddb).toHaveReceivedCommandTimes(PutCommand, 4);
    expect(sleeps).toEqual([5, 10, 20]);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('returns the recorded event for a known idempotency key and writes nothing', async () => {
    const keyed = sealEvent(CASE_ID, received, lifecycleDrafts()[0]!, 'register-1');
    ddb.on(QueryCommand).resolves(head([received, keyed]));

    const result = await makeLedger().append(CASE_ID, lifecycleDrafts()[0]!, {
      idempotencyKey: 'register-1',
    });

    expect(result).toEqual({ event: keyed, appended: false, projection: projectCase([received, keyed]) });
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 1);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('finds a sent message in the head snapshot with one read, and chains the next append on it', async () => {
    const message = sealEvent(CASE_ID, received, {
      type: 'message.sent',
      at: received.at,
      actor: { kind: 'system' },
      data: { messageId: 'ses-1', purpose: 'acknowledgement', recipient: 'requester' },
    });
    ddb.on(QueryCommand).resolves(head([received, message]));
    ddb.on(PutCommand).resolves({});
    ddb.on(UpdateCommand).resolves({});
    const ledger = makeLedger();

    const found = await ledger.findSentMessage(CASE_ID, 'ses-1');
    const missing = await ledger.findSentMessage(CASE_ID, 'ses-2');
    const { event } = await ledger.append(CASE_ID, lifecycleDrafts()[0]!);

    expect(found).toEqual({
      found: true,
      message: { messageId: 'ses-1', seq: 2, recipient: 'requester', purpose: 'acknowledgement' },
    });
    expect(missing).toEqual({ found: false, why: 'unknown-message' });
    // The first answer came from the head read, the second from a fresh one; the append read nothing.
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, HEAD_QUERY);
    expect(event).toMatchObject({ seq: 3, prevHash: message.hash });
  });

  it('finds a sent message in the whole ledger when the head snapshot predates the list of messages', async () => {
    const message = sealEvent(CASE_ID, received, {
      type: 'message.sent',
      at: received.at,
      actor: { kind: 'system' },
      data: { messageId: 'ses-1', purpose: 'answer', recipient: 'requester' },
    });
    const events = [received, message];
    const oldHead = toLedgerItem([message], { projection: projectCase(events)!, keys: keysOf(events) });
    ddb.on(QueryCommand, HEAD_QUERY).resolves({ Items: [oldHead] });
    ddb.on(QueryCommand, { ConsistentRead: true, ScanIndexForward: undefined }).resolves({ Items: events });

    const found = await makeLedger().findSentMessage(CASE_ID, 'ses-1');

    expect(found).toMatchObject({ found: true, message: { seq: 2, purpose: 'answer' } });
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
  });

  it('reads an older replayed event in the item at or before its seq', async () => {
    const keyed = sealEvent(CASE_ID, received, lifecycleDrafts()[0]!, 'register-1');
    const after = sealEvent(CASE_ID, keyed, lifecycleDrafts()[1]!);
    const bySeq = {
      TableName: TABLES.ledger,
      KeyConditionExpression: '#caseId = :caseId AND #seq <= :seq',
      ExpressionAttributeValues: { ':caseId': CASE_ID, ':seq': 2 },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    };
    ddb.on(QueryCommand).resolves(head([received, keyed, after]));
    ddb.on(QueryCommand, bySeq).resolves({ Items: [headItem([received, keyed])] });

    const result = await makeLedger().append(CASE_ID, lifecycleDrafts()[0]!, {
      idempotencyKey: 'register-1',
    });

    expect(result).toMatchObject({ event: keyed, appended: false });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, bySeq);
    expect(ddb).not.toHaveReceivedCommand(GetCommand);
  });

  it('checks the idempotency key again on each retry, so a concurrent twin is found', async () => {
    const keyed = sealEvent(CASE_ID, received, lifecycleDrafts()[0]!, 'register-1');
    ddb
      .on(QueryCommand)
      .resolvesOnce(head([received]))
      .resolves(head([received, keyed]));
    ddb.on(PutCommand).rejects(conditionFailed());

    const result = await makeLedger().append(CASE_ID, lifecycleDrafts()[0]!, {
      idempotencyKey: 'register-1',
    });

    expect(result).toMatchObject({ event: keyed, appended: false });
    expect(ddb).toHaveReceivedCommandTimes(PutCommand, 1);
  });

  it('validates the draft before touching the table', async () => {
    await expect(makeLedger().append(CASE_ID, receivedDraft({ subject: 'x\ny' }))).rejects.toThrow(
      ValidationError,
    );

    expect(ddb.calls()).toHaveLength(0);
  });

  it('maps throttling to StoreUnavailableError and other failures to StoreError, without service messages', async () => {
    ddb.on(PutCommand).rejects(
      Object.assign(new Error('Rate exceeded for Marie Gagnon'), {
        name: 'ProvisionedThroughputExceededException',
        $metadata: { httpStatusCode: 400, requestId: 'req-1' },
      }),
    );

    const error = await makeLedger()
      .append(CASE_ID, receivedDraft())
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error).toMatchObject({
      name: 'StoreUnavailableError',
      transient: true,
      details: {
        operation: 'PutItem',
        table: 'ledger',
        errorName: 'ProvisionedThroughputExceededException',
        httpStatusCode: 400,
        requestId: 'req-1',
      },
    });
    expect(JSON.stringify(error) + String((error as Error).message)).not.toContain('Marie');

    ddb.reset();
    ddb
      .on(QueryCommand)
      .rejects(
        Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' }),
      );
    const missingTable = await makeLedger()
      .read(CASE_ID)
      .catch((e: unknown) => e);
    expect(missingTable).toBeInstanceOf(StoreError);
    expect(missingTable).toMatchObject({ name: 'StoreError', transient: false, code: 'STORE_FAILURE' });
  });

  it('serves a fresh projection from two consistent reads in parallel and writes nothing', async () => {
    const projection = projectCase([received, registered])!;
    ddb.on(GetCommand).resolves({ Item: toProjectionItem(projection) });
    ddb.on(QueryCommand).resolves(head([received, registered]));

    expect(await makeLedger().getCase(CASE_ID)).toEqual(projection);

    expect(ddb).toHaveReceivedCommandTimes(GetCommand, 1);
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 1);
    expect(ddb).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('repairs a lagging projection from the full ledger with a same-or-forward condition', async () => {
    ddb.on(GetCommand).resolves({ Item: toProjectionItem(projectCase([received])!) });
    ddb.on(QueryCommand, { Limit: 1 }).resolves(head([received, registered]));
    ddb.on(QueryCommand, { Limit: undefined }).resolves({ Items: [received, registered] });
    ddb.on(UpdateCommand).resolves({});

    expect(await makeLedger().getCase(CASE_ID)).toEqual(projectCase([received, registered]));

    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: TABLES.ledger,
      KeyConditionExpression: '#caseId = :caseId',
      ConsistentRead: true,
    });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      ConditionExpression: 'attribute_not_exists(#caseId) OR #lastSeq <= :lastSeq',
      ExpressionAttributeValues: expect.objectContaining({ ':lastSeq': 2 }),
    });
  });

  it('reads every page of a long ledger', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [received], LastEvaluatedKey: { caseId: CASE_ID, seq: 1 } })
      .resolves({ Items: [registered] });

    expect(await makeLedger().read(CASE_ID)).toEqual([received, registered]);

    expect(ddb).toHaveReceivedNthSpecificCommandWith(2, QueryCommand, {
      ExclusiveStartKey: { caseId: CASE_ID, seq: 1 },
    });
  });
});

describe('DynamoDbReferenceAllocator commands', () => {
  const allocator = new DynamoDbReferenceAllocator({ client, tables: TABLES });

  it('increments the counter of the prefix and year atomically', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { value: 123 } });

    expect(await allocator.allocate({ prefix: 'SCT', year: 2026 })).toBe('SCT-2026-000123');

    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: TABLES.control,
      Key: { pk: 'counter#SCT#2026' },
      UpdateExpression: 'SET #value = if_not_exists(#value, :zero) + :one',
      ExpressionAttributeNames: { '#value': 'value' },
      ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    });
  });

  it('refuses to format past 999999', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { value: 1_000_000 } });

    await expect(allocator.allocate({ prefix: 'SCT', year: 2026 })).rejects.toThrow(ReferenceExhaustedError);
  });

  it('validates prefix and year before calling the table', async () => {
    await expect(allocator.allocate({ prefix: 'sct#x', year: 2026 })).rejects.toThrow(ValidationError);
    await expect(allocator.allocate({ prefix: 'SCT', year: 26 })).rejects.toThrow(ValidationError);

    expect(ddb.calls()).toHaveLength(0);
  });
});
