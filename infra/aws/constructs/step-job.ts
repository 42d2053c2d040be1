import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';

import { acknowledgeInvokeVersions, acknowledgeStateMachineObservability } from '../nag-acknowledgements';
import { aslPlaceholders } from './case-lifecycle';
import { JalonFunction } from './jalon-function';
import { grantLedgerRead } from './ledger-access';

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

export interface StepJobTaskProps {
  readonly functionName: string;
  readonly description: string;
  readonly entry: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly logGroupName: string;
  readonly logRetention: logs.RetentionDays;
  readonly logKey: kms.IKey;
  /** Outside dev: logs are kept when the stack goes. */
  readonly retainLogs: boolean;
  readonly tables: { readonly ledger: dynamodb.ITable; readonly reports: dynamodb.ITable };
  /** The data key the job's tables and objects are encrypted with. */
  readonly dataKey: kms.IKey;
  /**
   * The job's run items in the reports table: the statement id and the key prefix
   * (`#ledger-verification-*`); the task may put and get those items and no other.
   */
  readonly runs: { readonly sid: string; readonly keyPrefix: string };
}

/**
 * The step Lambda of a job that walks the ledger (the ledger verification, the mirror back-fill): 1 GiB, a
 * 15-minute timeout (a step stops starting pages after 10 minutes, `stepJobHandler`), reading the ledger's
 * case list and items, storing its own run items, using the data key. The caller adds what the job itself
 * reads or writes.
 */
export function stepJobTask(scope: Construct, props: StepJobTaskProps): JalonFunction {
  const task = new JalonFunction(scope, 'Task', {
    functionName: props.functionName,
    description: props.description,
    entry: props.entry,
    environment: { ...props.environment },
    memorySize: 1024,
    timeout: Duration.minutes(15),
    logGroupName: props.logGroupName,
    logRetention: props.logRetention,
    logKey: props.logKey,
    retainLogs: props.retainLogs,
  });
  const fn = task.function;
  grantLedgerRead(fn, props.tables.ledger, { listCases: true });
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: props.runs.sid,
      actions: ['dynamodb:PutItem', 'dynamodb:GetItem'],
      resources: [props.tables.reports.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [props.runs.keyPrefix] } },
    }),
  );
  props.dataKey.grant(fn, 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey');
  return task;
}
