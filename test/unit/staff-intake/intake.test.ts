import { registerStaffIntake, staffIntakeKey } from '../../../shared/domain/case/commands';
import type { StaffIntakeDeps, StaffIntakeInput } from '../../../shared/domain/case/commands';
import { caseIdFor } from '../../../shared/domain/intake/register-case';
import { InMemoryCaseLedger, InMemoryReferenceAllocator } from '../../../shared/domain/ledger';
import { loadSctPolicy } from '../../../shared/domain/policy/sct';
import { bundledCalendars } from '../../../shared/domain/time';
import { IdempotencyKeyReuseError, ValidationError } from '../../../shared/errors';
import { AGENT, COMPLAINTS_OFFICER, FixedClock } from '../commands/fixtures';
import { LETTER, RecordingMetrics, RecordingWorkflow } from './fixtures';

const INPUT = LETTER as unknown as StaffIntakeInput;

function deps(): StaffIntakeDeps & {
  ledger: InMemoryCaseLedger;
  clock: FixedClock;
  workflow: RecordingWorkflow;
  metrics: RecordingMetrics;
} {
  return {
    ledger: new InMemoryCaseLedger(),
    references: new InMemoryReferenceAllocator(),
    workflow: new RecordingWorkflow(),
    metrics: new RecordingMetrics(),
    clock: new FixedClock(),
    policy: loadSctPolicy(),
    calendars: bundledCalendars(),
  };
}

describe('registerStaffIntake', () => {
  it('20 concurrent submissions with one key make one case, one reference and one lag sample', async () => {
    const d = deps();

    const results = await Promise.all(
      Array.from({ length: 20 }, () => registerStaffIntake(d, AGENT, INPUT, { idempotencyKey: 'k-1' })),
    );

    expect(new Set(results.map((result) => result.reference))).toEqual(new Set(['SCT-2026-000001']));
    expect(results.filter((result) => !result.replayed)).toHaveLength(1);
    expect(d.metrics.lags).toHaveLength(1);
  });

  it('of concurrent different submissions under one key, one is registered and the others refused', async () => {
    const d = deps();
    const subjects = ['Lettre A', 'Lettre B', 'Lettre C'];

    const outcomes = await Promise.allSettled(
      subjects.map((subject) =>
        registerStaffIntake(d, AGENT, { ...INPUT, subject }, { idempotencyKey: 'k-2' }),
      ),
    );

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    for (const outcome of outcomes.filter((o) => o.status === 'rejected')) {
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(IdempotencyKeyReuseError);
    }
    const caseId = caseIdFor(d.policy, staffIntakeKey(AGENT.id, 'k-2'));
    expect((await d.ledger.read(caseId)).filter((event) => event.type === 'case.received')).toHaveLength(1);
  });

  it('keys are scoped to the user: the same key and submission from two users make two cases', async () => {
    const d = deps();
    const colleague = { ...AGENT, id: 'agent-pelletier' };

    const mine = await registerStaffIntake(d, AGENT, INPUT, { idempotencyKey: 'k-shared' });
    const theirs = await registerStaffIntake(d, colleague, INPUT, { idempotencyKey: 'k-shared' });
    const mineAgain = await registerStaffIntake(d, AGENT, INPUT, { idempotencyKey: 'k-shared' });

    expect(theirs).toMatchObject({ replayed: false, reference: 'SCT-2026-000002' });
    expect(theirs.caseId).not.toBe(mine.caseId);
    expect(mineAgain).toEqual({ ...mine, replayed: true });
    expect((await d.ledger.read(theirs.caseId))[0]).toMatchObject({ actor: { id: 'agent-pelletier' } });
  });

  it('a retry months later replays the case instead of refusing its now-old receipt date', async () => {
    const d = deps();
    const first = await registerStaffIntake(d, AGENT, INPUT, { idempotencyKey: 'k-3' });
    d.clock.set('2026-07-01T15:00:00.000Z');

    const retry = await registerStaffIntake(d, AGENT, INPUT, { idempotencyKey: 'k-3' });

    expect(retry).toEqual({ ...first, replayed: true });
  });

  it('completes a registration interrupted after the receipt (the workflow failed to start)', async () => {
    const d = deps();
    const failing = { ...d, workflow: { start: () => Promise.reject(new Error('throttled')) } };
    await expect(registerStaffIntake(failing, AGENT, INPUT, { idempotencyKey: 'k-4' })).rejects.toThrow(
      'throttled',
    );

    const retry = await registerStaffIntake(d, AGENT, INPUT, { idempotencyKey: 'k-4' });

    expect(retry).toMatchObject({ replayed: true, reference: 'SCT-2026-000001' });
    expect(d.workflow.started).toEqual([{ caseId: caseIdFor(d.policy, staffIntakeKey(AGENT.id, 'k-4')) }]);
  });

  it('records the complaints officer as the actor of a complaint they register', async () => {
    const d = deps();
    const officerAndAgent = { ...COMPLAINTS_OFFICER, roles: ['agent', 'complaints-officer'] as const };

    const result = await registerStaffIntake(
      d,
      { ...officerAndAgent, roles: [...officerAndAgent.roles] },
      { ...INPUT, category: 'service-complaint' },
      { idempotencyKey: 'k-5' },
    );

    expect(result.view).toBe('full');
    expect((await d.ledger.read(result.caseId))[0]?.actor).toMatchObject({ role: 'complaints-officer' });
  });

  it('validates its input itself (a caller that skipped the HTTP schema gets a ValidationError)', async () => {
    const d = deps();

    await expect(
      registerStaffIntake(d, AGENT, { ...INPUT, channel: 'web' as never }, { idempotencyKey: 'k-6' }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});
