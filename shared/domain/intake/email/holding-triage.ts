import * as z from '../../../zod-mini';

import {
  AccessDeniedError,
  BusinessRuleError,
  CaseNotFoundError,
  HoldingItemNotFoundError,
  HoldingItemResolvedError,
  RawMailNotFoundError,
} from '../../../errors';
import type { AttachmentRef } from '../../case/case';
import { BodySchema, CaseIdSchema, CategoryIdSchema, SubjectSchema } from '../../case/case';
import { authorize, isConfidentialCase, requireRoleFor } from '../../access/case-access';
import type { AccessDecision, ReadScope, StaffAction } from '../../access/case-access';
import type { CaseReferenceLookup } from '../../case/reference';
import { isEmailAddress } from '../../case/email-address';
import { parseOrThrow } from '../../case/parse';
import { RequesterSchema } from '../../case/requester';
import { singleLineText } from '../../case/text';
import type { StaffIdentity } from '../../identity/identity';
import { staffNamesOf } from '../../identity/staff-names';
import type { StaffNames } from '../../identity/staff-names';
import type { StaffDirectory } from '../../identity/staff-directory';
import type { Actor, RefusedAttachment } from '../../ledger/events';
import { getCategory } from '../../policy/category';
import { caseIdFor, registerCase } from '../register-case';
import type { IntakeDeps } from '../register-case';
import { DEFAULT_ATTACHMENT_LIMITS } from './attachments';
import type { AttachmentLimits } from './attachments';
import { heldAccess, recordHeldList, recordHeldRead } from './held-access';
import type { HeldAccess, ShownHeldItem } from './held-access';
import { HoldingKindSchema, HoldingStatusSchema } from './holding-pen';
import type { HoldingAccessRecord, HoldingItem, HoldingPen } from './holding-pen';
import { senderAuthenticationOf, type SenderAuthentication } from './authentication';
import { readHeaders } from './headers';
import { parseEmail } from './parse';
import type { InboundEmail } from './parse';
import type { AttachmentStore, RawMailReader } from './ports';
import { threadFingerprints } from './receipt';
import { MAX_RAW_MESSAGE_BYTES } from './receive-email';
import { messageFiles, storeMessageAttachments } from './stored-attachments';
import { caseBody, caseSubject, singleLine } from './sanitize';

/** What reading the holding pen needs. */
export interface HoldingReadDeps extends Pick<IntakeDeps, 'ledger' | 'clock' | 'policy'> {
  readonly holdingPen: HoldingPen;
  /** Reads the held message (read-only) to show its sanitized text and attachment list. */
  readonly rawMail: RawMailReader;
  readonly rawMailBucket: string;
  /** Finds the case a quoted reference names: mail naming a case takes that case's access rules. */
  readonly caseReferences: CaseReferenceLookup;
  /** The receiving server whose `Authentication-Results` is trusted (`amazonses.com` unless set). */
  readonly authservId?: string;
  /** Who staff ids are (display names), for the triage record's byline; ids alone when absent. */
  readonly directory?: Pick<StaffDirectory, 'member'>;
}

/** What triage needs on top: intake (references, workflow) and the attachment store. */
export interface HoldingTriageDeps extends HoldingReadDeps, IntakeDeps {
  readonly attachments: AttachmentStore;
  readonly attachmentLimits?: AttachmentLimits;
}

/**
 * The action triage is checked as: filing a message on a case, or making a case of it, takes the rights of
 * handling a case (any action other than reading gives the same answer in `authorize`).
 */
const TRIAGE_ACTION: StaffAction = 'answer';

export const HoldingListQuerySchema = z.strictObject({
  status: z._default(HoldingStatusSchema, 'open'),
  kind: z.optional(HoldingKindSchema),
  order: z._default(z.enum(['oldest', 'newest']), 'oldest'),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(100)), 50),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
});
export type HoldingListQuery = z.input<typeof HoldingListQuerySchema>;

export const AttachHeldInputSchema = z.strictObject({ caseId: CaseIdSchema });
export type AttachHeldInput = z.infer<typeof AttachHeldInputSchema>;

