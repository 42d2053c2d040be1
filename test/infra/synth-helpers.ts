import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { IConstruct } from 'constructs';
import type { Stage } from '../../infra/aws/deployment-context';
import { addJalonStacks, type JalonAppSources, type JalonStacks } from '../../infra/aws/jalon-app';
import { stageBlockKey } from '../../infra/aws/service-context';

/**
 * The context `cdk synth` gives the app: cdk.json's feature flags, plus what the CLI adds itself. Tests that
 * skipped these would check a template `cdk synth` never produces.
 */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return { ...cdkJson.context };
}

/**
 * The documented CDK switch that skips asset bundling for every stack (`cdk synth --exclusively` sets it for
 * the stacks it leaves out): the templates are identical except for the asset hashes, and the tests do not
 * pay for esbuild on every synth. `jalon-function.test.ts` bundles for real once.
 */
export const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] } as const;

/** The organization settings a test or prod synth needs (see `service-context.ts`), as a `jalon:<stage>` block. */
export function serviceSettingsFixture(stage: Stage): Record<string, unknown> {
  return {
    senderAddress: 'avis@sct.example.gouv.qc.ca',
    staffBaseUrl: `https://jalon-${stage}.sct.example.gouv.qc.ca/`,
    authDomainPrefix: `jalon-sct-${stage}`,
    intakeMailDomain: `demandes-${stage}.sct.example.gouv.qc.ca`,
    opsAlertEmail: 'exploitation@sct.example.gouv.qc.ca',
  };
}

/** The context of one stage as a test synthesizes it: the stage, its settings block outside dev. */
export function stageContext(stage: Stage): Record<string, unknown> {
  return { stage, ...(stage === 'dev' ? {} : { [stageBlockKey(stage)]: serviceSettingsFixture(stage) }) };
}

export interface NewAppOptions {
  /**
   * Run CDK's built-in CloudFormation validation during synth, as `cdk synth` does. Off by default in tests:
   * it only checks templates (never changes them) and its WebAssembly engine takes seconds to start in every
   * test file. `cdk-nag.test.ts` turns it on so the suite still proves every stage passes it.
   */
  readonly cloudFormationValidation?: boolean;
}

/**
 * A fresh app with cdk.json's context, bundling skipped, and the given extra context (`stage`, `account`,
 * `region`, service settings).
 */
export function newApp(context: Record<string, unknown> = {}, options: NewAppOptions = {}): App {
  return new App({
    context: { ...cdkJsonContext(), ...SKIP_BUNDLING, ...context },
    builtinCloudFormationValidation: options.cloudFormationValidation ?? false,
  });
}

export interface SynthesizedStage {
  readonly app: App;
  readonly stacks: JalonStacks;
  readonly dataTemplate: Template;
  readonly opsTemplate: Template;
  readonly workflowTemplate: Template;
  readonly staffApiTemplate: Template;
  readonly staffWafTemplate: Template;
  readonly citizenWafTemplate: Template;
  readonly citizenIntakeTemplate: Template;
  readonly emailIntakeTemplate: Template;
  readonly dashboardTemplate: Template;
}

const synthesized = new Map<string, SynthesizedStage>();

/**
 * Builds and synthesizes the app for a stage once per test file (synth is the slow part). Call it from a
 * `beforeAll` with a generous timeout so the first test does not pay for it under jest's 5 s default.
 */
export function synthStage(
  stage: Stage,
  options: NewAppOptions = {},
  sources?: JalonAppSources,
): SynthesizedStage {
  // Stages built with explicit sources are not cached: each test passes its own.
  const cacheKey =
    sources === undefined ? `${stage}:${options.cloudFormationValidation === true}` : undefined;
  const cached = cacheKey === undefined ? undefined : synthesized.get(cacheKey);
  if (cached) return cached;
  const app = newApp(stageContext(stage), options);
  const stacks = addJalonStacks(app, sources);
  const result = {
    app,
    stacks,
    dataTemplate: Template.fromStack(stacks.data),
    opsTemplate: Template.fromStack(stacks.ops),
    workflowTemplate: Template.fromStack(stacks.workflow),
    staffApiTemplate: Template.fromStack(stacks.staffApi),
    staffWafTemplate: Template.fromStack(stacks.staffWaf),
    citizenWafTemplate: Template.fromStack(stacks.citizenWaf),
    citizenIntakeTemplate: Template.fromStack(stacks.citizenIntake),
    emailIntakeTemplate: Template.fromStack(stacks.emailIntake),
    dashboardTemplate: Template.fromStack(stacks.dashboard),
  };
  if (cacheKey !== undefined) synthesized.set(cacheKey, result);
  return result;
}

