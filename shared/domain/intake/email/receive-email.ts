import type { AttachmentRef } from '../../case/case';
import { isConfidentialCase } from '../../access/case-access';
import type { CaseReferenceLookup } from '../../case/reference';
import type { RefusedAttachment } from '../../ledger/events';
import type { AcceptedMessages, Notifier } from '../../messaging/ports';
import { caseIdFor, registerCase } from '../register-case';
import type { IntakeDeps } from '../register-case';
import { DEFAULT_ATTACHMENT_LIMITS } from './attachments';
import type { AttachmentLimits } from './attachments';
import type { RateCounter } from '../../messaging/rate-counter';
import { senderAuthenticationFailed, senderAuthenticationOf } from './authentication';
import { classify, decideReply, intakeRecipients } from './classify';
import type { HoldDecision, Sender } from './classify';
import { errorNameOf, isInfrastructureFailure } from './failures';
import { floodDecision } from './flood';
import { heldAccess, threadCase } from './held-access';
import { rawBody, readHeaders } from './headers';
import type { RawHeader } from './headers';
import { HOLDING_KIND_RULES, HoldingItemSchema, MailboxSchema, holdingItemId } from './holding-pen';
import type { HoldingItem, HoldingKind, HoldingPen } from './holding-pen';
import { parseEmail } from './parse';
import type { InboundEmail } from './parse';
import type { AttachmentStore, RawMail, RawMailLocation, RawMailReader } from './ports';
import { messageFingerprint, receiptTimeOf, threadFingerprints } from './receipt';
import type { ReceiptTime } from './receipt';
import { refusalNote, sendRefusalNotice } from './refusal-notice';
import type { NoticeOutcome } from './refusal-notice';
import type { ReplyAddressBook, ReplyTarget } from './reply-addresses';
import { categoryFor, mailboxOf } from './routing';
import type { EmailRouting } from './routing';
import {
  MAX_BODY_LENGTH,
  caseBody,
  caseSubject,
  domainOf,
  singleLine,
  truncate,
  undecodedBodyText,
} from './sanitize';
import { storeMessageAttachments } from './stored-attachments';

/** Larger than any mail server accepts (SES: 40 MB): such an object is held without being parsed. */
export const MAX_RAW_MESSAGE_BYTES = 48 * 1024 * 1024;

/** Deployment facts email intake works with. */
export interface EmailIntakeSettings {
  /** The domain SES receives intake mail for; reply addresses are on it. */
  readonly intakeDomain: string;
  /** The organization's sending addresses: mail from them is a loop, never a request. */
  readonly ownAddresses: readonly string[];
  readonly routing: EmailRouting;
  readonly attachmentLimits?: AttachmentLimits;
  /**
   * The authentication service id of the organization's receiving server, whose `Authentication-Results`
   * (topmost only) intake trusts: `amazonses.com` (SES) unless set; the local SMTP intake has its own.
   */
  readonly authservId?: string;
}

export interface EmailIntakeDeps extends IntakeDeps {
  readonly rawMail: RawMailReader;
  readonly attachments: AttachmentStore;
  readonly holdingPen: HoldingPen;
  readonly replyAddresses: ReplyAddressBook;
  readonly notifier: Notifier;
  /** The mail service's record of accepted messages, where it keeps one (the refusal notice is sent once). */
  readonly acceptedMessages?: AcceptedMessages;
  /** Mail per sender and window, for floods (`floodDecision`). */
  readonly rateCounter: RateCounter;
  readonly settings: EmailIntakeSettings;
  /** Finds the case a quoted reference names, so held mail naming a case takes that case's access rules. */
  readonly caseReferences: CaseReferenceLookup;
}

