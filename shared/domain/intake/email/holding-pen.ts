import { createHash } from 'node:crypto';

import * as z from '../../../zod-mini';

import { CaseIdSchema, CategoryIdSchema, SubjectSchema } from '../../case/case';
import { CaseReferenceSchema } from '../../case/reference';
import { singleLineText } from '../../case/text';
import { HashSchema } from '../../ledger/events';
import { InstantSchema } from '../../time/types';

/**
 * Why a received message is in the holding pen rather than in a case:
 * - `virus`, `spam`: the mail server's verdict is FAIL (`X-SES-Virus-Verdict`, `X-SES-Spam-Verdict`);
 *   quarantined under legal hold, open for review (a false positive may hide a request);
 * - `bounce`: a delivery status notification (multipart/report, MAILER-DAEMON, postmaster, null return path);
 * - `auto-reply`: an out-of-office or vacation answer (`Auto-Submitted: auto-replied`, `X-Autoreply`,
 *   `Precedence: auto_reply`, the usual French and English subjects);
 * - `auto-generated`: other machine mail (`Auto-Submitted` other than `no`, read receipts, no-reply senders);
 * - `bulk`: `Precedence: bulk`, `junk` or `list`;
 * - `loop`: sent from the intake domain or the organization's own sender address;
 * - `no-from`: no `From:`, or one without an address;
 * - `unknown-sender`: a `From:` that is not one plausible address (several, a group, malformed);
 * - `unknown-token`: sent to a reply address whose token nobody was given (or whose case is gone);
 * - `token-mismatch`: a case's reply address, but not from that case's requester (or tokens of several cases);
 * - `sender-unverified`: from the requester's address on the case's reply address, but the receiving server
 *   found the sender forged (DMARC fail, or SPF fail without a DKIM pass);
 * - `reference-without-token`: a case reference in the subject, sent to an address without a token; or
 *   (`thread-of-case`) a new message answering a message of a confidential case (`In-Reply-To`, `References`);
 * - `flood`: a new request from a sender who already sent the policy's number of them within its window
 *   (`automaticReplies.flood`): staff decide which are requests; none is answered automatically;
 * - `oversize-message`: larger than a mail server accepts; not parsed;
 * - `processing-error`: anything unexpected while reading it (the error's name is kept).
 * None is ever answered, attached to a case or deleted by the system; staff triage them.
 */
export const HOLDING_KINDS = [
  'virus',
  'spam',
  'bounce',
  'auto-reply',
  'auto-generated',
  'bulk',
  'loop',
  'no-from',
  'unknown-sender',
  'unknown-token',
  'token-mismatch',
  'sender-unverified',
  'reference-without-token',
  'flood',
  'oversize-message',
  'processing-error',
] as const;
export const HoldingKindSchema = z.enum(HOLDING_KINDS);
export type HoldingKind = z.infer<typeof HoldingKindSchema>;

/**
 * - `open`: a person must look (it may be a request whose legal clock already runs, from `receivedAt`);
 * - `recorded`: kept for the record, nothing to do (auto-replies, bounces, bulk, loops);
 * - `resolved`: a person dealt with it (made a case, attached it, dismissed it).
 */
export const HoldingStatusSchema = z.enum(['open', 'recorded', 'resolved']);
export type HoldingStatus = z.infer<typeof HoldingStatusSchema>;

/** The status an item of each kind starts in, and whether it is under legal hold (quarantine). */
export const HOLDING_KIND_RULES: Readonly<
  Record<HoldingKind, { readonly status: 'open' | 'recorded'; readonly legalHold: boolean }>
