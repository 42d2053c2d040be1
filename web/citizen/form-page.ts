import { LanguageBasisKindSchema } from '../../shared/domain/case/requester';
import { webCategories } from '../../shared/domain/intake/form/submit';
import type { Policy } from '../../shared/domain/policy/schema';
import { FORM_FIELDS, type FormField } from '../../shared/schemas/form';
import { confirmationContent, defaultPolicy } from './confirmation-page';
import { attributes, escapeHtml } from './html';
import { renderLayout } from './layout';
import { FORM_ACTION, STATEMENT_PAGE } from './site';
import { CITIZEN_STRINGS, STATEMENT_STRINGS, type CitizenStrings, type PageLanguage } from './strings';

/** What the person typed, as posted (strings only), to show again with the errors. */
export type FormValues = Partial<Record<FormField, string>>;

/** One refused field with its message in the page's language; `field` '' (or unknown) is about the request. */
export interface FormPageError {
  readonly field: string;
  readonly message: string;
}

export interface FormPageOptions {
  readonly language: PageLanguage;
  readonly values?: FormValues;
  readonly errors?: readonly FormPageError[];
  /** The policy whose web categories are offered; the bundled SCT policy when absent. */
  readonly policy?: Policy;
}

/** Everything a field renderer needs about the current submission. */
interface FieldContext {
  readonly text: CitizenStrings;
  readonly values: FormValues;
  readonly errors: ReadonlyMap<string, readonly string[]>;
}

const ids = {
  field: (field: string) => `field-${field}`,
  hint: (field: string) => `hint-${field}`,
  error: (field: string) => `error-${field}`,
  choice: (field: string, value: string) => `field-${field}-${value}`,
  choiceHint: (field: string, value: string) => `hint-${field}-${value}`,
};

function marker(text: CitizenStrings, required: boolean): string {
  return ` <span class="marker">(${escapeHtml(required ? text.required : text.optional)})</span>`;
}

function errorMessages(context: FieldContext, field: FormField): string {
  const messages = context.errors.get(field) ?? [];
  return messages
    .map(
      (message) =>
        `<p class="error-message" id="${ids.error(field)}"><span class="visually-hidden">${escapeHtml(context.text.errorPrefix)} </span>${escapeHtml(message)}</p>\n`,
    )
    .join('');
}

function describedBy(...idList: (string | undefined)[]): string | undefined {
  const present = idList.filter((id) => id !== undefined);
  return present.length > 0 ? present.join(' ') : undefined;
}

interface TextFieldSpec {
  readonly field: FormField;
  readonly label: string;
  /** `conditional`: required in some cases only, which the hint explains (no marker). */
  readonly required: boolean | 'conditional';
  readonly hint?: string;
  readonly type?: 'text' | 'email' | 'tel' | 'date';
  readonly autocomplete?: string;
  readonly multiline?: boolean;
  readonly spellcheck?: boolean;
  readonly inputmode?: string;
}

/**
 * A labelled input: label (with its required or optional marker in words), hint, error message, then the
 * control, which points at its hint and error (`aria-describedby`) and says when it is invalid.
 */
function textField(context: FieldContext, spec: TextFieldSpec): string {
  const { field } = spec;
  const invalid = context.errors.has(field);
  const hintId = spec.hint !== undefined ? ids.hint(field) : undefined;
  const control = {
    class: spec.multiline ? 'textarea' : 'input',
    id: ids.field(field),
    name: field,
    autocomplete: spec.autocomplete,
    required: spec.required === true,
    spellcheck: spec.spellcheck === false ? 'false' : undefined,
    inputmode: spec.inputmode,
    'aria-describedby': describedBy(hintId, invalid ? ids.error(field) : undefined),
    'aria-invalid': invalid ? 'true' : undefined,
  };
  const value = context.values[field] ?? '';
  const input = spec.multiline
    ? `<textarea${attributes({ ...control, rows: '10' })}>${escapeHtml(value)}</textarea>`
    : `<input${attributes({ ...control, type: spec.type ?? 'text', value })}>`;
  return `<div class="field${invalid ? ' field-invalid' : ''}" data-field="${field}">
<label class="label" for="${ids.field(field)}">${escapeHtml(spec.label)}${spec.required === 'conditional' ? '' : marker(context.text, spec.required)}</label>
${spec.hint !== undefined ? `<p class="hint" id="${hintId}">${escapeHtml(spec.hint)}</p>\n` : ''}${errorMessages(context, field)}${input}
</div>
`;
}

