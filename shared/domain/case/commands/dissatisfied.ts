import type { StaffIdentity } from '../../identity/identity';
import { computeDeadline } from '../../time';
import { parseOrThrow } from '../parse';
import { calendarFor, loadCaseFor, requireStatus } from './case-state';
import type { CommandDeps, CommandOptions } from './deps';
import { commandKeysOf } from './idempotency';
import { DissatisfiedInputSchema } from './inputs';
import type { DissatisfiedInput } from './inputs';
import { recordOnce } from './record';

export interface DissatisfiedResult {
  readonly caseId: string;
  readonly replayed: boolean;
  readonly dissatisfiedAt: string;
  /** Whether a note was recorded with the dissatisfaction. */
  readonly noteRecorded: boolean;
}

/**
 * Records that the requester is not satisfied with the answer (`case.dissatisfied {channel}`): the case
 * reopens (status `dissatisfied`), the complaints officer is told by the workflow, and a new answer may
 * follow. Allowed on an `answered` or `closed` case; refused (409) otherwise.
 *
 * The complaints officer's review gets its own deadline (`deadline.planned {kind: review}`): the policy's
 * `complaintProcedure.dissatisfactionReview.delay`, counted like any delay from the instant the
 * dissatisfaction is recorded (the day itself not counted), on the category's calendar. The workflow sends its
 * reminders and escalations; a new answer or the closing of the case ends the review (`answer`, `close`).
 *
 * The optional `note` (what the requester said) is kept in the event, as confidential case content.
 *
 * @throws ValidationError, AccessDeniedError, CaseNotFoundError, CaseStateConflictError, IdempotencyKeyReuseError
 */
export async function recordDissatisfaction(
  deps: Pick<CommandDeps, 'ledger' | 'clock' | 'policy' | 'calendars'>,
  identity: StaffIdentity,
  input: DissatisfiedInput,
  options: CommandOptions = {},
): Promise<DissatisfiedResult> {
  const { caseId, channel, note } = parseOrThrow(DissatisfiedInputSchema, input, 'dissatisfaction request');
  const { projection, category, history, actor } = await loadCaseFor(
    deps,
    identity,
    'dissatisfied',
    caseId,
    options,
  );
  const keys = await commandKeysOf({
    caseId,
    command: 'dissatisfied',
    input: { channel, ...(note ? { note } : {}) },
    history,
    ...(options.idempotencyKey !== undefined ? { clientKey: options.idempotencyKey } : {}),
  });
  if (keys.recorded.size === 0) requireStatus(projection, 'dissatisfied', ['answered', 'closed']);
  const record = { caseId, keys, actor, at: deps.clock.now().toISOString() };
  const recorded = await recordOnce(deps.ledger, record, 'done', 'case.dissatisfied', () => ({
    channel,
    ...(note ? { note } : {}),
  }));
  const review = deps.policy.complaintProcedure?.dissatisfactionReview;
  if (review !== undefined) {
    const from = recorded.event.at;
    await recordOnce(deps.ledger, record, 'deadline', 'deadline.planned', () => ({
      kind: 'review',
      deadline: computeDeadline({
        receivedAt: from,
        delay: review.delay,
        calendar: calendarFor(deps.calendars, category, new Date(from)),
        workingHours: deps.policy.organization.workingHours,
      }),
    }));
  }
  return {
    caseId,
    replayed: !recorded.appended,
    dissatisfiedAt: recorded.event.at,
    noteRecorded: recorded.event.data.note !== undefined,
  };
}
