import type { HistoryEvent } from '@aws-sdk/client-sfn';

import { VirtualClock } from '../../../infra/local/clock/virtual-clock';
import { LocalStepFunctions } from '../../../infra/local/stepfunctions/engine';
import type { TaskHandler } from '../../../infra/local/stepfunctions/engine';
import { PermanentError, readAsl, TransientError } from './support';

const START = '2027-01-04T14:00:00.000Z';
const DUE = '2027-02-13T14:00:00.000Z'; // 40 days after START: longer than one Node timer can wait

let clock: VirtualClock;
let sfn: LocalStepFunctions;

beforeEach(() => {
  clock = VirtualClock.install({ now: START });
  sfn = new LocalStepFunctions({ activity: clock.activity });
});

afterEach(async () => {
  await sfn.close();
  clock.uninstall();
});

function waitThenCheck(handlers: Partial<Record<'PlanDeadline' | 'CheckCase', TaskHandler>> = {}) {
  return sfn.createStateMachine({
    name: 'WaitThenCheck',
    definition: readAsl('wait-then-check.asl.json'),
    taskHandlers: {
      PlanDeadline: async () => ({ dueAt: DUE }),
      CheckCase: async () => ({ answered: true }),
      ...handlers,
    },
  });
}

async function statusOf(executionArn: string) {
  return (await sfn.describeExecution({ executionArn })).status;
}

describe('timer + check on the virtual clock', () => {
  it('sleeps through a 40-day wait and runs the check once, at the due instant', async () => {
    const checkedAt: string[] = [];
    const stateMachineArn = await waitThenCheck({
      CheckCase: async () => {
        checkedAt.push(new Date().toISOString());
        return { answered: true };
      },
    });
    const { executionArn } = await sfn.startExecution({
      stateMachineArn,
      name: 'case-1',
      input: { caseId: 'c1' },
    });

    await clock.advanceBy('P39D');
    expect(checkedAt).toEqual([]);
    expect(await statusOf(executionArn)).toBe('RUNNING');

    await clock.advanceBy('P2D');
    expect(checkedAt).toEqual([DUE]);
    const done = await sfn.describeExecution({ executionArn });
    expect(done.status).toBe('SUCCEEDED');
    expect(done.stopDate?.toISOString()).toBe(DUE);
    expect(JSON.parse(done.output ?? 'null')).toMatchObject({
      caseId: 'c1',
      check: { Payload: { answered: true } },
    });
  });

  it('passes the lambda:invoke Payload to the handler and routes the Choice on its result', async () => {
    const received: unknown[] = [];
    const stateMachineArn = await waitThenCheck({
      CheckCase: async (input) => {
        received.push(input);
        return { answered: false };
      },
    });
    const { executionArn } = await sfn.startExecution({
      stateMachineArn,
      name: 'case-2',
      input: { caseId: 'c2' },
    });

    await clock.advanceTo(DUE);

    expect(received).toEqual([{ caseId: 'c2', plan: { Payload: { dueAt: DUE } } }]);
    const done = await sfn.describeExecution({ executionArn });
    expect(done).toMatchObject({
      status: 'FAILED',
      error: 'CaseOverdue',
      cause: 'No answer by the due date.',
    });
  });
});

