import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The document client the DynamoDB adapters are given, on the client it is handed (a Lambda's own, the local
 * stack's on dynalite, a command's on the operator's credentials). An absent optional field (`undefined`) in a
 * map or a list of an item is left out of what is written: without `removeUndefinedValues` the SDK refuses the
 * whole request.
 */
export function documentClientOn(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
