import { createHash } from 'node:crypto';

import { canonicalize } from 'json-canonicalize';
import * as z from '../../../zod-mini';

import { AccessDeniedError, BusinessRuleError, IdempotencyKeyReuseError } from '../../../errors';
import type { BilingualText } from '../../../errors';
import type { Role, StaffIdentity } from '../../identity/identity';
import { caseIdFor, registerCase } from '../../intake/register-case';
import type { IntakeDeps, IntakeRequest } from '../../intake/register-case';
import type { Actor, LedgerEvent } from '../../ledger/events';
import { getCategory } from '../../policy/category';
import type { Category } from '../../policy/schema';
import { bundledCalendars } from '../../time/calendars';
import { acknowledgementDeadline } from '../../workflow/acknowledgement-deadline';
import { longDateEn, longDateFr } from '../../time/explain';
import { parseLocalDate } from '../../time/local-date';
import { BodySchema, CategoryIdSchema, ReceiptEvidenceSchema, SubjectSchema } from '../case';
import type { Channel, ReceiptEvidence } from '../case';
import { parseOrThrow } from '../parse';
import { RequesterSchema } from '../requester';
import type { Requester } from '../requester';
import { authorize } from '../../access/case-access';
import { localDateOf } from '../../time/local-date-of';

/** The channels staff enter by hand: letters, calls, walk-ins, and emails that reached a staff mailbox. */
export const StaffIntakeChannelSchema = z.enum(['mail', 'phone', 'in-person', 'email']);
export type StaffIntakeChannel = z.infer<typeof StaffIntakeChannelSchema>;

/** What proves a staff-entered receipt instant (the server-time kinds belong to the automatic channels). */
export const StaffEvidenceKindSchema = z.enum(['postmark', 'date-stamp', 'call-time', 'visit-time', 'other']);
export type StaffEvidenceKind = z.infer<typeof StaffEvidenceKindSchema>;

/**
 * Evidence kinds that make sense for each channel: a postmark or a date stamp for a letter, the time of the
 * call, the time of the visit (or the date stamp of a letter handed in at the counter); `other` always, with a
 * note saying what it is.
 */
export const EVIDENCE_KINDS_BY_CHANNEL: Readonly<Record<StaffIntakeChannel, readonly StaffEvidenceKind[]>> = {
  mail: ['postmark', 'date-stamp', 'other'],
  phone: ['call-time', 'other'],
  'in-person': ['visit-time', 'date-stamp', 'other'],
  email: ['other'],
};

const CHANNEL_WORDS: Readonly<Record<StaffIntakeChannel, BilingualText>> = {
  mail: { fr: 'une lettre', en: 'a letter' },
  phone: { fr: 'un appel', en: 'a phone call' },
  'in-person': { fr: 'une visite', en: 'a visit' },
  email: { fr: 'un courriel', en: 'an email' },
};

/** English text of the instant check; the HTTP layer knows its French (`shared/schemas/staff-api.ts`). */
export const RECEIVED_AT_FORMAT_MESSAGE =
  'must be an ISO 8601 instant with its time zone (e.g. 2026-03-02T14:05:00-05:00)';

export const StaffIntakeInputSchema = z
  .strictObject({
    channel: StaffIntakeChannelSchema,
    category: CategoryIdSchema,
    requester: RequesterSchema,
    subject: SubjectSchema,
    body: BodySchema,
    /** When the organization received it: the legal clock start, not the moment it is typed in. */
    receivedAt: z.iso.datetime({ offset: true, error: RECEIVED_AT_FORMAT_MESSAGE }),
    evidence: z.strictObject({
      kind: StaffEvidenceKindSchema,
      reference: ReceiptEvidenceSchema.shape.reference,
      note: ReceiptEvidenceSchema.shape.note,
    }),
    /** Registers a receipt older than `MAX_RECEIPT_AGE_DAYS` (a letter found late); see `registerStaffIntake`. */
    confirmLateEntry: z.optional(z.boolean()),
  })
  .check(
    z.superRefine(
      (input, ctx) => {
        const allowed = EVIDENCE_KINDS_BY_CHANNEL[input.channel];
        if (allowed.includes(input.evidence.kind)) return;
        const words = CHANNEL_WORDS[input.channel];
        ctx.addIssue({
          code: 'custom',
          path: ['evidence', 'kind'],
          message: `does not fit ${words.en}: use ${allowed.map((kind) => `"${kind}"`).join(', ')}`,
          params: {
            fr: `ne convient pas à ${words.fr} : utilisez ${allowed.map((kind) => `« ${kind} »`).join(', ')}`,
          },
        });
      },
      // Only once every field is valid, so a bad channel or kind gets one message, not two.
      { when: (payload) => payload.issues.length === 0 },
    ),
  );
