import {
  EVIDENCE_KINDS_BY_CHANNEL,
  StaffEvidenceKindSchema,
  StaffIntakeChannelSchema,
} from '../../shared/domain/case/commands/intake';
import { LanguageBasisKindSchema } from '../../shared/domain/case/requester';
import { HOLDING_KINDS } from '../../shared/domain/intake/email/holding-pen';
import { DISMISS_REASONS } from '../../shared/domain/intake/email/holding-triage';
import type { Policy } from '../../shared/domain/policy/schema';
import { attributes, escapeHtml } from '../citizen/html';
import type { PageLanguage } from '../citizen/strings';
import { INTAKE_SCRIPT_TEXT_KEYS, INTAKE_STRINGS } from './intake-strings';
import type { IntakeStrings } from './intake-strings';
import { field, input, liveRegions, select, textarea } from './pages';
import type { StaffStrings } from './strings';

/** The intake and holding-pen words the scripts show, for the page's `<template id="staff-text">`. */
export function intakeScriptText(language: PageLanguage): readonly (readonly [string, string])[] {
  const text = INTAKE_STRINGS[language].script;
  return INTAKE_SCRIPT_TEXT_KEYS.map((key) => [key, text[key]] as const);
}

/** A group of radio buttons under a legend; `data-field` is the API's path, for the errors. */
function radios(
  form: string,
  name: string,
  legend: string,
  choices: readonly (readonly [string, string])[],
  options: { readonly checked?: string; readonly hint?: string; readonly fieldName?: string } = {},
): string {
  const hintId = options.hint !== undefined ? `${form}-${name}-hint` : undefined;
  const items = choices
    .map(
      ([value, label]) => `<div class="choice">
<input type="radio" id="${form}-${name}-${value}" name="${name}" value="${escapeHtml(value)}"${attributes({ checked: value === options.checked, 'aria-describedby': hintId })}>
<label for="${form}-${name}-${value}">${escapeHtml(label)}</label>
</div>`,
    )
    .join('\n');
  return `<fieldset class="field" data-field="${escapeHtml(options.fieldName ?? name)}">
<legend>${escapeHtml(legend)}</legend>
${hintId !== undefined ? `<p class="hint" id="${hintId}">${escapeHtml(options.hint ?? '')}</p>\n` : ''}${items}
</fieldset>`;
}

/** A select whose options say which channels they fit (`data-channels`): the script offers only those. */
function channelSelect(
  text: StaffStrings,
  options: { form: string; name: string; label: string; hint: string },
  choices: readonly {
    readonly value: string;
    readonly label: string;
    readonly channels: readonly string[];
    /** The channels this option is the usual choice of (preselected for them). */
    readonly defaultFor?: readonly string[];
  }[],
): string {
  return field(text, { ...options, required: true, control: 'select' }, (describedBy) => {
    const items = choices
      .map(
        (choice) =>
          `<option value="${escapeHtml(choice.value)}"${attributes({ 'data-channels': choice.channels.join(' '), 'data-default-for': choice.defaultFor?.join(' ') })}>${escapeHtml(choice.label)}</option>`,
      )
      .join('');
    return `<select id="{id}"${attributes({ name: options.name, required: true, 'aria-describedby': describedBy })}><option value="">${escapeHtml(text.choose)}</option>${items}</select>`;
  });
}

/**
 * The requester's fields (`requester.*` of `RequesterSchema`): name, language and, for English, its basis under
 * the Charter; how to write to them (email, postal address or none given) and a phone number.
 */
