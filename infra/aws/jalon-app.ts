import { Tags, Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readDeploymentContext, retainsData, type Stage } from './deployment-context';
import { DataStack } from './stacks/data-stack';

export interface JalonStacks {
  readonly stage: Stage;
  readonly data: DataStack;
}

/** Tags every Jalon resource and stack carries: cost allocation and access reviews filter on them. */
export function jalonTags(stage: Stage): Readonly<Record<string, string>> {
  return { application: 'jalon', stage };
}

/**
 * Adds every Jalon stack of one stage to `app`, tags everything, and registers the cdk-nag AWS Solutions
 * checks. Separate from `app.ts` so that tests build exactly what `cdk synth` builds.
 *
 * cdk-nag 3 is a policy-validation plugin, not an Aspect: it runs during synthesis, and any finding (error or
 * warning) not acknowledged with `Validations.of(construct).acknowledge({ id, reason })` fails the synth.
 * Acknowledgements are also written into the template metadata (`cdk_nag`) so that an auditor reading the
 * deployed template sees each one with its reason.
 *
 * @throws InvalidDeploymentContextError when the stage, account or region context is invalid.
 */
export function addJalonStacks(app: App): JalonStacks {
  const { stage, env } = readDeploymentContext(app.node);
  const tags = jalonTags(stage);

  const data = new DataStack(app, 'JalonData', {
    stage,
    env,
    stackName: `jalon-${stage}-data`,
    description: `Jalon ${stage}: case, ledger and control tables and their KMS key.`,
    // Outside dev the stack cannot be deleted by mistake; its tables and key are retained anyway.
    terminationProtection: retainsData(stage),
    // With @aws-cdk/core:explicitStackTags, Tags.of() no longer reaches the stack itself.
    tags,
  });

  // In the template too (not only propagated by CloudFormation), so the tests and cdk diff can see them.
  for (const [key, value] of Object.entries(tags)) Tags.of(app).add(key, value);

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));

  return { stage, data };
}
