import * as z from 'zod';
import {
  BilingualTextSchema,
  CalendarIdSchema,
  DelaySchema,
  LEGAL_TIME_ZONE,
  LocalDateSchema,
  type CalendarId,
} from '../time/types';
import { ChannelSchema } from '../case/case';
import { FORMAT_MESSAGES } from './messages';
import { withResolvedCalendars } from './resolve-calendars';
import { checkPolicyRules } from './rules';

/** Policy files are strict: an unknown field is an error, never silently ignored (typos must not pass). */
const TextSchema = z.strictObject(BilingualTextSchema.shape);
const PolicyDelaySchema = z.strictObject(DelaySchema.shape);

const SlugSchema = z
  .string()
  .max(63)
  .regex(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, FORMAT_MESSAGES.slug.en);

/** True unless `date` has the YYYY-MM-DD shape of a day that does not exist (the shape is checked apart). */
function isRealDateOrMalformed(date: string): boolean {
  const time = Date.parse(`${date}T00:00:00Z`);
  return (
    !/^\d{4}-\d{2}-\d{2}$/.test(date) ||
    (!Number.isNaN(time) && new Date(time).toISOString().startsWith(date))
  );
}

const RealLocalDateSchema = LocalDateSchema.check(
  z.refine(isRealDateOrMalformed, {
    message: FORMAT_MESSAGES.realDate.en,
    params: { fr: FORMAT_MESSAGES.realDate.fr },
  }),
);

const LocalTimeSchema = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, FORMAT_MESSAGES.time.en);

/** Category identifier, stable across policy versions (it is stored on every case). */
export const CategoryIdSchema = SlugSchema;
export type CategoryId = z.infer<typeof CategoryIdSchema>;

/** Identifier of a staff group or queue (mapped to identity-provider groups by the deployment). */
export const GroupIdSchema = SlugSchema;

/** Channels a request can arrive by (defined with the case); letters, phone calls and walk-ins are entered by staff. */
export { ChannelSchema, type Channel } from '../case/case';

/**
 * What a category handles. A `complaint` ends with a referral to an outside body (Protecteur du citoyen or
 * AMP); a `request` asks for information; a `comment` is a comment or suggestion.
 */
export const CategoryKindSchema = z.enum(['request', 'complaint', 'comment']);
export type CategoryKind = z.infer<typeof CategoryKindSchema>;

/** Role that handles a category's cases. Confidential categories are handled by the complaints officer only. */
export const HandlerRoleSchema = z.enum(['staff', 'complaints-officer']);
export type HandlerRole = z.infer<typeof HandlerRoleSchema>;

/**
 * Who a schedule step notifies: the case's assignee, the category's supervisor or director target, the
 * complaints officer, or the operations team (system alerts). Notifications carry case metadata, never content.
 */
export const NotifyTargetSchema = z.enum([
  'assignee',
  'supervisor',
  'director',
  'complaints-officer',
  'operations',
]);
export type NotifyTarget = z.infer<typeof NotifyTargetSchema>;

/** The deadlines a schedule step can be anchored to. */
export const DeadlineKindSchema = z.enum(['ack-deadline', 'answer-deadline', 'review-deadline']);
export type DeadlineKind = z.infer<typeof DeadlineKindSchema>;

/**
 * Where a step falls relative to its deadline.
 * - `business-days`: at the start of working hours of the business day `amount` business days from the
 *   deadline's due date (0 = the due date itself, negative = before it, positive = after it).
 * - `working-hours`: `amount` working hours from the deadline instant (a deadline that ends with its day is
 *   taken at the end of that day's working hours).
 */
export const StepOffsetSchema = z.strictObject({
  amount: z.number().int().min(-100).max(100),
  unit: z.enum(['business-days', 'working-hours']),
});
export type StepOffset = z.infer<typeof StepOffsetSchema>;