function requesterFields(text: StaffStrings, words: IntakeStrings, form: string): string {
  const basis = `<fieldset class="subfields" data-language-basis hidden>
<legend>${escapeHtml(words.basisLegend)}</legend>
${select(text, {
  form,
  name: 'requester.languageBasis.basis',
  label: words.basisKind,
  required: true,
  choices: LanguageBasisKindSchema.options.map((kind) => [kind, words.bases[kind]] as const),
})}
${input(text, { form, name: 'requester.languageBasis.attestedOn', label: words.attestedOn, required: true, type: 'date' })}
${input(text, { form, name: 'requester.languageBasis.arrivedOn', label: words.arrivedOn, hint: words.arrivedOnHint, required: false, type: 'date' })}
</fieldset>`;
  const postal = `<div class="subfields" data-contact-part="postal" hidden>
${textarea(text, { form, name: 'requester.postalAddress.lines', label: words.addressLines, hint: words.addressLinesHint, required: true, maxLength: 1000 })}
${input(text, { form, name: 'requester.postalAddress.municipality', label: words.municipality, required: true, type: 'text', maxLength: 100 })}
${input(text, { form, name: 'requester.postalAddress.province', label: words.province, required: false, type: 'text', maxLength: 100 })}
${input(text, { form, name: 'requester.postalAddress.postalCode', label: words.postalCode, required: false, type: 'text', maxLength: 20 })}
${input(text, { form, name: 'requester.postalAddress.country', label: words.country, hint: words.countryHint, required: true, type: 'text', maxLength: 2 })}
</div>`;
  return `<fieldset class="group">
<legend>${escapeHtml(words.requesterLegend)}</legend>
${input(text, { form, name: 'requester.name', label: words.requesterName, required: true, type: 'text', maxLength: 200 })}
${radios(
  form,
  'requester.language',
  words.requesterLanguage,
  [
    ['fr', words.languages.fr],
    ['en', words.languages.en],
  ],
  { checked: 'fr', hint: words.requesterLanguageHint },
)}
${basis}
${radios(
  form,
  'contact',
  words.contactLegend,
  (['email', 'postal', 'none'] as const).map((contact) => [contact, words.contacts[contact]] as const),
  { checked: 'email' },
)}
<div class="subfields" data-contact-part="email">
${input(text, { form, name: 'requester.email', label: words.email, required: true, type: 'email', maxLength: 254 })}
</div>
${postal}
<p class="hint" data-contact-part="none" hidden>${escapeHtml(words.contactNoneHint)}</p>
${input(text, { form, name: 'requester.phone', label: words.phone, required: false, type: 'tel', maxLength: 40 })}
</fieldset>`;
}

/**
 * The intake page: one form with every field of `POST /api/staff/intake`, the received-at in Québec time (the
 * registration time is the server's, said as such), the evidence kinds that fit the channel, the late-entry
 * confirmation shown only when the API asks for it, and the confirmation with the reference and the case.
 */
