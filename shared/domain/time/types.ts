import * as z from '../../zod-mini';

/** Québec's legal time zone. Instants are stored in UTC; dates are computed in this zone. */
export const LEGAL_TIME_ZONE = 'America/Toronto';

/** Identifiers of the calendars Jalon ships. */
export const CalendarIdSchema = z.enum(['qc-fonction-publique', 'qc-loi-interpretation']);
export type CalendarId = z.infer<typeof CalendarIdSchema>;

/** A local calendar date, `YYYY-MM-DD`. */
export const LocalDateSchema = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD'));
export type LocalDate = z.infer<typeof LocalDateSchema>;

/** True for an existing calendar date (2026-02-30 is not); the shape is checked by `LocalDateSchema`. */
function isRealDate(date: string): boolean {
  const time = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(date);
}

/** A local calendar date, `YYYY-MM-DD`, that exists (2026-02-30 is refused), for the dates people type. */
export const RealLocalDateSchema = LocalDateSchema.check(
  z.refine(isRealDate, {
    message: 'must be a real calendar date',
    params: { fr: 'doit être une date qui existe au calendrier' },
    // Only once the shape is right: a malformed date gets one message, not two.
    when: (payload) => payload.issues.length === 0,
  }),
);

/** An instant in ISO-8601 with an explicit offset or `Z`. */
export const InstantSchema = z.iso.datetime({ offset: true });
export type Instant = z.infer<typeof InstantSchema>;

/**
 * How a delay is counted.
 * - `business-days`: the day of receipt is not counted; the deadline is the end of the Nth business day after it.
 * - `calendar-days`: the Nth calendar day after receipt; rolled forward to the next business day if it is not one.
 * - `working-hours`: N hours counted only inside working hours (08:30–16:30 local on business days).
 */
export const DelayUnitSchema = z.enum(['business-days', 'calendar-days', 'working-hours']);
export type DelayUnit = z.infer<typeof DelayUnitSchema>;

export const DelaySchema = z.object({
  amount: z.number().check(z.int(), z.positive(), z.lte(366)),
  unit: DelayUnitSchema,
});
export type Delay = z.infer<typeof DelaySchema>;

export const BilingualTextSchema = z.object({
  fr: z.string().check(z.minLength(1)),
  en: z.string().check(z.minLength(1)),
});
export type BilingualText = z.infer<typeof BilingualTextSchema>;

/** A non-business day passed over while counting, with the reason a citizen can read. */
export const SkippedDaySchema = z.object({
  date: LocalDateSchema,
  reason: z.enum(['saturday', 'sunday', 'holiday']),
  /** Holiday name (with "observed" wording when moved from a weekend). */
  name: z.optional(BilingualTextSchema),
});
export type SkippedDay = z.infer<typeof SkippedDaySchema>;

/** Everything needed to recompute and explain a deadline. */
export const DeadlineProofSchema = z.object({
  inputs: z.object({
    receivedAt: InstantSchema,
    receivedLocal: z.string(),
    timeZone: z.literal(LEGAL_TIME_ZONE),
    delay: DelaySchema,
  }),
  rule: z.object({
    id: z.string(),
    text: BilingualTextSchema,
  }),
  calendar: z.object({
    id: CalendarIdSchema,
    version: z.string(),
    effectiveFrom: LocalDateSchema,
  }),
  /** Non-business days skipped between the day of receipt (excluded) and the due date. */
  skipped: z.array(SkippedDaySchema),
  /** For calendar-day delays: the nominal date before rolling forward, when it differed. */
  rolledForwardFrom: z.optional(LocalDateSchema),
  dueDate: LocalDateSchema,
  dueAt: InstantSchema,
  explanation: BilingualTextSchema,
});
export type DeadlineProof = z.infer<typeof DeadlineProofSchema>;

/** A computed deadline: the local due date, the instant it expires (UTC `Z`), and its proof. */
export const DeadlineSchema = z.object({
  dueDate: LocalDateSchema,
  dueAt: InstantSchema,
  proof: DeadlineProofSchema,
});
export type Deadline = z.infer<typeof DeadlineSchema>;
