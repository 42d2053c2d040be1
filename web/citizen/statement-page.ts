import type { Contact, Policy } from '../../shared/domain/policy/schema';
import type { Delay } from '../../shared/domain/time/types';
import { defaultPolicy } from './confirmation-page';
import { escapeHtml } from './html';
import { renderLayout } from './layout';
import { FORM_HOME, STATEMENT_PAGE } from './site';
import { STATEMENT_STRINGS, type PageLanguage, type StatementStrings } from './strings';

export interface StatementPageOptions {
  readonly language: PageLanguage;
  readonly policy?: Policy;
}

/**
 * The service statement page, from the policy data: the services (categories handled by staff, with their
 * description and their unit's address), the commitments of each (acknowledgement and answer delays), and how
 * to complain (the complaint and comment categories, the complaints officer's contact, the complaints policy
 * link, and the Protecteur du citoyen referral with every way to reach it). Nothing of the organization is
 * written here: a change in the policy file is a change of the page.
 */
export function renderStatementPage(options: StatementPageOptions): string {
  const policy = options.policy ?? defaultPolicy();
  const { language } = options;
  const text = STATEMENT_STRINGS[language];
  const services = policy.categories.filter((c) => c.routing.handlerRole === 'staff');
  const complaints = policy.categories.filter((c) => c.routing.handlerRole === 'complaints-officer');
  const procedure = policy.complaintProcedure;

  const serviceItems = services
    .map((category) => {
      const unitEmail = category.contact?.email;
      const write =
        unitEmail !== undefined
          ? `<br>\n${escapeHtml(text.writeTo)} <a href="mailto:${escapeHtml(unitEmail)}">${escapeHtml(unitEmail)}</a>`
          : '';
      return `<li><strong>${escapeHtml(category.name[language])}</strong><br>\n${escapeHtml(category.description[language])}${write}</li>`;
    })
    .join('\n');
  const commitmentItems = services
    .map((category) => {
      const ack = category.acknowledgement
        ? text.acknowledgement(delayText(category.acknowledgement.delay, text))
        : text.noAcknowledgement;
      const answer = text.answer(delayText(category.answer.standardDelay, text));
      return `<li><strong>${escapeHtml(category.name[language])}</strong>\u00a0: ${escapeHtml(ack)}; ${escapeHtml(answer)}.</li>`;
    })
    .join('\n');
  const complaintItems = complaints
    .map(
      (category) =>
        `<li><strong>${escapeHtml(category.name[language])}</strong><br>\n${escapeHtml(category.description[language])}</li>`,
    )
    .join('\n');
  const policyLink =
    procedure?.complaintsPolicy !== undefined
      ? `<p><a href="${escapeHtml(httpsUrl(procedure.complaintsPolicy))}">${escapeHtml(text.complaintsPolicy)}</a></p>\n`
      : '';
  const ombudsman =
    procedure !== undefined
      ? `<h3>${escapeHtml(text.ombudsmanTitle)}</h3>
<p>${escapeHtml(procedure.ombudsman.text[language])}</p>
${contactHtml(procedure.ombudsman.contact, language, text)}
`
      : '';

  const main = `<h1>${escapeHtml(text.title)}</h1>
<p class="lead">${escapeHtml(text.intro)}</p>
<h2>${escapeHtml(text.servicesTitle)}</h2>
<p>${escapeHtml(text.servicesIntro)}</p>
<ul>
${serviceItems}
</ul>
<h2>${escapeHtml(text.commitmentsTitle)}</h2>
<ul>
${commitmentItems}
</ul>
<h2>${escapeHtml(text.complainTitle)}</h2>
<p>${escapeHtml(text.complainIntro)}</p>
<ul>
${complaintItems}
</ul>
<h3>${escapeHtml(text.complaintsOfficerTitle)}</h3>
${contactHtml(policy.organization.contact, language, text)}
${policyLink}${ombudsman}<p><a href="${FORM_HOME[language]}">${escapeHtml(text.toForm)}</a></p>`;
  return renderLayout({
    language,
    policy,
    title: text.title,
    main,
    script: false,
    alternate: STATEMENT_PAGE[language === 'fr' ? 'en' : 'fr'],
  });
}

/** « 10 jours ouvrables » / "10 business days". */
function delayText(delay: Delay, text: StatementStrings): string {
  return `${delay.amount} ${text.delayUnits[delay.unit]}`;
}

/** A contact as an `<address>`: address lines, then telephone and fax (tel: links), email and web site. */
function contactHtml(contact: Contact, language: PageLanguage, text: StatementStrings): string {
  const lines = [
    `<strong>${escapeHtml(contact.role[language])}</strong>`,
    ...(contact.addressLines ?? []).map(escapeHtml),
    ...(contact.phone !== undefined
      ? [`${escapeHtml(text.phone)} <a href="tel:${telOf(contact.phone)}">${escapeHtml(contact.phone)}</a>`]
      : []),
    ...(contact.fax !== undefined ? [`${escapeHtml(text.fax)} ${escapeHtml(contact.fax)}`] : []),
    ...(contact.email !== undefined
      ? [
          `${escapeHtml(text.email)} <a href="mailto:${escapeHtml(contact.email)}">${escapeHtml(contact.email)}</a>`,
        ]
      : []),
    ...(contact.website !== undefined
      ? [
          `${escapeHtml(text.website)} <a href="${escapeHtml(httpsUrl(contact.website))}">${escapeHtml(contact.website)}</a>`,
        ]
      : []),
  ];
  return `<address>${lines.join('<br>\n')}</address>`;
}

/** A `tel:` target: the digits (and a leading +) of a phone number as printed. */
function telOf(phone: string): string {
  return escapeHtml(phone.replace(/[^0-9+]/g, ''));
}

/** A policy web address (`www.example.ca` or `https://…`) as an https link. */
function httpsUrl(address: string): string {
  return /^https:\/\//i.test(address) ? address : `https://${address}`;
}
