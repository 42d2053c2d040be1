import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';

import { CaseNotFoundError, LedgerConflictError, LedgerIntegrityError } from '../../errors';
import { CaseIdSchema } from '../../domain/case/case';
import { parseOrThrow } from '../../domain/case/parse';
import { findReplay, sealEvent, verifyEvents } from '../../domain/ledger/chain';
import type { ChainTail, ChainVerification, VerifyOptions } from '../../domain/ledger/chain';
import { EventDraftSchema, LedgerEventSchema } from '../../domain/ledger/events';
import type { EventDraft, EventType, LedgerEvent, LedgerEventOf } from '../../domain/ledger/events';
import type { AppendOptions, AppendResult, CaseLedger } from '../../domain/ledger/ports';
import { applyEvent, projectCase } from '../../domain/ledger/projection';
import type { CaseProjection } from '../../domain/ledger/projection';
import { writeSearchTerms } from './case-search-index';
import { readProjectionItem, toProjectionItem } from './projection-item';
import type { StoredProjection } from './projection-item';
import { isConditionalCheckFailed, toStoreError } from './store-errors';
import type { StoreCallContext } from './store-errors';
import type { TableNames } from './table-definitions';

export interface AppendRetryOptions {
  /**
   * Attempts at the next seq before `LedgerConflictError` (default 30; the last of 20 writers racing on one
   * case needed up to 8 on dynalite).
   */
  readonly maxAttempts?: number;
  /** Full-jitter backoff: a wait drawn in [0, min(capMs, baseMs · 2^(attempt-1))] (defaults 5 ms and 200 ms). */
  readonly baseMs?: number;
  readonly capMs?: number;
}

/** Reported when an append stored its event but could not refresh the projection (ids and error name only). */
export interface ProjectionFailure {
  readonly caseId: string;
  readonly seq: number;
  readonly errorName: string;
}

export interface DynamoDbCaseLedgerConfig {
  readonly client: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'cases' | 'ledger'>;
  readonly retry?: AppendRetryOptions;
  /** Told when a projection refresh fails after a successful append; `getCase` repairs it later. */
  readonly onProjectionFailure?: (failure: ProjectionFailure) => void;
  /** Injected for tests; default `Math.random`. */
  readonly random?: () => number;
  /** Injected for tests; default a `setTimeout` promise. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const LEDGER: Omit<StoreCallContext, 'operation'> = { table: 'ledger' };
const CASES: Omit<StoreCallContext, 'operation'> = { table: 'cases' };

/**
 * The case ledger on DynamoDB, ledger-first and without transactions (the same code runs on dynalite):
 * events go to the `ledger` table with a put conditioned on the next seq being free; the `cases` table holds
 * a projection refreshed after each append and repaired from the ledger whenever a reader finds it missing,
 * altered or behind.
 */
export class DynamoDbCaseLedger implements CaseLedger {
  private readonly client: DynamoDBDocumentClient;
  private readonly tables: Pick<TableNames, 'cases' | 'ledger'>;
  private readonly maxAttempts: number;
  private readonly baseMs: number;
  private readonly capMs: number;
  private readonly onProjectionFailure: (failure: ProjectionFailure) => void;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(config: DynamoDbCaseLedgerConfig) {
    this.client = config.client;
    this.tables = config.tables;
    this.maxAttempts = config.retry?.maxAttempts ?? 30;
    this.baseMs = config.retry?.baseMs ?? 5;
    this.capMs = config.retry?.capMs ?? 200;
    this.onProjectionFailure = config.onProjectionFailure ?? (() => undefined);
    this.random = config.random ?? Math.random;
    this.sleep = config.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * Appends under optimistic concurrency. Each attempt reads the tail (consistent read), looks for the
   * idempotency key among the case's events, seals the next event and puts it only if its seq is free. Losing
   * the race re-runs the whole attempt after a jittered backoff, so a concurrent call with the same key finds
   * the winner's event on its next attempt and returns it: one event per key, whatever the concurrency.
   */
  async append<T extends EventType>(
    caseId: string,
    draft: Extract<EventDraft, { type: T }>,
    options: AppendOptions = {},
  ): Promise<AppendResult<T>> {
    parseOrThrow(CaseIdSchema, caseId, 'case id');
    // Fail fast on a bad draft, before any read.
    parseOrThrow(EventDraftSchema, draft, 'ledger event draft');
    const key = options.idempotencyKey;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
      const tail = await this.readTail(caseId);
      if (key !== undefined && tail !== undefined) {
        const replay = findReplay(await this.findByIdempotencyKey(caseId, key), key, draft.type);
        if (replay !== undefined)
          return { event: this.parseEvent(caseId, replay) as LedgerEventOf<T>, appended: false };
      }
      const event = sealEvent<T>(caseId, tail, draft, key);
      const stored = await this.putIfSeqFree(event);
      if (stored) {
        await this.refreshProjection(event);
        return { event, appended: true };
      }
      if (attempt < this.maxAttempts) await this.sleep(this.backoffMs(attempt));
    }
    throw new LedgerConflictError(caseId, this.maxAttempts);
  }

