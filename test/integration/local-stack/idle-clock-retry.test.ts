import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { LocalIdentityProvider } from '../../../infra/local/auth/local-identity-provider';
import { ActivityTracker } from '../../../infra/local/clock/activity-tracker';
import { VirtualClock } from '../../../infra/local/clock/virtual-clock';
import { createLocalConsole } from '../../../infra/local/console-log';
import { createLocalHttpServer } from '../../../infra/local/http-server';
import { Outbox } from '../../../infra/local/outbox';
import { DynamoDbCaseLedger } from '../../../shared/adapters/dynamodb';
import {
  TABLE_DEFINITIONS,
  tableName,
  toCreateTableInput,
} from '../../../shared/adapters/dynamodb/table-definitions';
import type { TableNames } from '../../../shared/adapters/dynamodb/table-definitions';

/**
 * While the virtual clock is idle (after a move, nobody moving it), an HTTP request whose DynamoDB call is
 * throttled once must still complete: the AWS SDK's retry backoff is a `setTimeout`, armed on the virtual
 * clock, which used to fire only at the next clock move (reads hung 30–90 s, or until someone moved time).
 * The request runs as the local stack runs one: through the local HTTP server (tracked work), on the real
 * ledger adapter, the real SDK client and dynalite, with the clock installed after the emulator.
 */
const dynalite = createRequire(__filename)('dynalite') as (options: Record<string, number>) => Server;
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;

let dynamo: Server;
let api: Server | undefined;
let client: DynamoDBDocumentClient;
let clock: VirtualClock | undefined;
let tables: TableNames;
/** Queries dynalite answers with a throttling error before it answers normally again. */
let throttleQueries = 0;
let throttled = 0;

beforeAll(async () => {
  dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const [emulator] = dynamo.listeners('request') as RequestListener[];
  if (emulator === undefined) throw new Error('dynalite has no request listener');
  dynamo.removeAllListeners('request');
  dynamo.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (throttleQueries > 0 && request.headers['x-amz-target'] === 'DynamoDB_20120810.Query') {
      throttleQueries -= 1;
      throttled += 1;
      request.resume();
      const body = JSON.stringify({
        __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException',
        message: 'Rate of requests exceeds the allowed throughput.',
      });
      response.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(body);
      return;
    }
    void emulator(request, response);
  });
  await new Promise<void>((resolve) => dynamo.listen(0, '127.0.0.1', () => resolve()));
  const rawClient = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`,
    region: 'ca-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  client = DynamoDBDocumentClient.from(rawClient);
  tables = Object.fromEntries(
    TABLE_DEFINITIONS.map((definition) => [definition.id, tableName('idle', definition)]),
  ) as unknown as TableNames;
  for (const definition of TABLE_DEFINITIONS) {
    await rawClient.send(
      new CreateTableCommand(toCreateTableInput(definition, tableName('idle', definition))),
    );
  }
});

afterAll(async () => {
  clock?.uninstall();
  if (api !== undefined) {
    api.closeAllConnections();
    await new Promise((resolve) => api?.close(resolve));
  }
  client.destroy();
  dynamo.closeAllConnections();
  await new Promise((resolve) => dynamo.close(resolve));
});

/** `work`'s outcome, or 'still waiting' after `ms` real milliseconds. */
function within<T>(ms: number, work: Promise<T>): Promise<T | 'still waiting'> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'still waiting'>((resolve) => {
    timer = realSetTimeout(() => resolve('still waiting'), ms);
  });
  return Promise.race([work, late]).finally(() => realClearTimeout(timer));
}

describe('a request on an idle virtual clock', () => {
  it('completes within a few real seconds when its DynamoDB call is throttled once', async () => {
    const activity = new ActivityTracker();
    clock = VirtualClock.install({ now: '2027-01-04T14:00:00Z', activity });
    const ledger = new DynamoDbCaseLedger({ client, tables });
    api = createLocalHttpServer({
      ready: true,
      activity,
      identity: LocalIdentityProvider.open(),
      outbox: new Outbox(),
      console: createLocalConsole({ quiet: true, stderr: () => undefined }),
      routes: [
        {
          method: 'GET',
          path: '/api/audit/cases/{caseId}/timeline',
          authorizer: 'none',
          handler: async (event: { pathParameters: { caseId: string } }) => {
            const events = await ledger.read(event.pathParameters.caseId);
            return { statusCode: 200, body: JSON.stringify({ events: events.length }) };
          },
        },
      ],
    });
    await new Promise<void>((resolve) => api?.listen(0, '127.0.0.1', () => resolve()));
    const base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    await clock.advanceBy('P3D');
    throttleQueries = 1;
    const realStart = performance.now();

    const response = await within(
      10_000,
      fetch(`${base}/api/audit/cases/case-0001-idle/timeline`).then(async (answer) => ({
        status: answer.status,
        body: await answer.text(),
      })),
    );

    expect(throttled).toBe(1);
    expect(response).toEqual({ status: 200, body: '{"events":0}' });
    expect(performance.now() - realStart).toBeLessThan(5_000);
    expect(activity.inFlight).toBe(0);
  }, 20_000);
});