describe('retry and catch', () => {
  function retryCatch(flaky: TaskHandler, recorded: unknown[] = []) {
    return sfn.createStateMachine({
      name: 'RetryCatch',
      definition: readAsl('retry-catch.asl.json'),
      taskHandlers: {
        CallFlakyService: flaky,
        RecordFailure: async (input) => {
          recorded.push(input);
          return { recorded: true };
        },
      },
    });
  }

  it('retries a named error with IntervalSeconds and BackoffRate, then succeeds on the third attempt', async () => {
    const attempts: number[] = [];
    const stateMachineArn = await retryCatch(async () => {
      attempts.push(Date.now() - Date.parse(START));
      if (attempts.length < 3) throw new TransientError('service busy');
      return { ok: true };
    });
    const { executionArn } = await sfn.startExecution({ stateMachineArn, name: 'r1' });

    await clock.advanceBy('PT1M');

    expect(attempts).toEqual([0, 2_000, 8_000]); // 2 s, then 2 × 3 = 6 s later
    const done = await sfn.describeExecution({ executionArn });
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? 'null')).toEqual({ result: { ok: true } });
  });

  it('routes a persistent failure to the Catch with the error name and a Lambda-style cause', async () => {
    const recorded: unknown[] = [];
    let calls = 0;
    const stateMachineArn = await retryCatch(async () => {
      calls++;
      throw new TransientError('still busy');
    }, recorded);
    const { executionArn } = await sfn.startExecution({
      stateMachineArn,
      name: 'r2',
      input: { caseId: 'c3' },
    });

    await clock.advanceBy('PT1M');

    expect(calls).toBe(4); // the first attempt and MaxAttempts = 3 retries
    expect(recorded).toHaveLength(1);
    const error = (recorded[0] as { error: { Error: string; Cause: string } }).error;
    expect(error.Error).toBe('TransientError');
    expect(JSON.parse(error.Cause)).toMatchObject({
      errorType: 'TransientError',
      errorMessage: 'still busy',
    });
    expect(await statusOf(executionArn)).toBe('SUCCEEDED');
  });

  it('matches other errors with States.TaskFailed and catches them with States.ALL', async () => {
    const recorded: unknown[] = [];
    let calls = 0;
    const stateMachineArn = await retryCatch(async () => {
      calls++;
      throw new PermanentError('refused');
    }, recorded);
    await sfn.startExecution({ stateMachineArn, name: 'r3' });

    await clock.advanceBy('PT1M');

    expect(calls).toBe(2); // one retry from the States.TaskFailed retrier
    expect(recorded).toMatchObject([{ error: { Error: 'PermanentError' } }]);
  });

  it('applies JitterStrategy FULL: each retry waits between 0 and the capped interval', async () => {
    const attempts: number[] = [];
    const stateMachineArn = await sfn.createStateMachine({
      name: 'Jitter',
      definition: readAsl('jitter-retry.asl.json'),
      taskHandlers: {
        CallWithJitter: async () => {
          attempts.push(Date.now());
          if (attempts.length < 5) throw new TransientError('busy');
          return 'ok';
        },
      },
    });
    const { executionArn } = await sfn.startExecution({ stateMachineArn, name: 'j1' });

    await clock.advanceBy('PT5M');

    const gaps = attempts.slice(1).map((at, i) => at - (attempts[i] as number));
    const caps = [10_000, 15_000, 15_000, 15_000]; // 10, 20 → 15, 40 → 15, 80 → 15 (MaxDelaySeconds)
    expect(gaps).toHaveLength(4);
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(0);
      expect(gap).toBeLessThanOrEqual(caps[i] as number);
    });
    expect(await statusOf(executionArn)).toBe('SUCCEEDED');
  });
});

describe('failures', () => {
  it('fails the execution with the task error when nothing catches it', async () => {
    const stateMachineArn = await waitThenCheck({
      CheckCase: async () => {
        throw new TransientError('ledger unavailable');
      },
    });
    const { executionArn } = await sfn.startExecution({ stateMachineArn, name: 'f1' });

    await clock.advanceTo(DUE);

    const failed = await sfn.describeExecution({ executionArn });
    expect(failed).toMatchObject({ status: 'FAILED', error: 'TransientError' });
    expect(JSON.parse(failed.cause ?? 'null')).toMatchObject({ errorMessage: 'ledger unavailable' });
    const { events = [] } = await sfn.getExecutionHistory({ executionArn, reverseOrder: true });
    expect(events.slice(0, 2).map((event) => event.type)).toEqual(['ExecutionFailed', 'TaskFailed']);
    expect(events[1]?.taskFailedEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke',
      error: 'TransientError',
    });
  });

  it('times the execution out at its TimeoutSeconds, even past a Node timer', async () => {
    const stateMachineArn = await sfn.createStateMachine({
      name: 'TimesOut',
      definition: {
        StartAt: 'WaitTooLong',
        TimeoutSeconds: 30 * 24 * 3600,
        States: { WaitTooLong: { Type: 'Wait', Seconds: 60 * 24 * 3600, End: true } },
      },
      taskHandlers: {},
    });
    const { executionArn } = await sfn.startExecution({ stateMachineArn, name: 't1' });

    await clock.advanceBy('P29D');
    expect(await statusOf(executionArn)).toBe('RUNNING');
    await clock.advanceBy('P2D');

    const timedOut = await sfn.describeExecution({ executionArn });
    expect(timedOut).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
    expect(timedOut.stopDate?.toISOString()).toBe('2027-02-03T14:00:00.000Z');
  });
});

