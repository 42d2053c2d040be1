import './promise-with-resolvers';

import { randomUUID } from 'node:crypto';

import type {
  DescribeExecutionOutput,
  ExecutionListItem,
  ExecutionStatus,
  GetExecutionHistoryOutput,
  HistoryEvent,
  ListExecutionsOutput,
  StartExecutionOutput,
  StopExecutionOutput,
} from '@aws-sdk/client-sfn';
import type {
  RunOptions,
  StateMachine as AslStateMachine,
  StateMachineDefinition,
} from 'aws-local-stepfunctions' with { 'resolution-mode': 'import' };

import type { ActivityTracker } from '../clock/activity-tracker';
import { installLongTimeouts } from '../clock/long-timeouts';
import { allStates, applySubstitutions, bindTask, isObject, parseDefinition } from './definition';
import type { JsonObject, TaskBinding } from './definition';
import { SfnApiError, TaskHandlerFailure } from './errors';
import { ExecutionHistory } from './history';
import type { ExecutionOutcome, TaskCall } from './history';

type AslLibrary = typeof import('aws-local-stepfunctions', { with: { 'resolution-mode': 'import' } });
// A plain `require`, not `createRequire`: under jest it loads the library into the test's realm, where the
// definitions and task results we hand it are created (its `isPlainObj` compares prototypes).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { StateMachine } = require('aws-local-stepfunctions') as AslLibrary;

type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type LibraryInput = Parameters<AslStateMachine['run']>[0];

/** What a task handler knows about the call, besides its input. */
export interface TaskContext {
  readonly executionArn: string;
  readonly executionName: string;
  readonly stateMachineArn: string;
  readonly stateName: string;
  /** The Task's `Resource` after substitutions. */
  readonly resource: string;
}

/**
 * The local stand-in for a Lambda function behind a Task state. It receives what the function would receive
 * (`Parameters.Payload` for `lambda:invoke`, the state's effective input for a function-ARN resource), as a
 * fresh JSON copy, and returns the function's result (serialized as JSON, like Lambda does). To fail, it
 * throws: the error's `name` is what `Retry`/`Catch` `ErrorEquals` match, as with a Node.js Lambda.
 */
export type TaskHandler = (input: unknown, context: TaskContext) => Promise<unknown>;

export interface LocalStepFunctionsOptions {
  /** Region in ARNs and `TaskScheduled` events (default `ca-central-1`). */
  readonly region?: string;
  /** Account in ARNs (default `000000000000`). */
  readonly accountId?: string;
  /** Task handlers are reported to it while in flight, so a virtual clock waits for them. */
  readonly activity?: ActivityTracker;
  /**
   * `TimeoutSeconds` given to Task states that set neither `TimeoutSeconds` nor `TimeoutSecondsPath`
   * (default 900, Lambda's maximum). aws-local-stepfunctions would otherwise apply 60 s, where AWS applies
   * none and the function's own timeout governs.
   */
  readonly defaultTaskTimeoutSeconds?: number;
}

/** What a listener of closing executions learns (the detail of EventBridge's status-change event). */
export interface ClosedExecution {
  readonly executionArn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  /** `SUCCEEDED`, `FAILED`, `TIMED_OUT` or `ABORTED`. */
  readonly status: string;
}

export type ExecutionClosedListener = (execution: ClosedExecution) => Promise<void>;

export interface CreateStateMachineInput {
  readonly name: string;
  /** The ASL definition, as an object or as the text of the `.asl.json` file. */
  readonly definition: object | string;
  /** Values for `${Name}` placeholders; missing `…Arn` ones get a local fake Lambda ARN. */
  readonly substitutions?: Readonly<Record<string, string>>;
  /** One handler per Task state, keyed by state name (nested states included); no more, no fewer. */
  readonly taskHandlers: Readonly<Record<string, TaskHandler>>;
}

export interface StartExecutionInput {
  readonly stateMachineArn: string;
  /** Default: a random UUID. */
  readonly name?: string;
  /** A string is JSON text (as in the SDK); any other value is serialized. Default `{}`. */
  readonly input?: unknown;
}

