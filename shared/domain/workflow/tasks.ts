import { CaseNotFoundError } from '../../errors';
import type { Language, TemplateId, TemplateValues } from '../../templates/catalog';
import type { TemplateRequest } from '../../templates/render';
import type { CaseDeadline } from '../case/case';
import { senderAuthenticationFailed } from '../case/sender-authentication';
import type { KeyedDraft } from '../ledger/chain';
import type { Actor, LedgerEvent } from '../ledger/events';
import { CommandLedger } from '../ledger/command-ledger';
import type { CaseLedger } from '../ledger/ports';
import type { CaseProjection } from '../ledger/projection';
import type { AcceptedMessages, Clock, Notifier, ReplyAddresses } from '../messaging/ports';
import type { StaffDirectory } from '../identity/staff-directory';
import { sendOnce, type OutboxMessage } from '../messaging/outbox';
import { automaticReceiptAllowed } from '../messaging/automatic-replies';
import type { RateCounter } from '../messaging/rate-counter';
import type { LetterDeps } from '../letters/ports';
import { caseContactBlock } from '../messaging/values';
import { dateInWords, instantDateInWords } from '../time/date-in-words';
import { getCategory } from '../policy/category';
import type { Category, Policy } from '../policy/schema';
import { addBusinessDays, businessDaysBetween, computeDeadline, type CalendarRegistry } from '../time';
import { localDateOf } from '../time/local-date-of';
import { firstAssignment, firstDeadlines, type FirstPlanInput } from './first-plan';
import { isSuperseded } from './generations';
import {
  checkCase,
  phaseOf,
  plannedSteps,
  stepInProgress,
  unmailedAcknowledgementLetter,
  type PlannedStep,
  type WorkflowCheck,
} from './plan';
import { recipientsFor } from './recipients';

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
  /**
   * The mail service's record of accepted messages, when it keeps one (the local stack's outbox): a message
   * whose send outlived a crash that lost its ledger record is recorded from it instead of sent again.
   */
  readonly acceptedMessages?: AcceptedMessages;
  /** Counts automatic receipts per address and day (`automaticReceiptAllowed`). */
  readonly rateCounter: RateCounter;
  /**
   * Letters for requesters without email (`docs/letters.md`). Without it, automatic messages to such a
   * requester are not prepared and the deadline-day escalation says the acknowledgement must be posted.
   */
  readonly letters?: LetterDeps;
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

/** The category's calendar in the version in force at an instant. */
function calendarAt(deps: WorkflowDeps, category: Category, at: Date | string) {
  return deps.calendars.at(category.calendarId, localDateOf(at));
}

function nowIso(deps: WorkflowDeps): string {
  return deps.clock.now().toISOString();
}

/**
 * Plans the deadlines of a case opened without them (`firstDeadlines`): intake plans them in the case's opening
 * since issue 13, so this task only serves executions started before (their definition still calls it) and
 * does nothing for a case that has them. Idempotent.
 */
export async function planDeadlines(deps: WorkflowDeps, caseId: string): Promise<void> {
  const { projection, category } = await loadCase(deps, caseId);
  for (const { draft, idempotencyKey } of firstDeadlines(
    firstPlanInput(deps, projection, category),
    projection.deadlines,
  )) {
    await deps.ledger.append(caseId, draft, { idempotencyKey });
  }
}

/** What the workflow plans and routes a case opened without its first plan from: now, as the workflow. */
function firstPlanInput(deps: WorkflowDeps, projection: CaseProjection, category: Category): FirstPlanInput {
  return {
    policy: deps.policy,
    category,
    calendars: deps.calendars,
    receivedAt: projection.receivedAt,
    at: deps.clock.now(),
    actor: SYSTEM,
  };
}

/**
 * Notifies for a new case: the assignee group (task notification) and the requester (automatic receipt, which
 * is not the legal acknowledgement). Each part runs once. Intake opens a case already planned and assigned
 * (`firstDeadlines`, `firstAssignment`); a case opened before that, or whose opening a crash left to keyed
 * appends, is planned and assigned here first, each once. Returns the workflow's first check (see
 * `checkpoint`), from the case its appends left: no checkpoint read follows.
 *
 * One read of the case and one of its events (what was already sent, for a retry), the latter answered from the
 * head just read when that is the case's opening item; then its appends; those followed by another leave the
 * read model to it.
 */