export const RegisterHeldInputSchema = z.strictObject({
  category: CategoryIdSchema,
  requester: RequesterSchema,
  /** The case subject; the message's sanitized subject when absent. */
  subject: z.optional(SubjectSchema),
  /** The case body; the message's sanitized text when absent. */
  body: z.optional(BodySchema),
});
export type RegisterHeldInput = z.infer<typeof RegisterHeldInputSchema>;

export const DISMISS_REASONS = ['spam', 'auto-reply', 'bounce', 'duplicate', 'other'] as const;

/** English text of the missing-note check; the HTTP layer knows its French (`shared/schemas/staff-api.ts`). */
export const DISMISS_NOTE_REQUIRED_MESSAGE = 'is required when the reason is "other"';

export const DismissHeldInputSchema = z
  .strictObject({
    reason: z.enum(DISMISS_REASONS),
    note: z.optional(singleLineText(500)),
  })
  .check(
    z.refine((input) => input.reason !== 'other' || input.note !== undefined, {
      path: ['note'],
      message: DISMISS_NOTE_REQUIRED_MESSAGE,
      params: { fr: 'est obligatoire quand le motif est « other »' },
    }),
  );
export type DismissHeldInput = z.infer<typeof DismissHeldInputSchema>;

/** A list row: metadata only; the subject only for readers of the content. */
export interface HoldingListRow {
  readonly itemId: string;
  readonly kind: HoldingItem['kind'];
  readonly status: HoldingItem['status'];
  readonly legalHold: boolean;
  readonly receivedAt: string;
  readonly mailbox?: string;
  readonly fromDomain?: string;
  readonly attachmentCount?: number;
  readonly subject?: string;
}

/** The triage record of an item: who, in which role, when, what, on which case, why. */
export interface HoldingTriageRecord {
  readonly outcome: string;
  readonly by: string;
  readonly role?: string;
  readonly at: string;
  readonly caseId?: string;
  readonly reason?: string;
  readonly note?: string;
}

/** An item as its page shows it: metadata for everyone allowed; the message itself with the `content` scope. */
export interface HoldingItemDetail extends HoldingListRow {
  readonly scope: ReadScope;
  /** Decided as for access (a confidential mailbox or case, or no known mailbox): every read of it is logged. */
  readonly confidential: boolean;
  readonly detail?: string;
  readonly recordedAt: string;
  readonly rawKey: string;
  /** The display name of whoever triaged it, when the directory has one (`staffNamesOf`). */
  readonly staffNames?: StaffNames;
  readonly reference?: string;
  readonly errorName?: string;
  readonly category?: string;
  /** The case a reply token, a quoted reference or an earlier try pointed to, when the reader may see it. */
  readonly suggestedCase?: { readonly caseId: string; readonly reference?: string };
  readonly triage?: HoldingTriageRecord;
  /**
   * For a confidential item: the holding pen's access journal records naming it (reads of it when it names no
   * case, list requests that showed it), this read included. Reads of an item naming a case are `case.read`
   * events on that case's ledger.
   */
  readonly accessRecords?: readonly HoldingAccessRecord[];
  /** Only with scope `content`; absent when the message cannot be read (oversize, unparseable). */
  readonly message?: {
    readonly from?: { readonly address: string; readonly name?: string };
    readonly subject?: string;
    readonly text: string;
    readonly attachments: readonly {
      readonly filename: string;
      readonly contentType: string;
      readonly size: number;
    }[];
  };
}

export interface HoldingListResult {
  readonly items: readonly HoldingListRow[];
  readonly cursor?: string;
}

export interface AttachHeldResult {
  readonly replayed: boolean;
  readonly itemId: string;
  readonly caseId: string;
  readonly seq: number;
  readonly triage: HoldingTriageRecord;
}

export interface RegisterHeldResult {
  readonly replayed: boolean;
  readonly itemId: string;
  readonly caseId: string;
  readonly reference: string;
  readonly receivedAt: string;
  readonly triage: HoldingTriageRecord;
}

export interface DismissHeldResult {
  readonly replayed: boolean;
  readonly itemId: string;
  readonly legalHold: boolean;
  readonly triage: HoldingTriageRecord;
}

