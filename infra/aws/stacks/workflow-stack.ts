import * as path from 'node:path';
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { ReplanEnv, WorkflowTasksEnv } from '../../../shared/schemas/env';
import { CaseLifecycle, stateMachineArn } from '../constructs/case-lifecycle';
import { MailEvents, mailConfigurationSetArn, mailConfigurationSetName } from '../constructs/mail-events';
import { JalonFunction } from '../constructs/jalon-function';
import { grantLetterAccess, lettersBucketOf } from '../constructs/letters-access';
import { grantLedgerAppend } from '../constructs/ledger-access';
import { grantStaffDirectoryRead } from '../constructs/staff-directory-access';
import { tablesOf } from '../constructs/table-access';
import { retainsData, type Stage } from '../deployment-context';
import { jalonLogGroupName, logRetention, stateMachineLogGroupPrefix } from '../observability';
import {
  acknowledgeFunctionTracing,
  acknowledgeInvokeVersions,
  acknowledgeStateMachineObservability,
  acknowledgeTableAccess,
} from '../nag-acknowledgements';
import type { ServiceContext } from '../service-context';
import { METRICS_NAMESPACE } from '../../../functions/email-intake/metrics';
import { MAIL_EVENTS_MAX_RECEIVES } from '../../../functions/mail-events/handler';
import { MAIL_EVENTS_METRIC } from '../../../functions/mail-events/metrics';
import type { DataStack } from './data-stack';
import type { OpsStack } from './ops-stack';
import { sesIdentityArns } from '../ses-identity';
import { PDF_RENDERER_PACKAGE } from '../../../shared/adapters/pdf/pdfkit-letter-renderer';

export interface WorkflowStackProps extends StackProps {
  readonly stage: Stage;
  readonly data: DataStack;
  readonly ops: OpsStack;
  readonly service: ServiceContext;
}

/** The service policy the functions load (the bundled SCT policy file; the only one deployed today). */
export const POLICY_ID = 'sct';

/**
 * The case lifecycle on AWS: the `WorkflowTasks` Lambda (plan deadlines, route and notify, checkpoints,
 * reminders, escalations, deadline actions) and the Standard state machine that drives it with timer +
 * check, plus the alarms that tell operations when either fails.
 */
export class WorkflowStack extends Stack {
  public readonly workflowTasks: JalonFunction;
  /** Re-plans the open cases after a calendar version is deployed (daily schedule, or invoked by hand). */
  public readonly replan: JalonFunction;
  public readonly replanSchedule: events.Rule;
  public readonly caseLifecycle: CaseLifecycle;
  /** Fixed name, so other stacks (intake) can start executions without a reference cycle. */
  public readonly stateMachineName: string;
  public readonly stateMachineArn: string;
  /** The stage's SES configuration set and what records its events on the cases (`docs/mail-events.md`). */
  public readonly mailEvents: MailEvents;

