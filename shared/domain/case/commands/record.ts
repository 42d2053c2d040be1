import type { Actor, EventDraftOf, EventType, LedgerEventOf } from '../../ledger/events';
import type { AppendResult, CaseLedger } from '../../ledger/ports';
import type { CommandKeys, KeyPart } from './idempotency';

/**
 * Appends one event of a command under `<command key>:<part>`. When a previous attempt of the same command
 * already recorded that part, the recorded event is returned and `makeData` is not even called (a retry never
 * recomputes, e.g., a deadline with a calendar that changed in between).
 */
export async function recordOnce<T extends EventType>(
  ledger: CaseLedger,
  context: {
    readonly caseId: string;
    readonly keys: CommandKeys;
    readonly actor: Actor;
    readonly at: string;
  },
  part: KeyPart,
  type: T,
  makeData: () => EventDraftOf<T>['data'],
): Promise<AppendResult<T>> {
  const recorded = context.keys.recorded.get(part);
  if (recorded?.type === type) return { event: recorded as LedgerEventOf<T>, appended: false };
  const draft = {
    type,
    at: context.at,
    actor: context.actor,
    data: makeData(),
  } as unknown as EventDraftOf<T>;
  return ledger.append(context.caseId, draft, { idempotencyKey: context.keys.key(part) });
}
