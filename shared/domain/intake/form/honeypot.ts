import { DomainError } from '../../../errors';

/**
 * The form's trap field: a text input named like something a bot fills in (`website`), visually hidden, out
 * of the tab order (`tabindex=-1`), excluded from autofill (`autocomplete=off`) and labelled « Laissez ce champ
 * vide ». People never see it; naive bots fill every field they find.
 */
export const HONEYPOT_FIELD = 'website';

/** True when the trap field holds anything but blanks. */
export function isHoneypotFilled(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '';
}

/**
 * The trap field was filled. Refused with a 400 that names the field, never answered with a fake success:
 * a person whose browser or password manager filled it anyway must be able to clear it and send, because a
 * request the organization silently dropped would still have started a legal clock the confirmation promised.
 */
export class HoneypotFilledError extends DomainError {
  static override readonly status = 400;
  override readonly name = 'HoneypotFilledError';

  constructor() {
    super(
      'HONEYPOT_FILLED',
      'The field that must stay empty was filled.',
      { field: HONEYPOT_FIELD },
      {
        fr: 'Le champ « Laissez ce champ vide » doit rester vide.',
        en: 'The field “Leave this field empty” must stay empty.',
      },
    );
  }
}
