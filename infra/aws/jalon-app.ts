import { Tags, Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readDeploymentContext, retainsData, type Stage } from './deployment-context';
import { readServiceContext, type ServiceContext } from './service-context';
import { DataStack } from './stacks/data-stack';
import { OpsStack } from './stacks/ops-stack';
import { StaffApiStack } from './stacks/staff-api-stack';
import { WorkflowStack } from './stacks/workflow-stack';

export interface JalonStacks {
  readonly stage: Stage;
  readonly service: ServiceContext;
  readonly data: DataStack;
  readonly ops: OpsStack;
  readonly workflow: WorkflowStack;
  readonly staffApi: StaffApiStack;
}

/** Tags every Jalon resource and stack carries: cost allocation and access reviews filter on them. */
export function jalonTags(stage: Stage): Readonly<Record<string, string>> {
  return { application: 'jalon', stage };
}

/**
 * Adds every Jalon stack of one stage to `app`, tags everything, and registers the cdk-nag AWS Solutions
 * checks. Separate from `app.ts` so that tests build exactly what `cdk synth` builds.
 *
 * Stacks, in deployment order: `JalonData` (tables, data key) and `JalonOps` (alerts topic, key of the topic
 * and the log groups), then `JalonWorkflow` (case-lifecycle state machine and its task Lambda), then
 * `JalonStaffApi` (staff user pool, HTTP API, staff-api Lambda), which starts the workflow of the cases staff
 * register and so deploys after it.
 *
 * cdk-nag 3 is a policy-validation plugin, not an Aspect: it runs during synthesis, and any finding (error or
 * warning) not acknowledged with `Validations.of(construct).acknowledge({ id, reason })` fails the synth.
 * Acknowledgements are also written into the template metadata (`cdk_nag`) so that an auditor reading the
 * deployed template sees each one with its reason.
 *
 * @throws InvalidDeploymentContextError when the stage, account or region context is invalid, or when a
 *   service setting (sender, staff site, staff directory, sign-in domain) is malformed or, outside dev, missing.
 */
export function addJalonStacks(app: App): JalonStacks {
  const { stage, env } = readDeploymentContext(app.node);
  const service = readServiceContext(app.node, stage);
  const tags = jalonTags(stage);
  // With @aws-cdk/core:explicitStackTags, Tags.of() no longer reaches the stack itself.
  const common = { env, tags };

  const data = new DataStack(app, 'JalonData', {
    ...common,
    stage,
    stackName: `jalon-${stage}-data`,
    description: `Jalon ${stage}: case, ledger and control tables and their KMS key.`,
    // Outside dev the stack cannot be deleted by mistake; its tables and key are retained anyway.
    terminationProtection: retainsData(stage),
  });

  const ops = new OpsStack(app, 'JalonOps', {
    ...common,
    stage,
    ...(service.opsAlertEmail ? { alertEmail: service.opsAlertEmail } : {}),
    stackName: `jalon-${stage}-ops`,
    description: `Jalon ${stage}: ops alerts topic and the key of the topic and log groups.`,
    terminationProtection: retainsData(stage),
  });

  const workflow = new WorkflowStack(app, 'JalonWorkflow', {
    ...common,
    stage,
    data,
    ops,
    service,
    stackName: `jalon-${stage}-workflow`,
    description: `Jalon ${stage}: case-lifecycle state machine, its task Lambda and their alarms.`,
    terminationProtection: retainsData(stage),
  });

  const staffApi = new StaffApiStack(app, 'JalonStaffApi', {
    ...common,
    stage,
    data,
    ops,
    workflow,
    service,
    stackName: `jalon-${stage}-staff-api`,
    description: `Jalon ${stage}: staff user pool, staff HTTP API and its Lambda.`,
    // The user pool holds every staff account.
    terminationProtection: retainsData(stage),
  });

  // In the template too (not only propagated by CloudFormation), so the tests and cdk diff can see them.
  for (const [key, value] of Object.entries(tags)) Tags.of(app).add(key, value);

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));

  return { stage, service, data, ops, workflow, staffApi };
}
