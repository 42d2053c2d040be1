import * as FakeTimers from '@sinonjs/fake-timers';
import { DateTime, Duration } from 'luxon';

import type { Clock } from '../../../shared/domain/messaging/ports';
import { ActivityTracker } from './activity-tracker';
import { installLongTimeouts } from './long-timeouts';

/** What is faked: time and the timers that wait for it. Never the queues that I/O and promises run on. */
const FAKED: FakeTimers.FakeMethod[] = ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'];

export interface VirtualClockOptions {
  /** The instant the virtual clock starts at (default: the real current time). */
  readonly now?: Date | string | number;
  /** The tracker the engine and HTTP handlers report to (default: a new one, see `activity`). */
  readonly activity?: ActivityTracker;
  /** Consecutive quiet event-loop turns that make the system idle (default 5). */
  readonly settleTurns?: number;
  /** Real milliseconds to wait for in-flight work before `ClockStalledError` (default 30 000). */
  readonly stallTimeoutMs?: number;
  /** Real milliseconds between checks for due timers while work is in flight (default 5). */
  readonly pollMs?: number;
  /**
   * Real milliseconds in-flight work may go without progress before a near timer (see
   * `technicalTimerHorizonMs`) is let fire under it (default 1 000).
   */
  readonly technicalTimerGraceMs?: number;
  /**
   * Virtual milliseconds ahead within which a timer counts as a technical wait that in-flight work may be
   * awaiting, such as the AWS SDK's retry backoff (at most 20 s) after an emulator's transient error
   * (default 30 000). Workflow waits are minutes to months away and never fire under in-flight work.
   */
  readonly technicalTimerHorizonMs?: number;
  /**
   * Called with the new instant, synchronously, just before virtual time moves to it (before any timer due
   * then runs and before `Date` shows it), and once at install with the start instant. The local stack saves
   * the instant here, so that a crash (`kill -9`) can never have shown effects of an instant it did not save.
   */
  readonly onMove?: (instant: Date) => void;
}

/**
 * Thrown by `advanceTo`, `advanceBy` and `runUntilIdle` when tracked work stays in flight longer than
 * `stallTimeoutMs` of real time. The usual cause is a handler that awaits a timer in the future: virtual time
 * does not move while a handler is in flight, so that timer never fires.
 */
export class ClockStalledError extends Error {
  override readonly name = 'ClockStalledError';

  constructor(
    readonly inFlight: readonly string[],
    readonly waitedMs: number,
  ) {
    super(
      `The virtual clock waited ${Math.round(waitedMs)} ms (real) for work in flight to finish: ` +
        `${inFlight.join(', ')}. A handler that awaits a future timer cannot finish while time is frozen.`,
    );
  }
}

/**
 * The local runtime's clock: `@sinonjs/fake-timers` drives `Date`, `setTimeout`/`clearTimeout` and
 * `setInterval`/`clearInterval`, while `process.nextTick`, `setImmediate` and `queueMicrotask` stay real so
 * that promises and I/O (HTTP to the emulators) keep flowing. Install it after the emulators have started and
 * their tables exist (their own timers then stay native), and before any execution starts. Timers longer than
 * 24.8 days are made safe on the fake timers too (see `long-timeouts.ts`).
 *
 * Time only moves when asked (`advanceTo`, `advanceBy`), one timer instant at a time, and only when the
 * system is **idle**. Idle means all of:
 * 1. no tracked work is in flight (`activity.inFlight === 0`: every task handler and HTTP request that
 *    began has ended);
 * 2. no fake timer is due at the current virtual instant (due ones are run first, time unchanged);
 * 3. `settleTurns` consecutive turns of the real event loop (each awaited with the native `setImmediate`, so
 *    every queued microtask and `nextTick` has run and ready I/O callbacks had their poll phase) passed with
 *    no tracked work beginning or ending and no timer falling due.
 * Untracked I/O still pending after that (a request made outside any tracked handler) is not waited for:
 * wrap such entry points with `activity.track`. One exception to "only when idle": in-flight work that makes
 * no progress for `technicalTimerGraceMs` (real) while a timer is due within `technicalTimerHorizonMs`
 * (virtual) is taken to await it (an SDK retry backoff), and time moves to that timer.
 *
 * While the clock is **idle** (no move or `runUntilIdle` running), virtual time stands still, except under
 * tracked work in flight: a timer due within `technicalTimerHorizonMs` fires once as much real time has passed
 * (a request's SDK retry backoff after an emulator's throttling error takes its real delay, as in AWS), and
 * a timer already due fires at once. No request then waits for a clock move that nobody asked for.
 *
 * Advancing visits every timer instant on the way, so a short `setInterval` created after install makes a
 * months-long advance slow; a timer callback that throws makes the advance reject with that error.
 */
