import { makeHandler, MAX_ITERATIONS, type CheckpointState } from '../../../functions/workflow-tasks/handler';
import type { Workflow, WorkflowStart } from '../../../shared/domain/workflow/ports';
import { InvalidTaskInputError } from '../../../shared/errors';
import { receiveCase, workflowDeps } from '../../support/workflow-fixtures';

class RecordingWorkflow implements Workflow {
  readonly started: WorkflowStart[] = [];
  start(input: WorkflowStart): Promise<void> {
    this.started.push(input);
    return Promise.resolve();
  }
}

async function setup(now = '2026-12-18T15:00:00Z') {
  const context = workflowDeps(now);
  const workflow = new RecordingWorkflow();
  const handler = makeHandler({ ...context.deps, workflow });
  const caseId = await receiveCase(context.ledger, {
    receivedAt: '2026-12-18T15:00:00Z',
    email: 'marie@example.com',
  });
  await handler({ task: 'plan-deadlines', caseId });
  await handler({ task: 'route-and-notify', caseId });
  return { ...context, handler, workflow, caseId };
}

describe('workflow-tasks handler', () => {
  it('returns the whole checkpoint state, with every path the Choice state reads', async () => {
    const { handler, caseId } = await setup();
    const state = (await handler({
      task: 'checkpoint',
      caseId,
      generation: 1,
      iterations: 4,
      startedAt: '2026-12-18T15:00:01Z',
    })) as CheckpointState;
    expect(state).toEqual({
      caseId,
      generation: 1,
      iterations: 5,
      startedAt: '2026-12-18T15:00:01Z',
      check: {
        phase: 'acknowledgement',
        due: false,
        superseded: false,
        continueAsNew: false,
        waitUntil: '2027-01-06T13:30:00Z',
        step: { id: 'ack-reminder', kind: 'notify', notify: 'assignee', at: '2027-01-06T13:30:00Z' },
      },
    });
  });

  it('tells an execution a later generation superseded that it is done, and the later one what is due', async () => {
    const { handler, caseId, ledger } = await setup();
    await ledger.append(
      caseId,
      {
        type: 'workflow.started',
        at: '2026-12-21T15:00:00Z',
        actor: { kind: 'system', id: 'replan' },
        data: { generation: 2, trigger: 'replan' },
      },
      { idempotencyKey: 'workflow:g2' },
    );
    const ask = async (generation: number) =>
      (
        (await handler({
          task: 'checkpoint',
          caseId,
          generation,
          iterations: 0,
          startedAt: '2026-12-18T15:00:01Z',
        })) as CheckpointState
      ).check;

    expect(await ask(1)).toMatchObject({ phase: 'done', due: false, superseded: true, continueAsNew: false });
    expect(await ask(2)).toMatchObject({
      phase: 'acknowledgement',
      superseded: false,
      step: { id: 'ack-reminder' },
    });
  });

  it('asks to continue as a new execution when the loop budget is spent or the wait outlives a year', async () => {
    const { handler, caseId } = await setup();
    const spent = (await handler({
      task: 'checkpoint',
      caseId,
      generation: 1,
      iterations: MAX_ITERATIONS - 1,
      startedAt: '2026-12-18T15:00:01Z',
    })) as CheckpointState;
    expect(spent.check.continueAsNew).toBe(true);
    const old = (await handler({
      task: 'checkpoint',
      caseId,
      generation: 2,
      iterations: 0,
      startedAt: '2025-12-01T00:00:00Z',
    })) as CheckpointState;
    expect(old.check.continueAsNew).toBe(true);
  });

  it('continues as the next generation', async () => {
    const { handler, caseId, workflow } = await setup();
    await handler({ task: 'continue-as-new', caseId, generation: 3 });
    expect(workflow.started).toEqual([{ caseId, generation: 4, startedAt: '2026-12-18T15:00:00.000Z' }]);
  });

  it('throws a named error on an input it does not understand', async () => {
    const { handler } = await setup();
    await expect(handler({ task: 'dance', caseId: 'x' })).rejects.toBeInstanceOf(InvalidTaskInputError);
    await expect(handler({ task: 'checkpoint', caseId: 'case-1' })).rejects.toMatchObject({
      name: 'InvalidTaskInputError',
    });
  });

  it('records a failure with the step the execution was on', async () => {
    const { handler, caseId, ledger, notifier } = await setup();
    await handler({
      task: 'record-failure',
      caseId,
      error: { Error: 'EmailServiceUnavailableError', Cause: '{}' },
      state: { caseId, check: { step: { id: 'ack-reminder' } } },
    });
    const failure = (await ledger.read(caseId)).find((e) => e.type === 'failure.recorded');
    expect(failure?.data).toEqual({ code: 'EmailServiceUnavailableError', stepId: 'ack-reminder' });
    expect(notifier.sent.at(-1)?.template).toBe('ops-alert');
  });
});
