import * as z from '../../zod-mini';

import {
  AttachmentRefSchema,
  BodySchema,
  CaseIdSchema,
  CategoryIdSchema,
  ChannelSchema,
  CloseReasonSchema,
  DeadlineKindSchema,
  ReceiptEvidenceSchema,
  StaffIdSchema,
  SubjectSchema,
  UnitIdSchema,
} from '../case/case';
import { EmailAddressSchema } from '../case/email-address';
import { CaseReferenceSchema } from '../case/reference';
import { LanguageSchema, RequesterSchema } from '../case/requester';
import { SenderAuthenticationSchema } from '../case/sender-authentication';
import { multiLineText, singleLineText } from '../case/text';
import { DeadlineSchema, InstantSchema, LocalDateSchema } from '../time/types';

/** A SHA-256 digest in lowercase hex. */
export const HashSchema = z.string().check(z.regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 hex digest'));

/** `prevHash` of the first event of every case. */
export const GENESIS_HASH = '0'.repeat(64);

/** A caller-chosen key that makes an append happen at most once per case (e.g. an email Message-ID). */
export const IdempotencyKeySchema = singleLineText(256);

/** Who caused the event. Staff must be identified: auditors need to know who acted on a case. */
export const ActorSchema = z
  .strictObject({
    kind: z.enum(['citizen', 'staff', 'system']),
    id: z.optional(singleLineText(128)),
    role: z.optional(singleLineText(64)),
  })
  .check(
    z.refine((actor) => actor.kind !== 'staff' || actor.id !== undefined, {
      message: 'a staff actor needs an id',
      path: ['id'],
    }),
  );
export type Actor = z.infer<typeof ActorSchema>;

/** Identifier of a sent message (SES message id or equivalent). */
const MessageIdSchema = singleLineText(256);
/** Identifier of a workflow step, e.g. `ack-reminder-1`. */
export const StepIdSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._:#@-]{0,127}$/, 'expected a step id'));

export const CaseReceivedDataSchema = z.strictObject({
  channel: ChannelSchema,
  category: CategoryIdSchema,
  requester: RequesterSchema,
  subject: SubjectSchema,
  body: BodySchema,
  attachments: z.array(AttachmentRefSchema).check(z.maxLength(50)),
  /** The legal clock start (for staff-entered mail, the day the letter arrived, not the day it was typed in). */
  receivedAt: InstantSchema,
  receiptEvidence: z.optional(ReceiptEvidenceSchema),
  confidential: z.boolean(),
  /** Email: the receiving server's SPF, DKIM and DMARC verdicts (results only). */
  senderAuthentication: z.optional(SenderAuthenticationSchema),
});

export const CaseRegisteredDataSchema = z.strictObject({
  reference: CaseReferenceSchema,
  registeredAt: InstantSchema,
});

export const DeadlinePlannedDataSchema = z.strictObject({
  kind: DeadlineKindSchema,
  deadline: DeadlineSchema,
});

export const RecalculationReasonSchema = z.enum(['calendar-changed', 'category-changed', 'correction']);

export const DeadlineRecalculatedDataSchema = z.strictObject({
  kind: DeadlineKindSchema,
  /** The deadline in force after the recalculation. */
  deadline: DeadlineSchema,
  reason: RecalculationReasonSchema,
  /** The deadline before it, with its proof (recorded by calendar re-planning). */
  previous: z.optional(DeadlineSchema),
  /**
   * An earlier date the recalculation gave and that was not applied, and why: a date already communicated to
   * the requester is never shortened (`deadline` is then the communicated one, unchanged).
   */
  notApplied: z.optional(
    z.strictObject({ deadline: DeadlineSchema, why: z.enum(['communicated-to-requester']) }),
  ),
});

export const CaseAssignedDataSchema = z.strictObject({
  unit: UnitIdSchema,
  assignee: z.optional(StaffIdSchema),
});

export const ReassignmentReasonSchema = z.enum([
  'misrouted',
  'expertise',
  'workload',
  'absence',
  'conflict-of-interest',
  'escalation',
  'other',
  /** The person took the case for themself (« assign to me »), in its unit. */
  'self-assigned',
]);

export const CaseReassignedDataSchema = z.strictObject({
  unit: UnitIdSchema,
  assignee: z.optional(StaffIdSchema),
  reasonCode: ReassignmentReasonSchema,
});

/** Why a case changes category (`case.recategorized`). */
export const RecategorizationReasonSchema = z.enum([
  'wrong-mailbox',
  'wrong-form-choice',
  'content-reviewed',
  'requester-clarified',
  'other',
]);

/**
 * The case changed category: both categories, the reason, and whether the case is confidential afterwards
 * (that of the new category: into a confidential category at once, out of it only by the complaints officer).
 */
export const CaseRecategorizedDataSchema = z.strictObject({
  from: CategoryIdSchema,
  to: CategoryIdSchema,
  reason: RecategorizationReasonSchema,
  confidential: z.boolean(),
});

/** The legal acknowledgement was sent: it stated the reference, the promised answer date and a contact. */
export const CaseAcknowledgedDataSchema = z.strictObject({
  messageId: MessageIdSchema,
  promisedAnswerDate: LocalDateSchema,
  /** True when the policy sent it because nobody had by the deadline. */
  automatic: z.boolean(),
});

export const CaseAnsweredDataSchema = z.strictObject({
  messageId: MessageIdSchema,
});

/** The answer date moved later, with a reason; the requester is sent a new notice (`message.sent`). */
export const DeadlineExtendedDataSchema = z.strictObject({
  kind: DeadlineKindSchema,
  deadline: DeadlineSchema,
  reason: singleLineText(500),
  noticeMessageId: z.optional(MessageIdSchema),
});

export const CaseClosedDataSchema = z.strictObject({
  reason: CloseReasonSchema,
});

export const CaseDissatisfiedDataSchema = z.strictObject({
  channel: ChannelSchema,
  /** What the requester said, as staff recorded it (case content: confidential like the body). */
  note: z.optional(multiLineText(5_000)),
});

/**
 * An internal note on a case, written by staff (a call, a visit, a step taken): never sent to anyone outside,
 * as confidential as the case's content; the author is the actor. Auditors see that a note was written, not
 * its text.
 */
export const CaseNotedDataSchema = z.strictObject({
  text: multiLineText(5_000).check(z.regex(/\S/u, 'must not be blank')),
});

/** A read of a confidential case: who is in `actor`; `scope` says whether content or only metadata was shown. */
export const CaseReadDataSchema = z.strictObject({
  scope: z.enum(['content', 'metadata']),
  /** Set when what was read is a held message naming the case (its holding-pen item id), not the case page. */
  holdingItemId: z.optional(HashSchema),
  /** Set when what was read is one attachment, through a download link (its id on the case). */
  attachmentId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_.-]{1,100}$/))),
});

