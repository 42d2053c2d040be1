import { createHash } from 'node:crypto';

import { canonicalize } from 'json-canonicalize';

import { IdempotencyKeyReuseError } from '../../../errors';
import type { EventType, LedgerEvent } from '../../ledger/events';
import { indexAfter } from '../../ledger/ledger-index';
import type { LedgerIndex } from '../../ledger/ledger-index';

/** The staff commands that change a case. */
export type CommandName =
  | 'acknowledge'
  | 'answer'
  | 'extend'
  | 'reassign'
  | 'recategorize'
  | 'close'
  | 'dissatisfied'
  | 'restart-enforcement'
  | 'mailed'
  | 'note'
  | 'requester-reached';

/** The events one command appends, each under its own key (`<command key>:<part>`). */
export type KeyPart = 'message' | 'letter' | 'acknowledged' | 'deadline' | 'assigned' | 'done';

/**
 * Events after which the same command with the same input is a new request, not a retry: a second
 * `close answered` after the requester was dissatisfied closes the case again, a reassignment back to a
 * previous unit is a new hand-off. The acknowledgement happens once per case; an extension carries its own
 * (always later) date.
 */
const RESET_BY: Record<CommandName, readonly EventType[]> = {
  acknowledge: [],
  answer: ['case.dissatisfied'],
  extend: ['deadline.planned', 'deadline.recalculated', 'deadline.extended'],
  reassign: ['case.assigned', 'case.reassigned'],
  recategorize: ['case.recategorized'],
  close: ['case.dissatisfied'],
  dissatisfied: ['case.answered', 'case.closed'],
  'restart-enforcement': ['failure.recorded'],
  mailed: [],
  // Without a client key, the same text again right after itself is taken for a retry; after another note or
  // news from the requester, it is a new note. The case page always sends a key, so each note it posts counts.
  note: ['case.noted', 'message.received', 'case.answered', 'case.dissatisfied', 'case.closed'],
  // The same contact recorded again after another message bounced settles that message: a new request.
  'requester-reached': ['message.bounced', 'message.rejected'],
};

export interface CommandKeys {
  /** The key of one event of this command. */
  key(part: KeyPart): string;
  /** The events this command already recorded under its key (empty on a first attempt). */
  readonly recorded: ReadonlyMap<KeyPart, LedgerEvent>;
}

function digest(value: unknown, length: number): string {
  return createHash('sha256')
    .update(typeof value === 'string' ? value : canonicalize(value), 'utf8')
    .digest('hex')
    .slice(0, length);
}

/** What `commandKeys` is given besides the case's ledger. */
interface CommandKeyArgs {
  readonly caseId: string;
  readonly command: CommandName;
  /** The command input without the case id (what the requester's outcome depends on). */
  readonly input: unknown;
  readonly clientKey?: string;
}

/**
 * A case's ledger as a staff command reads it (`docs/write-path.md`, "Staff commands from the head"): its index
 * (keys, latest unkeyed events, sent messages) from the head, and its events only when asked (a replay, the
 * case page), each read at most once.
 */
export interface CaseHistory {
  index(): Promise<LedgerIndex>;
  events(): Promise<readonly LedgerEvent[]>;
}

/**
 * The idempotency keys of one staff command on one case, and what that command already recorded.
 *
 * - With a client key (`Idempotency-Key`): `staff:<command>:c:<hash of the client key>:<hash of the input>`.
 *   The same client key with another input is refused (`IdempotencyKeyReuseError`), never replayed.
 * - Without one: `staff:<command>:d:<hash of the input>:<anchor>`, the anchor being the seq of the latest event
 *   that makes the command meaningful again (`RESET_BY`), ignoring this very command's own events. A retry
 *   finds the same anchor, hence the same key, even if reminders or reads were appended in between.
 *
 * Each event of the command is appended under `<key>:<part>`, so a retry after a crash replays the events
 * already recorded and appends only the missing ones.
 *
 * @throws IdempotencyKeyReuseError
 */
export function commandKeys(args: CommandKeyArgs & { readonly events: readonly LedgerEvent[] }): CommandKeys {
  const base = baseKey(args, indexAfter(undefined, args.events));
  return { key: (part) => `${base}:${part}`, recorded: recordedUnder(base, args.events) };
}

/**
 * `commandKeys` from the case's index alone when the command recorded nothing yet (its first attempt: no key of
 * the index starts with the command's), reading the case's events only to replay what an earlier attempt
 * recorded. The keys are those `commandKeys` gives for the same ledger.
 *
 * @throws IdempotencyKeyReuseError
 */
export async function commandKeysOf(
  args: CommandKeyArgs & { readonly history: CaseHistory },
): Promise<CommandKeys> {
  const index = await args.history.index();
  const base = baseKey(args, index);
  const recorded = Object.keys(index.keys).some((key) => key.startsWith(`${base}:`))
    ? recordedUnder(base, await args.history.events())
    : new Map<KeyPart, LedgerEvent>();
  return { key: (part) => `${base}:${part}`, recorded };
}

function baseKey(args: CommandKeyArgs, index: LedgerIndex): string {
  const { command } = args;
  const fingerprint = digest(args.input, 32);
  const keys = Object.entries(index.keys);
  if (args.clientKey !== undefined) {
    const family = `staff:${command}:c:${digest(args.clientKey, 32)}:`;
    const base = `${family}${fingerprint}`;
    const reused = keys.some(([key]) => key.startsWith(family) && !key.startsWith(`${base}:`));
    if (reused) throw new IdempotencyKeyReuseError({ caseId: args.caseId, command });
    return base;
  }
  const family = `staff:${command}:d:${fingerprint}:`;
  const resets = RESET_BY[command];
  // The latest reset event, keyed outside this command's family or not keyed at all.
  let anchor = 0;
  for (const type of resets) anchor = Math.max(anchor, index.unkeyed[type] ?? 0);
  for (const [key, { seq, type }] of keys)
    if (resets.includes(type) && !key.startsWith(family)) anchor = Math.max(anchor, seq);
  return `${family}${anchor}`;
}

function recordedUnder(base: string, events: readonly LedgerEvent[]): Map<KeyPart, LedgerEvent> {
  const recorded = new Map<KeyPart, LedgerEvent>();
  for (const event of events) {
    const key = event.idempotencyKey;
    if (key?.startsWith(`${base}:`)) recorded.set(key.slice(base.length + 1) as KeyPart, event);
  }
  return recorded;
}