export type StaffIntakeInput = z.infer<typeof StaffIntakeInputSchema>;

/**
 * How old a receipt may be before staff must confirm it (`confirmLateEntry: true`): 90 calendar days. Most
 * often an older date is a typo (2025 for 2026) that would put a new case in breach at once; a letter really
 * found months late must still be registered with its true receipt date, so that the breach shows in the
 * ledger and the compliance figures, hence a confirmation and never a plain refusal.
 */
export const MAX_RECEIPT_AGE_DAYS = 90;

/** Receives the intake metrics (Powertools EMF in AWS; a recording fake in tests). */
export interface IntakeMetrics {
  /** Seconds between receipt (legal clock start) and registration, once per new case, by channel. */
  recordRegistrationLag(sample: { readonly channel: Channel; readonly seconds: number }): void;
}

export interface StaffIntakeDeps extends IntakeDeps {
  readonly metrics: IntakeMetrics;
}

export interface StaffIntakeOptions {
  /** The client's `Idempotency-Key` (required: it is the only thing that makes a retry a retry). */
  readonly idempotencyKey: string;
}

/** Something staff should know about what they just registered (the case is registered anyway). */
export interface IntakeWarning {
  readonly code: 'ACKNOWLEDGEMENT_DEADLINE_PASSED' | 'NO_WRITTEN_CONTACT';
  readonly messages: BilingualText;
}

/** What the registrant may see: only the case id and reference when they may not read the case afterwards. */
export type StaffIntakeResult =
  | {
      readonly view: 'full';
      readonly replayed: boolean;
      readonly caseId: string;
      readonly reference: string;
      readonly receivedAt: string;
      readonly registeredAt: string;
      /** Québec date of the legal acknowledgement deadline; null when the category makes no such commitment. */
      readonly acknowledgementDueDate: string | null;
      readonly acknowledgementDueAt: string | null;
      readonly warnings: readonly IntakeWarning[];
    }
  | {
      readonly view: 'limited';
      readonly replayed: boolean;
      readonly caseId: string;
      readonly reference: string;
      readonly warnings: readonly IntakeWarning[];
    };

/** The roles that may register what they received, in the order the ledger names the capacity. */
const INTAKE_ROLES: readonly Role[] = ['agent', 'supervisor', 'complaints-officer'];

const DAY_MS = 24 * 60 * 60 * 1000;

/** The `case.received` fields a client key binds: the same key with other values is not a retry. */
function fingerprint(fields: {
  readonly channel: Channel;
  readonly category: string;
  readonly requester: Requester;
  readonly subject: string;
  readonly body: string;
  readonly receivedAt: string;
  readonly receiptEvidence?: ReceiptEvidence | undefined;
}): string {
  const { channel, category, requester, subject, body, receivedAt, receiptEvidence } = fields;
  return createHash('sha256')
    .update(
      canonicalize({
        channel,
        category,
        requester,
        subject,
        body,
        receivedAt: new Date(receivedAt).toISOString(),
        receiptEvidence: receiptEvidence ?? null,
      }),
      'utf8',
    )
    .digest('hex');
}

/**
 * Whether the key already registered this very submission (true), nothing yet (false), or refuses a key
 * already used for another submission. Compared with the recorded `case.received` through hashes, so no value
 * is copied into the error.
 *
 * @throws IdempotencyKeyReuseError
 */
function alreadyReceived(caseId: string, events: readonly LedgerEvent[], expected: string): boolean {
  const received = events.find((event) => event.type === 'case.received');
  if (received?.type !== 'case.received') return false;
  if (fingerprint(received.data) !== expected) {
    throw new IdempotencyKeyReuseError({ caseId, command: 'intake' });
  }
  return true;
}

/** The capacity the ledger records: the complaints officer for a confidential category, else the first role. */
function intakeActor(identity: StaffIdentity, category: Category): Actor {
  const role =
    category.confidential && identity.roles.includes('complaints-officer')
      ? 'complaints-officer'
      : INTAKE_ROLES.find((candidate) => identity.roles.includes(candidate));
  if (role === undefined) throw new AccessDeniedError('intake');
  return { kind: 'staff', id: identity.id, role };
}

