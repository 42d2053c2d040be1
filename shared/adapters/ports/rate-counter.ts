import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbRateCounter } from '../dynamodb/rate-counter';
import type { TableNames } from '../dynamodb/table-definitions';

/** Automatic receipts per address and day, mail per sender and window, in the control table. */
export function rateCounterOn(input: {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'control'>;
}): DynamoDbRateCounter {
  return new DynamoDbRateCounter({ client: input.client, tables: { control: input.tables.control } });
}
