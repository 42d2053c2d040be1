import { BusinessRuleError, IdempotencyKeyReuseError } from '../../../errors';
import type { ReceiptEvidence } from '../../case/case';
import { localDateOf } from '../../time/local-date-of';
import type { LanguageBasisKind, Requester } from '../../case/requester';
import type { LedgerEvent } from '../../ledger/events';
import { getCategory } from '../../policy/category';
import type { Category, Policy } from '../../policy/schema';
import { bundledCalendars } from '../../time/calendars';
import { acknowledgementDeadline } from '../../workflow/acknowledgement-deadline';
import type { LocalDate } from '../../time/types';
import { caseIdFor, registerCase } from '../register-case';
import type { IntakeDeps, IntakeRequest } from '../register-case';
import {
  DEDUPE_WINDOW_MS,
  clientIntakeKey,
  hashIntakeKey,
  submissionFingerprint,
  type SubmissionContent,
} from './content-hash';
import { HoneypotFilledError, isHoneypotFilled } from './honeypot';
import { arrivalProblem } from './language-basis';

/** What the web form sends once parsed (see `shared/schemas/form.ts`): strings trimmed, optional ones absent. */
interface WebSubmissionFields {
  readonly category: string;
  readonly name: string;
  readonly email: string;
  readonly subject: string;
  readonly message: string;
  readonly phone?: string;
  readonly organization?: string;
  /** The trap field (`HONEYPOT_FIELD`): empty when a person filled the form. */
  readonly website?: string;
}

/**
 * A parsed submission. French is the default; English needs one of the Charte's bases, attested in good faith
 * (and, for the immigrant basis, the arrival date).
 */
export type WebSubmission = WebSubmissionFields &
  (
    | { readonly language: 'fr' }
    | {
        readonly language: 'en';
        readonly languageBasis: LanguageBasisKind;
        readonly arrivedOn?: LocalDate;
        readonly attested: true;
      }
  );

/** The HTTP facts of a submission. */
export interface WebSubmissionContext {
  /** The client's `Idempotency-Key`, already validated; absent for a browser without JavaScript. */
  readonly idempotencyKey?: string;
  /** The request time (API Gateway's `timeEpoch`): the legal clock start. */
  readonly receivedAt: string;
  /** API Gateway's request id, kept as the receipt evidence's reference. */
  readonly requestId?: string;
}

/** Outcomes the form counts (a Powertools metric in AWS, a recording fake in tests). */
export type WebIntakeOutcome = 'created' | 'replayed' | 'honeypot' | 'rate-limited';

export interface WebIntakeMetrics {
  record(outcome: WebIntakeOutcome): void;
}

export interface WebIntakeDeps extends IntakeDeps {
  readonly metrics: WebIntakeMetrics;
}

export interface WebIntakeResult {
  readonly caseId: string;
  readonly reference: string;
  /** False when the submission replayed a case already registered (same key, or same content in the window). */
  readonly created: boolean;
  /** The legal clock start recorded for the case (the first submission's, on a replay). */
  readonly receivedAt: string;
  /** Québec date of the legal acknowledgement deadline; null when the category makes no such commitment. */
  readonly acknowledgementDueDate: LocalDate | null;
  readonly acknowledgementDueAt: string | null;
  /** Whether the case is handled confidentially by the complaints officer. */
  readonly confidential: boolean;
  /** The case's category id (the first submission's, on a replay). */
  readonly category: string;
}

/** The categories a citizen may choose on the web form: those whose policy accepts the `web` channel. */
export function webCategories(policy: Policy): Category[] {
  return policy.categories.filter((category) => category.channels.includes('web'));
}

/**
 * The case body: the message, preceded by the organization the person writes for, when given (the case
 * model has no organization field; staff read it first). The label is French: staff work in French.
 */
export function caseBody(message: string, organization: string | undefined): string {
  return organization === undefined ? message : `Organisation\u00a0: ${organization}\n\n${message}`;
}

/** @throws UnknownCategoryError; BusinessRuleError CHANNEL_NOT_ACCEPTED for a category the form does not offer */
function webCategory(policy: Policy, id: string): Category {
  const category = getCategory(policy, id);
  if (category.channels.includes('web')) return category;
  throw new BusinessRuleError(
    'CHANNEL_NOT_ACCEPTED',
    {
      fr: `La catégorie « ${category.name.fr} » ne reçoit pas de demandes par le formulaire Web.`,
      en: `The category "${category.name.en}" does not take requests through the web form.`,
    },
    { category: category.id, channel: 'web' },
  );
}

/**
 * The requester record. French unless the person chose English with a basis; the attestation is dated the
 * day of receipt (Québec date). The immigrant basis must still hold that day.
 *
 * @throws BusinessRuleError LANGUAGE_BASIS_LAPSED
 */
function requesterOf(submission: WebSubmission, receivedOn: LocalDate): Requester {
  const common = {
    name: submission.name,
    email: submission.email,
    ...(submission.phone !== undefined ? { phone: submission.phone } : {}),
  };
  if (submission.language === 'fr') return { ...common, language: 'fr' };
  if (
    submission.languageBasis === 'immigrant-first-six-months' &&
    (submission.arrivedOn === undefined || arrivalProblem(submission.arrivedOn, receivedOn) !== undefined)
  ) {
    throw new BusinessRuleError('LANGUAGE_BASIS_LAPSED', {
      fr: 'Le motif « personne immigrante » vaut pendant les six mois qui suivent l’arrivée au Québec.',
      en: 'The "immigrant" basis applies during the six months after arrival in Québec.',
    });
  }
  return {
    ...common,
    language: 'en',
    languageBasis: {
      basis: submission.languageBasis,
      attestedOn: receivedOn,
      ...(submission.arrivedOn !== undefined ? { arrivedOn: submission.arrivedOn } : {}),
    },
  };
}

