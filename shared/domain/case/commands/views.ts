import type { StaffNames } from '../../identity/staff-names';
import type { AssigneeChoice } from './assignee-choices';
import type { Actor, LedgerEvent, ReachChannel, ReceiptWithheldReason } from '../../ledger/events';
import type { CaseProjection } from '../../ledger/projection';
import { businessDaysBetween } from '../../time/business-days';
import { bundledCalendars } from '../../time/calendars';
import type { CalendarRegistry } from '../../time/calendars';
import type { Deadline } from '../../time/types';
import { attachmentIdOf } from '../../attachments/download';
import type { AttachmentRef, CaseDeadline, CaseStatus, CloseReason, DeadlineKind } from '../case';
import type { Requester } from '../requester';
import type { FilledAnswerTemplate } from '../../policy/answer-templates';
import type { ReadScope } from '../../access/case-access';
import { localDateOf } from '../../time/local-date-of';
import { deadlineOutcome, type DeadlineOutcome, type DeadlineOutcomeKind } from '../deadline-outcome';

/** A deadline as staff lists show it: dates and state, without its proof. */
export interface DeadlineSummary {
  readonly dueDate: string;
  readonly dueAt: string;
  readonly revision: number;
  readonly originalDueAt: string;
  readonly metAt?: string;
  /** Unmet and past due at the time of the read. */
  readonly overdue: boolean;
  /** Met on time, met late, breached (unmet past due) or pending: see `deadlineOutcome`. */
  readonly outcome: DeadlineOutcomeKind;
  /** When it was breached (its due instant), for `met-late` and `breached`. */
  readonly breachedAt?: string;
  /** For `met-late` and `breached`: business days late (so far, while unmet). */
  readonly lateBusinessDays?: number;
  /**
   * While unmet: business days from today (Québec date) to the due date on the deadline's calendar, today not
   * counted and the due date counted (1 = due on the next business day, 0 = due today, negative = overdue).
   */
  readonly businessDaysLeft?: number;
}

/**
 * Case metadata: what may be shown to anyone allowed to see the case, auditors included. It holds no
 * requester data, subject, body or attachment names.
 */
export interface CaseSummary {
  readonly caseId: string;
  readonly reference?: string;
  readonly category: string;
  readonly channel: string;
  readonly status: CaseStatus;
  readonly confidential: boolean;
  readonly unit?: string;
  readonly assignee?: string;
  readonly receivedAt: string;
  readonly registeredAt?: string;
  readonly acknowledgedAt?: string;
  readonly promisedAnswerDate?: string;
  readonly answeredAt?: string;
  readonly dissatisfiedAt?: string;
  readonly closedAt?: string;
  readonly closeReason?: CloseReason;
  readonly nextDueAt?: string;
  readonly overdue: boolean;
  /**
   * Present when the case's workflow failed for good: its deadlines are no longer enforced (no reminder, no
   * escalation, no automatic acknowledgement) until an administrator restarts enforcement.
   */
  readonly enforcementStoppedAt?: string;
  readonly handoffCount: number;
  readonly attachmentCount: number;
  /** Letters prepared for the requester and not yet recorded as posted: the "to mail" task (absent: none). */
  readonly lettersToMail?: number;
  /**
   * Messages to the requester that will never arrive (bounced for good or refused): the "reach the requester
   * another way" task (absent: none).
   */
  readonly undeliveredMessages?: number;
  readonly deadlines: Partial<Record<DeadlineKind, DeadlineSummary>>;
}

/**
 * A list row: metadata, plus the subject and the requester's name when the reader may see the content of a
 * non-confidential case.
 */
export type CaseListItem = CaseSummary & { readonly subject?: string; readonly requesterName?: string };

/** One ledger event as the case page shows it: what happened, when, by whom (no event data). */
export interface HistoryEntry {
  readonly seq: number;
  readonly type: LedgerEvent['type'];
  readonly at: string;
  readonly actor: Actor;
  /** `receipt.withheld`: why the automatic receipt was not sent (a reason code). */
  readonly reason?: ReceiptWithheldReason;
  /** What the mail service reported on (`message.delivered`, `message.bounced`…): to whom the message went. */
  readonly recipient?: 'requester' | 'staff';
  /** `message.bounced`: for good (`permanent`) or not. */
  readonly bounceType?: 'permanent' | 'transient' | 'undetermined';
  /** `requester.reached`: how staff reached the requester. */
  readonly channel?: ReachChannel;
}

/**
 * A message received on the case after it was opened (`message.received`): a requester's reply, or a message
 * staff attached from the holding pen. Content: shown only with the `content` scope.
 */