/**
 * A reminder or an escalation, as data. `step` is unique within its category: the workflow keys idempotency on
 * `(caseId, step)` (and on the occurrence id for repeats, see `expandSchedule`). A step whose deadline was met
 * (acknowledgement sent, answer sent) is skipped.
 */
export const ScheduleStepSchema = z.strictObject({
  step: SlugSchema,
  relativeTo: DeadlineKindSchema,
  offset: StepOffsetSchema,
  notify: NotifyTargetSchema,
  /** Bounded repetition while the deadline stays missed: every `every` units of the offset, `maxRepeats` times. */
  repeat: z
    .strictObject({
      every: z.number().int().positive().max(40),
      maxRepeats: z.number().int().positive().max(10),
    })
    .optional(),
});
export type ScheduleStep = z.infer<typeof ScheduleStepSchema>;

export const RoutingSchema = z.strictObject({
  /** Queue the case lands in. */
  queue: GroupIdSchema,
  /** Group whose members can be assigned the case by default. */
  assigneeGroup: GroupIdSchema,
  handlerRole: HandlerRoleSchema,
  /** Escalation target notified by `supervisor` steps. */
  supervisor: GroupIdSchema,
  /** Escalation target notified by `director` steps. */
  director: GroupIdSchema,
});
export type Routing = z.infer<typeof RoutingSchema>;

/**
 * The legal acknowledgement: sent to the requester with the case reference, the promised answer date and a
 * contact, no later than `delay` after receipt. If nobody has sent it when the deadline comes:
 * - `auto-acknowledge`: Jalon sends it on the deadline day, promising the category's standard answer delay, and
 *   the schedule's escalations still run;
 * - `escalate-only`: Jalon only runs the schedule's escalations.
 */
export const AcknowledgementSchema = z.strictObject({
  delay: PolicyDelaySchema,
  atDeadline: z.enum(['auto-acknowledge', 'escalate-only']),
});
export type Acknowledgement = z.infer<typeof AcknowledgementSchema>;

/** The answer delays, counted from receipt. */
export const AnswerSchema = z.strictObject({
  /** Delay promised by default (and by an automatic acknowledgement). */
  standardDelay: PolicyDelaySchema,
  /** Longest delay staff may promise or extend to; same unit as the standard delay. */
  maximumDelay: PolicyDelaySchema,
  /** Whether the requester must be told in writing when the promised delay cannot be met. */
  notifyInWritingIfLate: z.boolean(),
});
export type Answer = z.infer<typeof AnswerSchema>;

/**
 * Referral text given in the final answer. `amp`: the Autorité des marchés publics, Québec's review body for
 * public-contract complaints. `protecteur-du-citoyen`: the ombudsman, for an unsatisfied requester, with the
 * window after the final answer during which the requester's dissatisfaction goes back to the handler.
 */
export const ReferralSchema = z.discriminatedUnion('to', [
  z.strictObject({ to: z.literal('amp'), text: TextSchema }),
  z.strictObject({
    to: z.literal('protecteur-du-citoyen'),
    text: TextSchema,
    dissatisfactionWindow: PolicyDelaySchema,
  }),
]);
export type Referral = z.infer<typeof ReferralSchema>;

/**
 * A text staff may start an answer from: an id (unique within its category), a title for the chooser, and a
 * body, both in French and English, with `{placeholders}` filled from the case (`ANSWER_TEMPLATE_PLACEHOLDERS`;
 * an unknown one is a policy error). The body is the substance of the answer: the answer message already
 * greets the requester, quotes the reference and the subject, gives the contact and the referral, and signs.
 */
export const AnswerTemplateSchema = z.strictObject({
  id: SlugSchema,
  title: z.strictObject({ fr: z.string().min(1).max(100), en: z.string().min(1).max(100) }),
  body: z.strictObject({ fr: z.string().min(1).max(20_000), en: z.string().min(1).max(20_000) }),
});
export type AnswerTemplate = z.infer<typeof AnswerTemplateSchema>;

