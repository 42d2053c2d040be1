import type { BusinessCalendar } from './calendar';
import { longDateEn, longDateFr, skippedSummary, timeEn, timeFr } from './explain';
import { formatLocalDate, isoWeekday, parseLocalDate, Weekday, type DayNumber } from './local-date';
import type { CalendarRegistry } from './calendars';
import {
  DelaySchema,
  LEGAL_TIME_ZONE,
  type BilingualText,
  type CalendarId,
  type Deadline,
  type Delay,
  type SkippedDay,
} from './types';
import { addWorkingHours, DEFAULT_WORKING_HOURS, type WorkingHours } from './working-hours';
import { endOfLocalDay, toLocal, toUtcIso, type LocalDateTime } from './zone';

export interface DeadlineInput {
  /** The legal clock start (an ISO instant with offset). */
  readonly receivedAt: string;
  readonly delay: Delay;
  readonly calendar: BusinessCalendar;
  /** Only used by `working-hours` delays. */
  readonly workingHours?: WorkingHours;
}

const RULES: Record<Delay['unit'], { id: string; text: BilingualText }> = {
  'business-days': {
    id: 'business-days/day-of-receipt-not-counted',
    text: {
      fr: 'Délai en jours ouvrables : le jour de la réception n’est pas compté, quel qu’il soit ; on compte les jours ouvrables suivants (du lundi au vendredi, sauf jours fériés) et l’échéance est la fin du dernier, à 23 h 59 min 59 s, heure du Québec (C.p.c., art. 83).',
      en: 'Delay in business days: the day of receipt is not counted, whatever day it is; the following business days (Monday to Friday, except holidays) are counted and the deadline is the end of the last one, at 11:59:59 p.m. Québec time (Code of Civil Procedure, art. 83).',
    },
  },
  'calendar-days': {
    id: 'calendar-days/next-business-day',
    text: {
      fr: 'Délai en jours civils : l’échéance est la fin du énième jour après la réception ; si ce jour n’est pas un jour ouvrable, le délai est prolongé jusqu’au jour ouvrable suivant (Loi d’interprétation, art. 52).',
      en: 'Delay in calendar days: the deadline is the end of the Nth day after receipt; if that day is not a business day, the delay runs to the next business day (Interpretation Act, s. 52).',
    },
  },
  'working-hours': {
    id: 'working-hours',
    text: {
      fr: 'Délai en heures ouvrables : seules les heures d’ouverture des jours ouvrables sont comptées ; une demande reçue hors de ces heures commence à compter à l’ouverture suivante.',
      en: 'Delay in working hours: only opening hours on business days are counted; a request received outside them starts counting at the next opening.',
    },
  },
};

/**
 * Computes a deadline and its proof.
 *
 * - `business-days`: the day of receipt is never counted (whatever day or hour it is); the deadline is
 *   the end (23:59:59.999 local) of the Nth following business day.
 * - `calendar-days`: the Nth calendar day after receipt; if it is not a business day the deadline moves
 *   to the next business day (Loi d'interprétation art. 52), again at the end of that day.
 * - `working-hours`: N hours counted inside working hours on business days.
 *
 * Invariants (property-tested): the due date is a business day; for business days,
 * `businessDaysBetween(receivedDate, dueDate) === N`; one more day never yields an earlier date.
 */
