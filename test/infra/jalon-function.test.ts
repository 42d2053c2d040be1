import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { App, Duration, Stack, type CfnElement } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { JalonFunction } from '../../infra/aws/constructs/jalon-function';
import { cdkJsonContext } from './synth-helpers';

/**
 * The other infra tests skip bundling; this one bundles a real entry the way `npx cdk synth` does: with the
 * local esbuild (no Docker), minified, with a source map, the AWS SDK left to the runtime.
 */
describe('JalonFunction bundling', () => {
  let assetDir: string;

  beforeAll(() => {
    const app = new App({ context: cdkJsonContext(), builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'BundlingTest');
    const fn = new JalonFunction(stack, 'WorkflowTasks', {
      functionName: 'bundling-test',
      description: 'bundling test',
      entry: path.join(__dirname, '..', '..', 'functions', 'workflow-tasks', 'index.ts'),
      environment: {},
      memorySize: 256,
      timeout: Duration.seconds(10),
      logGroupName: '/jalon/dev/lambda/bundling-test',
      logRetention: logs.RetentionDays.ONE_DAY,
      logKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
      retainLogs: false,
    });
    const assembly = app.synth();
    const template = assembly.getStackArtifact(stack.artifactId).template as {
      Resources: Record<string, { Properties: { Code?: { S3Key?: string } } }>;
    };
    const functionId = stack.getLogicalId(fn.function.node.defaultChild as CfnElement);
    const s3Key = template.Resources[functionId]?.Properties.Code?.S3Key ?? '';
    assetDir = path.join(assembly.directory, `asset.${s3Key.replace(/\.zip$/, '')}`);
  }, 60_000);

  it('produces a minified bundle with its source map', () => {
    const bundle = readFileSync(path.join(assetDir, 'index.js'), 'utf8');
    expect(existsSync(path.join(assetDir, 'index.js.map'))).toBe(true);
    expect(bundle).toMatch(/\/\/# sourceMappingURL=index\.js\.map\s*$/);
    // Minified: long lines (a readable bundle averages well under 50 characters a line).
    expect(bundle.length / bundle.split('\n').length).toBeGreaterThan(200);
  });

  it('leaves the AWS SDK v3 to the Lambda runtime', () => {
    const bundle = readFileSync(path.join(assetDir, 'index.js'), 'utf8');
    expect(bundle).toContain('require("@aws-sdk/client-dynamodb")');
    expect(bundle).not.toContain('DynamoDBServiceException');
    expect(statSync(path.join(assetDir, 'index.js')).size).toBeLessThan(1_500_000);
  });
});