/** Where a received message was filed. Identifiers and counts only: it is logged. */
export type EmailIntakeResult =
  | {
      readonly outcome: 'case';
      readonly caseId: string;
      readonly reference: string;
      /** False when the same message (same Message-ID) had already made the case. */
      readonly created: boolean;
      readonly category: string;
      readonly attachments: number;
      readonly refused: number;
      readonly notice?: NoticeOutcome;
      readonly receiptSource: ReceiptTime['source'];
    }
  | {
      readonly outcome: 'reply';
      readonly caseId: string;
      /** False when this message had already been recorded on the case. */
      readonly appended: boolean;
      readonly attachments: number;
      readonly refused: number;
      readonly notice?: NoticeOutcome;
    }
  | {
      readonly outcome: 'held';
      readonly itemId: string;
      readonly kind: HoldingKind;
      /** False when the same raw message was already in the holding pen (a redelivered event). */
      readonly created: boolean;
      readonly caseId?: string;
      readonly errorName?: string;
    };

/** What is known of a message so far, for the holding-pen item if something goes wrong later. */
interface Known {
  subject?: string;
  fromDomain?: string;
  messageId?: string;
  caseId?: string;
  attachmentCount?: number;
  mailbox?: string;
  category?: string;
}

interface Context {
  readonly deps: EmailIntakeDeps;
  readonly location: RawMailLocation;
  readonly raw: RawMail;
  readonly headers: readonly RawHeader[];
  readonly receipt: ReceiptTime;
  readonly known: Known;
}

/**
 * Files one received message (the raw object SES wrote, named by an S3 event) where the rules say, and never
 * loses it:
 * - a new request from a plausible sender → a case (`registerCase`, once per Message-ID: intake key
 *   `email:<sha256>`), in the category of the mailbox it was sent to, with its own reply address;
 * - a message on a case's reply address from that case's requester → `message.received` on the case;
 * - anything else (machine mail, quarantine, unsure sender or token, a reference without a token, a new
 *   message answering a message of a confidential case) → the holding pen, never answered.
 * The legal clock starts at the mail server's receipt time (`receiptTimeOf`). Accepted attachments are stored
 * and referenced; refused ones (dangerous, too large) are left out, noted, and the requester is told.
 *
 * The raw message is only read. An unexpected error files the message in the holding pen as a
 * `processing-error` and returns; only infrastructure failures (`isInfrastructureFailure`) and a missing raw
 * object throw, so that Lambda retries the event. Every step is idempotent: a redelivered event gives the
 * same case, the same ledger events, the same holding-pen item.
 */
export async function receiveEmail(
  deps: EmailIntakeDeps,
  location: RawMailLocation,
): Promise<EmailIntakeResult> {
  const raw = await deps.rawMail.read(location, { maxBytes: MAX_RAW_MESSAGE_BYTES });
  const headers = readHeaders(raw.bytes);
  const receipt = receiptTimeOf(headers, raw.storedAt ?? deps.clock.now());
  const context: Context = { deps, location, raw, headers, receipt, known: {} };
  if (raw.size > MAX_RAW_MESSAGE_BYTES || raw.bytes.length > MAX_RAW_MESSAGE_BYTES) {
    return hold(context, { route: 'hold', kind: 'oversize-message', detail: 'raw-size' });
  }
  try {
    return await file(context);
  } catch (error) {
    if (isInfrastructureFailure(error)) throw error;
    const errorName = errorNameOf(error);
    return hold(
      context,
      { route: 'hold', kind: 'processing-error', detail: 'unexpected-error' },
      { errorName },
    );
  }
}

