import type { ExecutionStatus, HistoryEvent, HistoryEventType } from '@aws-sdk/client-sfn';
import type { StateMachine } from 'aws-local-stepfunctions' with { 'resolution-mode': 'import' };

import type { TaskBinding } from './definition';

/** One event of aws-local-stepfunctions' event log (the library does not export the type by name). */
export type LibraryEvent =
  ReturnType<StateMachine['run']>['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/** One invocation of a task handler, recorded when the library calls it. */
export interface TaskCall {
  /** The state's effective input (after `InputPath` and `Parameters`), as the handler was called. */
  readonly input: unknown;
  /** The raw result (the Lambda `Invoke` response for `lambda:invoke`), set when the handler resolves. */
  output?: unknown;
}

/** How an execution ended, read from its last event. */
export interface ExecutionOutcome {
  readonly status: Exclude<ExecutionStatus, 'RUNNING' | 'PENDING_REDRIVE'>;
  readonly stopDate: Date;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

interface ActiveState {
  readonly type: string;
  call?: TaskCall;
  failed: boolean;
}

const NOT_TRUNCATED = { truncated: false } as const;

/**
 * Builds one execution's history in the AWS `GetExecutionHistory` format from the library's event log.
 *
 * The library logs `StateEntered`/`StateExited`/`StateFailed`/`StateRetried`/`StateCaught` and the execution
 * events; AWS names events by state type (`WaitStateEntered`, `ChoiceStateExited`…) and adds, for each task
 * attempt, the integration's events (`TaskScheduled`, `TaskStarted`, `TaskSucceeded`|`TaskFailed`|
 * `TaskTimedOut`, or the `LambdaFunction*` family for a function-ARN resource). Those are derived here:
 * a task attempt starts at `StateEntered` or `StateRetried`, and its parameters and raw result come from
 * the `TaskCall` the engine recorded when the library called the handler. The library calls the handler
 * synchronously after dispatching the entry event and this recorder reads the log asynchronously, so the
 * call is always recorded before its entry event is read.
 *
 * Ids start at 1 and increase by one; `previousEventId` is the id of the event before, except for
 * `ExecutionStarted` and the first state's entry, which AWS records with 0. Like AWS, a caught failure is
 * followed by the state's `…StateExited` (its output is the `Catch` result) and a retry adds no state event.
 * Map and Parallel states get their entered/exited, `…Started`/`…Succeeded`/`…Failed` and map-iteration
 * events; their branch internals are recorded as the library forwards them (best effort: Jalon uses none).
 */
export class ExecutionHistory {
  readonly events: HistoryEvent[] = [];
  /** State entries plus retries: what AWS bills as state transitions. */
  stateTransitions = 0;
  taskInvocations = 0;
  readonly #calls = new Map<string, TaskCall[]>();
  readonly #consumed = new Map<string, number>();
  readonly #active = new Map<string, ActiveState>();
  #afterStart = false;

  constructor(
    private readonly context: {
      readonly region: string;
      readonly roleArn: string;
      readonly inputJson: string;
      readonly tasks: ReadonlyMap<string, TaskBinding>;
    },
  ) {}

  /** Called by the engine, synchronously, each time the library invokes a task handler. */
  recordCall(stateName: string, input: unknown): TaskCall {
    const call: TaskCall = { input };
    const calls = this.#calls.get(stateName) ?? [];
    calls.push(call);
    this.#calls.set(stateName, calls);
    this.taskInvocations++;
    return call;
  }

  /** Appends the AWS events for one library event; returns the outcome when it ends the execution. */
  apply(event: LibraryEvent, stop?: { error?: string; cause?: string }): ExecutionOutcome | undefined {
    const at = event.timestamp;
    switch (event.type) {
      case 'ExecutionStarted':
        this.#push('ExecutionStarted', at, {
          executionStartedEventDetails: {
            input: this.context.inputJson,
            inputDetails: NOT_TRUNCATED,
            roleArn: this.context.roleArn,
          },
        });
        this.#afterStart = true;
        return undefined;
      case 'StateEntered':
        this.stateTransitions++;
        this.#push(`${event.state.type}StateEntered` as HistoryEventType, at, {
          stateEnteredEventDetails: {
            name: event.state.name,
            input: json(event.state.input),
            inputDetails: NOT_TRUNCATED,
          },
        });
        this.#active.set(event.state.name, { type: event.state.type, failed: false });
        if (event.state.type === 'Task') this.#startAttempt(event.state.name, at);
        if (event.state.type === 'Parallel') this.#push('ParallelStateStarted', at, {});
        return undefined;
      case 'StateRetried':
        this.stateTransitions++;
        if (event.state.type === 'Task') this.#startAttempt(event.state.name, at);
        return undefined;
      case 'StateFailed':
        this.#failed(event.state.name, event.state.type, at, event.Error, event.Cause);
        return undefined;
      case 'StateCaught':
        return undefined;
      case 'StateExited':
        this.#exited(event.state.name, event.state.type, at, event.state.output);
        return undefined;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed': {
        const details = { name: event.parentState.name, index: event.index };
        const key = `${lowerFirst(event.type)}EventDetails`;
        this.#push(event.type, at, { [key]: details });
        return undefined;
      }
      case 'ParallelBranchStarted':
      case 'ParallelBranchSucceeded':
      case 'ParallelBranchFailed':
        return undefined;
      case 'ExecutionSucceeded': {
        const output = json(event.output);
        this.#push('ExecutionSucceeded', at, {
          executionSucceededEventDetails: { output, outputDetails: NOT_TRUNCATED },
        });
        return { status: 'SUCCEEDED', stopDate: new Date(at), output };
      }
      case 'ExecutionFailed': {
        const cause = causeText(event.Cause);
        this.#push('ExecutionFailed', at, { executionFailedEventDetails: { error: event.Error, cause } });
        return { status: 'FAILED', stopDate: new Date(at), error: event.Error, cause };
      }
      case 'ExecutionAborted':
        this.#push('ExecutionAborted', at, {
          executionAbortedEventDetails: {
            ...optional('error', stop?.error),
            ...optional('cause', stop?.cause),
          },
        });
        return {
          status: 'ABORTED',
          stopDate: new Date(at),
          ...optional('error', stop?.error),
          ...optional('cause', stop?.cause),
        };
      case 'ExecutionTimeout': {
        const cause = 'The execution ran longer than its TimeoutSeconds.';
        this.#push('ExecutionTimedOut', at, {
          executionTimedOutEventDetails: { error: 'States.Timeout', cause },
        });
        return { status: 'TIMED_OUT', stopDate: new Date(at), error: 'States.Timeout', cause };
      }
    }
  }

  #startAttempt(stateName: string, at: number): void {
    const active = this.#active.get(stateName);
    const binding = this.context.tasks.get(stateName);
    if (!active || !binding) return;
    const index = this.#consumed.get(stateName) ?? 0;
    const call = this.#calls.get(stateName)?.[index];
    active.failed = false;
    // No call means the library failed before invoking (Parameters did not evaluate): AWS then records no
    // scheduling either, only the failure of the execution.
    if (!call) return;
    this.#consumed.set(stateName, index + 1);
    active.call = call;
    const timeout = binding.timeoutSeconds === undefined ? {} : { timeoutInSeconds: binding.timeoutSeconds };
    if (binding.kind === 'lambda-function') {
      this.#push('LambdaFunctionScheduled', at, {
        lambdaFunctionScheduledEventDetails: {
          resource: binding.resource,
          input: json(call.input),
          inputDetails: NOT_TRUNCATED,
          ...timeout,
        },
      });
      this.#push('LambdaFunctionStarted', at, {});
      return;
    }
    const resource = { resourceType: binding.eventResourceType, resource: binding.eventResource };
    this.#push('TaskScheduled', at, {
      taskScheduledEventDetails: {
        ...resource,
        region: this.context.region,
        parameters: json(call.input),
        ...timeout,
      },
    });
    this.#push('TaskStarted', at, { taskStartedEventDetails: resource });
  }

  #failed(stateName: string, type: string, at: number, error: string, rawCause: unknown): void {
    const active = this.#active.get(stateName);
    if (active) active.failed = true;
    const cause = causeText(rawCause);
    if (type === 'Map' || type === 'Parallel') {
      this.#push(`${type}StateFailed` as HistoryEventType, at, {});
      return;
    }
    const binding = this.context.tasks.get(stateName);
    if (type !== 'Task' || !binding || !active?.call) return;
    const timedOut = error === 'States.Timeout';
    if (binding.kind === 'lambda-function') {
      if (timedOut) {
        this.#push('LambdaFunctionTimedOut', at, { lambdaFunctionTimedOutEventDetails: { error, cause } });
      } else {
        this.#push('LambdaFunctionFailed', at, { lambdaFunctionFailedEventDetails: { error, cause } });
      }
      return;
    }
    const details = {
      resourceType: binding.eventResourceType,
      resource: binding.eventResource,
      error,
      cause,
    };
    if (timedOut) this.#push('TaskTimedOut', at, { taskTimedOutEventDetails: details });
    else this.#push('TaskFailed', at, { taskFailedEventDetails: details });
  }

  #exited(stateName: string, type: string, at: number, output: unknown): void {
    const active = this.#active.get(stateName);
    this.#active.delete(stateName);
    const succeeded = active !== undefined && !active.failed;
    if (type === 'Task' && succeeded && active.call) {
      const binding = this.context.tasks.get(stateName);
      const raw = json(active.call.output);
      if (binding?.kind === 'lambda-function') {
        this.#push('LambdaFunctionSucceeded', at, {
          lambdaFunctionSucceededEventDetails: { output: raw, outputDetails: NOT_TRUNCATED },
        });
      } else if (binding) {
        this.#push('TaskSucceeded', at, {
          taskSucceededEventDetails: {
            resourceType: binding.eventResourceType,
            resource: binding.eventResource,
            output: raw,
            outputDetails: NOT_TRUNCATED,
          },
        });
      }
    }
    if ((type === 'Map' || type === 'Parallel') && succeeded) {
      this.#push(`${type}StateSucceeded` as HistoryEventType, at, {});
    }
    this.#push(`${type}StateExited` as HistoryEventType, at, {
      stateExitedEventDetails: { name: stateName, output: json(output), outputDetails: NOT_TRUNCATED },
    });
  }

  #push(type: HistoryEventType, at: number, details: Partial<HistoryEvent>): void {
    const id = this.events.length + 1;
    const previousEventId = type === 'ExecutionStarted' || this.#afterStart ? 0 : id - 1;
    this.#afterStart = false;
    this.events.push({ timestamp: new Date(at), type, id, previousEventId, ...details });
  }
}

function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}

function causeText(cause: unknown): string {
  return typeof cause === 'string' ? cause : json(cause);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
