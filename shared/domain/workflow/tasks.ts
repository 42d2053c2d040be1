import { CaseNotFoundError, NoRecipientError, StepNotDueError } from '../../errors';
import type { Language, TemplateId, TemplateValues } from '../../templates/catalog';
import type { CaseDeadline } from '../case/case';
import type { Actor, LedgerEvent } from '../ledger/events';
import type { CaseLedger } from '../ledger/ports';
import type { CaseProjection } from '../ledger/projection';
import type {
  Clock,
  Notifier,
  OutgoingMessage,
  OutgoingMessageOf,
  ReplyAddresses,
  StaffDirectory,
} from '../messaging/ports';
import { automaticReceiptAllowed } from '../messaging/automatic-replies';
import type { RateCounter } from '../messaging/rate-counter';
import { contactBlock, dateInWords, instantDateInWords } from '../messaging/values';
import { getCategory } from '../policy/load';
import type { Category, NotifyTarget, Policy } from '../policy/schema';
import { addBusinessDays, businessDaysBetween, computeDeadline, type CalendarRegistry } from '../time';
import { localDateOf } from '../time/local-date-of';
import { acknowledgementDeadline } from './acknowledgement-deadline';
import { checkCase, type PlannedStep, type WorkflowCheck } from './plan';

/** Everything the workflow tasks need, as ports (DynamoDB, SES and the clock in production). */
export interface WorkflowDeps {
  readonly ledger: CaseLedger;
  readonly notifier: Notifier;
  /** Each case's own reply address: the Reply-To of every message to the requester, never of staff mail. */
  readonly replyAddresses: ReplyAddresses;
  readonly directory: StaffDirectory;
  readonly clock: Clock;
  readonly policy: Policy;
  readonly calendars: CalendarRegistry;
  /** Link to a case in the staff pages. */
  readonly caseUrl: (caseId: string) => string;
  /** Counts automatic receipts per address and day (`automaticReceiptAllowed`). */
  readonly rateCounter: RateCounter;
}

const SYSTEM: Actor = { kind: 'system', id: 'workflow' };

async function loadCase(
  deps: WorkflowDeps,
  caseId: string,
): Promise<{ projection: CaseProjection; category: Category }> {
  const projection = await deps.ledger.getCase(caseId);
  if (!projection) throw new CaseNotFoundError(caseId);
  return { projection, category: getCategory(deps.policy, projection.category) };
}

function calendarFor(deps: WorkflowDeps, category: Category) {
  return deps.calendars.at(category.calendarId, localDateOf(deps.clock.now()));
}

function nowIso(deps: WorkflowDeps): string {
  return deps.clock.now().toISOString();
}

/**
 * Plans the deadlines of a new case: the acknowledgement deadline from the receipt, with its proof; when the
 * policy makes no acknowledgement commitment, the answer deadline with the standard delay. Idempotent.
 */
export async function planDeadlines(deps: WorkflowDeps, caseId: string): Promise<void> {
  const { projection, category } = await loadCase(deps, caseId);
  const calendar = calendarFor(deps, category);
  const at = nowIso(deps);
  const acknowledgement = projection.deadlines.acknowledgement
    ? undefined
    : acknowledgementDeadline({
        policy: deps.policy,
        category,
        calendars: deps.calendars,
        receivedAt: projection.receivedAt,
        computedAt: deps.clock.now(),
      });
  if (acknowledgement) {
    await deps.ledger.append(
      caseId,
      {
        type: 'deadline.planned',
        at,
        actor: SYSTEM,
        data: { kind: 'acknowledgement', deadline: acknowledgement },
      },
      { idempotencyKey: 'plan:acknowledgement' },
    );
  }
  if (!category.acknowledgement && !projection.deadlines.answer) {
    const deadline = computeDeadline({
      receivedAt: projection.receivedAt,
      delay: category.answer.standardDelay,
      calendar,
      workingHours: deps.policy.organization.workingHours,
    });
    await deps.ledger.append(
      caseId,
      { type: 'deadline.planned', at, actor: SYSTEM, data: { kind: 'answer', deadline } },
      { idempotencyKey: 'plan:answer' },
    );
  }
}

/**
 * Routes a new case to its category's queue and notifies: the assignee group (task notification) and the
 * requester (automatic receipt, which is not the legal acknowledgement). Each part runs once.
 */