async function file(context: Context): Promise<EmailIntakeResult> {
  const { deps, headers, raw, known } = context;
  known.messageId = messageFingerprint(headers, raw.bytes).hash;
  const email = await parseEmail(raw.bytes);
  const subject = singleLine(email.subject, 300);
  if (subject !== undefined) known.subject = subject;
  const fromDomain = domainOf(email.from[0]?.address);
  if (fromDomain !== undefined) known.fromDomain = fromDomain;
  known.attachmentCount = email.attachments.length;
  const recipients = intakeRecipients(headers, email, deps.settings.intakeDomain);
  const [firstRecipient] = recipients;
  const mailbox = firstRecipient === undefined ? undefined : mailboxOf(firstRecipient);
  if (MailboxSchema.safeParse(mailbox).success) known.mailbox = mailbox;
  known.category = categoryFor(deps.settings.routing, deps.policy, recipients);

  const classification = classify(headers, email, {
    intakeDomain: deps.settings.intakeDomain,
    ownAddresses: deps.settings.ownAddresses.map((address) => address.toLowerCase()),
    routing: deps.settings.routing,
    policy: deps.policy,
  });
  switch (classification.route) {
    case 'hold': {
      // Quarantined mail is not looked into further; machine mail to a case address names the case for staff.
      const quarantined = classification.kind === 'spam' || classification.kind === 'virus';
      const [token] = classification.tokens;
      const target =
        quarantined || token === undefined ? undefined : await deps.replyAddresses.resolve(token);
      if (target !== undefined) known.caseId = target.caseId;
      return hold(context, classification);
    }
    case 'reply': {
      const targets = await Promise.all(
        classification.tokens.map((token) => deps.replyAddresses.resolve(token)),
      );
      const decision = decideReply(targets, classification.sender, headers, deps.settings.authservId);
      if (decision.route === 'hold') {
        if (decision.caseId !== undefined) known.caseId = decision.caseId;
        return hold(context, decision);
      }
      return fileReply(context, email, classification.sender, decision.target);
    }
    case 'new': {
      // A new message answering a message of a confidential case is about that case: it is held for the
      // complaints officer rather than made an ordinary case that agents would read.
      const thread = await threadCase(deps, threadFingerprints(headers));
      if (thread !== undefined && isConfidentialCase(thread, deps.policy)) {
        return hold(context, { route: 'hold', kind: 'reference-without-token', detail: 'thread-of-case' });
      }
      const flood = await floodDecision(
        deps.rateCounter,
        deps.policy,
        classification.sender,
        known.messageId,
        context.receipt.receivedAt,
      );
      if (flood !== undefined) return hold(context, flood);
      return fileNewRequest(context, email, classification.sender, classification.category);
    }
  }
}

/** Stores the accepted attachments under `<caseId>/<message hash>/<nn>-<name>` and lists the refused ones. */
function keepAttachments(
  context: Context,
  caseId: string,
  email: InboundEmail,
): Promise<{ kept: AttachmentRef[]; refused: RefusedAttachment[] }> {
  const { deps, known } = context;
  return storeMessageAttachments(
    deps.attachments,
    email,
    deps.settings.attachmentLimits ?? DEFAULT_ATTACHMENT_LIMITS,
    `${caseId}/${(known.messageId ?? '').slice(0, 16)}`,
  );
}

