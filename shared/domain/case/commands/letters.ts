import * as z from '../../../zod-mini';

import {
  AccessDeniedError,
  BusinessRuleError,
  CaseStateConflictError,
  LetterDocumentMissingError,
  LetterNotFoundError,
} from '../../../errors';
import type { StaffIdentity } from '../../identity/identity';
import type { LetterStore } from '../../letters/ports';
import type { CaseLetter, CaseProjection } from '../../ledger/projection';
import { localDateOf } from '../../time/local-date-of';
import { parseOrThrow } from '../parse';
import { CaseIdSchema } from '../case';
import type { StaffAction } from '../../access/case-access';
import { loadCaseFor } from './case-state';
import type { AccessContext, LoadedCase } from './case-state';
import type { CommandDeps, CommandOptions } from './deps';
import { commandKeysOf } from './idempotency';
import { AnswerByDateSchema } from './inputs';
import { recordConfidentialRead } from './read';
import type { ReadDeps } from './read';
import { recordOnce } from './record';

/** A letter as the staff API lists it (the document's URL is added by the API). */
export interface LetterSummary {
  readonly letterId: string;
  readonly template: string;
  readonly language: string;
  readonly createdAt: string;
  readonly mailedOn?: string;
  readonly mailedAt?: string;
}

/**
 * Letters hold the case's content (name, subject, answer): only people who may read the content of the case
 * see them (the complaints officer alone for a confidential case; auditors and administrators, who read
 * metadata, are refused). A confidential case's read is recorded first, as for the case page.
 */
async function loadForLetters(
  deps: ReadDeps,
  identity: StaffIdentity,
  action: StaffAction,
  caseId: string,
  context: AccessContext,
): Promise<LoadedCase> {
  const loaded = await loadCaseFor(deps, identity, action, caseId, context);
  if (loaded.decision.scope !== 'content') throw new AccessDeniedError('read letters', { caseId });
  return loaded;
}

function findLetter(projection: CaseProjection, letterId: string): CaseLetter {
  const letter = projection.letters?.find((l) => l.letterId === letterId);
  if (letter === undefined) throw new LetterNotFoundError(projection.caseId, letterId);
  return letter;
}

function summaryOf(letter: CaseLetter): LetterSummary {
  return {
    letterId: letter.letterId,
    template: letter.template,
    language: letter.language,
    createdAt: letter.preparedAt,
    ...(letter.mailedOn !== undefined ? { mailedOn: letter.mailedOn } : {}),
    ...(letter.mailedAt !== undefined ? { mailedAt: letter.mailedAt } : {}),
  };
}

export interface LetterList {
  readonly letters: readonly LetterSummary[];
  /**
   * Today's legal date (Québec) by the system's clock: the latest mailing date `recordLetterMailed` accepts,
   * and the one a mailing form proposes. Not the reader's device date: its time zone may not be Québec's,
   * and the system's clock is the one the deadlines run on (the local stack's can be moved).
   */
  readonly today: string;
}

/**
 * The letters of a case (messages to a requester without email, to print and post), oldest first, with
 * whether each was mailed, and today's legal date by the system's clock.
 *
 * @throws AccessDeniedError, CaseNotFoundError
 */
export async function listLetters(
  deps: ReadDeps,
  identity: StaffIdentity,
  caseId: string,
  context: AccessContext = {},
): Promise<LetterList> {
  const { projection, actor } = await loadForLetters(deps, identity, 'read', caseId, context);
  const now = deps.clock.now();
  await recordConfidentialRead(deps, projection, actor, 'content', now);
  return { letters: (projection.letters ?? []).map(summaryOf), today: localDateOf(now) };
}

/**
 * The printable document of one letter (PDF), under the same access rules as the case's content.
 *
 * @throws AccessDeniedError, CaseNotFoundError, LetterNotFoundError, LetterDocumentMissingError
 */
export async function getLetterDocument(
  deps: ReadDeps & { readonly letterStore: LetterStore },
  identity: StaffIdentity,
  caseId: string,
  letterId: string,
  context: AccessContext = {},
): Promise<Uint8Array> {
  const { projection, actor } = await loadForLetters(deps, identity, 'read', caseId, context);
  findLetter(projection, letterId);
  await recordConfidentialRead(deps, projection, actor, 'content', deps.clock.now());
  const document = await deps.letterStore.get(caseId, letterId);
  if (document === undefined) throw new LetterDocumentMissingError(caseId, letterId);
  return document;
}

