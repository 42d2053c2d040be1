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
  /**
   * Always false for now: `case.dissatisfied` only holds the channel, and the ledger schema is not bent to
   * store a note elsewhere. Callers show staff that the note was not kept.
   */
  readonly noteRecorded: false;
}

/**
 * Records that the requester is not satisfied with the answer (`case.dissatisfied {channel}`): the case
 * reopens (status `dissatisfied`), the complaints officer is told by the workflow, and a new answer may
 * follow. Allowed on an `answered` or `closed` case; refused (409) otherwise.
 *
 * The optional `note` is validated but not stored (see `noteRecorded`).
 *
 * @throws ValidationError, AccessDeniedError, CaseNotFoundError, CaseStateConflictError, IdempotencyKeyReuseError
 */
export async function recordDissatisfaction(
  deps: Pick<CommandDeps, 'ledger' | 'clock' | 'policy'>,
  identity: StaffIdentity,
  input: DissatisfiedInput,
  options: CommandOptions = {},
): Promise<DissatisfiedResult> {
  const { caseId, channel } = parseOrThrow(DissatisfiedInputSchema, input, 'dissatisfaction request');
  const { projection, events, actor } = await loadCaseFor(deps, identity, 'dissatisfied', caseId);
  const keys = commandKeys({
    caseId,
    command: 'dissatisfied',
    input: { channel },
    events,
    ...(options.idempotencyKey !== undefined ? { clientKey: options.idempotencyKey } : {}),
  });
  if (keys.recorded.size === 0) requireStatus(projection, 'dissatisfied', ['answered', 'closed']);
  const recorded = await recordOnce(
    deps.ledger,
    { caseId, keys, actor, at: deps.clock.now().toISOString() },
    'done',
    'case.dissatisfied',
    () => ({ channel }),
  );
  return { caseId, replayed: !recorded.appended, dissatisfiedAt: recorded.event.at, noteRecorded: false };
}
