import { Validations, type App, type PolicyViolation } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Source } from 'aws-cdk-lib/aws-s3-deployment';
import { AwsSolutionsChecks } from 'cdk-nag';
import { STAGES } from '../../infra/aws/deployment-context';
import { addJalonStacks } from '../../infra/aws/jalon-app';
import type { DataStack } from '../../infra/aws/stacks/data-stack';
import { newApp, synthStage, SYNTH_TIMEOUT_MS } from './synth-helpers';

/** One line per finding, so a failure names the rule and the construct to fix. */
function describeViolations(violations: readonly PolicyViolation[]): string[] {
  return violations.flatMap((violation) =>
    violation.violatingResources.map(
      (resource) => `${violation.severity} ${violation.ruleName} at ${resource.constructPath ?? '?'}`,
    ),
  );
}

describe.each(STAGES)('cdk-nag AwsSolutions, %s stage', (stage) => {
  // With CDK's built-in CloudFormation validation on, as in `cdk synth`: the synth itself fails on a finding.
  const synth = () => synthStage(stage, { cloudFormationValidation: true });
  beforeAll(synth, SYNTH_TIMEOUT_MS);

  it('finds nothing unacknowledged in the synthesized app', () => {
    // Synthesized first, so aspects (tags, acknowledgement metadata) are applied as in `cdk synth`.
    const { app } = synth();
    const report = new AwsSolutionsChecks().validateScope(app);
    // Warnings fail `cdk synth` as well as errors, so neither may remain.
    expect(describeViolations(report.violations)).toEqual([]);
    expect(report.success).toBe(true);
  });
});

describe('cdk-nag AwsSolutions, with and without citizen site content', () => {
  it.each([
    ['no site content (no BucketDeployment)', []],
    ['site content (BucketDeployment)', [Source.data('index.html', '<!doctype html><title>Jalon</title>')]],
  ])('finds nothing unacknowledged with %s', (_case, citizenSite) => {
    const { app } = synthStage('prod', {}, { citizenSite });
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(describeViolations(report.violations)).toEqual([]);
  });
});

describe('cdk-nag wiring in the app', () => {
  /** The real app plus one resource AwsSolutions-KMS5 must flag (an error-level rule). */
  function appWithUnrotatedKey(): { app: App; data: DataStack; key: kms.Key } {
    const app = newApp({ stage: 'dev' });
    const { data } = addJalonStacks(app);
    const key = new kms.Key(data, 'UnrotatedKey', { enableKeyRotation: false });
    return { app, data, key };
  }

  it('reports an unacknowledged error finding, and the synth fails on it', () => {
    const { app } = appWithUnrotatedKey();
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(describeViolations(report.violations)).toEqual([
      'error AwsSolutions-KMS5 at JalonData/UnrotatedKey/Resource',
    ]);
    expect(() => app.synth()).toThrow(/AwsSolutions-KMS5/);
  });

  it('lets an acknowledged finding through and records its reason in the template', () => {
    const { data, key } = appWithUnrotatedKey();
    const reason = 'Test fixture: proves acknowledgements are honoured.';
    Validations.of(key).acknowledge({ id: 'AwsSolutions-KMS5', reason });
    // Template.fromStack synthesizes, so it would throw if the acknowledgement were ignored.
    Template.fromStack(data).hasResource('AWS::KMS::Key', {
      Metadata: { cdk_nag: { rules_to_suppress: [{ id: 'AwsSolutions-KMS5', reason }] } },
    });
  });
});
