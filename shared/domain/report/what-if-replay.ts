import type { DeadlineKind } from '../case/case';
import type { LedgerEvent } from '../ledger/events';
import { automaticRepliesBarred } from '../messaging/automatic-replies';
import type { Category, Policy } from '../policy/schema';
import { addBusinessDays } from '../time/business-days';
import type { BusinessCalendar } from '../time/calendar';
import { computeDeadline } from '../time/deadline';
import type { DeadlineInput } from '../time/deadline';
import { localDateOf } from '../time/local-date-of';
import type { Deadline, Delay, LocalDate } from '../time/types';
import { actionInstant } from '../workflow/plan';

/**
 * One category's policy as the what-if replays it: only what differs from the policy in force is set.
 * - `acknowledgementDelay`: the legal acknowledgement's delay (the what-if takes business days);
 * - `answerDelay`: the answer delay: the standard one (promised by an automatic acknowledgement, planned for a
 *   category without acknowledgement) and the longest a staff promise may reach;
 * - `automaticAcknowledgement`: whether the workflow sends the acknowledgement itself at the deadline
 *   (`auto-acknowledge`) or only escalates (`escalate-only`);
 * - `calendar`: the business days every delay of the category is counted on, for any day of computation.
 */
export interface ReplayCategoryChange {
  readonly acknowledgementDelay?: Delay;
  readonly answerDelay?: Delay;
  readonly automaticAcknowledgement?: boolean;
  readonly calendar?: (on: LocalDate) => BusinessCalendar;
}

export interface ReplayContext {
  readonly policy: Pick<Policy, 'categories' | 'organization'>;
  /** The changes, by category id; a category absent here is replayed as it was. */
  readonly changes: ReadonlyMap<string, ReplayCategoryChange>;
  /** The calendar of a category on a day, as the policy in force has it. */
  readonly calendarOf: (category: Category, on: LocalDate) => BusinessCalendar;
  /** How deadlines are computed; `computeDeadline` by default (`memoizedDeadlines` for a whole replay). */
  readonly computeDeadline?: (input: DeadlineInput) => Deadline;
}

/**
 * `computeDeadline` remembered for a replay of many cases: a delay in business or calendar days gives the same
 * due date for every receipt of the same Québec day, so each (day, delay, calendar version) is computed once.
 * The proof kept is that of the first receipt of the day: the replay reads only its dates, delay and calendar,
 * and never shows or stores it.
 */
export function memoizedDeadlines(): (input: DeadlineInput) => Deadline {
  const known = new Map<string, Deadline>();
  return (input) => {
    if (input.delay.unit === 'working-hours') return computeDeadline(input);
    const key = `${localDateOf(input.receivedAt)}|${input.delay.amount}|${input.delay.unit}|${input.calendar.id}@${input.calendar.version.version}`;
    let deadline = known.get(key);
    if (deadline === undefined) {
      deadline = computeDeadline(input);
      known.set(key, deadline);
    }
    return deadline;
  };
}

/** A case's history as it would have been under the changes, and what the replay did by itself. */
export interface ReplayedCase {
  readonly events: LedgerEvent[];
  /** The workflow would have acknowledged automatically at the new deadline, before the staff did (when). */
  readonly automaticInstead?: string;
  /** Whether any change applied to the case at all (when not, `events` are the recorded ones). */
  readonly changed: boolean;
}

/** The message id of an acknowledgement the replay sends by itself (it went nowhere: nothing is written). */
export const REPLAYED_ACKNOWLEDGEMENT_ID = 'what-if:automatic-acknowledgement';

const WORKFLOW = { kind: 'system', id: 'workflow' } as const;

