import * as z from 'zod';

/** RFC 5322 `atext`. ASCII only: the mail service answers no internationalized (RFC 6532) address. */
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\-]";
/** A dot-atom local part (`bounce+marie=example.org`, `o'brien`) or a quoted one (`"marie tremblay"`). */
const LOCAL_PART = `(?:${ATEXT}+(?:\\.${ATEXT}+)*|"(?:[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]|\\\\[\\x20-\\x7E])*")`;
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

/** An email address as people's mail servers send it (`isEmailAddress`). */
export const EmailAddressSchema = z
  .string()
  .max(254)
  .refine(isEmailAddress, {
    message: 'must be an email address',
    params: { fr: 'doit être une adresse courriel' },
  });
