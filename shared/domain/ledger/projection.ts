import * as z from '../../zod-mini';

import { CaseHistoryError } from '../../errors';
import { CaseSchema } from '../case/case';
import type { Case, CaseDeadline, DeadlineKind } from '../case/case';
import { LanguageSchema } from '../case/requester';
import { parseLocalDate } from '../time/local-date';
import { InstantSchema, LocalDateSchema } from '../time/types';
import { endOfLocalDay } from '../time/zone';
import type { Deadline } from '../time/types';
import { HashSchema, MessagePurposeSchema, StepIdSchema, StepStartedDataSchema } from './events';
import type { LedgerEvent } from './events';

/** A step begun and not yet done: the step as recorded when it started, and when that was. */
export const StepInProgressSchema = z.extend(StepStartedDataSchema, { startedAt: InstantSchema });
export type StepInProgress = z.infer<typeof StepInProgressSchema>;

/** A letter prepared for a requester without email, and whether staff have posted it. */
export const CaseLetterSchema = z.strictObject({
  letterId: z.uuid(),
  messageId: z.string(),
  template: z.string(),
  language: LanguageSchema,
  preparedAt: InstantSchema,
  /** The letter carries the legal acknowledgement: its mailing meets the acknowledgement deadline. */
  acknowledgement: z.optional(z.literal(true)),
  /** The letter carries the answer: its mailing meets the answer deadline. */
  answer: z.optional(z.literal(true)),
  mailedOn: z.optional(LocalDateSchema),
  mailedAt: z.optional(InstantSchema),
});
export type CaseLetter = z.infer<typeof CaseLetterSchema>;

/**
 * A message to the requester that will never arrive (bounced for good, or refused by the mail service): the
 * promise it carried must be kept another way, so it is a task for staff until the requester is reached.
 */
export const UndeliveredMessageSchema = z.strictObject({
  messageId: z.string(),
  purpose: MessagePurposeSchema,
  outcome: z.enum(['bounced', 'rejected']),
  /** When the mail service reported it. */
  reportedAt: InstantSchema,
});
export type UndeliveredMessage = z.infer<typeof UndeliveredMessageSchema>;

/**
 * The case as folded from its ledger, plus where the fold stopped (`lastSeq`, `lastHash`) so that a reader
 * can tell whether a stored projection lags the ledger.
 */
export const CaseProjectionSchema = z.extend(CaseSchema, {
  lastSeq: z.number().check(z.int(), z.gte(1)),
  lastHash: HashSchema,
  lastEventAt: InstantSchema,
  /** Workflow steps already done, in the order they were done (reminders go out once per step). */
  stepsDone: z.array(StepIdSchema),
  /**
   * Workflow steps begun (`step.started`) and not yet done, oldest first: the workflow completes them before
   * anything else. Absent when there are none.
   */
  stepsInProgress: z.optional(z.array(StepInProgressSchema)),
  failureCount: z.number().check(z.int(), z.gte(0)),
  /** The latest workflow generation recorded as started (absent for cases started before it was recorded). */
  workflowGeneration: z.optional(z.number().check(z.int(), z.gte(1))),
  /**
   * Set when the workflow failed for good (a `failure.recorded` by the workflow): deadlines are no longer
   * enforced until an administrator restarts enforcement (`enforcement.restarted` clears it).
   */
  enforcementStoppedAt: z.optional(InstantSchema),
  /** Letters to post, in the order they were prepared (absent when there are none). */
  letters: z.optional(z.array(CaseLetterSchema)),
  /** Requester messages that will never arrive, oldest first: the "reach the requester" task (absent: none). */
  undeliveredMessages: z.optional(z.array(UndeliveredMessageSchema).check(z.minLength(1))),
});
export type CaseProjection = z.infer<typeof CaseProjectionSchema>;