export const CategorySchema = z.strictObject({
  id: CategoryIdSchema,
  kind: CategoryKindSchema,
  /** Name shown on the form and in messages. */
  name: TextSchema,
  /** One or two sentences a citizen reads on the form to choose the category. */
  description: TextSchema,
  channels: z.array(ChannelSchema).min(1),
  /** Confidential cases are visible to the complaints officer only (auditors see metadata). */
  confidential: z.boolean(),
  /** Calendar the category's delays are counted on; the organization's calendar when absent. */
  calendarId: z.optional(CalendarIdSchema),
  routing: RoutingSchema,
  /** `null` when the body makes no acknowledgement commitment for this category. */
  acknowledgement: AcknowledgementSchema.nullable(),
  answer: AnswerSchema,
  schedule: z.array(ScheduleStepSchema),
  referral: ReferralSchema.nullable(),
  /**
   * Who answers questions about a request of this category (its unit). Absent: the organization's contact.
   * Complaints and comments always give the complaints officer (`organization.contact`).
   */
  contact: z.lazy(() => ContactSchema).optional(),
  /** Texts to start an answer from, offered on the case page in the requester's language. */
  answerTemplates: z.array(AnswerTemplateSchema).max(30).optional(),
});
export type CategoryDocument = z.infer<typeof CategorySchema>;

/** Contact block printed in acknowledgements. At least one way to reach it is required. */
export const ContactSchema = z.strictObject({
  role: TextSchema,
  addressLines: z.array(z.string().min(1)).min(1).optional(),
  phone: z
    .string()
    .regex(/^\+?[0-9][0-9 ()-]{5,23}[0-9]$/, FORMAT_MESSAGES.phone.en)
    .optional(),
  fax: z
    .string()
    .regex(/^\+?[0-9][0-9 ()-]{5,23}[0-9]$/, FORMAT_MESSAGES.phone.en)
    .optional(),
  email: z.email().optional(),
  website: z
    .string()
    .regex(/^(?:https:\/\/)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:\/\S*)?$/i, FORMAT_MESSAGES.website.en)
    .optional(),
});
export type Contact = z.infer<typeof ContactSchema>;

export const OrganizationSchema = z.strictObject({
  id: SlugSchema,
  /** Prefix of case references (`SCT-2026-000123`). */
  referencePrefix: z.string().regex(/^[A-Z]{2,10}$/, FORMAT_MESSAGES.referencePrefix.en),
  name: TextSchema,
  calendarId: z._default(CalendarIdSchema, 'qc-fonction-publique'),
  timeZone: z.literal(LEGAL_TIME_ZONE),
  /** Working hours on business days, local time; reminders are only sent inside them. */
  workingHours: z.strictObject({ start: LocalTimeSchema, end: LocalTimeSchema }),
  contact: ContactSchema,
  /**
   * The head of printed letters (requesters without email): the sender's name and postal address lines.
   * Absent: the organization's name and the contact's address lines.
   */
  letterhead: z
    .strictObject({
      name: TextSchema,
      addressLines: z.array(z.string().min(1).max(200)).min(1).max(6),
      /** The place written before the date (« Québec, le … »). */
      place: z.string().min(1).max(80),
    })
    .optional(),
  /**
   * How a request received on a non-business day is counted.
   * - `day-of-receipt-not-counted`: the day of receipt is not counted whatever it is; counting starts with the
   *   next business day (Code de procédure civile art. 83 style).
   * - `deemed-received-next-business-day`: the request is deemed received on the next business day, which is
   *   then itself not counted.
   */
  receiptOnNonBusinessDay: z.enum(['day-of-receipt-not-counted', 'deemed-received-next-business-day']),
});
export type Organization = z.infer<typeof OrganizationSchema>;

/**
 * Limits on what Jalon sends by itself to addresses nobody verified, and on mail floods
 * (`docs/automatic-replies.md`): anyone can write to an intake address under someone else's name.
 */
