import { createHash } from 'node:crypto';

import { canonicalize } from 'json-canonicalize';

import type { LedgerEvent } from './events';

/**
 * The layout of the ledger's WORM mirror (`docs/ledger-mirror.md`), shared by the writer (the `ledger-mirror`
 * stream consumer) and every reader (the verification). Changing a key or a body breaks the comparison of the
 * mirror with the ledger: a new layout gets a new version prefix beside this one.
 */

/** Prefix of the mirrored events: `ledger/v1/<caseId>/<seq, 10 digits>.json`. */
export const LEDGER_MIRROR_PREFIX = 'ledger/v1/';

/**
 * Prefix of the tamper records: `ledger-conflicts/v1/<caseId>/<seq, 10 digits>/<sha256 of the record>.json`,
 * one object per distinct observation of a ledger item that changed after it was written.
 */
export const LEDGER_CONFLICT_PREFIX = 'ledger-conflicts/v1/';

/** `Content-Type` of every mirror object. */
export const LEDGER_MIRROR_CONTENT_TYPE = 'application/json';

/** Digits of the zero-padded seq in a key, so that keys list in seq order within a case. */
const SEQ_DIGITS = 10;
const MAX_SEQ = 10 ** SEQ_DIGITS - 1;

/** The key of the mirrored event `seq` of `caseId`. Case ids are letters, digits, `-` and `_`: no escaping. */
export function ledgerMirrorKey(caseId: string, seq: number): string {
  return `${LEDGER_MIRROR_PREFIX}${caseId}/${paddedSeq(seq)}.json`;
}

/** The case id and seq of a mirror key, or `undefined` for any other key (a listing's other objects). */
export function parseLedgerMirrorKey(key: string): { caseId: string; seq: number } | undefined {
  const match = /^ledger\/v1\/([A-Za-z0-9_-]+)\/(\d{10})\.json$/.exec(key);
  if (match === null) return undefined;
  return { caseId: match[1] ?? '', seq: Number(match[2]) };
}

/**
 * The body of a mirrored event: the event exactly as the ledger item holds it without the item's snapshot
 * (`caseId`, `seq`, `type`, `at`, `actor`, `data`, `prevHash`, `hash`, and `idempotencyKey` when it has one),
 * as canonical JSON (RFC 8785: sorted members, no spaces), so the same event always gives the same bytes and
 * `hashEvent` of the parsed body gives its `hash` back.
 */
export function ledgerMirrorBody(event: LedgerEvent): string {
  return canonicalize(event);
}

/** Why a ledger item was recorded as tampered with. */
export type LedgerTamperReason =
  /** The item holds another event than the one mirrored under its key. */
  | 'content-differs'
  /** The table's stream reported the item overwritten (`MODIFY`): no writer ever replaces a ledger item. */
  | 'item-rewritten'
  /** The item is gone (`REMOVE` on the stream, or absent when its write was mirrored). */
  | 'item-removed';

/** Every tamper reason (the back-fill's state names them). */
export const LEDGER_TAMPER_REASONS = [
  'content-differs',
  'item-rewritten',
  'item-removed',
] as const satisfies readonly LedgerTamperReason[];

/** What a tamper record holds: the item as it was read when the change was seen (`null` once removed). */
export interface LedgerTamperRecord {
  readonly caseId: string;
  readonly seq: number;
  readonly reason: LedgerTamperReason;
  readonly itemEvent: LedgerEvent | null;
}

/** The canonical JSON body of a tamper record. */
export function ledgerTamperBody(record: LedgerTamperRecord): string {
  return canonicalize(record);
}

/** The key of a tamper record: the same observation twice is one object. */
export function ledgerTamperKey(record: LedgerTamperRecord): string {
  const digest = createHash('sha256').update(ledgerTamperBody(record), 'utf8').digest('hex');
  return `${LEDGER_CONFLICT_PREFIX}${record.caseId}/${paddedSeq(record.seq)}/${digest}.json`;
}

function paddedSeq(seq: number): string {
  if (!Number.isInteger(seq) || seq < 1 || seq > MAX_SEQ) {
    throw new RangeError(`A ledger seq is a whole number from 1 to ${MAX_SEQ}.`);
  }
  return String(seq).padStart(SEQ_DIGITS, '0');
}
