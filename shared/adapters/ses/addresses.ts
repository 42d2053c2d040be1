import { InvalidEmailAddressError } from './ses-errors';

/**
 * A plausible single mailbox: the WHATWG `type=email` shape, or an RFC 5322 quoted local part
 * (`"marie tremblay"@…`, printable ASCII), with a dotted domain, at most 254 characters and a local part of
 * at most 64. Deliberately ASCII: SES needs internationalized domains in Punycode.
 */
const MAILBOX =
  /^(?=[^@]{1,64}@)(?:[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+|"(?:[\x20\x21\x23-\x5B\x5D-\x7E]|\\[\x20-\x7E])*")@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
/** `Display Name <mailbox>`, the only other form accepted, and only for the sender. */
const NAMED_MAILBOX = /^([^<>]*?)\s*<([^<>]*)>$/;
/** Printable ASCII without the RFC 5322 specials: such a display name can go in a header as is. */
const PLAIN_DISPLAY_NAME = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]+$/;

/** SES accepts at most 50 recipients per message. */
export const MAX_RECIPIENTS = 50;

type AddressField = 'to' | 'replyTo' | 'from';

/**
 * Returns the address when it is one plausible mailbox, or throws `InvalidEmailAddressError`. Line breaks and
 * every other control character are refused first: in a header they are an injection.
 */
export function checkMailbox(address: unknown, field: AddressField, index?: number): string {
  const where = index === undefined ? { field } : { field, index };
  if (typeof address !== 'string' || address === '') {
    throw new InvalidEmailAddressError({ ...where, problem: 'it is empty' });
  }
  if (CONTROL.test(address)) {
    throw new InvalidEmailAddressError({
      ...where,
      problem: 'it contains a line break or a control character',
    });
  }
  if (address.length > 254 || !MAILBOX.test(address)) {
    throw new InvalidEmailAddressError({ ...where, problem: 'it is not a plausible single address' });
  }
  return address;
}

/** Checks the recipients of one message: one to fifty plausible mailboxes. */
export function checkRecipients(addresses: readonly unknown[]): string[] {
  if (addresses.length === 0) throw new InvalidEmailAddressError({ field: 'to', problem: 'there is none' });
  if (addresses.length > MAX_RECIPIENTS) {
    throw new InvalidEmailAddressError({ field: 'to', problem: `there are more than ${MAX_RECIPIENTS}` });
  }
  return addresses.map((address, index) => checkMailbox(address, 'to', index));
}

/**
 * Checks the sender and returns it as SES expects it: a bare mailbox, or `Display Name <mailbox>` with a
 * display name that is RFC 2047-encoded when it holds accents or specials (« Secrétariat du Conseil du
 * trésor » cannot go raw in a header).
 */
export function formatSender(from: string): string {
  if (CONTROL.test(from)) {
    throw new InvalidEmailAddressError({
      field: 'from',
      problem: 'it contains a line break or a control character',
    });
  }
  const named = NAMED_MAILBOX.exec(from.trim());
  if (named === null) return checkMailbox(from, 'from');
  const displayName = (named[1] ?? '').trim().replace(/^"(.*)"$/, '$1');
  const mailbox = checkMailbox(named[2], 'from');
  if (displayName === '') return mailbox;
  const encoded = PLAIN_DISPLAY_NAME.test(displayName) ? displayName : encodeWords(displayName);
  return `${encoded} <${mailbox}>`;
}

/**
 * RFC 2047 B encoding in words of at most 75 characters (45 bytes of UTF-8 each), cut between characters so
 * that no word holds half of one.
 */
function encodeWords(text: string): string {
  const words: string[] = [];
  let chunk = '';
  for (const character of text) {
    if (Buffer.byteLength(chunk + character, 'utf8') > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += character;
  }
  words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`).join(' ');
}