interface Choice {
  readonly value: string;
  readonly label: string;
  readonly hint?: string;
  readonly data?: Readonly<Record<string, string>>;
  readonly lang?: string;
}

/** A radio group: a fieldset whose legend is the question, one labelled radio per choice, with its hint. */
function radioGroup(
  context: FieldContext,
  spec: {
    readonly field: FormField;
    readonly legend: string;
    readonly required: boolean;
    readonly hint?: string;
    readonly choices: readonly Choice[];
    readonly checked: string | undefined;
  },
): string {
  const { field } = spec;
  const invalid = context.errors.has(field);
  const hintId = spec.hint !== undefined ? ids.hint(field) : undefined;
  const radios = spec.choices
    .map((choice) => {
      const choiceHint = choice.hint !== undefined ? ids.choiceHint(field, choice.value) : undefined;
      const data = Object.fromEntries(
        Object.entries(choice.data ?? {}).map(([key, value]) => [`data-${key}`, value]),
      );
      return `<div class="choice">
<input${attributes({
        class: 'radio',
        type: 'radio',
        id: ids.choice(field, choice.value),
        name: field,
        value: choice.value,
        checked: spec.checked === choice.value,
        required: spec.required,
        'aria-describedby': describedBy(choiceHint, invalid ? ids.error(field) : undefined),
        'aria-invalid': invalid ? 'true' : undefined,
        ...data,
      })}>
<label class="choice-label" for="${ids.choice(field, choice.value)}"${attributes({ lang: choice.lang })}>${escapeHtml(choice.label)}</label>
${choiceHint !== undefined ? `<p class="hint choice-hint" id="${choiceHint}">${escapeHtml(choice.hint ?? '')}</p>\n` : ''}</div>`;
    })
    .join('\n');
  return `<fieldset class="field${invalid ? ' field-invalid' : ''}" data-field="${field}"${attributes({ 'aria-describedby': hintId })}>
<legend class="label">${escapeHtml(spec.legend)}${marker(context.text, spec.required)}</legend>
${spec.hint !== undefined ? `<p class="hint" id="${hintId}">${escapeHtml(spec.hint)}</p>\n` : ''}${errorMessages(context, field)}<div class="choices">
${radios}
</div>
</fieldset>
`;
}

function basisSelect(context: FieldContext): string {
  const field = 'languageBasis';
  const invalid = context.errors.has(field);
  const selected = context.values.languageBasis ?? '';
  const options = [
    `<option value=""${attributes({ selected: selected === '' })}>${escapeHtml(context.text.languageBasisPlaceholder)}</option>`,
    ...LanguageBasisKindSchema.options.map(
      (basis) =>
        `<option${attributes({ value: basis, selected: selected === basis })}>${escapeHtml(context.text.languageBases[basis])}</option>`,
    ),
  ].join('\n');
  return `<div class="field${invalid ? ' field-invalid' : ''}" data-field="${field}">
<label class="label" for="${ids.field(field)}">${escapeHtml(context.text.languageBasis)}</label>
${errorMessages(context, field)}<select${attributes({
    class: 'select',
    id: ids.field(field),
    name: field,
    'aria-describedby': invalid ? ids.error(field) : undefined,
    'aria-invalid': invalid ? 'true' : undefined,
  })}>
${options}
</select>
</div>
`;
}

