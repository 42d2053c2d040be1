import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';

import type { Clock } from '../../domain/messaging/ports';
import type { ReportPeriod } from '../../domain/report/compute';
import type {
  CaseReportRecord,
  ReportAggregatePut,
  ReportAggregateStore,
  ReportEpoch,
  ReportRecordSource,
  ReportReplayResult,
} from '../../domain/report/aggregates';
import { receiptDays } from '../../domain/report/day-summary';
import type {
  DayChange,
  ReportCutoffSummary,
  ReportDayState,
  ReportDayStore,
  ReportDaySummary,
} from '../../domain/report/day-summary';
import type { LocalDate } from '../../domain/time/types';
import { mapConcurrently } from '../../concurrency';
import { isConditionalCheckFailed, toStoreError } from './store-errors';
import { REPORT_INDEXES } from './table-definitions';
import type { TableNames } from './table-definitions';

export interface DynamoDbReportAggregatesConfig {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'reports'>;
  /** The months a case may have settled in run up to now (default: the system clock). */
  readonly clock?: Clock;
  /** Queries in flight at once when reading a period (default 16). */
  readonly concurrency?: number;
  /** See `ReportDayStore.settleMs` (default `DAY_SUMMARY_SETTLE_MS`, one minute). */
  readonly daySettleMs?: number;
  /** The largest piece of a gzipped day summary held by one item (default `SUMMARY_PART_BYTES`). */
  readonly summaryPartBytes?: number;
}

/**
 * A gzipped day summary is cut into pieces of at most this size, each in its own item (the day item holds the
 * first), so that no item nears DynamoDB's 400 KB limit: a summary takes ~26 bytes per case gzipped (2,000
 * cases: 52 KB), so a day of more than ~12,000 cases is split.
 */
export const SUMMARY_PART_BYTES = 300_000;

/** What the reads of a store cost: requests, items and their size (attribute names and values, in bytes). */
export interface ReportReadMeter {
  requests: number;
  items: number;
  bytes: number;
}

/** The key of the latest replay result, apart from every case id (case ids never start with `#`). */
const REPLAY_KEY = '#replay-latest';

const OPEN_PARTITION = 'OPEN';

/** The key of a day's summary item: apart from every case id, as the replay result's. */
const dayKey = (day: LocalDate) => `#day#${day}`;

/** The key of the `part`-th piece (from 1; the summary's item holds piece 0) of a summary kept at `key`. */
const partKey = (key: string, part: number) => `${key}#part#${part}`;

/** The key of a day's summary at a cut-off (an item per day and cut-off; its pieces `…#part#N`). */
const cutoffKey = (day: LocalDate, at: string) => `#day#${day}#at#${at}`;

/** An item of the reports table as the document client gives it. */
type Item = Record<string, unknown>;

/** Keys per BatchGetItem (the service's limit). */
const BATCH_GET_SIZE = 100;

/**
 * The report aggregates in the reports table (`REPORTS_TABLE`), one item per case:
 * `{caseId, lastSeq, receivedDay, settledPartition, settledAt?, epochs}`; `epochs` is the JSON of the
 * record's epochs (one string attribute: compact, and read back exactly as written). Writes are conditional
 * on `lastSeq`, so a stream record replayed or delivered late never rolls an aggregate back.
 *
 * A period is read without a scan: one Query per receipt day of the period on `ByReceivedDay` (in parallel),
 * plus, for the cases received earlier and open at the cut-off, one Query of `BySettledMonth` for `OPEN` and
 * for each month from the cut-off's to now (`receivedDay < from`). GSIs are eventually consistent: an event
 * appended a second ago may not be in the report yet.
 */
export class DynamoDbReportAggregates implements ReportAggregateStore, ReportRecordSource, ReportDayStore {
  /** What the reads of this store cost so far (the benchmark reads it). */
  readonly meter: ReportReadMeter = { requests: 0, items: 0, bytes: 0 };

  constructor(private readonly config: DynamoDbReportAggregatesConfig) {}

  get settleMs(): number | undefined {
    return this.config.daySettleMs;
  }

  /**
   * The day summaries of the same table (`#day#YYYY-MM-DD` items: `{changes, changedAt, summaryChanges,
   * summary}`, the summary gzipped JSON), read by `readPeriodByDays`.
   */
  get days(): ReportDayStore {
    return this;
  }