export class VirtualClock implements Clock {
  readonly activity: ActivityTracker;
  readonly #clock: FakeTimers.Clock;
  readonly #settleTurns: number;
  readonly #stallTimeoutMs: number;
  readonly #pollMs: number;
  readonly #technicalTimerGraceMs: number;
  readonly #technicalTimerHorizonMs: number;
  readonly #realSetTimeout: typeof setTimeout;
  readonly #realClearTimeout: typeof clearTimeout;
  readonly #realSetImmediate: typeof setImmediate;
  readonly #onMove: ((instant: Date) => void) | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #installed = true;
  /** A move or `runUntilIdle` is running: `#settle` watches the in-flight work, not the idle watcher. */
  #operating = false;
  #idleWatch: IdleWatch | undefined;

  private constructor(clock: FakeTimers.Clock, options: VirtualClockOptions, real: RealTimers) {
    this.#clock = clock;
    this.activity = options.activity ?? new ActivityTracker();
    this.#settleTurns = options.settleTurns ?? 5;
    this.#stallTimeoutMs = options.stallTimeoutMs ?? 30_000;
    this.#pollMs = options.pollMs ?? 5;
    this.#technicalTimerGraceMs = options.technicalTimerGraceMs ?? 1_000;
    this.#technicalTimerHorizonMs = options.technicalTimerHorizonMs ?? 30_000;
    this.#realSetTimeout = real.setTimeout;
    this.#realClearTimeout = real.clearTimeout;
    this.#realSetImmediate = real.setImmediate;
    this.#onMove = options.onMove;
    this.#onMove?.(this.now());
    this.#watchWhileIdle();
  }

  /** Replaces the global time and timers with the virtual ones. Call `uninstall` when done. */
  static install(options: VirtualClockOptions = {}): VirtualClock {
    const real: RealTimers = {
      setTimeout: globalThis.setTimeout,
      clearTimeout: globalThis.clearTimeout,
      setImmediate: globalThis.setImmediate,
    };
    const start = options.now === undefined ? Date.now() : toEpochMs(options.now);
    const clock = FakeTimers.withGlobal(globalThis).install({
      now: start,
      toFake: FAKED,
      shouldClearNativeTimers: true,
    });
    installLongTimeouts(globalThis);
    return new VirtualClock(clock, options, real);
  }