export async function routeAndNotify(deps: WorkflowDeps, caseId: string): Promise<void> {
  const loaded = await loadCase(deps, caseId);
  const { category } = loaded;
  let { projection } = loaded;
  if (!projection.unit) {
    await deps.ledger.append(
      caseId,
      { type: 'case.assigned', at: nowIso(deps), actor: SYSTEM, data: { unit: category.routing.queue } },
      { idempotencyKey: 'route' },
    );
    projection = (await loadCase(deps, caseId)).projection;
  }
  const ack = projection.deadlines.acknowledgement;
  const answer = projection.deadlines.answer;
  await sendOnce(deps, projection, 'notify:task', {
    recipient: 'staff',
    purpose: 'other',
    to: await deps.directory.addressesOf(groupFor(category, 'assignee')),
    template: 'task-notification',
    language: 'fr',
    values: {
      reference: referenceOf(projection),
      categoryName: category.name.fr,
      caseUrl: deps.caseUrl(caseId),
      acknowledgementDueDate: ack ? dateInWords(ack.dueDate, 'fr') : '—',
      answerDueDate: answer ? dateInWords(answer.dueDate, 'fr') : '—',
    },
  });
  if (projection.requester.email && (await automaticReceiptAllowed(deps, projection, 'notify:receipt'))) {
    const language = projection.requester.language;
    await sendOnce(deps, projection, 'notify:receipt', {
      recipient: 'requester',
      purpose: 'receipt',
      to: [projection.requester.email],
      template: 'automatic-receipt',
      language,
      values: {
        reference: referenceOf(projection),
        receivedDate: instantDateInWords(projection.receivedAt, language),
        acknowledgementDueDate: ack
          ? dateInWords(ack.dueDate, language)
          : dateInWords((answer as CaseDeadline).dueDate, language),
        categoryName: category.name[language],
        contact: contactBlock(deps.policy, language),
      },
    });
  }
}

/** The checkpoint: what the workflow does next for the case at the current instant (see `checkCase`). */
export async function checkpoint(deps: WorkflowDeps, caseId: string): Promise<WorkflowCheck> {
  const { projection, category } = await loadCase(deps, caseId);
  return checkCase(projection, {
    policy: deps.policy,
    category,
    calendar: calendarFor(deps, category),
    now: deps.clock.now(),
  });
}

/**
 * Performs a due step once. The step is re-derived from the case (never trusted from the caller), so a staff
 * action since the checkpoint (an acknowledgement, say) makes the step moot: `StepNotDueError`, and the
 * workflow re-checks. A retried step finds its `step.done` or `message.sent` and sends nothing twice.
 */
export async function performStep(
  deps: WorkflowDeps,
  caseId: string,
  stepId: string,
): Promise<{ stepId: string }> {
  const { projection, category } = await loadCase(deps, caseId);
  if (projection.stepsDone.includes(stepId)) return { stepId };
  const check = await checkpoint(deps, caseId);
  const step = check.due ? check.step : undefined;
  if (!step || step.id !== stepId) throw new StepNotDueError(caseId, stepId);

  switch (step.kind) {
    case 'notify':
    case 'dissatisfaction':
      await notifyStaff(deps, projection, category, step);
      break;
    case 'ack-deadline-action':
      await applyAcknowledgementDeadline(deps, projection, category, step);
      break;
    case 'delay-notice':
      await sendDelayNotice(deps, projection, step);
      break;
    case 'close':
      await deps.ledger.append(
        caseId,
        { type: 'case.closed', at: nowIso(deps), actor: SYSTEM, data: { reason: 'answered' } },
        { idempotencyKey: `${step.id}:closed` },
      );
      break;
  }
  await deps.ledger.append(
    caseId,
    { type: 'step.done', at: nowIso(deps), actor: SYSTEM, data: { stepId } },
    { idempotencyKey: stepId },
  );
  return { stepId };
}

async function notifyStaff(
  deps: WorkflowDeps,
  projection: CaseProjection,
  category: Category,
  step: PlannedStep,
): Promise<void> {
  const target = step.notify ?? 'assignee';
  const deadline = step.deadline ? projection.deadlines[step.deadline] : undefined;
  const deadlineName = step.deadline === 'answer' ? 'réponse' : 'accusé de réception';
  const to = await deps.directory.addressesOf(groupFor(category, target));
  if (step.kind === 'dissatisfaction' || target === 'supervisor' || target === 'director') {
    await sendOnce(deps, projection, `${step.id}:message`, {
      recipient: 'staff',
      purpose: 'escalation',
      to,
      template: 'escalation',
      language: 'fr',
      values: {
        reference: referenceOf(projection),
        caseUrl: deps.caseUrl(projection.caseId),
        deadlineName: step.kind === 'dissatisfaction' ? 'insatisfaction exprimée' : deadlineName,
        dueDate: deadline ? dateInWords(deadline.dueDate, 'fr') : '—',
        assignee: projection.assignee ?? projection.unit ?? '—',
        level:
          step.kind === 'dissatisfaction'
            ? 'responsable des plaintes'
            : target === 'director'
              ? 'direction'
              : 'supervision',
      },
    });
    return;
  }
  const calendar = calendarFor(deps, category);
  const today = localDateOf(deps.clock.now());
  await sendOnce(deps, projection, `${step.id}:message`, {
    recipient: 'staff',
    purpose: 'reminder',
    to,
    template: 'reminder',
    language: 'fr',
    values: {
      reference: referenceOf(projection),
      caseUrl: deps.caseUrl(projection.caseId),
      deadlineName,
      dueDate: deadline ? dateInWords(deadline.dueDate, 'fr') : '—',
      businessDaysLeft: deadline ? String(businessDaysBetween(calendar, today, deadline.dueDate)) : '—',
    },
  });
}