export function computeDeadline(input: DeadlineInput): Deadline {
  const delay = DelaySchema.parse(input.delay);
  const receivedAt = toUtcIso(input.receivedAt);
  const received = toLocal(input.receivedAt);
  const { calendar } = input;

  let dueDay: DayNumber;
  let dueAt: string;
  let skippedDays: DayNumber[] = [];
  let rolledForwardFrom: DayNumber | undefined;
  let workingHours: WorkingHours | undefined;

  switch (delay.unit) {
    case 'business-days': {
      dueDay = received.day;
      for (let counted = 0; counted < delay.amount;) {
        dueDay += 1;
        if (calendar.isBusinessDay(dueDay)) counted += 1;
        else skippedDays.push(dueDay);
      }
      dueAt = endOfLocalDay(dueDay);
      break;
    }
    case 'calendar-days': {
      const nominal = received.day + delay.amount;
      dueDay = nominal;
      while (!calendar.isBusinessDay(dueDay)) {
        skippedDays.push(dueDay);
        dueDay += 1;
      }
      if (dueDay !== nominal) rolledForwardFrom = nominal;
      dueAt = endOfLocalDay(dueDay);
      break;
    }
    case 'working-hours': {
      workingHours = input.workingHours ?? DEFAULT_WORKING_HOURS;
      const result = addWorkingHours(calendar, receivedAt, delay.amount, workingHours);
      dueDay = result.dueDay;
      dueAt = result.dueAt;
      skippedDays = result.skippedDays;
      break;
    }
  }

  const skipped = skippedDays.map((day) => describeSkipped(calendar, day));
  const dueLocal = toLocal(dueAt);
  const explanation = explain({
    delay,
    received,
    dueLocal,
    skipped,
    calendar,
    rolledForwardFrom,
    workingHours,
  });

  return {
    dueDate: formatLocalDate(dueDay),
    dueAt,
    proof: {
      inputs: { receivedAt, receivedLocal: received.iso, timeZone: LEGAL_TIME_ZONE, delay },
      rule: RULES[delay.unit],
      calendar: {
        id: calendar.id,
        version: calendar.version.version,
        effectiveFrom: calendar.version.effectiveFrom,
      },
      skipped,
      ...(rolledForwardFrom === undefined ? {} : { rolledForwardFrom: formatLocalDate(rolledForwardFrom) }),
      dueDate: formatLocalDate(dueDay),
      dueAt,
      explanation,
    },
  };
}

/**
 * Computes a deadline with the version of a calendar in effect on `computedOn` (the local date the
 * computation is made, so a later calendar version never rewrites an earlier proof by itself).
 */
export function computeDeadlineWith(
  registry: CalendarRegistry,
  input: Omit<DeadlineInput, 'calendar'> & { calendarId: CalendarId; computedOn: string },
): Deadline {
  const calendar = registry.at(input.calendarId, input.computedOn);
  return computeDeadline({ ...input, calendar });
}

/**
 * A deadline already communicated to a requester is never silently shortened: when a recalculation
 * (e.g. after a calendar change) gives an earlier instant, the communicated deadline stands.
 */
export function reconcileRecalculation(
  communicated: Deadline,
  recalculated: Deadline,
): { deadline: Deadline; kept: 'communicated' | 'recalculated' } {
  return Date.parse(recalculated.dueAt) < Date.parse(communicated.dueAt)
    ? { deadline: communicated, kept: 'communicated' }
    : { deadline: recalculated, kept: 'recalculated' };
}

/** A sentence ends with one period, even after "p.m.". */
function stop(text: string): string {
  return text.endsWith('.') ? '' : '.';
}

