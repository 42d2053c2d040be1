import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

import { CaseNotFoundError, LedgerConflictError, LedgerIntegrityError } from '../../errors';
import { CaseIdSchema } from '../../domain/case/case';
import { parseOrThrow } from '../../domain/case/parse';
import {
  assertDistinctKeys,
  findReplay,
  sealChain,
  sealEvent,
  sealOpening,
  verifyEvents,
} from '../../domain/ledger/chain';
import type {
  ChainTail,
  ChainVerification,
  KeyedDraft,
  OpeningEvent,
  VerifyOptions,
} from '../../domain/ledger/chain';
import type { LedgerIndex } from '../../domain/ledger/ledger-index';
import { EventDraftSchema, LedgerEventSchema } from '../../domain/ledger/events';
import type { EventDraft, EventType, LedgerEvent, LedgerEventOf } from '../../domain/ledger/events';
import type {
  AppendAllOptions,
  AppendAllResult,
  AppendOptions,
  AppendResult,
  CaseLedger,
  OpenCaseOptions,
  OpenCaseResult,
  SentMessage,
  SentMessageLookup,
} from '../../domain/ledger/ports';
import { projectCase } from '../../domain/ledger/projection';
import type { CaseProjection } from '../../domain/ledger/projection';
import type { ChainLink } from '../../domain/audit/verification-job';
import { writeSearchTerms } from './case-search-index';
import {
  eventsOfItem,
  isIndexed,
  readLedgerHead,
  snapshotAfter,
  snapshotOf,
  toLedgerItem,
  withEventAttributesOnly,
} from './ledger-head';
import type { IndexedSnapshot, LedgerHead, LedgerSnapshot, RecordedKey } from './ledger-head';
import { readProjectionItem, showsSameCase, toProjectionItem } from './projection-item';
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

/** Cases whose head this adapter remembers (a Lambda instance serves many cases; memory stays bounded). */
const REMEMBERED_HEADS = 500;

/**
 * A head this adapter wrote or read, and a projection the read model is known to show, if any: the one it stands
 * at, or a later one it shows the same case as (`showsSameCase`: an append that changed nothing it shows did not
 * write it).
 */
interface RememberedHead {
  readonly snapshot: LedgerSnapshot;
  readonly readModel?: CaseProjection;
  /** Every event of the case up to this head, as stored, when its item is the case's opening (`read`). */
  readonly opening?: readonly LedgerEvent[];
}

