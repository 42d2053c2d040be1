import { RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';

import { acknowledgeInvokeVersions, acknowledgeStateMachineObservability } from '../nag-acknowledgements';
import { aslPlaceholders } from './case-lifecycle';

export interface StepJobStateMachineProps {
  readonly stateMachineName: string;
  /** The ASL file's text (`statemachines/definition.ts`). */
  readonly definition: string;
  /** Each `${Name}` placeholder of the definition and the step function it names (all of them, no other). */
  readonly substitutions: Readonly<Record<string, lambda.IFunction>>;
  readonly logGroupName: string;
  readonly logRetention: logs.RetentionDays;
  readonly logKey: kms.IKey;
  /** Outside dev: the log group is kept when the stack goes. */
  readonly retain: boolean;
}

/**
 * The state machine of an asynchronous job whose Tasks invoke its step Lambdas (the ledger verification, the
 * mirror back-fill): Standard, the definition's placeholders checked against the substitutions given, X-Ray,
 * every event logged without execution data to an encrypted log group, invoke granted on each step function.
 */
export function stepJobStateMachine(scope: Construct, props: StepJobStateMachineProps): sfn.StateMachine {
  const placeholders = aslPlaceholders(props.definition);
  const declared = Object.keys(props.substitutions).sort();
  if (JSON.stringify(placeholders) !== JSON.stringify(declared)) {
    throw new Error(
      `${props.stateMachineName} ASL placeholders ${placeholders.join(', ')} are not the declared ones`,
    );
  }
  const logGroup = new logs.LogGroup(scope, 'LogGroup', {
    logGroupName: props.logGroupName,
    retention: props.logRetention,
    encryptionKey: props.logKey,
    removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  const stateMachine = new sfn.StateMachine(scope, 'StateMachine', {
    stateMachineName: props.stateMachineName,
    stateMachineType: sfn.StateMachineType.STANDARD,
    definitionBody: sfn.DefinitionBody.fromString(props.definition),
    definitionSubstitutions: Object.fromEntries(
      Object.entries(props.substitutions).map(([name, fn]) => [name, fn.functionArn]),
    ),
    tracingEnabled: true,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
  });
  acknowledgeStateMachineObservability(stateMachine.role);
  for (const fn of Object.values(props.substitutions)) {
    fn.grantInvoke(stateMachine);
    acknowledgeInvokeVersions(stateMachine.role, fn);
  }
  return stateMachine;
}
