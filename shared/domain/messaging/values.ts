import type { Policy } from '../policy/schema';
import { longDateEn, longDateFr } from '../time/explain';
import { parseLocalDate } from '../time/local-date';
import { localDateOf } from '../time/local-date-of';
import type { Language } from '../../templates/catalog';

/** A local date in words for a message: « lundi 11 janvier 2027 » / "Monday, January 11, 2027". */
export function dateInWords(localDate: string, language: Language): string {
  const day = parseLocalDate(localDate);
  return language === 'fr' ? longDateFr(day) : longDateEn(day);
}

/** The local (Québec) date of an instant, in words. */
export function instantDateInWords(instant: string, language: Language): string {
  return dateInWords(localDateOf(instant), language);
}

/** The organization's contact block, one item per line, as the acknowledgement must state a contact. */
export function contactBlock(policy: Policy, language: Language): string {
  const contact = policy.organization.contact;
  const labels =
    language === 'fr'
      ? { phone: 'Téléphone : ', email: 'Courriel : ', website: 'Site Web : ' }
      : { phone: 'Telephone: ', email: 'Email: ', website: 'Website: ' };
  return [
    contact.role[language],
    ...(contact.addressLines ?? []),
    ...(contact.phone ? [`${labels.phone}${contact.phone}`] : []),
    ...(contact.email ? [`${labels.email}${contact.email}`] : []),
    ...(contact.website ? [`${labels.website}${contact.website}`] : []),
  ].join('\n');
}
