import type { Actor, EventDraftOf } from '../ledger/events';
import type { CaseProjection } from '../ledger/projection';
import type { Category, Policy } from '../policy/schema';
import type { CalendarRegistry } from '../time/calendars';
import { computeDeadline } from '../time/deadline';
import { localDateOf } from '../time/local-date-of';
import { acknowledgementDeadline } from './acknowledgement-deadline';

/** One event of a case's first plan, with the key that records it once per case. */
export interface FirstPlanEntry<T extends 'deadline.planned' | 'case.assigned'> {
  readonly draft: EventDraftOf<T>;
  readonly idempotencyKey: string;
}

/** What a case's first plan is computed from: the receipt, the category's policy, the instant of planning. */
export interface FirstPlanInput {
  readonly policy: Policy;
  readonly category: Category;
  readonly calendars: CalendarRegistry;
  /** The legal clock start. */
  readonly receivedAt: string;
  /** The instant of planning: the events' `at`, and the day whose calendar version counts. */
  readonly at: Date;
  readonly actor: Actor;
}

/**
 * The deadlines a new case starts with, each a `deadline.planned` whose deadline carries its proof: the legal
 * acknowledgement deadline (`acknowledgementDeadline`), and, when the category makes no acknowledgement
 * commitment, the answer deadline with the category's standard delay counted from the receipt. Both on the
 * category's calendar in the version in force on the day of planning. A deadline the case already has
 * (`planned`) is left out, so intake and the workflow's planning, whichever comes first, record each once
 * (keys `plan:acknowledgement`, `plan:answer`).
 */
export function firstDeadlines(
  input: FirstPlanInput,
  planned: Pick<CaseProjection['deadlines'], 'acknowledgement' | 'answer'> = {},
): FirstPlanEntry<'deadline.planned'>[] {
  const { policy, category, calendars, receivedAt, at, actor } = input;
  const entries: FirstPlanEntry<'deadline.planned'>[] = [];
  const event = (data: EventDraftOf<'deadline.planned'>['data']): EventDraftOf<'deadline.planned'> => ({
    type: 'deadline.planned',
    at: at.toISOString(),
    actor,
    data,
  });
  const acknowledgement = planned.acknowledgement
    ? undefined
    : acknowledgementDeadline({ policy, category, calendars, receivedAt, computedAt: at });
  if (acknowledgement) {
    entries.push({
      draft: event({ kind: 'acknowledgement', deadline: acknowledgement }),
      idempotencyKey: 'plan:acknowledgement',
    });
  }
  if (!category.acknowledgement && !planned.answer) {
    const deadline = computeDeadline({
      receivedAt,
      delay: category.answer.standardDelay,
      calendar: calendars.at(category.calendarId, localDateOf(at)),
      workingHours: policy.organization.workingHours,
    });
    entries.push({ draft: event({ kind: 'answer', deadline }), idempotencyKey: 'plan:answer' });
  }
  return entries;
}

/**
 * The first assignment of a new case: its category's queue (`routing.queue`), recorded once per case (key
 * `route`) by intake or, for a case opened without it, by the workflow's routing.
 */
export function firstAssignment(
  input: Pick<FirstPlanInput, 'category' | 'at' | 'actor'>,
): FirstPlanEntry<'case.assigned'> {
  return {
    draft: {
      type: 'case.assigned',
      at: input.at.toISOString(),
      actor: input.actor,
      data: { unit: input.category.routing.queue },
    },
    idempotencyKey: 'route',
  };
}
