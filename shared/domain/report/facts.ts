import type { CaseDeadline, CaseStatus, Channel } from '../case/case';
import type { CaseProjection } from '../ledger/projection';
import { parseLocalDate } from '../time/local-date';
import { endOfLocalDay } from '../time/zone';
import { deadlineOutcome } from '../case/deadline-outcome';
import type { DeadlineOutcomeKind } from '../case/deadline-outcome';
import type { LedgerEvent } from '../ledger/events';
import { projectCase } from '../ledger/projection';
import { businessDaysBetween } from '../time/business-days';
import type { CalendarRegistry } from '../time/calendars';
import { localDateOf } from '../time/local-date-of';
import type { CalendarId, LocalDate } from '../time/types';

/** Where one deadline of a case stood at the report's cut-off. */
export interface DeadlineFacts {
  readonly dueAt: string;
  readonly dueDate: LocalDate;
  /**
   * `pending`: unmet and not yet due at the cut-off; `met`: met by its due instant; `met-late`; `breached`:
   * unmet past its due instant; `void`: the case was closed before the deadline came, without meeting it
   * (withdrawn, duplicate…): nothing was owed any more.
   */
  readonly outcome: DeadlineOutcomeKind | 'void';
  readonly metAt?: string;
  /** Business days after the due date (see `deadlineOutcome`), for `met-late` and `breached`. */
  readonly lateBusinessDays?: number;
  /** How many times the due date changed after it was planned (recalculations and extensions). */
  readonly revisions: number;
}

/**
 * What the service-statement report needs to know of one case, as of a cut-off instant: derived from the
 * case's ledger events alone (see `caseReportFacts`). The report is an aggregation of these, so that the
 * facts can also be kept up to date event by event (stream aggregates) and fed to the same computation.
 */
export interface CaseReportFacts {
  readonly caseId: string;
  readonly reference?: string;
  /** Category and confidentiality at the cut-off (after any recategorization). */
  readonly category: string;
  readonly channel: Channel;
  readonly confidential: boolean;
  readonly unit?: string;
  readonly receivedAt: string;
  /** Québec date of receipt. */
  readonly receivedDate: LocalDate;
  readonly status: CaseStatus;
  /** Absent when no acknowledgement deadline was planned (a category without that commitment). */
  readonly acknowledgement?: DeadlineFacts & {
    /** Who sent the acknowledgement that met the deadline: staff, or the workflow at the deadline. */
    readonly sentBy?: 'staff' | 'automatic';
  };
  readonly answer?: DeadlineFacts & {
    /** Business days from the day of receipt (not counted) to the day the answer went out, when it did. */
    readonly delayBusinessDays?: number;
    /** `deadline.extended` of the answer, with a notice to the requester. */
    readonly extensions: number;
  };
  /** A delay notice went to the requester (the workflow's `delay-notice`, by email or letter). */
  readonly delayNoticeSent: boolean;
  /** The requester said they were not satisfied (`case.dissatisfied`): referred to the review and the PC. */
  readonly dissatisfied: boolean;
  readonly handoffs: number;
  /**
   * Awaiting the organization at the cut-off: received, acknowledged or reopened for dissatisfaction (an
   * answered case waiting to be closed is not: the requester has the answer).
   */
  readonly open: boolean;
  /** Open at the cut-off with a deadline breached. */
  readonly pastDeadline: boolean;
  /** Business days from the day of receipt (not counted) to the cut-off date. */
  readonly ageBusinessDays: number;
}

/** A deadline as the report needs it: its due instant and date, when it was met, its revision, its calendar. */
export interface ReportDeadlineState {
  readonly dueAt: string;
  readonly dueDate: LocalDate;
  readonly metAt?: string;
  readonly revision: number;
  /** The recorded calendar (`proof.calendar.id`); its version is taken at the cut-off date. */
  readonly calendarId: CalendarId;
}

/**
 * What the ledger says of a case after some of its events, independent of the cut-off: the event-determined
 * half of `CaseReportFacts`. `reportFactsAt` adds what depends on the cut-off (pending or breached, business
 * days on the calendar version of the cut-off date, age). Plain data: the stream-kept aggregates store it
 * (`shared/domain/report/aggregates.ts`).
 */
