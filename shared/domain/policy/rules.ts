import type { Delay } from '../time/types';
import { checkAnswerTemplates } from './answer-templates';
import type { BilingualMessage } from './messages';
import type {
  CategoryDocument,
  DeadlineKind,
  NotifyTarget,
  Organization,
  PolicyDocument,
  ScheduleStep,
  StepOffset,
} from './schema';

/** Receives one broken rule: where it is (zod path) and what is wrong, in English and French. */
export type ReportIssue = (path: readonly PropertyKey[], message: BilingualMessage) => void;

const NAME_MAX_LENGTH = 100;
const DESCRIPTION_MAX_LENGTH = 300;

/** Escalation level of a notified role; `operations` alerts stand outside the ladder. */
const ESCALATION_RANK: Record<NotifyTarget, number | undefined> = {
  assignee: 0,
  'complaints-officer': 0,
  supervisor: 1,
  director: 2,
  operations: undefined,
};

const DEADLINE_NAME: Record<DeadlineKind, BilingualMessage> = {
  'ack-deadline': { en: 'acknowledgement deadline', fr: 'l’échéance de l’accusé de réception' },
  'answer-deadline': { en: 'answer deadline', fr: 'l’échéance de la réponse' },
  'review-deadline': { en: 'dissatisfaction review deadline', fr: 'l’échéance du réexamen' },
};

/**
 * Cross-field rules of a policy, reported one by one (all of them, not just the first):
 * - the organization's working hours end after they start, and its contact gives at least one way to reach it;
 * - every catalogue id is defined by exactly one category, and every category is in the catalogue;
 * - per category: channels listed once; a confidential category is handled by the complaints officer; the
 *   maximum answer delay uses the standard delay's unit and is not shorter; a complaint carries a referral, and
 *   `supplier-complaint` refers to the AMP; an automatic acknowledgement promises an answer date after itself;
 *   names and descriptions stay short enough for a form; answer templates have unique ids and known
 *   placeholders only (`checkAnswerTemplates`);
 * - per schedule: step ids unique; steps anchored to an existing deadline; repeats only once the deadline is
 *   missed; no step due before the case can have been received; escalations never go back down the ladder
 *   (assignee or complaints officer, then supervisor, then director) as time passes; each deadline has at least
 *   one escalation to the supervisor or director.
 */
export function checkPolicyRules(policy: PolicyDocument, report: ReportIssue): void {
  const hoursPerDay = checkOrganization(policy.organization, report);
  checkCatalogue(policy, report);
  policy.categories.forEach((category, index) => {
    checkCategory(category, ['categories', index], hoursPerDay, report);
  });
  checkComplaintProcedure(policy, hoursPerDay, report);
}

/**
 * A policy with complaints or comments states its complaint procedure (the Protecteur du citoyen referral and
 * the dissatisfaction review); the review's schedule is anchored to the review deadline and escalates at
 * least once, never back down the ladder.
 */
function checkComplaintProcedure(
  policy: PolicyDocument,
  hoursPerDay: number | undefined,
  report: ReportIssue,
): void {
  const procedure = policy.complaintProcedure;
  if (procedure === undefined) {
    if (policy.categories.some((c) => c.kind !== 'request')) {
      report(['complaintProcedure'], {
        en: 'is required when a category handles complaints or comments',
        fr: 'est obligatoire lorsqu’une catégorie traite des plaintes ou des commentaires',
      });
    }
    return;
  }
  const at = ['complaintProcedure', 'dissatisfactionReview'] as const;
  const schedule = procedure.dissatisfactionReview.schedule;
  const steps = schedule.map((step, index) => ({ step, index }));
  for (const { step, index } of steps) {
    if (step.relativeTo !== 'review-deadline') {
      report([...at, 'schedule', index, 'relativeTo'], {
        en: 'must be review-deadline',
        fr: 'doit être review-deadline',
      });
    }
  }
  if (!schedule.some((step) => step.notify === 'supervisor' || step.notify === 'director')) {
    report([...at, 'schedule'], {
      en: `must escalate the ${DEADLINE_NAME['review-deadline'].en} to the supervisor or the director at least once`,
      fr: `doit faire remonter ${DEADLINE_NAME['review-deadline'].fr} au moins une fois au supérieur ou à la direction`,
    });
  }
  if (hoursPerDay !== undefined) checkLadder(steps, 'review-deadline', at, hoursPerDay, report);
}