describe('startExecution', () => {
  it('is idempotent by name and input while running, and refuses a reused name otherwise', async () => {
    let plans = 0;
    const stateMachineArn = await waitThenCheck({
      PlanDeadline: async () => {
        plans++;
        return { dueAt: DUE };
      },
    });

    const first = await sfn.startExecution({ stateMachineArn, name: 'case-9', input: '{"caseId":"c9"}' });
    const second = await sfn.startExecution({ stateMachineArn, name: 'case-9', input: { caseId: 'c9' } });
    await clock.runUntilIdle();

    expect(second).toEqual(first);
    expect(plans).toBe(1);
    const { executions } = await sfn.listExecutions({ stateMachineArn });
    expect(executions).toHaveLength(1);
    await expect(
      sfn.startExecution({ stateMachineArn, name: 'case-9', input: { caseId: 'other' } }),
    ).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });

    await clock.advanceTo(DUE);
    expect(await statusOf(first.executionArn)).toBe('SUCCEEDED');
    await expect(
      sfn.startExecution({ stateMachineArn, name: 'case-9', input: { caseId: 'c9' } }),
    ).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
  });

  it('refuses invalid names, non-JSON input and unknown state machines', async () => {
    const stateMachineArn = await waitThenCheck();

    await expect(sfn.startExecution({ stateMachineArn, name: 'has space' })).rejects.toMatchObject({
      name: 'InvalidName',
    });
    await expect(sfn.startExecution({ stateMachineArn, name: 'x', input: '{oops' })).rejects.toMatchObject({
      name: 'InvalidExecutionInput',
    });
    await expect(sfn.startExecution({ stateMachineArn: `${stateMachineArn}-nope` })).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
  });
});

