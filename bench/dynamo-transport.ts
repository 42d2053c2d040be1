import { Agent } from 'node:http';

import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

import { localRequestHandler, startDynaliteServer, untilActive } from '../infra/local/emulators';

const TABLE = 'jalon-bench-transport';
const PUTS = 2_000;
const ROUNDS = 3;

/** One way of reaching dynalite's thread from the SDK client. */
interface Transport {
  readonly name: string;
  readonly requestHandler: DynamoDBClientConfig['requestHandler'];
}

interface Measured {
  readonly msPerPut: number;
  readonly cpuMsPerPut: number;
}

/**
 * How the local stack's DynamoDB client reaches dynalite on its thread (`docs/write-path.md`, "The stack's
 * DynamoDB client over a port"): `PUTS` PutItems one after another through each transport, in `ROUNDS` rounds
 * taken alternately, on one dynalite: a new connection per request (the HTTP handler the local stack's other
 * clients use), HTTP with keep-alive (the SDK's default), and the port. Prints each one's real time and this
 * thread's CPU per request in the last round (the first ones warm up), and their ratios to the first.
 */
export async function benchDynamoTransport(): Promise<void> {
  const server = await startDynaliteServer({ createTableMs: 0 });
  const endpoint = `http://127.0.0.1:${server.port}`;
  const transports: Transport[] = [
    { name: 'HTTP, a connection per request', requestHandler: localRequestHandler() },
    { name: 'HTTP, keep-alive', requestHandler: { httpAgent: new Agent({ keepAlive: true }) } },
    { name: "dynalite's port", requestHandler: server.requestHandler!.asRequestHandler() },
  ];
  const clients = transports.map(
    ({ requestHandler }) =>
      new DynamoDBClient({
        endpoint,
        region: 'ca-central-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        requestHandler,
      }),
  );
  try {
    const [first] = clients;
    await first!.send(
      new CreateTableCommand({
        TableName: TABLE,
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await untilActive(first!, TABLE);
    let last: Measured[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      last = [];
      for (const [index, client] of clients.entries()) last.push(await puts(client, `${round}-${index}`));
    }
    const [baseline] = last;
    process.stdout.write(
      `DynamoDB transport: ${PUTS} PutItems one after another, round ${ROUNDS} of ${ROUNDS}, dynalite on its thread\n`,
    );
    for (const [index, transport] of transports.entries()) {
      const measured = last[index]!;
      process.stdout.write(
        `  ${transport.name.padEnd(32)} ${measured.msPerPut.toFixed(3)} ms a request ` +
          `(${(measured.msPerPut / baseline!.msPerPut).toFixed(2)}×), ` +
          `${measured.cpuMsPerPut.toFixed(3)} ms of this thread's CPU ` +
          `(${(measured.cpuMsPerPut / baseline!.cpuMsPerPut).toFixed(2)}×)\n`,
      );
    }
  } finally {
    for (const client of clients) client.destroy();
    await server.stop();
  }
}

async function puts(client: DynamoDBClient, prefix: string): Promise<Measured> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < PUTS; i += 1) {
    await client.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: {
          pk: { S: `${prefix}-${i}` },
          subject: { S: 'Effectifs de la fonction publique' },
          body: { S: 'Bonjour,\nPourriez-vous me transmettre les effectifs par ministère?\nMerci.' },
        },
      }),
    );
  }
  const used = process.cpuUsage(cpu);
  return {
    msPerPut: (performance.now() - start) / PUTS,
    cpuMsPerPut: (used.user + used.system) / 1000 / PUTS,
  };
}
