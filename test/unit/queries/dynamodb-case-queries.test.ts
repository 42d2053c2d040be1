import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

import { DynamoDbCaseQueries } from '../../../shared/adapters/dynamodb/dynamodb-case-queries';
import type {
  DynamoDbCaseQueriesConfig,
  InvalidListedItem,
  ListingTruncation,
} from '../../../shared/adapters/dynamodb/dynamodb-case-queries';
import { toProjectionItem } from '../../../shared/adapters/dynamodb/projection-item';
import type { ProjectionItem } from '../../../shared/adapters/dynamodb/projection-item';
import { sealEvent } from '../../../shared/domain/ledger/chain';
import type { EventDraft, LedgerEvent } from '../../../shared/domain/ledger/events';
import { projectCase } from '../../../shared/domain/ledger/projection';
import type { CaseProjection } from '../../../shared/domain/ledger/projection';
import { StoreError, StoreUnavailableError } from '../../../shared/errors';
import { SYSTEM, deadline, receivedDraft, staff } from '../ledger/fixtures';

const TABLE = 'jalon-test-cases';
const ASOF = new Date('2026-03-12T15:00:00.000Z');
const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'ca-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
);

function makeQueries(config: Partial<DynamoDbCaseQueriesConfig> = {}) {
  return new DynamoDbCaseQueries({ client, tables: { cases: TABLE }, ...config });
}

function caseId(n: number): string {
  return `case-${String(n).padStart(4, '0')}`;
}

/** The projection of a case received, assigned and given an answer deadline (`dueAt` omitted: none). */
function projection(n: number, options: { dueAt?: string; unit?: string; closed?: boolean } = {}) {
  const drafts: EventDraft[] = [
    receivedDraft(),
    {
      type: 'case.assigned',
      at: '2026-03-02T15:00:00.000Z',
      actor: SYSTEM,
      data: { unit: options.unit ?? 'dgrh-statistiques', assignee: 'agent-roy' },
    },
  ];
  if (options.dueAt !== undefined)
    drafts.push({
      type: 'deadline.planned',
      at: '2026-03-02T15:00:01.000Z',
      actor: SYSTEM,
      data: { kind: 'answer', deadline: deadline(options.dueAt.slice(0, 10), options.dueAt) },
    });
  if (options.closed === true)
    drafts.push({
      type: 'case.closed',
      at: '2026-03-05T15:00:00.000Z',
      actor: staff('agent-roy'),
      data: { reason: 'withdrawn' },
    });
  const events: LedgerEvent[] = [];
  for (const draft of drafts) events.push(sealEvent(caseId(n), events.at(-1), draft));
  return projectCase(events)!;
}

function item(p: CaseProjection): ProjectionItem {
  return toProjectionItem(p);
}

const EARLY = projection(1, { dueAt: '2026-03-10T03:59:59.999Z' });
const LATE = projection(2, { dueAt: '2026-03-17T03:59:59.999Z' });
const UNDATED = projection(3);

beforeEach(() => {
  ddb.reset();
});