/** What a staff member can ask to do with a case (the access matrix decides who may). */
export const StaffActionSchema = z.enum([
  'read',
  'acknowledge',
  'answer',
  'extend',
  'reassign',
  'recategorize',
  'close',
  'dissatisfied',
  'mailed',
  'note',
  'requester-reached',
]);

/**
 * An attempt on a confidential case refused as if the case did not exist (404): who is in `actor`; `action`
 * is what was attempted (`read`, `acknowledge`…), `route` the API route (`GET /api/staff/cases/{caseId}`).
 * No content: the person saw nothing.
 */
export const AccessRefusedDataSchema = z.strictObject({
  action: StaffActionSchema,
  route: z.optional(singleLineText(200)),
});

export const MessagePurposeSchema = z.enum([
  'receipt',
  'acknowledgement',
  'answer',
  'extension-notice',
  'reminder',
  'escalation',
  'referral',
  'other',
]);

/** A message left the system. Recipients are named by role, never by address. */
export const MessageSentDataSchema = z.strictObject({
  messageId: MessageIdSchema,
  purpose: MessagePurposeSchema,
  recipient: z.enum(['requester', 'staff']),
  template: z.optional(singleLineText(128)),
  language: z.optional(LanguageSchema),
});

/**
 * What the mail service reported about a message it accepted (`message.delivered`, `message.bounced`,
 * `message.complained`, `message.rejected`): the `messageId` of its `message.sent`, and that message's
 * recipient role and purpose copied from it, so the case can tell a requester's undelivered message (a task for
 * staff) from a staff notification's without reading its history. `reportedAt` is when the mail service says it
 * happened. Never an address or the service's diagnostic text (it quotes the recipient).
 */
const MailEventFields = {
  messageId: MessageIdSchema,
  recipient: z.enum(['requester', 'staff']),
  purpose: MessagePurposeSchema,
  reportedAt: InstantSchema,
};

/** The receiving mail server accepted the message (SES `Delivery`). */
export const MessageDeliveredDataSchema = z.strictObject(MailEventFields);