export function intakeMain(text: StaffStrings, policy: Policy, language: PageLanguage): string {
  const words = INTAKE_STRINGS[language];
  const form = 'intake';
  const channels = StaffIntakeChannelSchema.options;
  const categories = policy.categories.map((category) => ({
    value: category.id,
    label: category.name[language],
    channels: category.channels.filter((channel) => (channels as readonly string[]).includes(channel)),
  }));
  const evidence = StaffEvidenceKindSchema.options.map((kind) => ({
    value: kind,
    label: words.evidenceKinds[kind],
    channels: channels.filter((channel) => EVIDENCE_KINDS_BY_CHANNEL[channel].includes(kind)),
    defaultFor: channels.filter((channel) => EVIDENCE_KINDS_BY_CHANNEL[channel][0] === kind),
  }));
  return `<h1 id="intake-title" tabindex="-1">${escapeHtml(words.intakeTitle)}</h1>
<p>${escapeHtml(words.intakeIntro)}</p>
${liveRegions()}
<section id="intake-done" class="notice" aria-labelledby="intake-done-title" tabindex="-1" hidden>
<h2 id="intake-done-title">${escapeHtml(words.successTitle)}</h2>
<p id="intake-done-message" data-testid="intake-reference"></p>
<dl id="intake-done-facts" class="facts"></dl>
<ul id="intake-done-warnings"></ul>
<p><a id="intake-done-link" href="#" hidden></a></p>
<p><button type="button" id="intake-another">${escapeHtml(words.another)}</button></p>
</section>
<form id="intake-form" class="intake-form" novalidate>
<div class="form-error" id="intake-errors" tabindex="-1" data-form-error></div>
<fieldset class="group">
<legend>${escapeHtml(words.receiptLegend)}</legend>
${radios(
  form,
  'channel',
  words.channelLegend,
  channels.map((channel) => [channel, words.channels[channel]] as const),
  { checked: 'mail' },
)}
${channelSelect(text, { form, name: 'category', label: words.category, hint: words.categoryHint }, categories)}
${input(text, { form, name: 'receivedAt', label: words.receivedAt, hint: words.receivedAtHint, required: true, type: 'datetime-local' })}
<p class="hint">${escapeHtml(words.registeredAtNote)}</p>
${channelSelect(text, { form, name: 'evidence.kind', label: words.evidenceKind, hint: words.evidenceKindHint }, evidence)}
${input(text, { form, name: 'evidence.reference', label: words.evidenceReference, hint: words.evidenceReferenceHint, required: false, type: 'text', maxLength: 256 })}
${input(text, { form, name: 'evidence.note', label: words.evidenceNote, required: false, type: 'text', maxLength: 500 })}
</fieldset>
${requesterFields(text, words, form)}
<fieldset class="group">
<legend>${escapeHtml(words.requestLegend)}</legend>
${input(text, { form, name: 'subject', label: words.subject, required: true, type: 'text', maxLength: 300 })}
${textarea(text, { form, name: 'body', label: words.body, required: true, maxLength: 50_000 })}
</fieldset>
<div data-late-entry hidden>
<div class="field choice" data-field="confirmLateEntry">
<input type="checkbox" id="intake-confirmLateEntry" name="confirmLateEntry" value="true">
<label for="intake-confirmLateEntry">${escapeHtml(words.confirmLateEntry)}</label>
</div>
</div>
<button type="submit">${escapeHtml(words.submit)}</button>
</form>`;
}

/** One triage form of the holding pen, hidden until an item that may be triaged is shown. */
function triageForm(words: IntakeStrings, action: 'attach' | 'register' | 'dismiss', fields: string): string {
  return `<section class="action" aria-labelledby="held-${action}-title">
<h3 id="held-${action}-title">${escapeHtml(words.actions[action])}</h3>
<p class="hint">${escapeHtml(words.actionHints[action])}</p>
<form class="action-form" data-held-action="${action}" novalidate>
<div class="form-error" data-form-error></div>
${fields}
<button type="submit">${escapeHtml(words.actions[action])}</button>
</form>
</section>`;
}

/**
 * The holding-pen page: the filters (status, why held, order), the list a page at a time (the API's cursor),
 * one item's detail (sender, subject, receipt, why held, text, attachment names) and its triage forms:
 * attach to a case (id or reference), register as a new case, dismiss.
 */