> = {
  virus: { status: 'open', legalHold: true },
  spam: { status: 'open', legalHold: true },
  bounce: { status: 'recorded', legalHold: false },
  'auto-reply': { status: 'recorded', legalHold: false },
  'auto-generated': { status: 'recorded', legalHold: false },
  bulk: { status: 'recorded', legalHold: false },
  loop: { status: 'recorded', legalHold: false },
  'no-from': { status: 'open', legalHold: false },
  'unknown-sender': { status: 'open', legalHold: false },
  'unknown-token': { status: 'open', legalHold: false },
  'token-mismatch': { status: 'open', legalHold: false },
  'sender-unverified': { status: 'open', legalHold: false },
  'reference-without-token': { status: 'open', legalHold: false },
  flood: { status: 'open', legalHold: false },
  'oversize-message': { status: 'open', legalHold: false },
  'processing-error': { status: 'open', legalHold: false },
};

/** A short reason code (`x-ses-spam-verdict`, `oof-subject`, `several-from`…): never message content. */
export const HoldingDetailSchema = z
  .string()
  .check(z.regex(/^[a-z0-9][a-z0-9.-]{0,63}$/, 'expected a reason code'));

/** An intake mailbox: the local part of an address, lower case, without its `+tag`. */
export const MailboxSchema = z.string().check(z.regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'expected a mailbox'));

/**
 * One received message in the holding pen. It names the raw message (`rawKey`, the evidence, kept in the
 * raw-mail bucket) and keeps only what triage needs: the receipt instant (the legal clock start if staff
 * make a case of it), the sanitized subject and the sender's domain, never the sender's address or the body.
 */
export const HoldingItemSchema = z.strictObject({
  /** SHA-256 of the raw key: a redelivered S3 event finds the same item. */
  itemId: HashSchema,
  kind: HoldingKindSchema,
  status: HoldingStatusSchema,
  legalHold: z.boolean(),
  rawKey: singleLineText(1024),
  receivedAt: InstantSchema,
  recordedAt: InstantSchema,
  detail: z.optional(HoldingDetailSchema),
  subject: z.optional(SubjectSchema),
  fromDomain: z.optional(singleLineText(255)),
  /** SHA-256 of the Message-ID (or of the message). */
  messageId: z.optional(HashSchema),
  /** The case a reply token pointed to, or the case already made from the message before an error. */
  caseId: z.optional(CaseIdSchema),
  /** A case reference quoted in the subject. */
  reference: z.optional(CaseReferenceSchema),
  /** The case that reference names, when intake found it (the reference alone is looked up at read time). */
  referencedCaseId: z.optional(CaseIdSchema),
  /**
   * Set by intake when it looked the reference up: false when no case had it. A reference is never reused and
   * one quoted before its case existed cannot be about that case, so it is not looked up again.
   */
  referenceFound: z.optional(z.boolean()),
  /**
   * Decided when the item was held: the message names a confidential case or was sent to a confidential
   * mailbox. Only ever widens access rules: every read decides again (`heldAccess`), so an item held before
   * its case became confidential, or stored before this field existed, is protected too.
   */
  confidential: z.optional(z.boolean()),
  /** The case made from a message this one answers (`In-Reply-To`, `References`), when intake found one. */
  threadCaseId: z.optional(CaseIdSchema),
  /** For `processing-error`: the error's name (never its message). */
  errorName: z.optional(singleLineText(128)),
  attachmentCount: z.optional(z.number().check(z.int(), z.gte(0))),
  /** The intake mailbox it was sent to (local part, lower case, without `+tag`), when it could be read. */
  mailbox: z.optional(MailboxSchema),
  /** The category that mailbox routes to (`categoryFor`): it decides who may triage the item. */
  category: z.optional(CategoryIdSchema),
  resolvedAt: z.optional(InstantSchema),
  resolvedBy: z.optional(singleLineText(128)),
  /** The role in which the person acted. */
  resolvedRole: z.optional(HoldingDetailSchema),
  /** What was done (`case-created`, `attached`, `dismissed`…). */
  resolution: z.optional(HoldingDetailSchema),
  /** The case the item was attached to or registered as. */
  resolvedCaseId: z.optional(CaseIdSchema),
  /** Why it was dismissed (`spam`, `auto-reply`, `bounce`, `duplicate`, `other`). */
  dismissReason: z.optional(HoldingDetailSchema),
  /** The staff member's note on a dismissal (`other`); no message content. */
  dismissNote: z.optional(singleLineText(500)),
});
export type HoldingItem = z.infer<typeof HoldingItemSchema>;

