import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { TABLE_DEFINITIONS, tableName } from '../../../shared/adapters/dynamodb/table-definitions';
import { pascalCaseId } from '../constructs/ledger-tables';
import { retainsData, type Stage } from '../deployment-context';
import { jalonLogGroupPrefix, stateMachineLogGroupPrefix, tableThrottles } from '../observability';

/**
 * SES puts an account under review at a 5 % bounce rate or a 0.1 % complaint rate (and may pause sending at
 * 10 % / 0.5 %). The alarms fire well before review: at 3 % bounces (AWS calls under 2 % healthy) and at
 * 0.05 % complaints, half the review level, so there is time to act before sending is at risk.
 */
export const SES_BOUNCE_RATE_ALARM = 0.03;
export const SES_COMPLAINT_RATE_ALARM = 0.0005;

/** An alarm of the stage: what it watches, and what it means to the people it pages. */
export interface OpsAlarmProps {
  /**
   * What the alarm means and the first thing to do, in plain words: the people paged read this text in the
   * notification, before any runbook.
   */
  readonly description: string;
  readonly metric: cloudwatch.IMetric;
  /** Default 1 (one failure is one too many). */
  readonly threshold?: number;
  /** Default 1. */
  readonly evaluationPeriods?: number;
  /** Default: at or above the threshold. */
  readonly comparisonOperator?: cloudwatch.ComparisonOperator;
  /** Default: no data is not a problem (a metric that only exists when something fails). */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
}

export interface OpsStackProps extends StackProps {
  readonly stage: Stage;
  /** Subscribed to the alerts topic by email (the subscription must then be confirmed from that mailbox). */
  readonly alertEmail?: string;
}

/**
 * What operations need before anything runs: the `OpsAlerts` topic every alarm publishes to, and the key
 * that encrypts that topic and every Jalon log group. Separate from the workflow and API stacks so both can
 * alarm into one place without depending on each other.
 */
export class OpsStack extends Stack {
  /** Encrypts the ops alerts topic and the log groups of the stage (by name prefix, see the key policy). */
  public readonly opsKey: kms.Key;
  public readonly alertsTopic: sns.Topic;
  private readonly alarmAction: actions.SnsAction;

  constructor(scope: Construct, id: string, props: OpsStackProps) {
    super(scope, id, props);
    const { stage } = props;

    this.opsKey = new kms.Key(this, 'OpsKey', {
      alias: `alias/jalon-${stage}-ops`,
      description: `Jalon ${stage}: encrypts the ops alerts topic and the Jalon log groups.`,
      enableKeyRotation: true,
      // Deleting the key would make the retained logs unreadable.
      removalPolicy: retainsData(stage) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      pendingWindow: retainsData(stage) ? Duration.days(30) : Duration.days(7),
    });
    this.allowLogsToUseKey(stage);
    // CloudWatch alarms publish to the encrypted topic as the cloudwatch service, which needs the key.
    this.opsKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToEncryptedTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );

    this.alertsTopic = new sns.Topic(this, 'OpsAlerts', {
      topicName: `jalon-${stage}-ops-alerts`,
      displayName: `Jalon ${stage} ops alerts`,
      masterKey: this.opsKey,
      enforceSSL: true,
    });
    if (props.alertEmail) {
      this.alertsTopic.addSubscription(new subscriptions.EmailSubscription(props.alertEmail));
    }
    this.alarmAction = new actions.SnsAction(this.alertsTopic);