  async read(caseId: string): Promise<LedgerEvent[]> {
    parseOrThrow(CaseIdSchema, caseId, 'case id');
    const items = await this.queryEvents(caseId);
    return items.map((item) => this.parseEvent(caseId, item));
  }

  async verifyChain(caseId: string): Promise<ChainVerification> {
    parseOrThrow(CaseIdSchema, caseId, 'case id');
    // The projection is read before the ledger: it is written after its events, so any head it holds must
    // already be in the ledger we read next.
    const stored = await this.getProjection(caseId);
    const items = await this.queryEvents(caseId);
    return verifyEvents(caseId, items as unknown as LedgerEvent[], headOf(stored));
  }

  async getCase(caseId: string): Promise<CaseProjection | undefined> {
    parseOrThrow(CaseIdSchema, caseId, 'case id');
    const stored = await this.getProjection(caseId);
    const tail = await this.readTail(caseId);
    if (tail === undefined) {
      // A trustworthy projection without any event means the ledger was deleted.
      if (stored.state === 'valid') throw new LedgerIntegrityError(caseId, 1, 'gap');
      return undefined;
    }
    if (
      stored.state === 'valid' &&
      stored.projection.lastSeq === tail.seq &&
      stored.projection.lastHash === tail.hash
    ) {
      return stored.projection;
    }
    return this.repairProjection(caseId);
  }

  /**
   * Rebuilds the projection from the verified ledger. The write moves the stored projection forward or
   * replaces an altered one, but never overwrites a newer valid projection written meanwhile by an append.
   */
  async repairProjection(caseId: string): Promise<CaseProjection> {
    parseOrThrow(CaseIdSchema, caseId, 'case id');
    const stored = await this.getProjection(caseId);
    const items = await this.queryEvents(caseId);
    const verification = verifyEvents(caseId, items as unknown as LedgerEvent[], headOf(stored));
    if (!verification.ok) throw new LedgerIntegrityError(caseId, verification.seq, verification.problem);
    const projection = projectCase(items.map((item) => this.parseEvent(caseId, item)));
    if (projection === undefined) throw new CaseNotFoundError(caseId);
    // Every term again: a repaired projection may have lagged because its terms were not written.
    await writeSearchTerms(this.client, this.tables.cases, projection);
    await this.writeProjection(projection, repairCondition(stored));
    return projection;
  }

  private backoffMs(attempt: number): number {
    return Math.round(this.random() * Math.min(this.capMs, this.baseMs * 2 ** (attempt - 1)));
  }

  private async readTail(caseId: string): Promise<ChainTail | undefined> {
    const output = await this.send({ ...LEDGER, operation: 'Query' }, () =>
      this.client.send(
        new QueryCommand({
          TableName: this.tables.ledger,
          KeyConditionExpression: '#caseId = :caseId',
          ExpressionAttributeNames: { '#caseId': 'caseId', '#seq': 'seq', '#hash': 'hash' },
          ExpressionAttributeValues: { ':caseId': caseId },
          ProjectionExpression: '#seq, #hash',
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      ),
    );
    const item = output.Items?.[0];
    if (item === undefined) return undefined;
    return { seq: Number(item.seq), hash: String(item.hash) };
  }

  private async findByIdempotencyKey(caseId: string, key: string): Promise<LedgerEvent[]> {
    const items = await this.queryEvents(caseId, {
      FilterExpression: '#idempotencyKey = :idempotencyKey',
      ExpressionAttributeNames: { '#caseId': 'caseId', '#idempotencyKey': 'idempotencyKey' },
      ExpressionAttributeValues: { ':caseId': caseId, ':idempotencyKey': key },
    });
    return items as unknown as LedgerEvent[];
  }

  /** All events of a case in seq order (consistent reads, every page). */
  private async queryEvents(
    caseId: string,
    filter: Partial<QueryCommandInput> = {},
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const output = await this.send({ ...LEDGER, operation: 'Query' }, () =>
        this.client.send(
          new QueryCommand({
            TableName: this.tables.ledger,
            KeyConditionExpression: '#caseId = :caseId',
            ExpressionAttributeNames: { '#caseId': 'caseId' },
            ExpressionAttributeValues: { ':caseId': caseId },
            ConsistentRead: true,
            ...filter,
            ...(exclusiveStartKey !== undefined ? { ExclusiveStartKey: exclusiveStartKey } : {}),
          }),
        ),
      );
      items.push(...(output.Items ?? []));
      exclusiveStartKey = output.LastEvaluatedKey;
    } while (exclusiveStartKey !== undefined);
    return items;
  }

  /** Puts the event only if its key is free; false when another writer took this seq first. */
  private async putIfSeqFree(event: LedgerEvent): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tables.ledger,
          Item: event,
          ConditionExpression: 'attribute_not_exists(#caseId) AND attribute_not_exists(#seq)',
          ExpressionAttributeNames: { '#caseId': 'caseId', '#seq': 'seq' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw toStoreError(error, { ...LEDGER, operation: 'PutItem' });
    }
  }

