import { randomUUID } from 'node:crypto';

import { DeleteCommand } from '@aws-sdk/lib-dynamodb';

import { DynamoDbCaseLedger } from '../../../shared/adapters/dynamodb/dynamodb-case-ledger';
import { DynamoDbOpenCaseIds } from '../../../shared/adapters/dynamodb/open-case-ids';
import type { EventDraft } from '../../../shared/domain/ledger/events';
import { startDynalite, type LocalDynamo } from '../../support/dynalite';
import { receivedDraft, staff } from '../../unit/ledger/fixtures';

/** The open cases' ids from the cases table's `OpenByDue` index, every page: what the nightly re-planning reads. */
let dynamo: LocalDynamo;
let ledger: DynamoDbCaseLedger;

beforeAll(async () => {
  dynamo = await startDynalite();
  ledger = new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables });
});

afterAll(async () => {
  await dynamo.stop();
});

const closed: EventDraft = {
  type: 'case.closed',
  at: '2026-03-06T14:00:00.000Z',
  actor: staff('agent-roy'),
  data: { reason: 'withdrawn' },
};

async function newCase(drafts: EventDraft[] = []): Promise<string> {
  const caseId = randomUUID();
  await ledger.append(caseId, receivedDraft());
  for (const draft of drafts) await ledger.append(caseId, draft);
  return caseId;
}

it('lists every open case once, page by page, and no closed case', async () => {
  const open = [];
  for (let i = 0; i < 7; i++) open.push(await newCase());
  const shut = [await newCase([closed]), await newCase([closed]), await newCase([closed])];
  const sent: unknown[] = [];
  const client = Object.create(dynamo.client) as typeof dynamo.client;
  client.send = ((command: { input: unknown }) => {
    sent.push(command.input);
    return dynamo.client.send(command as never);
  }) as typeof client.send;

  const ids = await new DynamoDbOpenCaseIds({ client, tables: dynamo.tables, pageSize: 3 }).caseIds();

  expect([...ids].sort()).toEqual([...open].sort());
  expect(ids.some((id) => shut.includes(id))).toBe(false);
  // Pages of 3 over 7 open cases, through the index, ids only; never a Scan.
  expect(sent.length).toBeGreaterThanOrEqual(3);
  expect(sent[0]).toMatchObject({
    TableName: dynamo.tables.cases,
    IndexName: 'OpenByDue',
    ProjectionExpression: '#caseId',
    Limit: 3,
  });
  expect(sent.every((input) => (input as { IndexName?: string }).IndexName === 'OpenByDue')).toBe(true);
});

it('does not list a case whose projection is missing (the ledger repairs it when another instance reads it)', async () => {
  const caseId = await newCase();
  await dynamo.client.send(new DeleteCommand({ TableName: dynamo.tables.cases, Key: { caseId } }));

  const before = await new DynamoDbOpenCaseIds({ client: dynamo.client, tables: dynamo.tables }).caseIds();
  // Read by another instance (the one that wrote it serves the head's snapshot until the case moves).
  await new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables }).getCase(caseId);
  const after = await new DynamoDbOpenCaseIds({ client: dynamo.client, tables: dynamo.tables }).caseIds();

  expect(before).not.toContain(caseId);
  expect(after).toContain(caseId);
});

it('reports a store outage as the retryable StoreUnavailableError', async () => {
  const client = Object.create(dynamo.client) as typeof dynamo.client;
  client.send = (() =>
    Promise.reject(Object.assign(new Error('boom'), { name: 'InternalServerError' }))) as never;

  await expect(new DynamoDbOpenCaseIds({ client, tables: dynamo.tables }).caseIds()).rejects.toMatchObject({
    name: 'StoreUnavailableError',
  });
});
