/**
 * The host's wall clock and timers as they were when this module was first loaded, i.e. before a
 * `VirtualClock` replaced the globals. Only for what lives outside the simulated world:
 * - the local identity provider's token lifetimes (a token minted at virtual 15:00 must not expire because
 *   `clock advance P3W` ran; in AWS, Cognito runs on real time whatever the case timers do);
 * - waits on real contention (the ledger's backoff after losing a conditional write on dynalite, draining
 *   in-flight work at shutdown), which must elapse while virtual time is frozen under a tracked handler.
 * Import this module before installing the clock (`local-stack.ts` does).
 */
const nativeDateNow = Date.now;
const nativeSetTimeout = globalThis.setTimeout;
const nativeClearTimeout = globalThis.clearTimeout;

/** Real epoch milliseconds. */
export function realNow(): number {
  return nativeDateNow();
}

/** Resolves after `ms` real milliseconds, whatever the virtual clock does. */
export function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    nativeSetTimeout(resolve, ms);
  });
}

/** A real timer, for deadlines on shutdown; returns its canceller. */
export function realTimeout(callback: () => void, ms: number): () => void {
  const handle = nativeSetTimeout(callback, ms);
  return () => nativeClearTimeout(handle);
}

/**
 * Runs `work` synchronously with the global `setTimeout`/`clearTimeout` set to the real ones, for a library that
 * arms a short technical timer inside a synchronous call (smtp-server's 100 ms greeting delay). Under the
 * virtual clock such a timer would only fire when virtual time moves, which nothing asks for. Being
 * synchronous, nothing else can run while the globals are swapped.
 */
export function withRealTimers<T>(work: () => T): T {
  const host = globalThis as { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout };
  const current = { setTimeout: host.setTimeout, clearTimeout: host.clearTimeout };
  host.setTimeout = nativeSetTimeout;
  host.clearTimeout = nativeClearTimeout;
  try {
    return work();
  } finally {
    host.setTimeout = current.setTimeout;
    host.clearTimeout = current.clearTimeout;
  }
}