  async get(caseId: string): Promise<CaseReportRecord | undefined> {
    let item: Record<string, unknown> | undefined;
    try {
      item = (
        await this.config.client.send(
          new GetCommand({ TableName: this.config.tables.reports, Key: { caseId }, ConsistentRead: true }),
        )
      ).Item;
    } catch (error) {
      throw toStoreError(error, { table: 'reports', operation: 'GetItem' });
    }
    return item === undefined ? undefined : fromItem(item);
  }

  async put(record: CaseReportRecord, options: { readonly replace?: boolean } = {}): Promise<boolean> {
    return (await this.write(record, options.replace === true)).written;
  }

  async putReturningPrevious(record: CaseReportRecord): Promise<ReportAggregatePut> {
    return this.write(record, false);
  }

  /** The conditional put of `put`, with the item it replaced (`ALL_OLD`: no read before it). */
  private async write(record: CaseReportRecord, replace: boolean): Promise<ReportAggregatePut> {
    try {
      const output = await this.config.client.send(
        new PutCommand({
          TableName: this.config.tables.reports,
          Item: reportRecordItem(record),
          ConditionExpression: `attribute_not_exists(caseId) OR lastSeq ${replace ? '<=' : '<'} :seq`,
          ExpressionAttributeValues: { ':seq': record.lastSeq },
          ReturnValues: 'ALL_OLD',
        }),
      );
      return {
        written: true,
        previous: output.Attributes !== undefined ? fromItem(output.Attributes) : undefined,
      };
    } catch (error) {
      if (isConditionalCheckFailed(error)) return { written: false };
      throw toStoreError(error, { table: 'reports', operation: 'PutItem' });
    }
  }

  async *recordsFor(period: ReportPeriod, asOf: Date): AsyncIterable<CaseReportRecord> {
    const queries = [
      ...receiptDays(period, asOf).map((day) => this.dayQuery(day)),
      ...this.openBeforeQueries(period.from, asOf),
    ];
    const results = await mapConcurrently(queries, this.config.concurrency ?? 16, (input) =>
      this.queryAll(input),
    );
    for (const items of results) yield* openAt(items.map(fromItem), period.from, asOf);
  }

  async recordsOfDay(day: LocalDate): Promise<CaseReportRecord[]> {
    return (await this.queryAll(this.dayQuery(day))).map(fromItem);
  }

  async openBefore(from: LocalDate, asOf: Date): Promise<CaseReportRecord[]> {
    const results = await mapConcurrently(
      this.openBeforeQueries(from, asOf),
      this.config.concurrency ?? 16,
      (input) => this.queryAll(input),
    );
    return [...openAt(results.flat().map(fromItem), from, asOf)];
  }

  async recordsOf(caseIds: readonly string[]): Promise<CaseReportRecord[]> {
    return (await this.batchGet(caseIds)).map(fromItem);
  }

