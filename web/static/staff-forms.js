/**
 * Errors of the longer staff forms (intake, holding-pen triage), plain ES module: each API issue next to its
 * field (by `data-field`, the API's dotted path) and in a summary above the form whose items link to the
 * fields, the summary focused. Holds no sentence: the messages are the API's, the prefix the page's.
 */

import { el } from './staff-common.js';

/**
 * The form field an API issue path belongs to: the field of that very path; else the deepest field the path is
 * inside (`requester.postalAddress.lines.0` → `requester.postalAddress.lines`); else the first field inside
 * the path (`requester.languageBasis` → `requester.languageBasis.basis`); else none (said in the summary only).
 */
export function issueField(path, fieldNames) {
  if (typeof path !== 'string' || path === '') return undefined;
  if (fieldNames.includes(path)) return path;
  const containing = fieldNames
    .filter((name) => path.startsWith(`${name}.`))
    .sort((left, right) => right.length - left.length)[0];
  if (containing !== undefined) return containing;
  return fieldNames.find((name) => name.startsWith(`${path}.`));
}

/**
 * The issues by field (only fields that are shown: `visible` names) and the rest, in the order the API gave
 * them.
 */
export function placeIssues(issues, visible) {
  const byField = new Map();
  const general = [];
  for (const issue of Array.isArray(issues) ? issues : []) {
    const message = typeof issue?.message === 'string' ? issue.message : '';
    const name = issueField(issue?.path, visible);
    if (name === undefined) general.push(message);
    else byField.set(name, [...(byField.get(name) ?? []), message]);
  }
  return { byField, general };
}

/** Removes what `showErrors` added. */
export function clearErrors(form) {
  for (const message of form.querySelectorAll('.error-message')) message.remove();
  for (const wrapper of form.querySelectorAll('.field-invalid')) wrapper.classList.remove('field-invalid');
  for (const control of form.querySelectorAll('[aria-invalid]')) {
    control.removeAttribute('aria-invalid');
    const rest = (control.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .filter((id) => id !== '' && !id.endsWith('-error'));
    if (rest.length > 0) control.setAttribute('aria-describedby', rest.join(' '));
    else control.removeAttribute('aria-describedby');
  }
  form.querySelector('[data-form-error]')?.replaceChildren();
}

/**
 * Shows a refused submission: `summary` and each issue without a shown field above the form, each field's
 * issues before its control (described by them, `aria-invalid`), and links to those fields in the summary,
 * which takes the focus.
 */
export function showErrors(form, summary, issues, prefix) {
  clearErrors(form);
  const wrappers = [...form.querySelectorAll('[data-field]')].filter(
    (wrapper) => wrapper.closest('[hidden]') === null,
  );
  const { byField, general } = placeIssues(
    issues,
    wrappers.map((wrapper) => wrapper.dataset.field),
  );
  const links = [];
  for (const wrapper of wrappers) {
    const messages = byField.get(wrapper.dataset.field);
    if (!messages) continue;
    const control =
      wrapper.querySelector('input:checked') ?? wrapper.querySelector('input, select, textarea');
    if (!control) continue;
    const errorId = `${control.id}-error`;
    const paragraph = el(
      'p',
      { class: 'error-message', id: errorId },
      el('span', { class: 'visually-hidden' }, `${prefix} `),
      messages.join(' '),
    );
    const anchor = wrapper.querySelector(':scope > legend') ?? wrapper.querySelector(':scope > label');
    if (anchor) anchor.after(paragraph);
    else wrapper.prepend(paragraph);
    wrapper.classList.add('field-invalid');
    control.setAttribute('aria-invalid', 'true');
    const described = (control.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id !== '');
    control.setAttribute('aria-describedby', [...described, errorId].join(' '));
    const label = anchor?.textContent?.replace(/\s*\([^)]*\)\s*$/, '').trim() ?? '';
    links.push(el('li', {}, el('a', { href: `#${control.id}` }, `${label} — ${messages.join(' ')}`)));
  }
  const box = form.querySelector('[data-form-error]');
  if (!box) return;
  box.replaceChildren(
    el('p', {}, summary),
    ...general.filter((message) => message !== summary).map((message) => el('p', {}, message)),
    ...(links.length > 0 ? [el('ul', {}, ...links)] : []),
  );
  if (!box.hasAttribute('tabindex')) box.setAttribute('tabindex', '-1');
  box.focus();
}
