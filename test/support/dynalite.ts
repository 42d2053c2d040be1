import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';

import {
  TABLE_DEFINITIONS,
  tableName,
  toCreateTableInput,
} from '../../shared/adapters/dynamodb/table-definitions';
import type { TableNames } from '../../shared/adapters/dynamodb/table-definitions';

interface DynaliteOptions {
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
}

// dynalite ships no type declarations; this is the one function the tests use.
const dynalite = createRequire(__filename)('dynalite') as (options: DynaliteOptions) => Server;

export interface LocalDynamo {
  /** A document client bound to this dynalite (region and dummy credentials set; no env read). */
  readonly client: DynamoDBDocumentClient;
  /** The low-level client, for tests that inspect or edit items directly. */
  readonly rawClient: DynamoDBClient;
  readonly tables: TableNames;
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts an in-memory dynalite on 127.0.0.1 (free port) and creates Jalon's tables from
 * `TABLE_DEFINITIONS`, exactly as the local runtime does. Start one per test file and stop it in `afterAll`.
 */
export async function startDynalite(stage = 'test'): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const rawClient = new DynamoDBClient({
    endpoint,
    region: 'ca-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const client = DynamoDBDocumentClient.from(rawClient);

  const tables = Object.fromEntries(
    TABLE_DEFINITIONS.map((definition) => [definition.id, tableName(stage, definition)]),
  ) as unknown as TableNames;
  for (const definition of TABLE_DEFINITIONS) {
    const name = tableName(stage, definition);
    await rawClient.send(new CreateTableCommand(toCreateTableInput(definition, name)));
    await waitUntilActive(rawClient, name);
  }

  return {
    client,
    rawClient,
    tables,
    endpoint,
    async stop() {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

async function waitUntilActive(client: DynamoDBClient, name: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`table ${name} did not become active`);
}

/** The ledger items of a case as stored (whole items: events, `following`, snapshots), read consistently. */
export async function ledgerItemsOf(
  client: DynamoDBDocumentClient,
  ledgerTable: string,
  caseId: string,
): Promise<Record<string, unknown>[]> {
  const { Items } = await client.send(
    new QueryCommand({
      TableName: ledgerTable,
      KeyConditionExpression: 'caseId = :caseId',
      ExpressionAttributeValues: { ':caseId': caseId },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

/** A request of the document client as the counting client sees it. */
export interface SentCommand {
  readonly constructor: { readonly name: string };
  readonly input: { readonly TableName?: string; readonly Limit?: number };
}

/** A `countingClient` label: `ledger:` or `cases:` (the table of the request), then the command's name. */
export function byTable(tables: { readonly ledger: string }): (command: SentCommand) => string {
  return (command) =>
    `${command.input.TableName === tables.ledger ? 'ledger' : 'cases'}:${command.constructor.name}`;
}

/**
 * A document client that records each request in `calls` (as `label` names it) before passing it to `inner`:
 * what a test counts the requests of an adapter by.
 */
export function countingClient(
  inner: DynamoDBDocumentClient,
  calls: string[],
  label: (command: SentCommand) => string | undefined,
): DynamoDBDocumentClient {
  return {
    send: (command: SentCommand) => {
      const name = label(command);
      if (name !== undefined) calls.push(name);
      return inner.send(command as never);
    },
  } as unknown as DynamoDBDocumentClient;
}
