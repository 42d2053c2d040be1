import 'aws-sdk-client-mock-jest';

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

import {
  DynamoDbCaseSearchIndex,
  writeSearchTerms,
} from '../../../shared/adapters/dynamodb/case-search-index';
import type { ListPartitionRequest } from '../../../shared/domain/case/commands/case-search';
import { sealEvent } from '../../../shared/domain/ledger/chain';
import { applyEvent } from '../../../shared/domain/ledger/projection';
import { CASE_ID, SYSTEM, receivedDraft } from './fixtures';

const TABLES = { cases: 'jalon-test-cases' };
const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'ca-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
);

beforeEach(() => ddb.reset());

async function drain(request: ListPartitionRequest, pageSize = 100): Promise<void> {
  const index = new DynamoDbCaseSearchIndex({ client, tables: TABLES, pageSize });
  for await (const page of index.listPartition(request)) void page;
}

describe('DynamoDbCaseSearchIndex.listPartition', () => {
  it('resumes after a case with its index key, and from or after a sort value with a key condition', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    const base = { partition: 'CLOSED#unit#statistics', sort: 'received', order: 'asc' } as const;
    const value = '2026-03-02T14:00:00.000Z';

    await drain({ ...base, start: { kind: 'after-case', position: { value, caseId: CASE_ID } } });
    await drain({ ...base, start: { kind: 'after-value', value } });
    await drain({ ...base, order: 'desc', start: { kind: 'from-value', value } });

    const inputs = ddb.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(inputs[0]).toMatchObject({
      IndexName: 'ListByReceived',
      KeyConditionExpression: '#partition = :partition',
      ExpressionAttributeValues: { ':partition': 'CLOSED#unit#statistics' },
      ExclusiveStartKey: { listPartition: 'CLOSED#unit#statistics', receivedAt: value, caseId: CASE_ID },
      ScanIndexForward: true,
    });
    expect(inputs[1]).toMatchObject({
      KeyConditionExpression: '#partition = :partition AND #sort > :value',
      ExpressionAttributeNames: { '#partition': 'listPartition', '#sort': 'receivedAt' },
      ExpressionAttributeValues: { ':partition': 'CLOSED#unit#statistics', ':value': value },
    });
    expect(inputs[1]).not.toHaveProperty('ExclusiveStartKey');
    expect(inputs[2]).toMatchObject({
      KeyConditionExpression: '#partition = :partition AND #sort <= :value',
      ScanIndexForward: false,
    });
  });

  it('asks for the first page size first, then twice as many each time, up to the page size', async () => {
    const more = { Items: [], LastEvaluatedKey: { caseId: 'x' } };
    ddb.on(QueryCommand).resolvesOnce(more).resolvesOnce(more).resolvesOnce(more).resolvesOnce({ Items: [] });

    await drain({ partition: 'OPEN#review', sort: 'deadline', order: 'asc', firstPageSize: 13 }, 40);

    expect(ddb.commandCalls(QueryCommand).map((call) => call.args[0].input.Limit)).toEqual([13, 26, 40, 40]);
  });
});

describe('writeSearchTerms and list partitions', () => {
  const received = sealEvent(CASE_ID, undefined, receivedDraft());
  const routed = sealEvent(CASE_ID, received, {
    type: 'case.assigned',
    at: received.at,
    actor: SYSTEM,
    data: { unit: 'statistics' },
  });
  const first = applyEvent(undefined, received);
  const second = applyEvent(first, routed);
  const partitionItems = () =>
    ddb
      .commandCalls(BatchWriteCommand)
      .flatMap((call) => call.args[0].input.RequestItems?.[TABLES.cases] ?? [])
      .map((request) => request.PutRequest?.Item)
      .filter((item) => item?.searchBucket === 'list-partitions');

  it('records the partition a case enters, once', async () => {
    ddb.on(BatchWriteCommand).resolves({});

    await writeSearchTerms(client, TABLES.cases, first);
    await writeSearchTerms(client, TABLES.cases, second, first);
    await writeSearchTerms(client, TABLES.cases, second, second);

    expect(partitionItems()).toEqual([
      {
        caseId: 'partition#OPEN#category#statistics',
        searchBucket: 'list-partitions',
        searchTerm: 'OPEN#category#statistics',
      },
      {
        caseId: 'partition#OPEN#unit#statistics',
        searchBucket: 'list-partitions',
        searchTerm: 'OPEN#unit#statistics',
      },
    ]);
    // Nothing new at all: no request.
    expect(ddb).toHaveReceivedCommandTimes(BatchWriteCommand, 2);
  });
});
