import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { StoreError } from '../../errors';
import type { RateCounter } from '../../domain/messaging/rate-counter';
import { isConditionalCheckFailed, toStoreError } from './store-errors';
import type { TableNames } from './table-definitions';

export interface DynamoDbRateCounterConfig {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'control'>;
  /** Ranks recorded per member in a bucket (default `RECORDED_RANKS`); for tests. */
  readonly recordedRanks?: number;
}

/**
 * Ranks recorded per member in one bucket: above every limit a policy can state
 * (`automaticReplies.receiptsPerAddressPerDay` and `flood.messages` are at most 1,000), so every rank a
 * caller allows is recorded. 1,000 members of 64 characters keep the bucket's item near 70 KB, under
 * DynamoDB's 400 KB.
 */
export const RECORDED_RANKS = 1000;

/** The attribute holding a member's rank on its bucket's item. */
function memberAttribute(member: string): string {
  return `m:${member}`;
}

/**
 * `RateCounter` on the `control` table, one item per bucket (`rate#<bucket>`) and single-item conditional
 * writes only (no transactions, so the same code runs on dynalite). The item holds `n` (ranks given), `given`
 * (ranks given by this layout) and one attribute `m:<member>` per recorded member holding its rank.
 * - A new member costs one request: an UpdateItem that sets `n = n + 1` and `m:<member> = n + 1` only if
 *   `m:<member>` is absent and `n` is below `RECORDED_RANKS`. DynamoDB applies it atomically, so no two members
 *   get one rank and concurrent calls for one member record it once.
 * - When the condition fails, a consistent read of the item gives the member's recorded rank (a retried step, a
 *   redelivered message: same rank, two requests).
 * - Past `RECORDED_RANKS` members, a member is no longer recorded: each call increments `n` and gets a new rank
 *   (three requests), distinct and above the cap, hence above every limit: a member asked again past the cap
 *   gets another rank but the same answer (`rank > limit`), and the count errs upwards.
 * - Ranks given by the previous layout (a counter `n` on the same item and one item `rate#<bucket>#<member>`
 *   per member; items live two days) are honoured: `n` goes on counting, and when `n` exceeds `given` the
 *   bucket holds such ranks, so the member's old item is read (one more request) and its rank wins. An old and
 *   a new instance ranking the same member at the same moment during a deployment may count it twice (towards
 *   sending less).
 * The item carries `expiresAt` (epoch seconds) for the table's TTL; nothing relies on it.
 */
export class DynamoDbRateCounter implements RateCounter {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly recordedRanks: number;

  constructor(config: DynamoDbRateCounterConfig) {
    this.client = config.client;
    this.table = config.tables.control;
    this.recordedRanks = config.recordedRanks ?? RECORDED_RANKS;
  }

  async rank(bucket: string, member: string, expiresAt: Date): Promise<number> {
    const key = `rate#${bucket}`;
    const attribute = memberAttribute(member);
    const ttl = Math.ceil(expiresAt.getTime() / 1000);
    let recorded: Record<string, unknown>;
    try {
      const output = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: key },
          ConditionExpression: 'attribute_not_exists(#member) AND (attribute_not_exists(#n) OR #n < :cap)',
          UpdateExpression:
            'SET #n = if_not_exists(#n, :zero) + :one, #member = if_not_exists(#n, :zero) + :one, ' +
            '#given = if_not_exists(#given, :zero) + :one, expiresAt = :ttl',
          ExpressionAttributeNames: { '#n': 'n', '#given': 'given', '#member': attribute },
          ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':cap': this.recordedRanks, ':ttl': ttl },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      recorded = output.Attributes ?? {};
    } catch (error) {
      if (!isConditionalCheckFailed(error))
        throw toStoreError(error, { operation: 'UpdateItem', table: 'control' });
      return this.rankOfKnownBucket(bucket, member, ttl);
    }
    const rank = positiveInteger(recorded[attribute], 'UpdateItem');
    if (hasOldRanks(recorded)) return (await this.oldRank(bucket, member)) ?? rank;
    return rank;
  }

  /** After the conditional update failed: the member is recorded, or the bucket is past the cap. */
  private async rankOfKnownBucket(bucket: string, member: string, ttl: number): Promise<number> {
    const item = await this.read(`rate#${bucket}`);
    if (item !== undefined && hasOldRanks(item)) {
      const old = await this.oldRank(bucket, member);
      if (old !== undefined) return old;
    }
    const recorded = item?.[memberAttribute(member)];
    if (recorded !== undefined) return positiveInteger(recorded, 'GetItem');
    const n = item?.n;
    if (typeof n !== 'number' || n < this.recordedRanks) {
      throw lostBucket();
    }
    return this.rankPastCap(`rate#${bucket}`, ttl);
  }

  /** A rank past the cap: distinct from every other rank, not recorded for the member. */
  private async rankPastCap(key: string, ttl: number): Promise<number> {
    let value: unknown;
    try {
      const output = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: key },
          ConditionExpression: 'attribute_exists(#n)',
          UpdateExpression:
            'SET #n = #n + :one, #given = if_not_exists(#given, :zero) + :one, expiresAt = :ttl',
          ExpressionAttributeNames: { '#n': 'n', '#given': 'given' },
          ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':ttl': ttl },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      value = output.Attributes?.n;
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw lostBucket();
      throw toStoreError(error, { operation: 'UpdateItem', table: 'control' });
    }
    return positiveInteger(value, 'UpdateItem');
  }

  /** The member's rank as the previous layout recorded it (`rate#<bucket>#<member>`), if any. */
  private async oldRank(bucket: string, member: string): Promise<number | undefined> {
    const rank = (await this.read(`rate#${bucket}#${member}`))?.rank;
    return typeof rank === 'number' ? rank : undefined;
  }

  private async read(key: string): Promise<Record<string, unknown> | undefined> {
    try {
      const output = await this.client.send(
        new GetCommand({ TableName: this.table, Key: { pk: key }, ConsistentRead: true }),
      );
      return output.Item;
    } catch (error) {
      throw toStoreError(error, { operation: 'GetItem', table: 'control' });
    }
  }
}

/** Whether the previous layout gave ranks in this bucket: `n` counts them, `given` does not. */
function hasOldRanks(item: Record<string, unknown>): boolean {
  const n = item.n;
  const given = typeof item.given === 'number' ? item.given : 0;
  return typeof n === 'number' && n > given;
}

/** The item expired or was removed between two requests: the caller's retry starts afresh. */
function lostBucket(): StoreError {
  return new StoreError('The rate counter lost a bucket it had read.', {
    transient: true,
    details: { operation: 'GetItem', table: 'control' },
  });
}

function positiveInteger(value: unknown, operation: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new StoreError('The rate counter returned no usable rank.', {
      transient: false,
      details: { operation, table: 'control' },
    });
  }
  return value;
}
