import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { eventsOfItem } from '../../shared/adapters/dynamodb/ledger-head';
import { mirrorEventKey } from '../../shared/adapters/s3/ledger-mirror-reader';
import { ledgerMirrorBody } from '../../shared/domain/ledger/mirror-layout';

/**
 * Stands in for the ledger mirror's writer in tests: creates the mirror bucket and puts every event of the
 * cases, as the ledger table holds them now, in the mirror's layout (`ledger/v1/<caseId>/<seq, 10 digits>.json`,
 * each event of an item under its own key, body `ledgerMirrorBody`).
 */
export async function mirrorLedger(input: {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly dynamo: DynamoDBDocumentClient;
  readonly ledgerTable: string;
  readonly caseIds: readonly string[];
}): Promise<number> {
  await input.s3.send(new CreateBucketCommand({ Bucket: input.bucket })).catch((error: unknown) => {
    const name = (error as { name?: string }).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  });
  let objects = 0;
  for (const caseId of input.caseIds) {
    const output = await input.dynamo.send(
      new QueryCommand({
        TableName: input.ledgerTable,
        KeyConditionExpression: 'caseId = :caseId',
        ExpressionAttributeValues: { ':caseId': caseId },
      }),
    );
    for (const event of (output.Items ?? []).flatMap(eventsOfItem)) {
      await input.s3.send(
        new PutObjectCommand({
          Bucket: input.bucket,
          Key: mirrorEventKey(caseId, event.seq),
          Body: ledgerMirrorBody(event),
          ContentType: 'application/json',
        }),
      );
      objects += 1;
    }
  }
  return objects;
}
