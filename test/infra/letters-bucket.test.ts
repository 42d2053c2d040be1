import type { Template } from 'aws-cdk-lib/assertions';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import { EVIDENCE_DELETE_ACTIONS } from '../../infra/aws/constructs/evidence-bucket';
import type { JalonFunction } from '../../infra/aws/constructs/jalon-function';
import type { Stage } from '../../infra/aws/deployment-context';
import { PDF_RENDERER_PACKAGE } from '../../shared/adapters/pdf/pdfkit-letter-renderer';
import {
  asArray,
  logicalIdOf,
  policyStatements,
  resourcesOfType,
  roleStatements,
  synthStage,
  SYNTH_TIMEOUT_MS,
  type PolicyStatementJson,
} from './synth-helpers';

/**
 * The letters bucket (`docs/letters.md`, "Where it runs"): its own bucket in the data stack, encrypted with
 * the data key, and the two functions that use it (the workflow tasks write letters, the staff API writes
 * and serves them), each with exactly the grants its letter store needs.
 */
const STAGES_UNDER_TEST: readonly Stage[] = ['dev', 'prod'];
const ARN_PREFIX = 'arn:<AWS::Partition>:';

beforeAll(() => {
  for (const stage of STAGES_UNDER_TEST) synthStage(stage);
}, SYNTH_TIMEOUT_MS);

/** The bucket's name as cdk-nag flattens it (account and region are the deploying stack's). */
const lettersBucketName = (stage: Stage) => `jalon-${stage}-letters-<AWS::AccountId>-<AWS::Region>`;
const letterObjects = (stage: Stage) => `${ARN_PREFIX}s3:::${lettersBucketName(stage)}/letters/*`;

