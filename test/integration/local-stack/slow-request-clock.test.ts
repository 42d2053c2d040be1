import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

import { ActivityTracker } from '../../../infra/local/clock/activity-tracker';
import { VirtualClock } from '../../../infra/local/clock/virtual-clock';
import { keepIdleConnections, localRequestHandler } from '../../../infra/local/emulators';

/**
 * A request the machine slows down (here an emulator that answers after 3.5 s of real time) must not move
 * virtual time. The SDK's default HTTP handler arms two 3-second timers per request with the faked
 * `setTimeout`; the clock, seeing tracked work make no progress for a second with a timer 3 s ahead, took it for
 * an SDK retry backoff and moved there (and, while idle, let it fire once 3 s of real time had passed): local
 * messages were dated 3 s late whenever the machine was loaded. The local stack's clients
 * (`localRequestHandler`) arm none, while keeping their connections alive.
 */
const START = '2026-12-18T15:00:00.000Z';
const SLOW_MS = 3_500;
const realSetTimeout = globalThis.setTimeout;
let server: Server;
let endpoint: string;
let delayMs = 0;
let connections = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    realSetTimeout(() => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify({ TableNames: [] }));
    }, delayMs);
  });
  keepIdleConnections(server);
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function clientWith(requestHandler?: ReturnType<typeof localRequestHandler>) {
  return new DynamoDBClient({
    endpoint,
    region: 'ca-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    ...(requestHandler !== undefined ? { requestHandler } : {}),
  });
}

/**
 * Virtual milliseconds that passed while tracked work made one slow request: with `settle`, during a
 * `runUntilIdle` (a clock move's wait); without, while the clock was idle (its watcher of in-flight work).
 */
async function virtualTimeDuringSlowRequest(
  requestHandler: ReturnType<typeof localRequestHandler> | undefined,
  settle: boolean,
) {
  const client = clientWith(requestHandler);
  const activity = new ActivityTracker();
  const clock = VirtualClock.install({ now: START, activity });
  delayMs = SLOW_MS;
  try {
    const end = activity.begin('slow request');
    const request = client.send(new ListTablesCommand({})).finally(end);
    if (settle) await clock.runUntilIdle();
    await request;
    return clock.now().getTime() - Date.parse(START);
  } finally {
    delayMs = 0;
    clock.uninstall();
    client.destroy();
  }
}

/**
 * Connections the server accepted for `count` requests made one after the other by one client, `pauseMs` of
 * real time apart.
 */
async function connectionsFor(
  count: number,
  requestHandler?: ReturnType<typeof localRequestHandler>,
  pauseMs = 0,
) {
  const client = clientWith(requestHandler);
  const before = connections;
  try {
    for (let i = 0; i < count; i++) {
      if (i > 0 && pauseMs > 0) await new Promise((resolve) => realSetTimeout(resolve, pauseMs));
      await client.send(new ListTablesCommand({}));
    }
    return connections - before;
  } finally {
    client.destroy();
  }
}

describe('a slow emulator request under the virtual clock', () => {
  it('moves no virtual time with the local stack’s request handler, during a clock move’s wait', async () => {
    expect(await virtualTimeDuringSlowRequest(localRequestHandler(), true)).toBe(0);
  }, 20_000);

  it('moves no virtual time with the local stack’s request handler, while the clock is idle', async () => {
    expect(await virtualTimeDuringSlowRequest(localRequestHandler(), false)).toBe(0);
  }, 20_000);

  it('moved virtual time 3 s ahead with the SDK’s default handler (the cause, kept visible)', async () => {
    expect(await virtualTimeDuringSlowRequest(undefined, true)).toBe(3_000);
  }, 20_000);
});

describe('the local stack’s request handler', () => {
  it('sends one client’s successive requests over one kept-alive connection', async () => {
    expect(await connectionsFor(5, localRequestHandler())).toBe(1);
  });

  it('keeps using it after an idle stretch longer than Node’s default server keep-alive (5 s)', async () => {
    expect(await connectionsFor(2, localRequestHandler(), 7_000)).toBe(1);
  }, 20_000);
});
