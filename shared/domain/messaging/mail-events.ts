import { TEMPLATE_AUDIENCE } from '../../templates/catalog';
import type { TemplateId } from '../../templates/catalog';
import type { KeyedDraft } from '../ledger/chain';
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
  /** The message's template, from its `template` tag: who it was for (`TEMPLATE_AUDIENCE`). */
  readonly template?: string;
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
       * The delivery of a message to staff or operations (`keptOnCase`): not recorded, and nothing read.
       */
      readonly outcome: 'not-kept';
      readonly why: 'delivery-to-staff';
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
 * Whether a report is recorded on its case: every report about a message to the requester, and the failures
 * (bounce, complaint, refusal) of every message; not the delivery of a message to staff or operations, which
 * neither the case's tasks nor its promises depend on, where each recorded report costs a ledger read and a write
 * (`docs/mail-events.md`, "What is kept"). A report whose template is missing or unknown is kept.
 */
export function keptOnCase(report: Pick<MailReport, 'kind' | 'template'>): boolean {
  if (report.kind !== 'delivery' || report.template === undefined) return true;
  if (!Object.hasOwn(TEMPLATE_AUDIENCE, report.template)) return true;
  return TEMPLATE_AUDIENCE[report.template as TemplateId] === 'citizen';
}

/**
 * Records on the case what the mail service reported about one of its messages: `message.delivered`,
 * `message.bounced` (permanent, transient or undetermined), `message.complained` or `message.rejected`, with
 * the recipient role and purpose of the message's `message.sent`, found by the mail service's message id.
 *
 * - Only what the case keeps (`keptOnCase`): the delivery of a staff message is `not-kept`, with no read.
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
  const [outcome] = await recordMailReports(deps, [report]);
  return outcome!;
}

/**
 * Records reports of one case as `recordMailReport` records each, in one ledger item: the mail service's
 * reports that reach the function together (one batch of the queue) about messages of one case, usually those of
 * messages sent together (a receipt and its staff notification), cost one head read and one write instead of one
 * of each per report (`docs/mail-events.md`). One outcome per report, in their order; a report given twice (the
 * queue may deliver a message twice) is recorded once, and the second is `already-recorded`. All the reports
 * must name the same case, or none.
 *
 * @throws when the reports name different cases, or the ledger fails (none of them is then recorded).
 */
export async function recordMailReports(
  deps: { readonly ledger: CaseLedger; readonly clock: Clock },
  reports: readonly MailReport[],
): Promise<MailReportOutcome[]> {
  const caseId = reports[0]?.caseId;
  if (reports.some((report) => report.caseId !== caseId)) throw new Error('mail reports of different cases');
  const outcomes: (MailReportOutcome | undefined)[] = [];
  const drafts: { readonly index: number; readonly keyed: KeyedDraft }[] = [];
  const keys = new Map<string, number>();
  const at = deps.clock.now().toISOString();
  for (const [index, report] of reports.entries()) {
    if (!keptOnCase(report)) {
      outcomes.push({ outcome: 'not-kept', why: 'delivery-to-staff' });
      continue;
    }
    if (caseId === undefined) {
      outcomes.push({ outcome: 'unmatched', why: 'no-case' });
      continue;
    }
    // The first lookup reads the case's head; the others find their message in the head it remembers.
    const sent = await deps.ledger.findSentMessage(caseId, report.messageId);
    if (!sent.found) {
      outcomes.push({ outcome: 'unmatched', why: sent.why });
      continue;
    }
    const draft = draftOf(report, {
      messageId: report.messageId,
      recipient: sent.message.recipient,
      purpose: sent.message.purpose,
      reportedAt: report.reportedAt,
    });
    const key = idempotencyKeyOf(report);
    outcomes.push(undefined);
    if (keys.has(key)) continue;
    keys.set(key, index);
    drafts.push({ index, keyed: { draft: { ...draft, at, actor: MAIL_EVENTS_ACTOR }, idempotencyKey: key } });
  }
  if (drafts.length === 0 || caseId === undefined) return outcomes.map((outcome) => outcome!);
  const { results } = await deps.ledger.appendAll(
    caseId,
    drafts.map(({ keyed }) => keyed) as [KeyedDraft, ...KeyedDraft[]],
    // Most reports change nothing that lists, search or the case page show: no read-model write for them.
    { readModelIfChanged: true },
  );
  const recorded = new Map(drafts.map(({ index }, position) => [index, results[position]!]));
  return reports.map((report, index) => {
    if (outcomes[index] !== undefined) return outcomes[index];
    const first = keys.get(idempotencyKeyOf(report))!;
    const result = recorded.get(first)!;
    const appended = first === index && result.appended;
    return {
      outcome: appended ? 'recorded' : 'already-recorded',
      caseId,
      type: result.event.type as MailEventType,
    };
  });
}

/** Once per report: `mail:<kind>:<message id>:<report key>`. */
function idempotencyKeyOf(report: MailReport): string {
  return `mail:${report.kind}:${report.messageId}:${report.reportKey}`;
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