    new CfnOutput(this, 'OpsAlertsTopicArn', { value: this.alertsTopic.topicArn });
    this.addSesReputationAlarms();
    this.addTableThrottleAlarms(stage);
  }

  /**
   * An alarm in `scope` (any stack of the stage) that pages the ops alerts topic, with the options every Jalon
   * alarm shares: one evaluation period, at or above the threshold, no data not breaching, unless given.
   */
  alarm(scope: Construct, id: string, props: OpsAlarmProps): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(scope, id, {
      alarmDescription: props.description,
      metric: props.metric,
      threshold: props.threshold ?? 1,
      evaluationPeriods: props.evaluationPeriods ?? 1,
      comparisonOperator:
        props.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: props.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.notifyOps(alarm);
    return alarm;
  }

  /**
   * Wires an alarm (in any stack of the stage) to the alerts topic, both on alarm and on recovery, so the
   * people paged also learn when it is over.
   */
  notifyOps(alarm: cloudwatch.Alarm): void {
    alarm.addAlarmAction(this.alarmAction);
    alarm.addOkAction(this.alarmAction);
  }

  /**
   * The account's SES reputation (every sender of the region, Jalon's included): bounces and complaints are
   * published by SES itself as `Reputation.*` rates, so they need nothing of the other stacks.
   */
  private addSesReputationAlarms(): void {
    const reputation = (metricName: string): cloudwatch.Metric =>
      new cloudwatch.Metric({
        namespace: 'AWS/SES',
        metricName,
        period: Duration.hours(1),
        statistic: 'Maximum',
      });
    this.alarm(this, 'SesBounceRateHigh', {
      description:
        `Over ${SES_BOUNCE_RATE_ALARM * 100} % of the mail this account sent bounced (SES reviews the account ` +
        'at 5 %, and may pause sending). Look at the bounced messages recorded on cases and at the addresses ' +
        'staff typed; stop any bulk send until the rate falls.',
      metric: reputation('Reputation.BounceRate'),
      threshold: SES_BOUNCE_RATE_ALARM,
    });
    this.alarm(this, 'SesComplaintRateHigh', {
      description:
        `Over ${SES_COMPLAINT_RATE_ALARM * 100} % of the mail this account sent was reported as spam (SES ` +
        'reviews the account at 0.1 %). Check what was sent (reminders sent twice? a wrong recipient list?) ' +
        'and stop it.',
      metric: reputation('Reputation.ComplaintRate'),
      threshold: SES_COMPLAINT_RATE_ALARM,
    });
  }

  /**
   * Throttled reads or writes on any table of the stage. The tables are on-demand, so a throttle means a
   * burst beyond DynamoDB's per-partition or account limits, or a hot key. Table names are fixed per stage,
   * so the alarms need no reference to the data stack (which would tie the two stacks' deployments).
   */
  private addTableThrottleAlarms(stage: Stage): void {
    for (const definition of TABLE_DEFINITIONS) {
      const name = tableName(stage, definition);
      const period = Duration.minutes(5);
      this.alarm(this, `${pascalCaseId(definition)}TableThrottled`, {
        description:
          `DynamoDB throttled reads or writes on the ${name} table: the Lambdas retry, but requests may fail ` +
          "(5xx, failed workflow tasks). Look at the table's CloudWatch Contributor Insights or metrics for a " +
          "hot key or a burst, and at the account's on-demand limits.",
        metric: new cloudwatch.MathExpression({
          expression: 'FILL(reads, 0) + FILL(writes, 0)',
          usingMetrics: {
            reads: tableThrottles(name, 'ReadThrottleEvents', period),
            writes: tableThrottles(name, 'WriteThrottleEvents', period),
          },
          period,
          label: `${name} throttle events`,
        }),
      });
    }
  }

  /**
   * CloudWatch Logs encrypts a log group with a customer-managed key only if the key policy lets the regional
   * logs service use it; the encryption-context condition limits that to this stage's log groups.
   */
  private allowLogsToUseKey(stage: Stage): void {
    const logGroupArn = (pattern: string): string =>
      this.formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: pattern,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    this.opsKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchLogsForJalonLogGroups',
        principals: [new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': [
              logGroupArn(`${jalonLogGroupPrefix(stage)}*`),
              logGroupArn(`${stateMachineLogGroupPrefix(stage)}*`),
            ],
          },
        },
      }),
    );
  }
}
