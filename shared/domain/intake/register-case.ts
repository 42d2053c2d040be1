import { createHash } from 'node:crypto';
import type { AttachmentRef, Channel, ReceiptEvidence } from '../case/case';
import type { Requester } from '../case/requester';
import type { SenderAuthentication } from '../case/sender-authentication';
import type { Actor, EventDraft } from '../ledger/events';
import type { CaseLedger, ReferenceAllocator } from '../ledger/ports';
import type { CaseProjection } from '../ledger/projection';
import type { Clock } from '../messaging/ports';
import { getCategory } from '../policy/category';
import type { Policy } from '../policy/schema';
import { toLocal } from '../time/zone';
import { civilOf } from '../time/local-date';
import { bundledCalendars, type CalendarRegistry } from '../time/calendars';
import { firstAssignment, firstDeadlines } from '../workflow/first-plan';
import { generationStart, mayStartFirstGeneration, startGeneration } from '../workflow/generations';
import type { Workflow } from '../workflow/ports';

const INTAKE: Actor = { kind: 'system', id: 'intake' };
const RECEIVED_KEY = 'intake:received';
const REGISTERED_KEY = 'intake:registered';

/** What every intake channel (web form, email, staff-entered mail, phone, walk-in) hands over. */
export interface IntakeRequest {
  /**
   * Identifies one submission for good: the form's `Idempotency-Key` (or a content hash), the email's
   * Message-ID, the staff intake's key. The same key always gives the same case.
   */
  readonly intakeKey: string;
  readonly channel: Channel;
  readonly category: string;
  readonly requester: Requester;
  readonly subject: string;
  readonly body: string;
  readonly attachments?: readonly AttachmentRef[];
  /** The legal clock start. */
  readonly receivedAt: string;
  readonly receiptEvidence?: ReceiptEvidence;
  /** Email: the receiving server's sender checks; automatic replies depend on them. */
  readonly senderAuthentication?: SenderAuthentication;
  readonly actor: Actor;
  /** Received as confidential whatever the category (e.g. held mail naming a complaint). */
  readonly confidential?: boolean;
}

export interface IntakeDeps {
  readonly ledger: CaseLedger;
  readonly references: ReferenceAllocator;
  readonly workflow: Workflow;
  readonly clock: Clock;
  readonly policy: Policy;
  /** Calendars the case's first deadlines are counted on; the bundled ones when absent. */
  readonly calendars?: CalendarRegistry;
}

export interface RegisteredCase {
  readonly caseId: string;
  readonly reference: string;
  /** False when the same intake key had already created the case (a retry or a double submission). */
  readonly created: boolean;
  readonly receivedAt: string;
  /** The case as registration left it, when known without another read. */
  readonly projection?: CaseProjection;
}

/**
 * The case id of a submission: derived from the organization and the intake key, so a repeated or concurrent
 * submission lands on the same ledger, where the conditional write on sequence 1 lets exactly one through.
 */
export function caseIdFor(policy: Policy, intakeKey: string): string {
  const digest = createHash('sha256').update(`${policy.organization.id}\u0000${intakeKey}`).digest('hex');
  return `${policy.organization.referencePrefix.toLowerCase()}-${digest.slice(0, 32)}`;
}

/**
 * Registers a received request as a case, exactly once per intake key:
 * 1. `case.received` (the legal clock starts at `receivedAt`; confidential when the category is, or when the
 *    request says so),
 * 2. a reference from the per-year counter and `case.registered` (registered-at = now),
 * 3. its first plan, as of registration: its deadlines with their proof (`firstDeadlines`) and its assignment
 *    to the category's queue (`firstAssignment`), which the workflow would otherwise record first,
 * 4. the case's workflow is started (execution name = case id), recorded as `workflow.started` generation 1,
 *    unless the ledger shows the first generation has already ended (see `mayStartFirstGeneration`).
 *
 * A new case costs three round trips (`docs/write-path.md`): the reference, then all these events as one
 * write that only a case without events accepts (`CaseLedger.openCase`), then the read model while the
 * workflow starts (which only notifies: `routeAndNotify`). The reference is allocated before the ledger says whether the case is new, so a replay
 * burns one (references are unique, not gapless). When the case exists (a retry, a double submission, a
 * concurrent twin), each step runs as a keyed append instead, replaying what was recorded and completing
 * what a failure left undone, with the reference already allocated; the workflow then plans and assigns the
 * case if its opening did not.
 *
 * @throws UnknownCategoryError for a category the policy does not define; ValidationError for bad data.
 */