function attestationCheckbox(context: FieldContext): string {
  const field = 'attestation';
  const invalid = context.errors.has(field);
  const value = context.values.attestation;
  const checked = value === 'yes' || value === 'on' || value === 'true';
  return `<div class="field${invalid ? ' field-invalid' : ''}" data-field="${field}">
${errorMessages(context, field)}<div class="choice">
<input${attributes({
    class: 'checkbox',
    type: 'checkbox',
    id: ids.field(field),
    name: field,
    value: 'yes',
    checked,
    'aria-describedby': invalid ? ids.error(field) : undefined,
    'aria-invalid': invalid ? 'true' : undefined,
  })}>
<label class="choice-label" for="${ids.field(field)}">${escapeHtml(context.text.attestation)}</label>
</div>
</div>
`;
}

/**
 * The trap field (`website`): off-screen, out of the tab order, no autofill, hidden from assistive technology,
 * labelled « Laissez ce champ vide ». Once it holds something (refused, or sent back with other errors), it is
 * shown like any other field, so that a person whose browser filled it can see it and empty it.
 */
function honeypot(context: FieldContext): string {
  const field = 'website';
  const value = context.values.website ?? '';
  if (context.errors.has(field) || value.trim() !== '') {
    return textField(context, {
      field,
      label: context.text.honeypot,
      required: 'conditional',
      autocomplete: 'off',
    });
  }
  return `<div class="trap" data-field="${field}" aria-hidden="true">
<label for="${ids.field(field)}">${escapeHtml(context.text.honeypot)}</label>
<input${attributes({ type: 'text', id: ids.field(field), name: field, tabindex: '-1', autocomplete: 'off', value })}>
</div>
`;
}

/** Where an error summary link goes: the field's control (the first radio of a group). */
function anchorOf(field: string, policy: Policy): string | undefined {
  if (field === 'category') {
    const first = webCategories(policy)[0];
    return first === undefined ? undefined : ids.choice('category', first.id);
  }
  if (field === 'language') return ids.choice('language', 'fr');
  return (FORM_FIELDS as readonly string[]).includes(field) ? ids.field(field) : undefined;
}

/**
 * The error summary at the top: a focusable region (focused on load) titled with the number of errors, one
 * link per error to its field, in the order of the page; errors about the request as a whole are listed
 * without a link.
 */
function errorSummary(text: CitizenStrings, errors: readonly FormPageError[], policy: Policy): string {
  if (errors.length === 0) return '';
  // Errors about the request as a whole (not a field) come first.
  const order = (field: string) => (FORM_FIELDS as readonly string[]).indexOf(field);
  const sorted = [...errors].sort((a, b) => order(a.field) - order(b.field));
  const items = sorted
    .map((error) => {
      const anchor = anchorOf(error.field, policy);
      return anchor === undefined
        ? `<li>${escapeHtml(error.message)}</li>`
        : `<li><a href="#${anchor}">${escapeHtml(error.message)}</a></li>`;
    })
    .join('\n');
  return `<div class="error-summary" id="error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="error-summary-title">
<h2 id="error-summary-title">${escapeHtml(text.summaryTitle(errors.length))}</h2>
<ul>
${items}
</ul>
</div>
`;
}

/**
 * The citizen form (French at `/`, English at `/en/`), the same markup for the static page and for the
 * Lambda's answers to a browser without JavaScript (values kept, errors next to each field and summarised at
 * the top). It posts URL-encoded to `/api/requests?lang=<page language>`; `form.js`, when it runs, posts JSON
 * instead and fills the confirmation template. Text comes from `CITIZEN_STRINGS`; nothing inline runs.
 */