/**
 * The message bounced (SES `Bounce`): `permanent` (the address does not exist or refuses for good: the message
 * will never arrive), `transient` (SES gave up after retrying a mailbox full, a message too large…) or
 * `undetermined`; `subType` is SES's code (`General`, `NoEmail`, `Suppressed`, `MailboxFull`…).
 */
export const MessageBouncedDataSchema = z.strictObject({
  ...MailEventFields,
  bounceType: z.enum(['permanent', 'transient', 'undetermined']),
  subType: z.optional(singleLineText(64)),
});

/** The recipient reported the message as spam (SES `Complaint`); `feedbackType` is the ISP's code when given. */
export const MessageComplainedDataSchema = z.strictObject({
  ...MailEventFields,
  feedbackType: z.optional(singleLineText(64)),
});

/** SES refused to send the message after accepting it (SES `Reject`: a virus found in it). */
export const MessageRejectedDataSchema = z.strictObject({
  ...MailEventFields,
  reason: z.optional(singleLineText(200)),
});

/**
 * A message to a requester without email became a printable letter (PDF kept by `letterId`), to be posted by
 * staff; `messageId` is the `mail:` id of its `message.sent`.
 */
export const LetterPreparedDataSchema = z.strictObject({
  letterId: z.uuid(),
  messageId: MessageIdSchema,
  template: singleLineText(128),
  language: LanguageSchema,
});

/** Staff posted a letter on `mailedOn` (local date): the legal clock counts it as the sending date. */
export const LetterMailedDataSchema = z.strictObject({
  letterId: z.uuid(),
  mailedOn: LocalDateSchema,
});

/** How staff reached a requester whose email never arrived (`requester.reached`). */
export const ReachChannelSchema = z.enum(['phone', 'letter', 'in-person', 'other-email', 'other']);
export type ReachChannel = z.infer<typeof ReachChannelSchema>;

/**
 * Staff reached the requester another way (a call, a letter, a visit, another email address…) after messages
 * to them never arrived: `reachedAt` is when (not after the recording), `messageIds` the undelivered messages
 * this settles (those of their `message.sent`), `note` what staff want to keep of it (case content: as
 * confidential as an internal note, never shown to auditors). The actor is the staff member.
 */
export const RequesterReachedDataSchema = z.strictObject({
  channel: ReachChannelSchema,
  reachedAt: InstantSchema,
  messageIds: z.array(MessageIdSchema).check(z.minLength(1), z.maxLength(100)),
  note: z.optional(multiLineText(5_000)),
});

/** Why an attachment was not kept: a dangerous type, over the size per file or per message, too many files. */
export const AttachmentRefusalReasonSchema = z.enum([
  'dangerous-type',
  'file-too-large',
  'total-too-large',
  'too-many-files',
]);
export type AttachmentRefusalReason = z.infer<typeof AttachmentRefusalReasonSchema>;

/** An attachment refused at intake: what the sender sent (the bytes stay only in the raw message). */
export const RefusedAttachmentSchema = z.strictObject({
  filename: singleLineText(255),
  contentType: AttachmentRefSchema.shape.contentType,
  size: z.number().check(z.int(), z.gte(0)),
  reason: AttachmentRefusalReasonSchema,
});
export type RefusedAttachment = z.infer<typeof RefusedAttachmentSchema>;

/**
 * A message received on a case: the requester wrote again on the case's own reply address (`from:
 * 'requester'`; no address is recorded, the case names the requester), or staff attached a message from the
 * holding pen (`from: 'other'`, the staff member as actor, `fromAddress` saying who wrote when it is known,
 * `holdingItemId` naming the item). `messageId` is the SHA-256 of the Message-ID (or of the message); the raw
 * message stays in the raw-mail bucket (`rawKey`). `text` is the sanitized text as intake extracted it, for
 * the case page (events recorded before it was kept lack it).
 */
export const MessageReceivedDataSchema = z.strictObject({
  messageId: HashSchema,
  rawKey: singleLineText(1024),
  from: z.enum(['requester', 'other']),
  fromAddress: z.optional(EmailAddressSchema),
  subject: z.optional(SubjectSchema),
  text: z.optional(BodySchema),
  attachments: z.array(AttachmentRefSchema).check(z.maxLength(50)),
  /** When the mail server received it (the same rule as a new request's clock start). */
  receivedAt: InstantSchema,
  /** Attachments not kept (dangerous or too large); the requester was told. */
  refusedAttachments: z.optional(z.array(RefusedAttachmentSchema).check(z.maxLength(100))),
  holdingItemId: z.optional(HashSchema),
});

