import { createHash } from 'node:crypto';

import { canonicalize } from 'json-canonicalize';
import * as z from '../../zod-mini';

import { hashEvent } from '../../domain/ledger/chain';
import type { ChainTail } from '../../domain/ledger/chain';
import {
  EVENT_TYPES,
  HashSchema,
  LedgerEventSchema,
  MessageSentDataSchema,
} from '../../domain/ledger/events';
import type { EventType, LedgerEvent } from '../../domain/ledger/events';
import { indexAfter } from '../../domain/ledger/ledger-index';
import type { LedgerIndex, RecordedKey } from '../../domain/ledger/ledger-index';
import type { SentMessage } from '../../domain/ledger/ports';
import { CaseProjectionSchema, applyEvent, projectCase } from '../../domain/ledger/projection';
import type { CaseProjection } from '../../domain/ledger/projection';

/**
 * Attribute of a ledger item holding the case as it stands after that item's event (`docs/write-path.md`).
 * It is not part of the event: the hash chain covers the event alone, and every reader of events drops it
 * (`eventsOfItem`).
 */
export const SNAPSHOT_ATTRIBUTE = 'snapshot';

/**
 * Attribute of a ledger item holding the events sealed after the item's own event in the same write (a new
 * case's opening events, `CaseLedger.openCase`, or one command's events, `CaseLedger.appendAll`), in seq order. The item's key is its first event's seq; the
 * following events have no item of their own, so every reader of events unpacks items (`eventsOfItem`).
 */
export const FOLLOWING_ATTRIBUTE = 'following';

/**
 * The attributes of a ledger item that hold its events: every field of an event (`LedgerEventSchema`, so a field
 * added to events is read too) and `following`. Everything the item holds but its snapshot.
 */
const EVENT_ATTRIBUTES = [
  ...new Set([
    ...LedgerEventSchema.def.options.flatMap((option) => Object.keys(option.shape)),
    FOLLOWING_ATTRIBUTE,
  ]),
];

/** `#name` for each of `EVENT_ATTRIBUTES` (several are reserved words: `data`, `type`, `at`, `hash`). */
const EVENT_ATTRIBUTE_NAMES: Readonly<Record<string, string>> = Object.fromEntries(
  EVENT_ATTRIBUTES.map((name) => [`#${name}`, name]),
);

const EVENT_PROJECTION = Object.keys(EVENT_ATTRIBUTE_NAMES).join(', ');

/**
 * `input` (a Query, Scan or GetItem of the ledger table) made to read the events of each item and not its
 * snapshot, the larger part of the item (`docs/write-path.md`, "Reading events without snapshots"): a
 * `ProjectionExpression` naming `EVENT_ATTRIBUTES`. Such a read does not see an attribute added to an item
 * outside the event's fields, nor the snapshot: readers that must (the verification, the head read) read whole
 * items. The placeholders are `#` and the attribute's name; `input`'s own names may use them for the same
 * attributes only.
 */
export function withEventAttributesOnly<
  T extends { readonly TableName: string; readonly ExpressionAttributeNames?: Record<string, string> },
>(input: T): T & { ProjectionExpression: string; ExpressionAttributeNames: Record<string, string> } {
  const own = input.ExpressionAttributeNames ?? {};
  for (const [placeholder, name] of Object.entries(own)) {
    const ours = EVENT_ATTRIBUTE_NAMES[placeholder];
    if (ours !== undefined && ours !== name)
      throw new Error(`${placeholder} names ${ours} in the events' projection, not ${name}`);
  }
  return {
    ...input,
    ProjectionExpression: EVENT_PROJECTION,
    ExpressionAttributeNames: { ...own, ...EVENT_ATTRIBUTE_NAMES },
  };
}

export type { RecordedKey } from '../../domain/ledger/ledger-index';

/**
 * What a command needs from the head of its case in one read: the projection after the head event (its
 * `lastSeq`/`lastHash` are the head's), every idempotency key the case has recorded, and the rest of the case's
 * index (`LedgerIndex`): every message it sent (for the mail service's reports; `docs/write-path.md`, "Mail
 * reports from the head") and, per event type, the seq of its latest event recorded without a key (for the
 * staff commands' keys, "Staff commands from the head").
 */
export interface LedgerSnapshot {
  readonly projection: CaseProjection;
  readonly keys: Readonly<Record<string, RecordedKey>>;
  /**
   * The case's `message.sent` events in seq order (the first of each message id). Absent from the snapshots
   * written before it existed: a reader then needs the whole ledger, and the next append writes it.
   */
  readonly messages?: readonly SentMessage[];
  /** Per event type, the seq of its latest event without a key. Absent as `messages` may be. */
  readonly unkeyed?: LedgerIndex['unkeyed'];
}

/** A snapshot holding the whole index of its case: written since the index was complete (`LedgerIndex`). */
export type IndexedSnapshot = LedgerSnapshot & LedgerIndex;

/** Whether a snapshot holds the whole index (not one written before `messages` and `unkeyed` existed). */
export function isIndexed(snapshot: LedgerSnapshot | undefined): snapshot is IndexedSnapshot {
  return snapshot?.messages !== undefined && snapshot.unkeyed !== undefined;
}

const StoredSnapshotSchema = z.object({
  projection: CaseProjectionSchema,
  keys: z.record(
    z.string(),
    z.object({
      seq: z.number().check(z.int(), z.gte(1)),
      type: z.enum(EVENT_TYPES as [EventType, ...EventType[]]),
    }),
  ),
  messages: z.optional(
    z.array(
      z.object({
        messageId: MessageSentDataSchema.shape.messageId,
        seq: z.number().check(z.int(), z.gte(1)),
        recipient: MessageSentDataSchema.shape.recipient,
        purpose: MessageSentDataSchema.shape.purpose,
      }),
    ),
  ),
  unkeyed: z.optional(
    z.partialRecord(z.enum(EVENT_TYPES as [EventType, ...EventType[]]), z.number().check(z.int(), z.gte(1))),
  ),
  hash: HashSchema,
});

