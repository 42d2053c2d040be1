import type { DeadlineKind } from '../case/case';
import type { Actor, LedgerEvent } from '../ledger/events';
import type { Deadline } from '../time/types';

/** Non-personal facts of a ledger event: ids, dates, codes, counts. */
export type AuditDetails = Readonly<Record<string, string | number | boolean | readonly string[]>>;

/** One ledger event as the auditor sees it. */
export interface AuditEvent {
  readonly seq: number;
  readonly at: string;
  readonly type: LedgerEvent['type'];
  readonly actor: Actor;
  readonly hash: string;
  readonly prevHash: string;
  readonly details: AuditDetails;
}

/**
 * The events of a case for an auditor, in seq order, each with the facts an audit needs and nothing a person
 * wrote or is identified by.
 *
 * Rule: `details` is built field by field from an allow-list per event type (ids, instants, dates, step and
 * template ids, units, categories, deadline revisions, reason and close codes, counts), so a new event field stays hidden
 * until it is added here. Never shown: the requester (name, email, address), subject, body, attachment names,
 * dissatisfaction notes, internal notes (`case.noted`: only their length) and the note of a `requester.reached` (only its length), free-text extension reasons and failure messages, receipt-evidence notes and
 * references, raw mail keys. Deadline revisions are counted as the projection counts them: `deadline.planned`
 * starts at 1, each `deadline.recalculated` or `deadline.extended` adds one, except a recalculation that was
 * not applied (`notApplied`: a date communicated to the requester stands).
 */
export function toAuditEvents(events: readonly LedgerEvent[]): AuditEvent[] {
  const revisions = new Map<DeadlineKind, number>();
  return events.map((event) => ({
    seq: event.seq,
    at: event.at,
    type: event.type,
    actor: { kind: event.actor.kind, ...pick(event.actor, 'id'), ...pick(event.actor, 'role') },
    hash: event.hash,
    prevHash: event.prevHash,
    details: detailsOf(event, revisions),
  }));
}

