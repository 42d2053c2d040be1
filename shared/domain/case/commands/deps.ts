import type { LetterDeps } from '../../letters/ports';
import type { CaseLedger } from '../../ledger/ports';
import type { AcceptedMessages, Clock, Notifier, ReplyAddresses } from '../../messaging/ports';
import type { Policy } from '../../policy/schema';
import type { CalendarRegistry } from '../../time/calendars';

/** The ports and data every staff command runs with. */
export interface CommandDeps {
  readonly ledger: CaseLedger;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly policy: Policy;
  /** Calendars the policy's delays are counted on; the bundled ones when absent. */
  readonly calendars?: CalendarRegistry;
  /** Each case's own reply address: the Reply-To of every email to the requester (threads replies to it). */
  readonly replyAddresses: ReplyAddresses;
  /** The mail service's record of accepted messages, where it keeps one (see `AcceptedMessages`). */
  readonly acceptedMessages?: AcceptedMessages;
  /** Messages to requesters without email become letters: rendered, stored, listed for staff to post. */
  readonly letters: LetterDeps;
}

/** Options common to every command. */
export interface CommandOptions {
  /**
   * The client's `Idempotency-Key`: the same key with the same request replays the recorded outcome; with a
   * different request it is refused. Without it, a key is derived from the case, the command and its input.
   */
  readonly idempotencyKey?: string;
  /** The API route the command came through, recorded when the attempt is refused (`access.refused`). */
  readonly route?: string;
}