export const MailedInputSchema = z.strictObject({
  caseId: CaseIdSchema,
  letterId: z.uuid(),
  /** The local (Québec) date the letter was posted. */
  mailedOn: AnswerByDateSchema,
});
export type MailedInput = z.infer<typeof MailedInputSchema>;

export interface MailedResult {
  readonly caseId: string;
  readonly letterId: string;
  readonly replayed: boolean;
  readonly mailedOn: string;
  /** Set when the letter carried the acknowledgement: the deadline counts the mailing date as sent. */
  readonly acknowledgementMetAt?: string;
}

/**
 * Records that staff posted a letter on `mailedOn` (`letter.mailed`). The legal clock counts the mailing
 * date as the sending date: a letter carrying the acknowledgement meets the acknowledgement deadline at the
 * end of that day (see `projectCase`), so one posted after its due date is a breach.
 *
 * Rules: the date is not in the future and not before the day the letter was prepared (422); a letter is
 * mailed once: the same request again replays it (200), another date for a mailed letter is refused (409).
 * Anyone who may act on the case may record it; on a closed case too (the letter may be posted after).
 *
 * @throws ValidationError, AccessDeniedError, CaseNotFoundError, LetterNotFoundError, BusinessRuleError,
 *   CaseStateConflictError, IdempotencyKeyReuseError
 */
export async function recordLetterMailed(
  deps: Pick<CommandDeps, 'ledger' | 'clock' | 'policy'>,
  identity: StaffIdentity,
  input: MailedInput,
  options: CommandOptions = {},
): Promise<MailedResult> {
  const { caseId, letterId, mailedOn } = parseOrThrow(MailedInputSchema, input, 'mailing record');
  const { projection, history, actor } = await loadCaseFor(deps, identity, 'mailed', caseId, options);
  const letter = findLetter(projection, letterId);
  const keys = await commandKeysOf({
    caseId,
    command: 'mailed',
    input: { letterId, mailedOn },
    history,
    ...(options.idempotencyKey !== undefined ? { clientKey: options.idempotencyKey } : {}),
  });
  const now = deps.clock.now();
  if (keys.recorded.size === 0) {
    if (letter.mailedOn !== undefined) {
      throw new CaseStateConflictError(
        'LETTER_ALREADY_MAILED',
        {
          fr: `Cette lettre a déjà été consignée comme mise à la poste le ${letter.mailedOn}.`,
          en: `This letter was already recorded as mailed on ${letter.mailedOn}.`,
        },
        { caseId, letterId, mailedOn: letter.mailedOn },
      );
    }
    const today = localDateOf(now);
    if (mailedOn > today) {
      throw new BusinessRuleError(
        'MAILED_IN_FUTURE',
        {
          fr: 'La date de mise à la poste ne peut pas être dans le futur.',
          en: 'The mailing date cannot be in the future.',
        },
        { mailedOn, today },
      );
    }
    const prepared = localDateOf(letter.preparedAt);
    if (mailedOn < prepared) {
      throw new BusinessRuleError(
        'MAILED_BEFORE_PREPARED',
        {
          fr: `La date de mise à la poste ne peut pas précéder la préparation de la lettre (${prepared}).`,
          en: `The mailing date cannot be before the letter was prepared (${prepared}).`,
        },
        { mailedOn, preparedOn: prepared },
      );
    }
  }
  const recorded = await recordOnce(
    deps.ledger,
    { caseId, keys, actor, at: now.toISOString() },
    'done',
    'letter.mailed',
    () => ({ letterId, mailedOn }),
  );
  const after = await deps.ledger.getCase(caseId);
  const metAt = letter.acknowledgement ? after?.deadlines.acknowledgement?.metAt : undefined;
  return {
    caseId,
    letterId,
    replayed: !recorded.appended,
    mailedOn: recorded.event.data.mailedOn,
    ...(metAt !== undefined ? { acknowledgementMetAt: metAt } : {}),
  };
}