export function renderFormPage(options: FormPageOptions): string {
  const { language } = options;
  const policy = options.policy ?? defaultPolicy();
  const text = CITIZEN_STRINGS[language];
  const values = options.values ?? {};
  const errors = options.errors ?? [];
  const byField = new Map<string, string[]>();
  for (const error of errors) byField.set(error.field, [...(byField.get(error.field) ?? []), error.message]);
  const context: FieldContext = { text, values, errors: byField };

  const categories = webCategories(policy).map((category) => ({
    value: category.id,
    label: category.name[language],
    hint: category.description[language],
    data: { confidential: String(category.confidential) },
  }));
  const jsText = {
    'data-jalon-form': true,
    'data-language': language,
    'data-summary-one': text.summaryTitle(1),
    'data-summary-many': text.summaryTitle(2).replace(/\b2\b/, '{count}'),
    'data-error-prefix': text.errorPrefix,
    'data-sending': text.sending,
    'data-network-error': text.networkError,
    'data-challenge-error': text.challengeError,
    'data-confirmation-title': text.confirmationTitle,
    'data-at': text.at,
  };

  const request = [
    `<h2>${escapeHtml(text.sectionRequest)}</h2>\n`,
    radioGroup(context, {
      field: 'category',
      legend: text.category,
      required: true,
      choices: categories,
      checked: values.category,
    }),
    textField(context, { field: 'subject', label: text.subject, required: true, hint: text.subjectHint }),
    textField(context, {
      field: 'message',
      label: text.message,
      required: true,
      hint: text.messageHint,
      multiline: true,
    }),
  ];
  const contact = [
    `<h2>${escapeHtml(text.sectionContact)}</h2>\n`,
    textField(context, {
      field: 'name',
      label: text.name,
      required: true,
      autocomplete: 'name',
      spellcheck: false,
    }),
    textField(context, {
      field: 'email',
      label: text.email,
      required: true,
      hint: text.emailHint,
      type: 'email',
      autocomplete: 'email',
      spellcheck: false,
    }),
    textField(context, {
      field: 'phone',
      label: text.phone,
      required: false,
      hint: text.phoneHint,
      type: 'tel',
      autocomplete: 'tel',
    }),
    textField(context, {
      field: 'organization',
      label: text.organization,
      required: false,
      hint: text.organizationHint,
      autocomplete: 'organization',
    }),
  ];
  const correspondence = [
    `<h2>${escapeHtml(text.sectionLanguage)}</h2>\n`,
    radioGroup(context, {
      field: 'language',
      legend: text.language,
      required: true,
      hint: text.languageHint,
      choices: [
        { value: 'fr', label: text.french },
        { value: 'en', label: text.english },
      ],
      checked: values.language === 'en' ? 'en' : 'fr',
    }),
    '<div class="conditional" id="english-basis" data-show-when-language="en">\n',
    `<p class="hint">${escapeHtml(text.englishOnly)}</p>\n`,
    basisSelect(context),
    textField(context, {
      field: 'arrivedOn',
      label: text.arrivedOn,
      required: 'conditional',
      hint: text.arrivedOnHint,
      type: 'date',
      autocomplete: 'off',
    }),
    attestationCheckbox(context),
    '</div>\n',
  ];

  const main = `<h1>${escapeHtml(text.formTitle)}</h1>
<p class="lead">${escapeHtml(text.formIntro)}</p>
<p><a href="${STATEMENT_PAGE[language]}">${escapeHtml(STATEMENT_STRINGS[language].link)}</a></p>
<form${attributes({
    class: 'request-form',
    method: 'post',
    action: `${FORM_ACTION}?lang=${language}`,
    'accept-charset': 'utf-8',
    novalidate: true,
    ...jsText,
  })}>
<div id="error-summary-slot">
${errorSummary(text, errors, policy)}</div>
<p class="hint">${escapeHtml(text.requiredNote)}</p>
${[...request, ...contact, ...correspondence, honeypot(context)].join('')}<p class="privacy">${escapeHtml(text.privacy)}</p>
<div class="actions">
<button class="button" type="submit">${escapeHtml(text.submit)}</button>
<p class="status" id="form-status" role="status" aria-live="polite"></p>
</div>
</form>
<template id="confirmation-template">
${confirmationContent(language, 'template', policy)}
</template>`;

  return renderLayout({
    language,
    policy,
    title: errors.length > 0 ? `${text.errorPrefix} ${text.formTitle}` : text.formTitle,
    main,
    script: true,
  });
}