export interface ListExecutionsInput {
  readonly stateMachineArn: string;
  readonly statusFilter?: ExecutionStatus;
  readonly maxResults?: number;
  readonly nextToken?: string;
}

export interface GetExecutionHistoryInput {
  readonly executionArn: string;
  readonly reverseOrder?: boolean;
  /** Default 100 and at most 1000, as in AWS: callers must follow `nextToken`. */
  readonly maxResults?: number;
  readonly nextToken?: string;
  readonly includeExecutionData?: boolean;
}

export interface StopExecutionInput {
  readonly executionArn: string;
  readonly error?: string;
  readonly cause?: string;
}

/** `StartExecutionOutput` with its members known to be present. */
export interface StartedExecution extends StartExecutionOutput {
  readonly executionArn: string;
  readonly startDate: Date;
}

/** Local-only counters, for benchmarks (AWS bills state transitions). */
export interface ExecutionStats {
  /** State entries plus retries. */
  readonly stateTransitions: number;
  readonly taskInvocations: number;
  readonly historyEvents: number;
}

interface MachineRecord {
  readonly arn: string;
  readonly name: string;
  readonly definitionJson: string;
  readonly library: AslStateMachine;
  readonly tasks: ReadonlyMap<string, TaskBinding>;
  handlers: Readonly<Record<string, TaskHandler>>;
}

interface ExecutionRecord {
  readonly arn: string;
  readonly name: string;
  readonly sequence: number;
  readonly machine: MachineRecord;
  readonly inputJson: string;
  readonly startDate: Date;
  readonly history: ExecutionHistory;
  status: ExecutionStatus;
  outcome?: ExecutionOutcome;
  stop?: { error?: string; cause?: string };
  abort: () => void;
  closed: Promise<void>;
}

/**
 * Definitions asl-validator has accepted in this process. It compiles its JSON schemas on every call (about
 * 200 ms), and tests and restarts create the same definitions again and again.
 */
const VALIDATED = new Set<string>();

const NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/u;
const MAX_INPUT_BYTES = 256 * 1024;
const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

/**
 * The Step Functions API subset Jalon uses, in process, running ASL with aws-local-stepfunctions. Method
 * names, inputs, outputs and error names follow `@aws-sdk/client-sfn`, so an adapter written for the SDK
 * client can be pointed at this engine (directly, or through `http.ts` with an endpoint override).
 *
 * What differs from AWS, on purpose or by limitation of the library:
 * - Task states run local handlers bound by state name; there is no IAM, no Lambda cold start, no payload
 *   size limit (256 KiB) on state outputs (execution input is limited, as in AWS).
 * - `$$.Execution.Id/Name/StartTime/Input/RoleArn`, `$$.StateMachine.Id/Name` and `$$.Map.Item.*` are
 *   available; `$$.State.*` and `$$.Task.Token` are not (a path to them fails the execution with
 *   `States.Runtime`, as does a Choice `Variable` that is absent from the input — in AWS too).
 * - A Task without `TimeoutSeconds` gets `defaultTaskTimeoutSeconds`. Under a `VirtualClock` a task timeout
 *   cannot fire while its handler is in flight (time is frozen until it ends): `States.Timeout` retriers and
 *   `TaskTimedOut` are only reachable in real time.
 * - JSONPath only: no JSONata, no `Assign`/variables, no `.waitForTaskToken` or `.sync` (refused at create).
 * - `JitterStrategy: FULL` is honoured by the library (random delay between 0 and the backoff interval), so
 *   retry timing is not deterministic with it; use `NONE` (default) where a test measures retry times.
 * - The history is built from the library's event log (see `ExecutionHistory`); events are timestamped
 *   with the (possibly virtual) clock.
 *
 * Executions keep running after `startExecution` returns; their waits and retries use the global timers,
 * so under a `VirtualClock` they progress when the clock advances. Long waits (over 24.8 days) are safe:
 * the constructor installs `installLongTimeouts` on the global timers.
 */
