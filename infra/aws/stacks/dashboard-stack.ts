import { type CfnResource, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { TABLE_DEFINITIONS, tableName } from '../../../shared/adapters/dynamodb/table-definitions';
import type { Stage } from '../deployment-context';
import { tableThrottles } from '../observability';
import type { CitizenIntakeStack } from './citizen-intake-stack';
import type { EmailIntakeStack } from './email-intake-stack';
import type { StaffApiStack } from './staff-api-stack';
import type { WorkflowStack } from './workflow-stack';

export interface DashboardStackProps extends StackProps {
  readonly stage: Stage;
  readonly workflow: WorkflowStack;
  readonly citizenIntake: CitizenIntakeStack;
  readonly emailIntake: EmailIntakeStack;
  readonly staffApi: StaffApiStack;
}

/** Five-minute sums and averages: fine enough to see an incident, coarse enough to read a week at once. */
const PERIOD = Duration.minutes(5);

/**
 * The one CloudWatch dashboard of a stage (`jalon-<stage>`): intake volumes, executions, Lambda errors and
 * durations, API 4xx/5xx, queue depths, DynamoDB throttles and SES sending. A stack of its own, deployed last:
 * it reads metrics of every other stack, and the ops stack, which they all depend on, cannot depend on them.
 */
export class DashboardStack extends Stack {
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: DashboardStackProps) {
    super(scope, id, props);
    const { stage } = props;
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `jalon-${stage}`,
      defaultInterval: Duration.days(7),
    });
    // CloudFormation takes `Tags` on a dashboard (aws-cdk-lib writes the stage's tags there); cfn-lint 1.51's
    // resource schema predates that property and reports E3002 for it.
    (this.dashboard.node.defaultChild as CfnResource).addMetadata('cfn-lint', {
      config: { ignore_checks: ['E3002'] },
    });
    this.dashboard.addWidgets(...this.intakeWidgets(props));
    this.dashboard.addWidgets(...this.executionWidgets(props));
    this.dashboard.addWidgets(...this.lambdaWidgets(props));
    this.dashboard.addWidgets(...this.apiWidgets(props));
    this.dashboard.addWidgets(...this.queueWidgets(props));
    this.dashboard.addWidgets(...this.dataAndMailWidgets(stage));
  }

  private intakeWidgets({ citizenIntake, emailIntake }: DashboardStackProps): cloudwatch.IWidget[] {
    return [
      new cloudwatch.GraphWidget({
        title: 'Requests received (form, email)',
        width: 24,
        left: [
          citizenIntake.formIntake.function.metricInvocations({
            period: PERIOD,
            statistic: 'Sum',
            label: 'Form submissions',
          }),
          emailIntake.intakeQueue.metricNumberOfMessagesSent({
            period: PERIOD,
            statistic: 'Sum',
            label: 'Emails received',
          }),
        ],
      }),
    ];
  }

  private executionWidgets({ workflow, staffApi }: DashboardStackProps): cloudwatch.IWidget[] {
    const executions = (machine: sfn.IStateMachine, name: string): cloudwatch.IMetric[] => [
      machine.metricStarted({ period: PERIOD, statistic: 'Sum', label: `${name} started` }),
      machine.metricFailed({ period: PERIOD, statistic: 'Sum', label: `${name} failed` }),
      machine.metricAborted({ period: PERIOD, statistic: 'Sum', label: `${name} stopped` }),
      machine.metricTimedOut({ period: PERIOD, statistic: 'Sum', label: `${name} timed out` }),
    ];
    return [
      new cloudwatch.GraphWidget({
        title: 'Case-lifecycle executions',
        width: 12,
        left: executions(workflow.caseLifecycle.stateMachine, 'Case lifecycle'),
      }),
      new cloudwatch.GraphWidget({
        title: 'Report replay executions',
        width: 12,
        left: executions(staffApi.reportReplay.stateMachine, 'Report replay'),
      }),
    ];
  }

  private lambdaWidgets(props: DashboardStackProps): cloudwatch.IWidget[] {
    const functions = this.functionsOf(props);
    return [
      new cloudwatch.GraphWidget({
        title: 'Lambda errors',
        width: 12,
        left: functions.map(([name, fn]) =>
          fn.metricErrors({ period: PERIOD, statistic: 'Sum', label: name }),
        ),
      }),
      new cloudwatch.GraphWidget({
        title: 'Lambda duration (p99, ms)',
        width: 12,
        left: functions.map(([name, fn]) =>
          fn.metricDuration({ period: PERIOD, statistic: 'p99', label: name }),
        ),
      }),
    ];
  }

  /** Every Jalon function of the stage, by short name. */
  private functionsOf({
    workflow,
    citizenIntake,
    emailIntake,
    staffApi,
  }: DashboardStackProps): [string, lambda.IFunction][] {
    return [
      ['form-intake', citizenIntake.formIntake.function],
      ['email-intake', emailIntake.emailIntake.function],
      ['workflow-tasks', workflow.workflowTasks.function],
      ['replan', workflow.replan.function],
      ['staff-api', staffApi.staffApiFunction.function],
      ['audit-api', staffApi.auditApiFunction.function],
      ['holding-api', staffApi.holdingApiFunction.function],
      ['report-replay', staffApi.reportReplay.task.function],
      ['report-aggregates', staffApi.reportAggregates.consumer.function],
      ['report-replay-start', staffApi.reportReplayStarts.starter.function],
      ['ledger-mirror', staffApi.ledgerMirror.consumer.function],
      ['execution-archive', staffApi.executionArchive.archiver.function],
    ];
  }

  private apiWidgets({ citizenIntake, staffApi }: DashboardStackProps): cloudwatch.IWidget[] {
    const errors = (api: apigwv2.IHttpApi, name: string): cloudwatch.IMetric[] => [
      api.metricClientError({ period: PERIOD, statistic: 'Sum', label: `${name} 4xx` }),
      api.metricServerError({ period: PERIOD, statistic: 'Sum', label: `${name} 5xx` }),
    ];
    return [
      new cloudwatch.GraphWidget({
        title: 'API 4xx / 5xx',
        width: 24,
        left: [
          ...errors(citizenIntake.citizenHttpApi.httpApi, 'Citizen API'),
          ...errors(staffApi.staffHttpApi.httpApi, 'Staff API'),
        ],
      }),
    ];
  }

  private queueWidgets({ emailIntake, staffApi }: DashboardStackProps): cloudwatch.IWidget[] {
    const reportFailures = staffApi.reportAggregates.failureQueue;
    const depth = (queue: sqs.IQueue, label: string): cloudwatch.IMetric =>
      queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum', label });
    return [
      new cloudwatch.GraphWidget({
        title: 'Queue depths',
        width: 12,
        left: [
          depth(emailIntake.intakeQueue, 'Email intake'),
          depth(emailIntake.deadLetterQueue, 'Email intake dead letters'),
          depth(reportFailures, 'Report aggregates failures'),
          depth(staffApi.ledgerMirror.failureQueue, 'Ledger mirror failures'),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Oldest email waiting (s)',
        width: 12,
        left: [
          emailIntake.intakeQueue.metricApproximateAgeOfOldestMessage({
            period: PERIOD,
            statistic: 'Maximum',
            label: 'Email intake',
          }),
        ],
      }),
    ];
  }

  private dataAndMailWidgets(stage: Stage): cloudwatch.IWidget[] {
    const throttles = TABLE_DEFINITIONS.flatMap((definition) => [
      tableThrottles(
        tableName(stage, definition),
        'ReadThrottleEvents',
        PERIOD,
        `${definition.id} reads throttled`,
      ),
      tableThrottles(
        tableName(stage, definition),
        'WriteThrottleEvents',
        PERIOD,
        `${definition.id} writes throttled`,
      ),
    ]);
    const ses = (metricName: string, label: string): cloudwatch.IMetric =>
      new cloudwatch.Metric({ namespace: 'AWS/SES', metricName, period: PERIOD, statistic: 'Sum', label });
    return [
      new cloudwatch.GraphWidget({ title: 'DynamoDB throttles', width: 12, left: throttles }),
      new cloudwatch.GraphWidget({
        title: 'SES (account): sends, deliveries, bounces, complaints',
        width: 12,
        left: [
          ses('Send', 'Sent'),
          ses('Delivery', 'Delivered'),
          ses('Bounce', 'Bounced'),
          ses('Complaint', 'Complaints'),
        ],
      }),
    ];
  }
}
