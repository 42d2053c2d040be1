/**
 * Progressive enhancement of the citizen form (plain ES module, no framework). Without it the form posts
 * URL-encoded and the server answers with a page; with it:
 * - the English-basis questions show only when English is chosen;
 * - the form is sent as JSON by `fetch` with an `Idempotency-Key` (a `crypto.randomUUID()`), kept across
 *   retries of the same submission, so a retry after a lost answer never registers a second case;
 * - a second submit while one is under way is ignored;
 * - field errors appear next to each field and in the error summary, without reloading;
 * - on success the confirmation (reference, acknowledgement date) replaces the form.
 * Every sentence comes from the page (data attributes, the confirmation template): this file holds no text.
 */

const TIME_ZONE = 'America/Toronto';
const LOCALES = { fr: 'fr-CA', en: 'en-CA' };
const LONG_DATE = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' };

/** « lundi 11 janvier 2027 » / "Monday, January 11, 2027" for a date `YYYY-MM-DD` (1er for the first, in French). */
export function formatLongDate(isoDate, language) {
  const [year, month, day] = isoDate.split('-').map(Number);
  const text = new Intl.DateTimeFormat(LOCALES[language], LONG_DATE).format(
    new Date(Date.UTC(year, month - 1, day)),
  );
  return language === 'fr' && day === 1 ? text.replace(/ 1 /, ' 1er ') : text;
}

/** The Québec date and minute of day of an instant. */
function localParts(instant) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const part = (type) => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return {
    date: `${part('year')}-${part('month')}-${part('day')}`,
    minute: Number(part('hour')) * 60 + Number(part('minute')),
  };
}

/**
 * When the acknowledgement is due, as the server's confirmation page words it: the long date, and the time
 * (« à 14 h 30 », "at 2:30 p.m.") when the deadline falls inside the day.
 */
export function acknowledgementWhen(language, dueDate, dueAt, at) {
  const date = formatLongDate(dueDate, language);
  if (!dueAt) return date;
  const local = localParts(dueAt);
  if (local.date !== dueDate || local.minute >= 23 * 60 + 59) return date;
  const time = new Intl.DateTimeFormat(LOCALES[language], {
    hour: 'numeric',
    minute: '2-digit',
    timeZone: TIME_ZONE,
  }).format(new Date(dueAt));
  return `${date} ${at} ${time}`;
}

/** The JSON body of the form: every field as typed; the attestation checkbox as a boolean. */
export function formPayload(entries) {
  const payload = {};
  for (const [name, value] of entries) {
    if (typeof value !== 'string') continue;
    payload[name] = name === 'attestation' ? value === 'yes' : value;
  }
  if (!('attestation' in payload)) payload.attestation = false;
  return payload;
}

/**
 * Holds the `Idempotency-Key` of the submission under way. The same key is sent again after a lost answer or a
 * server error (the first attempt may have registered the case); it is dropped only once an answer proves that
 * nothing was registered (400, 413, 415, 429) or that the case is registered (200, 201).
 */
export function createKeyKeeper(randomUUID) {
  let key = null;
  return {
    current() {
      key ??= randomUUID();
      return key;
    },
    settle(status) {
      if ([200, 201, 400, 413, 415, 429].includes(status)) key = null;
    },
  };
}

function fieldWrapper(form, field) {
  return form.querySelector(`[data-field="${CSS.escape(field)}"]`);
}

function controlsOf(wrapper) {
  return [...wrapper.querySelectorAll('input, select, textarea')];
}

