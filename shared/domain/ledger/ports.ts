import type { CaseReference } from '../case/reference';
import type { ChainTail, ChainVerification, KeyedDraft, OpeningEvent } from './chain';
import type { EventDraft, EventType, LedgerEvent, LedgerEventOf } from './events';
import type { LedgerIndex } from './ledger-index';
import type { CaseProjection } from './projection';

export interface AppendOptions {
  /** At most one event per key and case: a repeated append returns the recorded event. */
  readonly idempotencyKey?: string;
  /**
   * Another append of the same command follows at once (intake's registration, then its workflow start):
   * the stores that keep a read model beside the ledger leave it to that next append. A crash in between
   * leaves the read model behind, which `getCase` repairs.
   */
  readonly readModelLater?: boolean;
  /**
   * The stores that keep a read model beside the ledger leave it as it is when the event changes nothing it
   * shows (a delivery report, say; a bounce that makes a task for staff does change it). Their read model's head
   * then stays at an earlier seq, and the checks that measure a ledger's tail against that head (a deleted last
   * event) no longer cover this event: for the mail service's reports only (`docs/write-path.md`, "Mail reports
   * and the directory").
   */
  readonly readModelIfChanged?: boolean;
}

export interface AppendResult<T extends EventType = EventType> {
  readonly event: LedgerEventOf<T>;
  /** False when the idempotency key had already recorded this event (nothing was appended). */
  readonly appended: boolean;
  /**
   * The case as the append left it (after the new event, or as read when the key replayed), when the ledger
   * knows it without another read; callers fall back to `getCase`.
   */
  readonly projection?: CaseProjection;
}

export interface AppendAllOptions {
  /** As `AppendOptions.readModelLater`, for the item's write. */
  readonly readModelLater?: boolean;
  /** As `AppendOptions.readModelIfChanged`, for the item's write: the mail service's reports only. */
  readonly readModelIfChanged?: boolean;
}

export interface AppendAllResult {
  /**
   * One per draft, in the order given: the event recorded now (`appended`), or the one its key had already
   * recorded (a replay).
   */
  readonly results: readonly AppendResult[];
  /** The case after the call, when the ledger knows it without another read (as `AppendResult.projection`). */
  readonly projection?: CaseProjection;
}

export interface OpenCaseOptions {
  /**
   * Work to run once the events are stored, beside the write of the read model (intake starts the case's
   * workflow there): the call ends when both have, and fails with this work's error if it fails.
   */
  readonly alongside?: () => Promise<void>;
}

export interface OpenCaseResult {
  /** The events recorded, in seq order from 1. */
  readonly events: readonly [LedgerEvent, ...LedgerEvent[]];
  /** The case after them. */
  readonly projection: CaseProjection;
}

/** What a case's `message.sent` says of the message, found by the mail service's message id. */
export interface SentMessage {
  readonly messageId: string;
  /** The seq of the `message.sent`. */
  readonly seq: number;
  readonly recipient: LedgerEventOf<'message.sent'>['data']['recipient'];
  readonly purpose: LedgerEventOf<'message.sent'>['data']['purpose'];
}

/** The answer of `CaseLedger.findSentMessage`. */
export type SentMessageLookup =
  | { readonly found: true; readonly message: SentMessage }
  | { readonly found: false; readonly why: 'unknown-case' | 'unknown-message' };

/**
 * The per-case ledger: append-only, hash-chained, the source of truth for every case. The case projection is
 * derived from it and repaired from it when it lags.
 */
export interface CaseLedger {
  /**
   * Seals `draft` as the next event of the case (seq = last + 1, prevHash = last hash) and stores it, then
   * refreshes the projection. A failed projection refresh does not fail the append: the next `getCase`
   * repairs it.
   *
   * @throws ValidationError, CaseNotFoundError (first event is not `case.received`), CaseAlreadyExistsError,
   *   IdempotencyKeyConflictError, LedgerConflictError (lost the race too many times), StoreError.
   */
  append<T extends EventType>(
    caseId: string,
    draft: Extract<EventDraft, { type: T }>,
    options?: AppendOptions,
  ): Promise<AppendResult<T>>;

