import { createHash } from 'node:crypto';

import { renderMessage, type TemplateRequest } from '../../templates/render';
import type { Language } from '../../templates/catalog';
import type { PostalAddress } from '../case/requester';
import type { Actor } from '../ledger/events';
import type { CaseLedger } from '../ledger/ports';
import type { CaseProjection } from '../ledger/projection';
import { instantDateInWords } from '../time/date-in-words';
import type { Policy } from '../policy/schema';
import type { LetterDeps, PrintableLetter } from './ports';

/**
 * The id of the letter that carries a message: derived from the case and the message id, so that a retry
 * after a crash prepares the same letter (same document key, same ledger record) instead of a second one.
 */
export function letterIdOf(caseId: string, messageId: string): string {
  const hex = createHash('sha256').update(`${caseId}\n${messageId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * What a letter to the requester shows: the letterhead of the policy, the date, the requester's name, the
 * subject and the body, all rendered from the same template as the email, so that letter and email say the
 * same (reference, dates, deadline statement, contact and referral blocks).
 */
export function printableLetter(
  policy: Policy,
  projection: CaseProjection,
  request: TemplateRequest,
  at: string,
): PrintableLetter {
  const language: Language = request.language;
  const rendered = renderMessage(request);
  const organization = policy.organization;
  const letterhead = organization.letterhead;
  const head = letterhead
    ? [letterhead.name[language], ...letterhead.addressLines]
    : [organization.name[language], ...(organization.contact.addressLines ?? [])];
  const date = instantDateInWords(at, language);
  const place = letterhead?.place;
  const dateLine =
    place === undefined ? date : language === 'fr' ? `${place}, le ${date}` : `${place}, ${date}`;
  return {
    language,
    letterhead: head,
    dateLine,
    addressee: [projection.requester.name, ...addressLines(projection.requester.postalAddress)],
    subjectLine: `${language === 'fr' ? 'Objet\u00a0: ' : 'Subject: '}${rendered.subject}`,
    body: rendered.text,
  };
}

/**
 * The envelope lines of a postal address (Canada Post order: street lines, then « municipality province
 * postal code », then the country when it is not Canada).
 */
function addressLines(address: PostalAddress | undefined): string[] {
  if (address === undefined) return [];
  const locality = [address.municipality, address.province, address.postalCode]
    .filter((part): part is string => part !== undefined && part !== '')
    .join(' ');
  return [...address.lines, locality, ...(address.country === 'CA' ? [] : [address.country])];
}

/**
 * A message to a requester without email becomes a letter: rendered (PDF), stored, then recorded
 * (`letter.prepared`, keyed by `idempotencyKey`), which puts a "to mail" task on the work list until staff
 * record the mailing. Idempotent: a letter already recorded for the key is returned as is; a retry after a
 * crash between the store and the record writes the same document again under the same id.
 */
export async function prepareLetter(
  deps: { readonly ledger: CaseLedger; readonly letters: LetterDeps; readonly policy: Policy },
  context: {
    readonly projection: CaseProjection;
    readonly actor: Actor;
    readonly at: string;
    readonly messageId: string;
    readonly idempotencyKey: string;
  },
  request: TemplateRequest,
): Promise<{ letterId: string }> {
  const { projection, messageId } = context;
  const caseId = projection.caseId;
  const recorded = (await deps.ledger.read(caseId)).find(
    (e) => e.type === 'letter.prepared' && e.idempotencyKey === context.idempotencyKey,
  );
  if (recorded?.type === 'letter.prepared') return { letterId: recorded.data.letterId };
  const letterId = letterIdOf(caseId, messageId);
  const document = await deps.letters.renderer.render(
    printableLetter(deps.policy, projection, request, context.at),
  );
  await deps.letters.store.put(caseId, letterId, document);
  await deps.ledger.append(
    caseId,
    {
      type: 'letter.prepared',
      at: context.at,
      actor: context.actor,
      data: { letterId, messageId, template: request.template, language: request.language },
    },
    { idempotencyKey: context.idempotencyKey },
  );
  return { letterId };
}
