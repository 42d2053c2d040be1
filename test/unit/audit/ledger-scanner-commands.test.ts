import 'aws-sdk-client-mock-jest';

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

import { DynamoDbLedgerScanner } from '../../../shared/adapters/dynamodb/ledger-scanner';
import { StoreError, StoreUnavailableError } from '../../../shared/errors';

const TABLES = { cases: 'jalon-test-cases', ledger: 'jalon-test-ledger' };
const ddb = mockClient(DynamoDBDocumentClient);
const client = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'ca-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
);

beforeEach(() => ddb.reset());

async function collect(scanner: DynamoDbLedgerScanner): Promise<unknown[][]> {
  const pages: unknown[][] = [];
  for await (const page of scanner.events()) pages.push([...page]);
  return pages;
}

describe('DynamoDbLedgerScanner commands', () => {
  it('scans the ledger consistently, page after page, from each LastEvaluatedKey', async () => {
    ddb
      .on(ScanCommand)
      .resolvesOnce({ Items: [{ caseId: 'a', seq: 1 }], LastEvaluatedKey: { caseId: 'a', seq: 1 } })
      .resolvesOnce({ Items: [{ caseId: 'a', seq: 2 }] });

    const pages = await collect(new DynamoDbLedgerScanner({ client, tables: TABLES, pageSize: 1 }));

    expect(pages).toEqual([[{ caseId: 'a', seq: 1 }], [{ caseId: 'a', seq: 2 }]]);
    expect(ddb).toHaveReceivedNthCommandWith(1, ScanCommand, {
      TableName: TABLES.ledger,
      ConsistentRead: true,
      Limit: 1,
    });
    expect(ddb).toHaveReceivedNthCommandWith(2, ScanCommand, { ExclusiveStartKey: { caseId: 'a', seq: 1 } });
  });

  it('keeps only intact projections as heads', async () => {
    ddb.on(ScanCommand).resolves({
      Items: [{ caseId: 'a', lastSeq: 3, lastHash: 'f'.repeat(64), projection: {}, projectionHash: 'x' }],
    });

    const heads = await new DynamoDbLedgerScanner({ client, tables: TABLES }).projectionHeads();

    expect(ddb).toHaveReceivedCommandWith(ScanCommand, { TableName: TABLES.cases, ConsistentRead: true });
    expect(heads.size).toBe(0);
  });

  it('names the table and operation of a failure, never the items', async () => {
    ddb
      .on(ScanCommand)
      .rejectsOnce(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }))
      .rejectsOnce(Object.assign(new Error('no such table'), { name: 'ResourceNotFoundException' }));
    const scanner = new DynamoDbLedgerScanner({ client, tables: TABLES });

    await expect(collect(scanner)).rejects.toBeInstanceOf(StoreUnavailableError);
    const error = await scanner.caseIds().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).details).toMatchObject({ table: 'ledger', operation: 'Scan' });
  });
});