/** Timeout for a `beforeAll` that synthesizes stages (a few seconds each, more on a loaded CI machine). */
export const SYNTH_TIMEOUT_MS = 60_000;

export interface TemplateResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly DependsOn?: string[];
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export function resourcesOfType(template: Template, type: string): Record<string, TemplateResource> {
  return template.findResources(type) as Record<string, TemplateResource>;
}

/** Every statement of a resource policy (bucket, queue, key) resource's `PolicyDocument`/`KeyPolicy`. */
export function policyStatements(
  resource: TemplateResource,
  property = 'PolicyDocument',
): PolicyStatementJson[] {
  return (resource.Properties[property] as { Statement: PolicyStatementJson[] }).Statement;
}

/** The only resource of a type; fails the test if there is not exactly one. */
export function onlyResource(template: Template, type: string): [string, TemplateResource] {
  const entries = Object.entries(resourcesOfType(template, type));
  expect(entries.map(([logicalId]) => logicalId)).toHaveLength(1);
  return entries[0]!;
}

export interface PolicyStatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Sid?: string;
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** Every statement of the IAM policies attached to a role (by the role's logical id). */
export function roleStatements(template: Template, roleLogicalId: string): PolicyStatementJson[] {
  return Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
    .filter(
      (policy) => JSON.stringify(policy.Properties['Roles']) === JSON.stringify([{ Ref: roleLogicalId }]),
    )
    .flatMap(
      (policy) => (policy.Properties['PolicyDocument'] as { Statement: PolicyStatementJson[] }).Statement,
    );
}

export function asArray<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

/** A statement's resources, each flattened to one string the way cdk-nag shows them (`arn:<AWS::Partition>:…`). */
export function flatResources(statement: PolicyStatementJson): string[] {
  return asArray(statement.Resource).map((resource) => flattenCfnReference(resource));
}

/** The logical id of an L2 construct's CloudFormation resource, in its own stack. */
export function logicalIdOf(construct: IConstruct): string {
  const resource = construct.node.defaultChild as CfnElement;
  return Stack.of(construct).getLogicalId(resource);
}

/**
 * Asserts that an alarm action is the stage's ops alerts topic: the topic itself for an alarm of the ops stack,
 * otherwise a cross-stack reference to the ops stack's output whose value is the topic.
 */
export function expectOpsAlertsTopic({ stacks, opsTemplate }: SynthesizedStage, action: unknown): void {
  if (typeof action === 'object' && action !== null && 'Ref' in action) {
    expect(action).toEqual({ Ref: logicalIdOf(stacks.ops.alertsTopic) });
    return;
  }
  const reference = (action as { 'Fn::GetStackOutput'?: { StackName?: string; OutputName?: string } })[
    'Fn::GetStackOutput'
  ];
  expect(reference?.StackName).toBe(stacks.ops.stackName);
  const outputs = opsTemplate.toJSON()['Outputs'] as Record<string, { Value: unknown }>;
  expect(outputs[reference?.OutputName ?? '']?.Value).toEqual({ Ref: logicalIdOf(stacks.ops.alertsTopic) });
}

/**
 * Asserts, on the definition the template deploys, that a job's state machine stores a failed run before it
 * fails: every Task but `RecordFailure` catches `States.ALL` into `RecordFailure` (the error under
 * `$.error`, the state kept), which is retried, catches nothing and goes to the `Fail` state `failState`.
 */
export function expectFailureRecorded(template: Template, stateMachineName: string, failState: string): void {
  const machine = Object.values(resourcesOfType(template, 'AWS::StepFunctions::StateMachine')).find(
    (resource) => resource.Properties['StateMachineName'] === stateMachineName,
  );
  const definition = machine?.Properties['DefinitionString'];
  expect(typeof definition).toBe('string');
  const states = (JSON.parse(String(definition)) as { States: Record<string, Record<string, unknown>> })
    .States;
  const tasks = Object.entries(states).filter(([, state]) => state['Type'] === 'Task');
  expect(tasks.length).toBeGreaterThan(2);
  for (const [name, state] of tasks) {
    if (name === 'RecordFailure') continue;
    expect({ name, catch: state['Catch'] }).toEqual({
      name,
      catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' }],
    });
  }
  const record = states['RecordFailure'];
  expect(record).toMatchObject({
    Type: 'Task',
    Parameters: { Payload: { action: 'fail', 'step.$': '$' } },
    ResultPath: null,
    Next: failState,
  });
  expect(record?.['Catch']).toBeUndefined();
  expect(record?.['Retry']).toEqual([expect.objectContaining({ MaxAttempts: 6 })]);
  expect(states[failState]?.['Type']).toBe('Fail');
}