export class LocalStepFunctions {
  readonly region: string;
  readonly accountId: string;
  readonly #activity: ActivityTracker | undefined;
  readonly #defaultTaskTimeoutSeconds: number;
  readonly #machines = new Map<string, MachineRecord>();
  readonly #executions = new Map<string, ExecutionRecord>();
  readonly #closedListeners: ExecutionClosedListener[] = [];
  #sequence = 0;

  constructor(options: LocalStepFunctionsOptions = {}) {
    this.region = options.region ?? 'ca-central-1';
    this.accountId = options.accountId ?? '000000000000';
    this.#activity = options.activity;
    this.#defaultTaskTimeoutSeconds = options.defaultTaskTimeoutSeconds ?? 900;
    installLongTimeouts(globalThis);
  }

  /**
   * Registers a state machine and returns its ARN. Like AWS, creating the same name with the same
   * definition again returns the same ARN (the handlers are replaced); a different definition is
   * `StateMachineAlreadyExists`. The definition is validated (asl-validator, ARNs and paths checked) and
   * every Task state must have exactly one handler.
   */
  async createStateMachine(input: CreateStateMachineInput): Promise<string> {
    assertName(input.name);
    const arn = `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${input.name}`;
    const definition = applySubstitutions(
      parseDefinition(input.definition),
      input.substitutions ?? {},
      (name) => this.fakeFunctionArn(name),
    );
    const definitionJson = JSON.stringify(definition);
    const tasks = this.#bindTasks(definition, input.taskHandlers);

    const existing = this.#machines.get(arn);
    if (existing) {
      if (existing.definitionJson !== definitionJson) {
        throw new SfnApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
      }
      existing.handlers = { ...input.taskHandlers };
      return arn;
    }

    const libraryDefinition = this.#libraryDefinition(definition);
    const cacheKey = JSON.stringify(libraryDefinition);
    let library: AslStateMachine;
    try {
      library = new StateMachine(libraryDefinition, {
        validationOptions: VALIDATED.has(cacheKey)
          ? { noValidate: true }
          : { checkArn: true, checkPaths: true },
      });
    } catch (error) {
      throw new SfnApiError('InvalidDefinition', (error as Error).message);
    }
    VALIDATED.add(cacheKey);
    this.#machines.set(arn, {
      arn,
      name: input.name,
      definitionJson,
      library,
      tasks,
      handlers: { ...input.taskHandlers },
    });
    return arn;
  }

  /** The ARN a `${Name}` placeholder gets when no substitution is given (`…FunctionArn` → `…Function`). */
  fakeFunctionArn(placeholder: string): string {
    const functionName = placeholder.replace(/Arn$/, '') || placeholder;
    return `arn:aws:lambda:${this.region}:${this.accountId}:function:${functionName}`;
  }

  /**
   * Starts an execution, idempotently by name as in AWS (Standard): the same name and the same input while
   * the execution is running returns that execution; the same name with another input, or once the
   * execution has closed, is `ExecutionAlreadyExists`.
   */
  async startExecution(input: StartExecutionInput): Promise<StartedExecution> {
    const machine = this.#machine(input.stateMachineArn);
    const name = input.name ?? randomUUID();
    assertName(name);
    const { value, text } = parseInput(input.input);
    const arn = `arn:aws:states:${this.region}:${this.accountId}:execution:${machine.name}:${name}`;

    const existing = this.#executions.get(arn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.inputJson === text) {
        return { executionArn: arn, startDate: existing.startDate };
      }
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }

    const record = this.#startRecord(machine, arn, name, value, text);
    return { executionArn: arn, startDate: record.startDate };
  }

  async describeExecution(input: { executionArn: string }): Promise<DescribeExecutionOutput> {
    return describe(this.#execution(input.executionArn));
  }

  /** Newest first, as AWS lists them. */
  async listExecutions(input: ListExecutionsInput): Promise<ListExecutionsOutput> {
    const machine = this.#machine(input.stateMachineArn);
    const items: ExecutionListItem[] = [...this.#executions.values()]
      .filter((record) => record.machine === machine)
      .filter((record) => input.statusFilter === undefined || record.status === input.statusFilter)
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime() || b.sequence - a.sequence)
      .map((record) => ({
        executionArn: record.arn,
        stateMachineArn: machine.arn,
        name: record.name,
        status: record.status,
        startDate: record.startDate,
        ...(record.outcome ? { stopDate: record.outcome.stopDate } : {}),
      }));
    const { page, nextToken } = paginate(items, input.maxResults, input.nextToken);
    return { executions: page, ...(nextToken ? { nextToken } : {}) };
  }

  /**
   * Stops a running execution (`ExecutionAborted`, status `ABORTED`) and resolves once that is recorded. A
   * task handler already in flight is not interrupted (as in AWS, the Lambda finishes), but nothing runs
   * after it. Stopping a closed execution changes nothing.
   */
  async stopExecution(input: StopExecutionInput): Promise<StopExecutionOutput> {
    const record = this.#execution(input.executionArn);
    if (record.status === 'RUNNING') {
      record.stop = { ...optional('error', input.error), ...optional('cause', input.cause) };
      record.abort();
      await record.closed;
    }
    return { stopDate: record.outcome?.stopDate ?? new Date() };
  }

  async getExecutionHistory(input: GetExecutionHistoryInput): Promise<GetExecutionHistoryOutput> {
    const record = this.#execution(input.executionArn);
    const includeData = input.includeExecutionData ?? true;
    const events = record.history.events.map((event) => copyEvent(event, includeData));
    if (input.reverseOrder) events.reverse();
    const { page, nextToken } = paginate(events, input.maxResults, input.nextToken);
    return { events: page, ...(nextToken ? { nextToken } : {}) };
  }

  /** Local-only: resolves with the description once the execution has closed. */
  async whenClosed(executionArn: string): Promise<DescribeExecutionOutput> {
    const record = this.#execution(executionArn);
    await record.closed;
    return describe(record);
  }

  /**
   * Local-only: forgets a closed execution, as Step Functions does 90 days after it closed (its name can then
   * be used again). Refuses a running one (`ValidationException`).
   */
  forgetExecution(executionArn: string): void {
    const record = this.#execution(executionArn);
    if (record.status === 'RUNNING') {
      throw new SfnApiError('ValidationException', `Execution is running: '${executionArn}'`);
    }
    this.#executions.delete(executionArn);
  }

  /**
   * Local-only: calls `listener` once each execution closes (SUCCEEDED, FAILED, TIMED_OUT, ABORTED), as the
   * EventBridge "Step Functions Execution Status Change" rule does in AWS. The execution counts as closed for
   * `whenClosed` once its listeners are done; a listener's error is its own to report.
   */
  onExecutionClosed(listener: ExecutionClosedListener): void {
    this.#closedListeners.push(listener);
  }

  /** Local-only: counters for benchmarks. */
  executionStats(executionArn: string): ExecutionStats {
    const record = this.#execution(executionArn);
    return {
      stateTransitions: record.history.stateTransitions,
      taskInvocations: record.history.taskInvocations,
      historyEvents: record.history.events.length,
    };
  }

  /** Local-only: stops every running execution (so no timer outlives a test or the local stack). */
  async close(): Promise<void> {
    const running = [...this.#executions.values()].filter((record) => record.status === 'RUNNING');
    await Promise.all(
      running.map((record) =>
        this.stopExecution({
          executionArn: record.arn,
          error: 'Local.Shutdown',
          cause: 'The engine closed.',
        }),
      ),
    );
  }

  #startRecord(
    machine: MachineRecord,
    arn: string,
    name: string,
    value: unknown,
    text: string,
  ): ExecutionRecord {
    const startDate = new Date();
    const roleArn = `arn:aws:iam::${this.accountId}:role/jalon-local-stepfunctions`;
    const record: ExecutionRecord = {
      arn,
      name,
      sequence: ++this.#sequence,
      machine,
      inputJson: text,
      startDate,
      history: new ExecutionHistory({ region: this.region, roleArn, inputJson: text, tasks: machine.tasks }),
      status: 'RUNNING',
      abort: () => undefined,
      closed: Promise.resolve(),
    };
    this.#executions.set(arn, record);

    const handlers: LocalHandlers = {};
    for (const [stateName, binding] of machine.tasks) {
      handlers[stateName] = (taskInput) =>
        this.#invokeTask(record, stateName, binding, taskInput) as ReturnType<LocalHandlers[string]>;
    }
    const run = machine.library.run(value as LibraryInput, {
      overrides: { taskResourceLocalHandlers: handlers },
      noThrowOnAbort: true,
      context: {
        Execution: { Id: arn, Name: name, RoleArn: roleArn, StartTime: startDate.toISOString() },
        StateMachine: { Id: machine.arn, Name: machine.name },
      },
    });
    record.abort = run.abort;
    // The outcome is read from the event log; the result promise only needs its rejection handled.
    run.result.then(
      () => undefined,
      () => undefined,
    );
    record.closed = (async () => {
      try {
        for await (const event of run.eventLogs) {
          const outcome = record.history.apply(event, record.stop);
          if (outcome) this.#close(record, outcome);
        }
      } catch (error) {
        this.#close(record, {
          status: 'FAILED',
          stopDate: new Date(),
          error: 'Local.EngineError',
          cause: (error as Error).message,
        });
      }
      if (record.status === 'RUNNING') {
        this.#close(record, {
          status: 'FAILED',
          stopDate: new Date(),
          error: 'Local.EngineError',
          cause: 'The event log ended without a closing event.',
        });
      }
      const closed = { executionArn: arn, name, stateMachineArn: machine.arn, status: record.status };
      for (const listener of this.#closedListeners) {
        const end = this.#activity?.begin(`closed ${name}`);
        try {
          await listener(closed);
        } catch {
          // The listener reports its own failures; the execution stays closed.
        } finally {
          end?.();
        }
      }
    })();
    return record;
  }

  #close(record: ExecutionRecord, outcome: ExecutionOutcome): void {
    if (record.status !== 'RUNNING') return;
    record.status = outcome.status;
    record.outcome = outcome;
  }

  async #invokeTask(
    record: ExecutionRecord,
    stateName: string,
    binding: TaskBinding,
    input: unknown,
  ): Promise<unknown> {
    const call: TaskCall = record.history.recordCall(stateName, input);
    const end = this.#activity?.begin(`${stateName} in ${record.name}`);
    try {
      // Like AWS, a handler never runs on the caller's stack (startExecution returns first).
      await Promise.resolve();
      const handler = record.machine.handlers[stateName];
      if (!handler) throw new Error(`No task handler for ${stateName}.`);
      const payload =
        binding.kind === 'lambda-invoke' ? (isObject(input) ? input['Payload'] : undefined) : input;
      const context: TaskContext = {
        executionArn: record.arn,
        executionName: record.name,
        stateMachineArn: record.machine.arn,
        stateName,
        resource: binding.resource,
      };
      const result = toJson(await handler(toJson(payload), context));
      const output = binding.kind === 'lambda-invoke' ? invokeResponse(result) : result;
      call.output = output;
      return output;
    } catch (thrown) {
      throw TaskHandlerFailure.from(thrown);
    } finally {
      end?.();
    }
  }

  #bindTasks(
    definition: JsonObject,
    handlers: Readonly<Record<string, TaskHandler>>,
  ): Map<string, TaskBinding> {
    const tasks = new Map<string, TaskBinding>();
    for (const { name, state } of allStates(definition)) {
      if (state['Type'] !== 'Task') continue;
      tasks.set(name, bindTask(name, state));
    }
    const missing = [...tasks.keys()].filter((name) => typeof handlers[name] !== 'function');
    const unknown = Object.keys(handlers).filter((name) => !tasks.has(name));
    if (missing.length > 0 || unknown.length > 0) {
      const parts = [
        missing.length > 0 ? `no handler for Task state(s) ${missing.join(', ')}` : '',
        unknown.length > 0 ? `handler(s) for unknown Task state(s) ${unknown.join(', ')}` : '',
      ].filter(Boolean);
      throw new SfnApiError(
        'InvalidDefinition',
        `Task handlers do not match the definition: ${parts.join('; ')}.`,
      );
    }
    return tasks;
  }

  /** The copy handed to the library: fresh objects of this realm, and explicit task timeouts. */
  #libraryDefinition(definition: JsonObject): StateMachineDefinition {
    const copy = JSON.parse(JSON.stringify(definition)) as JsonObject;
    for (const { state } of allStates(copy)) {
      if (
        state['Type'] === 'Task' &&
        state['TimeoutSeconds'] === undefined &&
        state['TimeoutSecondsPath'] === undefined
      ) {
        state['TimeoutSeconds'] = this.#defaultTaskTimeoutSeconds;
      }
    }
    return copy as unknown as StateMachineDefinition;
  }

  #machine(arn: string): MachineRecord {
    const machine = this.#machines.get(arn);
    if (!machine) throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  #execution(arn: string): ExecutionRecord {
    const record = this.#executions.get(arn);
    if (!record) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return record;
  }
}

