import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import * as z from 'zod';
import {
  bundledCalendars,
  CalendarIdSchema,
  computeDeadlineWith,
  localDateOf,
  parseInstant,
  type CalendarRegistry,
  type Deadline,
  type DelayUnit,
} from '../../shared/domain/time';

/** CLI spellings of a delay unit. */
const UNIT_ALIASES: Record<string, DelayUnit> = {
  business: 'business-days',
  'business-days': 'business-days',
  calendar: 'calendar-days',
  'calendar-days': 'calendar-days',
  hours: 'working-hours',
  'working-hours': 'working-hours',
};

export const DeadlineRequestSchema = z
  .object({
    received: z
      .string({ error: 'received: required, an ISO-8601 instant such as 2026-12-18T15:00:00Z' })
      .refine(isInstant, {
        message: 'received: expected an ISO-8601 instant with a UTC offset, e.g. 2026-12-18T15:00:00Z',
      }),
    days: z
      .number({ error: 'days: required, a whole number' })
      .int('days: must be a whole number')
      .positive('days: must be at least 1')
      .max(366, 'days: at most 366'),
    unit: z
      .string()
      .default('business')
      .refine((u) => u in UNIT_ALIASES, {
        message: `unit: expected one of ${Object.keys(UNIT_ALIASES).join(', ')}`,
      })
      .transform((u) => UNIT_ALIASES[u] as DelayUnit),
    calendar: z._default(CalendarIdSchema, 'qc-fonction-publique'),
  })
  .strict();
export type DeadlineRequest = z.input<typeof DeadlineRequestSchema>;

export interface DeadlineResult extends Deadline {
  readonly calendar: string;
}

/** Computes one deadline from a CLI request, with the calendar version in effect on `computedOn`. */
export function deadlineFor(
  request: unknown,
  computedOn: string,
  registry: CalendarRegistry = bundledCalendars(),
): Deadline {
  const parsed = DeadlineRequestSchema.safeParse(request);
  if (!parsed.success) throw new InputError(parsed.error.issues.map(describeIssue).join('; '));
  const { received, days, unit, calendar } = parsed.data;
  return computeDeadlineWith(registry, {
    receivedAt: received,
    delay: { amount: days, unit },
    calendarId: calendar,
    computedOn,
  });
}

function isInstant(value: string): boolean {
  try {
    parseInstant(value);
    return true;
  } catch {
    return false;
  }
}

export class InputError extends Error {
  override readonly name = 'InputError';
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') return `unknown field(s): ${issue.keys.join(', ')}`;
  if (issue.message.startsWith(`${path}:`) || path === '') return issue.message;
  if (issue.code === 'invalid_value') return `${path}: expected one of ${issue.values.join(', ')}`;
  return `${path}: ${issue.message}`;
}

/**
 * `jalon deadline --batch`: one JSON request per input line, one JSON result per output line, in
 * the same order. A bad line yields `{"error": "..."}` on its own line; the batch goes on.
 */
export async function runBatch(
  input: Readable,
  output: Writable,
  computedOn: string,
): Promise<{ lines: number; errors: number }> {
  const registry = bundledCalendars();
  const lines = createInterface({ input, crlfDelay: Infinity });
  let buffer: string[] = [];
  let count = 0;
  let errors = 0;
  const flush = async () => {
    if (buffer.length === 0) return;
    const chunk = `${buffer.join('\n')}\n`;
    buffer = [];
    if (!output.write(chunk)) await new Promise<void>((resolve) => output.once('drain', resolve));
  };
  for await (const line of lines) {
    count += 1;
    let result: string;
    try {
      if (line.trim() === '') throw new InputError('empty line');
      let request: unknown;
      try {
        request = JSON.parse(line);
      } catch {
        throw new InputError('not valid JSON');
      }
      result = JSON.stringify(deadlineFor(request, computedOn, registry));
    } catch (error) {
      errors += 1;
      result = JSON.stringify({
        error: error instanceof InputError ? error.message : `internal error: ${(error as Error).message}`,
      });
    }
    buffer.push(result);
    if (buffer.length >= 256) await flush();
  }
  await flush();
  return { lines: count, errors };
}

/** Today's local date in Québec: the calendar version in effect today is the one applied. */
export function todayInQuebec(now: Date = new Date()): string {
  return localDateOf(now);
}