export async function routeAndNotify(
  deps: WorkflowDeps,
  caseId: string,
  execution?: { readonly generation: number },
): Promise<WorkflowCheck> {
  const loaded = await loadCase(deps, caseId);
  const { category } = loaded;
  let { projection } = loaded;
  const ledger = new CommandLedger(deps.ledger, projection);
  // A new case's events are all in its opening item, the head just read: no request for them then.
  const events = await deps.ledger.read(caseId, { seq: projection.lastSeq, hash: projection.lastHash });
  const email = projection.requester.email;
  // Every append here but the last defers the read model: the receipt (sent or withheld) comes last when the
  // requester has an address, the task notification otherwise.
  ledger.deferReadModel = true;
  const plan = firstPlanInput(deps, projection, category);
  const missing = [
    ...firstDeadlines(plan, projection.deadlines),
    ...(projection.unit ? [] : [firstAssignment(plan)]),
  ];
  for (const { draft, idempotencyKey } of missing) {
    await ledger.append(caseId, draft, { idempotencyKey });
  }
  if (missing.length > 0) projection = await ledger.current(caseId);
  const task = { ...deps, ledger };
  const ack = projection.deadlines.acknowledgement;
  const answer = projection.deadlines.answer;
  ledger.deferReadModel = email !== undefined;
  await sendFromWorkflow(
    task,
    projection,
    'notify:task',
    {
      recipient: 'staff',
      purpose: 'other',
      to: await recipientsFor(deps, projection, category, 'assignee'),
      template: 'task-notification',
      language: 'fr',
      values: {
        reference: referenceOf(projection),
        categoryName: category.name.fr,
        caseUrl: deps.caseUrl(caseId),
        acknowledgementDueDate: ack ? dateInWords(ack.dueDate, 'fr') : '—',
        answerDueDate: answer ? dateInWords(answer.dueDate, 'fr') : '—',
      },
    },
    events,
  );
  ledger.deferReadModel = false;
  if (email && (await automaticReceiptAllowed(task, projection, 'notify:receipt', events))) {
    const language = projection.requester.language;
    await sendFromWorkflow(
      task,
      projection,
      'notify:receipt',
      {
        recipient: 'requester',
        purpose: 'receipt',
        to: [email],
        template: 'automatic-receipt',
        language,
        values: {
          reference: referenceOf(projection),
          receivedDate: instantDateInWords(projection.receivedAt, language),
          acknowledgementDueDate: ack
            ? dateInWords(ack.dueDate, language)
            : dateInWords((answer as CaseDeadline).dueDate, language),
          categoryName: category.name[language],
          contact: caseContactBlock(deps.policy, getCategory(deps.policy, projection.category), language),
        },
      },
      events,
    );
  }
  return checkOf(deps, await ledger.current(caseId), category, execution);
}

/**
 * The checkpoint: what the workflow does next for the case at the current instant (see `checkCase`). An
 * execution whose generation a later one superseded (`isSuperseded`) is told it is done, and acts no more.
 */
export async function checkpoint(
  deps: WorkflowDeps,
  caseId: string,
  execution?: { readonly generation: number },
): Promise<WorkflowCheck> {
  const { projection, category } = await loadCase(deps, caseId);
  return checkOf(deps, projection, category, execution);
}

/** What the workflow does next for the case as it stands (`checkCase`), or `superseded` for an older generation. */
function checkOf(
  deps: WorkflowDeps,
  projection: CaseProjection,
  category: Category,
  execution: { readonly generation: number } | undefined,
): WorkflowCheck {
  if (execution !== undefined && isSuperseded(projection, execution.generation)) {
    return { phase: 'done', due: false, superseded: true };
  }
  return checkCase(projection, planContext(deps, category, deps.clock.now()));
}

/** What `performStep` did, and what the workflow does next. */
export interface StepOutcome {
  readonly stepId: string;
  /**
   * False when the step was not due (a staff action since the check made it moot, the workflow woke early, or
   * a later generation superseded this one): nothing was done, and `check` says what is due instead.
   */
  readonly performed: boolean;
  /** The next check (see `checkpoint`), from the case as the step left it: no checkpoint read follows. */
  readonly check: WorkflowCheck;
}

