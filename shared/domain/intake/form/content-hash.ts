import { createHash } from 'node:crypto';

import { canonicalize } from 'json-canonicalize';

import type { Requester } from '../../case/requester';

/** What a web submission asks, as the case records it (the receipt instant and its evidence excluded). */
export interface SubmissionContent {
  readonly category: string;
  readonly requester: Requester;
  readonly subject: string;
  readonly body: string;
}

/** Identical content within this window is one submission: 10 minutes. */
export const DEDUPE_WINDOW_MS = 10 * 60 * 1000;

/** One line of text as people retype it: Unicode NFC, blanks collapsed, trimmed. */
function oneLine(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** A free text: NFC, any line ending as LF, trailing blanks of each line and blank edges dropped. */
function freeText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+\n/g, '\n')
    .trim();
}

/**
 * The SHA-256 fingerprint of a submission's content, normalized so that a resubmission of the same thing
 * hashes the same: category; name, subject, organization line (inside the body) and phone digits as one line;
 * email case-folded; the message's line endings and edge blanks; the language and its basis (not the date the
 * person attested it: a retry the next day is still the same submission).
 *
 * It keys submissions without an `Idempotency-Key` (see `hashIntakeKey`) and tells a retry from a reused key.
 */
export function submissionFingerprint(content: SubmissionContent): string {
  const { requester } = content;
  const normalized = {
    category: content.category,
    name: oneLine(requester.name),
    email: requester.email?.trim().toLowerCase() ?? null,
    phone: requester.phone?.replace(/[^0-9+]/g, '') ?? null,
    language: requester.language,
    languageBasis: requester.languageBasis?.basis ?? null,
    arrivedOn: requester.languageBasis?.arrivedOn ?? null,
    subject: oneLine(content.subject),
    body: freeText(content.body),
  };
  return createHash('sha256').update(canonicalize(normalized), 'utf8').digest('hex');
}

/** The intake key of a submission that carried an `Idempotency-Key` header. */
export function clientIntakeKey(idempotencyKey: string): string {
  return `form:key:${idempotencyKey}`;
}

/** The 10-minute bucket an instant falls in (buckets start on the epoch, so on the hour and every 10 minutes). */
export function dedupeBucket(instantMs: number): number {
  return Math.floor(instantMs / DEDUPE_WINDOW_MS);
}

/**
 * The intake key of a submission without an `Idempotency-Key`: its fingerprint and the 10-minute bucket of its
 * receipt, `form:hash:<sha256>:<bucket>`. Identical submissions in one bucket share a key, hence a case.
 *
 * At a bucket boundary (say 10:09:59 then 10:10:01) the two keys differ; `submitWebRequest` closes that gap by
 * also looking at the previous bucket's key and replaying its case when it was received less than
 * `DEDUPE_WINDOW_MS` ago. What remains: two identical submissions racing across a boundary within the time of
 * one registration (milliseconds) may give two cases; staff close the second as a duplicate.
 */
export function hashIntakeKey(fingerprint: string, instantMs: number): string {
  return `form:hash:${fingerprint}:${dedupeBucket(instantMs)}`;
}
