import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';

import { documentClientOn } from '../../../shared/adapters/ports/document-client';

/**
 * The document client the entry points, the local stack and the commands build: an item whose map has an
 * absent optional field is written without that field. The request stops before the network; its body is what
 * DynamoDB would have received.
 */
describe('documentClientOn', () => {
  it('writes a map of an item without its undefined fields', async () => {
    // Arrange
    const raw = new DynamoDBClient({
      region: 'ca-central-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const bodies: string[] = [];
    raw.middlewareStack.add(
      () => async (args) => {
        bodies.push(String((args.request as { body?: unknown }).body));
        return { output: { $metadata: {} }, response: {} };
      },
      { step: 'finalizeRequest', name: 'captureBody' },
    );
    const client = documentClientOn(raw);

    // Act
    await client.send(
      new PutCommand({
        TableName: 'jalon-test-cases',
        Item: { pk: 'CASE#1', requester: { language: 'fr', phone: undefined } },
      }),
    );

    // Assert
    expect(bodies).toHaveLength(1);
    expect(JSON.parse(bodies[0] ?? '{}')).toEqual({
      TableName: 'jalon-test-cases',
      Item: { pk: { S: 'CASE#1' }, requester: { M: { language: { S: 'fr' } } } },
    });
  });
});
