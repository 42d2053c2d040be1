import { TEMPLATE_PLACEHOLDERS } from './catalog';
import type { Language, RenderedMessage, TemplateId, TemplateValues } from './catalog';
import { EN_TEMPLATES } from './en';
import {
  InvalidTemplateValueError,
  MissingTemplateValueError,
  TemplateNotFoundError,
  UnknownPlaceholderError,
} from './errors';
import { FR_TEMPLATES } from './fr';
import type { TemplateSet, TemplateSource } from './source';

/** Every template, by language. */
export const TEMPLATES: Readonly<Record<Language, TemplateSet>> = { fr: FR_TEMPLATES, en: EN_TEMPLATES };

/**
 * Placeholders that may be given an empty value: the paragraph they stand for is then left out. Every other
 * placeholder needs a non-blank value, so a message never goes out with a silent gap.
 */
export const OPTIONAL_PLACEHOLDERS: {
  readonly [T in TemplateId]?: readonly (typeof TEMPLATE_PLACEHOLDERS)[T][number][];
} = {
  'answer-cover': ['referral'],
  'review-conclusion': ['answer'],
};

/** Placeholders used as link targets: their value must be an http(s) URL (never `javascript:` or `data:`). */
const URL_PLACEHOLDERS: ReadonlySet<string> = new Set(['caseUrl']);

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
/** A template line holding only a placeholder, bare or alone in a paragraph. */
const BLOCK_LINE = /^\s*(?:<p>)?\s*\{\{\s*([^{}]*?)\s*\}\}\s*(?:<\/p>)?\s*$/;
/** Control characters other than tab and line feed; carriage returns are normalized away before. */
const BODY_CONTROL = /[^\P{Cc}\t\n]/gu;
/** Anything that would break a header line: every control character and the Unicode line separators. */
const HEADER_BREAK = /[\p{Cc}\u2028\u2029]+/gu;
const HTTP_URL = /^https?:\/\/[^\s<>"']+$/i;

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** The distinct placeholder names a template source uses, in order of first use. */
export function placeholdersOf(source: string): string[] {
  return [...new Set([...source.matchAll(PLACEHOLDER)].map((match) => (match[1] ?? '').trim()))];
}

/** Escapes the five HTML-special characters, so a value is inert in element content and quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/**
 * Renders a message from its template, in the given language.
 *
 * Rules:
 * - every placeholder of the catalogue entry needs a string value; a missing one, a blank one (unless listed
 *   in `OPTIONAL_PLACEHOLDERS`), a value for a name the entry does not list, or a template using such a name
 *   throws a named `TemplateRenderError` (details hold names, never values);
 * - values are inserted once, never re-scanned, so a value containing `{{…}}` stays literal;
 * - text: values as given (CR LF normalized to LF, other control characters except tab removed);
 * - HTML: every value escaped (`& < > " '`), line breaks in a value become `<br>`, the body sits in a plain
 *   page with `lang` set, inline styles only, no external resource and no tracking;
 * - subject: line breaks and every other control character become a space, so it is safe as a header value.
 */
export function renderTemplate<T extends TemplateId>(
  id: T,
  language: Language,
  values: TemplateValues<T>,
): RenderedMessage {
  return render(id, language, values);
}

/** Any template with its language and matching values (e.g. an `OutgoingMessage`). */
export type TemplateRequest = {
  [T in TemplateId]: {
    readonly template: T;
    readonly language: Language;
    readonly values: TemplateValues<T>;
  };
}[TemplateId];

/** `renderTemplate` for a message whose template is only known at run time. */
export function renderMessage(request: TemplateRequest): RenderedMessage {
  return render(request.template, request.language, request.values);
}

function render(id: TemplateId, language: Language, values: object): RenderedMessage {
  const source = findSource(id, language);
  const context = { template: id, language };
  const known: readonly string[] = TEMPLATE_PLACEHOLDERS[id] ?? [];
  const optional: readonly string[] = OPTIONAL_PLACEHOLDERS[id] ?? [];
  const given = values as Readonly<Record<string, unknown>>;

  for (const name of Object.keys(given)) {
    if (!known.includes(name)) {
      throw new UnknownPlaceholderError({ ...context, placeholder: name, in: 'values' });
    }
  }
  const resolved = new Map<string, string>();
  for (const name of known) {
    const value = Object.hasOwn(given, name) ? given[name] : undefined;
    if (value === undefined || value === null) {
      throw new MissingTemplateValueError({ ...context, placeholder: name, blank: false });
    }
    if (typeof value !== 'string') {
      throw new InvalidTemplateValueError({ ...context, placeholder: name, rule: 'must be a string' });
    }
    const clean = value.replace(/\r\n?/g, '\n').replace(BODY_CONTROL, '');
    if (clean.trim() === '' && !optional.includes(name)) {
      throw new MissingTemplateValueError({ ...context, placeholder: name, blank: true });
    }
    if (URL_PLACEHOLDERS.has(name) && !HTTP_URL.test(clean)) {
      throw new InvalidTemplateValueError({ ...context, placeholder: name, rule: 'must be an http(s) URL' });
    }
    resolved.set(name, clean);
  }

  const fill = (template: string, encode: (value: string) => string): string =>
    template.replace(PLACEHOLDER, (_match, rawName: string) => {
      const name = rawName.trim();
      const value = resolved.get(name);
      if (value === undefined) {
        throw new UnknownPlaceholderError({ ...context, placeholder: name, in: 'template' });
      }
      return encode(value);
    });
  const isEmpty = (name: string): boolean => resolved.get(name)?.trim() === '';

  const subject = fill(source.subject, (value) => value)
    .replace(HEADER_BREAK, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
  const text = `${fill(dropEmptyBlocks(source.text, isEmpty), (value) => value).trim()}\n`;
  const body = fill(dropEmptyBlocks(source.html, isEmpty), (value) =>
    escapeHtml(value).replace(/\n/g, '<br>'),
  ).trim();
  return { subject, text, html: htmlPage(language, subject, body) };
}

function findSource(id: TemplateId, language: Language): TemplateSource {
  const set = Object.hasOwn(TEMPLATES, language) ? TEMPLATES[language] : undefined;
  const source = set !== undefined && Object.hasOwn(set, id) ? set[id] : undefined;
  if (source === undefined)
    throw new TemplateNotFoundError({ template: String(id), language: String(language) });
  return source;
}

/** Leaves out the lines of empty optional paragraphs, with the blank line that parted them from the next. */
function dropEmptyBlocks(template: string, isEmpty: (name: string) => boolean): string {
  const lines = template.split('\n');
  const kept: string[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const name = BLOCK_LINE.exec(line)?.[1];
    if (name !== undefined && isEmpty(name)) {
      if (lines[index + 1]?.trim() === '') index += 1;
      continue;
    }
    kept.push(line);
  }
  return kept.join('\n');
}

/** A plain, accessible page: language declared, readable width and size, no external resource. */
function htmlPage(language: Language, subject: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(subject)}</title>
</head>
<body style="margin:0;padding:0;background-color:#ffffff;">
<div lang="${language}" style="max-width:40em;margin:0 auto;padding:24px 16px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1a1a1a;">
${body}
</div>
</body>
</html>
`;
}