/**
 * How access to an item is decided (`heldAccess`); the thread links of an item held before intake recorded
 * them are read again from its raw message headers.
 */
function accessOf(deps: HoldingReadDeps, item: HoldingItem): Promise<HeldAccess> {
  return heldAccess({ ...deps, threadOf: (legacy) => threadOfRaw(deps, legacy) }, item);
}

async function threadOfRaw(deps: HoldingReadDeps, item: HoldingItem): Promise<readonly string[]> {
  if (item.kind === 'oversize-message') return [];
  try {
    const raw = await deps.rawMail.read(
      { bucket: deps.rawMailBucket, key: item.rawKey },
      { maxBytes: MAX_RAW_MESSAGE_BYTES },
    );
    return threadFingerprints(readHeaders(raw.bytes));
  } catch (error) {
    // Without its raw message an item is judged on its other links (and its mailbox).
    if (error instanceof RawMailNotFoundError) return [];
    throw error;
  }
}

/**
 * The item, if it exists and the person may do `action` on it.
 *
 * @throws HoldingItemNotFoundError (absent, or hidden from the person), AccessDeniedError
 */
async function loadItemFor(
  deps: HoldingReadDeps,
  identity: StaffIdentity,
  action: StaffAction,
  itemId: string,
): Promise<{
  item: HoldingItem;
  decision: Extract<AccessDecision, { allowed: true }>;
  access: HeldAccess;
}> {
  requireRoleFor(identity, action);
  const item = /^[0-9a-f]{64}$/.test(itemId) ? await deps.holdingPen.get(itemId) : undefined;
  if (item === undefined) throw new HoldingItemNotFoundError(itemId);
  const access = await accessOf(deps, item);
  const decision = authorize(identity, action, access.target, deps.policy);
  if (decision.allowed) return { item, decision, access };
  if (decision.refusal === 'hidden') throw new HoldingItemNotFoundError(itemId);
  throw new AccessDeniedError(action === 'read' ? 'read' : 'triage', { itemId });
}

function listRow(item: HoldingItem, scope: ReadScope): HoldingListRow {
  return {
    itemId: item.itemId,
    kind: item.kind,
    status: item.status,
    legalHold: item.legalHold,
    receivedAt: item.receivedAt,
    ...(item.mailbox !== undefined ? { mailbox: item.mailbox } : {}),
    ...(item.fromDomain !== undefined ? { fromDomain: item.fromDomain } : {}),
    ...(item.attachmentCount !== undefined ? { attachmentCount: item.attachmentCount } : {}),
    ...(scope === 'content' && item.subject !== undefined ? { subject: item.subject } : {}),
  };
}

function triageRecord(item: HoldingItem): HoldingTriageRecord | undefined {
  if (item.status !== 'resolved' || item.resolution === undefined) return undefined;
  return {
    outcome: item.resolution,
    by: item.resolvedBy ?? '',
    ...(item.resolvedRole !== undefined ? { role: item.resolvedRole } : {}),
    at: item.resolvedAt ?? '',
    ...(item.resolvedCaseId !== undefined ? { caseId: item.resolvedCaseId } : {}),
    ...(item.dismissReason !== undefined ? { reason: item.dismissReason } : {}),
    ...(item.dismissNote !== undefined ? { note: item.dismissNote } : {}),
  };
}

/**
 * The items of the holding pen that the person may see, one status at a time (`open` by default), optionally
 * of one kind, oldest or newest receipt first, a page at a time (the cursor continues). Rows are metadata
 * (kind, status, legal hold, received at, mailbox, sender domain, attachment count); the subject only for
 * those who may read the content. Items hidden from the person (confidential mail) are left out of the page.
 * A page showing confidential items is recorded first, once per request (`recordHeldList`); if that record
 * cannot be written, nothing is shown.
 *
 * @throws AccessDeniedError (no staff role), ValidationError (bad cursor), StoreError (record not written)
 */
