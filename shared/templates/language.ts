import type { Requester } from '../domain/case/requester';
import { TEMPLATE_AUDIENCE } from './catalog';
import type { Language, TemplateId } from './catalog';

/** What the language rule needs from a requester record. */
export type RequesterLanguage = Pick<Requester, 'language' | 'languageBasis'>;

/**
 * The language of a message to a citizen: French, unless the requester's record is English with the language
 * basis that allows it (Charte de la langue française, art. 22.3 and the acquired right). English is never
 * "on request": a record that says English without a basis still gets French.
 */
export function citizenLanguage(requester: RequesterLanguage): Language {
  return requester.language === 'en' && requester.languageBasis !== undefined ? 'en' : 'fr';
}

/**
 * The language of a message by its audience: citizen messages follow `citizenLanguage` (French when there is
 * no requester record); staff and operations messages are always French (the Charte, art. 18.1: staff use
 * French among themselves).
 */
export function templateLanguage(template: TemplateId, requester?: RequesterLanguage): Language {
  if (TEMPLATE_AUDIENCE[template] !== 'citizen' || requester === undefined) return 'fr';
  return citizenLanguage(requester);
}