  async dayStates(
    days: readonly LocalDate[],
    cutoff?: Date,
  ): Promise<ReadonlyMap<LocalDate, ReportDayState>> {
    const at = cutoff?.toISOString();
    const keys = days.map(dayKey);
    const items = await this.batchGet(
      at === undefined ? keys : [...keys, ...days.map((day) => cutoffKey(day, at))],
    );
    const byKey = new Map(items.map((item) => [item['caseId'] as string, item]));
    // A day whose summary at the cut-off was built at its current early change count needs no other: its day
    // summary is neither pieced together nor parsed (the count is an attribute of both items).
    const wanted = (
      day: LocalDate,
    ): { readonly item?: Item; readonly atItem?: Item; readonly skipSummary?: true } => {
      const item = byKey.get(dayKey(day));
      const atItem = at === undefined ? undefined : byKey.get(cutoffKey(day, at));
      const current = atItem !== undefined && atItem['summaryEarlyChanges'] === (item?.['earlyChanges'] ?? 0);
      return {
        ...(item !== undefined ? { item } : {}),
        ...(atItem !== undefined ? { atItem } : {}),
        ...(current ? { skipSummary: true } : {}),
      };
    };
    const byDay = new Map(days.map((day) => [day, wanted(day)]));
    // The other pieces of the summaries cut in several (`summaryParts` > 1), read in the same way.
    const partKeys = [...byDay.values()].flatMap(({ item, atItem, skipSummary }) =>
      [
        ...(skipSummary === true || item === undefined ? [] : [item]),
        ...(atItem !== undefined ? [atItem] : []),
      ].flatMap((summaryItem) => {
        const parts = typeof summaryItem['summaryParts'] === 'number' ? summaryItem['summaryParts'] : 1;
        const key = summaryItem['caseId'] as string;
        return Array.from({ length: parts - 1 }, (_, i) => partKey(key, i + 1));
      }),
    );
    const parts = new Map(
      (partKeys.length > 0 ? await this.batchGet(partKeys) : []).map((item) => [
        item['caseId'] as string,
        item,
      ]),
    );
    const states = new Map<LocalDate, ReportDayState>();
    for (const [day, { item, atItem, skipSummary }] of byDay) {
      if (item === undefined && atItem === undefined) continue;
      const summary =
        item === undefined || skipSummary === true
          ? undefined
          : summaryOf<ReportDaySummary>(dayKey(day), item, parts);
      const cutoffSummary =
        atItem === undefined ? undefined : summaryOf<ReportCutoffSummary>(cutoffKey(day, at!), atItem, parts);
      states.set(day, {
        changes: typeof item?.['changes'] === 'number' ? item['changes'] : 0,
        ...(typeof item?.['changedAt'] === 'string' ? { changedAt: item['changedAt'] } : {}),
        ...(typeof item?.['earlyChanges'] === 'number' ? { earlyChanges: item['earlyChanges'] } : {}),
        ...(summary !== undefined ? { summary } : {}),
        ...(cutoffSummary !== undefined ? { cutoffSummary } : {}),
      });
    }
    return states;
  }

  /**
   * Stores a day's summary (see `ReportDayStore.saveDaySummary`): gzipped, cut into pieces of at most
   * `summaryPartBytes`; the pieces after the first are written first (`#day#YYYY-MM-DD#part#N`, unconditionally:
   * only a day item naming their digest makes them read), then the day item, conditionally, with the first
   * piece, the number of pieces and the digest of the whole.
   */
  async saveDaySummary(summary: ReportDaySummary): Promise<boolean> {
    return this.saveSummary(
      dayKey(summary.day),
      summary,
      'SET summary = :summary, summaryChanges = :changes, summaryParts = :parts, summaryDigest = :digest',
      // Unless a case of the day was written since its change count was read.
      summary.changes === 0
        ? { condition: 'attribute_not_exists(changes)', values: { ':changes': summary.changes } }
        : { condition: 'changes = :changes', values: { ':changes': summary.changes } },
    );
  }

  /**
   * Stores a day's summary at a cut-off (see `ReportDayStore.saveCutoffSummary`) in its own item
   * (`#day#YYYY-MM-DD#at#<cut-off>`), in pieces as `saveDaySummary`; refused over one built after more early
   * changes.
   */
  async saveCutoffSummary(summary: ReportCutoffSummary): Promise<boolean> {
    return this.saveSummary(
      cutoffKey(summary.day, summary.at),
      summary,
      'SET summary = :summary, summaryEarlyChanges = :early, summaryParts = :parts, summaryDigest = :digest',
      {
        condition: 'attribute_not_exists(summaryEarlyChanges) OR summaryEarlyChanges <= :early',
        values: { ':early': summary.earlyChanges },
      },
    );
  }

