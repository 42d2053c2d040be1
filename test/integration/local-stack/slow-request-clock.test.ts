import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

import { ActivityTracker } from '../../../infra/local/clock/activity-tracker';
import { VirtualClock } from '../../../infra/local/clock/virtual-clock';
import { localRequestHandler } from '../../../infra/local/emulators';

/**
 * A request the machine slows down (here an emulator that answers after 2 s of real time) must not move virtual
 * time. The SDK's default HTTP handler arms two 3-second timers per request with the faked `setTimeout`; the
 * clock, seeing tracked work make no progress for a second with a timer 3 s ahead, took it for an SDK retry
 * backoff and moved there: local messages were dated 3 s late whenever the machine was loaded. The local
 * stack's clients (`localRequestHandler`) arm none.
 */
const START = '2026-12-18T15:00:00.000Z';
const realSetTimeout = globalThis.setTimeout;
let server: Server;
let endpoint: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    realSetTimeout(() => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify({ TableNames: [] }));
    }, 2_000);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Virtual milliseconds that passed while tracked work made one slow request and the clock settled. */
async function virtualTimeDuringSlowRequest(requestHandler?: ReturnType<typeof localRequestHandler>) {
  const client = new DynamoDBClient({
    endpoint,
    region: 'ca-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    ...(requestHandler !== undefined ? { requestHandler } : {}),
  });
  const activity = new ActivityTracker();
  const clock = VirtualClock.install({ now: START, activity });
  try {
    const end = activity.begin('slow request');
    const request = client.send(new ListTablesCommand({})).finally(end);
    await clock.runUntilIdle();
    await request;
    return clock.now().getTime() - Date.parse(START);
  } finally {
    clock.uninstall();
    client.destroy();
  }
}

describe('a slow emulator request under the virtual clock', () => {
  it('moves no virtual time with the local stack’s request handler', async () => {
    expect(await virtualTimeDuringSlowRequest(localRequestHandler())).toBe(0);
  }, 20_000);

  it('moved virtual time 3 s ahead with the SDK’s default handler (the cause, kept visible)', async () => {
    expect(await virtualTimeDuringSlowRequest()).toBe(3_000);
  }, 20_000);
});