export interface InboundMessage {
  readonly seq: number;
  readonly from: 'requester' | 'other';
  /** The sender's address, when recorded. */
  readonly fromAddress?: string;
  readonly receivedAt: string;
  readonly subject?: string;
  /** The sanitized text, as intake extracted it (absent for messages recorded before text was kept). */
  readonly text?: string;
  readonly attachments: readonly CaseAttachment[];
  readonly refusedAttachments: readonly { readonly filename: string; readonly reason: string }[];
  /** Set when staff attached it from the holding pen. */
  readonly holdingItemId?: string;
}

/** An internal note (`case.noted`), as the case page lists it. Content: shown only with the `content` scope. */
export interface CaseNote {
  readonly seq: number;
  readonly at: string;
  /** The author's staff id. */
  readonly author: string;
  /** The role in which the author wrote it. */
  readonly authorRole?: string;
  readonly text: string;
  /** Set when the note came with a record that the requester was reached another way (`requester.reached`). */
  readonly reached?: { readonly channel: ReachChannel; readonly reachedAt: string };
}

/** The case page: metadata, deadlines with their proofs, history, and the content when the scope allows. */
export interface CaseDetail extends Omit<CaseSummary, 'deadlines'> {
  readonly scope: ReadScope;
  readonly deadlines: Partial<Record<DeadlineKind, DeadlineSummary & { readonly proof: Deadline['proof'] }>>;
  readonly history: readonly HistoryEntry[];
  /** Display names of the staff ids shown (assignee, actors, note authors); absent ids show as ids. */
  readonly staffNames?: StaffNames;
  /** Only with scope `content`: who the case may be handed to, and in which units (`assigneeChoices`). */
  readonly assigneeChoices?: readonly AssigneeChoice[];
  /**
   * Only with scope `content`: the category's answer templates in the requester's language, filled from the
   * case (see `answerTemplatesFor`).
   */
  readonly answerTemplates?: readonly FilledAnswerTemplate[];
  /** Only with scope `content`. */
  readonly content?: {
    readonly requester: Requester;
    readonly subject: string;
    readonly body: string;
    readonly attachments: readonly CaseAttachment[];
    /** Every message received on the case, in ledger order. */
    readonly messages: readonly InboundMessage[];
    /** The internal notes, oldest first. */
    readonly notes: readonly CaseNote[];
  };
}

function summarizeDeadline(deadline: CaseDeadline, now: Date, calendars: CalendarRegistry): DeadlineSummary {
  const today = localDateOf(now);
  const calendar = calendars.at(deadline.proof.calendar.id, today);
  return {
    dueDate: deadline.dueDate,
    dueAt: deadline.dueAt,
    revision: deadline.revision,
    originalDueAt: deadline.originalDueAt,
    ...(deadline.metAt !== undefined ? { metAt: deadline.metAt } : {}),
    overdue: deadline.metAt === undefined && Date.parse(deadline.dueAt) < now.getTime(),
    ...outcomeFields(deadlineOutcome(deadline, now, calendar)),
    ...(deadline.metAt === undefined
      ? { businessDaysLeft: businessDaysBetween(calendar, today, deadline.dueDate) }
      : {}),
  };
}

function outcomeFields({ outcome, breachedAt, lateBusinessDays }: DeadlineOutcome) {
  return {
    outcome,
    ...(breachedAt !== undefined ? { breachedAt } : {}),
    ...(lateBusinessDays !== undefined ? { lateBusinessDays } : {}),
  };
}

/** Whether an open case has an unmet deadline already past at `now`. */
export function isOverdue(projection: CaseProjection, now: Date): boolean {
  return projection.nextDueAt !== undefined && Date.parse(projection.nextDueAt) < now.getTime();
}

/**
 * The metadata of a case (see `CaseSummary`): field by field, so that no content can slip in. Business days
 * left are counted on the calendars given (the bundled ones by default), in the version in effect today.
 */
export function toSummary(
  projection: CaseProjection,
  now: Date,
  calendars: CalendarRegistry = bundledCalendars(),
): CaseSummary {
  const deadlines: Partial<Record<DeadlineKind, DeadlineSummary>> = {};
  for (const kind of ['acknowledgement', 'answer', 'review'] as const) {
    const deadline = projection.deadlines[kind];
    if (deadline !== undefined) deadlines[kind] = summarizeDeadline(deadline, now, calendars);
  }
  const optional = <K extends keyof CaseProjection>(key: K) =>
    projection[key] !== undefined ? { [key]: projection[key] } : {};
  return {
    caseId: projection.caseId,
    ...optional('reference'),
    category: projection.category,
    channel: projection.channel,
    status: projection.status,
    confidential: projection.confidential,
    ...optional('unit'),
    ...optional('assignee'),
    receivedAt: projection.receivedAt,
    ...optional('registeredAt'),
    ...optional('acknowledgedAt'),
    ...optional('promisedAnswerDate'),
    ...optional('answeredAt'),
    ...optional('dissatisfiedAt'),
    ...optional('closedAt'),
    ...optional('closeReason'),
    ...optional('nextDueAt'),
    overdue: isOverdue(projection, now),
    ...optional('enforcementStoppedAt'),
    handoffCount: projection.handoffCount,
    attachmentCount: projection.attachments.length,
    ...lettersToMail(projection),
    ...(projection.undeliveredMessages !== undefined
      ? { undeliveredMessages: projection.undeliveredMessages.length }
      : {}),
    deadlines,
  } as CaseSummary;
}