async function fileNewRequest(
  context: Context,
  email: InboundEmail,
  sender: Sender,
  category: string,
): Promise<EmailIntakeResult> {
  const { deps, known, receipt, location } = context;
  const limits = deps.settings.attachmentLimits ?? DEFAULT_ATTACHMENT_LIMITS;
  const messageHash = known.messageId ?? '';
  const intakeKey = `email:${messageHash}`;
  const caseId = caseIdFor(deps.policy, intakeKey);
  const { kept, refused } = await keepAttachments(context, caseId, email);

  const note = refused.length > 0 ? `\n\n${refusalNote(refused, limits)}` : '';
  const room = MAX_BODY_LENGTH - Array.from(note).length;
  let text = caseBody(email.text, email.html, room);
  if (text === '' && email.attachments.length === 0) {
    // Nothing decoded and nothing attached: the MIME structure hid the text (broken or missing boundary).
    text = caseBody(undecodedBodyText(rawBody(context.raw.bytes)), undefined, room);
  }
  const body = `${text}${note}`.trim();
  const subject = caseSubject(email.subject);
  const senderAuthentication = senderAuthenticationOf(context.headers, deps.settings.authservId);
  const registered = await registerCase(deps, {
    intakeKey,
    channel: 'email',
    category,
    requester: {
      // People write without a display name; the address then names them (cut to the name's length).
      name: singleLine(sender.name, 200) ?? truncate(sender.address, 200),
      email: sender.address,
      language: 'fr',
    },
    subject,
    body,
    attachments: kept,
    receivedAt: receipt.receivedAt,
    senderAuthentication,
    receiptEvidence: {
      kind: 'mail-server-time',
      reference: messageHash,
      note: singleLine(
        `raw-mail ${location.key} (${receipt.source === 'received-header' ? 'Received stamp' : 'object time'})`,
        500,
      ),
    },
    actor: { kind: 'citizen' },
  });
  known.caseId = registered.caseId;
  const reply = await deps.replyAddresses.addressFor(registered.caseId, sender.address);

  let notice: NoticeOutcome | undefined;
  // A sender the receiving server found forged is told nothing: the address is probably someone else's.
  if (refused.length > 0 && !senderAuthenticationFailed(senderAuthentication)) {
    const projection = await deps.ledger.getCase(registered.caseId);
    notice = await sendRefusalNotice(deps, {
      caseId: registered.caseId,
      reference: registered.reference,
      category: projection?.category ?? category,
      requester: projection?.requester ?? { name: sender.address, email: sender.address, language: 'fr' },
      to: sender.address,
      replyTo: reply.address,
      subject,
      receivedAt: registered.receivedAt,
      messageHash,
      refused,
      limits,
    });
  }
  return {
    outcome: 'case',
    caseId: registered.caseId,
    reference: registered.reference,
    created: registered.created,
    category,
    attachments: kept.length,
    refused: refused.length,
    ...(notice !== undefined ? { notice } : {}),
    receiptSource: receipt.source,
  };
}

async function fileReply(
  context: Context,
  email: InboundEmail,
  sender: Sender,
  target: ReplyTarget,
): Promise<EmailIntakeResult> {
  const { deps, known, receipt, location } = context;
  known.caseId = target.caseId;
  const projection = await deps.ledger.getCase(target.caseId);
  if (projection === undefined) {
    return hold(context, { route: 'hold', kind: 'unknown-token', detail: 'case-missing' });
  }
  const limits = deps.settings.attachmentLimits ?? DEFAULT_ATTACHMENT_LIMITS;
  const messageHash = known.messageId ?? '';
  const { kept, refused } = await keepAttachments(context, target.caseId, email);
  const subject = singleLine(email.subject, 300);
  const text = caseBody(email.text, email.html);
  const appended = await deps.ledger.append(
    target.caseId,
    {
      type: 'message.received',
      at: deps.clock.now().toISOString(),
      actor: { kind: 'citizen' },
      data: {
        messageId: messageHash,
        rawKey: location.key,
        from: 'requester',
        ...(subject !== undefined ? { subject } : {}),
        ...(text !== '' ? { text } : {}),
        attachments: kept,
        receivedAt: receipt.receivedAt,
        ...(refused.length > 0 ? { refusedAttachments: refused.slice(0, 100) } : {}),
      },
    },
    { idempotencyKey: `email:${messageHash}` },
  );

  let notice: NoticeOutcome | undefined;
  if (refused.length > 0 && projection.reference !== undefined) {
    const reply = await deps.replyAddresses.addressFor(target.caseId, target.requesterEmail);
    notice = await sendRefusalNotice(deps, {
      caseId: target.caseId,
      reference: projection.reference,
      category: projection.category,
      requester: projection.requester,
      to: sender.address,
      replyTo: reply.address,
      subject: subject ?? projection.subject,
      receivedAt: receipt.receivedAt,
      messageHash,
      refused,
      limits,
    });
  }
  return {
    outcome: 'reply',
    caseId: target.caseId,
    appended: appended.appended,
    attachments: kept.length,
    refused: refused.length,
    ...(notice !== undefined ? { notice } : {}),
  };
}