export async function listHoldingItems(
  deps: HoldingReadDeps,
  identity: StaffIdentity,
  query: HoldingListQuery = {},
): Promise<HoldingListResult> {
  requireRoleFor(identity, 'read');
  const parsed = parseOrThrow(HoldingListQuerySchema, query, 'holding-pen query');
  const page = await deps.holdingPen.list({
    status: parsed.status,
    ...(parsed.kind !== undefined ? { kind: parsed.kind } : {}),
    order: parsed.order,
    limit: parsed.limit,
    ...(parsed.cursor !== undefined ? { cursor: parsed.cursor } : {}),
  });
  const shown: ShownHeldItem[] = [];
  for (const item of page.items) {
    const access = await accessOf(deps, item);
    const decision = authorize(identity, 'read', access.target, deps.policy);
    if (decision.allowed) shown.push({ item, access, decision });
  }
  await recordHeldList(deps, identity, shown);
  const items = shown.map(({ item, decision }) => listRow(item, decision.scope));
  return { items, ...(page.cursor !== undefined ? { cursor: page.cursor } : {}) };
}

/** The held message parsed again from the raw mail, or undefined when it cannot be (too large, unparseable). */
async function readMessage(deps: HoldingReadDeps, item: HoldingItem): Promise<InboundEmail | undefined> {
  return (await readRawMessage(deps, item)).email;
}

/**
 * The held message read again: parsed (when it can be), and the receiving server's verdicts on its sender
 * (`senderAuthenticationOf`, from its own topmost `Authentication-Results` only).
 */
async function readRawMessage(
  deps: HoldingReadDeps,
  item: HoldingItem,
): Promise<{ email?: InboundEmail; senderAuthentication?: SenderAuthentication }> {
  if (item.kind === 'oversize-message') return {};
  const raw = await deps.rawMail.read(
    { bucket: deps.rawMailBucket, key: item.rawKey },
    { maxBytes: MAX_RAW_MESSAGE_BYTES },
  );
  if (raw.bytes.length === 0) return {};
  const senderAuthentication = senderAuthenticationOf(readHeaders(raw.bytes), deps.authservId);
  try {
    return { email: await parseEmail(raw.bytes), senderAuthentication };
  } catch {
    // A message the parser cannot read stays in the raw mail only; staff see its metadata.
    return { senderAuthentication };
  }
}

function senderOf(email: InboundEmail): { address: string; name?: string } | undefined {
  const [first] = email.from;
  if (first === undefined || first.address === '' || !isEmailAddress(first.address)) return undefined;
  const name = singleLine(first.name, 200);
  return { address: first.address, ...(name !== undefined ? { name } : {}) };
}

/**
 * One item's page. Everyone allowed to see it gets its metadata, the raw message key (the evidence) and its
 * triage record; those who may read the content also get the message as intake reads it: sender, subject,
 * sanitized text (HTML reduced to text, control characters removed), attachment names, types and sizes, and
 * the suggested case when they may see that case. The raw message is only read, never returned. The page says
 * whether the item is confidential (decided as for access, `heldAccess`); every read of a confidential item is
 * recorded before anything is shown (`recordHeldRead`: on the ledger of the case it names, else in the
 * holding pen's access journal), and nothing is shown when that record cannot be written.
 *
 * @throws HoldingItemNotFoundError (absent or hidden), AccessDeniedError, StoreError (record not written)
 */