export async function registerCase(deps: IntakeDeps, request: IntakeRequest): Promise<RegisteredCase> {
  const category = getCategory(deps.policy, request.category);
  const caseId = caseIdFor(deps.policy, request.intakeKey);
  const now = deps.clock.now();
  const registeredAt = now.toISOString();
  const received: Extract<EventDraft, { type: 'case.received' }> = {
    type: 'case.received',
    at: registeredAt,
    actor: request.actor,
    data: {
      channel: request.channel,
      category: category.id,
      requester: request.requester,
      subject: request.subject,
      body: request.body,
      attachments: [...(request.attachments ?? [])],
      receivedAt: new Date(request.receivedAt).toISOString(),
      ...(request.receiptEvidence ? { receiptEvidence: request.receiptEvidence } : {}),
      confidential: category.confidential || request.confidential === true,
      ...(request.senderAuthentication ? { senderAuthentication: request.senderAuthentication } : {}),
    },
  };
  const reference = await deps.references.allocate({
    prefix: deps.policy.organization.referencePrefix,
    year: civilOf(toLocal(registeredAt).day).year,
  });
  const registered: Extract<EventDraft, { type: 'case.registered' }> = {
    type: 'case.registered',
    at: registeredAt,
    actor: INTAKE,
    data: { reference, registeredAt },
  };
  const plan = {
    policy: deps.policy,
    category,
    calendars: deps.calendars ?? bundledCalendars(),
    receivedAt: received.data.receivedAt,
    at: now,
    actor: INTAKE,
  };
  const first = generationStart({ caseId, generation: 1, trigger: 'intake', actor: INTAKE }, now);

  const opened = await deps.ledger.openCase(
    caseId,
    [
      { draft: received, idempotencyKey: RECEIVED_KEY },
      { draft: registered, idempotencyKey: REGISTERED_KEY },
      ...firstDeadlines(plan),
      firstAssignment(plan),
      { draft: first.draft, idempotencyKey: first.idempotencyKey },
    ],
    { alongside: () => deps.workflow.start(first.start) },
  );
  if (opened !== undefined) {
    return {
      caseId,
      reference,
      created: true,
      receivedAt: opened.projection.receivedAt,
      projection: opened.projection,
    };
  }
  return completeRegistration(deps, caseId, { received, registered });
}

/**
 * Registration of a case that already has events, step by step with keyed appends (each replays what was
 * recorded): the receipt, the registration unless the case has a reference, the first generation's start
 * while `mayStartFirstGeneration` allows it.
 */
async function completeRegistration(
  deps: IntakeDeps,
  caseId: string,
  drafts: {
    readonly received: Extract<EventDraft, { type: 'case.received' }>;
    readonly registered: Extract<EventDraft, { type: 'case.registered' }>;
  },
): Promise<RegisteredCase> {
  const received = await deps.ledger.append(caseId, drafts.received, { idempotencyKey: RECEIVED_KEY });
  let projection = received.projection ?? (await deps.ledger.getCase(caseId));
  let reference = projection?.reference;
  // Registering changes none of what decides the start, so it is known before.
  const startsWorkflow = projection === undefined || mayStartFirstGeneration(projection);
  if (reference === undefined) {
    const registered = await deps.ledger.append(caseId, drafts.registered, {
      idempotencyKey: REGISTERED_KEY,
      // When the workflow start appends next, it writes the read model of both.
      readModelLater: startsWorkflow,
    });
    reference = registered.event.data.reference;
    projection = registered.projection ?? (await deps.ledger.getCase(caseId));
  }
  if (startsWorkflow) {
    await startGeneration(deps, { caseId, generation: 1, trigger: 'intake', actor: INTAKE });
  }
  return {
    caseId,
    reference,
    created: received.appended,
    receivedAt: projection?.receivedAt ?? received.event.data.receivedAt,
  };
}
