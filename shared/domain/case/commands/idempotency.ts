import { createHash } from 'node:crypto';

import { canonicalize } from 'json-canonicalize';

import { IdempotencyKeyReuseError } from '../../../errors';
import type { EventType, LedgerEvent } from '../../ledger/events';

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
export function commandKeys(args: {
  readonly caseId: string;
  readonly command: CommandName;
  /** The command input without the case id (what the requester's outcome depends on). */
  readonly input: unknown;
  readonly events: readonly LedgerEvent[];
  readonly clientKey?: string;
}): CommandKeys {
  const { command, events } = args;
  const fingerprint = digest(args.input, 32);
  let base: string;
  if (args.clientKey !== undefined) {
    const family = `staff:${command}:c:${digest(args.clientKey, 32)}:`;
    base = `${family}${fingerprint}`;
    const reused = events.find(
      (event) => event.idempotencyKey?.startsWith(family) && !event.idempotencyKey.startsWith(`${base}:`),
    );
    if (reused !== undefined) throw new IdempotencyKeyReuseError({ caseId: args.caseId, command });
  } else {
    const family = `staff:${command}:d:${fingerprint}:`;
    const resets = RESET_BY[command];
    const anchor = events.findLast(
      (event) => resets.includes(event.type) && !event.idempotencyKey?.startsWith(family),
    );
    base = `${family}${anchor?.seq ?? 0}`;
  }
  const recorded = new Map<KeyPart, LedgerEvent>();
  for (const event of events) {
    const key = event.idempotencyKey;
    if (key?.startsWith(`${base}:`)) recorded.set(key.slice(base.length + 1) as KeyPart, event);
  }
  return { key: (part) => `${base}:${part}`, recorded };
}