describe('getExecutionHistory', () => {
  function summary(events: HistoryEvent[]) {
    return events.map((event) => {
      const name = event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name;
      return name ? `${event.type}:${name}` : event.type;
    });
  }

  it('records AWS event types and state names in order, with chained ids', async () => {
    const stateMachineArn = await waitThenCheck();
    const { executionArn } = await sfn.startExecution({
      stateMachineArn,
      name: 'h1',
      input: { caseId: 'h1' },
    });
    await clock.advanceTo(DUE);

    const { events = [] } = await sfn.getExecutionHistory({ executionArn });

    expect(summary(events)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered:PlanDeadline',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited:PlanDeadline',
      'WaitStateEntered:WaitUntilDue',
      'WaitStateExited:WaitUntilDue',
      'TaskStateEntered:CheckCase',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited:CheckCase',
      'ChoiceStateEntered:IsAnswered',
      'ChoiceStateExited:IsAnswered',
      'SucceedStateEntered:Closed',
      'SucceedStateExited:Closed',
      'ExecutionSucceeded',
    ]);
    expect(events.map((event) => event.id)).toEqual(events.map((_event, i) => i + 1));
    // AWS records 0 as the predecessor of ExecutionStarted and of the first state's entry.
    expect(events.map((event) => event.previousEventId)).toEqual(events.map((_event, i) => (i < 2 ? 0 : i)));
    expect(events[6]?.timestamp?.toISOString()).toBe(START);
    expect(events[7]?.timestamp?.toISOString()).toBe(DUE);
    const scheduled = events[2]?.taskScheduledEventDetails;
    expect(scheduled).toMatchObject({ resourceType: 'lambda', resource: 'invoke', region: 'ca-central-1' });
    expect(JSON.parse(scheduled?.parameters ?? 'null')).toEqual({
      FunctionName: 'arn:aws:lambda:ca-central-1:000000000000:function:PlanDeadlineFunction',
      Payload: { caseId: 'h1' },
    });
    expect(JSON.parse(events[4]?.taskSucceededEventDetails?.output ?? 'null')).toMatchObject({
      Payload: { dueAt: DUE },
      StatusCode: 200,
    });
    expect(JSON.parse(events[5]?.stateExitedEventDetails?.output ?? 'null')).toEqual({
      caseId: 'h1',
      plan: { Payload: { dueAt: DUE } },
    });
  });

  it('records Lambda function events for retries and the caught failure', async () => {
    const stateMachineArn = await sfn.createStateMachine({
      name: 'RetryCatch',
      definition: readAsl('retry-catch.asl.json'),
      taskHandlers: {
        CallFlakyService: async () => {
          throw new PermanentError('refused');
        },
        RecordFailure: async () => ({ recorded: true }),
      },
    });
    const { executionArn } = await sfn.startExecution({ stateMachineArn, name: 'h2' });
    await clock.advanceBy('PT1M');

    const { events = [] } = await sfn.getExecutionHistory({ executionArn });

    expect(summary(events)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered:CallFlakyService',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionFailed',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionFailed',
      'TaskStateExited:CallFlakyService',
      'TaskStateEntered:RecordFailure',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited:RecordFailure',
      'SucceedStateEntered:Done',
      'SucceedStateExited:Done',
      'ExecutionSucceeded',
    ]);
    expect(events[4]?.lambdaFunctionFailedEventDetails?.error).toBe('PermanentError');
    expect(events[5]?.timestamp?.getTime()).toBe(Date.parse(START) + 1_000);
    expect(sfn.executionStats(executionArn)).toEqual({
      stateTransitions: 4,
      taskInvocations: 3,
      historyEvents: 17,
    });
  });

  it('pages with maxResults and nextToken, and reads newest first', async () => {
    const stateMachineArn = await waitThenCheck();
    const { executionArn } = await sfn.startExecution({ stateMachineArn, name: 'h3' });
    await clock.advanceTo(DUE);

    const firstPage = await sfn.getExecutionHistory({ executionArn, maxResults: 10 });
    const secondPage = await sfn.getExecutionHistory({
      executionArn,
      maxResults: 10,
      nextToken: firstPage.nextToken,
    });
    const reversed = await sfn.getExecutionHistory({ executionArn, reverseOrder: true });

    expect(firstPage.events?.map((event) => event.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(secondPage.events?.map((event) => event.id)).toEqual([11, 12, 13, 14, 15, 16, 17, 18]);
    expect(secondPage.nextToken).toBeUndefined();
    expect(reversed.events?.[0]?.type).toBe('ExecutionSucceeded');
  });
});