function clockMinutes(clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

function describeSkipped(calendar: BusinessCalendar, day: DayNumber): SkippedDay {
  const holiday = calendar.holidayOn(day);
  const date = formatLocalDate(day);
  if (holiday) return { date, reason: 'holiday', name: holiday.name };
  return { date, reason: isoWeekday(day) === Weekday.Sunday ? 'sunday' : 'saturday' };
}

function explain(args: {
  delay: Delay;
  received: LocalDateTime;
  dueLocal: LocalDateTime;
  skipped: SkippedDay[];
  calendar: BusinessCalendar;
  rolledForwardFrom: DayNumber | undefined;
  workingHours: WorkingHours | undefined;
}): BilingualText {
  const { delay, received, dueLocal, skipped, calendar, rolledForwardFrom, workingHours } = args;
  const receivedFr = `Reçue le ${longDateFr(received.day)} à ${timeFr(received.minuteOfDay)} (heure du Québec).`;
  const receivedEn = `Received on ${longDateEn(received.day)} at ${timeEn(received.minuteOfDay)} (Québec time).`;
  const calendarFr = `calendrier « ${calendar.name.fr} », version ${calendar.version.version}`;
  const calendarEn = `calendar “${calendar.name.en}”, version ${calendar.version.version}`;
  const dueFr = `le ${longDateFr(dueLocal.day)} à ${timeFr(dueLocal.minuteOfDay)}`;
  const dueEn = `on ${longDateEn(dueLocal.day)} at ${timeEn(dueLocal.minuteOfDay)}`;
  const summary = skippedSummary(skipped, parseLocalDate);
  const skippedFr = summary.fr ? ` Jours non ouvrables sautés : ${summary.fr}.` : '';
  const skippedEn = summary.en ? ` Non-business days skipped: ${summary.en}.` : '';
  const count = (n: number, singular: BilingualText, plural: BilingualText): BilingualText => ({
    fr: `${n} ${n > 1 ? plural.fr : singular.fr}`,
    en: `${n} ${n > 1 ? plural.en : singular.en}`,
  });

  switch (delay.unit) {
    case 'business-days': {
      const n = count(
        delay.amount,
        { fr: 'jour ouvrable', en: 'business day' },
        { fr: 'jours ouvrables', en: 'business days' },
      );
      return {
        fr: `${receivedFr} Le jour de la réception n’est pas compté. Le délai de ${n.fr} (du lundi au vendredi, sauf les jours fériés du ${calendarFr}) se termine ${dueFr}.${skippedFr}`,
        en: `${receivedEn} The day of receipt is not counted. The delay of ${n.en} (Monday to Friday, except the holidays of the ${calendarEn}) ends ${dueEn}${stop(dueEn)}${skippedEn}`,
      };
    }
    case 'calendar-days': {
      const n = count(
        delay.amount,
        { fr: 'jour civil', en: 'calendar day' },
        { fr: 'jours civils', en: 'calendar days' },
      );
      if (rolledForwardFrom === undefined) {
        return {
          fr: `${receivedFr} Le jour de la réception n’est pas compté. Le délai de ${n.fr} se termine ${dueFr}.`,
          en: `${receivedEn} The day of receipt is not counted. The delay of ${n.en} ends ${dueEn}${stop(dueEn)}`,
        };
      }
      return {
        fr: `${receivedFr} Le jour de la réception n’est pas compté. Le délai de ${n.fr} tomberait le ${longDateFr(rolledForwardFrom)}, qui n’est pas un jour ouvrable (${calendarFr}) ; il est prolongé jusqu’au jour ouvrable suivant (Loi d’interprétation, art. 52) et se termine ${dueFr}.${skippedFr}`,
        en: `${receivedEn} The day of receipt is not counted. The delay of ${n.en} would end on ${longDateEn(rolledForwardFrom)}, which is not a business day (${calendarEn}); it runs to the next business day (Interpretation Act, s. 52) and ends ${dueEn}${stop(dueEn)}${skippedEn}`,
      };
    }
    case 'working-hours': {
      const hours = workingHours ?? DEFAULT_WORKING_HOURS;
      const n = count(
        delay.amount,
        { fr: 'heure ouvrable', en: 'working hour' },
        { fr: 'heures ouvrables', en: 'working hours' },
      );
      return {
        fr: `${receivedFr} Le délai de ${n.fr} (de ${timeFr(clockMinutes(hours.start))} à ${timeFr(clockMinutes(hours.end))}, les jours ouvrables du ${calendarFr}) se termine ${dueFr}.${skippedFr}`,
        en: `${receivedEn} The delay of ${n.en} (${hours.start} to ${hours.end} on the business days of the ${calendarEn}) ends ${dueEn}${stop(dueEn)}${skippedEn}`,
      };
    }
  }
}
