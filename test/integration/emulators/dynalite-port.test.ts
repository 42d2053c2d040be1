import { subscribe, unsubscribe } from 'node:diagnostics_channel';

import * as FakeTimers from '@sinonjs/fake-timers';
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';

import { DYNALITE_PORT_CHANNELS } from '../../../infra/local/dynalite-port';
import type { PortRequestMessage } from '../../../infra/local/dynalite-port';
import { startDynaliteServer, untilActive } from '../../../infra/local/emulators';
import type { DynaliteServer } from '../../../infra/local/emulators';

/**
 * The local stack's DynamoDB client sends its requests to dynalite's thread over a `MessagePort`
 * (`DynalitePortHandler`): the same SDK client, dynalite's own request listener, no socket. What it must keep:
 * dynalite's answers and errors as over HTTP, one dynalite behind the port and the HTTP port, requests in flight
 * answered by a stop and later ones refused as a refused connection is, and each request published for the bench.
 */
const TABLE = 'jalon-port-test';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let server: DynaliteServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function start(): Promise<{ overPort: DynamoDBClient; overHttp: DynamoDBClient; port: number }> {
  server = await startDynaliteServer({ createTableMs: 0 });
  const endpoint = `http://127.0.0.1:${server.port}`;
  const overPort = new DynamoDBClient({
    endpoint,
    region: 'ca-central-1',
    credentials,
    maxAttempts: 1,
    requestHandler: server.requestHandler!.asRequestHandler(),
  });
  const overHttp = new DynamoDBClient({ endpoint, region: 'ca-central-1', credentials, maxAttempts: 1 });
  await overPort.send(
    new CreateTableCommand({
      TableName: TABLE,
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await untilActive(overPort, TABLE);
  return { overPort, overHttp, port: server.port };
}

function put(pk: string, text: string) {
  return new PutItemCommand({
    TableName: TABLE,
    Item: { pk: { S: pk }, text: { S: text } },
    ConditionExpression: 'attribute_not_exists(pk)',
  });
}

describe("the stack's DynamoDB client over dynalite's port", () => {
  it('is answered by the same dynalite as its HTTP port, accents and all', async () => {
    const { overPort, overHttp } = await start();

    await overPort.send(put('c-1', 'Demande d’accès — réponse'));
    const overHttpRead = await overHttp.send(
      new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'c-1' } }, ConsistentRead: true }),
    );
    await overHttp.send(put('c-2', 'écrit par HTTP'));
    const overPortRead = await overPort.send(
      new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'c-2' } }, ConsistentRead: true }),
    );

    expect(overHttpRead.Item?.text).toEqual({ S: 'Demande d’accès — réponse' });
    expect(overPortRead.Item?.text).toEqual({ S: 'écrit par HTTP' });
    expect(overPortRead.$metadata.httpStatusCode).toBe(200);
    expect(overPortRead.$metadata.requestId).toMatch(/^[A-Z0-9]{52}$/);
  });

  it("passes dynalite's errors on as the SDK's", async () => {
    const { overPort } = await start();
    await overPort.send(put('c-1', 'first'));

    const second = overPort.send(put('c-1', 'second'));

    await expect(second).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    await expect(
      overPort.send(new GetItemCommand({ TableName: 'no-such-table', Key: { pk: { S: 'x' } } })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('answers the requests in flight when it stops, and refuses the later ones as a refused connection', async () => {
    const { overPort } = await start();
    let sent = 0;
    let allSent = () => {};
    const everySent = new Promise<void>((resolve) => (allSent = resolve));
    const onStart = () => {
      sent += 1;
      if (sent === 20) allSent();
    };
    subscribe(DYNALITE_PORT_CHANNELS.start, onStart);
    const inFlight = Array.from({ length: 20 }, (_, i) => overPort.send(put(`c-${i}`, 'en cours')));
    // Each request is published as it goes to the port; the SDK's own steps before that (signing) are async.
    await everySent;
    unsubscribe(DYNALITE_PORT_CHANNELS.start, onStart);

    const stopped = server!.stop();
    server = undefined;
    const answered = await Promise.allSettled(inFlight);
    await stopped;

    expect(answered.map((outcome) => outcome.status)).toEqual(Array(20).fill('fulfilled'));
    await expect(overPort.send(put('c-late', 'trop tard'))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('arms no timer for a request, which the virtual clock could take for awaited work', async () => {
    const { overPort } = await start();
    const clock = FakeTimers.install({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'],
    });
    try {
      let timersInFlight = -1;
      const onStart = () => (timersInFlight = clock.countTimers());
      subscribe(DYNALITE_PORT_CHANNELS.start, onStart);
      try {
        await overPort.send(put('c-1', 'sans minuterie'));
      } finally {
        unsubscribe(DYNALITE_PORT_CHANNELS.start, onStart);
      }

      expect(timersInFlight).toBe(0);
      expect(clock.countTimers()).toBe(0);
    } finally {
      clock.uninstall();
    }
  });

  it('sends nothing for a request already aborted', async () => {
    const { overPort } = await start();
    const controller = new AbortController();
    controller.abort();

    await expect(
      overPort.send(put('c-1', 'abandonné'), { abortSignal: controller.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    const read = await overPort.send(
      new GetItemCommand({ TableName: TABLE, Key: { pk: { S: 'c-1' } }, ConsistentRead: true }),
    );
    expect(read.Item).toBeUndefined();
  });

  it("publishes each request, with the HTTP port's number, its target and its bytes, at its start and end", async () => {
    const { overPort, port } = await start();
    const seen: { phase: string; message: PortRequestMessage; received: number }[] = [];
    const onStart = (message: unknown) =>
      seen.push({ phase: 'start', message: message as PortRequestMessage, received: -1 });
    const onFinish = (message: unknown) => {
      const finished = message as PortRequestMessage;
      seen.push({ phase: 'finish', message: finished, received: finished.receivedBytes });
    };
    subscribe(DYNALITE_PORT_CHANNELS.start, onStart);
    subscribe(DYNALITE_PORT_CHANNELS.finish, onFinish);
    try {
      await overPort.send(put('c-1', 'compté'));
    } finally {
      unsubscribe(DYNALITE_PORT_CHANNELS.start, onStart);
      unsubscribe(DYNALITE_PORT_CHANNELS.finish, onFinish);
    }

    expect(seen.map(({ phase }) => phase)).toEqual(['start', 'finish']);
    expect(seen[0]!.message).toBe(seen[1]!.message);
    expect(seen[0]!.message).toMatchObject({
      port,
      target: 'DynamoDB_20120810.PutItem',
      method: 'POST',
      authorization: expect.stringMatching(/^AWS4-HMAC-SHA256 Credential=local\//),
    });
    expect(seen[0]!.message.sentBytes).toBeGreaterThan(50);
    // A PutItem answers `{}`.
    expect(seen[1]!.received).toBe(2);
  });
});
