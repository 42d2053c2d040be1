import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { Stage } from '../../infra/aws/deployment-context';
import { EVIDENCE_DELETE_ACTIONS } from '../../infra/aws/constructs/evidence-bucket';
import { EMAIL_INTAKE_MAX_RECEIVES } from '../../functions/email-intake/queue';
import {
  EMAIL_INTAKE_VISIBILITY_TIMEOUT,
  EVIDENCE_ARCHIVE_AFTER_DAYS,
  RAW_MAIL_PREFIX,
  receiptRuleNames,
} from '../../infra/aws/stacks/email-intake-stack';
import {
  asArray,
  expectOpsAlertsTopic,
  flatResources,
  logicalIdOf,
  onlyResource,
  policyStatements,
  resourcesOfType,
  roleStatements,
  synthStage,
  SYNTH_TIMEOUT_MS,
  type PolicyStatementJson,
} from './synth-helpers';

const STAGES_UNDER_TEST: readonly Stage[] = ['dev', 'prod'];
const ARN_PREFIX = 'arn:<AWS::Partition>:';
const ACCOUNT_REGION = '<AWS::Region>:<AWS::AccountId>';

beforeAll(() => {
  for (const stage of STAGES_UNDER_TEST) synthStage(stage);
}, SYNTH_TIMEOUT_MS);

function ids(stage: Stage) {
  const { emailIntake } = synthStage(stage).stacks;
  return {
    rawBucket: logicalIdOf(emailIntake.rawMail.bucket),
    attachmentsBucket: logicalIdOf(emailIntake.attachments.bucket),
    mailKey: logicalIdOf(emailIntake.mailKey),
    fn: logicalIdOf(emailIntake.emailIntake.function),
    role: logicalIdOf(emailIntake.emailIntake.role),
    queue: logicalIdOf(emailIntake.intakeQueue),
    deadLetters: logicalIdOf(emailIntake.deadLetterQueue),
  };
}

function bucketPolicy(stage: Stage, bucketId: string): PolicyStatementJson[] {
  const template = synthStage(stage).emailIntakeTemplate;
  const policy = Object.values(resourcesOfType(template, 'AWS::S3::BucketPolicy')).find(
    (candidate) => JSON.stringify(candidate.Properties['Bucket']) === JSON.stringify({ Ref: bucketId }),
  );
  expect(policy).toBeDefined();
  return policyStatements(policy!);
}

/** Does a statement's resource name this bucket (its ARN or objects)? */
function touchesBucket(statement: PolicyStatementJson, bucketId: string): boolean {
  return flatResources(statement).some((resource) => resource.startsWith(`<${bucketId}.Arn>`));
}