function describe(record: ExecutionRecord): DescribeExecutionOutput {
  const outcome = record.outcome;
  return {
    executionArn: record.arn,
    stateMachineArn: record.machine.arn,
    name: record.name,
    status: record.status,
    startDate: record.startDate,
    input: record.inputJson,
    inputDetails: { included: true },
    ...(outcome ? { stopDate: outcome.stopDate } : {}),
    ...(outcome?.output !== undefined ? { output: outcome.output, outputDetails: { included: true } } : {}),
    ...optional('error', outcome?.error),
    ...optional('cause', outcome?.cause),
  };
}

function assertName(name: string): void {
  if (!NAME.test(name)) {
    throw new SfnApiError(
      'InvalidName',
      `Invalid Name: '${name}' (1 to 80 characters, no spaces or specials)`,
    );
  }
}

function parseInput(input: unknown): { value: unknown; text: string } {
  let value: unknown;
  if (input === undefined) value = {};
  else if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw new SfnApiError('InvalidExecutionInput', 'Invalid State Machine Execution Input: not JSON');
    }
  } else value = toJson(input);
  const text = JSON.stringify(value);
  if (Buffer.byteLength(text, 'utf8') > MAX_INPUT_BYTES) {
    throw new SfnApiError(
      'InvalidExecutionInput',
      'Invalid State Machine Execution Input: larger than 256 KiB',
    );
  }
  return { value, text };
}

