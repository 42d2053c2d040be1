import type { Category, Contact, Policy } from '../policy/schema';
import type { Language } from '../../templates/catalog';

/**
 * A contact as message lines: who, the postal address, then telephone, fax, email and web site, each given
 * only when the policy has it.
 */
export function contactLines(contact: Contact, language: Language): string {
  const labels =
    language === 'fr'
      ? { phone: 'Téléphone : ', fax: 'Télécopieur : ', email: 'Courriel : ', website: 'Site Web : ' }
      : { phone: 'Telephone: ', fax: 'Fax: ', email: 'Email: ', website: 'Website: ' };
  return [
    contact.role[language],
    ...(contact.addressLines ?? []),
    ...(contact.phone ? [`${labels.phone}${contact.phone}`] : []),
    ...(contact.fax ? [`${labels.fax}${contact.fax}`] : []),
    ...(contact.email ? [`${labels.email}${contact.email}`] : []),
    ...(contact.website ? [`${labels.website}${contact.website}`] : []),
  ].join('\n');
}

/** The organization's contact block (the complaints officer of the service statement), one item per line. */
export function contactBlock(policy: Policy, language: Language): string {
  return contactLines(policy.organization.contact, language);
}

/** Whom a requester contacts about a case, and the complaints officer when that is someone else. */
export interface CaseContacts {
  /** For questions about the case. */
  readonly contact: Contact;
  /** Set for a request whose unit has its own contact: the place to complain about the service, only that. */
  readonly complaintsOfficer?: Contact;
}

/**
 * Whom messages and pages about a case name. A complaint or a comment: the complaints officer. A request: the
 * unit that handles its category, for questions, and apart the complaints officer as the place to complain
 * about the service (the statement's « Responsable des plaintes »), never as the contact for the request
 * itself. A request category with no contact of its own gives the organization's contact alone.
 */
export function caseContacts(policy: Policy, category: Category): CaseContacts {
  if (category.kind !== 'request' || category.contact === undefined)
    return { contact: policy.organization.contact };
  return { contact: category.contact, complaintsOfficer: policy.organization.contact };
}

/**
 * The contact a message about a case gives (see `caseContacts`): the contact's block, then for a request one
 * line naming the complaints officer as the place to complain.
 */
export function caseContactBlock(policy: Policy, category: Category, language: Language): string {
  const { contact, complaintsOfficer: officer } = caseContacts(policy, category);
  if (officer === undefined) return contactLines(contact, language);
  const reach = [officer.email, officer.phone].filter((v): v is string => v !== undefined).join(', ');
  const complain =
    language === 'fr'
      ? `Pour formuler une plainte sur nos services : ${officer.role.fr}${reach ? `, ${reach}` : ''}`
      : `To complain about our services: ${officer.role.en}${reach ? `, ${reach}` : ''}`;
  return `${contactLines(contact, language)}\n\n${complain}`;
}