describe.each(STAGES_UNDER_TEST)('email intake stack, %s stage', (stage) => {
  const template = () => synthStage(stage).emailIntakeTemplate;
  const ruleArn = () => {
    const names = receiptRuleNames(stage);
    return `${ARN_PREFIX}ses:${ACCOUNT_REGION}:receipt-rule-set/${names.ruleSet}:receipt-rule/${names.rule}`;
  };

  describe('SES receipt rule', () => {
    it('delivers all mail for the intake domain into the raw-mail bucket, under inbound/', () => {
      const { service } = synthStage(stage).stacks;
      const [, ruleSet] = onlyResource(template(), 'AWS::SES::ReceiptRuleSet');
      expect(ruleSet.Properties['RuleSetName']).toBe(receiptRuleNames(stage).ruleSet);
      const [, rule] = onlyResource(template(), 'AWS::SES::ReceiptRule');
      expect(rule.Properties['Rule']).toEqual({
        Name: receiptRuleNames(stage).rule,
        Enabled: true,
        Recipients: [service.intakeMailDomain],
        ScanEnabled: true,
        TlsPolicy: 'Optional',
        Actions: [
          { S3Action: { BucketName: { Ref: ids(stage).rawBucket }, ObjectKeyPrefix: RAW_MAIL_PREFIX } },
        ],
      });
    });

    it('is created after SES may write to the bucket (bucket policy) and use the key', () => {
      const [, rule] = onlyResource(template(), 'AWS::SES::ReceiptRule');
      const [policyId] = Object.entries(resourcesOfType(template(), 'AWS::S3::BucketPolicy')).find(
        ([, policy]) =>
          JSON.stringify(policy.Properties['Bucket']) === JSON.stringify({ Ref: ids(stage).rawBucket }),
      )!;
      expect(rule.DependsOn).toEqual(expect.arrayContaining([policyId, ids(stage).mailKey]));
    });

    it('lets SES put objects under inbound/ for this receipt rule of this account only', () => {
      const ses = bucketPolicy(stage, ids(stage).rawBucket).filter(
        (statement) => JSON.stringify(statement.Principal) === '{"Service":"ses.amazonaws.com"}',
      );
      expect(ses).toHaveLength(1);
      expect(ses[0]?.Action).toBe('s3:PutObject');
      expect(flatResources(ses[0]!)).toEqual([`<${ids(stage).rawBucket}.Arn>/${RAW_MAIL_PREFIX}*`]);
      const conditions = ses[0]?.Condition?.['StringEquals'] ?? {};
      expect(flattenCfnReference(conditions['aws:SourceAccount'])).toBe('<AWS::AccountId>');
      expect(flattenCfnReference(conditions['aws:SourceArn'])).toBe(ruleArn());
    });

    it('lets SES use the mail key for that rule only (SSE-KMS writes on its behalf)', () => {
      const [, key] = onlyResource(template(), 'AWS::KMS::Key');
      expect(key.Properties['EnableKeyRotation']).toBe(true);
      const statements = policyStatements(key, 'KeyPolicy').filter(
        (statement) => JSON.stringify(statement.Principal) === '{"Service":"ses.amazonaws.com"}',
      );
      expect(statements).toHaveLength(1);
      expect(asArray(statements[0]!.Action).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
      expect(flattenCfnReference(statements[0]?.Condition?.['StringEquals']?.['aws:SourceArn'])).toBe(
        ruleArn(),
      );
    });
  });

  describe.each([
    ['raw-mail', 'rawBucket'],
    ['attachments', 'attachmentsBucket'],
  ] as const)('%s bucket', (_name, which) => {
    const bucket = () => resourcesOfType(template(), 'AWS::S3::Bucket')[ids(stage)[which]]!;

    it('is private, KMS-encrypted with the mail key, versioned, Object Lock enabled without a default retention', () => {
      expect(bucket().Properties).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [ids(stage).mailKey, 'Arn'] },
              },
            },
          ],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        ObjectLockEnabled: true,
      });
      // SES refuses to write to a bucket whose Object Lock has a default retention.
      expect(bucket().Properties['ObjectLockConfiguration']).toBeUndefined();
    });

    it(`archives every version to Glacier Instant Retrieval (still readable at once) after ${EVIDENCE_ARCHIVE_AFTER_DAYS} days and never expires it`, () => {
      const rules = (bucket().Properties['LifecycleConfiguration'] as { Rules: Record<string, unknown>[] })
        .Rules;
      expect(rules).toHaveLength(1);
      expect(rules[0]).toMatchObject({
        Status: 'Enabled',
        Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: EVIDENCE_ARCHIVE_AFTER_DAYS }],
        NoncurrentVersionTransitions: [
          { StorageClass: 'GLACIER_IR', TransitionInDays: EVIDENCE_ARCHIVE_AFTER_DAYS },
        ],
      });
      // No class GetObject cannot read without a restore (Flexible Retrieval, Deep Archive).
      expect(JSON.stringify(rules)).not.toMatch(/"(GLACIER|DEEP_ARCHIVE)"/);
      expect(JSON.stringify(rules)).not.toMatch(/Expiration/);
    });

    it('refuses requests without TLS, and deleting any object or version to everyone', () => {
      const statements = bucketPolicy(stage, ids(stage)[which]);
      expect(statements).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          expect.objectContaining({
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: [...EVIDENCE_DELETE_ACTIONS],
          }),
        ]),
      );
    });

    it(`is ${stage === 'dev' ? 'deleted' : 'retained'} with the stack`, () => {
      expect(bucket().DeletionPolicy).toBe(stage === 'dev' ? 'Delete' : 'Retain');
    });

    it('writes server access logs to the log bucket', () => {
      const { emailIntake } = synthStage(stage).stacks;
      expect(bucket().Properties['LoggingConfiguration']).toMatchObject({
        DestinationBucketName: { Ref: logicalIdOf(emailIntake.logBucket.bucket) },
      });
    });
  });

  describe('email-intake Lambda', () => {
    const statements = () => roleStatements(template(), ids(stage).role);

    it('is fed by the intake queue, which the raw-mail bucket notifies of each object created under inbound/', () => {
      const [, notifications] = onlyResource(template(), 'Custom::S3BucketNotifications');
      expect(notifications.Properties['BucketName']).toEqual({ Ref: ids(stage).rawBucket });
      expect(notifications.Properties['NotificationConfiguration']).toEqual({
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: RAW_MAIL_PREFIX }] } },
            QueueArn: { 'Fn::GetAtt': [ids(stage).queue, 'Arn'] },
          },
        ],
      });
      expect(resourcesOfType(template(), 'AWS::Lambda::Permission')).toEqual({});
      expect(resourcesOfType(template(), 'AWS::Lambda::EventInvokeConfig')).toEqual({});
      const [, mapping] = onlyResource(template(), 'AWS::Lambda::EventSourceMapping');
      expect(mapping.Properties).toMatchObject({
        FunctionName: { Ref: ids(stage).fn },
        EventSourceArn: { 'Fn::GetAtt': [ids(stage).queue, 'Arn'] },
        BatchSize: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      // Only S3, from this bucket, may send to the intake queue.
      const queuePolicy = Object.values(resourcesOfType(template(), 'AWS::SQS::QueuePolicy')).find((policy) =>
        JSON.stringify(policy.Properties['Queues']).includes(ids(stage).queue),
      );
      const sends = policyStatements(queuePolicy!).filter(
        (statement) => statement.Effect === 'Allow' && asArray(statement.Action).includes('sqs:SendMessage'),
      );
      expect(sends).toHaveLength(1);
      expect(sends[0]!.Principal).toEqual({ Service: 's3.amazonaws.com' });
      expect(JSON.stringify(sends[0]!.Condition)).toContain(ids(stage).rawBucket);
    });

    it(`delivers a failing notification ${EMAIL_INTAKE_MAX_RECEIVES} times, then moves it to the dead-letter queue`, () => {
      const queues = resourcesOfType(template(), 'AWS::SQS::Queue');
      expect(Object.keys(queues).sort()).toEqual([ids(stage).deadLetters, ids(stage).queue].sort());
      expect(queues[ids(stage).queue]!.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 1_209_600,
        VisibilityTimeout: EMAIL_INTAKE_VISIBILITY_TIMEOUT.toSeconds(),
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [ids(stage).deadLetters, 'Arn'] },
          maxReceiveCount: EMAIL_INTAKE_MAX_RECEIVES,
        },
      });
      const fn = resourcesOfType(template(), 'AWS::Lambda::Function')[ids(stage).fn]!;
      // AWS advises a visibility timeout of six times the function's timeout for an SQS event source.
      expect(EMAIL_INTAKE_VISIBILITY_TIMEOUT.toSeconds()).toBeGreaterThanOrEqual(
        6 * Number(fn.Properties['Timeout']),
      );
      expect(queues[ids(stage).deadLetters]!.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 1_209_600,
      });
      const consumes = statements().filter((s) => asArray(s.Action).includes('sqs:ReceiveMessage'));
      expect(consumes.flatMap((s) => flatResources(s))).toEqual([`<${ids(stage).queue}.Arn>`]);
      expect(statements().some((s) => asArray(s.Action).includes('sqs:SendMessage'))).toBe(false);
    });

    it('reads raw mail and writes attachments, and no role of the stack may delete or overwrite raw mail', () => {
      const { rawBucket, attachmentsBucket } = ids(stage);
      const s3Statements = statements().filter((s) => asArray(s.Action).some((a) => a.startsWith('s3:')));
      expect(
        s3Statements.map((s) => ({ actions: asArray(s.Action).sort(), resources: flatResources(s) })),
      ).toEqual([
        {
          actions: ['s3:GetObject', 's3:GetObjectVersion'],
          resources: [`<${rawBucket}.Arn>/${RAW_MAIL_PREFIX}*`],
        },
        { actions: ['s3:GetObject', 's3:PutObject'], resources: [`<${attachmentsBucket}.Arn>/*`] },
      ]);
      const everyRoleStatement = Object.values(resourcesOfType(template(), 'AWS::IAM::Policy')).flatMap(
        (policy) => policyStatements(policy),
      );
      const onRawBucket = everyRoleStatement.filter(
        (s) => touchesBucket(s, rawBucket) || flatResources(s).includes('*'),
      );
      for (const statement of onRawBucket) {
        for (const action of asArray(statement.Action)) {
          expect(action).not.toMatch(
            /^s3:(Delete|PutObject$|PutLifecycle|PutBucketPolicy|DeleteBucketPolicy|\*)/,
          );
        }
      }
    });

    it('uses the mail key for its buckets, sends as the organization and starts the case workflow only', () => {
      const { service } = synthStage(stage).stacks;
      const byAction = (prefix: string) =>
        statements().filter((s) => asArray(s.Action).some((a) => a.startsWith(prefix)));
      const mailKeyStatement = byAction('kms:').find((s) =>
        flatResources(s).includes(`<${ids(stage).mailKey}.Arn>`),
      );
      expect(asArray(mailKeyStatement?.Action ?? []).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
      expect(byAction('ses:').flatMap(flatResources).sort()).toEqual(
        [
          ...[service.senderDomain, service.senderAddress].map(
            (identity) => `${ARN_PREFIX}ses:${ACCOUNT_REGION}:identity/${identity}`,
          ),
          `${ARN_PREFIX}ses:${ACCOUNT_REGION}:configuration-set/jalon-${stage}-mail`,
        ].sort(),
      );
      expect(byAction('states:').flatMap((s) => asArray(s.Action))).toEqual(['states:StartExecution']);
      expect(byAction('states:').flatMap(flatResources)).toEqual([
        `${ARN_PREFIX}states:${ACCOUNT_REGION}:stateMachine:jalon-${stage}-case-lifecycle`,
      ]);
    });

    it('knows its buckets and the intake domain from its environment', () => {
      const { service } = synthStage(stage).stacks;
      const fn = resourcesOfType(template(), 'AWS::Lambda::Function')[ids(stage).fn]!;
      const variables = (fn.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
      expect(variables).toMatchObject({
        RAW_MAIL_BUCKET_NAME: { Ref: ids(stage).rawBucket },
        ATTACHMENTS_BUCKET_NAME: { Ref: ids(stage).attachmentsBucket },
        INTAKE_MAIL_DOMAIN: service.intakeMailDomain,
        SENDER_ADDRESS: service.senderAddress,
      });
    });
  });

  it('raises email-intake errors, mail waiting on the intake queue, dead letters and no inbound mail to the ops alerts topic', () => {
    const synth = synthStage(stage);
    const alarms = Object.values(resourcesOfType(template(), 'AWS::CloudWatch::Alarm'));
    const watched = (alarm: (typeof alarms)[number]) =>
      `${String(alarm.Properties['Namespace'])}/${String(alarm.Properties['MetricName'])} ` +
      `${JSON.stringify(alarm.Properties['Dimensions'])}`;
    expect(alarms.map(watched).sort()).toEqual(
      [
        `AWS/Lambda/Errors ${JSON.stringify([{ Name: 'FunctionName', Value: { Ref: ids(stage).fn } }])}`,
        `AWS/SQS/ApproximateAgeOfOldestMessage ${JSON.stringify([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [ids(stage).queue, 'QueueName'] } }])}`,
        `AWS/SQS/ApproximateNumberOfMessagesVisible ${JSON.stringify([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [ids(stage).deadLetters, 'QueueName'] } }])}`,
        `AWS/SQS/NumberOfMessagesSent ${JSON.stringify([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [ids(stage).queue, 'QueueName'] } }])}`,
      ].sort(),
    );
    for (const alarm of alarms)
      expectOpsAlertsTopic(synth, (alarm.Properties['AlarmActions'] as unknown[])[0]);
  });
});