describe('stopExecution and listExecutions', () => {
  it('stops a waiting execution: ABORTED, no further task, no timer left', async () => {
    let checks = 0;
    const stateMachineArn = await waitThenCheck({
      CheckCase: async () => {
        checks++;
        return { answered: true };
      },
    });
    const { executionArn } = await sfn.startExecution({ stateMachineArn, name: 's1' });
    await clock.advanceBy('P1D');

    await sfn.stopExecution({ executionArn, error: 'CaseWithdrawn', cause: 'The requester withdrew.' });
    await clock.advanceTo('2027-03-01T00:00:00Z');

    expect(checks).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
    const stopped = await sfn.describeExecution({ executionArn });
    expect(stopped).toMatchObject({
      status: 'ABORTED',
      error: 'CaseWithdrawn',
      cause: 'The requester withdrew.',
    });
    const { events = [] } = await sfn.getExecutionHistory({ executionArn, reverseOrder: true });
    expect(events[0]).toMatchObject({
      type: 'ExecutionAborted',
      executionAbortedEventDetails: { error: 'CaseWithdrawn', cause: 'The requester withdrew.' },
    });
  });

  it('filters by status, newest first', async () => {
    const stateMachineArn = await waitThenCheck();
    const a = await sfn.startExecution({ stateMachineArn, name: 'a' });
    await clock.advanceBy('PT1H');
    const b = await sfn.startExecution({ stateMachineArn, name: 'b' });
    await clock.advanceBy('PT1H');
    const c = await sfn.startExecution({ stateMachineArn, name: 'c' });
    await clock.runUntilIdle();
    await sfn.stopExecution({ executionArn: b.executionArn });

    const all = await sfn.listExecutions({ stateMachineArn });
    const running = await sfn.listExecutions({ stateMachineArn, statusFilter: 'RUNNING' });
    const aborted = await sfn.listExecutions({ stateMachineArn, statusFilter: 'ABORTED' });

    expect(all.executions?.map((execution) => execution.name)).toEqual(['c', 'b', 'a']);
    expect(running.executions?.map((execution) => execution.executionArn)).toEqual([
      c.executionArn,
      a.executionArn,
    ]);
    expect(aborted.executions).toMatchObject([{ name: 'b', status: 'ABORTED' }]);
    expect(aborted.executions?.[0]?.stopDate).toBeInstanceOf(Date);
  });
});

describe('createStateMachine', () => {
  it('replaces substitutions: fake ARNs for …Arn placeholders, given values for the others', async () => {
    const received: unknown[] = [];
    const stateMachineArn = await sfn.createStateMachine({
      name: 'Substitutions',
      definition: readAsl('substitutions.asl.json'),
      substitutions: { StaffQueueName: 'jalon-staff-local' },
      taskHandlers: {
        Notify: async (input, context) => {
          received.push({ input, resource: context.resource });
          return { sent: true };
        },
      },
    });
    const { executionArn } = await sfn.startExecution({
      stateMachineArn,
      name: 'n1',
      input: { caseId: 'c1' },
    });
    await clock.runUntilIdle();

    expect(received).toEqual([
      { input: { queue: 'jalon-staff-local', caseId: 'c1' }, resource: 'arn:aws:states:::lambda:invoke' },
    ]);
    const { events = [] } = await sfn.getExecutionHistory({ executionArn });
    const parameters = JSON.parse(events[2]?.taskScheduledEventDetails?.parameters ?? 'null');
    expect(parameters.FunctionName).toBe(sfn.fakeFunctionArn('NotifyFunctionArn'));
    expect((await sfn.describeExecution({ executionArn })).output).toBe('{"sent":true}');
  });

  it('refuses a missing non-ARN substitution and handlers that do not match the Task states', async () => {
    await expect(
      sfn.createStateMachine({
        name: 'Missing',
        definition: readAsl('substitutions.asl.json'),
        taskHandlers: { Notify: async () => null },
      }),
    ).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message: expect.stringContaining('StaffQueueName'),
    });
    await expect(
      sfn.createStateMachine({
        name: 'Mismatch',
        definition: readAsl('wait-then-check.asl.json'),
        taskHandlers: { PlanDeadline: async () => null, CheckCas: async () => null },
      }),
    ).rejects.toMatchObject({
      name: 'InvalidDefinition',
      message: expect.stringMatching(/CheckCase.*CheckCas/),
    });
  });

  it('returns the same ARN for the same definition and refuses another definition under that name', async () => {
    const first = await waitThenCheck();
    const again = await waitThenCheck();

    expect(again).toBe(first);
    await expect(
      sfn.createStateMachine({
        name: 'WaitThenCheck',
        definition: readAsl('retry-catch.asl.json'),
        taskHandlers: { CallFlakyService: async () => null, RecordFailure: async () => null },
      }),
    ).rejects.toMatchObject({ name: 'StateMachineAlreadyExists' });
  });
});
