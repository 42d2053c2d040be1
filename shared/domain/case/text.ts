import * as z from 'zod';

/** Any control character (C0, DEL, C1) or Unicode line/paragraph separator. */
const SINGLE_LINE = /^[^\p{Cc}\u2028\u2029]*$/u;
/** Control characters other than tab, line feed and carriage return. */
const MULTI_LINE = /^(?:[^\p{Cc}]|[\t\n\r])*$/u;
const NOT_BLANK = /\S/u;

/**
 * A one-line text (subject, name, file name, identifier). CR, LF, tabs and every other control character are
 * refused: such fields end up in mail headers, CSV exports and logs, where a line break is an injection.
 */
export function singleLineText(maxLength: number) {
  return z
    .string()
    .min(1)
    .max(maxLength)
    .regex(SINGLE_LINE, 'must be a single line without control characters')
    .regex(NOT_BLANK, 'must not be blank');
}

/** A free text that may span lines (a request body, a note); other control characters are refused. */
export function multiLineText(maxLength: number) {
  return z.string().max(maxLength).regex(MULTI_LINE, 'must not contain control characters');
}