  /**
   * Appends several events of one command at once, as one write (`docs/write-path.md`, "One item per
   * command"): each sealed and chained exactly as if appended alone, in the order given, from the head on; all
   * recorded or none. A draft whose key the case already recorded is not appended again: its recorded event is
   * returned, and only the drafts whose keys are not recorded (or that have none) are appended, together. A
   * lost race restarts from a fresh read, as `append` does.
   *
   * @throws as `append`; ValidationError when two drafts share a key.
   */
  appendAll(
    caseId: string,
    drafts: readonly [KeyedDraft, ...KeyedDraft[]],
    options?: AppendAllOptions,
  ): Promise<AppendAllResult>;

  /**
   * Opens a new case with its first events (`case.received` first), all recorded or none, in one write
   * (`docs/write-path.md`); then writes the read model while `options.alongside` runs. Nothing is written, and
   * `alongside` does not run, when the case already has events: `undefined`, and the caller goes on with keyed
   * `append`s, which replay what was recorded.
   *
   * @throws ValidationError, CaseNotFoundError (first event is not `case.received`), CaseAlreadyExistsError (a
   *   later one is), StoreError, or what `alongside` throws (the events are recorded then).
   */
  openCase(
    caseId: string,
    opening: readonly [OpeningEvent, ...OpeningEvent[]],
    options?: OpenCaseOptions,
  ): Promise<OpenCaseResult | undefined>;

  /**
   * The first `message.sent` of the case with this message id, without reading the whole ledger where the
   * store can (`docs/write-path.md`, "Mail reports from the head"): `unknown-case` for a case without events,
   * `unknown-message` when no such message is recorded at the time of the read. A message once recorded stays,
   * so a found one may come from what the store already knew; a missing one is always looked for afresh.
   *
   * @throws ValidationError (bad case id), LedgerIntegrityError (an unreadable event on the fallback to the
   *   whole ledger), StoreError.
   */
  findSentMessage(caseId: string, messageId: string): Promise<SentMessageLookup>;

  /**
   * The index of the case's whole ledger as of its head (`LedgerIndex`: its idempotency keys, the latest
   * unkeyed event of each type, its sent messages), without reading the whole ledger where the store can
   * (`docs/write-path.md`, "Staff commands from the head"); `undefined` for a case without events. `known`: the
   * head the caller has just read (`getCase`'s `lastSeq` and `lastHash`), which a store that remembers it
   * answers from memory.
   *
   * @throws ValidationError (bad case id), LedgerIntegrityError (an unreadable event on the fallback to the
   *   whole ledger), StoreError.
   */
  readIndex(caseId: string, known?: ChainTail): Promise<LedgerIndex | undefined>;

  /**
   * The events of a case in seq order, as stored (not verified; see `verifyChain`). Empty for an unknown case.
   * `known`: the head the caller just read (its projection's `lastSeq` and `lastHash`): a store that remembers
   * that head, when its item holds every event of the case (a case's opening), answers without a request, with
   * the events up to that head; otherwise, as without it, the ledger is read.
   */
  read(caseId: string, known?: ChainTail): Promise<LedgerEvent[]>;

  /** Verifies the whole chain of a case (see `verifyEvents`), using the projection's head to catch truncation. */
  verifyChain(caseId: string): Promise<ChainVerification>;

  /**
   * The current case projection, repaired from the ledger when the stored one is missing, altered or behind;
   * `undefined` for an unknown case.
   *
   * @throws LedgerIntegrityError when a repair is needed and the ledger fails verification.
   */
  getCase(caseId: string): Promise<CaseProjection | undefined>;

  /**
   * Rebuilds the projection from a verified ledger and stores it.
   *
   * @throws CaseNotFoundError for an empty ledger; LedgerIntegrityError when the chain fails verification.
   */
  repairProjection(caseId: string): Promise<CaseProjection>;
}

export interface ReferenceRequest {
  /** Organization prefix, e.g. `SCT`. */
  readonly prefix: string;
  /** Local (America/Toronto) year of receipt. */
  readonly year: number;
}

/**
 * Hands out case references: per prefix and local year, sequence numbers 1, 2, 3… each exactly once, even
 * under concurrency. A number allocated by a caller that then fails is not reused (references are unique,
 * not gapless).
 */
export interface ReferenceAllocator {
  allocate(request: ReferenceRequest): Promise<CaseReference>;
}
