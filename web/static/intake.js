/**
 * The staff intake page (plain ES module): a letter, a phone call, a visit or an email a person received,
 * registered through `POST /api/staff/intake` with an `Idempotency-Key` per form fill. The receipt time is
 * typed in Québec time and sent as an instant; the registration time is the server's. A receipt older than the
 * API accepts without confirmation shows the confirmation box the API asks for. Every sentence comes from the
 * page or the API.
 */

import {
  announce,
  casePath,
  el,
  fact,
  formatLongDate,
  problemCode,
  quebecDateTime,
  quebecInstant,
  startPage,
} from './staff-common.js';
import { createFormKey, formErrors } from './staff.js';
import { clearErrors, showErrors } from './staff-forms.js';

export { quebecInstant };

/** The form's text values by name. */
export function formValues(entries) {
  const values = {};
  for (const [name, value] of entries) if (typeof value === 'string') values[name] = value;
  return values;
}

/**
 * The requester of an intake or of a held message made a case (`RequesterSchema`) from the form's values
 * (`requester.*`, and `contact`: the address the person chose to give, email, postal or none).
 */
export function requesterBody(values) {
  const text = (name) => (values[name] ?? '').trim();
  const optional = (name) => (text(name) !== '' ? { [name.split('.').pop()]: text(name) } : {});
  const language = values['requester.language'] === 'en' ? 'en' : 'fr';
  const contact = values.contact;
  return {
    name: text('requester.name'),
    language,
    ...(contact === 'email' ? { email: text('requester.email') } : {}),
    ...(contact === 'postal'
      ? {
          postalAddress: {
            lines: (values['requester.postalAddress.lines'] ?? '')
              .split(/\r?\n/)
              .map((line) => line.trim())
              .filter((line) => line !== ''),
            municipality: text('requester.postalAddress.municipality'),
            ...optional('requester.postalAddress.province'),
            ...optional('requester.postalAddress.postalCode'),
            country: text('requester.postalAddress.country').toUpperCase(),
          },
        }
      : {}),
    ...optional('requester.phone'),
    ...(language === 'en'
      ? {
          languageBasis: {
            basis: text('requester.languageBasis.basis'),
            attestedOn: text('requester.languageBasis.attestedOn'),
            ...optional('requester.languageBasis.arrivedOn'),
          },
        }
      : {}),
  };
}

/**
 * The body of `POST /api/staff/intake` (`StaffIntakeBodySchema`) from the form's values: the receipt time as
 * an instant, the evidence, the requester with the address the person chose (email, postal or none; the
 * postal lines one per line), the English basis only for English, the late-entry confirmation once shown and
 * ticked. Optional fields are left out when empty; required ones are sent as typed for the API to judge.
 */
export function intakeBody(entries) {
  const values = formValues(entries);
  const text = (name) => (values[name] ?? '').trim();
  const optional = (name) => (text(name) !== '' ? { [name.split('.').pop()]: text(name) } : {});
  const requester = requesterBody(values);
  return {
    channel: values.channel ?? '',
    category: values.category ?? '',
    requester,
    subject: text('subject'),
    body: values.body ?? '',
    receivedAt: quebecInstant(values.receivedAt),
    evidence: {
      kind: values['evidence.kind'] ?? '',
      ...optional('evidence.reference'),
      ...optional('evidence.note'),
    },
    ...(values.confirmLateEntry === 'true' ? { confirmLateEntry: true } : {}),
  };
}

/** The field a business refusal of the intake is about (it has no field path of its own). */
const CODE_FIELDS = {
  RECEIVED_AT_TOO_OLD: 'receivedAt',
  RECEIVED_AT_IN_FUTURE: 'receivedAt',
  CHANNEL_NOT_ACCEPTED: 'category',
};

/**
 * What a refused intake says: the summary and the issues by field (a business refusal goes next to the field it
 * is about), and whether the API asks to confirm an old receipt date (`RECEIVED_AT_TOO_OLD`).
 */
export function intakeErrors(status, body, t) {
  const refused = formErrors(status, body, t);
  const { summary } = refused;
  // The page sends a well-formed instant whenever the date and time are complete: a refused one was not.
  const issues = refused.issues.map((issue) =>
    issue?.path === 'receivedAt' ? { ...issue, message: t('intake.invalidReceivedAt') } : issue,
  );
  const code = problemCode(body);
  const lateEntry = code === 'RECEIVED_AT_TOO_OLD';
  if (issues.length === 0 && CODE_FIELDS[code] !== undefined) {
    return {
      summary: lateEntry ? `${summary} ${t('intake.lateEntryAsked')}` : t('error.invalid'),
      issues: [{ path: CODE_FIELDS[code], message: summary }],
      lateEntry,
    };
  }
  return { summary, issues, lateEntry };
}

/** Whether an `<option data-channels>` fits the channel (an option without the attribute always does). */
export function fitsChannel(option, channel) {
  const channels = option.dataset?.channels;
  return channels === undefined || option.value === '' || channels.split(' ').includes(channel);
}

