import { randomUUID } from 'node:crypto';

import * as z from '../../zod-mini';

import { DeadlineSchema, InstantSchema, LocalDateSchema } from '../time/types';
import { CaseReferenceSchema } from './reference';
import { RequesterSchema } from './requester';
import { multiLineText, singleLineText } from './text';
import { SenderAuthenticationSchema } from './sender-authentication';

/**
 * Opaque case id (a UUID by default). Letters, digits, `-` and `_` only, at most 80 characters, so that it can
 * name the Step Functions execution of the case.
 */
export const CaseIdSchema = z
  .string()
  .check(
    z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{7,79}$/, 'expected an opaque id of 8 to 80 letters, digits, - or _'),
  );
export type CaseId = z.infer<typeof CaseIdSchema>;

/** A new opaque case id. */
export function newCaseId(): CaseId {
  return randomUUID();
}

/** How the request reached the organization; letters, calls and walk-ins are entered by staff. */
export const ChannelSchema = z.enum(['web', 'email', 'mail', 'phone', 'in-person']);
export type Channel = z.infer<typeof ChannelSchema>;

/** A policy category id (`statistics`, `service-complaint`, …); the policy module checks that it exists. */
export const CategoryIdSchema = z
  .string()
  .check(z.regex(/^[a-z][a-z0-9-]{0,63}$/, 'expected a kebab-case category id'));
export type CategoryId = z.infer<typeof CategoryIdSchema>;

/** A staff member id (identity provider subject or username). */
export const StaffIdSchema = singleLineText(128);
/** An administrative unit id. */
export const UnitIdSchema = singleLineText(128);

export const SubjectSchema = singleLineText(300);
/** Longer texts travel as attachments; the raw mail stays in S3. */
export const BodySchema = multiLineText(50_000);

/** A file kept in S3 and referenced by the case; the case never holds the bytes. */
export const AttachmentRefSchema = z.strictObject({
  key: singleLineText(1024),
  filename: singleLineText(255),
  contentType: z
    .string()
    .check(
      z.maxLength(255),
      z.regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i, 'expected a media type'),
    ),
  size: z.number().check(z.int(), z.gte(0), z.lte(50 * 1024 * 1024)),
});
export type AttachmentRef = z.infer<typeof AttachmentRefSchema>;

/**
 * Where a case stands. Every status but `closed` is open. `dissatisfied` reopens an answered or closed case:
 * the requester said the answer does not satisfy them (they are told of the Protecteur du citoyen).
 */
export const CaseStatusSchema = z.enum(['received', 'acknowledged', 'answered', 'dissatisfied', 'closed']);
export type CaseStatus = z.infer<typeof CaseStatusSchema>;

/**
 * The commitments a case is timed against: the legal acknowledgement, the answer and, after the requester
 * said they were not satisfied, the complaints officer's review.
 */
export const DeadlineKindSchema = z.enum(['acknowledgement', 'answer', 'review']);
export type DeadlineKind = z.infer<typeof DeadlineKindSchema>;

/**
 * A deadline of a case: the current due date with its proof, plus what the ledger says about its history.
 * Earlier versions (recalculations, extensions) stay in the ledger; `originalDueAt` keeps the first promise.
 */
export const CaseDeadlineSchema = z.extend(DeadlineSchema, {
  /** 1 when planned, +1 at each recalculation or extension. */
  revision: z.number().check(z.int(), z.gte(1)),
  originalDueAt: InstantSchema,
  /** When the commitment was met (acknowledgement or answer sent); absent while pending. */
  metAt: z.optional(InstantSchema),
  /**
   * How many of the revisions were recalculations (`deadline.recalculated`), not extensions; absent when none.
   * The workflow names the answer's reminder steps after the extensions only, so a recalculation does not
   * send the reminders already sent again.
   */
  recalculations: z.optional(z.number().check(z.int(), z.gte(1))),
});
export type CaseDeadline = z.infer<typeof CaseDeadlineSchema>;

export const CloseReasonSchema = z.enum([
  'answered',
  'withdrawn',
  'duplicate',
  'out-of-scope',
  'referred',
  'no-response',
  'other',
]);
export type CloseReason = z.infer<typeof CloseReasonSchema>;

/**
 * A request or complaint as the organization knows it.
 *
 * Invariants: `receivedAt` is the legal clock start (for staff-entered mail it precedes `registeredAt`);
 * `reference` and `registeredAt` are set together when the case is registered, so they are absent only in the
 * moment between receipt and registration; `handoffCount` counts reassignments, never the first assignment;
 * `nextDueAt` is the earliest unmet deadline (UTC) while the case is open; confidential cases (complaints)
 * are visible only to the complaints officer, and every read of one is recorded.
 */
/**
 * How the receipt instant is known: the legal clock starts at `receivedAt`, and this says what proves it
 * (a postmark, a scanned letter, the time of a call, the mail server's arrival time, the web server's time).
 */
export const ReceiptEvidenceSchema = z.strictObject({
  kind: z.enum([
    'web-server-time',
    'mail-server-time',
    'postmark',
    'date-stamp',
    'call-time',
    'visit-time',
    'other',
  ]),
  /** A scan reference, a message id, a call record number… (no personal data). */
  reference: z.optional(singleLineText(256)),
  note: z.optional(singleLineText(500)),
});
export type ReceiptEvidence = z.infer<typeof ReceiptEvidenceSchema>;

export const CaseSchema = z.strictObject({
  caseId: CaseIdSchema,
  reference: z.optional(CaseReferenceSchema),
  channel: ChannelSchema,
  category: CategoryIdSchema,
  requester: RequesterSchema,
  subject: SubjectSchema,
  body: BodySchema,
  attachments: z.array(AttachmentRefSchema).check(z.maxLength(50)),
  receivedAt: InstantSchema,
  receiptEvidence: z.optional(ReceiptEvidenceSchema),
  /** Email: the receiving server's SPF, DKIM and DMARC verdicts (results only). */
  senderAuthentication: z.optional(SenderAuthenticationSchema),
  registeredAt: z.optional(InstantSchema),
  status: CaseStatusSchema,
  assignee: z.optional(StaffIdSchema),
  unit: z.optional(UnitIdSchema),
  deadlines: z.partialRecord(DeadlineKindSchema, CaseDeadlineSchema),
  handoffCount: z.number().check(z.int(), z.gte(0)),
  confidential: z.boolean(),
  acknowledgedAt: z.optional(InstantSchema),
  /** The answer date stated in the acknowledgement. */
  promisedAnswerDate: z.optional(LocalDateSchema),
  answeredAt: z.optional(InstantSchema),
  dissatisfiedAt: z.optional(InstantSchema),
  closedAt: z.optional(InstantSchema),
  closeReason: z.optional(CloseReasonSchema),
  nextDueAt: z.optional(InstantSchema),
});
export type Case = z.infer<typeof CaseSchema>;