/**
 * Replays one case's recorded history under changed category policies, as the workflow would have run it:
 * the receipt and every staff action stay at their recorded instants; what the workflow decides by itself
 * follows the changed policy.
 *
 * Rules (`docs/what-if.md`):
 * - the acknowledgement deadline is planned again from the receipt with the changed delay or calendar;
 * - the workflow's acknowledgement at the deadline (`auto-acknowledge`) comes at the new deadline's action
 *   instant (an hour before the end of working hours on the due date for day delays), if the case is still
 *   unacknowledged, unanswered and open then, and the workflow was enforcing deadlines (not stopped by a
 *   failure it recorded, until an administrator restarted it): a staff acknowledgement recorded after it would not have happened (the case was already
 *   acknowledged), so it is replaced by the automatic one and reported (`automaticInstead`); the automatic
 *   acknowledgement promises the standard answer delay from the receipt, never earlier than the next
 *   business day, as the workflow does. A requester without email gets it by letter, counted as sent that day
 *   (the workflow asks the supervisor to post it the same day). An acknowledgement the workflow sent in
 *   reality moves to the new deadline. With `escalate-only`, or when the sender was found forged (no
 *   automatic mail to such an address), nothing is sent automatically: the staff acknowledgement, if any,
 *   stays where it was recorded and is measured against the new deadline;
 * - the answer deadline: a date promised by staff stays, but never beyond the changed answer delay from the
 *   receipt; a date the workflow planned (automatic acknowledgement, category without acknowledgement) is
 *   planned again with the changed delay or calendar; an extension recorded later stands when it is later than
 *   the date in force (it is a new promise with a notice), and recalculations of a changed deadline are
 *   replaced by the replay's own planning;
 * - the delay notice, for a changed answer date, is sent again by the replayed workflow (`delayNotice`).
 *
 * Pure; with no change for the case's categories, the recorded events are returned unchanged.
 */
