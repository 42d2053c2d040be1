import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

import { DynamoDbRateCounter, RECORDED_RANKS } from '../../../shared/adapters/dynamodb';
import { AutomaticRepliesSchema } from '../../../shared/domain/policy/schema';
import { countingClient, startDynalite } from '../../support/dynalite';
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

/** A counter whose requests are listed in `calls` (`GetItem`, `UpdateItem`, …). */
function countedCounter(calls: string[], recordedRanks?: number): DynamoDbRateCounter {
  const client = countingClient(dynamo.client, calls, (command) =>
    command.constructor.name.replace(/Command$/, 'Item'),
  );
  return new DynamoDbRateCounter({
    client,
    tables: dynamo.tables,
    ...(recordedRanks === undefined ? {} : { recordedRanks }),
  });
}

async function bucketItem(bucket: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await dynamo.client.send(
    new GetCommand({ TableName: dynamo.tables.control, Key: { pk: `rate#${bucket}` }, ConsistentRead: true }),
  );
  return Item;
}

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
    expect(racing).toEqual([3, 3, 3, 3]);
    expect(await counter.rank('bucket-b', 'four', EXPIRES)).toBe(4);
  });

  it('counts buckets apart', async () => {
    expect(await counter.rank('bucket-c', 'case-1', EXPIRES)).toBe(1);
    expect(await counter.rank('bucket-d', 'case-1', EXPIRES)).toBe(1);
  });

  it('ranks a new member with one request and a member asked again with two', async () => {
    const calls: string[] = [];
    const counted = countedCounter(calls);

    await counted.rank('bucket-e', 'first', EXPIRES);
    await counted.rank('bucket-e', 'second', EXPIRES);
    const newMembers = [...calls];
    calls.length = 0;
    const again = await counted.rank('bucket-e', 'first', EXPIRES);

    expect(newMembers).toEqual(['UpdateItem', 'UpdateItem']);
    expect(calls).toEqual(['UpdateItem', 'GetItem']);
    expect(again).toBe(1);
  });

  it("keeps the bucket's ranks and members on one item that expires", async () => {
    await counter.rank('bucket-f', 'one', EXPIRES);
    await counter.rank('bucket-f', 'two', EXPIRES);

    expect(await bucketItem('bucket-f')).toEqual({
      pk: 'rate#bucket-f',
      n: 2,
      given: 2,
      'm:one': 1,
      'm:two': 2,
      expiresAt: EXPIRES.getTime() / 1000,
    });
  });

  it('past the cap records no member but gives each call a distinct rank above it', async () => {
    const calls: string[] = [];
    const capped = countedCounter(calls, 3);
    const recorded = await Promise.all(['a', 'b', 'c'].map((m) => capped.rank('bucket-g', m, EXPIRES)));
    calls.length = 0;

    const past = await Promise.all(['d', 'e', 'f'].map((m) => capped.rank('bucket-g', m, EXPIRES)));
    const retried = await capped.rank('bucket-g', 'd', EXPIRES);
    const recordedAgain = await capped.rank('bucket-g', 'b', EXPIRES);

    expect([...recorded].sort((x, y) => x - y)).toEqual([1, 2, 3]);
    expect([...past].sort((x, y) => x - y)).toEqual([4, 5, 6]);
    expect(retried).toBe(7);
    expect(recordedAgain).toBe(recorded[1]);
    expect(calls.filter((call) => call === 'UpdateItem')).toHaveLength(9);
    const item = await bucketItem('bucket-g');
    expect(Object.keys(item ?? {}).filter((name) => name.startsWith('m:'))).toEqual(
      expect.arrayContaining(['m:a', 'm:b', 'm:c']),
    );
    expect(Object.keys(item ?? {}).filter((name) => name.startsWith('m:'))).toHaveLength(3);
  });

  it('honours the ranks the previous layout gave (a counter item and one item per member)', async () => {
    // What the previous code left: `n` incremented on the bucket's item, the rank on the member's own item.
    await dynamo.client.send(
      new UpdateCommand({
        TableName: dynamo.tables.control,
        Key: { pk: 'rate#bucket-h' },
        UpdateExpression: 'SET n = :two, expiresAt = :ttl',
        ExpressionAttributeValues: { ':two': 2, ':ttl': EXPIRES.getTime() / 1000 },
      }),
    );
    for (const [member, rank] of [
      ['old-1', 1],
      ['old-2', 2],
    ] as const) {
      await dynamo.client.send(
        new PutCommand({
          TableName: dynamo.tables.control,
          Item: { pk: `rate#bucket-h#${member}`, rank, expiresAt: EXPIRES.getTime() / 1000 },
        }),
      );
    }

    const fresh = await counter.rank('bucket-h', 'new-1', EXPIRES);
    const old = await counter.rank('bucket-h', 'old-2', EXPIRES);
    const oldAgain = await counter.rank('bucket-h', 'old-2', EXPIRES);
    const next = await counter.rank('bucket-h', 'new-2', EXPIRES);

    expect(fresh).toBe(3);
    expect([old, oldAgain]).toEqual([2, 2]);
    expect(next).toBe(5);
  });

  it('records every rank a policy can allow: the schema refuses limits past the cap', () => {
    const limits = (receipts: number, flood: number) =>
      AutomaticRepliesSchema.safeParse({
        receiptsPerAddressPerDay: receipts,
        flood: { messages: flood, windowMinutes: 60 },
      }).success;

    expect(limits(RECORDED_RANKS, RECORDED_RANKS)).toBe(true);
    expect(limits(RECORDED_RANKS + 1, 10)).toBe(false);
    expect(limits(5, RECORDED_RANKS + 1)).toBe(false);
  });
});
