import { CaseStateConflictError } from '../../../errors';
import type { StaffIdentity } from '../../identity/identity';
import { parseOrThrow } from '../parse';
import { loadCaseFor, requireStatus } from './case-state';
import type { CommandDeps, CommandOptions } from './deps';
import { commandKeys } from './idempotency';
import { CloseInputSchema } from './inputs';
import type { CloseInput } from './inputs';
import { recordOnce } from './record';

export interface CloseResult {
  readonly caseId: string;
  readonly replayed: boolean;
  readonly outcome: string;
  readonly closedAt: string;
}

/**
 * Closes an open case with its outcome (`answered`, `withdrawn`, `duplicate`, `out-of-scope`, `referred`,
 * `no-response`, `other`) and records `case.closed`. No message goes to the requester.
 *
 * Refused (409) on a case already closed, and with outcome `answered` on a case that was never answered (the
 * outcome would misstate the record; use another outcome).
 *
 * @throws ValidationError, AccessDeniedError, CaseNotFoundError, CaseStateConflictError, IdempotencyKeyReuseError
 */
export async function close(
  deps: Pick<CommandDeps, 'ledger' | 'clock' | 'policy'>,
  identity: StaffIdentity,
  input: CloseInput,
  options: CommandOptions = {},
): Promise<CloseResult> {
  const { caseId, outcome } = parseOrThrow(CloseInputSchema, input, 'close request');
  const { projection, events, actor } = await loadCaseFor(deps, identity, 'close', caseId, options);
  const keys = commandKeys({
    caseId,
    command: 'close',
    input: { outcome },
    events,
    ...(options.idempotencyKey !== undefined ? { clientKey: options.idempotencyKey } : {}),
  });
  if (keys.recorded.size === 0) {
    requireStatus(projection, 'close', ['received', 'acknowledged', 'answered', 'dissatisfied']);
    if (outcome === 'answered' && projection.answeredAt === undefined) {
      throw new CaseStateConflictError(
        'NOT_ANSWERED',
        {
          fr: 'Le dossier ne peut pas être fermé comme « répondu » : aucune réponse n’a été envoyée.',
          en: 'The case cannot be closed as “answered”: no answer was sent.',
        },
        { caseId, status: projection.status },
      );
    }
  }
  const closed = await recordOnce(
    deps.ledger,
    { caseId, keys, actor, at: deps.clock.now().toISOString() },
    'done',
    'case.closed',
    () => ({ reason: outcome }),
  );
  return { caseId, replayed: !closed.appended, outcome: closed.event.data.reason, closedAt: closed.event.at };
}
