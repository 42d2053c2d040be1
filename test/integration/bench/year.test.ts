import { runYear } from '../../../bench/year';
import type { YearResult } from '../../../bench/year';

/**
 * The year driver of `npm run bench`, with one case of each path, through the local stack's HTTP routes on the
 * virtual clock: every case must end closed, with each step and each requester message once.
 */
let result: YearResult;

beforeAll(async () => {
  result = await runYear({ cases: 6, concurrency: 2, progress: false });
}, 60_000);

describe('simulated year (bench driver)', () => {
  it('drives one case of each path to its end and finds the system consistent', () => {
    expect(result.globalProblems).toEqual([]);
    expect(result.outcomes.filter((outcome) => outcome.problems.length > 0)).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.outcomes.map((outcome) => outcome.scenario)).toEqual([
      'on-time',
      'complaint',
      'late',
      'extended',
      'no-ack',
      'dissatisfied',
    ]);
    expect(result.outcomes.every((outcome) => outcome.status === 'closed')).toBe(true);
  });

  it('counts the staff actions, the messages and the state transitions of each path', () => {
    const entered = Object.fromEntries(
      result.outcomes.map((outcome) => [outcome.scenario, outcome.statesEntered]),
    );

    // acknowledge + answer (3 paths), answer only (no-ack), + extend, + dissatisfied + close.
    expect(result.staffActions).toBe(2 * 3 + 1 + 3 + 4);
    expect(result.submissions).toBe(6);
    expect(result.outboxMessages).toBeGreaterThanOrEqual(6 * 3);
    // Overdue answers and the missing acknowledgement take the most steps; a staff-closed complaint the fewest.
    expect(entered['late']).toBeGreaterThan(entered['on-time'] ?? Infinity);
    expect(entered['no-ack']).toBeGreaterThan(entered['on-time'] ?? Infinity);
    expect(Math.min(...Object.values(entered))).toBeGreaterThan(5);
  });
});
