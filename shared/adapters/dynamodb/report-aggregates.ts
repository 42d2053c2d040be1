import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';

import type { Clock } from '../../domain/messaging/ports';
import type { ReportPeriod } from '../../domain/report/compute';
import type {
  CaseReportRecord,
  ReportAggregateStore,
  ReportEpoch,
  ReportRecordSource,
  ReportReplayResult,
} from '../../domain/report/aggregates';
import { formatLocalDate, parseLocalDate } from '../../domain/time/local-date';
import { localDateOf } from '../../domain/time/local-date-of';
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
}

/** The key of the latest replay result, apart from every case id (case ids never start with `#`). */
const REPLAY_KEY = '#replay-latest';

const OPEN_PARTITION = 'OPEN';

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
export class DynamoDbReportAggregates implements ReportAggregateStore, ReportRecordSource {
  constructor(private readonly config: DynamoDbReportAggregatesConfig) {}

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
    try {
      await this.config.client.send(
        new PutCommand({
          TableName: this.config.tables.reports,
          Item: toItem(record),
          ConditionExpression: `attribute_not_exists(caseId) OR lastSeq ${options.replace === true ? '<=' : '<'} :seq`,
          ExpressionAttributeValues: { ':seq': record.lastSeq },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw toStoreError(error, { table: 'reports', operation: 'PutItem' });
    }
  }

  async *recordsFor(period: ReportPeriod, asOf: Date): AsyncIterable<CaseReportRecord> {
    const asOfDay = localDateOf(asOf);
    const lastDay = asOfDay < period.to ? asOfDay : period.to;
    const queries: QueryCommandInput[] = [];
    for (let n = parseLocalDate(period.from); formatLocalDate(n) <= lastDay; n += 1) {
      const day = formatLocalDate(n);
      queries.push({
        TableName: this.config.tables.reports,
        IndexName: REPORT_INDEXES.byReceivedDay,
        KeyConditionExpression: 'receivedDay = :day',
        ExpressionAttributeValues: { ':day': day },
      });
    }
    const now = (this.config.clock?.now() ?? new Date()).toISOString().slice(0, 7);
    const partitions = [OPEN_PARTITION];
    for (let month = asOf.toISOString().slice(0, 7); month <= now; month = nextMonth(month)) {
      partitions.push(`SETTLED#${month}`);
    }
    for (const partition of partitions) {
      queries.push({
        TableName: this.config.tables.reports,
        IndexName: REPORT_INDEXES.bySettledMonth,
        KeyConditionExpression: 'settledPartition = :partition AND receivedDay < :from',
        ExpressionAttributeValues: { ':partition': partition, ':from': period.from },
      });
    }
    const cutoff = asOf.getTime();
    const results = await mapConcurrently(queries, this.config.concurrency ?? 16, (input) =>
      this.queryAll(input),
    );
    for (const items of results) {
      for (const item of items) {
        const record = fromItem(item);
        // A case settled before the cut-off in the cut-off's month was not open then.
        if (record.receivedDay < period.from && record.settledAt !== undefined) {
          if (Date.parse(record.settledAt) <= cutoff) continue;
        }
        yield record;
      }
    }
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
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items;
  }
}

function toItem(record: CaseReportRecord): Record<string, unknown> {
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

function nextMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}

async function mapConcurrently<T, R>(
  inputs: readonly T[],
  limit: number,
  run: (input: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(inputs.length);
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const i = next;
      next += 1;
      results[i] = await run(inputs[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, inputs.length) }, worker));
  return results;
}
