import type { StaffDirectory } from '../../domain/identity/staff-directory';
import type { ReplyAddressBook } from '../../domain/intake/email/reply-addresses';
import type { LetterDeps } from '../../domain/letters/ports';
import type { CaseLedger, ReferenceAllocator } from '../../domain/ledger/ports';
import type { AcceptedMessages, Clock, Notifier } from '../../domain/messaging/ports';
import type { RateCounter } from '../../domain/messaging/rate-counter';
import type { Policy } from '../../domain/policy/schema';
import type { CalendarRegistry } from '../../domain/time/calendars';
import type { Workflow } from '../../domain/workflow/ports';

/**
 * The ports several functions use. A Lambda builds its own from its clients and configuration (each
 * function's `wiring.ts`, with the builders of this folder); the local stack builds them once, with the same
 * builders on the emulators' clients, and hands the same instances to every function it runs, so that one
 * ledger decorated as the stream consumers would act is under all of them.
 */
export interface SharedPorts {
  readonly ledger: CaseLedger;
  readonly notifier: Notifier;
  readonly replyAddresses: ReplyAddressBook;
  readonly references: ReferenceAllocator;
  readonly rateCounter: RateCounter;
  readonly workflow: Workflow;
  readonly directory: StaffDirectory;
  readonly letters: LetterDeps;
  readonly clock: Clock;
  readonly policy: Policy;
  readonly calendars: CalendarRegistry;
  /** The mail service's record of accepted messages, where it keeps one (the local SES emulator). */
  readonly acceptedMessages?: AcceptedMessages;
}

/** The system clock of a Lambda. */
export const systemClock: Clock = { now: () => new Date() };