export function replayCase(events: readonly LedgerEvent[], context: ReplayContext): ReplayedCase {
  const first = events[0];
  if (first?.type !== 'case.received') return { events: [...events], changed: false };
  const touched = [first.data.category, ...recategorizations(events)];
  if (!touched.some((id) => context.changes.has(id))) return { events: [...events], changed: false };

  const receivedAt = first.data.receivedAt;
  const email = first.data.requester.email;
  const barred = email !== undefined && automaticRepliesBarred(events) !== undefined;
  const out: LedgerEvent[] = [];
  let categoryId = first.data.category;
  let ackDeadline: Deadline | undefined;
  let ackReplayed = false;
  let acknowledged = false;
  let answered = false;
  let closed = false;
  let answerDeadline: Deadline | undefined;
  let answerReplayed = false;
  /** The answer dates in force in the replay, and when each was set (planned, then extended). */
  const answerRevisions: { deadline: Deadline; at: string }[] = [];
  let lastAckAutomatic: boolean | undefined;
  let droppedAck: LedgerEvent | undefined;
  let automaticInstead: string | undefined;
  // The workflow enforced no deadline between a failure it recorded and an administrator's restart.
  let enforcing = true;

  const categoryOf = (id: string) => context.policy.categories.find((c) => c.id === id);
  const calendarFor = (category: Category, on: LocalDate) =>
    context.changes.get(category.id)?.calendar?.(on) ?? context.calendarOf(category, on);
  const workingHours = context.policy.organization.workingHours;
  const deadlineOf = context.computeDeadline ?? computeDeadline;

  const plannedAnswer = (category: Category, change: ReplayCategoryChange | undefined, from: string) => {
    const delay = change?.answerDelay ?? category.answer.standardDelay;
    const calendar = calendarFor(category, localDateOf(from));
    const standard = deadlineOf({ receivedAt, delay, calendar, workingHours });
    const earliest = addBusinessDays(calendar, localDateOf(from), 1);
    return standard.dueDate >= earliest
      ? standard
      : deadlineOf({ receivedAt: from, delay, calendar, workingHours });
  };

  /** The workflow acts at the replayed deadline when that comes before `at` and nothing else has. */
  const acknowledgeAutomaticallyBefore = (at: number) => {
    if (!ackReplayed || !enforcing || acknowledged || answered || closed || ackDeadline === undefined) return;
    const category = categoryOf(categoryId);
    if (category === undefined || category.acknowledgement === null) return;
    const change = context.changes.get(categoryId);
    const automatic =
      change?.automaticAcknowledgement ?? category.acknowledgement.atDeadline === 'auto-acknowledge';
    if (!automatic || barred) return;
    const actionAt = actionInstant(
      { ...ackDeadline, revision: 1, originalDueAt: ackDeadline.dueAt },
      calendarFor(category, localDateOf(ackDeadline.dueAt)),
      workingHours,
    );
    if (Date.parse(actionAt) >= at) return;
    const answer = plannedAnswer(category, change, actionAt);
    out.push(
      synthetic(first, actionAt, {
        type: 'case.acknowledged',
        data: {
          messageId: REPLAYED_ACKNOWLEDGEMENT_ID,
          promisedAnswerDate: answer.dueDate,
          automatic: true,
        },
      }),
      synthetic(first, actionAt, {
        type: 'deadline.planned',
        data: { kind: 'answer', deadline: answer },
      }),
    );
    acknowledged = true;
    lastAckAutomatic = true;
    answerDeadline = answer;
    answerReplayed = true;
    answerRevisions.push({ deadline: answer, at: actionAt });
  };

  for (const event of events) {
    acknowledgeAutomaticallyBefore(Date.parse(event.at));
    if (event.type === 'case.recategorized') categoryId = event.data.to;
    const category = categoryOf(categoryId);
    const change = context.changes.get(categoryId);
    const kind: DeadlineKind | undefined =
      event.type === 'deadline.planned' ||
      event.type === 'deadline.recalculated' ||
      event.type === 'deadline.extended'
        ? event.data.kind
        : undefined;

    if (
      (event.type === 'deadline.planned' || event.type === 'deadline.recalculated') &&
      event.data.kind === 'acknowledgement'
    ) {
      const replays =
        change !== undefined &&
        category !== undefined &&
        (change.acknowledgementDelay !== undefined ||
          change.calendar !== undefined ||
          change.automaticAcknowledgement !== undefined);
      if (!replays) {
        if (event.type === 'deadline.planned' || event.data.notApplied === undefined)
          ackDeadline = event.data.deadline;
        out.push(event);
        continue;
      }
      const recorded = event.data.deadline;
      ackDeadline = deadlineOf({
        receivedAt,
        delay: change.acknowledgementDelay ?? recorded.proof.inputs.delay,
        calendar: calendarFor(category, localDateOf(event.at)),
        workingHours,
      });
      ackReplayed = true;
      out.push({ ...event, data: { kind: 'acknowledgement', deadline: ackDeadline } } as LedgerEvent);
      continue;
    }

    if (event.type === 'case.acknowledged') {
      // Already acknowledged by the replayed workflow, or an automatic acknowledgement that now comes elsewhere.
      if (acknowledged || (ackReplayed && event.data.automatic)) {
        if (acknowledged && !event.data.automatic && automaticInstead === undefined) {
          automaticInstead = event.at;
        }
        droppedAck = event;
        continue;
      }
      acknowledged = true;
      lastAckAutomatic = event.data.automatic;
      out.push(event);
      continue;
    }

    if (kind === 'answer') {
      // The answer date planned with an acknowledgement that did not happen in the replay.
      if (
        event.type === 'deadline.planned' &&
        droppedAck !== undefined &&
        event.at === droppedAck.at &&
        event.actor.id === droppedAck.actor.id
      ) {
        droppedAck = undefined;
        continue;
      }
      const answerChanged =
        change !== undefined &&
        category !== undefined &&
        (change.answerDelay !== undefined || change.calendar !== undefined);
      if (event.type === 'deadline.planned') {
        let deadline = event.data.deadline;
        if (answerChanged && lastAckAutomatic === false) {
          // A date promised by staff: kept, but never beyond the changed answer delay.
          if (change.answerDelay !== undefined) {
            const cap = deadlineOf({
              receivedAt,
              delay: change.answerDelay,
              calendar: calendarFor(category, localDateOf(event.at)),
              workingHours,
            });
            if (Date.parse(cap.dueAt) < Date.parse(deadline.dueAt)) deadline = cap;
          }
        } else if (answerChanged) {
          deadline = plannedAnswer(category, change, event.at);
        }
        answerDeadline = deadline;
        answerReplayed = answerReplayed || deadline !== event.data.deadline;
        answerRevisions.push({ deadline, at: event.at });
        out.push(
          deadline === event.data.deadline ? event : ({ ...event, data: { kind, deadline } } as LedgerEvent),
        );
        continue;
      }
      if (event.type === 'deadline.recalculated' && (answerReplayed || answerChanged)) continue;
      if (event.type === 'deadline.extended' && answerReplayed && answerDeadline !== undefined) {
        if (Date.parse(event.data.deadline.dueAt) <= Date.parse(answerDeadline.dueAt)) continue;
        answerDeadline = event.data.deadline;
        answerRevisions.push({ deadline: answerDeadline, at: event.at });
      }
      out.push(event);
      continue;
    }

    if (event.type === 'failure.recorded' && event.actor.kind === 'system' && event.actor.id === 'workflow')
      enforcing = false;
    if (event.type === 'enforcement.restarted') enforcing = true;
    if (event.type === 'case.answered') answered = true;
    if (event.type === 'case.closed') closed = true;
    if (event.type === 'case.dissatisfied') closed = false;
    out.push(event);
  }
  acknowledgeAutomaticallyBefore(Number.POSITIVE_INFINITY);
  const category = categoryOf(categoryId);
  if (answerReplayed && category !== undefined) {
    const notice = delayNotice(out, answerRevisions, {
      first,
      notify: category.answer.notifyInWritingIfLate && !barred && enforcing,
      calendarOn: (on) => calendarFor(category, on),
      workingHours,
    });
    out.splice(0, out.length, ...notice);
  }
  // Synthetic events sit at their own instants: keep the history in time order (stable for ties).
  const ordered = out
    .map((event, index) => ({ event, index, at: Date.parse(event.at) }))
    .sort((a, b) => a.at - b.at || a.index - b.index)
    .map((entry, index) => ({ ...entry.event, seq: index + 1 }) as LedgerEvent);
  return {
    events: ordered,
    changed: true,
    ...(automaticInstead !== undefined ? { automaticInstead } : {}),
  };
}

