import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { elapsedMs, runPool } from './stats';

/**
 * The baseline the stack's figures are compared with: bare DynamoDB PutItem round trips on the stack's own
 * dynalite, through the stack's own client (`LocalStack.dynamo`: the same SDK, the same way to dynalite as its
 * handlers' requests), each item the size of a small case record, in the control table under keys no code
 * reads. Resolves with each round trip's real milliseconds and the wall time of them all (warm-up excluded).
 */
export async function putItemRoundTrips(
  dynamo: DynamoDBClient,
  table: string,
  count: number,
  concurrency: number,
): Promise<{ samples: number[]; wallMs: number }> {
  const run = Date.now().toString(36);
  const put = (key: string) =>
    dynamo.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          pk: { S: `bench#${run}#${key}` },
          subject: { S: 'Effectifs de la fonction publique' },
          body: { S: 'Bonjour,\nPourriez-vous me transmettre les effectifs par ministère?\nMerci.' },
          at: { S: new Date().toISOString() },
        },
      }),
    );
  await runPool([0, 1, 2, 3], concurrency, (i) => put(`warm-${i}`));
  const start = process.hrtime.bigint();
  const samples = await runPool(
    Array.from({ length: count }, (_, i) => i),
    concurrency,
    async (i) => {
      const begin = process.hrtime.bigint();
      await put(String(i));
      return elapsedMs(begin);
    },
  );
  return { samples, wallMs: elapsedMs(start) };
}
