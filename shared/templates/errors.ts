import { SystemError } from '../errors';

/**
 * A template could not be rendered: a caller bug or a broken template, never a passing fault. `details` names
 * the template, the language and the placeholder, never a value (values are personal data).
 */
export class TemplateRenderError extends SystemError {
  override readonly name: string = 'TemplateRenderError';

  constructor(
    code: string,
    message: string,
    details: { template: string; language: string; placeholder?: string },
  ) {
    super(code, message, { transient: false, details });
  }
}

/** A placeholder of the template has no value, or a blank one where the catalogue does not allow it. */
export class MissingTemplateValueError extends TemplateRenderError {
  override readonly name = 'MissingTemplateValueError';

  constructor(details: { template: string; language: string; placeholder: string; blank: boolean }) {
    super(
      'TEMPLATE_VALUE_MISSING',
      details.blank
        ? `The value of {{${details.placeholder}}} is blank.`
        : `No value was given for {{${details.placeholder}}}.`,
      details,
    );
  }
}

/**
 * A name outside the template's catalogue entry: the template source uses it, or the caller gave a value for
 * it. Either way the message would not say what the caller meant.
 */
export class UnknownPlaceholderError extends TemplateRenderError {
  override readonly name = 'UnknownPlaceholderError';

  constructor(details: {
    template: string;
    language: string;
    placeholder: string;
    in: 'template' | 'values';
  }) {
    super(
      'TEMPLATE_PLACEHOLDER_UNKNOWN',
      details.in === 'template'
        ? `The template uses {{${details.placeholder}}}, which its catalogue entry does not list.`
        : `A value was given for "${details.placeholder}", which the template's catalogue entry does not list.`,
      details,
    );
  }
}

/** A value breaks the rule of its placeholder (e.g. a link that is not an http(s) URL). */
export class InvalidTemplateValueError extends TemplateRenderError {
  override readonly name = 'InvalidTemplateValueError';

  constructor(details: { template: string; language: string; placeholder: string; rule: string }) {
    super('TEMPLATE_VALUE_INVALID', `The value of {{${details.placeholder}}} ${details.rule}.`, details);
  }
}

/** No template of this id and language exists (an id or a language that escaped type checking). */
export class TemplateNotFoundError extends TemplateRenderError {
  override readonly name = 'TemplateNotFoundError';

  constructor(details: { template: string; language: string }) {
    super('TEMPLATE_NOT_FOUND', 'No template has this id and language.', details);
  }
}
