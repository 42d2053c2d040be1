import * as z from '../../../zod-mini';

import {
  ReachChannelSchema,
  ReassignmentReasonSchema,
  RecategorizationReasonSchema,
} from '../../ledger/events';
import { RealLocalDateSchema } from '../../time/types';
import {
  CaseIdSchema,
  CategoryIdSchema,
  ChannelSchema,
  CloseReasonSchema,
  StaffIdSchema,
  UnitIdSchema,
} from '../case';
import { multiLineText, singleLineText } from '../text';
// The instant check's message, which the HTTP layer knows in French too.
import { RECEIVED_AT_FORMAT_MESSAGE } from './intake';

/** A promised answer date, `YYYY-MM-DD`, that exists. Business rules (business day, maximum…) come later. */
export const AnswerByDateSchema = RealLocalDateSchema;

/** The text of an answer to the requester: several lines allowed, not blank. */
export const AnswerTextSchema = multiLineText(50_000).check(
  z.refine((text) => /\S/u.test(text), {
    message: 'must not be blank',
    params: { fr: 'ne doit pas être vide' },
  }),
);

export const AcknowledgeInputSchema = z.strictObject({
  caseId: CaseIdSchema,
  answerBy: AnswerByDateSchema,
  /** Send the acknowledgement as a letter even if the requester has an email address. */
  sentByMail: z.optional(z.boolean()),
});
export type AcknowledgeInput = z.infer<typeof AcknowledgeInputSchema>;

export const AnswerInputSchema = z.strictObject({
  caseId: CaseIdSchema,
  message: AnswerTextSchema,
  sentByMail: z.optional(z.boolean()),
});
export type AnswerInput = z.infer<typeof AnswerInputSchema>;

export const ExtendInputSchema = z.strictObject({
  caseId: CaseIdSchema,
  answerBy: AnswerByDateSchema,
  /** Told to the requester in the extension notice and kept in the ledger. */
  reason: singleLineText(500),
  sentByMail: z.optional(z.boolean()),
});
export type ExtendInput = z.infer<typeof ExtendInputSchema>;

export const ReassignInputSchema = z.strictObject({
  caseId: CaseIdSchema,
  to: z.strictObject({ unit: UnitIdSchema, assignee: z.optional(StaffIdSchema) }),
  reason: ReassignmentReasonSchema,
});
export type ReassignInput = z.infer<typeof ReassignInputSchema>;

export const RecategorizeInputSchema = z.strictObject({
  caseId: CaseIdSchema,
  /** The new category's id (one of the policy's; checked against it by the command). */
  category: CategoryIdSchema,
  reason: RecategorizationReasonSchema,
});
export type RecategorizeInput = z.infer<typeof RecategorizeInputSchema>;

export const CloseInputSchema = z.strictObject({
  caseId: CaseIdSchema,
  outcome: CloseReasonSchema,
});
export type CloseInput = z.infer<typeof CloseInputSchema>;

export const DissatisfiedInputSchema = z.strictObject({
  caseId: CaseIdSchema,
  /** How the requester said they were not satisfied (the ledger event records it). */
  channel: ChannelSchema,
  /** Accepted but not stored: the `case.dissatisfied` event has no field for it yet. */
  note: z.optional(multiLineText(5_000)),
});
export type DissatisfiedInput = z.infer<typeof DissatisfiedInputSchema>;

/** The text of an internal note: 1 to 5,000 characters, several lines allowed, not blank. */
export const NoteTextSchema = multiLineText(5_000).check(
  z.refine((text) => /\S/u.test(text), {
    message: 'must not be blank',
    params: { fr: 'ne doit pas être vide' },
  }),
);

export const NoteInputSchema = z.strictObject({
  caseId: CaseIdSchema,
  text: NoteTextSchema,
});
export type NoteInput = z.infer<typeof NoteInputSchema>;

export const RequesterReachedInputSchema = z.strictObject({
  caseId: CaseIdSchema,
  /** How the requester was reached (phone, letter, in person, another email address, other). */
  channel: ReachChannelSchema,
  /** When, as an ISO 8601 instant with its offset (`2026-12-18T10:30:00-05:00`); not in the future. */
  reachedAt: z.iso.datetime({ offset: true, error: RECEIVED_AT_FORMAT_MESSAGE }),
  /** The undelivered messages this settles (their `messageId`); all of the case's when absent. */
  messageIds: z.optional(z.array(singleLineText(256)).check(z.minLength(1), z.maxLength(100))),
  /** What staff want to keep of the contact (an internal note: shown with the case's content only). */
  note: z.optional(NoteTextSchema),
});
export type RequesterReachedInput = z.infer<typeof RequesterReachedInputSchema>;