export function holdingMain(text: StaffStrings, policy: Policy, language: PageLanguage): string {
  const words = INTAKE_STRINGS[language];
  const script = words.script;
  const option = (value: string, label: string, selected = false) =>
    `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
  const statuses = (['open', 'recorded', 'resolved'] as const)
    .map((status) => option(status, script[`holding.status.${status}`], status === 'open'))
    .join('');
  const kinds = HOLDING_KINDS.map((kind) => option(kind, script[`holding.kind.${kind}`])).join('');
  const orders = (['oldest', 'newest'] as const)
    .map((order) => option(order, words.orders[order], order === 'oldest'))
    .join('');
  const column = (key: keyof IntakeStrings['columns']) =>
    `<th scope="col">${escapeHtml(words.columns[key])}</th>`;
  const register = 'held-register';
  return `<h1 id="holding-title" tabindex="-1">${escapeHtml(words.holdingTitle)}</h1>
<p>${escapeHtml(words.holdingIntro)}</p>
<form id="holding-filters" class="filters" aria-labelledby="holding-filters-title">
<h2 id="holding-filters-title" class="visually-hidden">${escapeHtml(words.filtersTitle)}</h2>
<div class="field">
<label for="holding-status">${escapeHtml(words.status)}</label>
<select id="holding-status" name="status">${statuses}</select>
</div>
<div class="field">
<label for="holding-kind">${escapeHtml(words.kind)}</label>
<select id="holding-kind" name="kind">${option('', words.allKinds)}${kinds}</select>
</div>
<div class="field">
<label for="holding-order">${escapeHtml(words.order)}</label>
<select id="holding-order" name="order">${orders}</select>
</div>
<button type="submit">${escapeHtml(words.show)}</button>
</form>
${liveRegions()}
<div class="table-scroll" role="region" tabindex="0" aria-labelledby="holding-table-caption">
<table id="holding-table">
<caption id="holding-table-caption">${escapeHtml(words.tableCaption)}</caption>
<thead><tr>${column('receivedAt')}${column('kind')}${column('from')}${column('subject')}${column('attachments')}${column('status')}${column('open')}</tr></thead>
<tbody></tbody>
</table>
</div>
<p id="no-held" hidden>${escapeHtml(words.noItems)}</p>
<nav class="pager" aria-labelledby="holding-table-caption">
<button type="button" id="holding-previous" hidden>${escapeHtml(words.previousPage)}</button>
<span id="holding-page"></span>
<button type="button" id="holding-next" hidden>${escapeHtml(words.nextPage)}</button>
</nav>
<section id="held-view" aria-labelledby="held-title" hidden>
<h2 id="held-title" tabindex="-1"></h2>
<dl id="held-facts" class="facts"></dl>
<div id="held-message"></div>
<section id="held-actions" aria-labelledby="held-actions-title" hidden>
<h3 id="held-actions-title">${escapeHtml(words.actionsTitle)}</h3>
${triageForm(
  words,
  'attach',
  input(text, {
    form: 'held-attach',
    name: 'caseId',
    label: words.attachCase,
    hint: words.attachCaseHint,
    required: true,
    type: 'text',
    maxLength: 80,
  }),
)}
${triageForm(
  words,
  'register',
  [
    select(text, {
      form: register,
      name: 'category',
      label: words.category,
      required: true,
      choices: policy.categories
        .filter((category) => category.channels.includes('email'))
        .map((category) => [category.id, category.name[language]] as const),
    }),
    requesterFields(text, words, register),
    input(text, {
      form: register,
      name: 'subject',
      label: words.registerSubject,
      hint: words.registerSubjectHint,
      required: false,
      type: 'text',
      maxLength: 300,
    }),
    textarea(text, {
      form: register,
      name: 'body',
      label: words.registerBody,
      hint: words.registerBodyHint,
      required: false,
      maxLength: 50_000,
    }),
  ].join('\n'),
)}
${triageForm(
  words,
  'dismiss',
  [
    select(text, {
      form: 'held-dismiss',
      name: 'reason',
      label: words.dismissReason,
      required: true,
      choices: DISMISS_REASONS.map((reason) => [reason, words.dismissReasons[reason]] as const),
    }),
    input(text, {
      form: 'held-dismiss',
      name: 'note',
      label: words.dismissNote,
      hint: words.dismissNoteHint,
      required: false,
      type: 'text',
      maxLength: 500,
    }),
  ].join('\n'),
)}
</section>
</section>`;
}

/**
 * The nav links of the two pages, for the staff header. Registering a request is for those who handle cases
 * (`registerStaffIntake`): the script offers that link to them only; every staff role may look at the holding pen.
 */
export function intakeNavLinks(language: PageLanguage, prefix: string): string {
  const words = INTAKE_STRINGS[language];
  return `<li data-roles="agent supervisor complaints-officer"><a href="${prefix}/staff/intake">${escapeHtml(words.intakeLink)}</a></li>
<li><a href="${prefix}/staff/holding">${escapeHtml(words.holdingLink)}</a></li>`;
}