/**
 * The case ledger on DynamoDB, ledger-first and without transactions (the same code runs on dynalite,
 * `docs/write-path.md`): each event is one item of the `ledger` table (but a new case's opening events, which
 * share the item at seq 1, and the events one command appends together, `appendAll`), put only if its seq is
 * free, and carrying the snapshot of the case after it (projection and idempotency keys). So a command reads its case once (the head item, or the one this adapter
 * just wrote) and writes once. The `cases` table holds the read model for lists and search, written after each
 * append and repaired from the ledger whenever a reader finds it missing, altered or behind.
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
  /** Latest heads by case id, oldest first: a guess only, since the conditional put checks it. */
  private readonly heads = new Map<string, RememberedHead>();

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
   * Appends under optimistic concurrency, one read and one write per attempt. The read is the head item
   * (consistent, newest first, one item), whose snapshot gives the seq and hash to chain on, the idempotency
   * keys and the projection to fold onto; it is skipped when this adapter already knows the head (it wrote or
   * read it) or when a receipt opens a new case. The write puts the sealed event with the new snapshot, only
   * if its seq is free: a wrong guess or a lost race fails that condition and the attempt starts again from a
   * fresh read, after a jittered backoff once the read was fresh. A key is only ever answered as a replay from
   * a fresh read, so a concurrent call with the same key finds the winner's event: one event per key,
   * whatever the concurrency. The read model is refreshed afterwards (its failure is reported, not thrown),
   * unless `readModelLater` leaves it to the next append.
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
    let remembered = this.rememberedBase(caseId);
    // A receipt usually opens a new case: try seq 1 before reading anything.
    let guessed = remembered !== undefined || draft.type === 'case.received';
    for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
      let base: Base | undefined;
      if (guessed) {
        base = remembered !== undefined ? { snapshot: remembered.snapshot } : undefined;
      } else {
        base = await this.readBase(caseId);
        remembered = undefined;
      }
      const recorded = key !== undefined ? base?.snapshot.keys[key] : undefined;
      if (recorded !== undefined) {
        if (guessed) {
          guessed = false;
          continue;
        }
        return this.replay<T>(caseId, base!, key!, recorded, draft.type);
      }
      const previous = base?.snapshot.projection;
      const tail = previous !== undefined ? { seq: previous.lastSeq, hash: previous.lastHash } : undefined;
      const event = sealEvent<T>(caseId, tail, draft, key);
      const snapshot = snapshotAfter(base?.snapshot, [event]);
      const { projection } = snapshot;
      if (await this.putAndRemember(caseId, [event], base?.snapshot, snapshot, remembered, options)) {
        return { event, appended: true, projection };
      }
      this.heads.delete(caseId);
      if (guessed) guessed = false;
      else if (attempt < this.maxAttempts) await this.sleep(this.backoffMs(attempt));
    }
    throw new LedgerConflictError(caseId, this.maxAttempts);
  }

  /**
   * Appends the drafts as one item at the head + 1 (the first event's attributes, the others in `following`,
   * the snapshot after the last), put only if that seq is free: all of them or none. The attempts are those of
   * `append` (the head guessed when remembered, read fresh after a wrong guess or a lost race). Drafts whose
   * keys the fresh head's snapshot records are answered with their recorded events and left out of the item;
   * when every key is recorded nothing is written.
   */
  async appendAll(
    caseId: string,
    drafts: readonly [KeyedDraft, ...KeyedDraft[]],
    options: AppendAllOptions = {},
  ): Promise<AppendAllResult> {
    parseOrThrow(CaseIdSchema, caseId, 'case id');
    for (const { draft } of drafts) parseOrThrow(EventDraftSchema, draft, 'ledger event draft');
    // Refuses a key given twice before anything is read.
    assertDistinctKeys(drafts);
    let remembered = this.rememberedBase(caseId);
    let guessed = remembered !== undefined || drafts[0].draft.type === 'case.received';
    for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
      let base: Base | undefined;
      if (guessed) {
        base = remembered !== undefined ? { snapshot: remembered.snapshot } : undefined;
      } else {
        base = await this.readBase(caseId);
        remembered = undefined;
      }
      const recorded = drafts.map(({ idempotencyKey }) =>
        idempotencyKey !== undefined ? base?.snapshot.keys[idempotencyKey] : undefined,
      );
      if (guessed && recorded.some((entry) => entry !== undefined)) {
        guessed = false;
        continue;
      }
      const replays = new Map<number, AppendResult>();
      for (const [index, entry] of recorded.entries()) {
        if (entry === undefined) continue;
        const { idempotencyKey, draft } = drafts[index]!;
        replays.set(index, await this.replay(caseId, base!, idempotencyKey!, entry, draft.type));
      }
      const missing = drafts.filter((_, index) => !replays.has(index));
      const previous = base?.snapshot.projection;
      if (missing.length === 0) {
        return {
          results: drafts.map((_, index) => replays.get(index)!),
          ...(previous !== undefined ? { projection: previous } : {}),
        };
      }
      const tail = previous !== undefined ? { seq: previous.lastSeq, hash: previous.lastHash } : undefined;
      const events = sealChain(caseId, tail, missing as [KeyedDraft, ...KeyedDraft[]]);
      const snapshot = snapshotAfter(base?.snapshot, events);
      const { projection } = snapshot;
      if (await this.putAndRemember(caseId, events, base?.snapshot, snapshot, remembered, options)) {
        const appended = events.values();
        return {
          results: drafts.map(
            (_, index) => replays.get(index) ?? { event: appended.next().value!, appended: true },
          ),
          projection,
        };
      }
      this.heads.delete(caseId);
      if (guessed) guessed = false;
      else if (attempt < this.maxAttempts) await this.sleep(this.backoffMs(attempt));
    }
    throw new LedgerConflictError(caseId, this.maxAttempts);
  }

  /**
   * Puts the opening events as one item at seq 1 (the first event's attributes, the others in `following`,
   * the snapshot after the last), only if seq 1 is free, without reading first, with the case's search terms
   * and list partition in the same round trip (as an append does); then writes the read model while
   * `alongside` runs. A read-model failure is reported, not thrown, as after an append; when the terms
   * failed, the read model is left for the next `getCase` to repair.
   */
  async openCase(
    caseId: string,
    opening: readonly [OpeningEvent, ...OpeningEvent[]],
    options: OpenCaseOptions = {},
  ): Promise<OpenCaseResult | undefined> {
    parseOrThrow(CaseIdSchema, caseId, 'case id');
    const events = sealOpening(caseId, opening);
    const snapshot = snapshotOf(events)!;
    const { projection } = snapshot;
    const { put, terms } = await this.putWithTerms(toLedgerItem(events, snapshot), projection, undefined);
    if (!put) {
      this.heads.delete(caseId);
      return undefined;
    }
    const alongside = options.alongside ?? (() => Promise.resolve());
    const [readModel, work] = await Promise.allSettled([this.readModelAfter(terms, projection), alongside()]);
    const written = readModel.status === 'fulfilled' && readModel.value;
    this.remember(caseId, { snapshot, ...(written ? { readModel: projection } : {}), opening: events });
    if (work.status === 'rejected') throw work.reason;
    return { events, projection };
  }

  /**
   * The message from the snapshot of the head: the one this adapter remembers when it holds the message (no
   * read), else the head item read afresh, which this adapter then remembers so that the append that usually
   * follows (the report's record) chains on it without reading it again. A head whose snapshot does not list
   * the case's messages (written before they were, or not intact) is answered from the whole ledger.
   */
  async findSentMessage(caseId: string, messageId: string): Promise<SentMessageLookup> {
    parseOrThrow(CaseIdSchema, caseId, 'case id');
    const remembered = this.heads.get(caseId);
    const known = sentIn(remembered?.snapshot, messageId);
    if (known !== undefined) return { found: true, message: known };
    const snapshot = await this.readIndexedHead(caseId, remembered);
    if (snapshot === undefined) return { found: false, why: 'unknown-case' };
    const message = sentIn(snapshot, messageId);
    return message !== undefined ? { found: true, message } : { found: false, why: 'unknown-message' };
  }

  /**
   * The index from the head's snapshot: from memory when this adapter remembers the head the caller names
   * (`known`, which `getCase` has just read and remembered), else from the head item read afresh (then
   * remembered, for the command's append), or from the whole ledger when the head's snapshot lacks the index.
   */
  async readIndex(caseId: string, known?: ChainTail): Promise<LedgerIndex | undefined> {
    parseOrThrow(CaseIdSchema, caseId, 'case id');
    const remembered = this.heads.get(caseId);
    const atKnown =
      known !== undefined &&
      remembered !== undefined &&
      remembered.snapshot.projection.lastSeq === known.seq &&
      remembered.snapshot.projection.lastHash === known.hash;
    if (atKnown && isIndexed(remembered.snapshot)) return indexOf(remembered.snapshot);
    // A known head without the index (an older item): no use reading it again before the whole ledger.
    const snapshot = atKnown
      ? await this.rebuiltHead(caseId, remembered)
      : await this.readIndexedHead(caseId, remembered);
    return snapshot !== undefined ? indexOf(snapshot) : undefined;
  }

  async read(caseId: string, known?: ChainTail): Promise<LedgerEvent[]> {
    parseOrThrow(CaseIdSchema, caseId, 'case id');
    const opening = known !== undefined ? this.openingAt(caseId, known) : undefined;
    if (opening !== undefined) return opening.map((event) => this.parseEvent(caseId, event));
    // The events alone, without the snapshots (most of each item); the verification reads whole items.
    const events = await this.queryEvents(caseId, { eventAttributesOnly: true });
    return events.map((event) => this.parseEvent(caseId, event));
  }

  async verifyChain(caseId: string): Promise<ChainVerification> {
    return (await this.readChain(caseId)).verification;
  }

  /**
   * The case's chain verdict (as `verifyChain`) and each event's seq, hash and `at` as stored, for the
   * verification job's comparison with the mirror.
   */
  async readChain(caseId: string): Promise<{ verification: ChainVerification; links: ChainLink[] }> {
    parseOrThrow(CaseIdSchema, caseId, 'case id');
    // The projection is read before the ledger: it is written after its events, so any head it holds must
    // already be in the ledger we read next.
    const stored = await this.getProjection(caseId);
    const events = await this.queryEvents(caseId);
    const links = events.map((event) => ({ seq: event.seq, hash: event.hash, at: event.at }));
    return { verification: verifyEvents(caseId, events, headOf(stored)), links };
  }

  /**
   * The hash stored at `seq` of the case, `undefined` for none: one consistent Query of the item holding it
   * (its own, or the opening item a new case's first events share).
   */
  async hashAt(caseId: string, seq: number): Promise<string | undefined> {
    return (await this.findEvent(caseId, seq))?.hash;
  }

  /**
   * The case as its head item says, checked against the read model. When this adapter wrote or checked the
   * read model at the head it remembers, the head item alone is read (one request) and its snapshot served if
   * the head is still that one, or a later one that shows the case as that read model does (`showsSameCase`:
   * what came since, a mail report written by another instance say, changed nothing the read model shows, so
   * nothing had to write it). Otherwise the read model and the head item are read together (one round trip,
   * after the head when the remembered one was passed): the read model is served when it is intact and stands
   * exactly at the head, else the case is rebuilt from the verified ledger and the read model repaired. A head
   * behind the remembered read model (a truncated ledger) always goes to that check.
   */
  async getCase(caseId: string): Promise<CaseProjection | undefined> {
    parseOrThrow(CaseIdSchema, caseId, 'case id');
    const known = this.heads.get(caseId)?.readModel;
    if (known !== undefined) {
      const head = await this.readHead(caseId);
      if (
        head?.snapshot !== undefined &&
        head.tail.seq === known.lastSeq &&
        head.tail.hash === known.lastHash
      ) {
        this.remember(caseId, { snapshot: head.snapshot, readModel: known, ...openingOf(head) });
        return head.snapshot.projection;
      }
      const ahead = head !== undefined ? this.servedAhead(caseId, known, head) : undefined;
      if (ahead !== undefined) return ahead;
      return this.servedOrRepaired(caseId, await this.getProjection(caseId), head);
    }
    const [stored, head] = await Promise.all([this.getProjection(caseId), this.readHead(caseId)]);
    return this.servedOrRepaired(caseId, stored, head);
  }

  /**
   * Rebuilds the projection from the verified ledger. The write moves the stored projection forward or
   * replaces an altered one, but never overwrites a newer valid projection written meanwhile by an append.
   */
  async repairProjection(caseId: string): Promise<CaseProjection> {
    parseOrThrow(CaseIdSchema, caseId, 'case id');
    const stored = await this.getProjection(caseId);
    const events = await this.queryEvents(caseId);
    const verification = verifyEvents(caseId, events, headOf(stored));
    if (!verification.ok) throw new LedgerIntegrityError(caseId, verification.seq, verification.problem);
    const projection = projectCase(events.map((event) => this.parseEvent(caseId, event)));
    if (projection === undefined) throw new CaseNotFoundError(caseId);
    // Every term again: a repaired projection may have lagged because its terms were not written.
    await writeSearchTerms(this.client, this.tables.cases, projection);
    await this.writeProjection(projection, repairCondition(stored));
    return projection;
  }

  /**
   * The read model when it is intact and at the head (remembered as such), or behind the head but showing the
   * case the head's snapshot holds (`showsSameCase`: the appends since changed nothing it shows, so none wrote
   * it); then the head's projection is served. Else the repaired case.
   */
  private async servedOrRepaired(
    caseId: string,
    stored: StoredProjection,
    head: LedgerHead | undefined,
  ): Promise<CaseProjection | undefined> {
    if (head === undefined) {
      // A trustworthy projection without any event means the ledger was deleted.
      if (stored.state === 'valid') throw new LedgerIntegrityError(caseId, 1, 'gap');
      return undefined;
    }
    if (stored.state !== 'valid') return this.repairProjection(caseId);
    const { projection } = stored;
    if (projection.lastSeq === head.tail.seq && projection.lastHash === head.tail.hash) {
      if (head.snapshot !== undefined)
        this.remember(caseId, { snapshot: head.snapshot, readModel: projection, ...openingOf(head) });
      return projection;
    }
    // A read model ahead of the head (a truncated ledger) goes to the repair, whose verification reports it.
    return this.servedAhead(caseId, projection, head) ?? this.repairProjection(caseId);
  }

  /**
   * The head's projection when the head stands past `readModel` (a read model read, or one this adapter knows)
   * and shows the same case (`showsSameCase`), remembered as shown by the read model; else `undefined`.
   */
  private servedAhead(
    caseId: string,
    readModel: CaseProjection,
    head: LedgerHead,
  ): CaseProjection | undefined {
    if (
      head.snapshot === undefined ||
      head.tail.seq <= readModel.lastSeq ||
      !showsSameCase(readModel, head.snapshot.projection)
    )
      return undefined;
    this.remember(caseId, {
      snapshot: head.snapshot,
      readModel: head.snapshot.projection,
      ...openingOf(head),
    });
    return head.snapshot.projection;
  }

  /**
   * The base of an append from a fresh read: the head's snapshot, or (for a head without an intact one: an
   * item from before snapshots, or altered; or one from before snapshots listed messages) the snapshot rebuilt
   * from the whole ledger. `undefined` for a case without events.
   */
  private async readBase(caseId: string): Promise<Base | undefined> {
    const head = await this.readHead(caseId);
    if (head === undefined) return undefined;
    if (isIndexed(head.snapshot)) return { snapshot: head.snapshot, headEvent: head.event };
    return this.snapshotFromLedger(caseId);
  }

  /** The snapshot rebuilt from the whole ledger (whole items), with its events; `undefined` for no event. */
  private async snapshotFromLedger(
    caseId: string,
  ): Promise<{ snapshot: IndexedSnapshot; events: LedgerEvent[] } | undefined> {
    const events = (await this.queryEvents(caseId)).map((event) => this.parseEvent(caseId, event));
    const snapshot = snapshotOf(events);
    return snapshot !== undefined ? { snapshot, events } : undefined;
  }

  /**
   * The head's snapshot read afresh, rebuilt from the whole ledger when it lacks the index (an item from before
   * it, or altered), and remembered: the command's append that usually follows chains on it without reading it
   * again (what the read model stands at is kept only when the head did not move). `undefined` for no event.
   */
  private async readIndexedHead(
    caseId: string,
    remembered: RememberedHead | undefined,
  ): Promise<IndexedSnapshot | undefined> {
    const head = await this.readHead(caseId);
    if (head === undefined) return undefined;
    if (!isIndexed(head.snapshot)) return this.rebuiltHead(caseId, remembered);
    this.rememberRead(caseId, head.snapshot, remembered);
    return head.snapshot;
  }

  /** The snapshot rebuilt from the whole ledger, remembered as `readIndexedHead` does. */
  private async rebuiltHead(
    caseId: string,
    remembered: RememberedHead | undefined,
  ): Promise<IndexedSnapshot | undefined> {
    const rebuilt = await this.snapshotFromLedger(caseId);
    if (rebuilt !== undefined) this.rememberRead(caseId, rebuilt.snapshot, remembered);
    return rebuilt?.snapshot;
  }

  /** Remembers a head read, with what the read model stands at when the head is still `remembered`'s. */
  private rememberRead(
    caseId: string,
    snapshot: IndexedSnapshot,
    remembered: RememberedHead | undefined,
  ): void {
    const readModel =
      remembered !== undefined && sameHead(remembered.snapshot, snapshot) ? remembered.readModel : undefined;
    this.remember(caseId, { snapshot, ...(readModel !== undefined ? { readModel } : {}) });
  }

  /**
   * The remembered head an append may chain on: not one whose snapshot predates the whole index (read by
   * `getCase` from an older item), which the new snapshot could not carry on.
   */
  private rememberedBase(caseId: string): (RememberedHead & { snapshot: IndexedSnapshot }) | undefined {
    const remembered = this.heads.get(caseId);
    return remembered !== undefined && isIndexed(remembered.snapshot)
      ? { ...remembered, snapshot: remembered.snapshot }
      : undefined;
  }

  /** The event a key recorded (read by its seq unless the base already holds it), checked against its type. */
  private async replay<T extends EventType>(
    caseId: string,
    base: Base,
    key: string,
    recorded: RecordedKey,
    requestedType: EventType,
  ): Promise<AppendResult<T>> {
    let candidates: readonly LedgerEvent[];
    if (base.events !== undefined) candidates = base.events;
    else if (base.headEvent !== undefined && base.headEvent.seq === recorded.seq)
      candidates = [base.headEvent];
    else candidates = [await this.getEvent(caseId, recorded.seq)];
    const event = findReplay(candidates, key, requestedType);
    if (event === undefined) throw new LedgerIntegrityError(caseId, recorded.seq, 'hash-mismatch');
    return {
      event: this.parseEvent(caseId, event) as LedgerEventOf<T>,
      appended: false,
      projection: base.snapshot.projection,
    };
  }

  /**
   * Remembers `head`, unless a later head of the case is already remembered (a write or read that finished after
   * another one that got further, such as a report recorded while a command was still writing its read model):
   * that one stays, and learns that the read model shows its case when `head`'s read model shows the same.
   */
  /** The opening's events this adapter remembers at `known`, the case's head, if that is what it remembers. */
  private openingAt(caseId: string, known: ChainTail): readonly LedgerEvent[] | undefined {
    const remembered = this.heads.get(caseId);
    const opening = remembered?.opening;
    if (opening === undefined) return undefined;
    const last = opening.at(-1);
    const { projection } = remembered!.snapshot;
    return last !== undefined &&
      projection.lastSeq === known.seq &&
      projection.lastHash === known.hash &&
      last.seq === known.seq &&
      last.hash === known.hash
      ? opening
      : undefined;
  }

  private remember(caseId: string, head: RememberedHead): void {
    const current = this.heads.get(caseId);
    if (current !== undefined && current.snapshot.projection.lastSeq > head.snapshot.projection.lastSeq) {
      const later = current.snapshot.projection;
      if (
        current.readModel === undefined &&
        head.readModel !== undefined &&
        showsSameCase(head.readModel, later)
      )
        this.heads.set(caseId, { ...current, readModel: later });
      return;
    }
    this.heads.delete(caseId);
    this.heads.set(caseId, head);
    if (this.heads.size > REMEMBERED_HEADS) {
      const oldest = this.heads.keys().next();
      if (oldest.done !== true) this.heads.delete(oldest.value);
    }
  }

  private backoffMs(attempt: number): number {
    return Math.round(this.random() * Math.min(this.capMs, this.baseMs * 2 ** (attempt - 1)));
  }

  /** The head item of a case (consistent read, newest first, one item), or `undefined` for no event. */
  private async readHead(caseId: string): Promise<LedgerHead | undefined> {
    const output = await this.send({ ...LEDGER, operation: 'Query' }, () =>
      this.client.send(
        new QueryCommand({
          TableName: this.tables.ledger,
          KeyConditionExpression: '#caseId = :caseId',
          ExpressionAttributeNames: { '#caseId': 'caseId' },
          ExpressionAttributeValues: { ':caseId': caseId },
          ScanIndexForward: false,
          Limit: 1,
          ConsistentRead: true,
        }),
      ),
    );
    const item = output.Items?.[0];
    return item === undefined ? undefined : readLedgerHead(item);
  }

  /** The event at `seq`: in the item keyed at or just before it (an opening item holds several events). */
  private async getEvent(caseId: string, seq: number): Promise<LedgerEvent> {
    const event = await this.findEvent(caseId, seq);
    if (event === undefined) throw new LedgerIntegrityError(caseId, seq, 'gap');
    return event;
  }

  /** The event at `seq`, from the item at or before it (an opening item holds several), as stored. */
  private async findEvent(caseId: string, seq: number): Promise<LedgerEvent | undefined> {
    const output = await this.send({ ...LEDGER, operation: 'Query' }, () =>
      this.client.send(
        new QueryCommand(
          withEventAttributesOnly({
            TableName: this.tables.ledger,
            KeyConditionExpression: '#caseId = :caseId AND #seq <= :seq',
            ExpressionAttributeNames: { '#caseId': 'caseId', '#seq': 'seq' },
            ExpressionAttributeValues: { ':caseId': caseId, ':seq': seq },
            ScanIndexForward: false,
            Limit: 1,
            ConsistentRead: true,
          }),
        ),
      ),
    );
    const item = output.Items?.[0];
    return item === undefined ? undefined : eventsOfItem(item).find((held) => held.seq === seq);
  }

  /**
   * All events of a case in seq order, as stored without the snapshots (consistent reads, every page). With
   * `eventAttributesOnly` the snapshots are not even fetched, and neither is an attribute added to an item.
   */
  private async queryEvents(
    caseId: string,
    { eventAttributesOnly = false }: { eventAttributesOnly?: boolean } = {},
  ): Promise<LedgerEvent[]> {
    const events: LedgerEvent[] = [];
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const input = {
        TableName: this.tables.ledger,
        KeyConditionExpression: '#caseId = :caseId',
        ExpressionAttributeNames: { '#caseId': 'caseId' },
        ExpressionAttributeValues: { ':caseId': caseId },
        ConsistentRead: true,
        ...(exclusiveStartKey !== undefined ? { ExclusiveStartKey: exclusiveStartKey } : {}),
      };
      const output = await this.send({ ...LEDGER, operation: 'Query' }, () =>
        this.client.send(new QueryCommand(eventAttributesOnly ? withEventAttributesOnly(input) : input)),
      );
      events.push(...(output.Items ?? []).flatMap(eventsOfItem));
      exclusiveStartKey = output.LastEvaluatedKey;
    } while (exclusiveStartKey !== undefined);
    return events;
  }

  /** Puts the item only if its key is free; false when another writer took this seq first. */
  private async putIfSeqFree(item: Record<string, unknown>): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tables.ledger,
          Item: item,
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
   * Puts the item of `events` (sealed on `base`, the head `remembered` stood at or a fresh read) and, when the
   * put won the seq, writes the read model (or leaves it to the next append, `readModelLater`) and remembers the
   * new head with what the read model now shows. With `readModelIfChanged`, the read model and the search terms
   * are not written at all when the events change nothing the read model shows (`showsSameCase` of the base's
   * projection and the new one): the read model that the base's writer wrote, or that its command writes with its
   * next append (`readModelLater`), shows the new head too (`getCase` serves it so, and repairs one whose write
   * was lost). False when the seq was taken: nothing was written.
   */
  private async putAndRemember(
    caseId: string,
    events: readonly [LedgerEvent, ...LedgerEvent[]],
    base: LedgerSnapshot | undefined,
    snapshot: LedgerSnapshot,
    remembered: RememberedHead | undefined,
    options: { readonly readModelLater?: boolean; readonly readModelIfChanged?: boolean },
  ): Promise<boolean> {
    const readModel = remembered?.readModel;
    const later = options.readModelLater === true;
    const { projection } = snapshot;
    // A case the events leave as the read model shows it: the write its base's command made or will make holds.
    const unchanged =
      options.readModelIfChanged === true &&
      !later &&
      base !== undefined &&
      showsSameCase(base.projection, projection);
    const { put, terms } = await this.putWithTerms(
      toLedgerItem(events, snapshot),
      projection,
      later || unchanged ? 'none' : readModel,
    );
    if (!put) return false;
    if (later) {
      this.remember(caseId, { snapshot, ...(readModel !== undefined ? { readModel } : {}) });
    } else if (unchanged) {
      const shows = readModel !== undefined && showsSameCase(readModel, projection);
      this.remember(caseId, { snapshot, ...(shows ? { readModel: projection } : {}) });
    } else {
      const written = await this.readModelAfter(terms, projection);
      this.remember(caseId, { snapshot, ...(written ? { readModel: projection } : {}) });
    }
    return true;
  }

  /**
   * Puts a ledger item if its seq is free, with the search terms (and list partition) of `projection` in the
   * same round trip, so that they are in place before the read model holds the case: a list or a search never
   * misses a case its read model has. Only the terms `previous` lacked (every term when it is unknown; none
   * for `'none'`: the next append writes them, or the read model is not written). A failed put throws; the
   * terms' outcome is returned.
   */
  private async putWithTerms(
    item: Record<string, unknown>,
    projection: CaseProjection,
    previous: CaseProjection | undefined | 'none',
  ): Promise<{ put: boolean; terms: PromiseSettledResult<void> }> {
    const [put, terms] = await Promise.allSettled([
      this.putIfSeqFree(item),
      previous === 'none'
        ? Promise.resolve()
        : writeSearchTerms(this.client, this.tables.cases, projection, previous),
    ]);
    if (put.status === 'rejected') throw put.reason;
    return { put: put.value, terms };
  }

  /** The read model after a put: written when its terms were, else left for `getCase` (reported). */
  private async readModelAfter(
    terms: PromiseSettledResult<void>,
    projection: CaseProjection,
  ): Promise<boolean> {
    return terms.status === 'fulfilled'
      ? this.refreshReadModel(projection)
      : this.readModelFailed(projection, terms.reason);
  }

  /**
   * Writes the read model of the projection just appended (its search terms are already written). The update
   * only moves the read model forward, so a concurrent append that got further first wins. The event is
   * already the truth, so a failure here is reported, not thrown; it returns whether the read model now stands
   * at `projection`.
   */
  private async refreshReadModel(projection: CaseProjection): Promise<boolean> {
    try {
      return await this.writeProjection(projection, 'forward');
    } catch (error) {
      return this.readModelFailed(projection, error);
    }
  }

  /**
   * Reports a read model left behind its ledger (the next `getCase` repairs it, terms first). When the terms
   * failed, the read model is not written at all: a read model ahead of its terms would never be repaired.
   */
  private readModelFailed(projection: CaseProjection, error: unknown): false {
    this.onProjectionFailure({
      caseId: projection.caseId,
      seq: projection.lastSeq,
      errorName: error instanceof Error ? error.name : 'UnknownError',
    });
    return false;
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

/**
 * What an append chains on after a fresh read: the head's snapshot, with the head event (or every event, when
 * the snapshot had to be rebuilt) to answer a replay without another read.
 */
interface Base {
  readonly snapshot: IndexedSnapshot;
  readonly headEvent?: LedgerEvent;
  readonly events?: readonly LedgerEvent[];
}

/** The first `message.sent` a snapshot lists under `messageId`; none when it lists no messages. */
function sentIn(snapshot: LedgerSnapshot | undefined, messageId: string): SentMessage | undefined {
  return snapshot?.messages?.find((message) => message.messageId === messageId);
}

function indexOf({ keys, unkeyed, messages }: IndexedSnapshot): LedgerIndex {
  return { keys, unkeyed, messages };
}

function sameHead(a: LedgerSnapshot, b: LedgerSnapshot): boolean {
  return a.projection.lastSeq === b.projection.lastSeq && a.projection.lastHash === b.projection.lastHash;
}

function headOf(stored: StoredProjection): VerifyOptions {
  return stored.state === 'valid'
    ? { head: { seq: stored.projection.lastSeq, hash: stored.projection.lastHash } }
    : {};
}

/** The opening's events of a head read, to remember with it. */
function openingOf(head: LedgerHead): { opening?: readonly LedgerEvent[] } {
  return head.opening !== undefined ? { opening: head.opening } : {};
}
