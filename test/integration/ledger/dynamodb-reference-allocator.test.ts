import { GetCommand } from '@aws-sdk/lib-dynamodb';

import { DynamoDbReferenceAllocator } from '../../../shared/adapters/dynamodb/dynamodb-reference-allocator';
import { startDynalite } from '../../support/dynalite';
import type { LocalDynamo } from '../../support/dynalite';

let dynamo: LocalDynamo;
let allocator: DynamoDbReferenceAllocator;

beforeAll(async () => {
  dynamo = await startDynalite();
  allocator = new DynamoDbReferenceAllocator({ client: dynamo.client, tables: dynamo.tables });
});

afterAll(async () => {
  await dynamo.stop();
});

describe('DynamoDbReferenceAllocator on dynalite', () => {
  it('gives 50 concurrent allocations 50 distinct consecutive references', async () => {
    const references = await Promise.all(
      Array.from({ length: 50 }, () => allocator.allocate({ prefix: 'SCT', year: 2026 })),
    );

    expect(new Set(references).size).toBe(50);
    expect([...references].sort()).toEqual(
      Array.from({ length: 50 }, (_, i) => `SCT-2026-${String(i + 1).padStart(6, '0')}`),
    );
    const { Item } = await dynamo.client.send(
      new GetCommand({ TableName: dynamo.tables.control, Key: { pk: 'counter#SCT#2026' } }),
    );
    expect(Item).toEqual({ pk: 'counter#SCT#2026', value: 50 });
  });

  it('starts a new sequence each year and keeps the old one going', async () => {
    const lastOf2026 = await allocator.allocate({ prefix: 'SCT', year: 2026 });
    const firstOf2027 = await allocator.allocate({ prefix: 'SCT', year: 2027 });
    const secondOf2027 = await allocator.allocate({ prefix: 'SCT', year: 2027 });
    // A letter received on 31 December but registered in January still takes the year of receipt.
    const late2026 = await allocator.allocate({ prefix: 'SCT', year: 2026 });

    expect([lastOf2026, firstOf2027, secondOf2027, late2026]).toEqual([
      'SCT-2026-000051',
      'SCT-2027-000001',
      'SCT-2027-000002',
      'SCT-2026-000052',
    ]);
  });

  it('keeps one sequence per organization prefix', async () => {
    expect(await allocator.allocate({ prefix: 'MCN', year: 2026 })).toBe('MCN-2026-000001');
  });
});