  constructor(scope: Construct, id: string, props: WorkflowStackProps) {
    super(scope, id, props);
    const { stage, data, ops, service } = props;
    this.stateMachineName = `jalon-${stage}-case-lifecycle`;
    this.stateMachineArn = stateMachineArn(this, this.stateMachineName);

    const tables = tablesOf(this, stage, data);
    const letters = lettersBucketOf(this, stage, data);

    const environment = {
      CASES_TABLE_NAME: tables.cases.tableName,
      LEDGER_TABLE_NAME: tables.ledger.tableName,
      CONTROL_TABLE_NAME: tables.control.tableName,
      SENDER_ADDRESS: service.senderAddress,
      INTAKE_MAIL_DOMAIN: service.intakeMailDomain,
      STATE_MACHINE_ARN: this.stateMachineArn,
      STAFF_TABLE_NAME: tables.staff.tableName,
      STAFF_BASE_URL: service.staffBaseUrl,
      LETTERS_BUCKET_NAME: letters.bucketName,
      POLICY_ID,
      SES_CONFIGURATION_SET: mailConfigurationSetName(stage),
    } satisfies Partial<Record<keyof WorkflowTasksEnv, string>>;

    this.workflowTasks = new JalonFunction(this, 'WorkflowTasks', {
      functionName: `jalon-${stage}-workflow-tasks`,
      description: `Jalon ${stage}: the tasks of the case-lifecycle state machine.`,
      entry: path.join(__dirname, '..', '..', '..', 'functions', 'workflow-tasks', 'index.ts'),
      environment,
      memorySize: 512,
      // Below the ASL's TimeoutSeconds (120) so a slow task fails as Lambda timeout, retried by the ASL.
      timeout: Duration.seconds(60),
      logGroupName: jalonLogGroupName(stage, 'lambda/workflow-tasks'),
      logRetention: logRetention(stage),
      logKey: ops.opsKey,
      retainLogs: retainsData(stage),
      // The automatic acknowledgement of a requester without email is a letter rendered with pdfkit, which
      // must be installed beside the bundle (`docs/letters.md`).
      nodeModules: [PDF_RENDERER_PACKAGE],
    });
    const tasksFunction = this.workflowTasks.function;

    // The workflow reads and writes cases and the control table (the cases' reply addresses) and appends to
    // the ledger; never the holding pen.
    const usedTables = [tables.cases, tables.control];
    for (const { table } of usedTables) table.grantReadWriteData(tasksFunction);
    grantLedgerAppend(tasksFunction, tables.ledger.table);
    // Who gets the notifications: the staff directory, read only.
    grantStaffDirectoryRead(tasksFunction, tables.staff.table);
    tasksFunction.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'SendAsTheOrganization',
        actions: ['ses:SendEmail'],
        resources: [...sesIdentityArns(this, service), mailConfigurationSetArn(this, stage)],
      }),
    );
    tasksFunction.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ContinueCaseAsNewExecution',
        actions: ['states:StartExecution'],
        resources: [this.stateMachineArn],
      }),
    );

    // It prepares letters (automatic acknowledgement, notices); it never serves or deletes one.
    grantLetterAccess(this.workflowTasks, letters, 'write');

    this.caseLifecycle = new CaseLifecycle(this, 'CaseLifecycle', {
      stateMachineName: this.stateMachineName,
      substitutions: {
        WorkflowTasksFunctionArn: {
          value: tasksFunction.functionArn,
          grant: (stateMachine) => tasksFunction.grantInvoke(stateMachine),
        },
      },
      logGroupName: `${stateMachineLogGroupPrefix(stage)}case-lifecycle`,
      logRetention: logRetention(stage),
      logKey: ops.opsKey,
      retainLogs: retainsData(stage),
    });

    acknowledgeTableAccess(this.workflowTasks.role, usedTables);
    acknowledgeFunctionTracing(this.workflowTasks.role);
    acknowledgeStateMachineObservability(this.caseLifecycle.stateMachine.role);
    acknowledgeInvokeVersions(this.caseLifecycle.stateMachine.role, tasksFunction);

    [this.replan, this.replanSchedule] = this.addReplan(stage, ops, tables);

    // Before the senders (this stack's tasks, email intake, staff API) name the configuration set.
    this.mailEvents = new MailEvents(this, 'MailEvents', {
      stage,
      tables,
      logGroupName: jalonLogGroupName(stage, 'lambda/mail-events'),
      logRetention: logRetention(stage),
      logKey: ops.opsKey,
      retainLogs: retainsData(stage),
    });
    this.workflowTasks.function.node.addDependency(this.mailEvents.configurationSet);

    this.addAlarms(ops);

    new CfnOutput(this, 'CaseLifecycleStateMachineArn', {
      value: this.caseLifecycle.stateMachine.stateMachineArn,
    });
    new CfnOutput(this, 'WorkflowTasksFunctionName', { value: tasksFunction.functionName });
  }

  /**
   * The re-planning function and its daily schedule. A calendar version ships with a deployment; the run that
   * follows (at the latest the next night, or at once by invoking the function) re-plans the open cases; the
   * workflow picks a later date up at its next checkpoint, and is started again (a new generation) for an
   * earlier one. Idempotent, so retries and daily runs that
   * find nothing new record nothing.
   */
  private addReplan(
    stage: Stage,
    ops: OpsStack,
    tables: ReturnType<typeof tablesOf>,
  ): [JalonFunction, events.Rule] {
    const replan = new JalonFunction(this, 'Replan', {
      functionName: `jalon-${stage}-replan`,
      description: `Jalon ${stage}: re-plans the open cases' deadlines after a calendar change.`,
      entry: path.join(__dirname, '..', '..', '..', 'functions', 'replan', 'index.ts'),
      environment: {
        CASES_TABLE_NAME: tables.cases.tableName,
        LEDGER_TABLE_NAME: tables.ledger.tableName,
        POLICY_ID,
        STATE_MACHINE_ARN: this.stateMachineArn,
      } satisfies Record<keyof ReplanEnv, string>,
      memorySize: 512,
      timeout: Duration.minutes(15),
      logGroupName: jalonLogGroupName(stage, 'lambda/replan'),
      logRetention: logRetention(stage),
      logKey: ops.opsKey,
      retainLogs: retainsData(stage),
    });
    // It reads the open cases (the cases table's OpenByDue index) and their ledger, appends recalculations, and
    // starts a new generation of a case's workflow when a deadline moved earlier; nothing else.
    const usedTables = [tables.cases];
    for (const { table } of usedTables) table.grantReadWriteData(replan.function);
    grantLedgerAppend(replan.function, tables.ledger.table);
    replan.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'WakeCaseWorkflow',
        actions: ['states:StartExecution'],
        resources: [this.stateMachineArn],
      }),
    );
    acknowledgeTableAccess(replan.role, usedTables);
    acknowledgeFunctionTracing(replan.role);

    // 05:30 UTC: 00:30 or 01:30 in Québec, after the day a new version takes effect has begun.
    const schedule = new events.Rule(this, 'ReplanDaily', {
      description: `Jalon ${stage}: daily re-planning of the open cases under the calendar versions in force.`,
      schedule: events.Schedule.cron({ minute: '30', hour: '5' }),
      targets: [new targets.LambdaFunction(replan.function, { retryAttempts: 2 })],
    });

    ops.alarm(this, 'ReplanErrors', {
      description:
        'The re-planning of open cases after a calendar change failed (some cases keep their old dates). ' +
        'It is idempotent: fix the cause and invoke the replan function again.',
      metric: replan.function.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }),
    });
    new CfnOutput(this, 'ReplanFunctionName', { value: replan.function.functionName });
    return [replan, schedule];
  }

  private addAlarms(ops: OpsStack): void {
    // Each way an execution ends without the case being closed stops its deadline enforcement: failed (the
    // case is flagged in the ledger by RecordFailure first), stopped by hand, or timed out (neither flagged).
    const restart =
      'Once the cause is fixed, an administrator restarts a flagged case with POST ' +
      '/api/staff/cases/{caseId}/restart-enforcement; an unflagged one needs its next generation started by ' +
      'hand (see statemachines/README.md).';
    const stateMachine = this.caseLifecycle.stateMachine;
    const endings = [
      {
        id: 'CaseLifecycleExecutionsFailed',
        metric: stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
        what: 'A case-lifecycle execution failed: the case is shown as "deadlines not enforced".',
      },
      {
        id: 'CaseLifecycleExecutionsAborted',
        metric: stateMachine.metricAborted({ period: Duration.minutes(5), statistic: 'Sum' }),
        what: 'A case-lifecycle execution was stopped: that case has lost its deadline enforcement, unflagged.',
      },
      {
        id: 'CaseLifecycleExecutionsTimedOut',
        metric: stateMachine.metricTimedOut({ period: Duration.minutes(5), statistic: 'Sum' }),
        what: 'A case-lifecycle execution timed out: that case has lost its deadline enforcement, unflagged.',
      },
    ];
    for (const { id, metric, what } of endings) {
      ops.alarm(this, id, { description: `${what} Find it in the execution list. ${restart}`, metric });
    }

    const mailEvents = this.mailEvents;
    const unmatched = (outcome: string) =>
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName: MAIL_EVENTS_METRIC,
        dimensionsMap: { service: 'mail-events', outcome },
        statistic: 'Sum',
        period: Duration.minutes(5),
      });
    ops.alarm(this, 'MailEventsDeadLettersNotEmpty', {
      description:
        `An SES event (delivery, bounce, complaint) could not be recorded on its case after ` +
        `${MAIL_EVENTS_MAX_RECEIVES} deliveries; it is in the mail-events dead-letter queue. Fix the cause ` +
        '(see the mail-events function logs), then redrive the queue (SQS "start DLQ redrive").',
      metric: mailEvents.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
    });
    ops.alarm(this, 'MailEventsUnmatched', {
      description:
        'SES reported on a message that matches no sent message of a case (metric MailEvents, outcome ' +
        'unmatched-*): a sender that does not tag its mail with the case, or mail sent with this configuration ' +
        'set by something else. The function logs name the SES message id.',
      metric: new cloudwatch.MathExpression({
        expression: 'noCase + unknownCase + unknownMessage',
        usingMetrics: {
          noCase: unmatched('unmatched-no-case'),
          unknownCase: unmatched('unmatched-unknown-case'),
          unknownMessage: unmatched('unmatched-unknown-message'),
        },
        period: Duration.minutes(5),
      }),
    });

    ops.alarm(this, 'WorkflowTasksErrors', {
      description:
        'The workflow-tasks Lambda keeps failing. The state machine retries transient errors, so a few are ' +
        'normal; this many means a dependency (DynamoDB, SES) or a bug is failing tasks.',
      metric: this.workflowTasks.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 5,
    });
  }
}
