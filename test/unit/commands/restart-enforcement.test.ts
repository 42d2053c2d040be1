import { restartEnforcement } from '../../../shared/domain/case/commands';
import type { Workflow, WorkflowStart } from '../../../shared/domain/workflow/ports';
import { AccessDeniedError, CaseNotFoundError, CaseStateConflictError } from '../../../shared/errors';
import { ADMIN, AGENT, CASE_ID, COMPLAINT_ID, harness } from './fixtures';

function setup() {
  const h = harness();
  const started: WorkflowStart[] = [];
  const workflow: Workflow = {
    start: (input) => {
      started.push(input);
      return Promise.resolve();
    },
  };
  return { h, started, deps: { ledger: h.ledger, clock: h.clock, workflow } };
}

async function failWorkflow(h: ReturnType<typeof harness>, caseId = CASE_ID) {
  await h.ledger.append(caseId, {
    type: 'failure.recorded',
    at: '2026-03-04T13:30:00.000Z',
    actor: { kind: 'system', id: 'workflow' },
    data: { code: 'EmailServiceUnavailableError', stepId: 'ack-reminder' },
  });
}

describe('restartEnforcement', () => {
  it('records the restart and starts the next generation, which plans and routes again first', async () => {
    const { h, started, deps } = setup();
    await h.seed();
    await failWorkflow(h);
    expect((await h.ledger.getCase(CASE_ID))?.enforcementStoppedAt).toBe('2026-03-04T13:30:00.000Z');

    const result = await restartEnforcement(deps, ADMIN, { caseId: CASE_ID, reason: 'Panne corrigée' });

    expect(result).toMatchObject({ caseId: CASE_ID, replayed: false, generation: 2 });
    expect(started).toEqual([
      { caseId: CASE_ID, generation: 2, startedAt: result.restartedAt, restart: true },
    ]);
    const events = await h.ledger.read(CASE_ID);
    expect(events.slice(-2).map((e) => [e.type, e.actor, e.data])).toEqual([
      [
        'enforcement.restarted',
        { kind: 'staff', id: ADMIN.id, role: 'admin' },
        { generation: 2, reason: 'Panne corrigée' },
      ],
      [
        'workflow.started',
        { kind: 'staff', id: ADMIN.id, role: 'admin' },
        { generation: 2, trigger: 'restart' },
      ],
    ]);
    const projection = await h.ledger.getCase(CASE_ID);
    expect(projection?.enforcementStoppedAt).toBeUndefined();
    expect(projection?.workflowGeneration).toBe(2);
  });

  it('a retry replays the restart and starts the same generation; a second failure restarts the next one', async () => {
    const { h, started, deps } = setup();
    await h.seed();
    await failWorkflow(h);
    await restartEnforcement(
      deps,
      ADMIN,
      { caseId: CASE_ID, reason: 'Panne corrigée' },
      { idempotencyKey: 'k1' },
    );
    const replay = await restartEnforcement(
      deps,
      ADMIN,
      { caseId: CASE_ID, reason: 'Panne corrigée' },
      { idempotencyKey: 'k1' },
    );
    expect(replay).toMatchObject({ replayed: true, generation: 2 });
    expect(started.map((s) => s.generation)).toEqual([2, 2]);
    expect((await h.ledger.read(CASE_ID)).filter((e) => e.type === 'enforcement.restarted')).toHaveLength(1);

    await failWorkflow(h);
    const next = await restartEnforcement(deps, ADMIN, { caseId: CASE_ID, reason: 'Panne corrigée' });
    expect(next).toMatchObject({ replayed: false, generation: 3 });
  });

  it('refuses a case whose enforcement runs (409), anyone but an admin (403) and an unknown case (404)', async () => {
    const { h, started, deps } = setup();
    await h.seed();
    await expect(
      restartEnforcement(deps, ADMIN, { caseId: CASE_ID, reason: 'Par précaution' }),
    ).rejects.toBeInstanceOf(CaseStateConflictError);
    await failWorkflow(h);
    await expect(
      restartEnforcement(deps, AGENT, { caseId: CASE_ID, reason: 'Panne corrigée' }),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(
      restartEnforcement(deps, ADMIN, { caseId: COMPLAINT_ID, reason: 'Panne corrigée' }),
    ).rejects.toBeInstanceOf(CaseNotFoundError);
    expect(started).toEqual([]);
  });

  it('a failure recorded by email intake (an attachment notice) does not stop enforcement', async () => {
    const { h, deps } = setup();
    await h.seed();
    await h.ledger.append(CASE_ID, {
      type: 'failure.recorded',
      at: '2026-03-04T13:30:00.000Z',
      actor: { kind: 'system', id: 'email-intake' },
      data: { code: 'ATTACHMENT_NOTICE_FAILED', retryable: false },
    });
    expect((await h.ledger.getCase(CASE_ID))?.enforcementStoppedAt).toBeUndefined();
    await expect(
      restartEnforcement(deps, ADMIN, { caseId: CASE_ID, reason: 'Panne corrigée' }),
    ).rejects.toBeInstanceOf(CaseStateConflictError);
  });
});
