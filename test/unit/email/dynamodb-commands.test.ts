import 'aws-sdk-client-mock-jest';

import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

import {
  DynamoDbCaseReferenceLookup,
  DynamoDbHoldingPen,
  DynamoDbReplyAddressBook,
} from '../../../shared/adapters/dynamodb';
import { HOLDING_TABLE } from '../../../shared/adapters/dynamodb/table-definitions';
import type { HoldingAccessRecord, HoldingItem } from '../../../shared/domain/intake/email/holding-pen';
import { holdingItemId } from '../../../shared/domain/intake/email/holding-pen';
import {
  HoldingItemResolvedError,
  StoreError,
  StoreUnavailableError,
  ValidationError,
} from '../../../shared/errors';

const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'ca-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
);
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'failed', $metadata: {} });
const TOKEN = 'abcdefghijklmnopqrstuvwxyz';
const CASE_ID = 'sct-0123456789abcdef0123456789abcdef';

const ITEM: HoldingItem = {
  itemId: holdingItemId('inbound/abc'),
  kind: 'spam',
  status: 'open',
  legalHold: true,
  rawKey: 'inbound/abc',
  receivedAt: '2026-03-03T14:12:00.000Z',
  recordedAt: '2026-03-03T14:12:07.000Z',
  detail: 'x-ses-spam-verdict',
  fromDomain: 'loterie.example',
};

beforeEach(() => ddb.reset());

