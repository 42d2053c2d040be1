import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { StoreError } from '../../errors';
import { toStoreError } from './store-errors';

/**
 * Increments a counter item of the `control` table atomically (`if_not_exists(attribute, 0) + 1`) and returns
 * the new value: a number no other caller gets. `expiresAt` (epoch seconds) is set on the item for the table's
 * TTL when given. The counter's item layout is the caller's: `attribute` names the number.
 *
 * @throws StoreError when the store fails or returns no positive integer (`what` names the counter).
 */
export async function incrementCounter(
  client: DynamoDBDocumentClient,
  table: string,
  counter: {
    readonly key: string;
    readonly attribute: string;
    readonly what: string;
    readonly expiresAt?: number;
  },
): Promise<number> {
  let value: unknown;
  try {
    const output = await client.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: counter.key },
        UpdateExpression:
          counter.expiresAt === undefined
            ? 'SET #value = if_not_exists(#value, :zero) + :one'
            : 'SET #value = if_not_exists(#value, :zero) + :one, expiresAt = :ttl',
        ExpressionAttributeNames: { '#value': counter.attribute },
        ExpressionAttributeValues: {
          ':zero': 0,
          ':one': 1,
          ...(counter.expiresAt === undefined ? {} : { ':ttl': counter.expiresAt }),
        },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    value = output.Attributes?.[counter.attribute];
  } catch (error) {
    throw toStoreError(error, { operation: 'UpdateItem', table: 'control' });
  }
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new StoreError(`The ${counter.what} returned no usable value.`, {
      transient: false,
      details: { operation: 'UpdateItem', table: 'control' },
    });
  }
  return value;
}