  /**
   * Moves the projection forward by the event just appended: folded onto the stored projection when that is
   * exactly one event behind, rebuilt from the ledger when it lags further or was altered. The event is
   * already the truth, so a failure here is reported, not thrown.
   */
  private async refreshProjection(event: LedgerEvent): Promise<void> {
    try {
      const stored = await this.getProjection(event.caseId);
      if (stored.state === 'absent' && event.seq === 1) {
        const next = applyEvent(undefined, event);
        await writeSearchTerms(this.client, this.tables.cases, next);
        await this.writeProjection(next, 'forward');
      } else if (
        stored.state === 'valid' &&
        stored.projection.lastSeq === event.seq - 1 &&
        stored.projection.lastHash === event.prevHash
      ) {
        const next = applyEvent(stored.projection, event);
        await writeSearchTerms(this.client, this.tables.cases, next, stored.projection);
        await this.writeProjection(next, 'forward');
      } else if (stored.state !== 'valid' || stored.projection.lastSeq < event.seq) {
        await this.repairProjection(event.caseId);
      }
      // Otherwise a concurrent append already moved the projection past this event.
    } catch (error) {
      this.onProjectionFailure({
        caseId: event.caseId,
        seq: event.seq,
        errorName: error instanceof Error ? error.name : 'UnknownError',
      });
    }
  }

  private async getProjection(caseId: string): Promise<StoredProjection> {
    const output = await this.send({ ...CASES, operation: 'GetItem' }, () =>
      this.client.send(
        new GetCommand({ TableName: this.tables.cases, Key: { caseId }, ConsistentRead: true }),
      ),
    );
    return readProjectionItem(output.Item);
  }

  /**
   * Writes the projection item with SET/REMOVE so that absent index attributes leave their index. `forward`
   * only moves a projection to a later seq; repairs may rewrite the same seq or replace an altered item.
   * Returns false when the condition failed (someone else wrote a newer projection first).
   */
  private async writeProjection(projection: CaseProjection, condition: WriteCondition): Promise<boolean> {
    const { caseId, ...attributes } = toProjectionItem(projection);
    const names: Record<string, string> = { '#caseId': 'caseId', '#lastSeq': 'lastSeq' };
    const values: Record<string, unknown> = {};
    const set: string[] = [];
    const remove: string[] = [];
    for (const name of OPTIONAL_ATTRIBUTES) {
      if (!(name in attributes)) {
        names[`#${name}`] = name;
        remove.push(`#${name}`);
      }
    }
    for (const [name, value] of Object.entries(attributes)) {
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      set.push(`#${name} = :${name}`);
    }
    let conditionExpression: string;
    if (condition === 'forward') {
      conditionExpression = 'attribute_not_exists(#caseId) OR #lastSeq < :lastSeq';
    } else if (condition === 'absent') {
      conditionExpression = 'attribute_not_exists(#caseId)';
    } else if (condition === 'same-or-forward') {
      conditionExpression = 'attribute_not_exists(#caseId) OR #lastSeq <= :lastSeq';
    } else if (condition.projectionHash !== undefined) {
      conditionExpression = 'attribute_exists(#caseId) AND #projectionHash = :observedHash';
      values[':observedHash'] = condition.projectionHash;
    } else {
      conditionExpression = 'attribute_exists(#caseId) AND attribute_not_exists(#projectionHash)';
    }
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tables.cases,
          Key: { caseId },
          UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression: conditionExpression,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw toStoreError(error, { ...CASES, operation: 'UpdateItem' });
    }
  }

  private parseEvent(caseId: string, item: unknown): LedgerEvent {
    const parsed = LedgerEventSchema.safeParse(item);
    if (parsed.success) return parsed.data;
    const seq = (item as { seq?: unknown } | undefined)?.seq;
    throw new LedgerIntegrityError(caseId, typeof seq === 'number' ? seq : 0, 'unreadable-event');
  }

  private async send<T>(context: StoreCallContext, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw toStoreError(error, context);
    }
  }
}

const OPTIONAL_ATTRIBUTES = ['openMarker', 'assignee', 'requesterEmail'] as const;

/** For an altered item, its `projectionHash` as read, so that only that exact item is replaced. */
type WriteCondition = 'forward' | 'absent' | 'same-or-forward' | { readonly projectionHash?: string };

function repairCondition(stored: StoredProjection): WriteCondition {
  if (stored.state === 'absent') return 'absent';
  if (stored.state === 'valid') return 'same-or-forward';
  return stored.projectionHash !== undefined ? { projectionHash: stored.projectionHash } : {};
}

function headOf(stored: StoredProjection): VerifyOptions {
  return stored.state === 'valid'
    ? { head: { seq: stored.projection.lastSeq, hash: stored.projection.lastHash } }
    : {};
}
