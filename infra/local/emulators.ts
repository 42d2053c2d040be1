import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';

import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import startSesServer from 'aws-ses-v2-local';

import {
  TABLE_DEFINITIONS,
  tableName,
  toCreateTableInput,
} from '../../shared/adapters/dynamodb/table-definitions';
import type { TableNames } from '../../shared/adapters/dynamodb/table-definitions';
import { documentClientOn } from '../../shared/adapters/ports/document-client';
import { DynalitePortHandler } from './dynalite-port';
import { startLocalS3rver } from './s3rver';

/** Region of every local client and ARN (the one Jalon deploys to). */
export const LOCAL_REGION = 'ca-central-1';
/** Stage in local resource names: tables `jalon-local-cases`…, buckets `jalon-local-raw-mail`…. */
export const LOCAL_STAGE = 'local';
/** The emulators check no signature (s3rver checks its own fixed key pair, which these are). */
const DUMMY_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

interface DynaliteOptions {
  path?: string;
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}
/**
 * How the local stack's SDK clients reach the emulators. The SDK's HTTP handler arms two 3-second timers for each
 * request (a socket-acquisition warning, and the deferred keep-alive set-up of a keep-alive agent) with the
 * global `setTimeout`, which the virtual clock fakes. A request slowed by a loaded machine then looks like work
 * awaiting a near timer, and the clock moved 3 s ahead under it (`VirtualClock`'s technical timers): messages
 * were dated 3 s late, at random. Without keep-alive (loopback connections are cheap) and with the warning
 * beyond the clock's technical horizon, a request arms no timer the clock could mistake for one it awaits.
 */
export function localRequestHandler() {
  return {
    httpAgent: new Agent({ keepAlive: false }),
    socketAcquisitionWarningTimeout: 10 * 60_000,
  };
}

/**
 * The options of every local SDK client: the request handler above, and no clock-skew correction. The SDK
 * corrects its signing clock from each response's `Date` header, which Node writes from the real clock, while
 * the stack's `Date` is virtual: every response looked skewed, and an error answered in another real second than
 * the response before it was marked "clock skew corrected", which the SDK retries as transient. A conditional
 * put that lost a race was then sent again after a backoff armed on the faked timers, and virtual time moved
 * under it (a case closed 53 ms after the instant a scenario set). The emulators either run on the stack's
 * clock (s3rver and the SES emulator read the faked `Date`) or do not check a signature's date (dynalite, on
 * its own thread's real clock), so signing with the stack's clock is what they expect.
 */
export function localClientOptions() {
  return { requestHandler: localRequestHandler(), disableClockSkewCorrection: true };
}

export interface EmulatorsOptions {
  /** Where dynalite and s3rver keep their data; in memory (s3rver: a temporary folder) when absent. */
  readonly dataDir?: string;
  /**
   * dynalite on this thread rather than its own (`startDynaliteServer`): for a test that watches the requests
   * dynalite's server receives (Node's `http.server` diagnostics channels see only this thread's servers).
   */
  readonly dynaliteOnMainThread?: boolean;
}

/** The local buckets, one per bucket of the AWS stacks. */
export interface LocalBuckets {
  readonly rawMail: string;
  readonly attachments: string;
  readonly letters: string;
  /**
   * The ledger mirror (`docs/ledger-mirror.md`: `ledger/v1/…`) and the signed daily digests (`digests/…`); s3rver
   * has no Object Lock, the store writes each key once (conditional puts, `honourConditionalWrites`).
   */
  readonly ledgerMirror: string;
}

export interface Emulators {
  readonly dynamo: {
    readonly endpoint: string;
    readonly port: number;
    readonly client: DynamoDBDocumentClient;
    readonly rawClient: DynamoDBClient;
    readonly tables: TableNames;
  };
  readonly ses: { readonly endpoint: string; readonly port: number; readonly client: SESv2Client };
  readonly s3: {
    readonly endpoint: string;
    readonly port: number;
    readonly client: S3Client;
    /**
     * The evidence buckets of the email stack (raw inbound mail exactly as received, and its attachments) and
     * the letters and ledger mirror buckets of the data stack (the PDFs of the letters to post; every ledger
     * event once).
     */
    readonly buckets: LocalBuckets;
  };
  stop(): Promise<void>;
}

