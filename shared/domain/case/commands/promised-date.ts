import { BusinessRuleError } from '../../../errors';
import type { BilingualText } from '../../../errors';
import { businessDaysBetween } from '../../time/business-days';
import type { BusinessCalendar } from '../../time/calendar';
import { computeDeadline } from '../../time/deadline';
import { longDateEn, longDateFr } from '../../time/explain';
import { isoWeekday, parseLocalDate, Weekday } from '../../time/local-date';
import { localDateOf } from '../../time/local-date-of';
import type { Deadline, Delay, LocalDate } from '../../time/types';
import type { WorkingHours } from '../../time/working-hours';

/** The facts a promised answer date is checked against. */
export interface AnswerDateContext {
  readonly caseId: string;
  /** The legal clock start of the case. */
  readonly receivedAt: string;
  /** Now, as an instant: "today" is its Québec date. */
  readonly now: Date;
  /** The calendar version in effect today for the case's category. */
  readonly calendar: BusinessCalendar;
  /** The category's `answer.maximumDelay`, counted from receipt. */
  readonly maximumDelay: Delay;
  readonly workingHours: WorkingHours;
  /** For an extension: the date currently promised; the new one must be later. */
  readonly currentlyPromised?: LocalDate;
}

/**
 * The latest answer date staff may promise: the due date of the category's maximum answer delay counted from
 * receipt with the legal-time rules (day of receipt not counted, business days of the case's calendar).
 */
export function latestAnswerDate(context: AnswerDateContext): LocalDate {
  return computeDeadline({
    receivedAt: context.receivedAt,
    delay: context.maximumDelay,
    calendar: context.calendar,
    workingHours: context.workingHours,
  }).dueDate;
}

/**
 * Checks a promised answer date (`answerBy`), in this order, and throws at the first rule it breaks:
 * 1. for an extension, it is later than the date currently promised (`EXTENSION_NOT_LATER`);
 * 2. it is not before today, Québec time (`ANSWER_DATE_IN_PAST`);
 * 3. it is after the day of receipt, which is never counted (`ANSWER_DATE_NOT_AFTER_RECEIPT`);
 * 4. it is a business day of the case's calendar (`ANSWER_DATE_NOT_BUSINESS_DAY`, naming the weekend day or
 *    holiday);
 * 5. it is not after the end of the category's maximum answer delay (`ANSWER_DATE_BEYOND_MAXIMUM`, giving the
 *    latest allowed date).
 * Each error carries its explanation in French and English (`messages`) and the dates in `details`.
 *
 * @throws BusinessRuleError
 */
export function checkAnswerDate(answerBy: LocalDate, context: AnswerDateContext): void {
  const day = parseRealDate(answerBy, context.caseId);
  const fail = (code: string, messages: BilingualText, extra: Record<string, unknown> = {}): never => {
    throw new BusinessRuleError(code, messages, { caseId: context.caseId, answerBy, ...extra });
  };
  const inWords = { fr: longDateFr(day), en: longDateEn(day) };
  const current = context.currentlyPromised;
  if (current !== undefined && answerBy <= current) {
    const currentDay = parseLocalDate(current);
    fail(
      'EXTENSION_NOT_LATER',
      {
        fr: `Une prolongation doit reporter la date de réponse : le ${inWords.fr} n’est pas postérieur à la date promise actuelle, le ${longDateFr(currentDay)}.`,
        en: `An extension must move the answer date later: ${inWords.en} is not after the date currently promised, ${longDateEn(currentDay)}.`,
      },
      { currentlyPromised: current },
    );
  }
  const today = localDateOf(context.now);
  if (answerBy < today) {
    fail(
      'ANSWER_DATE_IN_PAST',
      {
        fr: `La date de réponse promise ne peut pas être passée : le ${inWords.fr} est avant aujourd’hui (${longDateFr(parseLocalDate(today))}, heure du Québec).`,
        en: `The promised answer date cannot be in the past: ${inWords.en} is before today (${longDateEn(parseLocalDate(today))}, Québec time).`,
      },
      { today },
    );
  }
  const received = localDateOf(context.receivedAt);
  if (answerBy <= received) {
    fail(
      'ANSWER_DATE_NOT_AFTER_RECEIPT',
      {
        fr: `La date de réponse promise doit suivre le jour de la réception (${longDateFr(parseLocalDate(received))}), qui n’est jamais compté.`,
        en: `The promised answer date must come after the day of receipt (${longDateEn(parseLocalDate(received))}), which is never counted.`,
      },
      { receivedDate: received },
    );
  }
  if (!context.calendar.isBusinessDay(day)) {
    const holiday = context.calendar.holidayOn(day);
    const why: BilingualText = holiday
      ? { fr: `jour férié : ${holiday.name.fr}`, en: `holiday: ${holiday.name.en}` }
      : isoWeekday(day) === Weekday.Sunday
        ? { fr: 'dimanche', en: 'Sunday' }
        : { fr: 'samedi', en: 'Saturday' };
    fail(
      'ANSWER_DATE_NOT_BUSINESS_DAY',
      {
        fr: `La date de réponse promise doit être un jour ouvrable : le ${inWords.fr} ne l’est pas (${why.fr}).`,
        en: `The promised answer date must be a business day: ${inWords.en} is not (${why.en}).`,
      },
      { nonBusinessDay: holiday ? 'holiday' : 'weekend' },
    );
  }
  const latest = latestAnswerDate(context);
  if (answerBy > latest) {
    const max = context.maximumDelay;
    const unit = UNIT_WORDS[max.unit];
    fail(
      'ANSWER_DATE_BEYOND_MAXIMUM',
      {
        fr: `La date de réponse promise dépasse le délai maximal de ${max.amount} ${unit.fr} après la réception : la date la plus tardive permise est le ${longDateFr(parseLocalDate(latest))}.`,
        en: `The promised answer date is beyond the maximum delay of ${max.amount} ${unit.en} after receipt: the latest date allowed is ${longDateEn(parseLocalDate(latest))}.`,
      },
      { latestAnswerDate: latest },
    );
  }
}

