import type { Language } from '../../templates/catalog';
import { renderTemplate } from '../../templates/render';
import type { Category, Policy } from '../policy/schema';
import { contactLines } from './values';

/**
 * The referral paragraphs a complaint or a comment ends with, as plain text in the requester's language:
 * - every answer to a complaint or a comment (and the message that ends a dissatisfaction review) gives the
 *   whole Protecteur du citoyen referral of the service statement, every value read from the policy
 *   (`complaintProcedure.ombudsman`): telephone, web site, postal address, fax and email;
 * - a category referred to the AMP (public-contract complaints) gives the AMP paragraph first;
 * - a category with a Protecteur du citoyen referral of its own introduces it with its own sentence.
 * A request gets no referral (empty string: the answer cover leaves the paragraph out), except at the end of
 * a dissatisfaction review (`afterDissatisfaction`), where any requester is told of the Protecteur du citoyen.
 */
export function referralFor(
  policy: Policy,
  category: Category,
  language: Language,
  reference: string,
  afterDissatisfaction = false,
): string {
  const paragraphs: string[] = [];
  if (category.referral?.to === 'amp') {
    paragraphs.push(renderTemplate('amp-referral', language, { reference }).text.trim());
  }
  const ombudsman = policy.complaintProcedure?.ombudsman;
  const refersToOmbudsman =
    afterDissatisfaction || category.kind !== 'request' || category.referral?.to === 'protecteur-du-citoyen';
  if (ombudsman !== undefined && refersToOmbudsman) {
    const intro = category.referral?.to === 'protecteur-du-citoyen' ? category.referral.text : ombudsman.text;
    paragraphs.push(
      renderTemplate('protecteur-referral', language, {
        reference,
        referralText: intro[language],
        office: contactLines(ombudsman.contact, language),
      }).text.trim(),
    );
  }
  return paragraphs.join('\n\n');
}