/**
 * True when the key already registered this very content, false when it registered nothing yet.
 *
 * @throws IdempotencyKeyReuseError when it registered other content (compared by fingerprint: no value is
 *   copied into the error)
 */
function alreadyReceived(caseId: string, events: readonly LedgerEvent[], expected: string): boolean {
  const received = events.find((event) => event.type === 'case.received');
  if (received?.type !== 'case.received') return false;
  if (submissionFingerprint(received.data) !== expected) {
    throw new IdempotencyKeyReuseError({ caseId, command: 'web-intake' });
  }
  return true;
}

/**
 * The intake key of a submission: `form:key:<Idempotency-Key>` when the client sent one; otherwise the content
 * key of its 10-minute bucket, or the previous bucket's when that one registered the same content less than
 * `DEDUPE_WINDOW_MS` before this receipt (see `hashIntakeKey` for the one gap left).
 */
async function intakeKeyOf(
  deps: WebIntakeDeps,
  fingerprint: string,
  context: WebSubmissionContext,
): Promise<string> {
  if (context.idempotencyKey !== undefined) return clientIntakeKey(context.idempotencyKey);
  const receivedMs = Date.parse(context.receivedAt);
  const previous = hashIntakeKey(fingerprint, receivedMs - DEDUPE_WINDOW_MS);
  const current = hashIntakeKey(fingerprint, receivedMs);
  if (previous === current) return current;
  const earlier = await deps.ledger.getCase(caseIdFor(deps.policy, previous));
  if (earlier !== undefined && receivedMs - Date.parse(earlier.receivedAt) < DEDUPE_WINDOW_MS)
    return previous;
  return current;
}

/**
 * Registers what a citizen sent with the web form, exactly once, through `registerCase` (receipt with its
 * evidence, reference, workflow start):
 * 1. the trap field must be empty (`HoneypotFilledError`, counted, nothing written);
 * 2. the category exists and accepts the `web` channel;
 * 3. the requester is French unless English was chosen with an attested basis (dated the day of receipt);
 * 4. one submission, one case: with an `Idempotency-Key` the key decides (`form:key:<key>`), and the same key
 *    with other content is refused (`IdempotencyKeyReuseError`, 422), also when a concurrent call won the race;
 *    without one, the same content within 10 minutes replays the same case (`form:hash:…`, see
 *    `hashIntakeKey`). A replay returns the case first registered, with its receipt instant;
 * 5. the answer tells when the legal acknowledgement is due (`null` when the category promises none).
 *
 * The legal clock starts at `receivedAt` (the request time), with `web-server-time` evidence quoting the
 * request id.
 *
 * @throws HoneypotFilledError, UnknownCategoryError, BusinessRuleError, IdempotencyKeyReuseError, and the
 *   ledger's and workflow's errors (a retry with the same key completes a half-done registration).
 */
export async function submitWebRequest(
  deps: WebIntakeDeps,
  submission: WebSubmission,
  context: WebSubmissionContext,
): Promise<WebIntakeResult> {
  if (isHoneypotFilled(submission.website)) {
    deps.metrics.record('honeypot');
    throw new HoneypotFilledError();
  }
  const category = webCategory(deps.policy, submission.category);
  const receivedAt = new Date(context.receivedAt).toISOString();
  const content: SubmissionContent = {
    category: category.id,
    requester: requesterOf(submission, localDateOf(receivedAt)),
    subject: submission.subject,
    body: caseBody(submission.message, submission.organization),
  };
  const fingerprint = submissionFingerprint(content);
  const intakeKey = await intakeKeyOf(deps, fingerprint, context);
  const caseId = caseIdFor(deps.policy, intakeKey);

  const receiptEvidence: ReceiptEvidence = {
    kind: 'web-server-time',
    ...(context.requestId !== undefined ? { reference: context.requestId } : {}),
  };
  const request: IntakeRequest = {
    intakeKey,
    channel: 'web',
    ...content,
    receivedAt,
    receiptEvidence,
    actor: { kind: 'citizen' },
  };
  const registered = await registerCase(deps, request);
  // A replay (an earlier or concurrent call with the same key) is checked after the fact: registering again
  // only completes the first submission's own case, and a new case costs no read before it is written.
  if (!registered.created) alreadyReceived(caseId, await deps.ledger.read(caseId), fingerprint);
  deps.metrics.record(registered.created ? 'created' : 'replayed');

  // A new case comes back with its projection; a replay reads the case as recorded.
  const projection = registered.projection ?? (await deps.ledger.getCase(caseId));
  const registeredAt = projection?.registeredAt ?? deps.clock.now().toISOString();
  const acknowledgement = acknowledgementDeadline({
    policy: deps.policy,
    category,
    calendars: deps.calendars ?? bundledCalendars(),
    receivedAt: registered.receivedAt,
    computedAt: registeredAt,
  });
  return {
    caseId,
    reference: registered.reference,
    created: registered.created,
    receivedAt: registered.receivedAt,
    acknowledgementDueDate: acknowledgement?.dueDate ?? null,
    acknowledgementDueAt: acknowledgement?.dueAt ?? null,
    confidential: projection?.confidential ?? category.confidential,
    category: projection?.category ?? category.id,
  };
}