function lettersToMail(projection: CaseProjection): { lettersToMail?: number } {
  const count = (projection.letters ?? []).filter((letter) => letter.mailedAt === undefined).length;
  return count > 0 ? { lettersToMail: count } : {};
}

/** The case page for a reader with `scope`; content (requester, subject, body, attachments) only with `content`. */
export function toDetail(
  projection: CaseProjection,
  events: readonly LedgerEvent[],
  scope: ReadScope,
  now: Date,
  calendars: CalendarRegistry = bundledCalendars(),
): CaseDetail {
  const summary = toSummary(projection, now, calendars);
  const deadlines: CaseDetail['deadlines'] = {};
  for (const kind of ['acknowledgement', 'answer', 'review'] as const) {
    const deadline = projection.deadlines[kind];
    if (deadline !== undefined)
      deadlines[kind] = { ...summarizeDeadline(deadline, now, calendars), proof: deadline.proof };
  }
  return {
    ...summary,
    scope,
    deadlines,
    history: events.map((event) => ({
      seq: event.seq,
      type: event.type,
      at: event.at,
      actor: event.actor,
      ...(event.type === 'receipt.withheld' ? { reason: event.data.reason } : {}),
      ...(isMailEvent(event) ? { recipient: event.data.recipient } : {}),
      ...(event.type === 'message.bounced' ? { bounceType: event.data.bounceType } : {}),
      ...(event.type === 'requester.reached' ? { channel: event.data.channel } : {}),
    })),
    ...(scope === 'content'
      ? {
          content: {
            requester: projection.requester,
            subject: projection.subject,
            body: projection.body,
            attachments: withAttachmentIds(projection.caseId, projection.attachments),
            messages: inboundMessages(events),
            notes: caseNotes(events),
          },
        }
      : {}),
  };
}

/** What the mail service reported about a sent message. */
function isMailEvent(
  event: LedgerEvent,
): event is Extract<
  LedgerEvent,
  { type: 'message.delivered' | 'message.bounced' | 'message.complained' | 'message.rejected' }
> {
  return (
    event.type === 'message.delivered' ||
    event.type === 'message.bounced' ||
    event.type === 'message.complained' ||
    event.type === 'message.rejected'
  );
}

/** A stored attachment as the case page lists it, with the id its download link is asked for by. */
export type CaseAttachment = AttachmentRef & { readonly attachmentId: string };

function withAttachmentIds(caseId: string, attachments: readonly AttachmentRef[]): CaseAttachment[] {
  return attachments.map((attachment) => ({
    ...attachment,
    attachmentId: attachmentIdOf(caseId, attachment),
  }));
}

/** The `message.received` events of a case as the case page shows them, field by field. */
export function inboundMessages(events: readonly LedgerEvent[]): InboundMessage[] {
  return events.flatMap((event): InboundMessage[] => {
    if (event.type !== 'message.received') return [];
    const { data } = event;
    return [
      {
        seq: event.seq,
        from: data.from,
        ...(data.fromAddress !== undefined ? { fromAddress: data.fromAddress } : {}),
        receivedAt: data.receivedAt,
        ...(data.subject !== undefined ? { subject: data.subject } : {}),
        ...(data.text !== undefined ? { text: data.text } : {}),
        attachments: withAttachmentIds(event.caseId, data.attachments),
        refusedAttachments: (data.refusedAttachments ?? []).map(({ filename, reason }) => ({
          filename,
          reason,
        })),
        ...(data.holdingItemId !== undefined ? { holdingItemId: data.holdingItemId } : {}),
      },
    ];
  });
}

/**
 * The internal notes of a case, oldest first, field by field: the `case.noted`, and the notes staff wrote when
 * recording that they reached the requester another way (`requester.reached`, with how and when).
 */
export function caseNotes(events: readonly LedgerEvent[]): CaseNote[] {
  return events.flatMap((event): CaseNote[] => {
    const author = {
      seq: event.seq,
      at: event.at,
      author: event.actor.id ?? event.actor.kind,
      ...(event.actor.role !== undefined ? { authorRole: event.actor.role } : {}),
    };
    if (event.type === 'case.noted') return [{ ...author, text: event.data.text }];
    if (event.type === 'requester.reached' && event.data.note !== undefined) {
      const { channel, reachedAt, note } = event.data;
      return [{ ...author, text: note, reached: { channel, reachedAt } }];
    }
    return [];
  });
}