export interface CaseReportState {
  readonly caseId: string;
  readonly reference?: string;
  readonly category: string;
  readonly channel: Channel;
  readonly confidential: boolean;
  readonly unit?: string;
  readonly receivedAt: string;
  readonly status: CaseStatus;
  /** When the case was closed, if it is closed. */
  readonly closedAt?: string;
  readonly acknowledgement?: ReportDeadlineState & { readonly sentBy?: 'staff' | 'automatic' };
  readonly answer?: ReportDeadlineState & { readonly extensions: number };
  /** An answer sent before any acknowledgement (no answer deadline was planned; see `answeredWithoutDeadline`). */
  readonly answeredWithoutDeadline?: { readonly dueDate: LocalDate; readonly metAt: string };
  /** The due instants of every deadline of the case still unmet (acknowledgement, answer, review…). */
  readonly unmetDueAts: readonly string[];
  readonly delayNoticeSent: boolean;
  readonly dissatisfied: boolean;
  readonly handoffs: number;
}

const DEFAULT_CALENDAR: CalendarId = 'qc-fonction-publique';

/**
 * The report facts of one case as of `asOf`: the events recorded up to `asOf` are replayed with the ledger's
 * own fold (`projectCase`), so deadlines, their proofs, recalculations, extensions and letters posted (the
 * mailing date meets the deadline) count exactly as the case page shows them; later events are ignored, so a
 * report of a closed period gives the same figures whenever it is run. `undefined` when the case had not
 * been received by `asOf`.
 *
 * Business days are counted on each deadline's recorded calendar (the version in effect on the cut-off
 * date); the age of a case and its answer delay on the calendar of its acknowledgement (or answer) deadline,
 * the organization's default otherwise.
 */
export function caseReportFacts(
  events: readonly LedgerEvent[],
  asOf: Date,
  calendars: Pick<CalendarRegistry, 'at'>,
): CaseReportFacts | undefined {
  const cutoff = asOf.getTime();
  const upTo = events.filter((event) => Date.parse(event.at) <= cutoff);
  const projection = projectCase(upTo);
  if (projection === undefined) return undefined;
  return reportFactsAt(caseReportState(projection, upTo), asOf, calendars);
}

/**
 * The event-determined part of a case's report facts: `projection` is the fold of `events` (the events
 * recorded up to some instant, in seq order).
 */
export function caseReportState(projection: CaseProjection, events: readonly LedgerEvent[]): CaseReportState {
  const deadlineState = (deadline: CaseDeadline): ReportDeadlineState => ({
    dueAt: deadline.dueAt,
    dueDate: deadline.dueDate,
    ...(deadline.metAt !== undefined ? { metAt: deadline.metAt } : {}),
    revision: deadline.revision,
    calendarId: deadline.proof.calendar.id,
  });
  const ack = projection.deadlines.acknowledgement;
  const acknowledgements = events.filter((event) => event.type === 'case.acknowledged');
  const lastAck = acknowledgements[acknowledgements.length - 1];
  const answerDeadline = projection.deadlines.answer;
  const extensions = events.filter(
    (event) => event.type === 'deadline.extended' && event.data.kind === 'answer',
  ).length;
  const delayNoticeSent = events.some(
    (event) =>
      (event.type === 'message.sent' &&
        event.data.recipient === 'requester' &&
        event.data.template === 'delay-notice') ||
      (event.type === 'letter.prepared' && event.data.template === 'delay-notice'),
  );
  const withoutDeadline = answerDeadline === undefined ? answeredWithoutDeadline(projection) : undefined;
  return {
    caseId: projection.caseId,
    ...(projection.reference !== undefined ? { reference: projection.reference } : {}),
    category: projection.category,
    channel: projection.channel,
    confidential: projection.confidential,
    ...(projection.unit !== undefined ? { unit: projection.unit } : {}),
    receivedAt: projection.receivedAt,
    status: projection.status,
    ...(projection.status === 'closed' && projection.closedAt !== undefined
      ? { closedAt: projection.closedAt }
      : {}),
    ...(ack !== undefined
      ? {
          acknowledgement: {
            ...deadlineState(ack),
            ...(ack.metAt !== undefined && lastAck?.type === 'case.acknowledged'
              ? { sentBy: lastAck.data.automatic ? ('automatic' as const) : ('staff' as const) }
              : {}),
          },
        }
      : {}),
    ...(answerDeadline !== undefined ? { answer: { ...deadlineState(answerDeadline), extensions } } : {}),
    ...(withoutDeadline !== undefined ? { answeredWithoutDeadline: withoutDeadline } : {}),
    unmetDueAts: Object.values(projection.deadlines)
      .filter((deadline) => deadline !== undefined && deadline.metAt === undefined)
      .map((deadline) => deadline!.dueAt),
    delayNoticeSent,
    dissatisfied: events.some((event) => event.type === 'case.dissatisfied'),
    handoffs: projection.handoffCount,
  };
}

/**
 * The report facts of a case as of `asOf` from its event-determined state (`caseReportState` of the events
 * recorded up to `asOf`): a deadline unmet at `asOf` is pending until its due instant, then breached; business
 * days are counted on the calendar version in effect on the cut-off date. `undefined` when the case had not
 * been received by `asOf`.
 */
