import type { LedgerEvent } from './events';
import { ledgerMirrorBody, ledgerMirrorKey, ledgerTamperBody, ledgerTamperKey } from './mirror-layout';
import type { LedgerTamperReason, LedgerTamperRecord } from './mirror-layout';

/**
 * Reads the events of the ledger item at `caseId`/`seq` (without its snapshot), as stored now: one event, or a
 * case's opening events, which one item holds (`CaseLedger.openCase`). `undefined` when there is no item.
 */
export interface LedgerItemSource {
  events(caseId: string, seq: number): Promise<readonly LedgerEvent[] | undefined>;
}

/** A write-once object store (the WORM bucket). */
export interface WriteOnceStore {
  /**
   * Stores `body` under `key` unless an object is there already; then nothing is written and the body found
   * is returned. Never overwrites.
   */
  putIfAbsent(key: string, body: string): Promise<{ written: true } | { written: false; existing: string }>;
}

export interface LedgerMirrorDeps {
  readonly ledger: LedgerItemSource;
  readonly mirror: WriteOnceStore;
}

/** What happened to a ledger item, as the table's stream says: appended, overwritten, or deleted. */
export type LedgerItemChange = 'insert' | 'modify' | 'remove';

export type LedgerMirrorOutcome =
  | { readonly outcome: 'mirrored' }
  | { readonly outcome: 'already-mirrored' }
  | { readonly outcome: 'tampered'; readonly reason: LedgerTamperReason; readonly recordKey: string };

/**
 * Mirrors the ledger item `caseId`/`seq` into the WORM bucket, once (issue 14 §1): each of its events (one, or
 * a new case's opening events) is written under its own `ledgerMirrorKey` unless already there. The ledger is
 * append-only, so any of these is evidence that an item was changed after it was written, and is stored as a
 * tamper record (`ledgerTamperKey`) beside the mirror, never over it: the mirror already holds another event
 * under that key; the stream reports the item overwritten or deleted; the item is gone. Idempotent: a
 * redelivered stream record changes nothing and records nothing new.
 */
export async function mirrorLedgerEvent(
  deps: LedgerMirrorDeps,
  caseId: string,
  seq: number,
  change: LedgerItemChange,
): Promise<LedgerMirrorOutcome> {
  const events = await deps.ledger.events(caseId, seq);
  if (events === undefined || events.length === 0)
    return recordTamper(deps, { caseId, seq, reason: 'item-removed', itemEvent: null });
  let written = false;
  for (const event of events) {
    const body = ledgerMirrorBody(event);
    const stored = await deps.mirror.putIfAbsent(ledgerMirrorKey(caseId, event.seq), body);
    if (!stored.written && stored.existing !== body) {
      return recordTamper(deps, { caseId, seq: event.seq, reason: 'content-differs', itemEvent: event });
    }
    written ||= stored.written;
  }
  if (change !== 'insert') {
    const reason = change === 'modify' ? 'item-rewritten' : 'item-removed';
    return recordTamper(deps, { caseId, seq, reason, itemEvent: events[0]! });
  }
  return { outcome: written ? 'mirrored' : 'already-mirrored' };
}

async function recordTamper(
  deps: LedgerMirrorDeps,
  record: LedgerTamperRecord,
): Promise<LedgerMirrorOutcome> {
  const recordKey = ledgerTamperKey(record);
  await deps.mirror.putIfAbsent(recordKey, ledgerTamperBody(record));
  return { outcome: 'tampered', reason: record.reason, recordKey };
}
