/**
 * Node (and @sinonjs/fake-timers, which mimics it) stores timer delays in a signed 32-bit integer: a
 * `setTimeout` longer than 2^31-1 ms (about 24.8 days) is silently set to 1 ms and fires at once. Jalon's
 * workflow waits for months (`Wait` with `TimestampPath`), and aws-local-stepfunctions sleeps with a plain
 * `setTimeout(resolve, targetMs - Date.now())`, so a 40-day wait would end after 1 ms.
 *
 * `installLongTimeouts` wraps a global's `setTimeout`/`clearTimeout` so that a longer delay is slept in
 * chunks of at most 2^31-1 ms, re-reading `Date.now()` at each chunk, and the callback runs once, at the
 * target instant (never early). Delays that fit are passed through untouched, so the wrapper changes
 * nothing for any other caller. `setInterval` is not wrapped (no caller needs a 25-day period).
 */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

const WRAPPED = Symbol.for('jalon.local.longTimeouts');

/** The part of a global object this module reads and replaces. */
export interface TimerHost {
  setTimeout: typeof globalThis.setTimeout;
  clearTimeout: typeof globalThis.clearTimeout;
  Date: DateConstructor;
}

type Schedule = (callback: () => void, delayMs: number) => unknown;
type Cancel = (handle: unknown) => void;

/** The handle returned for a delay longer than one timer can hold; `clearTimeout` accepts it. */
export class LongTimeout {
  #handle: unknown;
  #cleared = false;
  #refed = true;

  constructor(
    private readonly schedule: Schedule,
    private readonly cancel: Cancel,
    private readonly now: () => number,
    /** Epoch ms at which the callback runs. */
    readonly dueAt: number,
    private readonly fire: () => void,
  ) {
    this.#arm();
  }

  clear(): void {
    this.#cleared = true;
    this.cancel(this.#handle);
  }

  ref(): this {
    this.#refed = true;
    callIfPresent(this.#handle, 'ref');
    return this;
  }

  unref(): this {
    this.#refed = false;
    callIfPresent(this.#handle, 'unref');
    return this;
  }

  hasRef(): boolean {
    return this.#refed;
  }

  #arm(): void {
    const remaining = this.dueAt - this.now();
    if (remaining > MAX_TIMER_DELAY_MS) {
      this.#handle = this.schedule(() => {
        if (!this.#cleared) this.#arm();
      }, MAX_TIMER_DELAY_MS);
    } else {
      this.#handle = this.schedule(
        () => {
          if (!this.#cleared) this.fire();
        },
        Math.max(0, remaining),
      );
    }
    if (!this.#refed) callIfPresent(this.#handle, 'unref');
  }
}

function callIfPresent(handle: unknown, method: 'ref' | 'unref'): void {
  if (typeof handle === 'object' && handle !== null && method in handle) {
    const fn = (handle as Record<string, unknown>)[method];
    if (typeof fn === 'function') fn.call(handle);
  }
}

/** Whether `host.setTimeout` is already this module's wrapper. */
export function hasLongTimeouts(host: TimerHost = globalThis): boolean {
  return (host.setTimeout as unknown as Record<symbol, unknown>)[WRAPPED] === true;
}

/**
 * Wraps `host.setTimeout` and `host.clearTimeout` (idempotent: a host already wrapped is left alone).
 * Install it on the real timers when the local runtime starts, and again after fake timers replace them:
 * `VirtualClock.install` does the latter, and fake-timers' `uninstall` restores whatever was there before.
 */
export function installLongTimeouts(host: TimerHost = globalThis): void {
  if (hasLongTimeouts(host)) return;
  const innerSet = host.setTimeout;
  const innerClear = host.clearTimeout;
  const schedule: Schedule = (callback, delayMs) => innerSet.call(host, callback, delayMs);
  const cancel: Cancel = (handle) => innerClear.call(host, handle as Parameters<typeof clearTimeout>[0]);
  const now = () => host.Date.now();

  const wrappedSet = function setTimeout(callback: unknown, delay?: unknown, ...args: unknown[]): unknown {
    const delayMs = Number(delay);
    if (typeof callback !== 'function' || !(delayMs > MAX_TIMER_DELAY_MS)) {
      return (innerSet as (...a: unknown[]) => unknown).call(host, callback, delay, ...args);
    }
    return new LongTimeout(schedule, cancel, now, now() + delayMs, () => {
      (callback as (...a: unknown[]) => void)(...args);
    });
  };
  const wrappedClear = function clearTimeout(handle: unknown): void {
    if (handle instanceof LongTimeout) handle.clear();
    else cancel(handle);
  };

  copyExtraProperties(innerSet, wrappedSet);
  copyExtraProperties(innerClear, wrappedClear);
  Object.defineProperty(wrappedSet, WRAPPED, { value: true });
  host.setTimeout = wrappedSet as unknown as typeof globalThis.setTimeout;
  host.clearTimeout = wrappedClear as typeof globalThis.clearTimeout;
}

/** Keeps `util.promisify.custom`, fake-timers' `clock` and similar properties visible on the wrapper. */
function copyExtraProperties(from: object, to: object): void {
  for (const key of Reflect.ownKeys(from)) {
    if (key === 'length' || key === 'name' || key === 'prototype' || key === WRAPPED) continue;
    const descriptor = Object.getOwnPropertyDescriptor(from, key);
    if (descriptor) Object.defineProperty(to, key, descriptor);
  }
}