describe.each(STAGES_UNDER_TEST)('letters bucket, %s stage', (stage) => {
  const data = () => synthStage(stage).stacks.data;
  const template = () => synthStage(stage).dataTemplate;
  const bucketId = () => logicalIdOf(data().letters.bucket);
  const bucket = () => resourcesOfType(template(), 'AWS::S3::Bucket')[bucketId()]!;
  const bucketPolicy = (): PolicyStatementJson[] => {
    const policy = Object.values(resourcesOfType(template(), 'AWS::S3::BucketPolicy')).find(
      (candidate) => JSON.stringify(candidate.Properties['Bucket']) === JSON.stringify({ Ref: bucketId() }),
    );
    expect(policy).toBeDefined();
    return policyStatements(policy!);
  };

  it('is in the data stack, under the name the functions find it by', () => {
    expect(flattenCfnReference(bucket().Properties['BucketName'])).toBe(lettersBucketName(stage));
  });

  it('is private, SSE-KMS with the data key (bucket key), versioned', () => {
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
              KMSMasterKeyID: { 'Fn::GetAtt': [logicalIdOf(data().dataKey), 'Arn'] },
            },
          },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  it('refuses requests without TLS, and deleting any letter or version to everyone', () => {
    expect(bucketPolicy()).toEqual(
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

  it('keeps letters readable: no transition to Glacier, no expiration', () => {
    const rules = (bucket().Properties['LifecycleConfiguration'] as { Rules: unknown[] } | undefined)?.Rules;
    expect(JSON.stringify(rules ?? [])).not.toMatch(/Transition|Expiration/);
  });

  it('writes server access logs to a log bucket of the data stack', () => {
    expect(bucket().Properties['LoggingConfiguration']).toMatchObject({
      DestinationBucketName: { Ref: logicalIdOf(data().logBucket.bucket) },
    });
  });

  it(`is ${stage === 'dev' ? 'deleted' : 'retained'} with the stack, as is its access log bucket`, () => {
    const expected = stage === 'dev' ? 'Delete' : 'Retain';
    expect(bucket().DeletionPolicy).toBe(expected);
    expect(bucket().UpdateReplacePolicy).toBe(expected);
    const logs = resourcesOfType(template(), 'AWS::S3::Bucket')[logicalIdOf(data().logBucket.bucket)]!;
    expect(logs.DeletionPolicy).toBe(expected);
  });
});

/** The role statements of a function that name the letters bucket, and those that use the data key via S3. */
function letterGrants(template: Template, fn: JalonFunction, stage: Stage) {
  const statements = roleStatements(template, logicalIdOf(fn.role));
  const naming = statements
    .filter((statement) =>
      asArray(statement.Resource).some((r) => flattenCfnReference(r).includes('letters')),
    )
    .map((statement) => ({
      actions: asArray(statement.Action).sort(),
      resources: asArray(statement.Resource).map((r) => flattenCfnReference(r)),
    }));
  const s3Actions = statements
    .flatMap((statement) => asArray(statement.Action))
    .filter((a) => a.startsWith('s3:'));
  const viaS3 = statements.filter((statement) =>
    JSON.stringify(statement.Condition ?? {}).includes('kms:ViaService'),
  );
  const environment = (
    resourcesOfType(template, 'AWS::Lambda::Function')[logicalIdOf(fn.function)]!.Properties[
      'Environment'
    ] as {
      Variables: Record<string, unknown>;
    }
  ).Variables;
  return { naming, s3Actions, viaS3, environment, expectedObjects: letterObjects(stage) };
}

/** The data key as a consumer stack references it (a cross-stack output of the data stack). */
function isDataKey(stage: Stage, resource: unknown): boolean {
  const { data } = synthStage(stage).stacks;
  const reference = (resource as { 'Fn::GetStackOutput'?: { StackName?: string } })['Fn::GetStackOutput'];
  return reference?.StackName === data.stackName;
}

describe.each(STAGES_UNDER_TEST)('letter access of the functions, %s stage', (stage) => {
  describe('workflow tasks (prepare letters: write only)', () => {
    const grants = () => {
      const synth = synthStage(stage);
      return letterGrants(synth.workflowTemplate, synth.stacks.workflow.workflowTasks, stage);
    };

    it('names the letters bucket in LETTERS_BUCKET_NAME', () => {
      expect(flattenCfnReference(grants().environment['LETTERS_BUCKET_NAME'])).toBe(lettersBucketName(stage));
    });

    it('may put objects under letters/ and nothing else in S3 (no read, no delete, no list)', () => {
      expect(grants().naming).toEqual([{ actions: ['s3:PutObject'], resources: [grants().expectedObjects] }]);
      expect(grants().s3Actions).toEqual(['s3:PutObject']);
    });

    it('may make data keys with the data key, through S3 only', () => {
      const [statement, ...others] = grants().viaS3;
      expect(others).toEqual([]);
      expect(asArray(statement!.Action)).toEqual(['kms:GenerateDataKey']);
      expect(asArray(statement!.Resource).every((resource) => isDataKey(stage, resource))).toBe(true);
      expect(flattenCfnReference(statement!.Condition?.['StringEquals']?.['kms:ViaService'])).toBe(
        's3.<AWS::Region>.amazonaws.com',
      );
    });

    it('ships the PDF renderer beside its bundle', () => {
      expect(synthStage(stage).stacks.workflow.workflowTasks.copiedModules).toEqual([PDF_RENDERER_PACKAGE]);
    });

    it('deploys after the data stack', () => {
      const { stacks } = synthStage(stage);
      expect(stacks.workflow.dependencies).toContain(stacks.data);
    });
  });

  describe('staff API (prepare and serve letters: read and write)', () => {
    const grants = () => {
      const synth = synthStage(stage);
      return letterGrants(synth.staffApiTemplate, synth.stacks.staffApi.staffApiFunction, stage);
    };

    it('names the letters bucket in LETTERS_BUCKET_NAME', () => {
      expect(flattenCfnReference(grants().environment['LETTERS_BUCKET_NAME'])).toBe(lettersBucketName(stage));
    });

    it('may get and put objects under letters/ only, never delete or list them', () => {
      expect(grants().naming).toEqual([
        { actions: ['s3:GetObject', 's3:PutObject'], resources: [grants().expectedObjects] },
      ]);
      expect(
        grants().s3Actions.filter((action) => !['s3:GetObject', 's3:PutObject'].includes(action)),
      ).toEqual([]);
    });

    it('may decrypt and make data keys with the data key, through S3 only', () => {
      const [statement, ...others] = grants().viaS3;
      expect(others).toEqual([]);
      expect(asArray(statement!.Action).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
      expect(asArray(statement!.Resource).every((resource) => isDataKey(stage, resource))).toBe(true);
      expect(flattenCfnReference(statement!.Condition?.['StringEquals']?.['kms:ViaService'])).toBe(
        's3.<AWS::Region>.amazonaws.com',
      );
    });

    it('ships the PDF renderer beside its bundle', () => {
      expect(synthStage(stage).stacks.staffApi.staffApiFunction.copiedModules).toEqual([
        PDF_RENDERER_PACKAGE,
      ]);
    });
  });
});
