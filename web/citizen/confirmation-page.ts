import { webCategories } from '../../shared/domain/intake/form/submit';
import { caseContacts } from '../../shared/domain/messaging/values';
import { bundledSctPolicy } from '../../shared/domain/policy/sct-bundled';
import type { Category, Contact, Policy } from '../../shared/domain/policy/schema';
import { longDateEn, longDateFr, timeEn, timeFr } from '../../shared/domain/time/explain';
import { parseLocalDate } from '../../shared/domain/time/local-date';
import { toLocal } from '../../shared/domain/time/zone';
import { attributes, escapeHtml } from './html';
import { renderLayout } from './layout';
import { FORM_HOME, STATEMENT_PAGE } from './site';
import { CITIZEN_STRINGS, STATEMENT_STRINGS, type CitizenStrings, type PageLanguage } from './strings';

let sctPolicy: Policy | undefined;

/** The policy the pages show when the caller gives none: the bundled SCT policy, loaded once. */
export function defaultPolicy(): Policy {
  sctPolicy ??= bundledSctPolicy();
  return sctPolicy;
}

export interface ConfirmationPageOptions {
  readonly language: PageLanguage;
  readonly reference: string;
  /** The case's category id: it decides whom the page gives as the contact (`caseContacts`). */
  readonly category: string;
  /** Québec date of the acknowledgement deadline; null when the category promises no acknowledgement. */
  readonly acknowledgementDueDate: string | null;
  /** The deadline instant: its time is shown when it is not the end of the day (delays in working hours). */
  readonly acknowledgementDueAt?: string | null;
  /** Complaints and comments are handled confidentially by the complaints officer. */
  readonly confidential?: boolean;
  readonly policy?: Policy;
}

/** What the confirmation says; `'template'` renders every variant with empty slots for `form.js` to fill. */
export type ConfirmationSlots =
  | {
      readonly reference: string;
      /** The case's category id (decides the contact). */
      readonly category: string;
      /** « lundi 11 janvier 2027 » (with the time for a deadline inside a day); null without a commitment. */
      readonly acknowledgementWhen: string | null;
      readonly confidential: boolean;
    }
  | 'template';

const LAST_MINUTE_OF_DAY = 24 * 60 - 1;

/**
 * When the acknowledgement is due, as the person reads it: « lundi 11 janvier 2027 », or with the time when
 * the deadline falls inside the day (« vendredi 18 décembre 2026 à 14 h 30 »; delays in working hours).
 */
export function acknowledgementWhen(language: PageLanguage, dueDate: string, dueAt?: string | null): string {
  const day = parseLocalDate(dueDate);
  const date = language === 'fr' ? longDateFr(day) : longDateEn(day);
  if (dueAt === undefined || dueAt === null) return date;
  const local = toLocal(dueAt);
  if (local.day !== day || local.minuteOfDay >= LAST_MINUTE_OF_DAY) return date;
  const time = language === 'fr' ? timeFr(local.minuteOfDay) : timeEn(local.minuteOfDay);
  return `${date} ${CITIZEN_STRINGS[language].at} ${time}`;
}

function slot(name: string, value: string): string {
  return `<span data-slot="${name}">${escapeHtml(value)}</span>`;
}

/** A paragraph shown in one variant; in the template every variant is there, marked for `form.js`. */
function variant(condition: string, shown: boolean | 'template', content: string): string {
  if (shown === false) return '';
  return `<p${attributes({ 'data-if': shown === 'template' ? condition : undefined })}>${content}</p>\n`;
}

/** A contact's telephone (tel: link) and email (mailto: link), each given only when the policy has it. */
function reachLines(contact: Contact, text: CitizenStrings): string[] {
  return [
    contact.phone !== undefined
      ? `${escapeHtml(text.contactPhone)} <a href="tel:${escapeHtml(contact.phone.replace(/[^0-9+]/g, ''))}">${escapeHtml(contact.phone)}</a>`
      : undefined,
    contact.email !== undefined
      ? `${escapeHtml(text.contactEmail)} <a href="mailto:${escapeHtml(contact.email)}">${escapeHtml(contact.email)}</a>`
      : undefined,
  ].filter((line) => line !== undefined);
}

/**
 * Whom to contact about the case (`caseContacts`, the rule of the messages): for a request, its unit for
 * questions, then apart the complaints officer only as the place to complain; for a complaint or a comment,
 * the complaints officer. A category the policy does not have gives the organization's contact.
 */
