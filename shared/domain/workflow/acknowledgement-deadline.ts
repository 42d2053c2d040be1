import { localDateOf } from '../time/local-date-of';
import type { Category, Policy } from '../policy/schema';
import type { CalendarRegistry } from '../time/calendars';
import { computeDeadline } from '../time/deadline';
import type { Deadline } from '../time/types';

/**
 * The legal acknowledgement deadline of a case: the category's delay counted from the receipt, on the
 * category's calendar in the version in effect on the day of computation, with the organization's working
 * hours. Intake records it in the case's opening (`firstDeadlines`: `deadline.planned`) and its answers tell
 * the requester or staff the same date at once. `undefined` when the category makes no acknowledgement
 * commitment.
 */
export function acknowledgementDeadline(input: {
  readonly policy: Policy;
  readonly category: Category;
  readonly calendars: CalendarRegistry;
  readonly receivedAt: string;
  readonly computedAt: Date | string;
}): Deadline | undefined {
  const { policy, category, calendars, receivedAt, computedAt } = input;
  if (category.acknowledgement === null) return undefined;
  return computeDeadline({
    receivedAt,
    delay: category.acknowledgement.delay,
    calendar: calendars.at(category.calendarId, localDateOf(computedAt)),
    workingHours: policy.organization.workingHours,
  });
}