/** What a JSON round trip makes of a value (Lambda serializes inputs and results): `undefined` is `null`. */
function toJson(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? null : JSON.parse(text);
}

/** The Lambda `Invoke` response the optimized integration returns; `ResultSelector` usually keeps `Payload`. */
function invokeResponse(payload: unknown): unknown {
  const requestId = randomUUID();
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload,
    SdkHttpMetadata: {
      HttpHeaders: { 'Content-Type': 'application/json', 'X-Amz-Executed-Version': '$LATEST' },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

function paginate<T>(items: T[], maxResults: number | undefined, nextToken: string | undefined) {
  const size = maxResults === undefined || maxResults === 0 ? DEFAULT_PAGE : maxResults;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE) {
    throw new SfnApiError('ValidationException', `maxResults must be between 0 and ${MAX_PAGE}.`);
  }
  let start = 0;
  if (nextToken !== undefined) {
    start = Number(Buffer.from(nextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0 || start > items.length) {
      throw new SfnApiError('InvalidToken', 'Invalid Token');
    }
  }
  const end = start + size;
  const page = items.slice(start, end);
  return { page, nextToken: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined };
}

/**
 * A copy the caller may change freely. `includeData: false` drops inputs, outputs and parameters from the
 * details, as AWS does for `includeExecutionData: false`.
 */
function copyEvent(event: HistoryEvent, includeData: boolean): HistoryEvent {
  const copy: Record<string, unknown> = { ...event, timestamp: new Date(event.timestamp ?? 0) };
  for (const [key, value] of Object.entries(copy)) {
    if (!key.endsWith('EventDetails') || !isObject(value)) continue;
    const details: Record<string, unknown> = JSON.parse(JSON.stringify(value));
    if (!includeData) {
      for (const field of ['input', 'inputDetails', 'output', 'outputDetails', 'parameters'])
        delete details[field];
    }
    copy[key] = details;
  }
  return copy as unknown as HistoryEvent;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
