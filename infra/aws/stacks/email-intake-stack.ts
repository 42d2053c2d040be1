import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { EMAIL_INTAKE_MAX_RECEIVES } from '../../../functions/email-intake/queue';
import { AccessLogBucket } from '../constructs/access-log-bucket';
import { stateMachineArn } from '../constructs/case-lifecycle';
import { EvidenceBucket } from '../constructs/evidence-bucket';
import { JalonFunction } from '../constructs/jalon-function';
import { grantLedgerAppend } from '../constructs/ledger-access';
import { tablesOf } from '../constructs/table-access';
import { retainsData, type Stage } from '../deployment-context';
import {
  acknowledgeBucketNotificationsHandler,
  acknowledgeEmailIntakeAccess,
  acknowledgeFunctionTracing,
  acknowledgeTableAccess,
  acknowledgeFailureQueue,
} from '../nag-acknowledgements';
import { jalonLogGroupName, logRetention } from '../observability';
import type { ServiceContext } from '../service-context';
import { mailConfigurationSetArn, mailConfigurationSetName } from '../constructs/mail-events';
import { addMailIdentities, sesIdentityArns, type MailIdentities } from '../ses-identity';
import type { DataStack } from './data-stack';
import type { OpsStack } from './ops-stack';
import { POLICY_ID, type WorkflowStack } from './workflow-stack';

/** Key prefix SES writes each received message under (the raw MIME, exactly as received). */
export const RAW_MAIL_PREFIX = 'inbound/';
/**
 * Raw mail and attachments move to S3 Glacier Instant Retrieval after this many days (still readable at once:
 * staff download attachments and read held mail of any age; `docs/attachment-archiving.md`).
 */
export const EVIDENCE_ARCHIVE_AFTER_DAYS = 90;
/** The email-intake Lambda's timeout: parsing a message of up to 40 MB and uploading its attachments. */
const EMAIL_INTAKE_TIMEOUT = Duration.minutes(2);
/**
 * How long a delivered notification stays invisible on the intake queue: six times the function's timeout, as
 * AWS advises for a Lambda event source, so a message is never delivered twice at once; it is also the wait
 * before a failed message is delivered again.
 */
export const EMAIL_INTAKE_VISIBILITY_TIMEOUT = Duration.minutes(12);
/** An intake-queue message older than this means mail is waiting: redelivered failures or a stalled function. */
export const EMAIL_INTAKE_MAX_AGE_ALARM = Duration.minutes(30);
/**
 * The longest run of days without business in Québec outside the year-end closure: Easter, Good Friday to
 * Easter Monday (four days).
 */
export const LONGEST_DAYS_OFF = 4;

/**
 * Calendar days the "no inbound mail" alarm looks back over for `businessDays` quiet business days. CloudWatch
 * cannot count business days, so the window adds the longest run of days off: wherever it falls, it holds at
 * least `businessDays` business days, and a long weekend alone never raises the alarm.
 */
export function quietMailWindowDays(businessDays: number): number {
  return businessDays + LONGEST_DAYS_OFF;
}

export interface EmailIntakeStackProps extends StackProps {
  readonly stage: Stage;
  readonly data: DataStack;
  readonly ops: OpsStack;
  /** Email intake starts the case-lifecycle workflow of each case it registers. */
  readonly workflow: WorkflowStack;
  readonly service: ServiceContext;
  /** The email-intake Lambda's handler module (absolute path), normally `functions/email-intake/index.ts`. */
  readonly emailIntakeEntry: string;
}

/**
 * SSM parameters naming the mail storage for the other stacks of a stage (the staff API's holding-pen triage
 * reads them): the raw-mail and attachments bucket names and the mail key ARN.
 */
export function mailStorageParameterNames(stage: Stage): {
  readonly rawMailBucketName: string;
  readonly attachmentsBucketName: string;
  readonly mailKeyArn: string;
} {
  return {
    rawMailBucketName: `/jalon/${stage}/mail/raw-mail-bucket-name`,
    attachmentsBucketName: `/jalon/${stage}/mail/attachments-bucket-name`,
    mailKeyArn: `/jalon/${stage}/mail/key-arn`,
  };
}