/**
 * Performs a due step once, completely, and returns the workflow's next check. The step is re-derived from the
 * case (never trusted from the caller), so a staff action since the check that chose it (an acknowledgement,
 * say) makes the step moot: nothing is done and the check says what is due now. So the state machine can wait
 * for a step and run it on waking, with no checkpoint in between.
 *
 * A step is recorded as begun (`step.started`) in the ledger item of its first effect and as done (`step.done`)
 * in that of its last; every effect is keyed by the step id, so a step run again after a crash skips what it
 * had done and does the rest, each effect once. Its computations use the instant it began, so the rest matches
 * what was already done (the promised date of an automatic acknowledgement, say). A begun step that had no
 * effect yet is checked again: when the case no longer needs it (acknowledged by staff in the meantime), it
 * ends without effect.
 *
 * Reads: the case once; the case's events only for a step resumed after a crash (a step begun now has no
 * effect to look for). The appends before `step.done` leave the read model to it.
 */
export async function performStep(
  deps: WorkflowDeps,
  caseId: string,
  stepId: string,
  execution?: { readonly generation: number },
): Promise<StepOutcome> {
  const { projection, category } = await loadCase(deps, caseId);
  const ledger = new CommandLedger(deps.ledger, projection);
  const outcome = async (performed: boolean): Promise<StepOutcome> => ({
    stepId,
    performed,
    check: checkOf(deps, await ledger.current(caseId), category, execution),
  });
  if (execution !== undefined && isSuperseded(projection, execution.generation)) return outcome(false);
  if (projection.stepsDone.includes(stepId)) return outcome(false);
  const begun = projection.stepsInProgress?.find((s) => s.stepId === stepId);
  let run: StepRun;
  if (begun !== undefined) {
    const events = await deps.ledger.read(caseId);
    run = { step: stepInProgress(begun), startedAt: begun.startedAt, events };
    if (!tookEffect(events, stepId) && !stillDue(deps, projection, category, stepId)) {
      await finishStep(ledger, deps, caseId, stepId);
      return outcome(true);
    }
  } else {
    const check = checkCase(projection, planContext(deps, category, deps.clock.now()));
    const step = check.due ? check.step : undefined;
    if (!step || step.id !== stepId)
      return { stepId, performed: false, check: checkOf(deps, projection, category, execution) };
    // Recorded with the step's first effect, in its item: the only effect that can come before that record is
    // an email, which a retry finds by its delivery key as before (the step is then re-derived from the case).
    const startedAt = nowIso(deps);
    ledger.withNextAppend({
      draft: {
        type: 'step.started',
        at: startedAt,
        actor: SYSTEM,
        data: {
          stepId,
          kind: step.kind,
          plannedAt: step.at,
          ...(step.deadline !== undefined ? { deadline: step.deadline } : {}),
          ...(step.notify !== undefined ? { notify: step.notify } : {}),
        },
      },
      idempotencyKey: `${stepId}:started`,
    });
    // Begun just now, the step has no effect yet.
    run = { step, startedAt, events: [] };
  }

  ledger.deferReadModel = true;
  const task = { ...deps, ledger };
  switch (run.step.kind) {
    case 'notify':
    case 'dissatisfaction':
      await notifyStaff(task, projection, category, run);
      break;
    case 'ack-deadline-action':
      await applyAcknowledgementDeadline(task, projection, category, run);
      break;
    case 'delay-notice':
      await sendDelayNotice(task, projection, run);
      break;
    case 'close': {
      // The closure and the step's end, back to back: one ledger item.
      const at = nowIso(deps);
      await ledger.appendAll(
        caseId,
        [
          {
            draft: { type: 'case.closed', at, actor: SYSTEM, data: { reason: 'answered' } },
            idempotencyKey: `${stepId}:closed`,
          },
          ...stepDone(stepId)(at),
        ],
        { readModelLater: false },
      );
      break;
    }
  }
  await finishStep(ledger, deps, caseId, stepId);
  return outcome(true);
}

/**
 * A step being performed: the step as planned, the instant it began (its computations' "now"), and the case's
 * events where its effects already made would be (none for a step begun now; absent: read when needed).
 */
interface StepRun {
  readonly step: PlannedStep;
  readonly startedAt: string;
  readonly events?: readonly LedgerEvent[];
}