/** The head of a case as read: its last event, and the snapshot stored with it when that is intact. */
export interface LedgerHead {
  readonly tail: ChainTail;
  /** The head item's last event, as stored (unparsed). */
  readonly event: LedgerEvent;
  readonly snapshot?: LedgerSnapshot;
  /**
   * Every event of the case, as stored (unparsed), when the head item is the case's opening item (its first
   * event at seq 1) and its snapshot intact.
   */
  readonly opening?: readonly LedgerEvent[];
}

/** The item's own event: the item without its snapshot and following events. */
function ownEventOf(item: Record<string, unknown>): LedgerEvent {
  const event: Record<string, unknown> = { ...item };
  delete event[SNAPSHOT_ATTRIBUTE];
  delete event[FOLLOWING_ATTRIBUTE];
  return event as unknown as LedgerEvent;
}

/**
 * The events an item of the ledger table holds, in seq order, as stored (unparsed): its own event, then the
 * events that followed it in the same write, if any. A `following` attribute that is not a list is kept as
 * one unreadable event, so that verification reports the item instead of skipping what it hides.
 */
export function eventsOfItem(item: Record<string, unknown>): LedgerEvent[] {
  const following = item[FOLLOWING_ATTRIBUTE];
  if (following === undefined) return [ownEventOf(item)];
  const rest = Array.isArray(following) ? (following as LedgerEvent[]) : [following as LedgerEvent];
  return [ownEventOf(item), ...rest];
}

/**
 * The ledger item of `events` (one event, or events written at once: a case's opening, one command's; consecutive
 * seqs),
 * carrying the snapshot of the case after the last of them. The item's key is the first event's.
 */
export function toLedgerItem(
  events: readonly [LedgerEvent, ...LedgerEvent[]],
  snapshot: LedgerSnapshot,
): Record<string, unknown> {
  const [first, ...following] = events;
  const last = events[events.length - 1]!;
  // A JSON round trip drops `undefined` members, which DynamoDB cannot store.
  const plain = JSON.parse(JSON.stringify(snapshot)) as LedgerSnapshot;
  return {
    ...first,
    ...(following.length > 0
      ? { [FOLLOWING_ATTRIBUTE]: JSON.parse(JSON.stringify(following)) as LedgerEvent[] }
      : {}),
    [SNAPSHOT_ATTRIBUTE]: { ...plain, hash: snapshotHash(last.hash, plain) },
  };
}

/**
 * Reads the head item of a case; its last event is the head. Its snapshot is kept only when it is exactly what
 * this adapter wrote after that event: the event matches its own hash, the projection ends at that event, and
 * the snapshot's hash (over the event hash, projection and keys) matches. Anything else (an item written
 * before snapshots existed, or one altered in place) gives a head without snapshot, which the adapter rebuilds
 * from the whole ledger.
 */
export function readLedgerHead(item: Record<string, unknown>): LedgerHead {
  const events = eventsOfItem(item);
  const event = events.at(-1)!;
  const tail = { seq: Number(event.seq), hash: String(event.hash) };
  const parsed = StoredSnapshotSchema.safeParse(item[SNAPSHOT_ATTRIBUTE]);
  if (!parsed.success) return { tail, event };
  const { projection, keys, messages, unkeyed, hash } = parsed.data;
  const snapshot = {
    projection,
    keys,
    ...(messages !== undefined ? { messages } : {}),
    ...(unkeyed !== undefined ? { unkeyed } : {}),
  };
  const intact =
    hashEvent(event) === tail.hash &&
    projection.lastSeq === tail.seq &&
    projection.lastHash === tail.hash &&
    snapshotHash(tail.hash, snapshot) === hash;
  if (!intact) return { tail, event };
  return Number(events[0]!.seq) === 1
    ? { tail, event, snapshot, opening: events }
    : { tail, event, snapshot };
}

/** The snapshot of the case after `events` (its whole ledger, in seq order); `undefined` for none. */
export function snapshotOf(events: readonly LedgerEvent[]): IndexedSnapshot | undefined {
  const projection = projectCase(events);
  if (projection === undefined) return undefined;
  return { projection, ...indexAfter(undefined, events) };
}

/**
 * The snapshot after `events` appended to `base` (`undefined` for a new case). `base` must hold the whole index
 * (`isIndexed`): one written before it is rebuilt from the whole ledger instead (`snapshotOf`).
 */
export function snapshotAfter(
  base: IndexedSnapshot | undefined,
  events: readonly [LedgerEvent, ...LedgerEvent[]],
): IndexedSnapshot {
  return {
    projection: events.reduce<CaseProjection | undefined>(applyEvent, base?.projection)!,
    ...indexAfter(base, events),
  };
}

/** The idempotency keys recorded by `events`, as a snapshot holds them. */
export function keysOf(events: readonly LedgerEvent[]): Readonly<Record<string, RecordedKey>> {
  return indexAfter(undefined, events).keys;
}

/** The hash of a snapshot; one without `messages` and `unkeyed` (written before them) hashes as it did then. */
function snapshotHash(eventHash: string, snapshot: LedgerSnapshot): string {
  const sealed = {
    eventHash,
    projection: snapshot.projection,
    keys: snapshot.keys,
    ...(snapshot.messages !== undefined ? { messages: snapshot.messages } : {}),
    ...(snapshot.unkeyed !== undefined ? { unkeyed: snapshot.unkeyed } : {}),
  };
  return createHash('sha256').update(canonicalize(sealed), 'utf8').digest('hex');
}
