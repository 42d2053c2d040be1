import type { Language, TemplateId, TemplateValues } from '../../templates/catalog';
import type { Role } from '../identity/identity';

/** A message to send: which template, in which language, to whom, with which values. */
export interface OutgoingMessageOf<T extends TemplateId> {
  readonly template: T;
  readonly language: Language;
  readonly to: readonly string[];
  /** The case's reply address for citizen messages, so replies thread to the case. */
  readonly replyTo?: string;
  readonly values: TemplateValues<T>;
  /** For logs and headers only: never personal data. */
  readonly caseId?: string;
  /**
   * The same for every attempt to send this one message (see `deliveryKeyOf`): the mail service keeps it with
   * the message, so that `AcceptedMessages` can tell whether an earlier attempt went out.
   */
  readonly deliveryKey?: string;
}

/** Any outgoing message: a union over the templates, so `template` and `values` always match. */
export type OutgoingMessage<T extends TemplateId = TemplateId> = T extends TemplateId
  ? OutgoingMessageOf<T>
  : never;

/**
 * Renders and sends messages (SES in AWS, the SES emulator locally). Sending is at-least-once: use cases
 * record `message.sent` in the ledger with an idempotency key per (case, step) and check it before sending,
 * so a retried step does not send again.
 */
export interface Notifier {
  send(message: OutgoingMessage): Promise<{ messageId: string }>;
}

/**
 * The mail service's own record of the messages it accepted, by delivery key. A step that crashed after the
 * service accepted a message and before the ledger recorded it asks here before sending again, so the message
 * goes out once. Locally the SES emulator's store (the outbox, saved as it changes) is that record.
 */
export interface AcceptedMessages {
  find(deliveryKey: string): Promise<{ readonly messageId: string } | undefined>;
}

/**
 * The case's own reply address (`demandes+<token>@<intake domain>`, an unguessable token per case): every
 * message to a requester carries it as Reply-To, so that an answer comes back to that case and to no other.
 * Staff-bound messages never carry it.
 */
export interface ReplyAddresses {
  /**
   * The case's reply address, created on the first call: every call for a case, whichever channel or command
   * asks first and however many ask at once, returns the same address.
   */
  addressFor(caseId: string, requesterEmail: string): Promise<{ readonly address: string }>;
}

/** A staff member as the directory knows them: the roles and units the identity provider puts in their tokens. */
export interface StaffMember {
  /** The subject id (`sub`), what cases record as assignee and ledger events as actor. */
  readonly id: string;
  readonly roles: readonly Role[];
  readonly units: readonly string[];
  /** Their own address, when the directory has one: reminders of the cases assigned to them go there. */
  readonly email?: string;
  /** The name colleagues know them by (« Marie Tremblay »), shown instead of the id when the directory has it. */
  readonly name?: string;
}

/**
 * Who works here: where staff notifications go (the addresses of a group or queue) and who a staff id is
 * (the staff table in AWS, `docs/staff-directory.md`; the demo users locally).
 */
export interface StaffDirectory {
  addressesOf(group: string): Promise<string[]>;
  /** The staff member with this id, or `undefined` when the directory knows nobody by it. */
  member(id: string): Promise<StaffMember | undefined>;
  /** Every staff member it knows, when it can list them (the reassignment picker's choices). */
  members?(): Promise<StaffMember[]>;
}

/** The current instant; the only source of "now" for domain code (virtual locally, real in AWS). */
export interface Clock {
  now(): Date;
}
