import type { StoredJobRun } from './job-run-liveness';

/**
 * The asynchronous jobs that walk the ledger in steps (ledger verification, mirror back-fill): a state machine
 * calls one task Lambda per step, each step works within a time budget and returns the next state, and the run
 * is stored as it goes. What those jobs share lives here; what each checks or writes stays in its own module.
 */

/** The fields every step job's stored run has, whatever it counts. */
export interface StepJobRecord extends StoredJobRun {
  readonly startedAt: string;
  readonly status: 'running' | 'succeeded' | 'failed';
}

/** How a run ended: succeeded (with the fields only a result has), or failed with the error's name. */
export type StepJobEnd<R extends StepJobRecord> =
  | ({ readonly status: 'succeeded' } & Partial<Omit<R, keyof StepJobRecord>>)
  | { readonly status: 'failed'; readonly error: string };

/**
 * Stores the end of a run: its record as it stands at `now` (`recordAt`), marked ended then, succeeded or
 * failed (so that a run whose retries gave up does not read as running forever).
 */
export async function storeRunEnd<R extends StepJobRecord>(
  deps: { readonly store: { save(record: R): Promise<void> }; readonly now: () => Date },
  recordAt: (now: Date) => R,
  end: StepJobEnd<R>,
): Promise<R> {
  const now = deps.now();
  const { status, ...rest } = end;
  const record = { ...recordAt(now), status, finishedAt: now.toISOString(), ...rest } as R;
  await deps.store.save(record);
  return record;
}