/**
 * Folds the events of one case, in seq order, into its projection; `undefined` for an empty history.
 *
 * Business rules applied by the fold:
 * - `case.received` opens the case (status `received`, no hand-off); `case.registered` sets the reference.
 * - `case.assigned` sets unit and assignee without counting a hand-off; each `case.reassigned` counts one,
 *   except a person taking for themself (`self-assigned`) a case nobody held in its unit: that takes it from
 *   the queue (taking it from someone else is a hand-off).
 * - `case.recategorized` sets the category and the confidentiality (routing is a `case.reassigned` of its own).
 * - `deadline.planned` (re)starts a deadline at revision 1; `deadline.recalculated` and `deadline.extended`
 *   replace its due date and proof, bump the revision and keep `originalDueAt` and `metAt`.
 * - `case.acknowledged` meets the acknowledgement deadline and moves a `received` case to `acknowledged`;
 *   when it went as a letter (`letter.prepared` with its message id) not yet posted, the deadline is met
 *   only by the `letter.mailed` of that letter, at the end of the mailing date (or when the mailing was
 *   recorded, if earlier): the sending date of a letter is the day it was posted. `case.answered` by a
 *   letter likewise meets the answer deadline only when that letter is posted.
 *   `case.answered` meets the answer deadline (status `answered`); `case.closed` closes; `case.dissatisfied`
 *   reopens the case (status `dissatisfied`); a new answer or the closing meets the review deadline it planned.
 * - `nextDueAt` is the earliest unmet deadline, in UTC, while the case is open.
 * - `message.bounced` for good (`permanent`) or `message.rejected` of a message to the requester adds it to
 *   `undeliveredMessages` (the "reach the requester" task): the mail never arrived, so the promise it carried
 *   (acknowledgement, answer, notice) needs another channel. A later `message.delivered` to the requester, or
 *   a message received from the requester, shows they are reached again and clears the task; so does staff's
 *   `requester.reached` (a call, a letter…) for the messages it names, and only those (a message that bounced
 *   after it stays a task). A transient bounce, a complaint or anything about a staff message changes nothing.
 * - `workflow.started` records the case's workflow generation; a `failure.recorded` by the workflow (actor
 *   `system`/`workflow`) marks enforcement stopped, until `enforcement.restarted`.
 *
 * The fold records what happened; it does not police transitions (use cases check them before appending).
 * It is pure: the same events always give the same projection.
 *
 * @throws CaseHistoryError when the first event is not `case.received` or a second one appears.
 */
export function projectCase(events: readonly LedgerEvent[]): CaseProjection | undefined {
  let projection: CaseProjection | undefined;
  for (const event of events) projection = applyEvent(projection, event);
  return projection;
}