/** SES receipt rule names of a stage (the rule set must be made active once, out of band). */
export function receiptRuleNames(stage: Stage): { readonly ruleSet: string; readonly rule: string } {
  return { ruleSet: `jalon-${stage}-inbound`, rule: `jalon-${stage}-intake` };
}

/**
 * The SES "deliver to S3" action without the bucket policy `aws-ses-actions.S3` adds (which checks the
 * account only): the stack writes its own, bound to this very receipt rule.
 */
class DeliverToEvidenceBucket implements ses.IReceiptRuleAction {
  constructor(
    private readonly bucket: s3.IBucket,
    private readonly objectKeyPrefix: string,
  ) {}

  bind(): ses.ReceiptRuleActionConfig {
    return { s3Action: { bucketName: this.bucket.bucketName, objectKeyPrefix: this.objectKeyPrefix } };
  }
}

/**
 * How email becomes cases: SES receives mail for the intake domain (receipt rule set and rule), writes each
 * message as received into the raw-mail bucket (evidence: KMS, versioned, never deleted, archived after
 * `EVIDENCE_ARCHIVE_AFTER_DAYS`); the bucket's object-created notifications go to the intake queue, which
 * delivers each to the email-intake Lambda (one at a time), which registers the case, stores accepted
 * attachments in the attachments bucket, mails a notice for refused attachments, and starts the workflow. A
 * notification that fails is delivered again after the queue's visibility timeout and, after
 * `EMAIL_INTAKE_MAX_RECEIVES` deliveries, moves to the dead-letter queue (the mail itself stays in S3; the
 * console's DLQ redrive sends it back). Function errors, a message waiting too long on the intake queue and a
 * non-empty dead-letter queue alarm the ops topic (`docs/email-intake-queue.md`).
 *
 * With a hosted zone in the settings, the stack also creates the SES identities and the mail DNS records
 * (`addMailIdentities`). Out of band (CloudFormation cannot do it, and doing it here would replace the region's
 * active rule set): without a zone, verify the intake domain in SES and point its MX record at the region's SES
 * inbound endpoint; in any case, activate the rule set (`aws ses set-active-receipt-rule-set --rule-set-name <InboundRuleSetName>`). SES email receiving
 * must be offered in the deployment region.
 */
export class EmailIntakeStack extends Stack {
  public readonly mailKey: kms.Key;
  public readonly rawMail: EvidenceBucket;
  public readonly attachments: EvidenceBucket;
  public readonly emailIntake: JalonFunction;
  /** The raw-mail bucket's object-created notifications, delivered to email-intake. */
  public readonly intakeQueue: sqs.Queue;
  /** Notifications still failing after `EMAIL_INTAKE_MAX_RECEIVES` deliveries. */
  public readonly deadLetterQueue: sqs.Queue;
  public readonly receiptRuleSet: ses.ReceiptRuleSet;
  public readonly receiptRule: ses.ReceiptRule;
  public readonly logBucket: AccessLogBucket;
  /** The SES identities and mail DNS records, when the settings give a hosted zone (`mailDnsZone`). */
  public readonly mailIdentities?: MailIdentities;

