import type { CaseLedger } from '../../ledger/ports';
import type { Clock, Notifier } from '../../messaging/ports';
import type { Policy } from '../../policy/schema';
import type { CalendarRegistry } from '../../time/calendars';
import type { CaseProjection } from '../../ledger/projection';

/** The ports and data every staff command runs with. */
export interface CommandDeps {
  readonly ledger: CaseLedger;
  readonly notifier: Notifier;
  readonly clock: Clock;
  readonly policy: Policy;
  /** Calendars the policy's delays are counted on; the bundled ones when absent. */
  readonly calendars?: CalendarRegistry;
  /** The case's reply address for citizen messages, when the deployment has one (threads replies to the case). */
  readonly replyToFor?: (projection: CaseProjection) => string | undefined;
}

/** Options common to every command. */
export interface CommandOptions {
  /**
   * The client's `Idempotency-Key`: the same key with the same request replays the recorded outcome; with a
   * different request it is refused. Without it, a key is derived from the case, the command and its input.
   */
  readonly idempotencyKey?: string;
}