/** Applies one event to a projection (the step of `projectCase`, used to update a projection in place). */
export function applyEvent(projection: CaseProjection | undefined, event: LedgerEvent): CaseProjection {
  if (event.type === 'case.received') {
    if (projection !== undefined) throw new CaseHistoryError(event.caseId, event.seq, 'case.received again');
    return withFoldState(
      {
        caseId: event.caseId,
        ...structuredClone(event.data),
        status: 'received',
        deadlines: {},
        handoffCount: 0,
        stepsDone: [],
        failureCount: 0,
      },
      event,
    );
  }
  if (projection === undefined)
    throw new CaseHistoryError(event.caseId, event.seq, `starts with ${event.type}`);
  // Structured clone keeps the caller's projection untouched, so folding stays pure.
  const next: CaseProjection = structuredClone(projection);
  switch (event.type) {
    case 'case.registered':
      next.reference = event.data.reference;
      next.registeredAt = event.data.registeredAt;
      break;
    case 'deadline.planned':
      next.deadlines[event.data.kind] = {
        ...structuredClone(event.data.deadline),
        revision: 1,
        originalDueAt: event.data.deadline.dueAt,
      };
      break;
    case 'deadline.recalculated':
      // A recalculation not applied (a communicated date is never shortened) leaves the deadline as it was.
      if (event.data.notApplied !== undefined) break;
      next.deadlines[event.data.kind] = {
        ...revise(next.deadlines[event.data.kind], structuredClone(event.data.deadline)),
        recalculations: (next.deadlines[event.data.kind]?.recalculations ?? 0) + 1,
      };
      break;
    case 'deadline.extended':
      next.deadlines[event.data.kind] = revise(
        next.deadlines[event.data.kind],
        structuredClone(event.data.deadline),
      );
      break;
    case 'case.assigned':
      setAssignment(next, event.data);
      break;
    case 'case.reassigned': {
      // A person taking a case nobody held in its unit (« assign to me ») takes it from the queue: no hand-off.
      const fromQueue =
        event.data.reasonCode === 'self-assigned' &&
        next.assignee === undefined &&
        next.unit === event.data.unit;
      setAssignment(next, event.data);
      if (!fromQueue) next.handoffCount += 1;
      break;
    }
    case 'case.recategorized':
      next.category = event.data.to;
      next.confidential = event.data.confidential;
      break;
    case 'case.acknowledged': {
      next.acknowledgedAt = event.at;
      next.promisedAnswerDate = event.data.promisedAnswerDate;
      const letter = next.letters?.find((l) => l.messageId === event.data.messageId);
      if (letter !== undefined) letter.acknowledgement = true;
      if (letter === undefined || letter.mailedAt !== undefined) meet(next, 'acknowledgement', event.at);
      if (next.status === 'received') next.status = 'acknowledged';
      break;
    }
    case 'letter.prepared':
      if (!(next.letters ?? []).some((l) => l.letterId === event.data.letterId)) {
        next.letters = [...(next.letters ?? []), { ...event.data, preparedAt: event.at }];
      }
      break;
    case 'letter.mailed': {
      const letter = next.letters?.find((l) => l.letterId === event.data.letterId);
      if (letter === undefined || letter.mailedAt !== undefined) break;
      letter.mailedOn = event.data.mailedOn;
      letter.mailedAt = event.at;
      const sentAt = mailingInstant(event.data.mailedOn, event.at);
      if (letter.acknowledgement) meet(next, 'acknowledgement', sentAt);
      if (letter.answer) {
        meet(next, 'answer', sentAt);
        meet(next, 'review', sentAt);
      }
      break;
    }
    case 'case.answered': {
      next.answeredAt = event.at;
      const letter = next.letters?.find((l) => l.messageId === event.data.messageId);
      if (letter !== undefined) letter.answer = true;
      if (letter === undefined || letter.mailedAt !== undefined) {
        meet(next, 'answer', event.at);
        meet(next, 'review', event.at);
      }
      if (next.status !== 'closed') next.status = 'answered';
      break;
    }
    case 'case.closed':
      next.status = 'closed';
      next.closedAt = event.at;
      meet(next, 'review', event.at);
      next.closeReason = event.data.reason;
      break;
    case 'case.dissatisfied':
      next.status = 'dissatisfied';
      next.dissatisfiedAt = event.at;
      delete next.closedAt;
      delete next.closeReason;
      break;
    case 'step.started':
      if (
        !next.stepsDone.includes(event.data.stepId) &&
        !(next.stepsInProgress ?? []).some((s) => s.stepId === event.data.stepId)
      ) {
        next.stepsInProgress = [
          ...(next.stepsInProgress ?? []),
          { ...structuredClone(event.data), startedAt: event.at },
        ];
      }
      break;
    case 'step.done': {
      if (!next.stepsDone.includes(event.data.stepId)) next.stepsDone.push(event.data.stepId);
      const remaining = (next.stepsInProgress ?? []).filter((s) => s.stepId !== event.data.stepId);
      if (remaining.length > 0) next.stepsInProgress = remaining;
      else delete next.stepsInProgress;
      break;
    }
    case 'failure.recorded':
      next.failureCount += 1;
      if (event.actor.kind === 'system' && event.actor.id === 'workflow')
        next.enforcementStoppedAt = event.at;
      break;
    case 'workflow.started':
      next.workflowGeneration = Math.max(next.workflowGeneration ?? 1, event.data.generation);
      break;
    case 'enforcement.restarted':
      delete next.enforcementStoppedAt;
      break;
    case 'message.bounced':
    case 'message.rejected': {
      const { data } = event;
      const forGood = event.type === 'message.rejected' || event.data.bounceType === 'permanent';
      if (data.recipient !== 'requester' || !forGood) break;
      if ((next.undeliveredMessages ?? []).some((m) => m.messageId === data.messageId)) break;
      next.undeliveredMessages = [
        ...(next.undeliveredMessages ?? []),
        {
          messageId: data.messageId,
          purpose: data.purpose,
          outcome: event.type === 'message.rejected' ? 'rejected' : 'bounced',
          reportedAt: data.reportedAt,
        },
      ];
      break;
    }
    case 'message.delivered':
      if (event.data.recipient === 'requester') delete next.undeliveredMessages;
      break;
    case 'message.received':
      if (event.data.from === 'requester') delete next.undeliveredMessages;
      break;
    case 'requester.reached': {
      const settled = new Set(event.data.messageIds);
      const remaining = (next.undeliveredMessages ?? []).filter((m) => !settled.has(m.messageId));
      if (remaining.length > 0) next.undeliveredMessages = remaining;
      else delete next.undeliveredMessages;
      break;
    }
    case 'case.noted':
    case 'case.read':
    case 'access.refused':
    case 'message.sent':
    case 'message.complained':
    case 'receipt.withheld':
      // Kept in the ledger for the audit trail; they change no case state.
      break;
  }
  return withFoldState(next, event);
}

