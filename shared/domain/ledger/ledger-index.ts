import type { EventType, LedgerEvent } from './events';
import type { SentMessage } from './ports';

/** Where an idempotency key of a case recorded its event. */
export interface RecordedKey {
  readonly seq: number;
  readonly type: EventType;
}

/**
 * What a command needs to know of a case's whole ledger without reading it (`docs/write-path.md`, "Staff
 * commands from the head"): every idempotency key with its event's seq and type, for each event type the seq of
 * its latest event recorded without a key, and the messages the case sent. With the keys, these give the seq of
 * the latest event of any type that is not keyed in a given family (the anchor of a staff command's key,
 * `commandKeys`).
 */
export interface LedgerIndex {
  readonly keys: Readonly<Record<string, RecordedKey>>;
  readonly unkeyed: Readonly<Partial<Record<EventType, number>>>;
  readonly messages: readonly SentMessage[];
}

/** The index after `events` (in seq order) are appended to a ledger indexed by `base` (`undefined`: none). */
export function indexAfter(base: LedgerIndex | undefined, events: readonly LedgerEvent[]): LedgerIndex {
  const keys: Record<string, RecordedKey> = { ...base?.keys };
  const unkeyed: Partial<Record<EventType, number>> = { ...base?.unkeyed };
  const messages = [...(base?.messages ?? [])];
  const held = new Set(messages.map((message) => message.messageId));
  for (const event of events) {
    const key = event.idempotencyKey;
    if (key === undefined) unkeyed[event.type] = event.seq;
    else if (!Object.hasOwn(keys, key)) keys[key] = { seq: event.seq, type: event.type };
    if (event.type === 'message.sent' && !held.has(event.data.messageId)) {
      held.add(event.data.messageId);
      const { messageId, recipient, purpose } = event.data;
      messages.push({ messageId, seq: event.seq, recipient, purpose });
    }
  }
  return { keys, unkeyed, messages };
}