/**
 * The acknowledgement deadline has come and nobody acknowledged. With `auto-acknowledge`, the system sends the
 * legal acknowledgement itself, promising the category's standard answer delay counted from the receipt (and
 * never a date earlier than the next business day), plans the answer deadline, and tells the director what it
 * did. With `escalate-only`, or when the requester has no email address, it tells the director that the
 * acknowledgement is still to be sent. The director's message has its own wording: the schedule's 08:30
 * escalation of the same day warned of the deadline, this one reports that it has come.
 */
async function applyAcknowledgementDeadline(
  deps: WorkflowDeps,
  projection: CaseProjection,
  category: Category,
  step: PlannedStep,
): Promise<void> {
  const calendar = calendarFor(deps, category);
  const email = projection.requester.email;
  let promisedAnswerDate: string | undefined;
  if (category.acknowledgement?.atDeadline === 'auto-acknowledge' && email) {
    const language = projection.requester.language;
    const standard = computeDeadline({
      receivedAt: projection.receivedAt,
      delay: category.answer.standardDelay,
      calendar,
      workingHours: deps.policy.organization.workingHours,
    });
    const earliest = addBusinessDays(calendar, localDateOf(deps.clock.now()), 1);
    const answer =
      standard.dueDate >= earliest
        ? standard
        : computeDeadline({
            receivedAt: nowIso(deps),
            delay: category.answer.standardDelay,
            calendar,
            workingHours: deps.policy.organization.workingHours,
          });
    const { messageId } = await sendOnce(deps, projection, `${step.id}:acknowledgement`, {
      recipient: 'requester',
      purpose: 'acknowledgement',
      to: [email],
      template: 'automatic-acknowledgement',
      language,
      values: {
        reference: referenceOf(projection),
        receivedDate: instantDateInWords(projection.receivedAt, language),
        answerByDate: dateInWords(answer.dueDate, language),
        contact: contactBlock(deps.policy, language),
      },
    });
    await deps.ledger.append(
      projection.caseId,
      {
        type: 'case.acknowledged',
        at: nowIso(deps),
        actor: SYSTEM,
        data: { messageId, promisedAnswerDate: answer.dueDate, automatic: true },
      },
      { idempotencyKey: `${step.id}:acknowledged` },
    );
    await deps.ledger.append(
      projection.caseId,
      {
        type: 'deadline.planned',
        at: nowIso(deps),
        actor: SYSTEM,
        data: { kind: 'answer', deadline: answer },
      },
      { idempotencyKey: 'plan:answer' },
    );
    promisedAnswerDate = answer.dueDate;
  }
  const deadline = projection.deadlines.acknowledgement;
  await sendOnce(deps, projection, `${step.id}:message`, {
    recipient: 'staff',
    purpose: 'escalation',
    to: await deps.directory.addressesOf(groupFor(category, 'director')),
    template: 'acknowledgement-deadline-reached',
    language: 'fr',
    values: {
      reference: referenceOf(projection),
      caseUrl: deps.caseUrl(projection.caseId),
      dueDate: deadline ? dateInWords(deadline.dueDate, 'fr') : '—',
      assignee: projection.assignee ?? projection.unit ?? '—',
      outcome:
        promisedAnswerDate !== undefined
          ? `Jalon a envoyé l’accusé de réception automatiquement au demandeur, en promettant une réponse au plus tard le ${dateInWords(promisedAnswerDate, 'fr')}. Le dossier doit maintenant être traité pour respecter cette date.`
          : 'Jalon n’a pas pu l’envoyer automatiquement (la politique ne le prévoit pas pour cette catégorie, ou le demandeur n’a pas d’adresse courriel)\u00a0: il doit être envoyé sans délai, par la poste au besoin.',
    },
  });
}