describe('DynamoDbHoldingPen commands', () => {
  const pen = () => new DynamoDbHoldingPen({ client, tables: { holding: 'jalon-test-holding' } });

  it('records an item with a conditional put on its id', async () => {
    ddb.on(PutCommand).resolves({});

    expect(await pen().hold(ITEM)).toEqual({ item: ITEM, created: true });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'jalon-test-holding',
      Item: ITEM,
      ConditionExpression: 'attribute_not_exists(itemId)',
    });
  });

  it('returns the first item when the raw message was already held', async () => {
    const first = { ...ITEM, kind: 'processing-error', legalHold: false, errorName: 'TypeError' };
    ddb.on(PutCommand).rejects(conditionFailed());
    ddb.on(GetCommand).resolves({ Item: first });

    expect(await pen().hold(ITEM)).toEqual({ item: first, created: false });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { Key: { itemId: ITEM.itemId }, ConsistentRead: true });
  });

  it('refuses an item that breaks its schema before writing', async () => {
    await expect(pen().hold({ ...ITEM, detail: 'Not A Code' })).rejects.toBeInstanceOf(ValidationError);
    expect(ddb).not.toHaveReceivedCommand(PutCommand);
  });

  it('lists by status on the ByStatus index, oldest first, with an opaque cursor', async () => {
    ddb.on(QueryCommand).resolves({
      Items: [ITEM],
      LastEvaluatedKey: { itemId: ITEM.itemId, status: 'open', receivedAt: ITEM.receivedAt },
    });

    const page = await pen().listByStatus('open', { limit: 500 });

    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: HOLDING_TABLE.globalSecondaryIndexes[0]?.indexName,
      KeyConditionExpression: '#status = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': 'open' },
      ScanIndexForward: true,
      Limit: 100,
    });
    expect(page.items).toEqual([ITEM]);
    await pen().listByStatus('open', { cursor: page.cursor! });
    expect(ddb.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual({
      itemId: ITEM.itemId,
      status: 'open',
      receivedAt: ITEM.receivedAt,
    });
    await expect(pen().listByStatus('open', { cursor: 'not-json' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('resolves once, conditionally, keeping the legal hold', async () => {
    const resolved = {
      ...ITEM,
      status: 'resolved',
      resolvedAt: '2026-03-04T13:00:00.000Z',
      resolvedBy: 'agent-roy',
      resolution: 'dismissed',
    };
    ddb.on(UpdateCommand).resolvesOnce({ Attributes: resolved }).rejectsOnce(conditionFailed());
    ddb.on(GetCommand).resolves({ Item: resolved });
    const resolution = { at: '2026-03-04T13:00:00.000Z', by: 'agent-roy', resolution: 'dismissed' };

    expect(await pen().resolve(ITEM.itemId, resolution)).toEqual(resolved);
    const update = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(update?.ConditionExpression).toBe('attribute_exists(itemId) AND #status <> :resolved');
    expect(update?.UpdateExpression).not.toContain('legalHold');
    await expect(pen().resolve(ITEM.itemId, resolution)).rejects.toBeInstanceOf(HoldingItemResolvedError);
  });

  it('lists one kind, newest first, as a filter on the status query', async () => {
    ddb.on(QueryCommand).resolves({ Items: [ITEM] });

    const page = await pen().list({ status: 'open', kind: 'spam', order: 'newest', limit: 10 });

    expect(page).toEqual({ items: [ITEM] });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      KeyConditionExpression: '#status = :status',
      FilterExpression: '#kind = :kind',
      ExpressionAttributeNames: { '#status': 'status', '#kind': 'kind' },
      ExpressionAttributeValues: { ':status': 'open', ':kind': 'spam' },
      ScanIndexForward: false,
      Limit: 10,
    });
    await expect(pen().list({ status: 'open', kind: 'nope' as never })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('records who triaged, in which role, on which case and why', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { ...ITEM, status: 'resolved' } });

    await pen().resolve(ITEM.itemId, {
      at: '2026-03-04T13:00:00.000Z',
      by: 'agent-roy',
      role: 'agent',
      resolution: 'attached',
      caseId: CASE_ID,
    });

    const update = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(update?.UpdateExpression).toBe(
      'SET #status = :resolved, resolvedAt = :at, resolvedBy = :by, resolution = :resolution' +
        ', resolvedRole = :resolvedRole, resolvedCaseId = :resolvedCaseId',
    );
    expect(update?.ExpressionAttributeValues).toMatchObject({
      ':resolvedRole': 'agent',
      ':resolvedCaseId': CASE_ID,
    });
  });

  it('maps throttling to a retryable store error', async () => {
    ddb
      .on(PutCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException', $metadata: {} }));

    await expect(pen().hold(ITEM)).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});

describe('DynamoDbHoldingPen access journal commands', () => {
  const pen = () => new DynamoDbHoldingPen({ client, tables: { holding: 'jalon-test-holding' } });
  const RECORD: HoldingAccessRecord = {
    recordId: 'c'.repeat(64),
    at: '2026-03-04T15:00:00.000Z',
    by: 'officer-1',
    role: 'complaints-officer',
    action: 'read',
    scope: 'content',
    itemIds: [ITEM.itemId],
  };

  it('appends a record with a conditional put under its own status, and fails loudly', async () => {
    ddb.on(PutCommand).resolves({});
    await pen().recordAccess(RECORD);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: 'jalon-test-holding',
      Item: {
        itemId: `access-${RECORD.recordId}`,
        status: 'access-record',
        receivedAt: RECORD.at,
        record: RECORD,
      },
      ConditionExpression: 'attribute_not_exists(itemId)',
    });

    ddb.on(PutCommand).rejects(conditionFailed());
    await expect(pen().recordAccess(RECORD)).rejects.toBeInstanceOf(StoreError);
    await expect(pen().recordAccess({ ...RECORD, itemIds: [] })).rejects.toBeInstanceOf(ValidationError);
  });

  it('reads the records naming an item, page by page', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [{ record: RECORD }], LastEvaluatedKey: { itemId: 'k' } })
      .resolvesOnce({ Items: [{ record: { ...RECORD, recordId: 'd'.repeat(64) } }] });
    const records = await pen().accessRecords(ITEM.itemId);
    expect(records.map((record) => record.recordId)).toEqual(['c'.repeat(64), 'd'.repeat(64)]);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'ByStatus',
      ExpressionAttributeValues: { ':status': 'access-record', ':itemId': ITEM.itemId },
    });
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
  });
});