export async function getHoldingItem(
  deps: HoldingReadDeps,
  identity: StaffIdentity,
  itemId: string,
): Promise<HoldingItemDetail> {
  const { item, decision, access } = await loadItemFor(deps, identity, 'read', itemId);
  const confidential = access.target.confidential;
  await recordHeldRead(deps, identity, decision, item, access);
  const accessRecords = confidential ? await deps.holdingPen.accessRecords(item.itemId) : undefined;
  const triage = triageRecord(item);
  const base: HoldingItemDetail = {
    ...listRow(item, decision.scope),
    scope: decision.scope,
    confidential,
    ...(item.detail !== undefined ? { detail: item.detail } : {}),
    recordedAt: item.recordedAt,
    rawKey: item.rawKey,
    ...(item.reference !== undefined ? { reference: item.reference } : {}),
    ...(item.errorName !== undefined ? { errorName: item.errorName } : {}),
    ...(item.category !== undefined ? { category: item.category } : {}),
    ...(triage !== undefined ? { triage, staffNames: await staffNamesOf(deps.directory, [triage.by]) } : {}),
    ...(accessRecords !== undefined ? { accessRecords } : {}),
  };
  if (decision.scope !== 'content') return base;

  let suggestedCase: HoldingItemDetail['suggestedCase'];
  const { suggested } = access;
  if (suggested !== undefined && authorize(identity, 'read', suggested, deps.policy).allowed) {
    suggestedCase = {
      caseId: suggested.caseId,
      ...(suggested.reference !== undefined ? { reference: suggested.reference } : {}),
    };
  }
  const email = await readMessage(deps, item);
  if (email === undefined) return { ...base, ...(suggestedCase !== undefined ? { suggestedCase } : {}) };
  const from = senderOf(email);
  const subject = singleLine(email.subject, 300);
  return {
    ...base,
    ...(suggestedCase !== undefined ? { suggestedCase } : {}),
    message: {
      ...(from !== undefined ? { from } : {}),
      ...(subject !== undefined ? { subject } : {}),
      text: caseBody(email.text, email.html),
      attachments: messageFiles(email).map((file) => ({
        filename: file.filename,
        contentType: file.contentType,
        size: file.content.length,
      })),
    },
  };
}

/**
 * Stores the message's acceptable attachments for `caseId` (same screening and key scheme as email intake),
 * except for a message the mail server found infected: its files stay in the raw message only.
 */
async function keepAttachments(
  deps: HoldingTriageDeps,
  item: HoldingItem,
  caseId: string,
  email: InboundEmail | undefined,
): Promise<{ kept: AttachmentRef[]; refused: RefusedAttachment[] }> {
  if (email === undefined || item.kind === 'virus') return { kept: [], refused: [] };
  return storeMessageAttachments(
    deps.attachments,
    email,
    deps.attachmentLimits ?? DEFAULT_ATTACHMENT_LIMITS,
    `${caseId}/${(item.messageId ?? item.itemId).slice(0, 16)}`,
  );
}

/**
 * Marks the item triaged, or recognizes that this very triage was already recorded (a retry): `matches`
 * says whether a recorded outcome is the same one. Another outcome already recorded is a conflict.
 *
 * @throws HoldingItemResolvedError
 */
async function claim(
  deps: HoldingTriageDeps,
  item: HoldingItem,
  resolution: {
    by: string;
    role: string;
    resolution: string;
    caseId?: string;
    dismissReason?: string;
    dismissNote?: string;
  },
  matches: (resolved: HoldingItem) => boolean,
): Promise<{ item: HoldingItem; replayed: boolean }> {
  if (item.status === 'resolved') {
    if (matches(item)) return { item, replayed: true };
    throw new HoldingItemResolvedError(item.itemId);
  }
  try {
    const resolved = await deps.holdingPen.resolve(item.itemId, {
      ...resolution,
      at: deps.clock.now().toISOString(),
    });
    return { item: resolved, replayed: false };
  } catch (error) {
    if (!(error instanceof HoldingItemResolvedError)) throw error;
    // Another request triaged it first: the same triage (a concurrent retry) is a replay, anything else a conflict.
    const current = await deps.holdingPen.get(item.itemId);
    if (current !== undefined && matches(current)) return { item: current, replayed: true };
    throw error;
  }
}

function triageActor(identity: StaffIdentity, decision: Extract<AccessDecision, { allowed: true }>): Actor {
  return { kind: 'staff', id: identity.id, role: decision.grantedBy };
}

/**
 * Files a held message on an existing case, as a requester's reply would be: `message.received` on the case
 * ledger (`from: 'other'`, the staff member as actor, the sanitized text, the accepted attachments stored for
 * the case, the mail server's receipt time, the item id), and the item triaged (`attached`, who, role, when,
 * case).
 *
 * Rules: the person may triage the item (see `heldAccess`) and handle the case (`authorize`); a confidential
 * item goes on a confidential case only (`CONFIDENTIAL_MESSAGE`, 422); an item already triaged otherwise is a
 * conflict (409). The item is claimed first with a conditional write, so of
 * two clerks only one files it; the ledger append is idempotent (`holding:<itemId>`), so a retry of the same
 * attach (same case) completes a half-done one and answers `replayed`.
 *
 * @throws HoldingItemNotFoundError, CaseNotFoundError, AccessDeniedError, HoldingItemResolvedError
 */