/**
 * @throws BusinessRuleError RECEIVED_AT_IN_FUTURE, RECEIVED_AT_TOO_OLD
 */
function checkReceivedAt(receivedAt: string, now: Date, confirmLateEntry: boolean): void {
  const received = Date.parse(receivedAt);
  if (received > now.getTime()) {
    throw new BusinessRuleError('RECEIVED_AT_IN_FUTURE', {
      fr: 'La date de réception ne peut pas être dans le futur : indiquez le moment où la demande est arrivée.',
      en: 'The receipt time cannot be in the future: give the moment the request arrived.',
    });
  }
  if (now.getTime() - received > MAX_RECEIPT_AGE_DAYS * DAY_MS && !confirmLateEntry) {
    const day = parseLocalDate(localDateOf(receivedAt));
    throw new BusinessRuleError(
      'RECEIVED_AT_TOO_OLD',
      {
        fr: `La date de réception (${longDateFr(day)}) remonte à plus de ${MAX_RECEIPT_AGE_DAYS} jours. Vérifiez-la; si elle est exacte, renvoyez la demande avec « confirmLateEntry »: true : le dossier sera enregistré avec cette date et le retard paraîtra au registre.`,
        en: `The receipt date (${longDateEn(day)}) is more than ${MAX_RECEIPT_AGE_DAYS} days ago. Check it; if it is right, send the request again with "confirmLateEntry": true: the case will be registered with that date and the delay will show in the ledger.`,
      },
      { maxAgeDays: MAX_RECEIPT_AGE_DAYS },
    );
  }
}

/** @throws BusinessRuleError CHANNEL_NOT_ACCEPTED */
function checkChannel(category: Category, channel: StaffIntakeChannel): void {
  if (category.channels.includes(channel)) return;
  const words = CHANNEL_WORDS[channel];
  throw new BusinessRuleError(
    'CHANNEL_NOT_ACCEPTED',
    {
      fr: `La catégorie « ${category.name.fr} » ne reçoit pas de demandes par ${words.fr}; choisissez une autre catégorie.`,
      en: `The category "${category.name.en}" does not take requests by ${words.en}; choose another category.`,
    },
    { category: category.id, channel, accepted: category.channels },
  );
}

/**
 * The intake key of a staff intake: the client's `Idempotency-Key` scoped to the person who sent it
 * (`staff:<staff id>:<key>`), as payment APIs scope keys to an account. Another person sending the same key
 * makes their own intake and never reaches, or learns anything about, the first person's case.
 */
export function staffIntakeKey(staffId: string, idempotencyKey: string): string {
  return `staff:${staffId}:${idempotencyKey}`;
}

/**
 * Registers a request that staff received by mail, phone, in person or in their own mailbox, exactly once per
 * person and client key (`staffIntakeKey`), through `registerCase` (receipt with its evidence, reference,
 * workflow start).
 *
 * Rules, checked before anything is written (a replay of a submission already registered skips the channel
 * and date rules, so a late retry is not refused):
 * - the person holds a handler role (agent, supervisor or complaints officer; 403 for auditors and
 *   administrators). Any handler may register any category, whatever their units: the person opening the mail
 *   is often not the one who handles it; routing sends the case to its queue;
 * - the category exists and takes requests by this channel (`CHANNEL_NOT_ACCEPTED`, 422), the evidence kind
 *   fits the channel (schema);
 * - `receivedAt` is not in the future (`RECEIVED_AT_IN_FUTURE`, 422; no skew allowance: staff type the time
 *   of arrival, which is past), and not more than `MAX_RECEIPT_AGE_DAYS` ago unless `confirmLateEntry`
 *   (`RECEIVED_AT_TOO_OLD`, 422);
 * - the person did not use the key for another submission (`IdempotencyKeyReuseError`, 422); the same
 *   submission again replays the registered case (also when a concurrent call with the same key won the
 *   race). Keys are the person's own: the same key from someone else is a separate intake.
 *
 * The legal clock starts at `receivedAt`; registration is now. The gap is recorded as a metric (new cases
 * only). The result shows no more than the registrant may read afterwards: a complaint registered by an agent
 * becomes confidential at once, so the agent gets only its id and reference (the same for any case the person
 * may not read). Warnings tell staff when the acknowledgement deadline has already passed and when the
 * requester has neither an email nor a postal address (no written acknowledgement can reach them).
 *
 * @throws ValidationError, AccessDeniedError, UnknownCategoryError, BusinessRuleError,
 *   IdempotencyKeyReuseError, and the ledger's and workflow's errors (a retry with the same key completes).
 */
