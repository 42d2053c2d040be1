import { randomBytes } from 'node:crypto';

import type { ReplyAddresses } from '../../messaging/ports';

/** RFC 4648 base32 alphabet, lower case (mail servers may lower-case local parts). */
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Random bytes per token: 128 bits, so a token cannot be guessed or enumerated. */
export const REPLY_TOKEN_BYTES = 16;

/** A reply token: 26 base32 characters (128 random bits). */
export const REPLY_TOKEN_PATTERN = /^[a-z2-7]{26}$/;

/** Base32 (RFC 4648, lower case, no padding). */
export function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let output = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      output += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) output += BASE32[(value << (5 - bits)) & 31];
  return output;
}

/** A fresh reply token from the system's cryptographic random source. */
export function newReplyToken(random: (size: number) => Uint8Array = randomBytes): string {
  return base32(random(REPLY_TOKEN_BYTES));
}

/** Where reply addresses live: `<mailbox>+<token>@<domain>`. */
export interface ReplyAddressFormat {
  readonly mailbox: string;
  readonly domain: string;
}

export function formatReplyAddress(token: string, format: ReplyAddressFormat): string {
  return `${format.mailbox}+${token}@${format.domain}`;
}

/**
 * The reply token an address carries: a `+tag` of exactly the token shape on an address of the intake domain
 * (any mailbox), lower-cased. Undefined for any other address, so a plain `+tag` never looks like a token.
 */
export function replyTokenOf(address: string, intakeDomain: string): string | undefined {
  const at = address.lastIndexOf('@');
  if (at < 0 || address.slice(at + 1).toLowerCase() !== intakeDomain.toLowerCase()) return undefined;
  const local = address.slice(0, at);
  const plus = local.indexOf('+');
  if (plus < 0) return undefined;
  const tag = local.slice(plus + 1).toLowerCase();
  return REPLY_TOKEN_PATTERN.test(tag) ? tag : undefined;
}

/** A case's own reply address. */
export interface ReplyAddress {
  readonly caseId: string;
  readonly token: string;
  readonly address: string;
}

/** Who may write on a reply token: the case it belongs to and its requester's address. */
export interface ReplyTarget {
  readonly caseId: string;
  /** Lower case. */
  readonly requesterEmail: string;
}

/**
 * The per-case reply addresses. Each case gets one address with an unguessable token; messages Jalon sends to
 * the requester carry it as Reply-To, so an answer comes back to that case and to no other. The token alone
 * does not attach a message: intake also checks that the sender is the case's requester.
 */
export interface ReplyAddressBook extends ReplyAddresses {
  /**
   * The case's reply address, created on first call. Idempotent and safe under concurrency: every call for a
   * case returns the same address (the first requester address recorded stays).
   */
  addressFor(caseId: string, requesterEmail: string): Promise<ReplyAddress>;
  /** The case's reply address if it has one (never creates it). */
  find(caseId: string): Promise<ReplyAddress | undefined>;
  /** The case and requester of a token; undefined for a token nobody was given. */
  resolve(token: string): Promise<ReplyTarget | undefined>;
}