describe('DynamoDbCaseQueries query shapes', () => {
  it('lists every open case from the sparse OpenByDue index', async () => {
    ddb.on(QueryCommand).resolves({ Items: [item(EARLY), item(LATE), item(UNDATED)] });

    const cases = await makeQueries().listOpenCases({ asOf: ASOF });

    expect(ddb.commandCalls(QueryCommand).map((call) => call.args[0].input)).toEqual([
      {
        TableName: TABLE,
        IndexName: 'OpenByDue',
        KeyConditionExpression: '#openMarker = :open',
        ExpressionAttributeNames: { '#openMarker': 'openMarker' },
        ExpressionAttributeValues: { ':open': 'OPEN' },
        ScanIndexForward: true,
      },
    ]);
    expect(cases).toEqual([EARLY, LATE, UNDATED]);
  });

  it('turns overdueOnly into a key condition on nextDueAt before asOf', async () => {
    ddb.on(QueryCommand).resolves({ Items: [item(EARLY)] });

    const cases = await makeQueries().listOpenCases({ asOf: ASOF, overdueOnly: true });

    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'OpenByDue',
      KeyConditionExpression: '#openMarker = :open AND #nextDueAt < :asOf',
      ExpressionAttributeNames: { '#openMarker': 'openMarker', '#nextDueAt': 'nextDueAt' },
      ExpressionAttributeValues: { ':open': 'OPEN', ':asOf': '2026-03-12T15:00:00.000Z' },
    });
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input.FilterExpression).toBeUndefined();
    expect(cases).toEqual([EARLY]);
  });

  it('filters OpenByDue on the stored unit and status', async () => {
    ddb.on(QueryCommand).resolves({ Items: [item(LATE)] });

    const cases = await makeQueries().listOpenCases({
      asOf: ASOF,
      unit: 'dgrh-statistiques',
      status: 'received',
    });

    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      IndexName: 'OpenByDue',
      KeyConditionExpression: '#openMarker = :open',
      FilterExpression: '#projection.#unit = :unit AND #projection.#status = :status',
      ExpressionAttributeNames: {
        '#openMarker': 'openMarker',
        '#projection': 'projection',
        '#unit': 'unit',
        '#status': 'status',
      },
      ExpressionAttributeValues: { ':open': 'OPEN', ':unit': 'dgrh-statistiques', ':status': 'received' },
      ScanIndexForward: true,
    });
    expect(cases).toEqual([LATE]);
  });

  it('queries ByAssignee for an assignee and keeps only open items', async () => {
    ddb.on(QueryCommand).resolves({ Items: [item(LATE)] });

    await makeQueries().listOpenCases({ asOf: ASOF, assignee: 'agent-roy' });

    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      IndexName: 'ByAssignee',
      KeyConditionExpression: '#assignee = :assignee',
      FilterExpression: '#openMarker = :open',
      ExpressionAttributeNames: { '#openMarker': 'openMarker', '#assignee': 'assignee' },
      ExpressionAttributeValues: { ':open': 'OPEN', ':assignee': 'agent-roy' },
      ScanIndexForward: true,
    });
  });

  it('combines every filter on ByAssignee: overdue in the key condition, the rest as filters', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });

    await makeQueries().listOpenCases({
      asOf: ASOF,
      assignee: 'agent-roy',
      unit: 'dgrh-statistiques',
      status: 'acknowledged',
      overdueOnly: true,
    });

    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      IndexName: 'ByAssignee',
      KeyConditionExpression: '#assignee = :assignee AND #nextDueAt < :asOf',
      FilterExpression: '#openMarker = :open AND #projection.#unit = :unit AND #projection.#status = :status',
      ExpressionAttributeNames: {
        '#openMarker': 'openMarker',
        '#assignee': 'assignee',
        '#nextDueAt': 'nextDueAt',
        '#projection': 'projection',
        '#unit': 'unit',
        '#status': 'status',
      },
      ExpressionAttributeValues: {
        ':open': 'OPEN',
        ':assignee': 'agent-roy',
        ':asOf': '2026-03-12T15:00:00.000Z',
        ':unit': 'dgrh-statistiques',
        ':status': 'acknowledged',
      },
      ScanIndexForward: true,
    });
  });

  it('checks every filter again on the parsed projection', async () => {
    const closed = projection(4, { dueAt: '2026-03-09T03:59:59.999Z', closed: true });
    const otherUnit = projection(5, { dueAt: '2026-03-09T03:59:59.999Z', unit: 'dgmp-statistiques' });
    ddb.on(QueryCommand).resolves({ Items: [item(closed), item(otherUnit), item(UNDATED), item(EARLY)] });

    const cases = await makeQueries().listOpenCases({
      asOf: ASOF,
      assignee: 'agent-roy',
      unit: 'dgrh-statistiques',
      overdueOnly: true,
    });

    expect(cases).toEqual([EARLY]);
  });
});

