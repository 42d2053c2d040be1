import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { DynamoDbReferenceAllocator } from '../dynamodb/dynamodb-reference-allocator';
import type { TableNames } from '../dynamodb/table-definitions';

/** The case references' yearly counters, in the control table. */
export function referencesOn(input: {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'control'>;
}): DynamoDbReferenceAllocator {
  return new DynamoDbReferenceAllocator({ client: input.client, tables: { control: input.tables.control } });
}