export async function attachHeldMessage(
  deps: HoldingTriageDeps,
  identity: StaffIdentity,
  itemId: string,
  input: AttachHeldInput,
): Promise<AttachHeldResult> {
  const { caseId } = parseOrThrow(AttachHeldInputSchema, input, 'attach request');
  const { item, decision, access } = await loadItemFor(deps, identity, TRIAGE_ACTION, itemId);
  const projection = await deps.ledger.getCase(caseId);
  if (projection === undefined) throw new CaseNotFoundError(caseId);
  const onCase = authorize(identity, TRIAGE_ACTION, projection, deps.policy);
  if (!onCase.allowed) {
    if (onCase.refusal === 'hidden') throw new CaseNotFoundError(caseId);
    throw new AccessDeniedError('attach', { caseId });
  }
  if (access.target.confidential && !isConfidentialCase(projection, deps.policy)) {
    throw new BusinessRuleError(
      'CONFIDENTIAL_MESSAGE',
      {
        fr: 'Ce courriel est confidentiel : il ne peut être versé qu’à un dossier confidentiel.',
        en: 'This message is confidential: it can only be filed on a confidential case.',
      },
      { caseId },
    );
  }

  const claimed = await claim(
    deps,
    item,
    { by: identity.id, role: decision.grantedBy, resolution: 'attached', caseId },
    (resolved) => resolved.resolution === 'attached' && resolved.resolvedCaseId === caseId,
  );
  const email = await readMessage(deps, item);
  const { kept, refused } = await keepAttachments(deps, item, caseId, email);
  const from = email === undefined ? undefined : senderOf(email);
  const subject = email === undefined ? item.subject : (singleLine(email.subject, 300) ?? item.subject);
  const text = email === undefined ? '' : caseBody(email.text, email.html);
  const appended = await deps.ledger.append(
    caseId,
    {
      type: 'message.received',
      at: deps.clock.now().toISOString(),
      actor: triageActor(identity, onCase),
      data: {
        messageId: item.messageId ?? item.itemId,
        rawKey: item.rawKey,
        from: 'other',
        ...(from !== undefined ? { fromAddress: from.address } : {}),
        ...(subject !== undefined ? { subject } : {}),
        ...(text !== '' ? { text } : {}),
        attachments: kept,
        receivedAt: item.receivedAt,
        ...(refused.length > 0 ? { refusedAttachments: refused.slice(0, 100) } : {}),
        holdingItemId: item.itemId,
      },
    },
    { idempotencyKey: `holding:${item.itemId}` },
  );
  return {
    replayed: claimed.replayed,
    itemId: item.itemId,
    caseId,
    seq: appended.event.seq,
    triage: triageRecord(claimed.item) ?? { outcome: 'attached', by: identity.id, at: appended.event.at },
  };
}

/**
 * Registers a held message as a new case, through `registerCase` like every other intake: channel `email`,
 * the legal clock started at the message's ORIGINAL receipt (the mail server's time, kept on the item), not
 * at triage; the case id derives from the intake key `holding:<itemId>`, so a repeat gives the same case; the
 * case's workflow is started. The subject and body are the message's sanitized ones unless staff give
 * others; the requester is what staff read in the message. The item is triaged (`case-created`).
 *
 * Rules: the person may triage the item; a confidential item (see `heldAccess`: only the complaints officer
 * may triage it) makes a confidential case whatever the category; the category exists and takes email
 * (`CHANNEL_NOT_ACCEPTED`, 422);
 * an item already triaged otherwise is a conflict (409); a retry completes and answers `replayed`.
 *
 * @throws HoldingItemNotFoundError, AccessDeniedError, UnknownCategoryError, BusinessRuleError,
 *   HoldingItemResolvedError
 */