function detailsOf(event: LedgerEvent, revisions: Map<DeadlineKind, number>): AuditDetails {
  switch (event.type) {
    case 'case.received': {
      const { data } = event;
      return {
        channel: data.channel,
        category: data.category,
        receivedAt: data.receivedAt,
        confidential: data.confidential,
        attachmentCount: data.attachments.length,
        ...(data.receiptEvidence !== undefined ? { receiptEvidence: data.receiptEvidence.kind } : {}),
        ...(data.senderAuthentication !== undefined
          ? {
              spf: data.senderAuthentication.spf,
              dkim: data.senderAuthentication.dkim,
              dmarc: data.senderAuthentication.dmarc,
            }
          : {}),
      };
    }
    case 'case.registered':
      return { reference: event.data.reference, registeredAt: event.data.registeredAt };
    case 'deadline.planned':
      revisions.set(event.data.kind, 1);
      return deadlineDetails(event.data.kind, event.data.deadline, 1);
    case 'deadline.recalculated':
    case 'deadline.extended': {
      // A recalculation not applied (a communicated date is never shortened) leaves the revision as it was.
      const applied = event.type !== 'deadline.recalculated' || event.data.notApplied === undefined;
      const revision = (revisions.get(event.data.kind) ?? 0) + (applied ? 1 : 0);
      revisions.set(event.data.kind, revision);
      return {
        ...deadlineDetails(event.data.kind, event.data.deadline, revision),
        ...(event.type === 'deadline.recalculated' ? recalculationDetails(event.data) : {}),
        ...(event.type === 'deadline.extended' ? pick(event.data, 'noticeMessageId') : {}),
      };
    }
    case 'case.assigned':
      return { unit: event.data.unit, ...pick(event.data, 'assignee') };
    case 'case.reassigned':
      return { unit: event.data.unit, ...pick(event.data, 'assignee'), reasonCode: event.data.reasonCode };
    case 'case.recategorized':
      return {
        from: event.data.from,
        to: event.data.to,
        reason: event.data.reason,
        confidential: event.data.confidential,
      };
    case 'case.acknowledged':
      return {
        messageId: event.data.messageId,
        promisedAnswerDate: event.data.promisedAnswerDate,
        automatic: event.data.automatic,
      };
    case 'case.answered':
      return { messageId: event.data.messageId };
    case 'case.closed':
      return { reason: event.data.reason };
    case 'case.dissatisfied':
      return { channel: event.data.channel };
    case 'case.noted':
      // The text is case content: the auditor learns that a note was written, by whom and how long it is.
      return { length: event.data.text.length };
    case 'case.read':
      return {
        scope: event.data.scope,
        ...pick(event.data, 'holdingItemId'),
        ...pick(event.data, 'attachmentId'),
      };
    case 'access.refused':
      return { action: event.data.action, ...pick(event.data, 'route') };
    case 'message.sent':
      return {
        messageId: event.data.messageId,
        purpose: event.data.purpose,
        recipient: event.data.recipient,
        ...pick(event.data, 'template'),
        ...pick(event.data, 'language'),
      };
    case 'message.received':
      return {
        messageId: event.data.messageId,
        from: event.data.from,
        receivedAt: event.data.receivedAt,
        attachmentCount: event.data.attachments.length,
        ...(event.data.refusedAttachments !== undefined
          ? { refusedAttachments: event.data.refusedAttachments.map((refused) => refused.reason) }
          : {}),
      };
    case 'step.started':
      return {
        stepId: event.data.stepId,
        kind: event.data.kind,
        plannedAt: event.data.plannedAt,
        ...pick(event.data, 'deadline'),
        ...pick(event.data, 'notify'),
      };
    case 'receipt.withheld':
      return { reason: event.data.reason, ...pick(event.data, 'limit') };
    case 'step.done':
      return { stepId: event.data.stepId };
    case 'failure.recorded':
      return {
        code: event.data.code,
        ...pick(event.data, 'stepId'),
        ...pick(event.data, 'retryable'),
      };
    case 'workflow.started':
      return { generation: event.data.generation, trigger: event.data.trigger };
    case 'enforcement.restarted':
      return { generation: event.data.generation };
    case 'letter.prepared':
      return { letterId: event.data.letterId, template: event.data.template, language: event.data.language };
    case 'letter.mailed':
      return { letterId: event.data.letterId, mailedOn: event.data.mailedOn };
    case 'message.delivered':
    case 'message.bounced':
    case 'message.complained':
    case 'message.rejected':
      return {
        messageId: event.data.messageId,
        recipient: event.data.recipient,
        purpose: event.data.purpose,
        reportedAt: event.data.reportedAt,
        ...(event.type === 'message.bounced'
          ? { bounceType: event.data.bounceType, ...pick(event.data, 'subType') }
          : {}),
        ...(event.type === 'message.complained' ? pick(event.data, 'feedbackType') : {}),
        ...(event.type === 'message.rejected' ? pick(event.data, 'reason') : {}),
      };
    case 'requester.reached':
      // The note is case content, like an internal note: the auditor learns only that there is one, and its length.
      return {
        channel: event.data.channel,
        reachedAt: event.data.reachedAt,
        messageIds: event.data.messageIds,
        ...(event.data.note !== undefined ? { noteLength: event.data.note.length } : {}),
      };
  }
}

/** A recalculation: its reason, the date and calendar version before, and an earlier date not applied and why. */
function recalculationDetails(data: {
  reason: string;
  deadline: Deadline;
  previous?: Deadline;
  notApplied?: { deadline: Deadline; why: string };
}): AuditDetails {
  return {
    reason: data.reason,
    ...(data.previous !== undefined
      ? {
          previousDueDate: data.previous.dueDate,
          previousCalendarVersion: data.previous.proof.calendar.version,
          calendarVersion: data.deadline.proof.calendar.version,
        }
      : {}),
    ...(data.notApplied !== undefined
      ? { notAppliedDueDate: data.notApplied.deadline.dueDate, notAppliedWhy: data.notApplied.why }
      : {}),
  };
}

function deadlineDetails(kind: DeadlineKind, deadline: Deadline, revision: number): AuditDetails {
  return { kind, dueDate: deadline.dueDate, dueAt: deadline.dueAt, revision };
}

function pick<T extends object, K extends keyof T>(source: T, key: K): Partial<Pick<T, K>> {
  return source[key] !== undefined ? ({ [key]: source[key] } as Pick<T, K>) : {};
}