/**
 * Why the automatic receipt of a case was not sent (the case itself is registered as usual):
 * - `sender-unauthenticated`: the receiving server found the sender forged (DMARC fail, or SPF fail without a
 *   DKIM pass), so the address is probably someone else's;
 * - `daily-limit`: the address already got the policy's number of automatic receipts that day (`limit`).
 */
export const ReceiptWithheldReasonSchema = z.enum(['sender-unauthenticated', 'daily-limit']);
export type ReceiptWithheldReason = z.infer<typeof ReceiptWithheldReasonSchema>;

export const ReceiptWithheldDataSchema = z.strictObject({
  reason: ReceiptWithheldReasonSchema,
  limit: z.optional(z.number().check(z.int(), z.gte(0))),
});

export const StepDoneDataSchema = z.strictObject({
  stepId: StepIdSchema,
});

/** What a workflow step does (see `PlannedStep` in the workflow plan). */
export const StepKindSchema = z.enum([
  'notify',
  'ack-deadline-action',
  'delay-notice',
  'close',
  'dissatisfaction',
]);

/**
 * A workflow step has begun: the step as planned, recorded before its first effect. Until its `step.done`,
 * the step is in progress and the workflow completes it before anything else, with the same inputs (its
 * recorded instant stands in for "now" in its computations), so that a step interrupted by a crash finishes
 * its remaining effects, each once, even when the case has moved on since.
 */
export const StepStartedDataSchema = z.strictObject({
  stepId: StepIdSchema,
  kind: StepKindSchema,
  /** The instant the step was planned for. */
  plannedAt: InstantSchema,
  deadline: z.optional(DeadlineKindSchema),
  notify: z.optional(z.enum(['assignee', 'supervisor', 'director', 'complaints-officer', 'operations'])),
});

/** A failure worth keeping in the case history. `message` must not hold personal data. */
export const FailureRecordedDataSchema = z.strictObject({
  code: singleLineText(100),
  stepId: z.optional(StepIdSchema),
  retryable: z.optional(z.boolean()),
  message: z.optional(singleLineText(500)),
});

/**
 * A generation of the case's workflow was started (Step Functions execution `caseId`, then `caseId--gN`):
 * by intake (1), by the workflow continuing itself as a new execution, or by an administrator restarting
 * enforcement. Recorded before the start, once per generation (idempotency key `workflow:g<N>`).
 */
export const WorkflowStartedDataSchema = z.strictObject({
  generation: z.number().check(z.int(), z.gte(1)),
  trigger: z.enum(['intake', 'continue-as-new', 'restart', 'replan']),
});

/**
 * An administrator restarted the enforcement of deadlines after the workflow failed for good; the new
 * generation is recorded by the `workflow.started` that follows.
 */
export const EnforcementRestartedDataSchema = z.strictObject({
  generation: z.number().check(z.int(), z.gte(2)),
  reason: singleLineText(500),
});

const envelopeFields = {
  caseId: CaseIdSchema,
  seq: z.number().check(z.int(), z.gte(1)),
  at: InstantSchema,
  actor: ActorSchema,
  idempotencyKey: z.optional(IdempotencyKeySchema),
  prevHash: HashSchema,
  hash: HashSchema,
};

/**
 * One event type: its draft (what a caller appends) and its sealed form (what the ledger stores).
 * Schemas are strict and have no defaults or transforms, so parsing a stored event returns it unchanged and
 * its hash still matches. Evolve data schemas by adding optional fields only.
 */
function defineEvent<const T extends string, D extends z.ZodMiniType>(type: T, data: D) {
  return {
    draft: z.strictObject({ type: z.literal(type), at: InstantSchema, actor: ActorSchema, data }),
    event: z.strictObject({ ...envelopeFields, type: z.literal(type), data }),
  };
}

