import type { StaffIdentity } from '../../identity/identity';
import { parseOrThrow } from '../parse';
import { loadCaseFor, requireStatus } from './case-state';
import type { CommandDeps, CommandOptions } from './deps';
import { commandKeys } from './idempotency';
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
 * The optional `note` (what the requester said) is kept in the event, as confidential case content.
 *
 * @throws ValidationError, AccessDeniedError, CaseNotFoundError, CaseStateConflictError, IdempotencyKeyReuseError
 */
export async function recordDissatisfaction(
  deps: Pick<CommandDeps, 'ledger' | 'clock' | 'policy'>,
  identity: StaffIdentity,
  input: DissatisfiedInput,
  options: CommandOptions = {},
): Promise<DissatisfiedResult> {
  const { caseId, channel, note } = parseOrThrow(DissatisfiedInputSchema, input, 'dissatisfaction request');
  const { projection, events, actor } = await loadCaseFor(deps, identity, 'dissatisfied', caseId, options);
  const keys = commandKeys({
    caseId,
    command: 'dissatisfied',
    input: { channel, ...(note ? { note } : {}) },
    events,
    ...(options.idempotencyKey !== undefined ? { clientKey: options.idempotencyKey } : {}),
  });
  if (keys.recorded.size === 0) requireStatus(projection, 'dissatisfied', ['answered', 'closed']);
  const recorded = await recordOnce(
    deps.ledger,
    { caseId, keys, actor, at: deps.clock.now().toISOString() },
    'done',
    'case.dissatisfied',
    () => ({ channel, ...(note ? { note } : {}) }),
  );
  return {
    caseId,
    replayed: !recorded.appended,
    dissatisfiedAt: recorded.event.at,
    noteRecorded: recorded.event.data.note !== undefined,
  };
}