export async function registerStaffIntake(
  deps: StaffIntakeDeps,
  identity: StaffIdentity,
  input: StaffIntakeInput,
  options: StaffIntakeOptions,
): Promise<StaffIntakeResult> {
  if (!identity.roles.some((role) => INTAKE_ROLES.includes(role))) throw new AccessDeniedError('intake');
  const parsed = parseOrThrow(StaffIntakeInputSchema, input, 'staff intake request');
  const category = getCategory(deps.policy, parsed.category);
  const now = deps.clock.now();

  const intakeKey = staffIntakeKey(identity.id, options.idempotencyKey);
  const caseId = caseIdFor(deps.policy, intakeKey);
  const receiptEvidence: ReceiptEvidence = parsed.evidence;
  const request: IntakeRequest = {
    intakeKey,
    channel: parsed.channel,
    category: category.id,
    requester: parsed.requester,
    subject: parsed.subject,
    body: parsed.body,
    receivedAt: parsed.receivedAt,
    receiptEvidence,
    actor: intakeActor(identity, category),
  };
  const expected = fingerprint(request);
  // A retry replays what the first call registered, even once its receipt date has aged past the limits.
  if (!alreadyReceived(caseId, await deps.ledger.read(caseId), expected)) {
    checkChannel(category, parsed.channel);
    checkReceivedAt(parsed.receivedAt, now, parsed.confirmLateEntry === true);
  }

  const registered = await registerCase(deps, request);
  // A concurrent call with the same key and other values may have won the race for the receipt.
  if (!registered.created) alreadyReceived(caseId, await deps.ledger.read(caseId), expected);

  const projection = await deps.ledger.getCase(caseId);
  const registeredAt = projection?.registeredAt ?? now.toISOString();
  if (registered.created) {
    const seconds = Math.max(0, (Date.parse(registeredAt) - Date.parse(registered.receivedAt)) / 1000);
    deps.metrics.recordRegistrationLag({ channel: parsed.channel, seconds });
  }

  // As of the registration instant, so a replay tells the same story as the first answer.
  const registration = new Date(registeredAt);
  const acknowledgement = acknowledgementDeadline({
    policy: deps.policy,
    category,
    calendars: deps.calendars ?? bundledCalendars(),
    receivedAt: registered.receivedAt,
    computedAt: registration,
  });
  const warnings = intakeWarnings(parsed.requester, acknowledgement, registration);
  const decision = authorize(
    identity,
    'read',
    { confidential: projection?.confidential ?? category.confidential, category: category.id },
    deps.policy,
  );
  const replayed = !registered.created;
  if (!decision.allowed) {
    return { view: 'limited', replayed, caseId, reference: registered.reference, warnings };
  }
  return {
    view: 'full',
    replayed,
    caseId,
    reference: registered.reference,
    receivedAt: registered.receivedAt,
    registeredAt,
    acknowledgementDueDate: acknowledgement?.dueDate ?? null,
    acknowledgementDueAt: acknowledgement?.dueAt ?? null,
    warnings,
  };
}

function intakeWarnings(
  requester: Requester,
  acknowledgement: { readonly dueDate: string; readonly dueAt: string } | undefined,
  registeredAt: Date,
): IntakeWarning[] {
  const warnings: IntakeWarning[] = [];
  if (acknowledgement !== undefined && Date.parse(acknowledgement.dueAt) < registeredAt.getTime()) {
    const day = parseLocalDate(acknowledgement.dueDate);
    warnings.push({
      code: 'ACKNOWLEDGEMENT_DEADLINE_PASSED',
      messages: {
        fr: `Le délai d’accusé de réception est déjà échu (le ${longDateFr(day)}) : le dossier est en retard dès son enregistrement.`,
        en: `The acknowledgement deadline has already passed (${longDateEn(day)}): the case is late from the moment it is registered.`,
      },
    });
  }
  if (requester.email === undefined && requester.postalAddress === undefined) {
    warnings.push({
      code: 'NO_WRITTEN_CONTACT',
      messages: {
        fr: 'Le demandeur n’a ni adresse courriel ni adresse postale : aucun accusé de réception écrit ne pourra lui parvenir.',
        en: 'The requester has neither an email nor a postal address: no written acknowledgement can reach them.',
      },
    });
  }
  return warnings;
}
