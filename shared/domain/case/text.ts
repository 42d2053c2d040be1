import * as z from '../../zod-mini';

/** Any control character (C0, DEL, C1) or Unicode line/paragraph separator. */
const SINGLE_LINE = /^[^\p{Cc}\u2028\u2029]*$/u;
/**
 * Control characters other than tab, line feed and carriage return. One character class, no alternation: an
 * alternation under `*` backtracks recursively and overflows the stack on a text of a few megabytes.
 */
const MULTI_LINE = /^[\P{Cc}\t\n\r]*$/u;
const NOT_BLANK = /\S/u;

/**
 * Character checks run only on a text within its length: a text far too long gets one issue (too long) and
 * costs no scan of its characters.
 */
const withinLength = {
  when: (payload: { readonly issues: readonly unknown[] }) => payload.issues.length === 0,
};

/**
 * A one-line text (subject, name, file name, identifier). CR, LF, tabs and every other control character are
 * refused: such fields end up in mail headers, CSV exports and logs, where a line break is an injection.
 */
export function singleLineText(maxLength: number) {
  return z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(maxLength),
      z.regex(SINGLE_LINE, { message: 'must be a single line without control characters', ...withinLength }),
      z.regex(NOT_BLANK, { message: 'must not be blank', ...withinLength }),
    );
}

/** A free text that may span lines (a request body, a note); other control characters are refused. */
export function multiLineText(maxLength: number) {
  return z
    .string()
    .check(
      z.maxLength(maxLength),
      z.regex(MULTI_LINE, { message: 'must not contain control characters', ...withinLength }),
    );
}
