import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';

import { itemSize, REPORT_INDEXES } from '../shared/adapters/dynamodb';

type Item = Record<string, unknown>;

/** An attribute value on DynamoDB's wire (its JSON protocol), of the types the reports table holds. */
type WireValue =
  | { readonly S: string }
  | { readonly N: string }
  | { readonly B: string }
  | { readonly BOOL: boolean }
  | { readonly NULL: true }
  | { readonly M: Readonly<Record<string, WireValue>> }
  | { readonly L: readonly WireValue[] };

function toWire(value: unknown): WireValue {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (value === null) return { NULL: true };
  if (value instanceof Uint8Array) return { B: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return { L: value.map(toWire) };
  if (typeof value === 'object') return { M: toWireItem(value as Item) };
  throw new Error(`InMemoryReportsTable stores no ${typeof value}.`);
}

function fromWire(value: WireValue): unknown {
  if ('S' in value) return value.S;
  if ('N' in value) return Number(value.N);
  if ('B' in value) return new Uint8Array(Buffer.from(value.B, 'base64'));
  if ('BOOL' in value) return value.BOOL;
  if ('NULL' in value) return null;
  if ('L' in value) return value.L.map(fromWire);
  return fromWireItem(value.M);
}

const toWireItem = (item: Item): Record<string, WireValue> =>
  Object.fromEntries(Object.entries(item).map(([name, value]) => [name, toWire(value)]));
const fromWireItem = (item: Readonly<Record<string, WireValue>>): Item =>
  Object.fromEntries(Object.entries(item).map(([name, value]) => [name, fromWire(value)]));

/** DynamoDB's limits that shape the requests: a Query page reads at most 1 MB, a BatchGetItem answers 16 MB. */
/** What the SDK hands its request handler, and what it reads of the answer (`@smithy/protocol-http`). */
interface HttpRequestLike {
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}
interface HttpResponseLike {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

const QUERY_PAGE_BYTES = 1024 * 1024;
const BATCH_GET_BYTES = 16 * 1024 * 1024;

/** Each index of the reports table: its partition and sort key (`table-definitions.ts`). */
const INDEXES: Readonly<Record<string, { readonly partition: string; readonly sort: string }>> = {
  [REPORT_INDEXES.byReceivedDay]: { partition: 'receivedDay', sort: 'caseId' },
  [REPORT_INDEXES.bySettledMonth]: { partition: 'settledPartition', sort: 'receivedDay' },
};

/**
 * The reports table in memory, behind the document client's `send`, so that `DynamoDbReportAggregates` runs
 * unchanged without an emulator: its period reads (Query of either index in 1 MB pages, BatchGetItem of 100
 * keys answering at most 16 MB, GetItem), its day summaries (gzipped, cut into pieces, read back with their
 * digest) and the UpdateItem of a day item and its pieces with their conditions. Any other request throws.
 * Items are kept as the document client passes them: no marshalling, no HTTP, no network, so what is timed
 * over it is the CPU the report's Lambda spends, less the SDK's (de)serialization and DynamoDB's latency.
 * Each request yields to the event loop once (an I/O boundary), where `onRequest` is called.
 */
export class InMemoryReportsTable {
  readonly items = new Map<string, Item>();
  /** Called at each request, and awaited (the benchmark samples the heap there). */
  onRequest?: () => void | Promise<void>;
  /** Each index's items by partition, sorted; rebuilt after a write of an item it holds. */
  #sorted = new Map<string, Map<string, Item[]>>();
  /** Each item as DynamoDB's wire JSON, made when it is written (DynamoDB's side, not the caller's). */
  #wire = new WeakMap<Item, string>();

  /**
   * `http`: the table answers a real `DynamoDBClient` through an HTTP handler in memory (`client`), so that
   * the SDK's serialization, signing and parsing of each request run too; else the document client's `send`
   * is answered directly.
   */
  constructor(
    private readonly tableName: string,
    private readonly options: { readonly http?: boolean } = {},
  ) {}

  /** The document client `DynamoDbReportAggregates` takes, answered by this table. */
  get client(): DynamoDBDocumentClient {
    if (this.options.http !== true) return this as unknown as DynamoDBDocumentClient;
    return DynamoDBDocumentClient.from(
      new DynamoDBClient({
        endpoint: 'http://reports.in-memory',
        region: 'ca-central-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        requestHandler: { handle: (request: HttpRequestLike) => this.handle(request) },
      }),
    );
  }

  /** Writes an item as a PutItem without condition would (the benchmark seeds the table with it). */
  put(item: Item): void {
    const caseId = item['caseId'] as string;
    const inIndex = (held: Item | undefined) =>
      held !== undefined && Object.values(INDEXES).some((index) => held[index.partition] !== undefined);
    if (inIndex(item) || inIndex(this.items.get(caseId))) this.#sorted.clear();
    this.items.set(caseId, item);
    if (this.options.http === true) this.#wire.set(item, JSON.stringify(toWireItem(item)));
  }

  /** One request of DynamoDB's JSON protocol (`X-Amz-Target: DynamoDB_20120810.<Operation>`), answered. */
  private async handle(request: HttpRequestLike): Promise<{ response: HttpResponseLike }> {
    const target = request.headers['x-amz-target'] ?? '';
    // The SDK hands a serialized body as bytes (a string in older versions).
    const text =
      typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body as Uint8Array);
    const body = JSON.parse(text) as Record<string, unknown>;
    const wireItem = (item: Item) => this.#wire.get(item) ?? JSON.stringify(toWireItem(item));
    const native = (value: unknown) =>
      value === undefined ? undefined : fromWireItem(value as Record<string, WireValue>);
    const input = {
      ...body,
      Key: native(body['Key']),
      ExpressionAttributeValues: native(body['ExpressionAttributeValues']),
      ExclusiveStartKey: native(body['ExclusiveStartKey']),
    };
    let json: string;
    try {
      switch (target.slice(target.indexOf('.') + 1)) {
        case 'Query': {
          const page = await this.send(new QueryCommand(input as unknown as QueryCommand['input']));
          const { Items, LastEvaluatedKey } = page as { Items: Item[]; LastEvaluatedKey?: Item };
          json =
            `{"Count":${Items.length},"ScannedCount":${Items.length},"Items":[${Items.map(wireItem).join(',')}]` +
            (LastEvaluatedKey !== undefined ? `,"LastEvaluatedKey":${wireItem(LastEvaluatedKey)}` : '') +
            '}';
          break;
        }
        case 'BatchGetItem': {
          const requested = body['RequestItems'] as Record<string, { Keys: Record<string, WireValue>[] }>;
          const answer = (await this.send(
            new BatchGetCommand({
              RequestItems: Object.fromEntries(
                Object.entries(requested).map(([table, { Keys }]) => [
                  table,
                  { Keys: Keys.map(fromWireItem) },
                ]),
              ),
            }),
          )) as { Responses: Record<string, Item[]>; UnprocessedKeys?: Record<string, { Keys: Item[] }> };
          const responses = Object.entries(answer.Responses).map(
            ([table, items]) => `${JSON.stringify(table)}:[${items.map(wireItem).join(',')}]`,
          );
          const unprocessed = Object.entries(answer.UnprocessedKeys ?? {}).map(
            ([table, { Keys }]) => `${JSON.stringify(table)}:{"Keys":[${Keys.map(wireItem).join(',')}]}`,
          );
          json = `{"Responses":{${responses.join(',')}},"UnprocessedKeys":{${unprocessed.join(',')}}}`;
          break;
        }
        case 'GetItem': {
          const { Item: item } = (await this.send(
            new GetCommand(input as unknown as GetCommand['input']),
          )) as {
            Item?: Item;
          };
          json = item !== undefined ? `{"Item":${wireItem(item)}}` : '{}';
          break;
        }
        case 'UpdateItem':
          await this.send(new UpdateCommand(input as unknown as UpdateCommand['input']));
          json = '{}';
          break;
        default:
          throw new Error(`InMemoryReportsTable answers no ${target}.`);
      }
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      return {
        response: {
          statusCode: 400,
          headers: { 'content-type': 'application/x-amz-json-1.0' },
          body: Buffer.from(
            JSON.stringify({
              __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
              message: 'The conditional request failed',
            }),
          ),
        },
      };
    }
    return {
      response: {
        statusCode: 200,
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body: Buffer.from(json),
      },
    };
  }

  async send(command: unknown): Promise<unknown> {
    await new Promise((resolve) => setImmediate(resolve));
    await this.onRequest?.();
    if (command instanceof QueryCommand) return this.query(command.input);
    if (command instanceof BatchGetCommand) return this.batchGet(command.input);
    if (command instanceof GetCommand) {
      this.checkTable(command.input.TableName);
      const item = this.items.get(command.input.Key?.['caseId'] as string);
      return item !== undefined ? { Item: item } : {};
    }
    if (command instanceof UpdateCommand) return this.update(command.input);
    throw new Error(`InMemoryReportsTable answers no ${(command as object).constructor.name}.`);
  }

  private checkTable(name: string | undefined): void {
    if (name !== this.tableName)
      throw new Error(`InMemoryReportsTable holds ${this.tableName}, not ${name}.`);
  }

  private query(input: QueryCommand['input']): Item {
    this.checkTable(input.TableName);
    const index = INDEXES[input.IndexName ?? ''];
    if (index === undefined) throw new Error(`InMemoryReportsTable queries no index ${input.IndexName}.`);
    const values = input.ExpressionAttributeValues ?? {};
    let before: string | undefined;
    if (input.KeyConditionExpression === `${index.partition} = :day`) before = undefined;
    else if (input.KeyConditionExpression === `${index.partition} = :partition AND ${index.sort} < :from`)
      before = values[':from'] as string;
    else throw new Error(`InMemoryReportsTable reads no condition ${input.KeyConditionExpression}.`);
    const partition = (values[':day'] ?? values[':partition']) as string;
    const items = this.sortedIndex(input.IndexName!, index).get(partition) ?? [];
    const startKey = input.ExclusiveStartKey?.['caseId'];
    let at = startKey === undefined ? 0 : items.findIndex((item) => item['caseId'] === startKey) + 1;
    const page: Item[] = [];
    let bytes = 0;
    for (; at < items.length && bytes < QUERY_PAGE_BYTES; at += 1) {
      const item = items[at]!;
      if (before !== undefined && !((item[index.sort] as string) < before)) break;
      page.push(item);
      bytes += itemSize(item);
    }
    const more = at < items.length && (before === undefined || (items[at]![index.sort] as string) < before);
    const last = page[page.length - 1];
    return {
      Items: page,
      ...(more && last !== undefined
        ? {
            LastEvaluatedKey: {
              caseId: last['caseId'],
              [index.partition]: last[index.partition],
              [index.sort]: last[index.sort],
            },
          }
        : {}),
    };
  }

  /** The items of an index by partition, in sort-key order (then by `caseId`). */
  private sortedIndex(name: string, index: { partition: string; sort: string }): Map<string, Item[]> {
    const sorted = this.#sorted.get(name);
    if (sorted !== undefined) return sorted;
    const byPartition = new Map<string, Item[]>();
    for (const item of this.items.values()) {
      const partition = item[index.partition];
      if (typeof partition !== 'string') continue;
      const list = byPartition.get(partition) ?? [];
      list.push(item);
      byPartition.set(partition, list);
    }
    const key = (item: Item) => `${item[index.sort] as string}\u0000${item['caseId'] as string}`;
    for (const list of byPartition.values()) list.sort((a, b) => (key(a) < key(b) ? -1 : 1));
    this.#sorted.set(name, byPartition);
    return byPartition;
  }

  private batchGet(input: BatchGetCommand['input']): Item {
    const tables = Object.keys(input.RequestItems ?? {});
    if (tables.length !== 1) throw new Error('InMemoryReportsTable reads one table a BatchGetItem.');
    this.checkTable(tables[0]);
    const keys = input.RequestItems![this.tableName]!.Keys ?? [];
    const found: Item[] = [];
    let bytes = 0;
    let at = 0;
    for (; at < keys.length && bytes < BATCH_GET_BYTES; at += 1) {
      const item = this.items.get(keys[at]!['caseId'] as string);
      if (item === undefined) continue;
      found.push(item);
      bytes += itemSize(item);
    }
    return {
      Responses: { [this.tableName]: found },
      ...(at < keys.length ? { UnprocessedKeys: { [this.tableName]: { Keys: keys.slice(at) } } } : {}),
    };
  }

  /**
   * `[ADD name :value, …] [SET name = :value, …]`, under `attribute_not_exists(name)`, `name = :value` or
   * `attribute_not_exists(name) OR name <= :value`.
   */
  private update(input: UpdateCommand['input']): Item {
    this.checkTable(input.TableName);
    const caseId = input.Key?.['caseId'] as string;
    const values = input.ExpressionAttributeValues ?? {};
    const stored = this.items.get(caseId);
    const condition = input.ConditionExpression;
    if (condition !== undefined) {
      const absent = /^attribute_not_exists\((\w+)\)$/.exec(condition);
      const equal = /^(\w+) = (:\w+)$/.exec(condition);
      const atMost = /^attribute_not_exists\((\w+)\) OR (\w+) <= (:\w+)$/.exec(condition);
      const holds =
        absent !== null
          ? stored?.[absent[1]!] === undefined
          : equal !== null
            ? stored?.[equal[1]!] === values[equal[2]!]
            : atMost !== null && atMost[1] === atMost[2]
              ? stored?.[atMost[1]!] === undefined ||
                (stored[atMost[1]!] as number) <= (values[atMost[3]!] as number)
              : undefined;
      if (holds === undefined) throw new Error(`InMemoryReportsTable checks no condition ${condition}.`);
      if (!holds)
        throw Object.assign(new Error('The conditional request failed'), {
          name: 'ConditionalCheckFailedException',
        });
    }
    const parsed = /^(?:ADD (.+?)\s*)?(?:SET (.+))?$/.exec(input.UpdateExpression ?? '');
    if (parsed === null || (parsed[1] === undefined && parsed[2] === undefined))
      throw new Error(`InMemoryReportsTable applies no update ${input.UpdateExpression}.`);
    const item: Item = { ...(stored ?? { caseId }) };
    for (const addition of parsed[1]?.split(',') ?? []) {
      const add = /^\s*(\w+) (:\w+)\s*$/.exec(addition);
      if (add === null) throw new Error(`InMemoryReportsTable applies no update ${input.UpdateExpression}.`);
      item[add[1]!] = ((item[add[1]!] as number | undefined) ?? 0) + (values[add[2]!] as number);
    }
    for (const assignment of parsed[2]?.split(',') ?? []) {
      const set = /^\s*(\w+) = (:\w+)\s*$/.exec(assignment);
      if (set === null) throw new Error(`InMemoryReportsTable applies no update ${input.UpdateExpression}.`);
      const value = values[set[2]!];
      // A binary is stored apart from the caller's buffer, as DynamoDB would.
      item[set[1]!] = value instanceof Uint8Array ? new Uint8Array(value) : value;
    }
    this.put(item);
    return {};
  }
}
