import { Match, Template } from 'aws-cdk-lib/assertions';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';

import { EVIDENCE_DELETE_ACTIONS } from '../../infra/aws/constructs/evidence-bucket';
import { InvalidDeploymentContextError, type Stage } from '../../infra/aws/deployment-context';
import { addJalonStacks } from '../../infra/aws/jalon-app';
import {
  LEDGER_MIRROR_RETENTION_KEY,
  readLedgerMirrorRetentionYears,
} from '../../infra/aws/ledger-mirror-settings';
import {
  asArray,
  flatResources,
  logicalIdOf,
  newApp,
  policyStatements,
  resourcesOfType,
  roleStatements,
  stageContext,
  synthStage,
  SYNTH_TIMEOUT_MS,
} from './synth-helpers';

/** The ledger's WORM mirror (`docs/ledger-mirror.md`): its bucket in the data stack, its stream consumer. */
const STAGES_UNDER_TEST: readonly Stage[] = ['dev', 'prod'];
const mirrorBucketName = (stage: Stage) => `jalon-${stage}-ledger-mirror-<AWS::AccountId>-<AWS::Region>`;

beforeAll(() => {
  for (const stage of STAGES_UNDER_TEST) synthStage(stage);
}, SYNTH_TIMEOUT_MS);

describe.each(STAGES_UNDER_TEST)('ledger mirror bucket, %s stage', (stage) => {
  const template = () => synthStage(stage).dataTemplate;
  const bucketId = () => logicalIdOf(synthStage(stage).stacks.data.ledgerMirror.bucket);
  const bucket = () => resourcesOfType(template(), 'AWS::S3::Bucket')[bucketId()]!;

  it('locks every object in compliance mode for the default ten years, versioned', () => {
    expect(bucket().Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 10 } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    expect(flattenCfnReference(bucket().Properties['BucketName'])).toBe(mirrorBucketName(stage));
  });

  it('is private, SSE-KMS with the data key, logged, with no lifecycle rule, and retained', () => {
    const data = synthStage(stage).stacks.data;
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
              KMSMasterKeyID: { 'Fn::GetAtt': [logicalIdOf(data.dataKey), 'Arn'] },
            },
          },
        ],
      },
      LoggingConfiguration: { LogFilePrefix: 'ledger-mirror/' },
    });
    expect(bucket().Properties['LifecycleConfiguration']).toBeUndefined();
    expect(bucket().DeletionPolicy).toBe('Retain');
  });

  it('denies deleting an object or a version to every principal', () => {
    const policy = Object.values(resourcesOfType(template(), 'AWS::S3::BucketPolicy')).find(
      (candidate) => JSON.stringify(candidate.Properties['Bucket']) === JSON.stringify({ Ref: bucketId() }),
    );
    const deny = policyStatements(policy!).find((statement) => statement.Sid === 'DenyDeletingLedgerMirror');
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
    expect(asArray(deny!.Action).sort()).toEqual([...EVIDENCE_DELETE_ACTIONS].sort());
  });
});

describe('ledger mirror consumer (dev stage)', () => {
  const synth = () => synthStage('dev');
  const consumer = () => synth().stacks.staffApi.ledgerMirror;

  it('runs on the ledger stream: per-item failures, bisect, retries, then its own failure queue', () => {
    const template = synth().staffApiTemplate;
    const fnId = logicalIdOf(consumer().consumer.function);
    const queueId = logicalIdOf(consumer().failureQueue);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fnId },
      EventSourceArn: Match.anyValue(),
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      StartingPosition: 'TRIM_HORIZON',
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'jalon-dev-ledger-mirror-failures',
      SqsManagedSseEnabled: true,
    });
    const fn = resourcesOfType(template, 'AWS::Lambda::Function')[fnId]!.Properties;
    expect(Object.keys((fn['Environment'] as { Variables: object }).Variables).sort()).toEqual(
      ['LEDGER_MIRROR_BUCKET', 'LEDGER_TABLE_NAME', 'NODE_OPTIONS'].sort(),
    );
  });

  it('may read ledger items and read and put mirror objects under its two prefixes, and nothing else of S3', () => {
    const statements = roleStatements(synth().staffApiTemplate, logicalIdOf(consumer().consumer.role));
    const s3 = statements.filter((statement) => asArray(statement.Action).some((a) => a.startsWith('s3:')));
    expect(s3).toHaveLength(1);
    expect(asArray(s3[0]!.Action).sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    const objects = flatResources(s3[0]!).map((resource) => flattenCfnReference(resource).split(':::')[1]);
    expect(objects.sort()).toEqual([
      `${mirrorBucketName('dev')}/ledger-conflicts/v1/*`,
      `${mirrorBucketName('dev')}/ledger/v1/*`,
    ]);
    const actions = statements.flatMap((statement) => asArray(statement.Action));
    expect(actions.filter((a) => /Delete|Retention|LegalHold|BypassGovernance/.test(a))).toEqual([]);
    // The table's items (read only) and its stream, which the event source mapping reads.
    expect(actions.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual([
      'dynamodb:DescribeStream',
      'dynamodb:GetItem',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
      'dynamodb:Query',
    ]);
  });

  it('alarms ops on batches it could not mirror and on a tampered item', () => {
    const template = synth().staffApiTemplate;
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(consumer().failureQueue), 'QueueName'] } },
      ],
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Jalon',
      MetricName: 'LedgerMirrorEvents',
      Dimensions: Match.arrayWith([
        { Name: 'outcome', Value: 'tampered' },
        { Name: 'service', Value: 'ledger-mirror' },
      ]),
      Statistic: 'Sum',
      Threshold: 1,
      AlarmActions: Match.anyValue(),
    });
  });
});

describe('ledger mirror retention setting', () => {
  it(
    'reaches the bucket from the stage block or the command line',
    () => {
      const app = newApp({ ...stageContext('test'), [LEDGER_MIRROR_RETENTION_KEY]: '3' });
      const template = Template.fromStack(addJalonStacks(app).data);
      template.hasResourceProperties('AWS::S3::Bucket', {
        ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Years: 3 } } },
      });
    },
    SYNTH_TIMEOUT_MS,
  );

  it.each([['0'], ['2.5'], ['forever'], [-1], [101]])('rejects %p years, naming the key', (value) => {
    const app = newApp({ [LEDGER_MIRROR_RETENTION_KEY]: value });
    expect(() => readLedgerMirrorRetentionYears(app.node, 'test')).toThrow(InvalidDeploymentContextError);
    expect(() => readLedgerMirrorRetentionYears(app.node, 'test')).toThrow(
      `'${LEDGER_MIRROR_RETENTION_KEY}'`,
    );
  });
});
