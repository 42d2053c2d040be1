import { createHash } from 'node:crypto';

import { firstHeader, headerValues, receivedDateOf, senderContent } from './headers';
import type { RawHeader } from './headers';

/**
 * How far the topmost `Received:` stamp may lie from the time the raw object was stored and still be taken
 * as the receipt time: the receiving server (SES, or the local SMTP intake) writes the object right after it
 * stamps the message, so a stamp outside this window was not written by it (a message dropped in the bucket
 * by hand, a sender's own `Received:` line, a wrong clock).
 */
export const RECEIPT_STAMP_WINDOW = {
  /** The stamp may precede the stored object by up to a day (large messages, retried deliveries). */
  beforeMs: 24 * 60 * 60 * 1000,
  /** …and follow it by five minutes of clock skew at most. */
  afterMs: 5 * 60 * 1000,
} as const;

/** The receipt instant of a message and what it was read from. */
export interface ReceiptTime {
  /** UTC ISO-8601: the legal clock start. */
  readonly receivedAt: string;
  readonly source: 'received-header' | 'object-time';
}

/**
 * When the organization received a message, i.e. when its mail server accepted it: the date of the topmost
 * `Received:` field (the one the receiving server prepends: SES in AWS, the local SMTP intake locally), when
 * it parses and lies within `RECEIPT_STAMP_WINDOW` of the time the raw object was stored; otherwise the
 * object's own time (S3 `LastModified`). Never the sender's `Date:` header, which the sender controls.
 */
export function receiptTimeOf(headers: readonly RawHeader[], objectTime: Date): ReceiptTime {
  const top = firstHeader(headers, 'received');
  const stamp = top === undefined ? undefined : receivedDateOf(top);
  if (stamp !== undefined) {
    const offset = stamp.getTime() - objectTime.getTime();
    if (offset >= -RECEIPT_STAMP_WINDOW.beforeMs && offset <= RECEIPT_STAMP_WINDOW.afterMs) {
      return { receivedAt: stamp.toISOString(), source: 'received-header' };
    }
  }
  return { receivedAt: objectTime.toISOString(), source: 'object-time' };
}

/** The Message-ID of a message, without angle brackets and comments; undefined when absent or blank. */
export function messageIdOf(headers: readonly RawHeader[]): string | undefined {
  const value = headerValues(headers, 'message-id')[0];
  if (value === undefined) return undefined;
  const bracketed = /<([^<>\s]+)>/.exec(value);
  const id = (bracketed?.[1] ?? value.replace(/\([^()]*\)/g, ' ')).trim();
  return id === '' ? undefined : id;
}

/** The identity of a message for deduplication: a SHA-256 in hex, and what it was computed from. */
export interface MessageFingerprint {
  readonly hash: string;
  readonly source: 'message-id' | 'content';
}

/**
 * The fingerprint that makes intake idempotent: the SHA-256 of the Message-ID, or, for a message without
 * one, of what the sender sent (the raw bytes without the trace and verdict fields each delivery adds), so
 * that SES delivering twice or S3 notifying twice gives the same case, never two.
 */
export function messageFingerprint(headers: readonly RawHeader[], raw: Uint8Array): MessageFingerprint {
  const messageId = messageIdOf(headers);
  if (messageId !== undefined) {
    return { hash: createHash('sha256').update(messageId, 'utf8').digest('hex'), source: 'message-id' };
  }
  return { hash: createHash('sha256').update(senderContent(raw)).digest('hex'), source: 'content' };
}

/** Most thread links read from one message (a long `References` chain names its oldest messages first). */
export const MAX_THREAD_LINKS = 20;

/**
 * The messages a message answers, as fingerprints (`messageFingerprint` of a message with that Message-ID):
 * the ids in `In-Reply-To`, then in `References` from the most recent, without duplicates, at most
 * `MAX_THREAD_LINKS`. A message that made a case has the case id `caseIdFor(policy, 'email:<fingerprint>')`.
 */
export function threadFingerprints(headers: readonly RawHeader[]): string[] {
  const ids = (name: string) =>
    headerValues(headers, name).flatMap((value) =>
      [...value.matchAll(/<([^<>\s]+)>/g)].map((match) => match[1] ?? ''),
    );
  const ordered = [...ids('in-reply-to'), ...ids('references').reverse()].filter((id) => id !== '');
  return [...new Set(ordered)]
    .slice(0, MAX_THREAD_LINKS)
    .map((id) => createHash('sha256').update(id, 'utf8').digest('hex'));
}
