import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';

import { ActivityTracker } from '../../../infra/local/clock/activity-tracker';
import { VirtualClock } from '../../../infra/local/clock/virtual-clock';
import { localClientOptions } from '../../../infra/local/emulators';

/**
 * The SDK corrects its signing clock from the `Date` header of each response, which Node writes from the real
 * clock, while the local stack's `Date` is virtual (weeks or months away). Every response then looked skewed, and
 * an error answered in another real second than the previous response was marked "clock skew corrected", which
 * the SDK retries as transient: a conditional put that lost a race was sent again after a backoff armed on the
 * faked timers, and the virtual clock moved under it (a case closed 53 ms after the instant the scenario set).
 * The local stack's clients sign with the stack's own clock and take no correction from the emulators.
 */
const START = '2027-01-12T18:00:00.000Z';
let server: Server;
let endpoint: string;
let responses = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      responses += 1;
      // Each answer in a later real second, as on a machine where requests straddle a second.
      const date = new Date(Math.floor(performance.timeOrigin / 1000) * 1000 + responses * 1000);
      const headers = { 'content-type': 'application/x-amz-json-1.0', date: date.toUTCString() };
      if (body.includes('ConditionExpression')) {
        response.writeHead(400, headers);
        response.end(
          JSON.stringify({
            __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
            message: 'The conditional request failed',
          }),
        );
      } else {
        response.writeHead(200, headers);
        response.end('{}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** How many attempts a conditional put that fails takes, and the virtual time that passed meanwhile. */
async function failedConditionalPut(options: Partial<ReturnType<typeof localClientOptions>>) {
  const client = new DynamoDBClient({
    endpoint,
    region: 'ca-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    ...options,
  });
  const activity = new ActivityTracker();
  const clock = VirtualClock.install({ now: START, activity, technicalTimerGraceMs: 50 });
  try {
    const end = activity.begin('conditional put');
    const attempts = (async () => {
      await client.send(new GetItemCommand({ TableName: 't', Key: { id: { S: 'a' } } }));
      try {
        await client.send(
          new PutItemCommand({
            TableName: 't',
            Item: { id: { S: 'a' } },
            ConditionExpression: 'attribute_not_exists(id)',
          }),
        );
        return 0;
      } catch (error) {
        return (error as { $metadata: { attempts?: number } }).$metadata.attempts ?? 0;
      }
    })().finally(end);
    await clock.runUntilIdle();
    return { attempts: await attempts, movedMs: clock.now().getTime() - Date.parse(START) };
  } finally {
    clock.uninstall();
    client.destroy();
  }
}

describe('a conditional put that fails under the virtual clock', () => {
  it('is answered once and moves no virtual time with the local stack’s client options', async () => {
    expect(await failedConditionalPut(localClientOptions())).toEqual({ attempts: 1, movedMs: 0 });
  }, 20_000);

  it('was retried as a clock-skew correction with the SDK’s defaults (the cause, kept visible)', async () => {
    const { attempts } = await failedConditionalPut({ requestHandler: localClientOptions().requestHandler });
    expect(attempts).toBeGreaterThan(1);
  }, 20_000);
});