/** `step.done`, the step's last append: it writes the read model the step's other appends left to it. */
async function finishStep(
  ledger: CommandLedger,
  deps: WorkflowDeps,
  caseId: string,
  stepId: string,
): Promise<void> {
  // Already in the item of the step's last message (`stepDone`): nothing left to append.
  if ((await ledger.current(caseId)).stepsDone.includes(stepId)) return;
  const [done] = stepDone(stepId)(nowIso(deps));
  await ledger.append(caseId, done.draft, { idempotencyKey: done.idempotencyKey, readModelLater: false });
}

/**
 * The `step.done` of a step, at an instant: given to the step's last message (`OutboxEntry.then`), it is
 * recorded in the same ledger item as that message's `message.sent`, nothing coming between them.
 */
function stepDone(stepId: string): (at: string) => [KeyedDraft & { idempotencyKey: string }] {
  return (at) => [
    { draft: { type: 'step.done', at, actor: SYSTEM, data: { stepId } }, idempotencyKey: stepId },
  ];
}

/** Whether a begun step has had an effect: an event recorded under one of its own keys. */
function tookEffect(events: readonly LedgerEvent[], stepId: string): boolean {
  const started = `${stepId}:started`;
  return events.some(
    (e) => e.idempotencyKey !== started && e.idempotencyKey?.startsWith(`${stepId}:`) === true,
  );
}

/** Whether the plan, ignoring what is in progress, still has the step pending and due now. */
function stillDue(
  deps: WorkflowDeps,
  projection: CaseProjection,
  category: Category,
  stepId: string,
): boolean {
  const settled: CaseProjection = { ...projection };
  delete settled.stepsInProgress;
  const context = planContext(deps, category, deps.clock.now());
  const phase = phaseOf(settled, category);
  return plannedSteps(settled, phase, context).some(
    (s) => s.id === stepId && Date.parse(s.at) <= context.now.getTime(),
  );
}

function planContext(deps: WorkflowDeps, category: Category, now: Date) {
  return { policy: deps.policy, category, calendar: calendarAt(deps, category, now), now };
}

async function notifyStaff(
  deps: WorkflowDeps,
  projection: CaseProjection,
  category: Category,
  run: StepRun,
): Promise<void> {
  const { step } = run;
  const target = step.notify ?? 'assignee';
  const deadline = step.deadline ? projection.deadlines[step.deadline] : undefined;
  const deadlineName =
    step.deadline === 'review'
      ? 'réexamen à la suite de l’insatisfaction'
      : step.deadline === 'answer'
        ? 'réponse'
        : 'accusé de réception';
  const to = await recipientsFor(deps, projection, category, target);
  if (step.kind === 'dissatisfaction' || target === 'supervisor' || target === 'director') {
    await sendFromWorkflow(
      deps,
      projection,
      `${step.id}:message`,
      {
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
      },
      run.events,
      stepDone(step.id),
    );
    return;
  }
  const calendar = calendarAt(deps, category, run.startedAt);
  const today = localDateOf(run.startedAt);
  await sendFromWorkflow(
    deps,
    projection,
    `${step.id}:message`,
    {
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
    },
    run.events,
    stepDone(step.id),
  );
}

/**
 * The acknowledgement deadline has come and nobody acknowledged. With `auto-acknowledge`, the system sends the
 * legal acknowledgement itself, promising the category's standard answer delay counted from the receipt (and
 * never a date earlier than the next business day after the step began), plans the answer deadline, and tells
 * the director what it did; for a requester without email it prepares that acknowledgement as a letter
 * (`docs/letters.md`) and tells the supervisor to post it today. With `escalate-only` (or without the letters
 * port), it tells the director that the acknowledgement is still to be sent. An acknowledgement already made
 * by a letter that nobody recorded as posted is escalated to the supervisor as "to mail today", nothing else. The director's message has its own wording: the
 * schedule's 08:30 escalation of the same day warned of the deadline, this one reports that it has come.
 *
 * Resumed after a crash, it recomputes the same promised date (from the instant the step began), finds the
 * acknowledgement it sent and records what is missing: the answer deadline, then the director's message.
 */
