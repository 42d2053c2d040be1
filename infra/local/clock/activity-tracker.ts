/**
 * Counts the work in flight in the local runtime (Step Functions task handlers, HTTP requests) so that the
 * virtual clock only moves time forward when nothing is running. Without it, advancing the clock while a
 * handler awaits real I/O (dynalite, the SES emulator) would fire the next timers — a task timeout, the next
 * `Wait` — in the middle of that handler, which never happens in AWS.
 *
 * The tracker exists before the clock: the engine and the HTTP server are built with it when the emulators
 * start, and the clock is installed later with the same tracker.
 */
export class ActivityTracker {
  readonly #inFlight = new Map<number, string>();
  #nextId = 1;
  #epoch = 0;
  readonly #listeners = new Set<() => void>();

  /** How many units of work have begun and not yet ended. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /**
   * Grows by one at every `begin` and every `end`: two equal readings taken around an event-loop turn prove
   * that no work started or finished during that turn, even when the count is the same.
   */
  get epoch(): number {
    return this.#epoch;
  }

  /** Labels of the work in flight, oldest first (for stall diagnostics). */
  labels(): string[] {
    return [...this.#inFlight.values()];
  }

  /**
   * Marks the start of one unit of work and returns the function that ends it. Ending twice is harmless,
   * so callers can end in `finally` without bookkeeping.
   */
  begin(label = 'work'): () => void {
    const id = this.#nextId++;
    this.#inFlight.set(id, label);
    this.#changed();
    return () => {
      if (this.#inFlight.delete(id)) this.#changed();
    };
  }

  /** Runs `work` as one tracked unit, ending it whether the work resolves or throws. */
  async track<T>(label: string, work: () => Promise<T> | T): Promise<T> {
    const end = this.begin(label);
    try {
      return await work();
    } finally {
      end();
    }
  }

  /**
   * Calls `listener` once, at the next `begin` or `end`, and returns a function that cancels it (so a
   * waiter that gave up does not pile up listeners while a long handler runs).
   */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  #changed(): void {
    this.#epoch++;
    const listeners = [...this.#listeners];
    this.#listeners.clear();
    for (const listener of listeners) listener();
  }
}
