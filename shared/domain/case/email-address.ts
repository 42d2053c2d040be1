import * as z from 'zod';

/** RFC 5322 `atext`, with the UTF-8 letters of RFC 6532 (internationalized mail). */
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\-\\u0080-\\u{10FFFF}]";
/** A dot-atom local part (`bounce+marie=example.org`, `o'brien`) or a quoted one (`"marie tremblay"`). */
const LOCAL_PART = `(?:${ATEXT}+(?:\\.${ATEXT}+)*|"(?:[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E\\u0080-\\u{10FFFF}]|\\\\[\\x20-\\x7E])*")`;
/** A host name label: letters (any script), digits, inner hyphens. */
const LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}\\-]{0,61}[\\p{L}\\p{N}])?';
/** At least two labels, the last one a top-level domain (letters, or an IDN `xn--` label). */
const DOMAIN = `(?:${LABEL}\\.)+(?:\\p{L}{2,63}|xn--[a-z0-9\\-]{1,59})`;
const ADDRESS = new RegExp(`^(${LOCAL_PART})@(${DOMAIN})$`, 'u');

/**
 * Whether a text is the address of a mailbox someone can write from and be answered at: an RFC 5322
 * `addr-spec` (dot-atom or quoted local part, so `bounce+marie=example.org@example.com` and
 * `"marie tremblay"@example.com` are addresses), UTF-8 allowed (RFC 6532), with a host name of at least two
 * labels (no domain literal, no bare host). At most 64 octets before the `@` and 254 in all (RFC 5321).
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