/**
 * Offers only the options that fit the channel. A choice the person made that still fits stays; otherwise the
 * channel's usual option (`data-default-for`: the postmark for a letter, the time of a call or of a visit) is
 * chosen, or none.
 */
function filterOptions(select, channel) {
  if (!select) return;
  for (const option of select.options) {
    const fits = fitsChannel(option, channel);
    option.hidden = !fits;
    option.disabled = !fits;
  }
  const current = select.selectedOptions[0];
  if (select.dataset.chosen === 'true' && current && !current.disabled && current.value !== '') return;
  const usual = [...select.options].find((option) =>
    (option.dataset.defaultFor ?? '').split(' ').includes(channel),
  );
  if (usual) select.value = usual.value;
  else if (!current || current.disabled) select.value = '';
}

function syncForm(form) {
  const data = new FormData(form);
  const channel = String(data.get('channel') ?? 'mail');
  filterOptions(form.elements.namedItem('category'), channel);
  filterOptions(form.elements.namedItem('evidence.kind'), channel);
  syncRequester(form);
}

/** Shows the English basis for English, and the address fields of the way to write the person chose. */
export function syncRequester(form) {
  const data = new FormData(form);
  const basis = form.querySelector('[data-language-basis]');
  if (basis) basis.hidden = data.get('requester.language') !== 'en';
  const contact = String(data.get('contact') ?? 'email');
  for (const part of form.querySelectorAll('[data-contact-part]')) {
    part.hidden = part.dataset.contactPart !== contact;
  }
}

function showDone(result, context) {
  const { t, language } = context;
  const done = document.getElementById('intake-done');
  const facts = document.getElementById('intake-done-facts');
  const message = document.getElementById('intake-done-message');
  const warnings = document.getElementById('intake-done-warnings');
  const link = document.getElementById('intake-done-link');
  if (!done || !facts || !message || !warnings || !link) return;
  const reference = result.reference ?? result.caseId;
  const said = t(result.replayed ? 'intake.replayed' : 'intake.registered', { reference });
  const full = typeof result.registeredAt === 'string';
  message.textContent = full ? said : `${said} ${t('intake.limited')}`;
  facts.replaceChildren();
  if (full) {
    fact(facts, t('intake.receivedAt'), quebecDateTime(result.receivedAt, language));
    fact(facts, t('intake.registeredAt'), quebecDateTime(result.registeredAt, language));
    fact(
      facts,
      t('intake.acknowledgementDue'),
      result.acknowledgementDueDate
        ? formatLongDate(result.acknowledgementDueDate, language)
        : t('intake.noAcknowledgementDeadline'),
    );
  }
  warnings.replaceChildren(
    ...(Array.isArray(result.warnings) ? result.warnings : []).map((warning) =>
      el('li', { 'data-warning': warning.code }, warning.message),
    ),
  );
  warnings.hidden = warnings.childElementCount === 0;
  link.hidden = !full;
  link.textContent = t('intake.openCase', { reference });
  link.setAttribute('href', casePath('staff', result.caseId, language));
  done.hidden = false;
  done.focus();
  announce(message.textContent);
}

function runIntake(context) {
  const { t, api } = context;
  const form = document.getElementById('intake-form');
  const done = document.getElementById('intake-done');
  const lateEntry = form?.querySelector('[data-late-entry]');
  if (!form) return;
  const key = createFormKey(() => crypto.randomUUID());
  let busy = false;

  const reset = () => {
    form.reset();
    for (const select of form.querySelectorAll('select')) delete select.dataset.chosen;
    clearErrors(form);
    if (lateEntry) lateEntry.hidden = true;
    key.renew();
    syncForm(form);
  };
  form.addEventListener('change', (event) => {
    // A category or proof the person picked is kept when the channel changes, if it still fits.
    if (event.target?.name === 'category' || event.target?.name === 'evidence.kind') {
      event.target.dataset.chosen = 'true';
    }
    if (event.target?.name === 'channel') syncForm(form);
    else if (event.target?.name === 'requester.language' || event.target?.name === 'contact')
      syncRequester(form);
  });
  document.getElementById('intake-another')?.addEventListener('click', () => {
    reset();
    if (done) done.hidden = true;
    form.hidden = false;
    document.getElementById('intake-title')?.focus();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    busy = true;
    announce(t('sending'));
    const response = await api('POST', '/api/staff/intake', {
      body: intakeBody(new FormData(form).entries()),
      idempotencyKey: key.current(),
    });
    busy = false;
    if (response.status === 401) return;
    key.settle(response.status);
    if (response.status === 200 || response.status === 201) {
      clearErrors(form);
      form.hidden = true;
      showDone(response.body ?? {}, context);
      return;
    }
    const errors = intakeErrors(response.status, response.body, t);
    if (errors.lateEntry && lateEntry) lateEntry.hidden = false;
    // The summary above the form takes the focus and says it all: no second copy in the alert region.
    announce('');
    showErrors(form, errors.summary, errors.issues, t('error.prefix'));
  });
  syncForm(form);
}

if (typeof document !== 'undefined' && document.body?.dataset.page === 'intake') {
  const context = startPage();
  if (context) runIntake(context);
}