describe('DynamoDbCaseQueries paging, bound and item checks', () => {
  it('follows LastEvaluatedKey with the configured page Limit and sorts the result by urgency', async () => {
    const page2Key = { caseId: caseId(2), openMarker: 'OPEN', nextDueAt: LATE.nextDueAt };
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [item(UNDATED), item(LATE)], LastEvaluatedKey: page2Key })
      .resolvesOnce({ Items: [item(EARLY)] });

    const cases = await makeQueries({ pageSize: 2 }).listOpenCases({ asOf: ASOF });

    const inputs = ddb.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(inputs).toHaveLength(2);
    expect(inputs[0]).toMatchObject({ IndexName: 'OpenByDue', Limit: 2 });
    expect(inputs[0]?.ExclusiveStartKey).toBeUndefined();
    expect(inputs[1]).toMatchObject({ IndexName: 'OpenByDue', Limit: 2, ExclusiveStartKey: page2Key });
    expect(cases.map((c) => c.caseId)).toEqual([caseId(1), caseId(2), caseId(3)]);
  });

  it('sends no Limit by default and stops when a page has no LastEvaluatedKey', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });

    expect(await makeQueries().listOpenCases({ asOf: ASOF })).toEqual([]);

    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 1);
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input.Limit).toBeUndefined();
  });

  it('stops once more than maxCases matched, returns the most urgent and reports the cut', async () => {
    const due = (n: number) => projection(10 + n, { dueAt: `2026-03-${10 + n}T12:00:00.000Z` });
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [item(due(2)), item(due(1))], LastEvaluatedKey: { caseId: 'k1' } })
      .resolvesOnce({ Items: [item(due(3)), item(due(4))], LastEvaluatedKey: { caseId: 'k2' } })
      .resolvesOnce({ Items: [item(due(5))] });
    const truncations: ListingTruncation[] = [];

    const cases = await makeQueries({ maxCases: 3, onTruncated: (t) => truncations.push(t) }).listOpenCases({
      asOf: ASOF,
    });

    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
    expect(cases).toEqual([due(1), due(2), due(3)]);
    expect(truncations).toEqual([{ indexName: 'OpenByDue', maxCases: 3 }]);
  });

  it('reads on when exactly maxCases matched so far, and reports no cut when nothing follows', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [item(EARLY), item(LATE)], LastEvaluatedKey: { caseId: 'k1' } })
      .resolvesOnce({ Items: [] });
    const onTruncated = jest.fn();

    const cases = await makeQueries({ maxCases: 2, onTruncated }).listOpenCases({ asOf: ASOF });

    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
    expect(cases).toEqual([EARLY, LATE]);
    expect(onTruncated).not.toHaveBeenCalled();
  });

  it('skips items that fail validation, reports each by case id and lists the rest', async () => {
    const altered = { ...item(EARLY), projection: { ...EARLY, subject: 'changed outside the adapter' } };
    const unhashed: Record<string, unknown> = { ...item(UNDATED) };
    delete unhashed.projectionHash;
    const garbage = { caseId: 42, openMarker: 'OPEN', nextDueAt: '2026-03-01T00:00:00.000Z' };
    ddb.on(QueryCommand).resolves({ Items: [altered, item(LATE), unhashed, garbage] });
    const invalid: InvalidListedItem[] = [];

    const cases = await makeQueries({ onInvalidItem: (i) => invalid.push(i) }).listOpenCases({ asOf: ASOF });

    expect(cases).toEqual([LATE]);
    expect(invalid).toEqual([
      { indexName: 'OpenByDue', caseId: caseId(1) },
      { indexName: 'OpenByDue', caseId: caseId(3) },
      { indexName: 'OpenByDue' },
    ]);
  });

  it('does not count skipped items toward maxCases', async () => {
    const altered = { ...item(EARLY), projection: { ...EARLY, subject: 'changed' } };
    ddb.on(QueryCommand).resolves({ Items: [altered, item(LATE)] });
    const onTruncated = jest.fn();

    const cases = await makeQueries({ maxCases: 1, onTruncated }).listOpenCases({ asOf: ASOF });

    expect(cases).toEqual([LATE]);
    expect(onTruncated).not.toHaveBeenCalled();
  });

  it('maps throttling to StoreUnavailableError', async () => {
    ddb
      .on(QueryCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} }));

    await expect(makeQueries().listOpenCases({ asOf: ASOF })).rejects.toThrow(StoreUnavailableError);
  });

  it('maps other failures to a StoreError that does not quote the service message', async () => {
    ddb
      .on(QueryCommand)
      .rejects(Object.assign(new Error('Value marie@example.org invalid'), { name: 'ValidationException' }));

    const error: unknown = await makeQueries()
      .listOpenCases({ asOf: ASOF })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(StoreError);
    expect(error).not.toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).not.toContain('marie');
  });

  it('refuses a bound or page size that is not a positive integer', () => {
    expect(() => makeQueries({ maxCases: 0 })).toThrow(RangeError);
    expect(() => makeQueries({ pageSize: 1.5 })).toThrow(RangeError);
  });
});
