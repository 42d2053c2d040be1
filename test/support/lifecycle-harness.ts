import { VirtualClock } from '../../infra/local/clock/virtual-clock';
import { PdfkitLetterRenderer } from '../../shared/adapters/pdf/pdfkit-letter-renderer';
import { InMemoryLetterStore } from '../../shared/domain/letters/ports';
import { LocalStepFunctions, type TaskHandler } from '../../infra/local/stepfunctions/engine';
import { makeHandler } from '../../functions/workflow-tasks/handler';
import { StaticStaffDirectory } from '../../shared/adapters/config/static-directory';
import {
  DynamoDbCaseLedger,
  DynamoDbRateCounter,
  DynamoDbReplyAddressBook,
} from '../../shared/adapters/dynamodb';
import { SesNotifier } from '../../shared/adapters/ses/ses-notifier';
import type { CaseLedger } from '../../shared/domain/ledger/ports';
import type { Notifier } from '../../shared/domain/messaging/ports';
import { loadSctPolicy } from '../../shared/domain/policy/sct';
import { bundledCalendars, type CalendarRegistry } from '../../shared/domain/time';
import { executionInput, executionName, type Workflow } from '../../shared/domain/workflow/ports';
import type { WorkflowDeps } from '../../shared/domain/workflow/tasks';
import { CASE_LIFECYCLE_SUBSTITUTIONS, readCaseLifecycleDefinition } from '../../statemachines/definition';
import type { LocalDynamo } from './dynalite';
import type { SesEmulator } from './ses-emulator';
import { DIRECTORY, REPLY_FORMAT } from './workflow-fixtures';

export interface Lifecycle {
  readonly clock: VirtualClock;
  readonly sfn: LocalStepFunctions;
  readonly stateMachineArn: string;
  readonly ledger: CaseLedger;
  readonly deps: WorkflowDeps;
  /** The `Workflow` port on this engine (what intake and the continuation use). */
  readonly workflow: Workflow;
  /** Starts the case's execution as intake does (name = caseId, input {caseId}). */
  start(caseId: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The real case-lifecycle ASL on the local engine, every Task bound to the real workflow-tasks handler,
 * over dynalite and the SES emulator, on a virtual clock installed after the emulators are up (DESIGN.md).
 * `wrap` lets a test interpose on the ledger, the notifier or the task handler (failures, early wakes).
 */
export async function startLifecycle(
  emulators: { dynamo: LocalDynamo; ses: SesEmulator },
  options: {
    now: string;
    wrapLedger?: (ledger: CaseLedger) => CaseLedger;
    wrapNotifier?: (notifier: Notifier) => Notifier;
    wrapTask?: (handler: TaskHandler) => TaskHandler;
    /** The calendars the workflow reads (default: the bundled ones). */
    calendars?: CalendarRegistry;
  },
): Promise<Lifecycle> {
  const clock = VirtualClock.install({ now: options.now });
  const sfn = new LocalStepFunctions({ activity: clock.activity });
  const baseLedger = new DynamoDbCaseLedger({
    client: emulators.dynamo.client,
    tables: emulators.dynamo.tables,
  });
  const ledger = options.wrapLedger ? options.wrapLedger(baseLedger) : baseLedger;
  const sesNotifier = new SesNotifier({
    client: emulators.ses.createClient({ maxAttempts: 1 }),
    from: 'Jalon SCT <jalon@sct.example>',
  });
  const notifier = options.wrapNotifier ? options.wrapNotifier(sesNotifier) : sesNotifier;
  const policy = loadSctPolicy();
  const directory: Record<string, string[]> = { ...DIRECTORY };
  for (const category of policy.categories) {
    for (const group of [
      category.routing.assigneeGroup,
      category.routing.supervisor,
      category.routing.director,
    ]) {
      directory[group] ??= [`${group}@sct.example`];
    }
  }
  let stateMachineArn = '';
  // As `SfnWorkflow` does on Step Functions: a name already used is the case's workflow, already started.
  const workflow: Workflow = {
    async start(start) {
      try {
        await sfn.startExecution({
          stateMachineArn,
          name: executionName(start.caseId, start.generation),
          input: JSON.stringify(executionInput(start, new Date())),
        });
      } catch (error) {
        if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
      }
    },
  };
  const deps: WorkflowDeps = {
    ledger,
    notifier,
    replyAddresses: new DynamoDbReplyAddressBook({
      client: emulators.dynamo.client,
      tables: { control: emulators.dynamo.tables.control },
      format: REPLY_FORMAT,
    }),
    directory: new StaticStaffDirectory(directory),
    clock: { now: () => new Date() },
    policy,
    calendars: options.calendars ?? bundledCalendars(),
    caseUrl: (caseId) => `http://127.0.0.1:3000/staff/cases/${caseId}`,
    letters: { renderer: new PdfkitLetterRenderer(), store: new InMemoryLetterStore() },
    rateCounter: new DynamoDbRateCounter({
      client: emulators.dynamo.client,
      tables: { control: emulators.dynamo.tables.control },
    }),
  };
  const lambda = makeHandler({ ...deps, workflow });
  const base: TaskHandler = (input) => lambda(input);
  const task = options.wrapTask ? options.wrapTask(base) : base;
  const definition = readCaseLifecycleDefinition();
  const taskStates = Object.entries(JSON.parse(definition).States as Record<string, { Type: string }>)
    .filter(([, state]) => state.Type === 'Task')
    .map(([name]) => name);
  stateMachineArn = await sfn.createStateMachine({
    name: 'jalon-test-case-lifecycle',
    definition,
    substitutions: Object.fromEntries(
      CASE_LIFECYCLE_SUBSTITUTIONS.map((name) => [name, sfn.fakeFunctionArn(name)]),
    ),
    taskHandlers: Object.fromEntries(taskStates.map((name) => [name, task])),
  });
  return {
    clock,
    sfn,
    stateMachineArn,
    ledger,
    deps,
    workflow,
    async start(caseId) {
      const { executionArn } = await sfn.startExecution({
        stateMachineArn,
        name: caseId,
        input: JSON.stringify({ caseId }),
      });
      await clock.runUntilIdle();
      return executionArn;
    },
    async stop() {
      await sfn.close();
      clock.uninstall();
    },
  };
}