export async function registerHeldMessage(
  deps: HoldingTriageDeps,
  identity: StaffIdentity,
  itemId: string,
  input: RegisterHeldInput,
): Promise<RegisterHeldResult> {
  const parsed = parseOrThrow(RegisterHeldInputSchema, input, 'register request');
  const { item, decision, access } = await loadItemFor(deps, identity, TRIAGE_ACTION, itemId);
  const category = getCategory(deps.policy, parsed.category);
  if (!category.channels.includes('email')) {
    throw new BusinessRuleError(
      'CHANNEL_NOT_ACCEPTED',
      {
        fr: `La catégorie « ${category.name.fr} » ne reçoit pas de demandes par courriel; choisissez une autre catégorie.`,
        en: `The category "${category.name.en}" does not take requests by email; choose another category.`,
      },
      { category: category.id, channel: 'email' },
    );
  }
  const intakeKey = `holding:${item.itemId}`;
  const caseId = caseIdFor(deps.policy, intakeKey);
  const claimed = await claim(
    deps,
    item,
    { by: identity.id, role: decision.grantedBy, resolution: 'case-created', caseId },
    (resolved) => resolved.resolution === 'case-created' && resolved.resolvedCaseId === caseId,
  );
  const { email, senderAuthentication } = await readRawMessage(deps, item);
  const { kept } = await keepAttachments(deps, item, caseId, email);
  const text = email === undefined ? '' : caseBody(email.text, email.html);
  const registered = await registerCase(deps, {
    intakeKey,
    channel: 'email',
    category: category.id,
    requester: parsed.requester,
    subject: parsed.subject ?? caseSubject(email?.subject ?? item.subject),
    body: parsed.body ?? text,
    attachments: kept,
    receivedAt: item.receivedAt,
    receiptEvidence: {
      kind: 'mail-server-time',
      reference: item.messageId ?? item.itemId,
      note: singleLine(`raw-mail ${item.rawKey} (holding pen)`, 500),
    },
    actor: triageActor(identity, decision),
    ...(access.target.confidential ? { confidential: true } : {}),
    // A sender the receiving server found forged gets no automatic message, whoever registers the mail.
    ...(senderAuthentication !== undefined ? { senderAuthentication } : {}),
  });
  return {
    replayed: claimed.replayed,
    itemId: item.itemId,
    caseId: registered.caseId,
    reference: registered.reference,
    receivedAt: registered.receivedAt,
    triage: triageRecord(claimed.item) ?? {
      outcome: 'case-created',
      by: identity.id,
      at: registered.receivedAt,
    },
  };
}

/**
 * Dismisses a held message (spam, auto-reply, bounce, duplicate, or other with a note): the item is triaged
 * (`dismissed`, who, role, when, why). Nothing is deleted: the item and the raw message stay, and a legal
 * hold stays in force. The same dismissal again answers `replayed`; any other triage already recorded is a
 * conflict (409).
 *
 * @throws HoldingItemNotFoundError, AccessDeniedError, HoldingItemResolvedError
 */
export async function dismissHeldMessage(
  deps: HoldingTriageDeps,
  identity: StaffIdentity,
  itemId: string,
  input: DismissHeldInput,
): Promise<DismissHeldResult> {
  const parsed = parseOrThrow(DismissHeldInputSchema, input, 'dismiss request');
  const { item, decision } = await loadItemFor(deps, identity, TRIAGE_ACTION, itemId);
  const claimed = await claim(
    deps,
    item,
    {
      by: identity.id,
      role: decision.grantedBy,
      resolution: 'dismissed',
      dismissReason: parsed.reason,
      ...(parsed.note !== undefined ? { dismissNote: parsed.note } : {}),
    },
    (resolved) => resolved.resolution === 'dismissed' && resolved.dismissReason === parsed.reason,
  );
  const triage = triageRecord(claimed.item);
  return {
    replayed: claimed.replayed,
    itemId: item.itemId,
    legalHold: claimed.item.legalHold,
    triage: triage ?? { outcome: 'dismissed', by: identity.id, at: deps.clock.now().toISOString() },
  };
}