async function applyAcknowledgementDeadline(
  deps: WorkflowDeps,
  projection: CaseProjection,
  category: Category,
  run: StepRun,
): Promise<void> {
  const { step, startedAt } = run;
  const calendar = calendarAt(deps, category, startedAt);
  const email = projection.requester.email;
  const deadline = projection.deadlines.acknowledgement;
  if (unmailedAcknowledgementLetter(projection)) {
    await sendToMailToday(deps, projection, category, run, deadline);
    return;
  }
  let promisedAnswerDate: string | undefined;
  let byLetter = false;
  // Mail whose sender the receiving server found forged gets no automatic message (not an open relay).
  const barred = email !== undefined && automaticRepliesBarredFor(projection);
  const letters = email === undefined ? deps.letters : undefined;
  if (
    category.acknowledgement?.atDeadline === 'auto-acknowledge' &&
    ((email && !barred) || letters !== undefined)
  ) {
    const language = projection.requester.language;
    const standard = computeDeadline({
      receivedAt: projection.receivedAt,
      delay: category.answer.standardDelay,
      calendar,
      workingHours: deps.policy.organization.workingHours,
    });
    const earliest = addBusinessDays(calendar, localDateOf(startedAt), 1);
    const answer =
      standard.dueDate >= earliest
        ? standard
        : computeDeadline({
            receivedAt: startedAt,
            delay: category.answer.standardDelay,
            calendar,
            workingHours: deps.policy.organization.workingHours,
          });
    const values = {
      reference: referenceOf(projection),
      receivedDate: instantDateInWords(projection.receivedAt, language),
      answerByDate: dateInWords(answer.dueDate, language),
      contact: caseContactBlock(deps.policy, getCategory(deps.policy, projection.category), language),
    };
    // The acknowledgement and the answer deadline it promises, back to back: in the item of the email's
    // `message.sent` when sent now; otherwise (a letter, a message an earlier run recorded) one item of their own.
    const acknowledged = (at: string, messageId: string): [KeyedDraft, KeyedDraft] => [
      {
        draft: {
          type: 'case.acknowledged',
          at,
          actor: SYSTEM,
          data: { messageId, promisedAnswerDate: answer.dueDate, automatic: true },
        },
        idempotencyKey: `${step.id}:acknowledged`,
      },
      {
        draft: { type: 'deadline.planned', at, actor: SYSTEM, data: { kind: 'answer', deadline: answer } },
        idempotencyKey: `${step.id}:answer-planned`,
      },
    ];
    const { messageId } =
      email !== undefined
        ? await sendFromWorkflow(
            deps,
            projection,
            `${step.id}:acknowledgement`,
            {
              recipient: 'requester',
              purpose: 'acknowledgement',
              to: [email],
              template: 'automatic-acknowledgement',
              language,
              values,
            },
            run.events,
            acknowledged,
            true,
          )
        : await mailFromWorkflow(
            { ...deps, letters: letters as LetterDeps },
            projection,
            `${step.id}:acknowledgement`,
            startedAt,
            'acknowledgement',
            { template: 'automatic-acknowledgement', language, values },
            run.events,
          );
    byLetter = email === undefined;
    // Answered from the command's memory when the email's item recorded them.
    await deps.ledger.appendAll(projection.caseId, acknowledged(nowIso(deps), messageId));
    promisedAnswerDate = answer.dueDate;
    if (byLetter) await sendToMailToday(deps, projection, category, run, deadline);
  }
  await sendFromWorkflow(
    deps,
    projection,
    `${step.id}:message`,
    {
      recipient: 'staff',
      purpose: 'escalation',
      to: await recipientsFor(deps, projection, category, 'director'),
      template: 'acknowledgement-deadline-reached',
      language: 'fr',
      values: deadlineReachedValues(
        deps,
        projection,
        deadline,
        promisedAnswerDate !== undefined && byLetter
          ? `Le demandeur n’a pas d’adresse courriel\u00a0: Jalon a préparé la lettre d’accusé de réception, qui promet une réponse au plus tard le ${dateInWords(promisedAnswerDate, 'fr')}, et a demandé à la supervision de la poster aujourd’hui. L’échéance n’est respectée que lorsque la mise à la poste est consignée.`
          : promisedAnswerDate !== undefined
            ? `Jalon a envoyé l’accusé de réception automatiquement au demandeur, en promettant une réponse au plus tard le ${dateInWords(promisedAnswerDate, 'fr')}. Le dossier doit maintenant être traité pour respecter cette date.`
            : barred
              ? 'Jalon ne l’a pas envoyé automatiquement\u00a0: le serveur de réception n’a pas pu authentifier l’expéditeur du courriel (DMARC ou SPF en échec), et Jalon n’écrit pas d’office à une adresse peut-être usurpée. Vérifiez l’adresse du demandeur, puis envoyez l’accusé de réception sans délai (par la poste au besoin).'
              : 'Jalon n’a pas pu l’envoyer automatiquement (la politique ne le prévoit pas pour cette catégorie, ou le demandeur n’a pas d’adresse courriel)\u00a0: il doit être envoyé sans délai, par la poste au besoin.',
      ),
    },
    run.events,
    stepDone(step.id),
  );
}

