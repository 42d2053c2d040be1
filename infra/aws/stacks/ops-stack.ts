import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { retainsData, type Stage } from '../deployment-context';
import { jalonLogGroupPrefix, stateMachineLogGroupPrefix } from '../observability';

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
