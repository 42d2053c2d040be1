import { readFileSync } from 'node:fs';
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  CASE_LIFECYCLE_ASL_PATH,
  CASE_LIFECYCLE_SUBSTITUTIONS,
  type CaseLifecycleSubstitution,
} from '../../../statemachines/definition';

/**
 * One `${Name}` of the ASL and what it takes to make it work: the value CDK substitutes, and the grant that
 * lets the state machine use it. Declared together so a substitution cannot ship without its permission.
 */
export interface SubstitutionBinding {
  readonly value: string;
  readonly grant: (stateMachine: iam.IGrantable) => void;
}

export interface CaseLifecycleProps {
  /** Fixed physical name (`jalon-<stage>-case-lifecycle`): its ARN is known without referencing the resource. */
  readonly stateMachineName: string;
  /** Exactly one binding per placeholder of the ASL file (checked at synth, so drift fails the build). */
  readonly substitutions: Readonly<Record<CaseLifecycleSubstitution, SubstitutionBinding>>;
  /** Vended log group name, under `/aws/vendedlogs/states/`. */
  readonly logGroupName: string;
  readonly logRetention: logs.RetentionDays;
  readonly logKey: kms.IKey;
  readonly retainLogs: boolean;
}

/** The `${Name}` placeholders of an ASL document, each once, sorted. */
export function aslPlaceholders(definition: string): string[] {
  return [...new Set([...definition.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((match) => match[1]!))].sort();
}

/**
 * The ARN of a state machine of this stack's account and region, from its name alone. The workflow-tasks
 * Lambda needs it (to continue a long case as a new execution) while the state machine needs the Lambda's
 * ARN: building this one from the fixed name breaks the cycle.
 */
export function stateMachineArn(scope: Construct, stateMachineName: string): string {
  return Stack.of(scope).formatArn({
    service: 'states',
    resource: 'stateMachine',
    resourceName: stateMachineName,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/**
 * The case-lifecycle state machine: Standard (cases live for weeks; Express caps at five minutes), defined by
 * `statemachines/case-lifecycle.asl.json` read as a string (`fromFile` would hide it in an S3 asset and keep
 * it out of the template and the tests), with X-Ray tracing and ALL events logged to a KMS-encrypted vended
 * log group **without execution data**: inputs and outputs are case data and stay out of the logs.
 */
export class CaseLifecycle extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: CaseLifecycleProps) {
    super(scope, id);
    const definition = readFileSync(CASE_LIFECYCLE_ASL_PATH, 'utf8');
    assertBindingsMatch(definition, Object.keys(props.substitutions));

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: props.logGroupName,
      retention: props.logRetention,
      encryptionKey: props.logKey,
      removalPolicy: props.retainLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    const substitutions = Object.entries(props.substitutions) as [
      CaseLifecycleSubstitution,
      SubstitutionBinding,
    ][];
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(definition),
      definitionSubstitutions: Object.fromEntries(
        substitutions.map(([name, binding]) => [name, binding.value]),
      ),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    for (const [, binding] of substitutions) binding.grant(this.stateMachine);
  }
}

/** Fails the synth when the ASL and the bindings disagree, naming the placeholders on each side. */
function assertBindingsMatch(definition: string, bound: readonly string[]): void {
  const placeholders = aslPlaceholders(definition);
  const declared = [...CASE_LIFECYCLE_SUBSTITUTIONS].sort();
  const given = [...bound].sort();
  if (
    JSON.stringify(placeholders) !== JSON.stringify(declared) ||
    JSON.stringify(given) !== JSON.stringify(declared)
  ) {
    throw new Error(
      `case-lifecycle substitutions out of sync: ASL has [${placeholders.join(', ')}], ` +
        `CASE_LIFECYCLE_SUBSTITUTIONS has [${declared.join(', ')}], CDK binds [${given.join(', ')}].`,
    );
  }
}