  constructor(scope: Construct, id: string, props: EmailIntakeStackProps) {
    super(scope, id, props);
    const { stage, data, ops, workflow, service } = props;
    const retain = retainsData(stage);
    const tables = tablesOf(this, stage, data);
    this.addStackDependency(workflow, 'email intake starts executions of the case-lifecycle state machine');
    const caseLifecycleArn = stateMachineArn(this, workflow.stateMachineName);
    const names = receiptRuleNames(stage);
    const receiptRuleArn = this.formatArn({
      service: 'ses',
      resource: 'receipt-rule-set',
      resourceName: `${names.ruleSet}:receipt-rule/${names.rule}`,
    });

    this.mailKey = new kms.Key(this, 'MailKey', {
      alias: `alias/jalon-${stage}-mail`,
      description: `Jalon ${stage}: encrypts the raw inbound mail and the attachments (personal information).`,
      enableKeyRotation: true,
      removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      pendingWindow: retain ? Duration.days(30) : Duration.days(7),
    });
    // SES writes into the SSE-KMS bucket as itself: S3 asks KMS for a data key (and, for a multipart upload
    // of a large message, to decrypt it) on SES's behalf. Only for this account's intake receipt rule.
    this.mailKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSesToWriteInboundMailForTheIntakeRule',
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account, 'aws:SourceArn': receiptRuleArn },
        },
      }),
    );

    this.logBucket = new AccessLogBucket(this, 'AccessLogs', {
      expireAfter: Duration.days(logRetention(stage)),
      retain,
    });
    const evidence = (prefix: string) => ({
      encryptionKey: this.mailKey,
      archiveAfter: Duration.days(EVIDENCE_ARCHIVE_AFTER_DAYS),
      accessLogsBucket: this.logBucket.bucket,
      accessLogsPrefix: prefix,
      retain,
    });
    this.rawMail = new EvidenceBucket(this, 'RawMail', evidence('raw-mail/'));
    this.attachments = new EvidenceBucket(this, 'Attachments', evidence('attachments/'));

    const sesPut = new iam.PolicyStatement({
      sid: 'AllowSesToDeliverInboundMail',
      principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [this.rawMail.bucket.arnForObjects(`${RAW_MAIL_PREFIX}*`)],
      conditions: { StringEquals: { 'aws:SourceAccount': this.account, 'aws:SourceArn': receiptRuleArn } },
    });
    this.rawMail.bucket.addToResourcePolicy(sesPut);

    this.mailIdentities = addMailIdentities(this, service);

    // SES has one active receipt rule set per account and region, and only the active one receives mail.
    // Activating this one (by hand, step 7 of docs/deploy.md) deactivates whatever set was active in the
    // region: another stage's `jalon-<other>-inbound` or another application's set then stops receiving, with
    // no error anywhere. Hence the name per stage, and never an activation from CloudFormation. Two stages in
    // one account run in separate regions (each with its own active set and inbound endpoint). One shared set
    // holding every stage's rule, each matching its own intake domain, is the other way, but not with these
    // stacks yet: the bucket and key policies above admit SES for this very rule ARN only, in this set.
    this.receiptRuleSet = new ses.ReceiptRuleSet(this, 'InboundRuleSet', {
      receiptRuleSetName: names.ruleSet,
    });
    this.receiptRule = this.receiptRuleSet.addRule('IntakeRule', {
      receiptRuleName: names.rule,
      recipients: [service.intakeMailDomain],
      actions: [new DeliverToEvidenceBucket(this.rawMail.bucket, RAW_MAIL_PREFIX)],
      // Spam and virus verdicts go into the message headers for email-intake to read; nothing is dropped.
      scanEnabled: true,
      // A citizen's server without TLS must not lose a request; the mail is encrypted at rest on arrival.
      tlsPolicy: ses.TlsPolicy.OPTIONAL,
    });
    // SES checks that it may write to the bucket (and use the key) when the rule is created.
    const bucketPolicy = this.rawMail.bucket.policy;
    if (bucketPolicy) this.receiptRule.node.addDependency(bucketPolicy);
    this.receiptRule.node.addDependency(this.mailKey);

    // The messages name the bucket and object key only (never the content); S3 may send to SSE-SQS queues.
    this.deadLetterQueue = new sqs.Queue(this, 'EmailIntakeDeadLetters', {
      queueName: `jalon-${stage}-email-intake-dead-letters`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeFailureQueue(this.deadLetterQueue);
    this.intakeQueue = new sqs.Queue(this, 'EmailIntakeQueue', {
      queueName: `jalon-${stage}-email-intake`,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      visibilityTimeout: EMAIL_INTAKE_VISIBILITY_TIMEOUT,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: EMAIL_INTAKE_MAX_RECEIVES },
    });

    this.emailIntake = new JalonFunction(this, 'EmailIntake', {
      functionName: `jalon-${stage}-email-intake`,
      description: `Jalon ${stage}: registers the requests received by email (SES → S3 → this function).`,
      entry: props.emailIntakeEntry,
      environment: {
        CASES_TABLE_NAME: tables.cases.tableName,
        LEDGER_TABLE_NAME: tables.ledger.tableName,
        CONTROL_TABLE_NAME: tables.control.tableName,
        HOLDING_TABLE_NAME: tables.holding.tableName,
        STATE_MACHINE_ARN: caseLifecycleArn,
        SENDER_ADDRESS: service.senderAddress,
        SES_CONFIGURATION_SET: mailConfigurationSetName(stage),
        RAW_MAIL_BUCKET_NAME: this.rawMail.bucket.bucketName,
        ATTACHMENTS_BUCKET_NAME: this.attachments.bucket.bucketName,
        INTAKE_MAIL_DOMAIN: service.intakeMailDomain,
        POLICY_ID,
      },
      // Parsing a message of up to 40 MB and uploading its attachments.
      memorySize: 1024,
      timeout: EMAIL_INTAKE_TIMEOUT,
      logGroupName: jalonLogGroupName(stage, 'lambda/email-intake'),
      logRetention: logRetention(stage),
      logKey: ops.opsKey,
      retainLogs: retain,
    });
    const emailFunction = this.emailIntake.function;
    // One message per invocation: each received message has the whole timeout, and a failure redelivers it
    // alone (the handler reports failed messages; records already filed are idempotent).
    emailFunction.addEventSource(
      new SqsEventSource(this.intakeQueue, { batchSize: 1, reportBatchItemFailures: true }),
    );
    this.grantEmailIntake(emailFunction, service, stage, caseLifecycleArn);
    const usedTables = [tables.cases, tables.control, tables.holding];
    for (const { table } of usedTables) table.grantReadWriteData(emailFunction);
    grantLedgerAppend(emailFunction, tables.ledger.table);
    acknowledgeTableAccess(this.emailIntake.role, usedTables);
    acknowledgeFunctionTracing(this.emailIntake.role);
    acknowledgeEmailIntakeAccess(this.emailIntake.role, this.rawMail.bucket, this.attachments.bucket);

    this.rawMail.bucket.addEventNotification(
      s3.EventType.OBJECT_CREATED,
      new s3n.SqsDestination(this.intakeQueue),
      { prefix: RAW_MAIL_PREFIX },
    );
    acknowledgeBucketNotificationsHandler(this);

    this.addAlarms(ops);
    this.addQuietMailAlarm(ops, service.quietMailBusinessDays);

    const parameters = mailStorageParameterNames(stage);
    const published = [
      [
        'RawMailBucketNameParameter',
        parameters.rawMailBucketName,
        this.rawMail.bucket.bucketName,
        'raw-mail bucket name',
      ],
      [
        'AttachmentsBucketNameParameter',
        parameters.attachmentsBucketName,
        this.attachments.bucket.bucketName,
        'attachments bucket name',
      ],
      ['MailKeyArnParameter', parameters.mailKeyArn, this.mailKey.keyArn, 'ARN of the mail key'],
    ] as const;
    for (const [id, parameterName, stringValue, what] of published)
      new ssm.StringParameter(this, id, {
        parameterName,
        description: `Jalon ${stage}: ${what}, read by the staff API stack (holding-pen triage).`,
        stringValue,
      });

    new CfnOutput(this, 'InboundRuleSetName', {
      description: 'Activate once: aws ses set-active-receipt-rule-set --rule-set-name <this value>',
      value: this.receiptRuleSet.receiptRuleSetName,
    });
    new CfnOutput(this, 'RawMailBucketName', { value: this.rawMail.bucket.bucketName });
    new CfnOutput(this, 'AttachmentsBucketName', { value: this.attachments.bucket.bucketName });
    new CfnOutput(this, 'EmailIntakeDeadLetterQueueUrl', { value: this.deadLetterQueue.queueUrl });
  }

  /**
   * What email-intake may do besides the tables: read raw mail (never delete or overwrite it), write and
   * re-read attachments (no delete), send the attachment-refused notices as the organization, start the
   * case's workflow. Explicit statements rather than `grantRead`/`grantPut`, whose `s3:GetBucket*`,
   * `s3:List*` and `s3:PutObjectRetention` it does not need.
   */
  private grantEmailIntake(
    fn: iam.IGrantable,
    service: ServiceContext,
    stage: Stage,
    caseLifecycleArn: string,
  ): void {
    const statements = [
      new iam.PolicyStatement({
        sid: 'ReadRawMail',
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [this.rawMail.bucket.arnForObjects(`${RAW_MAIL_PREFIX}*`)],
      }),
      new iam.PolicyStatement({
        sid: 'WriteAttachments',
        // GetObject: a retried event finds the attachments it already stored.
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: [this.attachments.bucket.arnForObjects('*')],
      }),
      new iam.PolicyStatement({
        sid: 'UseMailKey',
        // Decrypt raw mail; data keys for the attachments bucket (SSE-KMS with a bucket key).
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [this.mailKey.keyArn],
      }),
      new iam.PolicyStatement({
        sid: 'SendAsTheOrganization',
        actions: ['ses:SendEmail'],
        resources: [...sesIdentityArns(this, service), mailConfigurationSetArn(this, stage)],
      }),
      new iam.PolicyStatement({
        sid: 'StartCaseWorkflow',
        actions: ['states:StartExecution'],
        resources: [caseLifecycleArn],
      }),
    ];
    for (const statement of statements) fn.grantPrincipal.addToPrincipalPolicy(statement);
  }

  private addAlarms(ops: OpsStack): void {
    const period = Duration.minutes(5);
    ops.alarm(this, 'EmailIntakeFunctionErrors', {
      description:
        'The email-intake Lambda failed or timed out on a received message (the intake queue delivers it ' +
        'again). The raw mail is in the raw-mail bucket.',
      metric: this.emailIntake.function.metricErrors({ period, statistic: 'Sum' }),
    });
    ops.alarm(this, 'EmailIntakeQueueWaiting', {
      threshold: EMAIL_INTAKE_MAX_AGE_ALARM.toSeconds(),
      description:
        `A received email has waited over ${EMAIL_INTAKE_MAX_AGE_ALARM.toMinutes()} minutes on the intake ` +
        'queue: email intake keeps failing on it (its errors are in the function logs) or is not running. ' +
        'The raw mail is in the raw-mail bucket.',
      metric: this.intakeQueue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' }),
    });
    ops.alarm(this, 'EmailIntakeDeadLettersNotEmpty', {
      description:
        `A received email could not be registered after ${EMAIL_INTAKE_MAX_RECEIVES} deliveries: its S3 ` +
        'notification is in the dead-letter queue and no case exists for it. Fix the cause, then move the ' +
        'messages back to the intake queue (SQS "start DLQ redrive").',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
    });
  }

  /**
   * Nothing reached the intake queue for the whole window: the queue counts every received email (SES stores
   * it, S3 notifies the queue), so silence means mail stopped arriving (MX record, receipt rule set no longer
   * active, S3 notification removed) rather than a failing function, which the other alarms catch. A day
   * without a datapoint (SQS stops reporting an idle queue) counts as a day without mail.
   */
  private addQuietMailAlarm(ops: OpsStack, businessDays: number): void {
    const windowDays = quietMailWindowDays(businessDays);
    ops.alarm(this, 'EmailIntakeNoInboundMail', {
      description:
        `No email has been received for ${windowDays} days (at least ${businessDays} business days). Send a ` +
        'test message to the intake address: if no case or holding-pen entry appears, check the MX record, ' +
        "that the receipt rule set is the active one, and the raw-mail bucket's notification to the queue.",
      metric: this.intakeQueue.metricNumberOfMessagesSent({ period: Duration.days(1), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: windowDays,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
  }
}
