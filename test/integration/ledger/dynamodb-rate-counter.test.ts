import { DynamoDbRateCounter } from '../../../shared/adapters/dynamodb';
import { startDynalite } from '../../support/dynalite';
import type { LocalDynamo } from '../../support/dynalite';

let dynamo: LocalDynamo;
let counter: DynamoDbRateCounter;
const EXPIRES = new Date('2026-03-05T00:00:00.000Z');

beforeAll(async () => {
  dynamo = await startDynalite('rate');
  counter = new DynamoDbRateCounter({ client: dynamo.client, tables: dynamo.tables });
});

afterAll(async () => {
  await dynamo?.stop();
});

describe('DynamoDbRateCounter on dynalite', () => {
  it('gives 30 concurrent members the ranks 1 to 30, each once', async () => {
    const members = Array.from({ length: 30 }, (_, i) => `case-${i}`);

    const ranks = await Promise.all(members.map((member) => counter.rank('bucket-a', member, EXPIRES)));

    expect([...ranks].sort((a, b) => a - b)).toEqual(members.map((_, i) => i + 1));
  });

  it('keeps a member its rank when it is counted again, even concurrently', async () => {
    const first = await counter.rank('bucket-b', 'one', EXPIRES);
    await counter.rank('bucket-b', 'two', EXPIRES);

    const again = await Promise.all([1, 2, 3].map(() => counter.rank('bucket-b', 'one', EXPIRES)));
    const racing = await Promise.all([1, 2, 3, 4].map(() => counter.rank('bucket-b', 'three', EXPIRES)));

    expect(first).toBe(1);
    expect(again).toEqual([1, 1, 1]);
    expect(new Set(racing).size).toBe(1);
    expect(racing[0]).toBeGreaterThanOrEqual(3);
  });

  it('counts buckets apart', async () => {
    expect(await counter.rank('bucket-c', 'case-1', EXPIRES)).toBe(1);
    expect(await counter.rank('bucket-d', 'case-1', EXPIRES)).toBe(1);
  });
});