function clearErrors(form) {
  for (const message of form.querySelectorAll('.error-message')) message.remove();
  for (const wrapper of form.querySelectorAll('.field-invalid')) wrapper.classList.remove('field-invalid');
  for (const control of form.querySelectorAll('[aria-invalid]')) {
    control.removeAttribute('aria-invalid');
    const rest = (control.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .filter((id) => id !== '' && !id.startsWith('error-'));
    if (rest.length > 0) control.setAttribute('aria-describedby', rest.join(' '));
    else control.removeAttribute('aria-describedby');
  }
  const slot = form.querySelector('#error-summary-slot');
  if (slot) slot.replaceChildren();
}

/** The trap field, shown like any field once refused, so that a person whose browser filled it can empty it. */
function revealTrap(wrapper) {
  if (!wrapper.classList.contains('trap')) return;
  wrapper.classList.replace('trap', 'field');
  wrapper.removeAttribute('aria-hidden');
  for (const control of controlsOf(wrapper)) control.removeAttribute('tabindex');
}

function markField(form, field, message) {
  const wrapper = fieldWrapper(form, field);
  if (!wrapper) return null;
  revealTrap(wrapper);
  const errorId = `error-${field}`;
  const paragraph = document.createElement('p');
  paragraph.className = 'error-message';
  paragraph.id = errorId;
  const prefix = document.createElement('span');
  prefix.className = 'visually-hidden';
  prefix.textContent = `${form.dataset.errorPrefix ?? ''} `;
  paragraph.append(prefix, message);
  const before = wrapper.querySelector(
    ':scope > .choices, :scope > .choice, :scope > input, :scope > select, :scope > textarea',
  );
  wrapper.insertBefore(paragraph, before);
  wrapper.classList.add('field-invalid');
  const controls = controlsOf(wrapper);
  for (const control of controls) {
    control.setAttribute('aria-invalid', 'true');
    const described = (control.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id !== '');
    control.setAttribute('aria-describedby', [...described, errorId].join(' '));
  }
  return controls[0]?.id ?? null;
}

/** Shows the errors next to their fields and in a focused summary with links, as the server page does. */
function showErrors(form, errors) {
  clearErrors(form);
  const summary = document.createElement('div');
  summary.className = 'error-summary';
  summary.id = 'error-summary';
  summary.setAttribute('role', 'alert');
  summary.setAttribute('tabindex', '-1');
  summary.setAttribute('aria-labelledby', 'error-summary-title');
  const title = document.createElement('h2');
  title.id = 'error-summary-title';
  title.textContent =
    errors.length === 1
      ? (form.dataset.summaryOne ?? '')
      : (form.dataset.summaryMany ?? '').replace('{count}', String(errors.length));
  const list = document.createElement('ul');
  for (const error of errors) {
    const anchor = error.field ? markField(form, error.field, error.message) : null;
    const item = document.createElement('li');
    if (anchor) {
      const link = document.createElement('a');
      link.href = `#${anchor}`;
      link.textContent = error.message;
      item.append(link);
    } else {
      item.textContent = error.message;
    }
    list.append(item);
  }
  summary.append(title, list);
  form.querySelector('#error-summary-slot')?.append(summary);
  summary.focus();
}

/** Replaces the form with the confirmation template, filled with the server's answer, and moves focus to it. */
function showConfirmation(form, result) {
  const template = document.getElementById('confirmation-template');
  const main = form.closest('.wrap');
  if (!template || !main) return;
  const content = template.content.cloneNode(true);
  const language = form.dataset.language === 'en' ? 'en' : 'fr';
  const checked = form.querySelector('input[name="category"]:checked');
  const shown = {
    ack: Boolean(result.acknowledgementDueDate),
    'no-ack': !result.acknowledgementDueDate,
    confidential: checked?.dataset.confidential === 'true',
    // Whom to contact depends on the category (its unit, or the complaints officer).
    [`contact-${checked?.value ?? ''}`]: true,
  };
  for (const element of content.querySelectorAll('[data-if]')) {
    if (!shown[element.dataset.if]) element.remove();
    else element.removeAttribute('data-if');
  }
  const fill = (name, value) => {
    for (const slot of content.querySelectorAll(`[data-slot="${name}"]`)) slot.textContent = value;
  };
  fill('reference', result.reference ?? '');
  if (result.acknowledgementDueDate) {
    fill(
      'acknowledgement-when',
      acknowledgementWhen(
        language,
        result.acknowledgementDueDate,
        result.acknowledgementDueAt,
        form.dataset.at ?? '',
      ),
    );
  }
  main.replaceChildren(content);
  const organization = document.title.split(' – ').slice(1).join(' – ');
  document.title = organization
    ? `${form.dataset.confirmationTitle} – ${organization}`
    : (form.dataset.confirmationTitle ?? '');
  document.getElementById('confirmation-title')?.focus();
}

function syncLanguage(form) {
  const block = form.querySelector('[data-show-when-language]');
  if (!block) return;
  const chosen = form.querySelector('input[name="language"]:checked');
  block.hidden = (chosen?.value ?? 'fr') !== block.dataset.showWhenLanguage;
}

/**
 * Whether a submission was stopped by the WAF's challenge (HTTP 202 with `x-amzn-waf-action`): the form was
 * not received; loading the page again lets the browser pass the challenge and keep its token.
 */
export function isWafChallenge(status, headers) {
  return status === 202 && Boolean(headers?.get?.('x-amzn-waf-action'));
}

/** Enhances the form: language reveal, JSON submission with an idempotency key, inline errors, confirmation. */
export function enhance(form, options = {}) {
  const send = options.fetch ?? globalThis.fetch.bind(globalThis);
  const keeper = createKeyKeeper(options.randomUUID ?? (() => crypto.randomUUID()));
  const button = form.querySelector('button[type="submit"]');
  const status = form.querySelector('#form-status');
  let busy = false;

  syncLanguage(form);
  form.addEventListener('change', (event) => {
    if (event.target?.name === 'language') syncLanguage(form);
  });

  const setBusy = (value) => {
    busy = value;
    button?.setAttribute('aria-disabled', String(value));
    if (status) status.textContent = value ? (form.dataset.sending ?? '') : '';
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    const body = JSON.stringify(formPayload(new FormData(form).entries()));
    let response;
    try {
      response = await send(form.action, {
        method: 'POST',
        credentials: 'same-origin',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, application/problem+json',
          'idempotency-key': keeper.current(),
        },
        body,
      });
    } catch {
      setBusy(false);
      showErrors(form, [{ field: '', message: form.dataset.networkError ?? '' }]);
      return;
    }
    if (isWafChallenge(response.status, response.headers)) {
      setBusy(false);
      showErrors(form, [{ field: '', message: form.dataset.challengeError ?? '' }]);
      return;
    }
    let result = null;
    try {
      result = await response.json();
    } catch {
      result = null;
    }
    keeper.settle(response.status);
    if (response.status === 200 || response.status === 201) {
      showConfirmation(form, result ?? {});
      return;
    }
    setBusy(false);
    // A refusal is RFC 9457 problem details: `detail` for the summary, `errors[]` field by field.
    const errors =
      Array.isArray(result?.errors) && result.errors.length > 0
        ? result.errors.map((error) => ({ field: error?.field ?? '', message: error?.detail ?? '' }))
        : [{ field: '', message: result?.detail ?? form.dataset.networkError ?? '' }];
    showErrors(form, errors);
  });
}

if (typeof document !== 'undefined') {
  const form = document.querySelector('form[data-jalon-form]');
  if (form) enhance(form);
}