/**
 * Starts dynalite, aws-ses-v2-local and s3rver on 127.0.0.1 (free ports), creates the tables from
 * `TABLE_DEFINITIONS` (the definitions CDK deploys) and the buckets of the email and data stacks, and returns SDK clients pointed at
 * them with endpoint overrides and dummy credentials. With a data folder, tables and objects persist across
 * restarts (existing tables are kept as they are).
 *
 * The SES emulator keeps its store in module state: one local stack per process at a time.
 */
export async function startEmulators(options: EmulatorsOptions = {}): Promise<Emulators> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const dynamoDir = options.dataDir === undefined ? undefined : path.join(options.dataDir, 'dynamodb');
    if (dynamoDir !== undefined) mkdirSync(dynamoDir, { recursive: true });
    const dynaliteServer = await (
      options.dynaliteOnMainThread === true ? startDynaliteHere : startDynaliteServer
    )({
      ...(dynamoDir !== undefined ? { path: dynamoDir } : {}),
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
    });
    stops.push(() => dynaliteServer.stop());
    const dynamoPort = dynaliteServer.port;
    const dynamoEndpoint = `http://127.0.0.1:${dynamoPort}`;
    const rawClient = new DynamoDBClient({
      endpoint: dynamoEndpoint,
      region: LOCAL_REGION,
      credentials: DUMMY_CREDENTIALS,
      ...localClientOptions(),
      ...(dynaliteServer.requestHandler !== undefined
        ? { requestHandler: dynaliteServer.requestHandler.asRequestHandler() }
        : {}),
    });
    const client = documentClientOn(rawClient);
    stops.push(async () => client.destroy());
    const tables = await dynaliteServer.whileStarting(createTables(rawClient));

    const sesServer = await startSesServer({ host: '127.0.0.1', port: 0 });
    stops.push(() => closeServer(sesServer));
    const sesPort = (sesServer.address() as AddressInfo).port;
    const sesEndpoint = `http://127.0.0.1:${sesPort}`;
    const sesClient = new SESv2Client({
      endpoint: sesEndpoint,
      region: LOCAL_REGION,
      credentials: DUMMY_CREDENTIALS,
      ...localClientOptions(),
    });
    stops.push(async () => sesClient.destroy());

    const s3Dir =
      options.dataDir === undefined
        ? mkdtempSync(path.join(os.tmpdir(), 'jalon-s3-'))
        : path.join(options.dataDir, 's3');
    mkdirSync(s3Dir, { recursive: true });
    if (options.dataDir === undefined)
      stops.push(async () => rmSync(s3Dir, { recursive: true, force: true }));
    const buckets: LocalBuckets = {
      rawMail: `jalon-${LOCAL_STAGE}-raw-mail`,
      attachments: `jalon-${LOCAL_STAGE}-attachments`,
      letters: `jalon-${LOCAL_STAGE}-letters`,
      ledgerMirror: `jalon-${LOCAL_STAGE}-ledger-mirror`,
    };
    const s3rver = await startLocalS3rver({ directory: s3Dir, buckets: Object.values(buckets) });
    const s3Port = s3rver.port;
    stops.push(() => s3rver.close());
    // s3rver checks a signature's date against its own clock, the stack's (virtual) one, but Node writes each
    // response's `Date` header from the real clock: a client that corrects its signing clock from that header
    // (any SDK client but the stack's own, see `localClientOptions`) then signs in real time and is answered
    // RequestTimeTooSkewed. Answering with the stack's clock keeps both sides on the same time.
    s3rver.httpServer.prependListener('request', (_request, response: ServerResponse) => {
      response.setHeader('date', new Date().toUTCString());
    });
    const s3Endpoint = `http://127.0.0.1:${s3Port}`;
    const s3Client = new S3Client({
      endpoint: s3Endpoint,
      region: LOCAL_REGION,
      credentials: S3RVER_CREDENTIALS,
      forcePathStyle: true,
      ...localClientOptions(),
      // s3rver predates the default integrity checksums of recent SDKs (DESIGN.md).
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    stops.push(async () => s3Client.destroy());

    return {
      dynamo: { endpoint: dynamoEndpoint, port: dynamoPort, client, rawClient, tables },
      ses: { endpoint: sesEndpoint, port: sesPort, client: sesClient },
      s3: { endpoint: s3Endpoint, port: s3Port, client: s3Client, buckets },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Creates every table that does not exist yet and waits until all are active. */
async function createTables(client: DynamoDBClient): Promise<TableNames> {
  const names: Record<string, string> = {};
  for (const definition of TABLE_DEFINITIONS) {
    const name = tableName(LOCAL_STAGE, definition);
    names[definition.id] = name;
    try {
      await client.send(new CreateTableCommand(toCreateTableInput(definition, name)));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    await untilActive(client, name);
  }
  return names as unknown as TableNames;
}

/**
 * Resolves once dynalite says the table is active: it makes a new table active on a timer of its own, and until
 * then answers that it does not exist.
 */
export async function untilActive(client: DynamoDBClient, name: string): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    if (Table?.TableStatus === 'ACTIVE') return;
    if (attempt >= 200) throw new Error(`Table ${name} did not become active.`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** dynalite listening on 127.0.0.1 (a free port) on its own thread. */
export interface DynaliteServer {
  readonly port: number;
  /**
   * `work` (the first requests), or the worker's error if the worker fails first: dynalite listens before its
   * store is open, and a store that cannot open (a data folder another process holds) fails at the first request.
   */
  whileStarting<T>(work: Promise<T>): Promise<T>;
  /**
   * How the stack's own DynamoDB client reaches it: over a `MessagePort` to dynalite's thread
   * (`DynalitePortHandler`) when it has one, else over HTTP (`localRequestHandler`).
   */
  readonly requestHandler?: DynalitePortHandler;
  /** Closes the server and its store (LevelDB, with a data folder), then ends the thread. */
  stop(): Promise<void>;
}

/**
 * Starts dynalite on a worker thread (`dynalite-worker.mjs`), so that the local stack uses both cores: the
 * functions, their SDK clients and the engine on the main thread, dynalite's request handling and LevelDB on its
 * own (issue 13: dynalite was about a quarter of the simulated year's CPU, in the one thread). Its HTTP port
 * serves any client (the CLI's, a test's); the stack's own client sends its requests over a `MessagePort` instead
 * (`requestHandler`), which dynalite's request listener answers on its thread. Rejects with the worker's error if
 * it fails to start (a data folder LevelDB cannot open, say). The thread is part of this process: a `kill -9` ends it with the rest, and a write dynalite has
 * answered is already in LevelDB's log as before (neither fsyncs).
 *
 * dynalite reads `Date` for tables' creation and update instants only, and the tables are created before the
 * virtual clock is installed: on the worker's real clock it answers what it answered on the main thread. It
 * checks no signature's date.
 *
 * An error of the worker is thrown on the main thread, as an error of the server on the main thread was (the stack
 * does not go on without its DynamoDB), except during `whileStarting`, which rejects with it.
 */
export function startDynaliteServer(options: DynaliteOptions): Promise<DynaliteServer> {
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(path.join(__dirname, 'dynalite-worker.mjs'), {
    workerData: { options, port: port2 },
    transferList: [port2],
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const failed = (error: Error) => reject(error);
    const exitedEarly = (code: number) =>
      reject(new Error(`dynalite's worker exited with ${code} before listening.`));
    worker.once('error', failed);
    worker.once('exit', exitedEarly);
    worker.once('message', (message: { listening: number }) => {
      worker.off('error', failed);
      worker.off('exit', exitedEarly);
      let stopping = false;
      let starting: ((error: Error) => void) | undefined;
      worker.on('error', (error) => {
        if (stopping) return;
        if (starting === undefined) throw error;
        // dynalite reports a LevelDB that did not open as "Database is closed", at its first request.
        starting(new Error(`dynalite failed while starting: ${error.message}`, { cause: error }));
      });
      resolve({
        port: message.listening,
        requestHandler: new DynalitePortHandler(port1, message.listening),
        async whileStarting<T>(work: Promise<T>): Promise<T> {
          const failure = new Promise<never>((_resolve, rejectStart) => (starting = rejectStart));
          try {
            return await Promise.race([work, failure]);
          } finally {
            starting = undefined;
          }
        },
        async stop() {
          stopping = true;
          const stopped = new Promise<void>((resolveStop, rejectStop) => {
            worker.once('message', () => resolveStop());
            worker.once('error', rejectStop);
            void exited.then(resolveStop);
          });
          // On the port, behind the requests sent before it, which dynalite answers first.
          port1.postMessage('stop');
          try {
            await stopped;
          } finally {
            await worker.terminate();
          }
        },
      });
    });
  });
}

/** dynalite on this thread (`EmulatorsOptions.dynaliteOnMainThread`), behind the same interface. */
async function startDynaliteHere(options: DynaliteOptions): Promise<DynaliteServer> {
  const dynalite = createRequire(__filename)('dynalite') as (options: DynaliteOptions) => Server;
  const server = dynalite(options);
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
  return { port, whileStarting: (work) => work, stop: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}
