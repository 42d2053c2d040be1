import type { EventDraftOf } from '../ledger/events';
import type { CaseLedger } from '../ledger/ports';
import type { Clock } from './ports';

/** The actor of record of what the mail service reports. */
export const MAIL_EVENTS_ACTOR = { kind: 'system', id: 'mail-events' } as const;

/**
 * What the mail service reported about one message it accepted (SES event publishing, or the local stack's
 * stand-in), reduced to what the case keeps: no address, no diagnostic text.
 */
export type MailReport = {
  /** The mail service's message id: the `messageId` of the message's `message.sent`. */
  readonly messageId: string;
  /** The case the message belongs to, from the message's `caseId` tag; absent for a message of no case. */
  readonly caseId?: string;
  /** When the mail service says it happened. */
  readonly reportedAt: string;
  /**
   * Names this report and no other (SES's feedback id, or the delivery's instant): a report delivered again
   * carries the same key and is recorded once.
   */
  readonly reportKey: string;
} & (
  | { readonly kind: 'delivery' }
  | {
      readonly kind: 'bounce';
      readonly bounceType: 'permanent' | 'transient' | 'undetermined';
      readonly subType?: string;
    }
  | { readonly kind: 'complaint'; readonly feedbackType?: string }
  | { readonly kind: 'reject'; readonly reason?: string }
);

/** What recording a report did. */
export type MailReportOutcome =
  | {
      readonly outcome: 'recorded' | 'already-recorded';
      readonly caseId: string;
      readonly type: MailEventType;
    }
  | {
      /**
       * The report names no case (`no-case`), an unknown case (`unknown-case`), or a case with no `message.sent`
       * under that message id (`unknown-message`: not Jalon's, or recorded later than the report arrived).
       */
      readonly outcome: 'unmatched';
      readonly why: 'no-case' | 'unknown-case' | 'unknown-message';
    };

/** The ledger event types of the mail service's reports. */
export type MailEventType =
  'message.delivered' | 'message.bounced' | 'message.complained' | 'message.rejected';

/**
 * Records on the case what the mail service reported about one of its messages: `message.delivered`,
 * `message.bounced` (permanent, transient or undetermined), `message.complained` or `message.rejected`, with
 * the recipient role and purpose of the message's `message.sent`, found by the mail service's message id.
 *
 * - Once per report: the idempotency key is `mail:<kind>:<message id>:<report key>`, so a report delivered
 *   again records nothing new.
 * - A report that matches no sent message of the case changes nothing and says why (`unmatched`); the caller
 *   makes that visible to a person (log, metric) or tries again later, but a case never records a report about
 *   a message it did not send.
 * - A permanent bounce or a refusal of a message to the requester becomes the case's "reach the requester" task
 *   (see `projectCase`).
 * - A report that changes nothing the case's read model shows (a complaint, a transient bounce, a delivery but
 *   the one that settles that task) does not rewrite it (`readModelIfChanged`).
 */
export async function recordMailReport(
  deps: { readonly ledger: CaseLedger; readonly clock: Clock },
  report: MailReport,
): Promise<MailReportOutcome> {
  if (report.caseId === undefined) return { outcome: 'unmatched', why: 'no-case' };
  const sent = await deps.ledger.findSentMessage(report.caseId, report.messageId);
  if (!sent.found) return { outcome: 'unmatched', why: sent.why };

  const draft = draftOf(report, {
    messageId: report.messageId,
    recipient: sent.message.recipient,
    purpose: sent.message.purpose,
    reportedAt: report.reportedAt,
  });
  const { appended } = await deps.ledger.append(
    report.caseId,
    { ...draft, at: deps.clock.now().toISOString(), actor: MAIL_EVENTS_ACTOR },
    // Most reports change nothing that lists, search or the case page show: no read-model write for them.
    {
      idempotencyKey: `mail:${report.kind}:${report.messageId}:${report.reportKey}`,
      readModelIfChanged: true,
    },
  );
  return { outcome: appended ? 'recorded' : 'already-recorded', caseId: report.caseId, type: draft.type };
}

type MailEventFields = EventDraftOf<'message.delivered'>['data'];
type MailEventDraft = {
  [T in MailEventType]: Pick<EventDraftOf<T>, 'type' | 'data'>;
}[MailEventType];

function draftOf(report: MailReport, fields: MailEventFields): MailEventDraft {
  switch (report.kind) {
    case 'delivery':
      return { type: 'message.delivered', data: fields };
    case 'bounce':
      return {
        type: 'message.bounced',
        data: {
          ...fields,
          bounceType: report.bounceType,
          ...(report.subType !== undefined ? { subType: report.subType } : {}),
        },
      };
    case 'complaint':
      return {
        type: 'message.complained',
        data: {
          ...fields,
          ...(report.feedbackType !== undefined ? { feedbackType: report.feedbackType } : {}),
        },
      };
    case 'reject':
      return {
        type: 'message.rejected',
        data: { ...fields, ...(report.reason !== undefined ? { reason: report.reason } : {}) },
      };
  }
}
