import * as z from '../../zod-mini';

/** RFC 5322 `atext`. ASCII only: the mail service answers no internationalized (RFC 6532) address. */
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\-]";
const DOT_ATOM = `${ATEXT}+(?:\\.${ATEXT}+)*`;
/** A dot-atom local part (`bounce+marie=example.org`, `o'brien`) or a quoted one (`"marie tremblay"`). */
const LOCAL_PART = `(?:${DOT_ATOM}|"(?:[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]|\\\\[\\x20-\\x7E])*")`;
const WHOLE_DOT_ATOM = new RegExp(`^${DOT_ATOM}$`);
/** A host name label: letters, digits, inner hyphens (internationalized names in Punycode, `xn--…`). */
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9\\-]{0,61}[A-Za-z0-9])?';
/** At least two labels, the last one a top-level domain (letters, or an IDN `xn--` label). */
const DOMAIN = `(?:${LABEL}\\.)+(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9\\-]{1,59})`;
const ADDRESS = new RegExp(`^(${LOCAL_PART})@(${DOMAIN})$`, 'u');

/**
 * Whether a text is the address of a mailbox someone can write from and be answered at: an RFC 5322
 * `addr-spec` (dot-atom or quoted local part, so `bounce+marie=example.org@example.com` and
 * `"marie tremblay"@example.com` are addresses), in ASCII (the mail service cannot answer an RFC 6532
 * address; a domain is in Punycode), with a host name of at least two labels (no domain literal, no bare
 * host). At most 64 octets before the `@` and 254 in all (RFC 5321).
 */
export function isEmailAddress(text: string): boolean {
  const match = ADDRESS.exec(text);
  if (match === null) return false;
  return Buffer.byteLength(match[1] ?? '') <= 64 && Buffer.byteLength(text) <= 254;
}

/**
 * An address written the one way email intake reads it (RFC 5322 § 3.2.4: quoting is not part of the
 * local part): a quoted local part that is a dot-atom once unquoted loses its quotes (`"marie"@example.com`
 * is `marie@example.com`), and inside quotes only `"` and `\` stay escaped. Any other text is returned as
 * it is. Comparing two addresses compares these forms.
 */
export function canonicalEmailAddress(address: string): string {
  const match = ADDRESS.exec(address);
  const local = match?.[1];
  if (match === null || local === undefined || !local.startsWith('"')) return address;
  const text = local.slice(1, -1).replace(/\\([\x20-\x7E])/g, '$1');
  const written = WHOLE_DOT_ATOM.test(text) ? text : `"${text.replace(/["\\]/g, '\\$&')}"`;
  return `${written}@${match[2] ?? ''}`;
}

/** Whether two addresses name the same mailbox as intake compares them: canonical forms, without case. */
export function sameEmailAddress(a: string, b: string): boolean {
  return canonicalEmailAddress(a).toLowerCase() === canonicalEmailAddress(b).toLowerCase();
}

/** An email address as people's mail servers send it (`isEmailAddress`). */
export const EmailAddressSchema = z.string().check(
  z.maxLength(254),
  z.refine(isEmailAddress, {
    message: 'must be an email address',
    params: { fr: 'doit être une adresse courriel' },
  }),
);