describe('DynamoDbCaseReferenceLookup commands', () => {
  const lookup = () => new DynamoDbCaseReferenceLookup({ client, tables: { cases: 'jalon-test-cases' } });

  it('queries the ByReference index for one case id, never scanning the table', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ caseId: CASE_ID }] });
    expect(await lookup().caseIdOf('SCT-2026-000123')).toBe(CASE_ID);
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: 'jalon-test-cases',
      IndexName: 'ByReference',
      ProjectionExpression: 'caseId',
      ExpressionAttributeValues: { ':reference': 'SCT-2026-000123' },
      Limit: 1,
    });
    expect(ddb).toHaveReceivedCommandTimes(ScanCommand, 0);
  });

  it('answers undefined when no case has it, and refuses what is not a reference', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    expect(await lookup().caseIdOf('SCT-2026-000124')).toBeUndefined();
    await expect(lookup().caseIdOf('nope')).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('DynamoDbReplyAddressBook commands', () => {
  const book = () =>
    new DynamoDbReplyAddressBook({
      client,
      tables: { control: 'jalon-test-control' },
      format: { mailbox: 'demandes', domain: 'intake.sct.example' },
      newToken: () => TOKEN,
      now: () => new Date('2026-03-03T14:12:07.000Z'),
    });

  it('creates the case item first, conditionally and without reading, then binds the token to the case', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).resolves({});

    const address = await book().addressFor(CASE_ID, 'Marie@Example.com');

    expect(ddb.calls()).toHaveLength(2);
    expect(ddb).not.toHaveReceivedCommand(GetCommand);

    expect(address).toEqual({
      caseId: CASE_ID,
      token: TOKEN,
      address: `demandes+${TOKEN}@intake.sct.example`,
    });
    const puts = ddb.commandCalls(PutCommand).map((call) => call.args[0].input);
    expect(puts).toEqual([
      {
        TableName: 'jalon-test-control',
        Item: {
          pk: `replyto#${CASE_ID}`,
          kind: 'reply-address',
          caseId: CASE_ID,
          token: TOKEN,
          requesterEmail: 'marie@example.com',
          createdAt: '2026-03-03T14:12:07.000Z',
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
      {
        TableName: 'jalon-test-control',
        Item: {
          pk: `reply#${TOKEN}`,
          kind: 'reply-token',
          token: TOKEN,
          caseId: CASE_ID,
          requesterEmail: 'marie@example.com',
        },
        ConditionExpression: 'attribute_not_exists(pk) OR caseId = :caseId',
        ExpressionAttributeValues: { ':caseId': CASE_ID },
      },
    ]);
  });

  it('answers a case it has bound again without a request (a case’s address never changes)', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).resolves({});
    const addresses = book();
    const first = await addresses.addressFor(CASE_ID, 'marie@example.com');
    const calls = ddb.calls().length;

    expect(await addresses.addressFor(CASE_ID, 'marie@example.com')).toEqual(first);
    expect(ddb.calls()).toHaveLength(calls);
    // Another instance reads the case's item and binds its token again (repairing a crash between the two).
    expect(await book().addressFor(CASE_ID, 'marie@example.com')).toEqual(first);
    expect(ddb.calls().length).toBeGreaterThan(calls);
  });

  it('returns the token of a concurrent winner', async () => {
    const winner = {
      pk: `replyto#${CASE_ID}`,
      caseId: CASE_ID,
      token: 'zzzzzzzzzzzzzzzzzzzzzzzzzz',
      requesterEmail: 'marie@example.com',
    };
    ddb.on(GetCommand).resolves({ Item: winner });
    ddb.on(PutCommand, { ConditionExpression: 'attribute_not_exists(pk)' }).rejects(conditionFailed());
    ddb.on(PutCommand, { ConditionExpression: 'attribute_not_exists(pk) OR caseId = :caseId' }).resolves({});

    expect((await book().addressFor(CASE_ID, 'marie@example.com')).token).toBe(winner.token);
    expect(ddb.calls().map((call) => (call.args[0] as object).constructor.name)).toEqual([
      'PutCommand',
      'GetCommand',
      'PutCommand',
    ]);
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      Key: { pk: `replyto#${CASE_ID}` },
      ConsistentRead: true,
    });
    expect(ddb).toHaveReceivedNthCommandWith(3, PutCommand, {
      Item: expect.objectContaining({ pk: `reply#${winner.token}`, caseId: CASE_ID }),
    });
  });

  it('fails transiently when the case item exists but cannot be read back', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).rejects(conditionFailed());

    await expect(book().addressFor(CASE_ID, 'marie@example.com')).rejects.toMatchObject({ transient: true });
    expect(ddb).toHaveReceivedCommandTimes(PutCommand, 1);
  });

  it('refuses to point a token at another case', async () => {
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand, { ConditionExpression: 'attribute_not_exists(pk)' }).resolves({});
    ddb
      .on(PutCommand, { ConditionExpression: 'attribute_not_exists(pk) OR caseId = :caseId' })
      .rejects(conditionFailed());

    await expect(book().addressFor(CASE_ID, 'marie@example.com')).rejects.toBeInstanceOf(StoreError);
  });

  it('resolves only token-shaped values, with a strongly consistent read', async () => {
    ddb.on(GetCommand).resolves({
      Item: { pk: `reply#${TOKEN}`, token: TOKEN, caseId: CASE_ID, requesterEmail: 'marie@example.com' },
    });

    expect(await book().resolve(TOKEN.toUpperCase())).toEqual({
      caseId: CASE_ID,
      requesterEmail: 'marie@example.com',
    });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, {
      Key: { pk: `reply#${TOKEN}` },
      ConsistentRead: true,
    });
    expect(await book().resolve('reply#x')).toBeUndefined();
    expect(ddb).toHaveReceivedCommandTimes(GetCommand, 1);
  });
});