export const AutomaticRepliesSchema = z.strictObject({
  /**
   * Automatic receipts one address gets per local day; past it the case is registered without a receipt and
   * the case history says why (`receipt.withheld`).
   */
  receiptsPerAddressPerDay: z.number().int().min(0).max(1000),
  /**
   * More than `messages` new requests from one sender within `windowMinutes` are held as a flood for triage.
   * Both limits stay within the ranks the rate counter records per member (1,000, `RECORDED_RANKS`).
   */
  flood: z.strictObject({
    messages: z.number().int().min(1).max(1000),
    windowMinutes: z.number().int().min(1).max(1440),
  }),
});
export type AutomaticReplies = z.infer<typeof AutomaticRepliesSchema>;

export { DEFAULT_AUTOMATIC_REPLIES } from './automatic-reply-defaults';

/**
 * The complaint procedure of the service statement.
 * - `ombudsman`: where an unsatisfied requester can take their case (the Protecteur du citoyen), given whole
 *   with every answer to a complaint or a comment and with the message that ends a dissatisfaction review:
 *   `text` introduces it, `contact` lists every way to reach it.
 * - `dissatisfactionReview`: when a requester says they are not satisfied, the complaints officer reviews
 *   the case within `delay` (counted from the day the dissatisfaction is recorded), with the `schedule`'s
 *   reminders and escalations (steps relative to `review-deadline`).
 * - `complaintsPolicy`: the web address of the organization's complaints policy.
 */
export const ComplaintProcedureSchema = z.strictObject({
  ombudsman: z.strictObject({ text: TextSchema, contact: ContactSchema }),
  /** Where the organization publishes its complaints policy (linked from the service statement page). */
  complaintsPolicy: ContactSchema.shape.website,
  dissatisfactionReview: z.strictObject({
    delay: PolicyDelaySchema,
    schedule: z.array(ScheduleStepSchema),
  }),
});
export type ComplaintProcedure = z.infer<typeof ComplaintProcedureSchema>;

/** The policy file as written, with each rule of a single field checked. */
export const PolicyDocumentSchema = z.strictObject({
  schemaVersion: z.literal(1),
  /** Version label recorded with every deadline computed under this policy. */
  version: z
    .string()
    .max(40)
    .regex(/^[0-9A-Za-z][0-9A-Za-z.+-]*$/, FORMAT_MESSAGES.version.en),
  effectiveFrom: RealLocalDateSchema,
  organization: OrganizationSchema,
  /** The categories this organization promises to handle; each must be defined exactly once. */
  catalogue: z.array(CategoryIdSchema).min(1),
  categories: z.array(CategorySchema).min(1),
  /** Limits on automatic replies and floods; `DEFAULT_AUTOMATIC_REPLIES` when absent. */
  automaticReplies: AutomaticRepliesSchema.optional(),
  /** Required when a category handles complaints or comments (see `checkPolicyRules`). */
  complaintProcedure: ComplaintProcedureSchema.optional(),
});
export type PolicyDocument = z.infer<typeof PolicyDocumentSchema>;

/** A category of a loaded policy: its calendar is always resolved. */
export type Category = CategoryDocument & { calendarId: CalendarId };

/** A loaded policy: cross-field rules hold and every category carries its calendar. */
export type Policy = Omit<PolicyDocument, 'categories'> & { categories: Category[] };

/**
 * The whole policy: field rules, then the cross-field rules of `checkPolicyRules`, then calendar resolution.
 * Cross-field rules only run once every field is valid, so a broken field is not echoed by rules that read it.
 * Each issue carries its French text in `params.fr`.
 */
export const PolicySchema = PolicyDocumentSchema.superRefine(
  (document, ctx) => {
    checkPolicyRules(document, (path, message) =>
      ctx.addIssue({ code: 'custom', path: [...path], message: message.en, params: { fr: message.fr } }),
    );
  },
  { when: (payload) => payload.issues.length === 0 },
).transform(withResolvedCalendars);