/** The item id of a raw message: SHA-256 of its object key. */
export function holdingItemId(rawKey: string): string {
  return createHash('sha256').update(rawKey, 'utf8').digest('hex');
}

export interface HoldingPage {
  readonly items: HoldingItem[];
  /** Opaque; absent on the last page. */
  readonly cursor?: string;
}

export interface HoldingResolution {
  readonly at: string;
  readonly by: string;
  readonly resolution: string;
  readonly caseId?: string;
  readonly role?: string;
  readonly dismissReason?: string;
  readonly dismissNote?: string;
}

/** Which items to list: one status (`open` by default), optionally one kind, oldest or newest receipt first. */
export interface HoldingQuery {
  readonly status: HoldingStatus;
  readonly kind?: HoldingKind;
  readonly order?: 'oldest' | 'newest';
  readonly limit?: number;
  readonly cursor?: string;
}

/**
 * One access to confidential held mail that no case ledger holds: a read of a confidential item naming no
 * case, or one list request that showed confidential items (one record per request, whatever the rows). Ids,
 * roles and instants only: never a subject, a sender or a text.
 */
export const HoldingAccessRecordSchema = z.strictObject({
  /** Unique per record (a random id). */
  recordId: HashSchema,
  at: InstantSchema,
  /** The staff member's subject id. */
  by: singleLineText(128),
  /** The role that granted the access. */
  role: HoldingDetailSchema,
  action: z.enum(['read', 'list']),
  scope: z.enum(['content', 'metadata']),
  /** The confidential items read or listed. */
  itemIds: z.array(HashSchema).check(z.minLength(1), z.maxLength(100)),
  /** The cases those items name, if any. */
  caseIds: z.optional(z.array(CaseIdSchema).check(z.maxLength(100))),
});
export type HoldingAccessRecord = z.infer<typeof HoldingAccessRecordSchema>;

/**
 * Where received mail that is not filed on a case waits for staff. Items are written once per raw message and
 * never deleted: a resolution changes the status only, and legal hold stays.
 */
export interface HoldingPen {
  /**
   * Records an item unless one exists for the same raw message (a redelivered event), in which case the
   * existing item is returned unchanged (`created: false`).
   */
  hold(item: HoldingItem): Promise<{ readonly item: HoldingItem; readonly created: boolean }>;
  get(itemId: string): Promise<HoldingItem | undefined>;
  /** Items of one status, oldest receipt first, at most `limit` (default 50, at most 100) per page. */
  listByStatus(status: HoldingStatus, options?: { limit?: number; cursor?: string }): Promise<HoldingPage>;
  /**
   * Items of one status (and kind, when given) in receipt order, at most `limit` (default 50, at most 100)
   * per page; a page may hold fewer items than the limit when a kind is filtered, and its cursor continues.
   */
  list(query: HoldingQuery): Promise<HoldingPage>;
  /**
   * Marks an open or recorded item resolved (who, in which role, when, what was done, on which case, why),
   * with a conditional write: of two people triaging one item at once, exactly one succeeds.
   *
   * @throws HoldingItemResolvedError when it is already resolved; HoldingItemNotFoundError when absent.
   */
  resolve(itemId: string, resolution: HoldingResolution): Promise<HoldingItem>;
  /**
   * Appends a record to the holding pen's access journal (append-only: records are never changed or
   * deleted). Throws when it cannot be written, so that nothing is shown unrecorded.
   */
  recordAccess(record: HoldingAccessRecord): Promise<void>;
  /** The journal's records naming an item, oldest first. */
  accessRecords(itemId: string): Promise<HoldingAccessRecord[]>;
}