export function reportFactsAt(
  state: CaseReportState,
  asOf: Date,
  calendars: Pick<CalendarRegistry, 'at'>,
): CaseReportFacts | undefined {
  const cutoff = asOf.getTime();
  if (Date.parse(state.receivedAt) > cutoff) return undefined;
  const asOfDate = localDateOf(asOf);
  const calendarOf = (deadline: ReportDeadlineState | undefined) =>
    calendars.at(deadline?.calendarId ?? DEFAULT_CALENDAR, asOfDate);
  const receivedDate = localDateOf(state.receivedAt);

  const deadlineFacts = (deadline: ReportDeadlineState): DeadlineFacts => {
    const outcome = deadlineOutcome(deadline, asOf, calendarOf(deadline));
    const voided =
      deadline.metAt === undefined &&
      state.closedAt !== undefined &&
      Date.parse(state.closedAt) <= Date.parse(deadline.dueAt);
    return {
      dueAt: deadline.dueAt,
      dueDate: deadline.dueDate,
      outcome: voided ? 'void' : outcome.outcome,
      ...(deadline.metAt !== undefined ? { metAt: deadline.metAt } : {}),
      ...(!voided && outcome.lateBusinessDays !== undefined
        ? { lateBusinessDays: outcome.lateBusinessDays }
        : {}),
      revisions: deadline.revision - 1,
    };
  };

  const ack = state.acknowledgement;
  const answerDeadline = state.answer;
  const open = ['received', 'acknowledged', 'dissatisfied'].includes(state.status);
  const acknowledgement =
    ack === undefined
      ? undefined
      : { ...deadlineFacts(ack), ...(ack.sentBy !== undefined ? { sentBy: ack.sentBy } : {}) };
  const withoutDeadline = state.answeredWithoutDeadline;
  const answer =
    answerDeadline === undefined
      ? withoutDeadline === undefined
        ? undefined
        : {
            dueDate: withoutDeadline.dueDate,
            dueAt: endOfLocalDay(parseLocalDate(withoutDeadline.dueDate)),
            outcome: 'met' as const,
            metAt: withoutDeadline.metAt,
            revisions: 0,
            delayBusinessDays: businessDaysBetween(
              calendarOf(ack),
              receivedDate,
              localDateOf(withoutDeadline.metAt),
            ),
            extensions: 0,
          }
      : {
          ...deadlineFacts(answerDeadline),
          ...(answerDeadline.metAt !== undefined
            ? {
                delayBusinessDays: businessDaysBetween(
                  calendarOf(answerDeadline),
                  receivedDate,
                  localDateOf(answerDeadline.metAt),
                ),
              }
            : {}),
          extensions: answerDeadline.extensions,
        };
  const pastDeadline = open && state.unmetDueAts.some((dueAt) => Date.parse(dueAt) < cutoff);
  return {
    caseId: state.caseId,
    ...(state.reference !== undefined ? { reference: state.reference } : {}),
    category: state.category,
    channel: state.channel,
    confidential: state.confidential,
    ...(state.unit !== undefined ? { unit: state.unit } : {}),
    receivedAt: state.receivedAt,
    receivedDate,
    status: state.status,
    ...(acknowledgement !== undefined ? { acknowledgement } : {}),
    ...(answer !== undefined ? { answer } : {}),
    delayNoticeSent: state.delayNoticeSent,
    dissatisfied: state.dissatisfied,
    handoffs: state.handoffs,
    open,
    pastDeadline,
    ageBusinessDays: businessDaysBetween(calendarOf(ack ?? answerDeadline), receivedDate, asOfDate),
  };
}

/**
 * A case answered before it was acknowledged: the answer was also the acknowledgement, and the date it
 * promised was that day (`promisedAnswerDate`), so no answer deadline was planned. The answer is on time by
 * construction; when it went as a letter it counts only once posted (the mailing date).
 */
function answeredWithoutDeadline(projection: CaseProjection): CaseReportState['answeredWithoutDeadline'] {
  if (projection.answeredAt === undefined || projection.promisedAnswerDate === undefined) return undefined;
  const letter = projection.letters?.find((l) => l.answer === true);
  let metAt: string | undefined = projection.answeredAt;
  if (letter !== undefined) {
    metAt =
      letter.mailedOn === undefined || letter.mailedAt === undefined
        ? undefined
        : new Date(
            Math.min(Date.parse(endOfLocalDay(parseLocalDate(letter.mailedOn))), Date.parse(letter.mailedAt)),
          ).toISOString();
  }
  if (metAt === undefined) return undefined;
  return { dueDate: projection.promisedAnswerDate, metAt };
}