/** Whether the case still needs work (everything but `closed`). */
export function isOpen(projection: Pick<Case, 'status'>): boolean {
  return projection.status !== 'closed';
}

/**
 * Whether a letter of the case was prepared and its posting not yet recorded (the to-mail task). Independent
 * of the status: a case closed before its last letter went out still has that letter to post.
 */
export function hasLetterToMail(projection: Pick<CaseProjection, 'letters'>): boolean {
  return (projection.letters ?? []).some((letter) => letter.mailedAt === undefined);
}

function revise(current: CaseDeadline | undefined, deadline: Deadline): CaseDeadline {
  if (current === undefined) return { ...deadline, revision: 1, originalDueAt: deadline.dueAt };
  return {
    ...deadline,
    revision: current.revision + 1,
    originalDueAt: current.originalDueAt,
    ...(current.metAt !== undefined ? { metAt: current.metAt } : {}),
    ...(current.recalculations !== undefined ? { recalculations: current.recalculations } : {}),
  };
}

function meet(projection: CaseProjection, kind: DeadlineKind, at: string): void {
  const deadline = projection.deadlines[kind];
  if (deadline !== undefined && deadline.metAt === undefined) deadline.metAt = at;
}

/** When a letter went out: the end of its mailing day, or the moment the mailing was recorded if earlier. */
function mailingInstant(mailedOn: string, recordedAt: string): string {
  const endOfDay = endOfLocalDay(parseLocalDate(mailedOn));
  return Date.parse(endOfDay) < Date.parse(recordedAt) ? endOfDay : recordedAt;
}

function setAssignment(projection: CaseProjection, data: { unit: string; assignee?: string }): void {
  projection.unit = data.unit;
  if (data.assignee !== undefined) projection.assignee = data.assignee;
  else delete projection.assignee;
}

type Unfolded = Omit<CaseProjection, 'lastSeq' | 'lastHash' | 'lastEventAt' | 'nextDueAt'>;

function withFoldState(projection: Unfolded & Partial<CaseProjection>, event: LedgerEvent): CaseProjection {
  const rest = { ...projection };
  delete rest.nextDueAt;
  const nextDueAt = isOpen(rest) ? earliestUnmet(rest.deadlines) : undefined;
  return {
    ...rest,
    lastSeq: event.seq,
    lastHash: event.hash,
    lastEventAt: event.at,
    ...(nextDueAt !== undefined ? { nextDueAt } : {}),
  };
}

function earliestUnmet(deadlines: CaseProjection['deadlines']): string | undefined {
  let earliest: number | undefined;
  for (const deadline of Object.values(deadlines)) {
    if (deadline === undefined || deadline.metAt !== undefined) continue;
    const dueAt = Date.parse(deadline.dueAt);
    if (earliest === undefined || dueAt < earliest) earliest = dueAt;
  }
  // Normalized to UTC so that the value sorts as text (it is an index sort key).
  return earliest === undefined ? undefined : new Date(earliest).toISOString();
}
