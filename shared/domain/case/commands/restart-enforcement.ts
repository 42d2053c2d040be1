import * as z from '../../../zod-mini';

import { AccessDeniedError, CaseNotFoundError, CaseStateConflictError } from '../../../errors';
import type { StaffIdentity } from '../../identity/identity';
import type { Actor } from '../../ledger/events';
import type { CaseLedger } from '../../ledger/ports';
import type { Clock } from '../../messaging/ports';
import { startGeneration } from '../../workflow/generations';
import type { Workflow } from '../../workflow/ports';
import { CaseIdSchema } from '../case';
import { parseOrThrow } from '../parse';
import { singleLineText } from '../text';
import type { CommandOptions } from './deps';
import { commandKeys } from './idempotency';
import { recordOnce } from './record';

export const RestartEnforcementInputSchema = z.strictObject({
  caseId: CaseIdSchema,
  /** Why enforcement may run again (the cause fixed, say); kept in the ledger. */
  reason: singleLineText(500),
});
export type RestartEnforcementInput = z.infer<typeof RestartEnforcementInputSchema>;

export interface RestartEnforcementResult {
  readonly caseId: string;
  readonly replayed: boolean;
  /** The workflow generation now enforcing the case's deadlines (execution `caseId--g<N>`). */
  readonly generation: number;
  readonly restartedAt: string;
}

export interface RestartEnforcementDeps {
  readonly ledger: CaseLedger;
  readonly clock: Clock;
  readonly workflow: Workflow;
}

/**
 * Restarts the enforcement of a case's deadlines after its workflow failed for good (the case shows
 * "deadlines not enforced", `enforcementStoppedAt`): records `enforcement.restarted` (who, why, which
 * generation) and starts the next workflow generation (`caseId--g<N>`, N = latest recorded generation + 1,
 * recorded as `workflow.started`). The new generation plans and routes again, then resumes at the checkpoint:
 * every step already done is in the ledger (`step.done`) and every message sent is keyed (`message.sent`), so
 * nothing is lost and nothing is repeated.
 *
 * Administrators only, on any case (they run the system; nothing of the case's content is read or returned).
 * Refused (409) when enforcement was not stopped. Idempotent: a retry (same `Idempotency-Key`, or the same
 * reason since the failure) replays the restart and starts the same generation again, a no-op if it runs.
 *
 * @throws ValidationError, AccessDeniedError, CaseNotFoundError, CaseStateConflictError, IdempotencyKeyReuseError
 */
export async function restartEnforcement(
  deps: RestartEnforcementDeps,
  identity: StaffIdentity,
  input: RestartEnforcementInput,
  options: CommandOptions = {},
): Promise<RestartEnforcementResult> {
  if (!identity.roles.includes('admin')) throw new AccessDeniedError('restart-enforcement');
  const { caseId, reason } = parseOrThrow(RestartEnforcementInputSchema, input, 'restart request');
  const projection = await deps.ledger.getCase(caseId);
  if (projection === undefined) throw new CaseNotFoundError(caseId);
  const events = await deps.ledger.read(caseId);
  const keys = commandKeys({
    caseId,
    command: 'restart-enforcement',
    input: { reason },
    events,
    ...(options.idempotencyKey !== undefined ? { clientKey: options.idempotencyKey } : {}),
  });
  if (keys.recorded.size === 0 && projection.enforcementStoppedAt === undefined) {
    throw new CaseStateConflictError(
      'ENFORCEMENT_RUNNING',
      {
        fr: 'Le suivi des délais de ce dossier n’est pas arrêté : il n’y a rien à relancer.',
        en: 'Deadline enforcement has not stopped for this case: there is nothing to restart.',
      },
      { caseId, status: projection.status },
    );
  }
  const actor: Actor = { kind: 'staff', id: identity.id, role: 'admin' };
  const restarted = await recordOnce(
    deps.ledger,
    { caseId, keys, actor, at: deps.clock.now().toISOString() },
    'done',
    'enforcement.restarted',
    () => ({ generation: (projection.workflowGeneration ?? 1) + 1, reason }),
  );
  const { generation } = restarted.event.data;
  await startGeneration(deps, { caseId, generation, trigger: 'restart', actor });
  return { caseId, replayed: !restarted.appended, generation, restartedAt: restarted.event.at };
}
