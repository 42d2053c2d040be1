import { createHash } from 'node:crypto';

import { canonicalize } from 'json-canonicalize';

import {
  CaseAlreadyExistsError,
  CaseNotFoundError,
  IdempotencyKeyConflictError,
  ValidationError,
} from '../../errors';
import { CaseIdSchema } from '../case/case';
import { parseOrThrow } from '../case/parse';
import { EventDraftSchema, GENESIS_HASH, IdempotencyKeySchema } from './events';
import type { EventDraft, EventType, LedgerEvent, LedgerEventOf } from './events';

/**
 * SHA-256 (hex) of the RFC 8785 canonical JSON of an event without its `hash`. Because the input includes
 * `prevHash`, each hash commits to the whole history before it.
 */
export function hashEvent(event: Omit<LedgerEvent, 'hash'> | LedgerEvent): string {
  const unsealed: Record<string, unknown> = { ...event };
  delete unsealed.hash;
  return createHash('sha256').update(canonicalize(unsealed), 'utf8').digest('hex');
}

/** The last event of a case, as far as sealing the next one is concerned. */
export interface ChainTail {
  readonly seq: number;
  readonly hash: string;
}

/**
 * Seals the next event of a case: validates the draft, sets `seq` = tail + 1 and `prevHash` = tail's hash
 * (64 zeros for the first event), then hashes it.
 *
 * Rules: a case starts with exactly one `case.received` (seq 1) and nothing else may come first.
 *
 * @throws ValidationError when the draft or key is invalid; CaseNotFoundError when a non-receipt event targets
 *   an empty ledger; CaseAlreadyExistsError when `case.received` targets a non-empty one.
 */
export function sealEvent<T extends EventType>(
  caseId: string,
  tail: ChainTail | undefined,
  draft: Extract<EventDraft, { type: T }>,
  idempotencyKey?: string,
): LedgerEventOf<T>;
export function sealEvent(
  caseId: string,
  tail: ChainTail | undefined,
  draft: EventDraft,
  idempotencyKey?: string,
): LedgerEvent {
  parseOrThrow(CaseIdSchema, caseId, 'case id');
  const valid = parseOrThrow(EventDraftSchema, draft, 'ledger event draft');
  if (idempotencyKey !== undefined) parseOrThrow(IdempotencyKeySchema, idempotencyKey, 'idempotency key');
  if (tail === undefined && valid.type !== 'case.received') throw new CaseNotFoundError(caseId);
  if (tail !== undefined && valid.type === 'case.received') throw new CaseAlreadyExistsError(caseId);

  const unsealed = {
    caseId,
    seq: tail ? tail.seq + 1 : 1,
    type: valid.type,
    at: valid.at,
    actor: valid.actor,
    data: valid.data,
    ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
    prevHash: tail ? tail.hash : GENESIS_HASH,
  };
  // A JSON round trip drops `undefined` members, so what is hashed is exactly what storage will give back.
  const plain = JSON.parse(JSON.stringify(unsealed)) as Omit<LedgerEvent, 'hash'>;
  return { ...plain, hash: hashEvent(plain) } as LedgerEvent;
}

/** One event of a case's opening (`CaseLedger.openCase`): its draft and its idempotency key, if any. */
export interface OpeningEvent {
  readonly draft: EventDraft;
  readonly idempotencyKey?: string;
}

/** One event of a case's opening (`openCase`) or of one command's item (`appendAll`). */
export type KeyedDraft = OpeningEvent;

/**
 * Seals the opening events of a new case, chained one on the other from seq 1: the first must be the
 * `case.received` (and only the first). Two entries with one key are refused, as a second append with that key
 * would have replayed the first.
 *
 * @throws ValidationError for an invalid draft or key, or a key given twice; CaseNotFoundError when the first
 *   is not `case.received`; CaseAlreadyExistsError for a later `case.received`.
 */
export function sealOpening(
  caseId: string,
  opening: readonly [OpeningEvent, ...OpeningEvent[]],
): [LedgerEvent, ...LedgerEvent[]] {
  return sealChain(caseId, undefined, opening);
}

