import type { StaffIdentity } from '../../identity/identity';
import { parseOrThrow } from '../parse';
import { loadCaseFor } from './case-state';
import type { CommandDeps, CommandOptions } from './deps';
import { commandKeysOf } from './idempotency';
import { NoteInputSchema } from './inputs';
import type { NoteInput } from './inputs';
import { recordOnce } from './record';

export interface NoteResult {
  readonly caseId: string;
  readonly replayed: boolean;
  /** The note's place in the case's ledger. */
  readonly seq: number;
  readonly notedAt: string;
}

/**
 * Adds an internal note to a case (`case.noted {text}`, the author as actor): what a clerk wants colleagues
 * to know (a call, a visit, a step taken). A note is never sent to anyone outside and changes nothing in the
 * case's state or deadlines.
 *
 * - Who: whoever may act on the case's content (see `authorize`): the agents and supervisor of its unit, the
 *   complaints officer; on a confidential case the complaints officer only (for anyone else the case does not
 *   exist: 404, the attempt recorded). Administrators and auditors write no note (403).
 * - When: in every status, a closed case included (a later call is documented on the case it concerns).
 * - The text is case content: the case page shows it to content readers only; auditors see that a note was
 *   written, by whom and its length, never the text (`toAuditEvents`).
 * - Idempotency as for every command: the same `Idempotency-Key` replays the note, with another text it is
 *   refused.
 *
 * @throws ValidationError, AccessDeniedError, CaseNotFoundError, IdempotencyKeyReuseError
 */
export async function addNote(
  deps: Pick<CommandDeps, 'ledger' | 'clock' | 'policy'>,
  identity: StaffIdentity,
  input: NoteInput,
  options: CommandOptions = {},
): Promise<NoteResult> {
  const { caseId, text } = parseOrThrow(NoteInputSchema, input, 'note');
  const { history, actor } = await loadCaseFor(deps, identity, 'note', caseId, options);
  const keys = await commandKeysOf({
    caseId,
    command: 'note',
    input: { text },
    history,
    ...(options.idempotencyKey !== undefined ? { clientKey: options.idempotencyKey } : {}),
  });
  const at = deps.clock.now().toISOString();
  const noted = await recordOnce(deps.ledger, { caseId, keys, actor, at }, 'done', 'case.noted', () => ({
    text,
  }));
  return { caseId, replayed: !noted.appended, seq: noted.event.seq, notedAt: noted.event.at };
}