/** The values of an `acknowledgement-deadline-reached` message: the case, its deadline, and what happened. */
function deadlineReachedValues(
  deps: WorkflowDeps,
  projection: CaseProjection,
  deadline: CaseDeadline | undefined,
  outcome: string,
): TemplateValues<'acknowledgement-deadline-reached'> {
  return {
    reference: referenceOf(projection),
    caseUrl: deps.caseUrl(projection.caseId),
    dueDate: deadline ? dateInWords(deadline.dueDate, 'fr') : '—',
    assignee: projection.assignee ?? projection.unit ?? '—',
    outcome,
  };
}

/**
 * The acknowledgement went as a letter that nobody has posted yet and its deadline has come: the supervisor
 * is told to post it today (a letter counts as sent on its mailing date), once per step.
 */
async function sendToMailToday(
  deps: WorkflowDeps,
  projection: CaseProjection,
  category: Category,
  run: StepRun,
  deadline: CaseDeadline | undefined,
): Promise<void> {
  const { step } = run;
  await sendFromWorkflow(
    deps,
    projection,
    `${step.id}:to-mail`,
    {
      recipient: 'staff',
      purpose: 'escalation',
      to: await recipientsFor(deps, projection, category, 'supervisor'),
      template: 'acknowledgement-deadline-reached',
      language: 'fr',
      values: deadlineReachedValues(
        deps,
        projection,
        deadline,
        'À POSTER AUJOURD’HUI\u00a0: la lettre d’accusé de réception de ce dossier est prête, mais sa mise à la poste n’a pas été consignée. Imprimez-la depuis le dossier (Lettres), postez-la aujourd’hui et consignez la date d’envoi\u00a0: l’accusé de réception n’est fait qu’à la date de mise à la poste.',
      ),
    },
    run.events,
  );
}

/**
 * The promised answer date will be missed: the requester is told in writing (policy `notifyInWritingIfLate`),
 * by email, or by a letter to post when they have no address (and the letters port is there).
 */
async function sendDelayNotice(deps: WorkflowDeps, projection: CaseProjection, run: StepRun): Promise<void> {
  const { step } = run;
  const email = projection.requester.email;
  const deadline = projection.deadlines.answer;
  if (!deadline) return;
  const language = projection.requester.language;
  // Built only once a message is sent: the early returns read neither the policy nor the calendar.
  const values = () => ({
    reference: referenceOf(projection),
    answerByDate: dateInWords(deadline.dueDate, language),
    contact: caseContactBlock(deps.policy, getCategory(deps.policy, projection.category), language),
  });
  if (!email) {
    if (deps.letters === undefined) return;
    await mailFromWorkflow(
      { ...deps, letters: deps.letters },
      projection,
      `${step.id}:message`,
      nowIso(deps),
      'other',
      {
        template: 'delay-notice',
        language,
        values: values(),
      },
      run.events,
    );
    return;
  }
  if (automaticRepliesBarredFor(projection)) return;
  await sendFromWorkflow(
    deps,
    projection,
    `${step.id}:message`,
    {
      recipient: 'requester',
      purpose: 'other',
      to: [email],
      template: 'delay-notice',
      language,
      values: values(),
    },
    run.events,
    stepDone(step.id),
  );
}

