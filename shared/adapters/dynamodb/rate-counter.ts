import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { StoreError } from '../../errors';
import type { RateCounter } from '../../domain/messaging/rate-counter';
import { incrementCounter } from './counter-item';
import { isConditionalCheckFailed, toStoreError } from './store-errors';
import type { TableNames } from './table-definitions';

export interface DynamoDbRateCounterConfig {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'control'>;
}

/**
 * `RateCounter` on the `control` table, with single-item conditional writes only (no transactions, so the same
 * code runs on dynalite): a bucket is one counter item (`rate#<bucket>`) and each member one item
 * (`rate#<bucket>#<member>`) holding its rank.
 * 1. the member's item is read (consistent): a member already ranked keeps its rank;
 * 2. the counter is incremented atomically (`if_not_exists(n, 0) + 1`), which gives a rank no other caller gets;
 * 3. the member's item is written only if absent; if a concurrent call for the same member won, its rank is
 *    returned and the increment is lost (the count errs upwards, towards sending less).
 * A crash between 2 and 3 also loses one increment, never gives two members one rank. Items carry `expiresAt`
 * (epoch seconds) for the table's TTL.
 */
export class DynamoDbRateCounter implements RateCounter {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(config: DynamoDbRateCounterConfig) {
    this.client = config.client;
    this.table = config.tables.control;
  }

  async rank(bucket: string, member: string, expiresAt: Date): Promise<number> {
    const memberKey = `rate#${bucket}#${member}`;
    const existing = await this.readRank(memberKey);
    if (existing !== undefined) return existing;
    const ttl = Math.ceil(expiresAt.getTime() / 1000);
    const rank = await incrementCounter(this.client, this.table, {
      key: `rate#${bucket}`,
      attribute: 'n',
      what: 'rate counter',
      expiresAt: ttl,
    });
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: memberKey, rank, expiresAt: ttl },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return rank;
    } catch (error) {
      if (!isConditionalCheckFailed(error))
        throw toStoreError(error, { operation: 'PutItem', table: 'control' });
    }
    const winner = await this.readRank(memberKey);
    if (winner === undefined) {
      throw new StoreError('The rate counter lost a member it had recorded.', {
        transient: true,
        details: { operation: 'GetItem', table: 'control' },
      });
    }
    return winner;
  }

  private async readRank(key: string): Promise<number | undefined> {
    try {
      const output = await this.client.send(
        new GetCommand({ TableName: this.table, Key: { pk: key }, ConsistentRead: true }),
      );
      const rank: unknown = output.Item?.rank;
      return typeof rank === 'number' ? rank : undefined;
    } catch (error) {
      throw toStoreError(error, { operation: 'GetItem', table: 'control' });
    }
  }
}