/** Checks the organization block; returns its working hours per business day when they are coherent. */
function checkOrganization(organization: Organization, report: ReportIssue): number | undefined {
  const { contact, workingHours } = organization;
  if (!contact.addressLines && !contact.phone && !contact.email && !contact.website) {
    report(['organization', 'contact'], {
      en: 'must give at least one of addressLines, phone, email or website',
      fr: 'doit donner au moins l’un des champs addressLines, phone, email ou website',
    });
  }
  const minutes = toMinutes(workingHours.end) - toMinutes(workingHours.start);
  if (minutes <= 0) {
    report(['organization', 'workingHours', 'end'], {
      en: `must be after start (${workingHours.start})`,
      fr: `doit être après le début (${workingHours.start})`,
    });
    return undefined;
  }
  return minutes / 60;
}

function toMinutes(time: string): number {
  const [hours = 0, minutes = 0] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

function checkCatalogue(policy: PolicyDocument, report: ReportIssue): void {
  const declared = new Map<string, number>();
  policy.catalogue.forEach((id, index) => {
    if (declared.has(id)) {
      report(['catalogue', index], { en: `lists "${id}" twice`, fr: `mentionne « ${id} » deux fois` });
    } else {
      declared.set(id, index);
    }
  });
  const defined = new Map<string, number>();
  policy.categories.forEach((category, index) => {
    const first = defined.get(category.id);
    if (first !== undefined) {
      report(['categories', index, 'id'], {
        en: `duplicates the id "${category.id}" of categories[${first}]`,
        fr: `reprend l’identifiant « ${category.id} » de categories[${first}]`,
      });
      return;
    }
    defined.set(category.id, index);
    if (!declared.has(category.id)) {
      report(['categories', index, 'id'], {
        en: `"${category.id}" is not in the catalogue`,
        fr: `« ${category.id} » n’est pas au catalogue`,
      });
    }
  });
  declared.forEach((index, id) => {
    if (!defined.has(id)) {
      report(['catalogue', index], {
        en: `"${id}" has no category definition`,
        fr: `« ${id} » n’a pas de définition de catégorie`,
      });
    }
  });
}

function checkCategory(
  category: CategoryDocument,
  at: readonly PropertyKey[],
  hoursPerDay: number | undefined,
  report: ReportIssue,
): void {
  checkTexts(category, at, report);
  category.channels.forEach((channel, index) => {
    if (category.channels.indexOf(channel) !== index) {
      report([...at, 'channels', index], {
        en: `lists "${channel}" twice`,
        fr: `mentionne « ${channel} » deux fois`,
      });
    }
  });
  if (category.confidential && category.routing.handlerRole !== 'complaints-officer') {
    report([...at, 'routing', 'handlerRole'], {
      en: 'must be "complaints-officer" because the category is confidential',
      fr: 'doit être « complaints-officer » puisque la catégorie est confidentielle',
    });
  }
  checkAnswer(category, at, hoursPerDay, report);
  checkReferral(category, at, report);
  checkSchedule(category, at, hoursPerDay, report);
  checkAnswerTemplates(category.answerTemplates, at, report);
}

function checkTexts(category: CategoryDocument, at: readonly PropertyKey[], report: ReportIssue): void {
  const limits = [
    ['name', NAME_MAX_LENGTH],
    ['description', DESCRIPTION_MAX_LENGTH],
  ] as const;
  for (const [field, max] of limits) {
    for (const language of ['fr', 'en'] as const) {
      if (category[field][language].length > max) {
        report([...at, field, language], {
          en: `must have at most ${max} characters to fit on the form`,
          fr: `doit avoir au plus ${max} caractères pour tenir dans le formulaire`,
        });
      }
    }
  }
}

function checkAnswer(
  category: CategoryDocument,
  at: readonly PropertyKey[],
  hoursPerDay: number | undefined,
  report: ReportIssue,
): void {
  const { standardDelay, maximumDelay } = category.answer;
  if (maximumDelay.unit !== standardDelay.unit) {
    report([...at, 'answer', 'maximumDelay', 'unit'], {
      en: `must be the unit of standardDelay ("${standardDelay.unit}")`,
      fr: `doit être l’unité de standardDelay (« ${standardDelay.unit} »)`,
    });
  } else if (maximumDelay.amount < standardDelay.amount) {
    report([...at, 'answer', 'maximumDelay', 'amount'], {
      en: `must be at least standardDelay.amount (${standardDelay.amount})`,
      fr: `doit être au moins égal à standardDelay.amount (${standardDelay.amount})`,
    });
  }
  const acknowledgement = category.acknowledgement;
  if (acknowledgement?.atDeadline !== 'auto-acknowledge') return;
  const order = compareDelays(standardDelay, acknowledgement.delay, hoursPerDay);
  if (order !== undefined && order <= 0) {
    report([...at, 'answer', 'standardDelay'], {
      en: 'must end after the acknowledgement delay, since an automatic acknowledgement promises it',
      fr: 'doit se terminer après le délai d’accusé de réception, puisqu’un accusé automatique le promet',
    });
  }
}

function checkReferral(category: CategoryDocument, at: readonly PropertyKey[], report: ReportIssue): void {
  if (category.id === 'supplier-complaint' && category.referral?.to !== 'amp') {
    report([...at, 'referral'], {
      en: 'must refer supplier complaints to the AMP (Autorité des marchés publics) with its text',
      fr: 'doit diriger les plaintes de fournisseurs vers l’AMP (Autorité des marchés publics), avec son texte',
    });
  } else if (category.kind === 'complaint' && category.referral === null) {
    report([...at, 'referral'], {
      en: 'must give a complaint its referral (Protecteur du citoyen or AMP)',
      fr: 'doit donner à une plainte son recours (Protecteur du citoyen ou AMP)',
    });
  }
}

function checkSchedule(
  category: CategoryDocument,
  at: readonly PropertyKey[],
  hoursPerDay: number | undefined,
  report: ReportIssue,
): void {
  const firstIndex = new Map<string, number>();
  category.schedule.forEach((step, index) => {
    const path = [...at, 'schedule', index];
    const first = firstIndex.get(step.step);
    if (first === undefined) {
      firstIndex.set(step.step, index);
    } else {
      report([...path, 'step'], {
        en: `duplicates the step id "${step.step}" of schedule[${first}]`,
        fr: `reprend l’identifiant d’étape « ${step.step} » de schedule[${first}]`,
      });
    }
    const deadlineDelay = delayOf(category, step.relativeTo);
    if (step.relativeTo === 'review-deadline') {
      report([...path, 'relativeTo'], {
        en: 'refers to the dissatisfaction review, whose schedule is complaintProcedure.dissatisfactionReview.schedule',
        fr: 'renvoie au réexamen, dont le calendrier est complaintProcedure.dissatisfactionReview.schedule',
      });
    } else if (deadlineDelay === undefined) {
      report([...path, 'relativeTo'], {
        en: 'refers to the acknowledgement deadline, but the category has no acknowledgement',
        fr: 'renvoie à l’échéance de l’accusé de réception, mais la catégorie n’en prévoit pas',
      });
    }
    if (step.repeat && step.offset.amount <= 0) {
      report([...path, 'repeat'], {
        en: 'is only allowed after the deadline (offset.amount above 0)',
        fr: 'n’est permis qu’après l’échéance (offset.amount supérieur à 0)',
      });
    }
    if (
      deadlineDelay &&
      hoursPerDay !== undefined &&
      isBeforeReceipt(step.offset, deadlineDelay, hoursPerDay)
    ) {
      const deadline = DEADLINE_NAME[step.relativeTo];
      const length = formatDelay(deadlineDelay);
      report([...path, 'offset'], {
        en: `falls before the request is received: the ${deadline.en} is ${length.en} after receipt`,
        fr: `tombe avant la réception de la demande : ${deadline.fr} est à ${length.fr} de la réception`,
      });
    }
  });
  for (const deadline of ['ack-deadline', 'answer-deadline'] as const) {
    if (delayOf(category, deadline) === undefined) continue;
    const steps = category.schedule.flatMap((step, index) =>
      step.relativeTo === deadline ? [{ step, index }] : [],
    );
    if (!steps.some(({ step }) => step.notify === 'supervisor' || step.notify === 'director')) {
      report([...at, 'schedule'], {
        en: `must escalate the ${DEADLINE_NAME[deadline].en} to the supervisor or the director at least once`,
        fr: `doit faire remonter ${DEADLINE_NAME[deadline].fr} au moins une fois au supérieur ou à la direction`,
      });
    }
    if (hoursPerDay !== undefined) checkLadder(steps, deadline, at, hoursPerDay, report);
  }
}

/** Reports a step that notifies a lower escalation level than a step due before it on the same deadline. */
function checkLadder(
  steps: readonly { step: ScheduleStep; index: number }[],
  deadline: DeadlineKind,
  at: readonly PropertyKey[],
  hoursPerDay: number,
  report: ReportIssue,
): void {
  for (const later of steps) {
    const laterRank = ESCALATION_RANK[later.step.notify];
    if (laterRank === undefined) continue;
    const higherBefore = steps.find(({ step }) => {
      const rank = ESCALATION_RANK[step.notify];
      return (
        rank !== undefined &&
        rank > laterRank &&
        stepPosition(step.offset, hoursPerDay) < stepPosition(later.step.offset, hoursPerDay)
      );
    });
    if (higherBefore) {
      report([...at, 'schedule', later.index, 'notify'], {
        en: `notifies "${later.step.notify}" after "${higherBefore.step.notify}" (schedule[${higherBefore.index}]) for the ${DEADLINE_NAME[deadline].en}: escalations must not go back down`,
        fr: `avise « ${later.step.notify} » après « ${higherBefore.step.notify} » (schedule[${higherBefore.index}]) pour ${DEADLINE_NAME[deadline].fr} : une escalade ne redescend pas`,
      });
    }
  }
}

const UNIT_NAME: Record<Delay['unit'], BilingualMessage> = {
  'business-days': { en: 'business days', fr: 'jours ouvrables' },
  'calendar-days': { en: 'calendar days', fr: 'jours civils' },
  'working-hours': { en: 'working hours', fr: 'heures ouvrables' },
};

function formatDelay(delay: Delay): BilingualMessage {
  const unit = UNIT_NAME[delay.unit];
  return { en: `${delay.amount} ${unit.en}`, fr: `${delay.amount} ${unit.fr}` };
}

/** The delay of a category's deadline; `undefined` when the category has none (the review is not a category's). */
function delayOf(category: CategoryDocument, deadline: DeadlineKind): Delay | undefined {
  if (deadline === 'review-deadline') return undefined;
  return deadline === 'ack-deadline' ? category.acknowledgement?.delay : category.answer.standardDelay;
}

/**
 * Position of a step in working hours relative to its deadline, the deadline of a business-day delay being the
 * end of its day's working hours. A business-day offset `k` is the start of that business day: `(k - 1)` days.
 */
function stepPosition(offset: StepOffset, hoursPerDay: number): number {
  return offset.unit === 'business-days' ? (offset.amount - 1) * hoursPerDay : offset.amount;
}

/** A delay's length in working hours, when it has one (calendar days do not map onto working hours). */
function workingHoursOf(delay: Delay, hoursPerDay: number): number | undefined {
  if (delay.unit === 'business-days') return delay.amount * hoursPerDay;
  if (delay.unit === 'working-hours') return delay.amount;
  return undefined;
}

/**
 * Sign of `a - b` when the two delays can be ordered whatever the day of receipt; `undefined` when they cannot
 * (calendar days against business days or working hours).
 */
function compareDelays(a: Delay, b: Delay, hoursPerDay: number | undefined): number | undefined {
  if (a.unit === b.unit) return Math.sign(a.amount - b.amount);
  if (hoursPerDay === undefined) return undefined;
  const hoursA = workingHoursOf(a, hoursPerDay);
  const hoursB = workingHoursOf(b, hoursPerDay);
  return hoursA === undefined || hoursB === undefined ? undefined : Math.sign(hoursA - hoursB);
}

/**
 * True when a step before its deadline would be due before the request can have been received. The start of
 * the first business day after receipt is after any receipt time, so a business-day step may sit exactly there.
 */
function isBeforeReceipt(offset: StepOffset, deadlineDelay: Delay, hoursPerDay: number): boolean {
  const span = workingHoursOf(deadlineDelay, hoursPerDay);
  if (span === undefined) return false;
  const position = stepPosition(offset, hoursPerDay);
  return offset.unit === 'business-days' ? position < -span : position <= -span;
}