  /** A summary gzipped into `key`'s item and its pieces (`<key>#part#N`, written first), conditionally. */
  private async saveSummary(
    key: string,
    summary: ReportDaySummary | ReportCutoffSummary,
    update: string,
    guard: { readonly condition: string; readonly values: Record<string, unknown> },
  ): Promise<boolean> {
    const gzipped = gzipSync(JSON.stringify(summary));
    const size = this.config.summaryPartBytes ?? SUMMARY_PART_BYTES;
    const pieces: Buffer[] = [];
    for (let at = 0; at === 0 || at < gzipped.byteLength; at += size)
      pieces.push(gzipped.subarray(at, at + size));
    const digest = createHash('sha256').update(gzipped).digest('base64url').slice(0, 22);
    try {
      await mapConcurrently(pieces.slice(1), 4, (piece, i) =>
        this.config.client.send(
          new UpdateCommand({
            TableName: this.config.tables.reports,
            Key: { caseId: partKey(key, i + 1) },
            UpdateExpression: 'SET piece = :piece, summaryDigest = :digest',
            ExpressionAttributeValues: { ':piece': piece, ':digest': digest },
          }),
        ),
      );
      await this.config.client.send(
        new UpdateCommand({
          TableName: this.config.tables.reports,
          Key: { caseId: key },
          UpdateExpression: update,
          ConditionExpression: guard.condition,
          ExpressionAttributeValues: {
            ':summary': pieces[0]!,
            ':parts': pieces.length,
            ':digest': digest,
            ...guard.values,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw toStoreError(error, { table: 'reports', operation: 'UpdateItem' });
    }
  }

  async markDayChanged(
    day: LocalDate,
    at: string,
    change: DayChange = { summary: true, early: false },
  ): Promise<void> {
    const counters = [
      ...(change.summary ? ['changes :one'] : []),
      ...(change.early ? ['earlyChanges :one'] : []),
    ];
    if (counters.length === 0) return;
    try {
      await this.config.client.send(
        new UpdateCommand({
          TableName: this.config.tables.reports,
          Key: { caseId: dayKey(day) },
          UpdateExpression: `ADD ${counters.join(', ')} SET changedAt = :at`,
          ExpressionAttributeValues: { ':one': 1, ':at': at },
        }),
      );
    } catch (error) {
      throw toStoreError(error, { table: 'reports', operation: 'UpdateItem' });
    }
  }

  private dayQuery(day: LocalDate): QueryCommandInput {
    return {
      TableName: this.config.tables.reports,
      IndexName: REPORT_INDEXES.byReceivedDay,
      KeyConditionExpression: 'receivedDay = :day',
      ExpressionAttributeValues: { ':day': day },
    };
  }

  private openBeforeQueries(from: LocalDate, asOf: Date): QueryCommandInput[] {
    const now = (this.config.clock?.now() ?? new Date()).toISOString().slice(0, 7);
    const partitions = [OPEN_PARTITION];
    for (let month = asOf.toISOString().slice(0, 7); month <= now; month = nextMonth(month)) {
      partitions.push(`SETTLED#${month}`);
    }
    return partitions.map((partition) => ({
      TableName: this.config.tables.reports,
      IndexName: REPORT_INDEXES.bySettledMonth,
      KeyConditionExpression: 'settledPartition = :partition AND receivedDay < :from',
      ExpressionAttributeValues: { ':partition': partition, ':from': from },
    }));
  }

  /** Items by key, 100 keys a request in parallel, unprocessed keys asked again. */
  private async batchGet(keys: readonly string[]): Promise<Record<string, unknown>[]> {
    const chunks: string[][] = [];
    for (let i = 0; i < keys.length; i += BATCH_GET_SIZE) chunks.push(keys.slice(i, i + BATCH_GET_SIZE));
    const results = await mapConcurrently(chunks, this.config.concurrency ?? 16, async (chunk) => {
      const items: Record<string, unknown>[] = [];
      let pending: Record<string, unknown>[] = chunk.map((caseId) => ({ caseId }));
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        if (attempt > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
        let page;
        try {
          page = await this.config.client.send(
            new BatchGetCommand({ RequestItems: { [this.config.tables.reports]: { Keys: pending } } }),
          );
        } catch (error) {
          throw toStoreError(error, { table: 'reports', operation: 'BatchGetItem' });
        }
        const got = page.Responses?.[this.config.tables.reports] ?? [];
        this.count(got);
        items.push(...got);
        pending = page.UnprocessedKeys?.[this.config.tables.reports]?.Keys ?? [];
      }
      return items;
    });
    return results.flat();
  }

  private count(items: readonly Record<string, unknown>[]): void {
    this.meter.requests += 1;
    this.meter.items += items.length;
    for (const item of items) this.meter.bytes += itemSize(item);
  }

  async saveReplayResult(result: ReportReplayResult): Promise<void> {
    try {
      await this.config.client.send(
        new PutCommand({ TableName: this.config.tables.reports, Item: { caseId: REPLAY_KEY, ...result } }),
      );
    } catch (error) {
      throw toStoreError(error, { table: 'reports', operation: 'PutItem' });
    }
  }

  async latestReplayResult(): Promise<ReportReplayResult | undefined> {
    let item: Record<string, unknown> | undefined;
    try {
      item = (
        await this.config.client.send(
          new GetCommand({ TableName: this.config.tables.reports, Key: { caseId: REPLAY_KEY } }),
        )
      ).Item;
    } catch (error) {
      throw toStoreError(error, { table: 'reports', operation: 'GetItem' });
    }
    if (item === undefined) return undefined;
    const result: Record<string, unknown> = { ...item };
    delete result['caseId'];
    return result as unknown as ReportReplayResult;
  }

  private async queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      let page;
      try {
        page = await this.config.client.send(
          new QueryCommand({ ...input, ...(startKey !== undefined ? { ExclusiveStartKey: startKey } : {}) }),
        );
      } catch (error) {
        throw toStoreError(error, { table: 'reports', operation: 'Query' });
      }
      items.push(...(page.Items ?? []));
      this.count(page.Items ?? []);
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items;
  }
}

/** The item of a case's aggregate in the reports table (the benchmark seeds the table with it). */
export function reportRecordItem(record: CaseReportRecord): Record<string, unknown> {
  return {
    caseId: record.caseId,
    lastSeq: record.lastSeq,
    receivedDay: record.receivedDay,
    settledPartition:
      record.settledAt === undefined
        ? OPEN_PARTITION
        : `SETTLED#${new Date(record.settledAt).toISOString().slice(0, 7)}`,
    ...(record.settledAt !== undefined ? { settledAt: record.settledAt } : {}),
    epochs: JSON.stringify(record.epochs),
  };
}

function fromItem(item: Record<string, unknown>): CaseReportRecord {
  return {
    caseId: item['caseId'] as string,
    lastSeq: item['lastSeq'] as number,
    receivedDay: item['receivedDay'] as CaseReportRecord['receivedDay'],
    ...(typeof item['settledAt'] === 'string' ? { settledAt: item['settledAt'] } : {}),
    epochs: JSON.parse(item['epochs'] as string) as ReportEpoch[],
  };
}

/** The records, less those received before `from` that had settled by `asOf` (not open then). */
function* openAt(
  records: readonly CaseReportRecord[],
  from: LocalDate,
  asOf: Date,
): Iterable<CaseReportRecord> {
  const cutoff = asOf.getTime();
  for (const record of records) {
    // A case settled before the cut-off in the cut-off's month was not open then.
    if (record.receivedDay < from && record.settledAt !== undefined) {
      if (Date.parse(record.settledAt) <= cutoff) continue;
    }
    yield record;
  }
}

/** An item's size as DynamoDB counts it, roughly: names and values (strings, numbers, binaries). */
export function itemSize(item: Record<string, unknown>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    size += name.length;
    if (typeof value === 'string') size += Buffer.byteLength(value);
    else if (value instanceof Uint8Array) size += value.byteLength;
    else size += 8;
  }
  return size;
}

function nextMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}

/**
 * The summary of a day item, its pieces put back together: none when a piece is missing or from another
 * save (its digest differs: a save in progress or lost), or when the whole does not read back. The day is
 * then read whole, as without a summary.
 */
function summaryOf<S extends ReportDaySummary | ReportCutoffSummary>(
  key: string,
  item: Record<string, unknown>,
  parts: ReadonlyMap<string, Record<string, unknown>>,
): S | undefined {
  const first = item['summary'];
  if (!(first instanceof Uint8Array)) return undefined;
  const count = typeof item['summaryParts'] === 'number' ? item['summaryParts'] : 1;
  const pieces: Uint8Array[] = [first];
  for (let i = 1; i < count; i += 1) {
    const part = parts.get(partKey(key, i));
    if (!(part?.['piece'] instanceof Uint8Array) || part['summaryDigest'] !== item['summaryDigest'])
      return undefined;
    pieces.push(part['piece']);
  }
  const gzipped = Buffer.concat(pieces);
  if (
    count > 1 &&
    createHash('sha256').update(gzipped).digest('base64url').slice(0, 22) !== item['summaryDigest']
  )
    return undefined;
  try {
    return JSON.parse(gunzipSync(gzipped).toString('utf8')) as S;
  } catch {
    // A summary that does not read back is only a saving lost: the day is read whole.
    return undefined;
  }
}