const UNIT_WORDS: Record<Delay['unit'], BilingualText> = {
  'business-days': { fr: 'jours ouvrables', en: 'business days' },
  'calendar-days': { fr: 'jours civils', en: 'calendar days' },
  'working-hours': { fr: 'heures ouvrables', en: 'working hours' },
};

function parseRealDate(date: string, caseId: string): number {
  try {
    return parseLocalDate(date);
  } catch {
    throw new BusinessRuleError(
      'ANSWER_DATE_INVALID',
      {
        fr: 'La date de réponse doit être une date AAAA-MM-JJ qui existe.',
        en: 'The answer date must be an existing date YYYY-MM-DD.',
      },
      { caseId },
    );
  }
}

const RULE = {
  acknowledgement: {
    id: 'promised-date/acknowledgement',
    text: {
      fr: 'Date de réponse promise dans l’accusé de réception : l’échéance est la fin (23 h 59 min 59 s, heure du Québec) du jour ouvrable promis, qui suit le jour de la réception et ne dépasse pas le délai maximal de la catégorie.',
      en: 'Answer date promised in the acknowledgement: the deadline is the end (11:59:59 p.m., Québec time) of the promised business day, which follows the day of receipt and is within the category’s maximum delay.',
    },
  },
  extension: {
    id: 'promised-date/extension',
    text: {
      fr: 'Date de réponse reportée par une prolongation motivée et annoncée au demandeur : l’échéance est la fin (23 h 59 min 59 s, heure du Québec) du nouveau jour ouvrable promis, qui ne dépasse pas le délai maximal de la catégorie.',
      en: 'Answer date moved by an extension, with a reason given to the requester: the deadline is the end (11:59:59 p.m., Québec time) of the new promised business day, which is within the category’s maximum delay.',
    },
  },
} as const;

/**
 * The answer deadline of an explicitly promised date (acknowledgement or extension), with its proof.
 *
 * Rule: the deadline is the end (23:59:59.999 Québec time) of the promised date. The proof records it as the
 * equivalent delay of N business days after receipt (N = business days from the day of receipt, excluded, to
 * the promised date, included), computed by the legal-time engine, so it lists the non-business days passed
 * over and is recomputable; its rule and explanation say that the date was promised.
 *
 * Precondition: `answerBy` passed `checkAnswerDate` (a business day after the day of receipt), so N ≥ 1 and
 * the Nth business day after receipt is `answerBy` itself.
 */
export function promisedAnswerDeadline(input: {
  readonly receivedAt: string;
  readonly answerBy: LocalDate;
  readonly calendar: BusinessCalendar;
  readonly purpose: 'acknowledgement' | 'extension';
}): Deadline {
  const received = localDateOf(input.receivedAt);
  const amount = businessDaysBetween(input.calendar, received, input.answerBy);
  const computed = computeDeadline({
    receivedAt: input.receivedAt,
    delay: { amount, unit: 'business-days' },
    calendar: input.calendar,
  });
  if (computed.dueDate !== input.answerBy) {
    throw new RangeError(`promised date ${input.answerBy} is not a business day after receipt`);
  }
  const day = parseLocalDate(input.answerBy);
  const lead: BilingualText =
    input.purpose === 'acknowledgement'
      ? {
          fr: `Date de réponse promise au demandeur : le ${longDateFr(day)}, soit ${amount} ${amount > 1 ? 'jours ouvrables' : 'jour ouvrable'} après la réception.`,
          en: `Answer date promised to the requester: ${longDateEn(day)}, that is ${amount} business ${amount > 1 ? 'days' : 'day'} after receipt.`,
        }
      : {
          fr: `Date de réponse reportée par prolongation au ${longDateFr(day)}, soit ${amount} ${amount > 1 ? 'jours ouvrables' : 'jour ouvrable'} après la réception.`,
          en: `Answer date extended to ${longDateEn(day)}, that is ${amount} business ${amount > 1 ? 'days' : 'day'} after receipt.`,
        };
  const explanation = {
    fr: `${lead.fr} ${computed.proof.explanation.fr}`,
    en: `${lead.en} ${computed.proof.explanation.en}`,
  };
  return {
    ...computed,
    proof: { ...computed.proof, rule: RULE[input.purpose], explanation },
  };
}
