/**
 * The messages Jalon sends, with the placeholders each one takes. Every template exists in French and
 * English, as plain text and HTML (see `render.ts`); a test enforces that each version uses exactly these
 * placeholders. Values are plain strings already formatted for the message's language (dates in words).
 */
export const TEMPLATE_PLACEHOLDERS = {
  /** Automatic receipt right after intake: not the legal acknowledgement. */
  'automatic-receipt': ['reference', 'receivedDate', 'acknowledgementDueDate', 'categoryName', 'contact'],
  /** The legal acknowledgement sent by staff: reference, promised answer date, contact. */
  acknowledgement: ['reference', 'requesterName', 'subject', 'receivedDate', 'answerByDate', 'contact'],
  /** The legal acknowledgement sent by the system at the deadline with the category's standard answer date. */
  'automatic-acknowledgement': ['reference', 'receivedDate', 'answerByDate', 'contact'],
  /** The answer date moves later: the new date and the reason. */
  'extension-notice': [
    'reference',
    'requesterName',
    'previousAnswerByDate',
    'answerByDate',
    'reason',
    'contact',
  ],
  /** The promised date will be missed (policy "notify in writing if the delay cannot be met"). */
  'delay-notice': ['reference', 'answerByDate', 'contact'],
  /** Cover of the answer; `referral` is a rendered referral paragraph or an empty string. */
  'answer-cover': ['reference', 'requesterName', 'subject', 'answer', 'referral', 'contact'],
  /**
   * Paragraph: an unsatisfied person can go to the Protecteur du citoyen. `referralText` introduces it and
   * `office` lists every way to reach it, both from the policy (`complaintProcedure.ombudsman`).
   */
  'protecteur-referral': ['reference', 'referralText', 'office'],
  /**
   * The review the complaints officer made after the requester said they were not satisfied is over: the new
   * answer (empty when the officer closed without one) and the referral paragraphs.
   */
  'review-conclusion': ['reference', 'requesterName', 'answer', 'referral', 'contact'],
  /** Paragraph: public-contract complaints go to the Autorité des marchés publics. */
  'amp-referral': ['reference'],
  /**
   * Email intake kept the message (the case exists, its clock runs) but refused some attachments;
   * `refusedFiles` lists them, one line each with the reason.
   */
  'attachment-refused': ['reference', 'receivedDate', 'refusedFiles', 'contact'],
  /** Staff: a new case is assigned to you / your queue. */
  'task-notification': ['reference', 'categoryName', 'caseUrl', 'acknowledgementDueDate', 'answerDueDate'],
  /** Staff: a deadline is coming. */
  reminder: ['reference', 'caseUrl', 'deadlineName', 'dueDate', 'businessDaysLeft'],
  /** Staff: escalation to a supervisor or director. */
  escalation: ['reference', 'caseUrl', 'deadlineName', 'dueDate', 'assignee', 'level'],
  /**
   * Staff (director): the acknowledgement deadline came without an acknowledgement; `outcome` says what the
   * system did (sent it automatically, with the promised date) or could not do.
   */
  'acknowledgement-deadline-reached': ['reference', 'caseUrl', 'dueDate', 'assignee', 'outcome'],
  /** Operations: a workflow step failed after its retries. No personal data. */
  'ops-alert': ['caseId', 'step', 'errorName', 'at'],
} as const satisfies Record<string, readonly string[]>;

export type TemplateId = keyof typeof TEMPLATE_PLACEHOLDERS;
export type TemplateValues<T extends TemplateId> = Record<(typeof TEMPLATE_PLACEHOLDERS)[T][number], string>;

/** Who reads a template: citizen messages follow the requester's language rule; staff ones are in French. */
export const TEMPLATE_AUDIENCE: Record<TemplateId, 'citizen' | 'staff' | 'operations'> = {
  'automatic-receipt': 'citizen',
  acknowledgement: 'citizen',
  'automatic-acknowledgement': 'citizen',
  'extension-notice': 'citizen',
  'delay-notice': 'citizen',
  'answer-cover': 'citizen',
  'protecteur-referral': 'citizen',
  'review-conclusion': 'citizen',
  'amp-referral': 'citizen',
  'attachment-refused': 'citizen',
  'task-notification': 'staff',
  reminder: 'staff',
  escalation: 'staff',
  'acknowledgement-deadline-reached': 'staff',
  'ops-alert': 'operations',
};

/**
 * Citizen messages the system sends by itself (no person decided to send them), to an address the sender gave
 * and nobody checked: anyone can make Jalon write to anyone by forging a sender. They repeat nothing the sender
 * wrote (no subject, name, file name or text): reference, dates, fixed wording and contacts only
 * (`docs/automatic-replies.md`). Staff-sent messages (acknowledgement, answer, extension notice) may quote.
 */
export const AUTOMATIC_CITIZEN_TEMPLATES = [
  'automatic-receipt',
  'automatic-acknowledgement',
  'delay-notice',
  'attachment-refused',
] as const satisfies readonly TemplateId[];

/** Placeholders whose value comes from what the sender wrote: never in an automatic citizen message. */
export const SENDER_SUPPLIED_PLACEHOLDERS = ['requesterName', 'subject', 'answer', 'reason'] as const;

export type Language = 'fr' | 'en';

export interface RenderedMessage {
  /** CR/LF stripped: safe as a header value. */
  readonly subject: string;
  readonly text: string;
  /** Every value HTML-escaped. */
  readonly html: string;
}