  /** The current virtual instant. */
  now(): Date {
    return new Date(this.#clock.now);
  }

  /** How many fake timers are pending (waits, retries, task timeouts). */
  pendingTimers(): number {
    return this.#clock.countTimers();
  }

  /** When the earliest pending fake timer is due, if any. */
  nextTimerAt(): Date | undefined {
    const at = nextTimerAt(this.#clock);
    return at === undefined ? undefined : new Date(at);
  }

  /**
   * Moves virtual time forward to `instant`, running every timer due on the way in time order; before each
   * step and at the end, waits until the system is idle (see the class comment). Resolves with the new now.
   * Calls are serialized: a second advance starts when the first has finished.
   */
  async advanceTo(instant: Date | string | number): Promise<Date> {
    const target = toEpochMs(instant);
    return this.#advance(() => target);
  }

  /**
   * Like `advanceTo(now + duration)`, `now` being read when this advance starts (after any advance queued
   * before it). A number is milliseconds; a string is an ISO-8601 duration (`'P3D'`, `'PT90M'`, `'P1M'`)
   * added in calendar terms in UTC, so `'P1D'` is always 24 hours.
   */
  async advanceBy(duration: number | string): Promise<Date> {
    addDuration(0, duration); // rejects a malformed duration now rather than when its turn comes
    return this.#advance(() => addDuration(this.#clock.now, duration));
  }

  /** Waits until the system is idle at the current instant, running due timers; time does not move. */
  runUntilIdle(): Promise<void> {
    return this.#serialize(() => this.#settle());
  }

  /** Restores the real `Date` and timers. Pending fake timers are dropped (stop executions first). */
  uninstall(): void {
    if (!this.#installed) return;
    this.#installed = false;
    this.#clock.uninstall();
  }

  #advance(targetOf: () => number): Promise<Date> {
    return this.#serialize(async () => {
      const target = targetOf();
      if (target < this.#clock.now) {
        throw new RangeError(`Cannot move the virtual clock back to ${new Date(target).toISOString()}.`);
      }
      await this.#settle();
      for (;;) {
        const next = nextTimerAt(this.#clock);
        if (next === undefined || next > target) break;
        this.#moveTo(next);
        await this.#settle();
      }
      if (target > this.#clock.now) this.#moveTo(target);
      return this.now();
    });
  }

  #serialize<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(async () => {
      this.#assertInstalled();
      this.#operating = true;
      try {
        return await operation();
      } finally {
        this.#operating = false;
        // A move that failed (a stall) may leave work in flight: the idle watcher takes it over.
        if (this.#installed && this.activity.inFlight > 0) this.#startIdleWatch();
      }
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Moves virtual time to `instant` (no-op when it is not later), running the timers due up to it. Every move
   * goes through here, so `onMove` sees each new instant before anything else does.
   */
  #moveTo(instant: number): void {
    if (instant > this.#clock.now) {
      this.#onMove?.(new Date(instant));
      this.#clock.tick(instant - this.#clock.now);
    } else {
      this.#clock.tick(0);
    }
  }

  /** Starts the idle watcher whenever tracked work begins while no move is running. */
  #watchWhileIdle(): void {
    if (!this.#installed) return;
    this.activity.onChange(() => {
      if (!this.#installed) return;
      if (this.activity.inFlight > 0 && !this.#operating) this.#startIdleWatch();
      this.#watchWhileIdle();
    });
  }

  /**
   * While idle with tracked work in flight, polls (real time) the earliest fake timer: one due within
   * `technicalTimerHorizonMs` fires once the same span of real time has passed since it was first seen.
   */
  #startIdleWatch(): void {
    if (this.#idleWatch !== undefined) return;
    const watch: IdleWatch = { timerAt: undefined, realDueAt: 0 };
    this.#idleWatch = watch;
    const poll = () => {
      if (!this.#installed || this.#operating || this.activity.inFlight === 0) {
        this.#idleWatch = undefined;
        return;
      }
      const next = nextTimerAt(this.#clock);
      const ahead = next === undefined ? undefined : next - this.#clock.now;
      if (next === undefined || ahead === undefined || ahead > this.#technicalTimerHorizonMs) {
        watch.timerAt = undefined;
      } else if (watch.timerAt !== next) {
        watch.timerAt = next;
        watch.realDueAt = performance.now() + Math.max(0, ahead);
      }
      this.#realSetTimeout(poll, this.#pollMs);
      if (watch.timerAt !== undefined && performance.now() >= watch.realDueAt) {
        watch.timerAt = undefined;
        // A timer callback that throws surfaces as an uncaught exception, as it would on real timers.
        this.#moveTo(next ?? this.#clock.now);
      }
    };
    this.#realSetTimeout(poll, 0);
  }

  async #settle(): Promise<void> {
    let quietTurns = 0;
    let busySince: number | undefined;
    let busyEpoch = this.activity.epoch;
    while (quietTurns < this.#settleTurns) {
      this.#assertInstalled();
      const next = nextTimerAt(this.#clock);
      if (next !== undefined && next <= this.#clock.now) {
        this.#clock.tick(0);
        quietTurns = 0;
        await this.#turn();
        continue;
      }
      if (this.activity.inFlight > 0) {
        // Time without progress: work beginning or ending restarts it, so a long busy stretch is no stall.
        if (busySince === undefined || this.activity.epoch !== busyEpoch) {
          busySince = performance.now();
          busyEpoch = this.activity.epoch;
        }
        const waited = performance.now() - busySince;
        if (waited > this.#stallTimeoutMs) throw new ClockStalledError(this.activity.labels(), waited);
        if (
          waited > this.#technicalTimerGraceMs &&
          next !== undefined &&
          next - this.#clock.now <= this.#technicalTimerHorizonMs
        ) {
          // In-flight work that makes no progress is likely awaiting this near timer (an SDK retry backoff
          // armed with the faked setTimeout): in AWS that much real time would pass, so let it pass here.
          this.#moveTo(next);
          busySince = undefined;
          quietTurns = 0;
          await this.#turn();
          continue;
        }
        await this.#activityOrPoll();
        quietTurns = 0;
        continue;
      }
      busySince = undefined;
      const epoch = this.activity.epoch;
      await this.#turn();
      quietTurns = this.activity.epoch === epoch ? quietTurns + 1 : 0;
    }
  }

  #turn(): Promise<void> {
    return new Promise((resolve) => this.#realSetImmediate(resolve));
  }

  /** Wakes when tracked work begins or ends, or after `pollMs` to run timers that fell due meanwhile. */
  #activityOrPoll(): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.#realSetTimeout(() => {
        cancel();
        resolve();
      }, this.#pollMs);
      const cancel = this.activity.onChange(() => {
        this.#realClearTimeout(timer);
        resolve();
      });
    });
  }

  #assertInstalled(): void {
    if (!this.#installed) throw new Error('The virtual clock has been uninstalled.');
  }
}

interface IdleWatch {
  /** The near timer being timed against real time, and when (real `performance.now()`) it falls due. */
  timerAt: number | undefined;
  realDueAt: number;
}

interface RealTimers {
  setTimeout: typeof setTimeout;
  clearTimeout: typeof clearTimeout;
  setImmediate: typeof setImmediate;
}

/**
 * fake-timers has no public "peek": it keeps its timers in `timerHeap` (v15) or in a `timers` map (older
 * versions). Reading them is the only way to step to the next timer without firing it.
 */
function nextTimerAt(clock: FakeTimers.Clock): number | undefined {
  const internal = clock as unknown as {
    timerHeap?: { peek(): { callAt: number } | undefined };
    timers?: Record<string, { callAt: number }>;
  };
  if (internal.timerHeap && typeof internal.timerHeap.peek === 'function') {
    return internal.timerHeap.peek()?.callAt;
  }
  if (internal.timers) {
    const times = Object.values(internal.timers).map((timer) => timer.callAt);
    return times.length === 0 ? undefined : Math.min(...times);
  }
  if (clock.countTimers() === 0) return undefined;
  throw new Error('Unsupported @sinonjs/fake-timers version: cannot see its pending timers.');
}

function toEpochMs(instant: Date | string | number): number {
  // Not `instanceof Date`: a Date made before or after faking comes from a different constructor.
  const ms =
    typeof instant === 'number'
      ? instant
      : typeof instant === 'string'
        ? Date.parse(instant)
        : instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`Not an instant: ${String(instant)}`);
  return ms;
}

function addDuration(fromMs: number, duration: number | string): number {
  if (typeof duration === 'number') {
    if (!Number.isFinite(duration) || duration < 0)
      throw new RangeError(`Not a forward duration: ${duration}`);
    return fromMs + duration;
  }
  const parsed = Duration.fromISO(duration);
  if (!parsed.isValid) throw new RangeError(`Not an ISO-8601 duration: ${duration}`);
  const target = DateTime.fromMillis(fromMs, { zone: 'utc' }).plus(parsed).toMillis();
  if (target < fromMs) throw new RangeError(`Not a forward duration: ${duration}`);
  return target;
}