const CaseReceived = defineEvent('case.received', CaseReceivedDataSchema);
const CaseRegistered = defineEvent('case.registered', CaseRegisteredDataSchema);
const DeadlinePlanned = defineEvent('deadline.planned', DeadlinePlannedDataSchema);
const DeadlineRecalculated = defineEvent('deadline.recalculated', DeadlineRecalculatedDataSchema);
const CaseAssigned = defineEvent('case.assigned', CaseAssignedDataSchema);
const CaseReassigned = defineEvent('case.reassigned', CaseReassignedDataSchema);
const CaseRecategorized = defineEvent('case.recategorized', CaseRecategorizedDataSchema);
const CaseAcknowledged = defineEvent('case.acknowledged', CaseAcknowledgedDataSchema);
const CaseAnswered = defineEvent('case.answered', CaseAnsweredDataSchema);
const DeadlineExtended = defineEvent('deadline.extended', DeadlineExtendedDataSchema);
const CaseClosed = defineEvent('case.closed', CaseClosedDataSchema);
const CaseDissatisfied = defineEvent('case.dissatisfied', CaseDissatisfiedDataSchema);
const CaseNoted = defineEvent('case.noted', CaseNotedDataSchema);
const CaseRead = defineEvent('case.read', CaseReadDataSchema);
const AccessRefused = defineEvent('access.refused', AccessRefusedDataSchema);
const MessageSent = defineEvent('message.sent', MessageSentDataSchema);
const MessageReceived = defineEvent('message.received', MessageReceivedDataSchema);
const MessageDelivered = defineEvent('message.delivered', MessageDeliveredDataSchema);
const MessageBounced = defineEvent('message.bounced', MessageBouncedDataSchema);
const MessageComplained = defineEvent('message.complained', MessageComplainedDataSchema);
const MessageRejected = defineEvent('message.rejected', MessageRejectedDataSchema);
const StepStarted = defineEvent('step.started', StepStartedDataSchema);
const ReceiptWithheld = defineEvent('receipt.withheld', ReceiptWithheldDataSchema);
const StepDone = defineEvent('step.done', StepDoneDataSchema);
const FailureRecorded = defineEvent('failure.recorded', FailureRecordedDataSchema);
const WorkflowStarted = defineEvent('workflow.started', WorkflowStartedDataSchema);
const EnforcementRestarted = defineEvent('enforcement.restarted', EnforcementRestartedDataSchema);
const LetterPrepared = defineEvent('letter.prepared', LetterPreparedDataSchema);
const LetterMailed = defineEvent('letter.mailed', LetterMailedDataSchema);
const RequesterReached = defineEvent('requester.reached', RequesterReachedDataSchema);

/** What a caller appends: the ledger adds caseId, seq, idempotencyKey, prevHash and hash. */
export const EventDraftSchema = z.discriminatedUnion('type', [
  CaseReceived.draft,
  CaseRegistered.draft,
  DeadlinePlanned.draft,
  DeadlineRecalculated.draft,
  CaseAssigned.draft,
  CaseReassigned.draft,
  CaseRecategorized.draft,
  CaseAcknowledged.draft,
  CaseAnswered.draft,
  DeadlineExtended.draft,
  CaseClosed.draft,
  CaseDissatisfied.draft,
  CaseNoted.draft,
  CaseRead.draft,
  AccessRefused.draft,
  MessageSent.draft,
  MessageReceived.draft,
  StepStarted.draft,
  ReceiptWithheld.draft,
  StepDone.draft,
  FailureRecorded.draft,
  WorkflowStarted.draft,
  EnforcementRestarted.draft,
  LetterPrepared.draft,
  LetterMailed.draft,
  MessageDelivered.draft,
  MessageBounced.draft,
  MessageComplained.draft,
  MessageRejected.draft,
  RequesterReached.draft,
]);
export type EventDraft = z.infer<typeof EventDraftSchema>;

/** A sealed ledger event. */
export const LedgerEventSchema = z.discriminatedUnion('type', [
  CaseReceived.event,
  CaseRegistered.event,
  DeadlinePlanned.event,
  DeadlineRecalculated.event,
  CaseAssigned.event,
  CaseReassigned.event,
  CaseRecategorized.event,
  CaseAcknowledged.event,
  CaseAnswered.event,
  DeadlineExtended.event,
  CaseClosed.event,
  CaseDissatisfied.event,
  CaseNoted.event,
  CaseRead.event,
  AccessRefused.event,
  MessageSent.event,
  MessageReceived.event,
  StepStarted.event,
  ReceiptWithheld.event,
  StepDone.event,
  FailureRecorded.event,
  WorkflowStarted.event,
  EnforcementRestarted.event,
  LetterPrepared.event,
  LetterMailed.event,
  MessageDelivered.event,
  MessageBounced.event,
  MessageComplained.event,
  MessageRejected.event,
  RequesterReached.event,
]);
export type LedgerEvent = z.infer<typeof LedgerEventSchema>;

export type EventType = LedgerEvent['type'];
export type LedgerEventOf<T extends EventType> = Extract<LedgerEvent, { type: T }>;
export type EventDraftOf<T extends EventType> = Extract<EventDraft, { type: T }>;

/** Every event type, in the order of the lifecycle. */
export const EVENT_TYPES = EventDraftSchema.def.options.map(
  (option) => option.shape.type.def.values[0],
) as readonly EventType[];