/**
 * A workflow step failed for good: the failure goes into the case's ledger and operations are alerted, so
 * nothing fails silently. Error names and codes only: no message bodies or personal data.
 *
 * Once per workflow generation (an execution fails at most once): the record (`failure:g<N>`) and the alert
 * (`failure:g<N>:alert`) are keyed, so the state machine retrying this task after a transient error (the
 * alert not sent, say) records nothing twice and alerts once. When the ledger cannot take the record, the
 * alert still goes, unrecorded.
 */
export async function recordFailure(
  deps: WorkflowDeps,
  input: {
    caseId: string;
    generation?: number;
    stepId?: string;
    error?: { Error?: string; Cause?: string };
  },
): Promise<void> {
  const errorName = (input.error?.Error ?? 'UnknownError').slice(0, 100);
  const at = nowIso(deps);
  const key = `failure:g${input.generation ?? 1}`;
  let projection: CaseProjection | undefined;
  try {
    await deps.ledger.append(
      input.caseId,
      {
        type: 'failure.recorded',
        at,
        actor: SYSTEM,
        data: { code: errorName, ...(input.stepId ? { stepId: input.stepId } : {}) },
      },
      { idempotencyKey: key },
    );
    projection = await deps.ledger.getCase(input.caseId);
  } catch {
    projection = undefined;
  }
  const alert: SendSpec<'ops-alert'> = {
    recipient: 'staff',
    purpose: 'other',
    to: await deps.directory.addressesOf('operations'),
    template: 'ops-alert',
    language: 'fr',
    values: { caseId: input.caseId, step: input.stepId ?? 'workflow', errorName, at },
  };
  if (projection !== undefined) {
    await sendFromWorkflow(deps, projection, `${key}:alert`, alert);
    return;
  }
  await deps.notifier.send({
    template: alert.template,
    language: alert.language,
    to: alert.to,
    values: alert.values,
    caseId: input.caseId,
  });
}

interface SendSpec<T extends TemplateId> {
  recipient: 'requester' | 'staff';
  purpose: OutboxMessage['purpose'];
  to: string[];
  template: T;
  language: Language;
  values: TemplateValues<T>;
}

/**
 * A workflow email, once per key, through the outbox (`sendOnce`): the system's workflow is the actor of
 * record, the instant of record is the clock's when it is recorded.
 */
async function sendFromWorkflow<T extends TemplateId>(
  deps: WorkflowDeps,
  projection: CaseProjection,
  key: string,
  spec: SendSpec<T>,
  events?: readonly LedgerEvent[],
  then?: (at: string, messageId: string) => readonly KeyedDraft[],
  moreFollows?: boolean,
): Promise<{ messageId: string }> {
  const { to, ...message } = spec;
  const { messageId } = await sendOnce(
    deps,
    {
      caseId: projection.caseId,
      key,
      actor: SYSTEM,
      ...(events !== undefined ? { events } : {}),
      ...(then !== undefined ? { then } : {}),
      ...(moreFollows === true ? { moreFollows } : {}),
    },
    {
      ...(message as unknown as TemplateRequest),
      recipient: spec.recipient,
      purpose: spec.purpose,
      via: { by: 'email', to },
    },
  );
  return { messageId };
}

/**
 * A workflow message to a requester without email, once per key, through the outbox: recorded as sent by post
 * (`mail:<letter id>` under `key`) and prepared as a letter (under `<key>:letter`) for staff to print and post.
 */
async function mailFromWorkflow(
  deps: WorkflowDeps & { readonly letters: LetterDeps },
  projection: CaseProjection,
  key: string,
  at: string,
  purpose: OutboxMessage['purpose'],
  request: TemplateRequest,
  events?: readonly LedgerEvent[],
): Promise<{ messageId: string }> {
  const { messageId } = await sendOnce(
    deps,
    { caseId: projection.caseId, key, actor: SYSTEM, at, ...(events !== undefined ? { events } : {}) },
    { ...request, recipient: 'requester', purpose, via: { by: 'post', projection } },
  );
  return { messageId };
}

/**
 * Whether no automatic message may go to the case's requester: the receiving server found the sender forged
 * at intake (as `automaticRepliesBarred` reads it from the receipt, which the case carries).
 */
function automaticRepliesBarredFor(projection: CaseProjection): boolean {
  return senderAuthenticationFailed(projection.senderAuthentication);
}

function referenceOf(projection: CaseProjection): string {
  return projection.reference ?? projection.caseId;
}