/** The promised answer date will be missed: the requester is told in writing (policy `notifyInWritingIfLate`). */
async function sendDelayNotice(
  deps: WorkflowDeps,
  projection: CaseProjection,
  step: PlannedStep,
): Promise<void> {
  const email = projection.requester.email;
  const deadline = projection.deadlines.answer;
  if (!email || !deadline) return;
  const language = projection.requester.language;
  await sendOnce(deps, projection, `${step.id}:message`, {
    recipient: 'requester',
    purpose: 'other',
    to: [email],
    template: 'delay-notice',
    language,
    values: {
      reference: referenceOf(projection),
      answerByDate: dateInWords(deadline.dueDate, language),
      contact: contactBlock(deps.policy, language),
    },
  });
}

/**
 * A workflow step failed for good: the failure goes into the case's ledger and operations are alerted, so
 * nothing fails silently. Error names and codes only: no message bodies or personal data.
 */
export async function recordFailure(
  deps: WorkflowDeps,
  input: { caseId: string; stepId?: string; error?: { Error?: string; Cause?: string } },
): Promise<void> {
  const errorName = (input.error?.Error ?? 'UnknownError').slice(0, 100);
  const at = nowIso(deps);
  let recorded = true;
  try {
    await deps.ledger.append(input.caseId, {
      type: 'failure.recorded',
      at,
      actor: SYSTEM,
      data: { code: errorName, ...(input.stepId ? { stepId: input.stepId } : {}) },
    });
  } catch {
    recorded = false;
  }
  const { messageId } = await deps.notifier.send({
    template: 'ops-alert',
    language: 'fr',
    to: await deps.directory.addressesOf('operations'),
    values: { caseId: input.caseId, step: input.stepId ?? 'workflow', errorName, at },
    caseId: input.caseId,
  });
  if (!recorded) return;
  await deps.ledger
    .append(input.caseId, {
      type: 'message.sent',
      at,
      actor: SYSTEM,
      data: { messageId, purpose: 'other', recipient: 'staff', template: 'ops-alert', language: 'fr' },
    })
    .catch(() => undefined);
}

interface SendSpec<T extends TemplateId> {
  recipient: 'requester' | 'staff';
  purpose:
    | 'receipt'
    | 'acknowledgement'
    | 'answer'
    | 'extension-notice'
    | 'reminder'
    | 'escalation'
    | 'referral'
    | 'other';
  to: string[];
  template: T;
  language: Language;
  values: TemplateValues<T>;
}

/**
 * Sends a message at most once per key: the ledger's `message.sent` with that idempotency key is the record.
 * A crash between sending and recording can repeat one message on retry (at-least-once); never more.
 * A message to the requester carries the case's own reply address as Reply-To (created on first use, the same
 * one every time), so the answer joins the case; staff-bound messages carry none.
 */
async function sendOnce<T extends TemplateId>(
  deps: WorkflowDeps,
  projection: CaseProjection,
  key: string,
  spec: SendSpec<T>,
): Promise<{ messageId: string }> {
  const events = await deps.ledger.read(projection.caseId);
  const previous = events.find(
    (e): e is Extract<LedgerEvent, { type: 'message.sent' }> =>
      e.type === 'message.sent' && e.idempotencyKey === key,
  );
  if (previous) return { messageId: previous.data.messageId };
  if (spec.to.length === 0) throw new NoRecipientError(projection.caseId, key);
  const replyTo = await replyToOf(deps, projection, spec.recipient);
  const { messageId } = await deps.notifier.send({
    template: spec.template,
    language: spec.language,
    to: spec.to,
    values: spec.values,
    ...(replyTo !== undefined ? { replyTo } : {}),
    caseId: projection.caseId,
  } satisfies OutgoingMessageOf<T> as unknown as OutgoingMessage);
  await deps.ledger.append(
    projection.caseId,
    {
      type: 'message.sent',
      at: nowIso(deps),
      actor: SYSTEM,
      data: {
        messageId,
        purpose: spec.purpose,
        recipient: spec.recipient,
        template: spec.template,
        language: spec.language,
      },
    },
    { idempotencyKey: key },
  );
  return { messageId };
}

async function replyToOf(
  deps: WorkflowDeps,
  projection: CaseProjection,
  recipient: SendSpec<TemplateId>['recipient'],
): Promise<string | undefined> {
  const email = projection.requester.email;
  if (recipient !== 'requester' || email === undefined) return undefined;
  return (await deps.replyAddresses.addressFor(projection.caseId, email)).address;
}

function groupFor(category: Category, target: NotifyTarget): string {
  switch (target) {
    case 'assignee':
      return category.routing.handlerRole === 'complaints-officer'
        ? 'complaints-officer'
        : category.routing.assigneeGroup;
    case 'supervisor':
      return category.routing.supervisor;
    case 'director':
      return category.routing.director;
    case 'complaints-officer':
      return 'complaints-officer';
    case 'operations':
      return 'operations';
  }
}

function referenceOf(projection: CaseProjection): string {
  return projection.reference ?? projection.caseId;
}