/**
 * The workflow's delay notice, replayed for a changed answer date: the recorded notices (they were sent for
 * the recorded dates) are dropped, and one is sent at the action instant of the first answer date in force
 * (planned, or extended before that instant) that came with the case still unanswered and open, when the
 * category notifies in writing (by email, or by letter for a requester without one).
 */
function delayNotice(
  events: readonly LedgerEvent[],
  revisions: readonly { deadline: Deadline; at: string }[],
  options: {
    first: LedgerEvent;
    notify: boolean;
    calendarOn: (on: LocalDate) => BusinessCalendar;
    workingHours: { start: string; end: string };
  },
): LedgerEvent[] {
  const kept = events.filter(
    (event) =>
      !(
        (event.type === 'message.sent' &&
          event.data.recipient === 'requester' &&
          event.data.template === 'delay-notice') ||
        (event.type === 'letter.prepared' && event.data.template === 'delay-notice')
      ),
  );
  if (!options.notify) return kept;
  const ended = kept.find((event) => event.type === 'case.answered' || event.type === 'case.closed');
  const end = ended === undefined ? Number.POSITIVE_INFINITY : Date.parse(ended.at);
  for (const [index, revision] of revisions.entries()) {
    const { deadline } = revision;
    const at = actionInstant(
      { ...deadline, revision: 1, originalDueAt: deadline.dueAt },
      options.calendarOn(deadline.dueDate),
      options.workingHours,
    );
    const next = revisions[index + 1];
    if (next !== undefined && Date.parse(next.at) <= Date.parse(at)) continue;
    if (Date.parse(at) >= end) break;
    kept.push({
      caseId: options.first.caseId,
      seq: 0,
      at,
      actor: WORKFLOW,
      prevHash: options.first.prevHash,
      hash: options.first.hash,
      type: 'message.sent',
      data: {
        messageId: 'what-if:delay-notice',
        purpose: 'other',
        recipient: 'requester',
        template: 'delay-notice',
      },
    });
    break;
  }
  return kept;
}

function recategorizations(events: readonly LedgerEvent[]): string[] {
  const ids: string[] = [];
  for (const event of events) if (event.type === 'case.recategorized') ids.push(event.data.to);
  return ids;
}

/** An event the replayed workflow records (never stored: the replay writes nothing). */
function synthetic(
  first: LedgerEvent,
  at: string,
  body:
    | Pick<Extract<LedgerEvent, { type: 'case.acknowledged' }>, 'type' | 'data'>
    | Pick<Extract<LedgerEvent, { type: 'deadline.planned' }>, 'type' | 'data'>,
): LedgerEvent {
  return {
    caseId: first.caseId,
    seq: 0,
    at,
    actor: WORKFLOW,
    prevHash: first.prevHash,
    hash: first.hash,
    ...body,
  } as LedgerEvent;
}