/** @throws ValidationError when two entries (to be sealed in one item) share an idempotency key. */
export function assertDistinctKeys(entries: readonly KeyedDraft[]): void {
  const keys = entries.flatMap((entry) => (entry.idempotencyKey !== undefined ? [entry.idempotencyKey] : []));
  if (new Set(keys).size !== keys.length) {
    throw new ValidationError('The events of one ledger item repeat an idempotency key.', [
      {
        path: 'idempotencyKey',
        code: 'duplicate_key',
        message: 'Each event of one ledger item needs its own idempotency key.',
      },
    ]);
  }
}

/**
 * Seals events chained one on the other after `tail` (from seq 1 without one), each exactly as if appended
 * alone (`sealEvent`). Two entries with one key are refused, as a second append with that key would have
 * replayed the first.
 *
 * @throws as `sealOpening`.
 */
export function sealChain(
  caseId: string,
  tail: ChainTail | undefined,
  entries: readonly [KeyedDraft, ...KeyedDraft[]],
): [LedgerEvent, ...LedgerEvent[]] {
  assertDistinctKeys(entries);
  const events: LedgerEvent[] = [];
  for (const entry of entries)
    events.push(sealEvent(caseId, events.at(-1) ?? tail, entry.draft, entry.idempotencyKey));
  return events as [LedgerEvent, ...LedgerEvent[]];
}

/**
 * Resolves an append under an idempotency key: returns the recorded event when the key was already used in
 * this case, `undefined` when it was not.
 *
 * @throws IdempotencyKeyConflictError when the key recorded another type of event (a caller bug, not a replay).
 */
export function findReplay(
  events: Iterable<LedgerEvent>,
  idempotencyKey: string,
  requestedType: EventType,
): LedgerEvent | undefined {
  for (const event of events) {
    if (event.idempotencyKey !== idempotencyKey) continue;
    if (event.type !== requestedType) {
      throw new IdempotencyKeyConflictError({
        caseId: event.caseId,
        seq: event.seq,
        recordedType: event.type,
        requestedType,
      });
    }
    return event;
  }
  return undefined;
}

export type ChainProblem = 'hash-mismatch' | 'broken-link' | 'gap' | 'reordered' | 'wrong-case';

export type ChainVerification = { ok: true } | { ok: false; seq: number; problem: ChainProblem };

export interface VerifyOptions {
  /**
   * A head recorded outside the ledger (the case projection stores the last seq and hash it folded). A ledger
   * that ends before it was truncated; a different hash at that seq means the history was rewritten.
   */
  readonly head?: ChainTail;
}

/**
 * Checks that `events` (in storage order) are the intact history of `caseId`: seq runs 1, 2, 3… without holes,
 * every hash matches its event's canonical JSON, every `prevHash` is the previous event's hash (64 zeros for
 * seq 1) and every event belongs to the case. Any changed, missing or reordered event fails; the result names
 * the first seq at which the chain is wrong.
 *
 * Events are taken as stored (not re-parsed), so a tampered field that no longer fits the schema is still
 * reported as a hash mismatch. A truncated tail is detectable only with `options.head`.
 */
export function verifyEvents(
  caseId: string,
  events: readonly LedgerEvent[],
  options: VerifyOptions = {},
): ChainVerification {
  const seqs = new Set<unknown>(events.map((event) => event.seq));
  let previousHash = GENESIS_HASH;
  for (const [index, event] of events.entries()) {
    const expectedSeq = index + 1;
    if (event.caseId !== caseId) return { ok: false, seq: expectedSeq, problem: 'wrong-case' };
    if (event.seq !== expectedSeq) {
      // A later seq here is a swap when the expected one shows up elsewhere, a hole when it is nowhere.
      const problem = seqs.has(expectedSeq) ? 'reordered' : 'gap';
      return { ok: false, seq: expectedSeq, problem };
    }
    if (hashEvent(event) !== event.hash) return { ok: false, seq: expectedSeq, problem: 'hash-mismatch' };
    if (event.prevHash !== previousHash) return { ok: false, seq: expectedSeq, problem: 'broken-link' };
    previousHash = event.hash;
  }
  const head = options.head;
  if (head !== undefined && head.seq >= 1) {
    if (head.seq > events.length) return { ok: false, seq: events.length + 1, problem: 'gap' };
    if (events[head.seq - 1]?.hash !== head.hash)
      return { ok: false, seq: head.seq, problem: 'hash-mismatch' };
  }
  return { ok: true };
}