function contactParagraphs(
  language: PageLanguage,
  policy: Policy,
  category: Category | undefined,
  shown: true | 'template',
): string {
  const text = CITIZEN_STRINGS[language];
  const { contact, complaintsOfficer } =
    category !== undefined ? caseContacts(policy, category) : { contact: policy.organization.contact };
  const condition = `contact-${category?.id ?? ''}`;
  const questions = [
    escapeHtml(text.contactIntro),
    escapeHtml(contact.role[language]),
    ...reachLines(contact, text),
  ].join('<br>\n');
  const complain =
    complaintsOfficer === undefined
      ? ''
      : variant(
          condition,
          shown,
          [
            `${escapeHtml(text.complainTo)} ${escapeHtml(complaintsOfficer.role[language])}`,
            ...reachLines(complaintsOfficer, text),
          ].join('<br>\n'),
        );
  return `${variant(condition, shown, questions)}${complain}`;
}

/**
 * The body of the confirmation: the case reference, what happens next (the confirmation email, the
 * acknowledgement commitment with its due date, confidentiality), whom to contact about the case (its unit for
 * a request, the complaints officer for a complaint or a comment), and a link to send another request. The same
 * markup serves the confirmation page and the template `form.js` fills; the template holds the contact of
 * every web category (`data-if="contact-<category id>"`) and `form.js` keeps the chosen one's.
 */
export function confirmationContent(
  language: PageLanguage,
  slots: ConfirmationSlots,
  policy: Policy,
): string {
  const text = CITIZEN_STRINGS[language];
  const template = slots === 'template';
  const reference = template ? '' : slots.reference;
  const when = template ? '' : (slots.acknowledgementWhen ?? '');
  const hasAck: boolean | 'template' = template ? 'template' : slots.acknowledgementWhen !== null;
  const confidential: boolean | 'template' = template ? 'template' : slots.confidential;
  const noAck: boolean | 'template' = template ? 'template' : !hasAck;
  const contacts = template
    ? webCategories(policy)
        .map((category) => contactParagraphs(language, policy, category, 'template'))
        .join('')
    : contactParagraphs(
        language,
        policy,
        policy.categories.find((category) => category.id === slots.category),
        true,
      );
  return `<h1 id="confirmation-title" tabindex="-1">${escapeHtml(text.confirmationTitle)}</h1>
<div class="panel">
<p class="panel-label">${escapeHtml(text.referenceLabel)}</p>
<p class="reference"><strong data-slot="reference">${escapeHtml(reference)}</strong></p>
</div>
<p>${escapeHtml(text.keepReference)}</p>
<h2>${escapeHtml(text.nextTitle)}</h2>
<p>${escapeHtml(text.emailReceipt)}</p>
${variant('ack', hasAck, `${escapeHtml(text.acknowledgementBefore)} <strong>${slot('acknowledgement-when', when)}</strong>. ${escapeHtml(text.acknowledgementAfter)}`)}${variant('no-ack', noAck, escapeHtml(text.noAcknowledgement))}${variant('confidential', confidential, escapeHtml(text.confidential))}<h2>${escapeHtml(text.contactTitle)}</h2>
${contacts}<p><a href="${STATEMENT_PAGE[language]}">${escapeHtml(STATEMENT_STRINGS[language].link)}</a></p>
<p><a href="${FORM_HOME[language]}">${escapeHtml(text.anotherRequest)}</a></p>`;
}

/**
 * The page a browser without JavaScript gets after a successful submission (201, or 200 for a replay): the
 * reference and what happens next, including « Vous recevrez un accusé de réception au plus tard le lundi
 * 11 janvier 2027. »
 */
export function renderConfirmationPage(options: ConfirmationPageOptions): string {
  const policy = options.policy ?? defaultPolicy();
  const { language } = options;
  const main = confirmationContent(
    language,
    {
      reference: options.reference,
      category: options.category,
      acknowledgementWhen:
        options.acknowledgementDueDate === null
          ? null
          : acknowledgementWhen(language, options.acknowledgementDueDate, options.acknowledgementDueAt),
      confidential: options.confidential ?? false,
    },
    policy,
  );
  return renderLayout({
    language,
    policy,
    title: CITIZEN_STRINGS[language].confirmationTitle,
    main,
    script: false,
  });
}
