import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { Duration } from 'luxon';

import type { VirtualClock } from './clock/virtual-clock';

const SHORTHAND = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** A request to move the clock could not be understood (HTTP 400). */
export class ClockRequestError extends Error {
  override readonly name = 'ClockRequestError';
}

/** The clock is real: it cannot be moved (HTTP 409). */
export class RealClockError extends Error {
  override readonly name = 'RealClockError';
  constructor() {
    super('The clock is real; start the stack with --virtual-clock to move it.');
  }
}

/**
 * An ISO-8601 duration from what a person types: `P3D`, `PT90M` as they are, or the shorthand `3d`, `2w`,
 * `1d12h`, `90m`, `45s` (weeks, days, hours, minutes, seconds, in that order).
 *
 * @throws ClockRequestError for anything else, or a zero-length shorthand
 */
export function toIsoDuration(input: string): string {
  const text = input.trim();
  if (/^P/i.test(text)) {
    const parsed = Duration.fromISO(text.toUpperCase());
    // luxon accepts a bare `P`.
    if (!parsed.isValid || !/\d/.test(text))
      throw new ClockRequestError(`Not an ISO-8601 duration: ${input}`);
    return text.toUpperCase();
  }
  const match = SHORTHAND.exec(text.toLowerCase());
  if (text === '' || match === null) {
    throw new ClockRequestError(`Not a duration: ${input} (try 3d, 12h, 2w, 90m or P3D).`);
  }
  const [, weeks, days, hours, minutes, seconds] = match;
  const datePart = `${weeks ? `${weeks}W` : ''}${days ? `${days}D` : ''}`;
  const timePart = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
  return `P${datePart}${timePart === '' ? '' : `T${timePart}`}`;
}

/** What `POST /api/local/clock` accepts: `{"advance": "P3D" | "3d"}` or `{"to": "<ISO instant>"}`. */
export type ClockMove = { readonly advance: string } | { readonly to: string };

/** Reads a clock request body. @throws ClockRequestError */
export function parseClockMove(body: unknown): ClockMove {
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const { advance, to } = body as Record<string, unknown>;
    if (typeof advance === 'string' && to === undefined) return { advance: toIsoDuration(advance) };
    if (typeof to === 'string' && advance === undefined) {
      if (!/^\d{4}-\d{2}-\d{2}T/.test(to) || Number.isNaN(Date.parse(to))) {
        throw new ClockRequestError(`Not an ISO-8601 instant: ${to}`);
      }
      return { to };
    }
  }
  throw new ClockRequestError('Send {"advance": "P3D"} or {"to": "2027-01-08T15:00:00Z"}.');
}

/**
 * The stack's clock as the local routes see it. With a virtual clock, every move runs each due wait in order
 * and returns once the system is idle. (The stack saves each new instant as the clock reaches it: see
 * `saveVirtualNow`.)
 */
export class ClockControl {
  readonly #clock: VirtualClock | undefined;

  constructor(clock: VirtualClock | undefined) {
    this.#clock = clock;
  }

  get virtual(): boolean {
    return this.#clock !== undefined;
  }

  now(): Date {
    return this.#clock?.now() ?? new Date();
  }

  /** @throws RealClockError without a virtual clock; RangeError when asked to go back in time */
  async move(move: ClockMove): Promise<Date> {
    if (this.#clock === undefined) throw new RealClockError();
    const now =
      'advance' in move ? await this.#clock.advanceBy(move.advance) : await this.#clock.advanceTo(move.to);
    await this.#clock.runUntilIdle();
    return now;
  }
}

/**
 * Records the virtual instant in `stateFile`, atomically (a temporary file renamed over it: a crash mid-write
 * keeps the previous instant). The stack calls it as the clock reaches each new instant, before any timer due
 * then runs, so that a restart with `--virtual-clock` (no instant) after a clean stop or a `kill -9` resumes
 * where time was, never before an effect that was already visible. Not fsynced: it survives the process, not
 * a power cut (neither does dynalite's data).
 */
export function saveVirtualNow(stateFile: string, instant: Date): void {
  const temporary = `${stateFile}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify({ now: instant.toISOString() })}\n`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    mkdirSync(path.dirname(stateFile), { recursive: true });
    writeFileSync(temporary, `${JSON.stringify({ now: instant.toISOString() })}\n`);
  }
  renameSync(temporary, stateFile);
}

/** The virtual instant a previous run saved in `stateFile`, if any. */
export function savedVirtualNow(stateFile: string | undefined): string | undefined {
  if (stateFile === undefined) return undefined;
  try {
    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as { now?: unknown };
    return typeof saved.now === 'string' && !Number.isNaN(Date.parse(saved.now)) ? saved.now : undefined;
  } catch {
    return undefined;
  }
}