async function hold(
  context: Context,
  decision: HoldDecision,
  extra: { readonly errorName?: string } = {},
): Promise<EmailIntakeResult> {
  const { deps, location, receipt, known } = context;
  const rule = HOLDING_KIND_RULES[decision.kind];
  const item: HoldingItem = {
    itemId: holdingItemId(location.key),
    kind: decision.kind,
    status: rule.status,
    legalHold: rule.legalHold,
    rawKey: location.key,
    receivedAt: receipt.receivedAt,
    recordedAt: deps.clock.now().toISOString(),
    detail: decision.detail,
    ...(known.subject !== undefined ? { subject: known.subject } : {}),
    ...(known.fromDomain !== undefined ? { fromDomain: known.fromDomain } : {}),
    ...(known.messageId !== undefined ? { messageId: known.messageId } : {}),
    ...(known.caseId !== undefined ? { caseId: known.caseId } : {}),
    ...(decision.reference !== undefined ? { reference: decision.reference } : {}),
    ...(extra.errorName !== undefined ? { errorName: extra.errorName } : {}),
    ...(known.attachmentCount !== undefined ? { attachmentCount: known.attachmentCount } : {}),
    ...(known.mailbox !== undefined ? { mailbox: known.mailbox } : {}),
    ...(known.category !== undefined ? { category: known.category } : {}),
  };
  const protection = await protectionOf(deps, item, context.headers);
  const linked: HoldingItem = { ...item, ...protection };
  // Whatever the message held, the item itself must be recorded: optional fields that fail their schema go.
  const valid = HoldingItemSchema.safeParse(linked).success
    ? linked
    : {
        itemId: item.itemId,
        kind: item.kind,
        status: item.status,
        legalHold: item.legalHold,
        rawKey: item.rawKey,
        receivedAt: item.receivedAt,
        recordedAt: item.recordedAt,
        detail: item.detail,
        ...(extra.errorName !== undefined ? { errorName: extra.errorName } : {}),
        confidential: protection.confidential,
      };
  const { item: stored, created } = await deps.holdingPen.hold(valid);
  return {
    outcome: 'held',
    itemId: stored.itemId,
    kind: stored.kind,
    created,
    ...(stored.caseId !== undefined ? { caseId: stored.caseId } : {}),
    ...(stored.errorName !== undefined ? { errorName: stored.errorName } : {}),
  };
}

/**
 * Decided when mail is held, so that the item is born with its access rules: the case its quoted reference
 * names (`referencedCaseId`), the case made from a message it answers (`threadCaseId`), and whether it is
 * confidential (it names a confidential case, was sent to a confidential mailbox, or its recipients are
 * unknown; see `heldAccess`). When the cases cannot be read for any reason other than an infrastructure
 * failure (which is retried), the item is held as confidential.
 */
async function protectionOf(
  deps: EmailIntakeDeps,
  item: HoldingItem,
  headers: readonly RawHeader[],
): Promise<{
  confidential: boolean;
  referencedCaseId?: string;
  referenceFound?: boolean;
  threadCaseId?: string;
}> {
  try {
    const thread = await threadCase(deps, threadFingerprints(headers));
    const threadCaseId = thread?.caseId;
    const access = await heldAccess(deps, {
      ...item,
      ...(threadCaseId !== undefined ? { threadCaseId } : {}),
    });
    const referenced = access.cases.find(
      (projection) => item.reference !== undefined && projection.reference === item.reference,
    );
    return {
      confidential: access.target.confidential,
      ...(item.reference !== undefined ? { referenceFound: referenced !== undefined } : {}),
      ...(referenced !== undefined ? { referencedCaseId: referenced.caseId } : {}),
      ...(threadCaseId !== undefined ? { threadCaseId } : {}),
    };
  } catch (error) {
    if (isInfrastructureFailure(error)) throw error;
    return { confidential: true };
  }
}
