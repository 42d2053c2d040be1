import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import { TABLE_DEFINITIONS, tableName } from '../../shared/adapters/dynamodb/table-definitions';
import { WorkflowTasksEnvSchema } from '../../shared/schemas/env';
import {
  CASE_LIFECYCLE_SUBSTITUTIONS,
  readCaseLifecycleDefinition,
  type CaseLifecycleSubstitution,
} from '../../statemachines/definition';
import { aslPlaceholders, CaseLifecycle } from '../../infra/aws/constructs/case-lifecycle';
import { FUNCTION_RUNTIME } from '../../infra/aws/constructs/jalon-function';
import type { Stage } from '../../infra/aws/deployment-context';
import {
  asArray,
  expectOpsAlertsTopic,
  flatResources,
  logicalIdOf,
  onlyResource,
  resourcesOfType,
  roleStatements,
  synthStage,
  SYNTH_TIMEOUT_MS,
  type PolicyStatementJson,
} from './synth-helpers';

const STAGES_UNDER_TEST: readonly Stage[] = ['dev', 'prod'];
/** What `Stack.formatArn` renders for this stack's account and region, as cdk-nag flattens it. */
const ARN_PREFIX = 'arn:<AWS::Partition>:';
const ACCOUNT_REGION = '<AWS::Region>:<AWS::AccountId>';

beforeAll(() => {
  for (const stage of STAGES_UNDER_TEST) synthStage(stage);
}, SYNTH_TIMEOUT_MS);

function workflow(stage: Stage) {
  const synth = synthStage(stage);
  const { workflow: stack } = synth.stacks;
  return {
    synth,
    template: synth.workflowTemplate,
    functionId: logicalIdOf(stack.workflowTasks.function),
    functionRoleId: logicalIdOf(stack.workflowTasks.role),
    stateMachineId: logicalIdOf(stack.caseLifecycle.stateMachine),
    stateMachineRoleId: logicalIdOf(stack.caseLifecycle.stateMachine.role),
  };
}

function actionsOf(statement: PolicyStatementJson): string[] {
  return asArray(statement.Action);
}

describe.each(STAGES_UNDER_TEST)('workflow stack, %s stage', (stage) => {
  const caseLifecycleArn = `${ARN_PREFIX}states:${ACCOUNT_REGION}:stateMachine:jalon-${stage}-case-lifecycle`;

  describe('case-lifecycle state machine', () => {
    function stateMachine() {
      const { template, stateMachineId } = workflow(stage);
      return template.toJSON()['Resources'][stateMachineId].Properties as Record<string, unknown>;
    }

    it('is a Standard state machine with the fixed name the Lambda builds its ARN from', () => {
      expect(stateMachine()['StateMachineType']).toBe('STANDARD');
      expect(stateMachine()['StateMachineName']).toBe(`jalon-${stage}-case-lifecycle`);
    });

    it('is defined by the ASL file itself, inline in the template', () => {
      expect(stateMachine()['DefinitionString']).toBe(readCaseLifecycleDefinition());
    });

    it('has one substitution per ASL placeholder, named as CASE_LIFECYCLE_SUBSTITUTIONS, none left over', () => {
      const definition = stateMachine()['DefinitionString'] as string;
      const substitutions = stateMachine()['DefinitionSubstitutions'] as Record<string, unknown>;
      const keys = Object.keys(substitutions).sort();
      expect(keys).toEqual([...CASE_LIFECYCLE_SUBSTITUTIONS].sort());
      expect(aslPlaceholders(definition)).toEqual(keys);
      const substituted = keys.reduce(
        (text, key) => text.replaceAll(`\${${key}}`, 'substituted'),
        definition,
      );
      expect(substituted).not.toMatch(/\$\{[^}]*\}/);
    });

    it('substitutes the workflow-tasks function ARN', () => {
      const { functionId } = workflow(stage);
      expect(stateMachine()['DefinitionSubstitutions']).toEqual({
        WorkflowTasksFunctionArn: { 'Fn::GetAtt': [functionId, 'Arn'] },
      });
    });

    it('logs ALL events without execution data to its vended, encrypted log group', () => {
      const { template } = workflow(stage);
      const logging = stateMachine()['LoggingConfiguration'] as {
        Level: string;
        IncludeExecutionData: boolean;
        Destinations: { CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [string, string] } } }[];
      };
      expect(logging.Level).toBe('ALL');
      expect(logging.IncludeExecutionData).toBe(false);
      expect(logging.Destinations).toHaveLength(1);
      const [logGroupId] = logging.Destinations[0]!.CloudWatchLogsLogGroup.LogGroupArn['Fn::GetAtt'];
      const logGroup = resourcesOfType(template, 'AWS::Logs::LogGroup')[logGroupId]!;
      expect(logGroup.Properties['LogGroupName']).toBe(
        `/aws/vendedlogs/states/jalon-${stage}-case-lifecycle`,
      );
      expect(logGroup.Properties['KmsKeyId']).toBeDefined();
      expect(logGroup.Properties['RetentionInDays']).toEqual(expect.any(Number));
    });

    it('has X-Ray tracing enabled', () => {
      expect(stateMachine()['TracingConfiguration']).toEqual({ Enabled: true });
    });

    it('may invoke the workflow-tasks function (and its versions) and no other function', () => {
      const { template, stateMachineRoleId, functionId } = workflow(stage);
      const invoke = roleStatements(template, stateMachineRoleId).filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith('lambda:')),
      );
      expect(invoke).toHaveLength(1);
      expect(actionsOf(invoke[0]!)).toEqual(['lambda:InvokeFunction']);
      expect(flatResources(invoke[0]!)).toEqual([`<${functionId}.Arn>`, `<${functionId}.Arn>:*`]);
    });

    it('has wildcard resources only for log delivery and X-Ray, which take no resource ARN', () => {
      const { template, stateMachineRoleId } = workflow(stage);
      const wildcardActions = roleStatements(template, stateMachineRoleId)
        .filter((statement) => flatResources(statement).includes('*'))
        .flatMap(actionsOf);
      expect(wildcardActions.length).toBeGreaterThan(0);
      for (const action of wildcardActions)
        expect(action).toMatch(/^(xray:|logs:.*(LogDelivery|LogDeliveries|ResourcePolic|LogGroups))/);
    });
  });

  describe('WorkflowTasks Lambda', () => {
    function lambdaFunction() {
      const { template, functionId } = workflow(stage);
      return template.toJSON()['Resources'][functionId].Properties as Record<string, unknown>;
    }
    function environment(): Record<string, unknown> {
      return (lambdaFunction()['Environment'] as { Variables: Record<string, unknown> }).Variables;
    }

    it(`runs on arm64 with ${FUNCTION_RUNTIME.name}, traced, well within the ASL task timeout`, () => {
      expect(lambdaFunction()['Architectures']).toEqual(['arm64']);
      expect(lambdaFunction()['Runtime']).toBe(FUNCTION_RUNTIME.name);
      expect(lambdaFunction()['Handler']).toBe('index.handler');
      expect(lambdaFunction()['TracingConfig']).toEqual({ Mode: 'Active' });
      expect(lambdaFunction()['Timeout']).toBeLessThan(120);
    });

    it('has every variable of WorkflowTasksEnvSchema that is required, and nothing unknown to it', () => {
      const shape = WorkflowTasksEnvSchema.shape;
      const required = Object.entries(shape)
        .filter(([, schema]) => !schema.safeParse(undefined).success)
        .map(([name]) => name);
      const names = Object.keys(environment());
      expect(names).toEqual(expect.arrayContaining(required));
      expect(names.filter((name) => !(name in shape))).toEqual(['NODE_OPTIONS']);
    });

    it('has an environment the function accepts at cold start', () => {
      const arn = `arn:aws:states:ca-central-1:123456789012:stateMachine:jalon-${stage}-case-lifecycle`;
      // The letters bucket name is a Fn::Join of pseudo parameters; CloudFormation resolves it like this.
      const resolved = {
        ...environment(),
        STATE_MACHINE_ARN: arn,
        LETTERS_BUCKET_NAME: `jalon-${stage}-letters-123456789012-ca-central-1`,
      };
      const parsed = WorkflowTasksEnvSchema.safeParse(resolved);
      expect(parsed.error?.issues ?? []).toEqual([]);
      expect(parsed.data?.POLICY_ID).toBe('sct');
    });

    it('names the data stack tables of its stage', () => {
      const byId = Object.fromEntries(TABLE_DEFINITIONS.map((d) => [d.id, tableName(stage, d)]));
      expect(environment()).toMatchObject({
        CASES_TABLE_NAME: byId['cases'],
        LEDGER_TABLE_NAME: byId['ledger'],
        CONTROL_TABLE_NAME: byId['control'],
      });
    });

    it('gets the state machine ARN built from its name, without a reference to the state machine', () => {
      const { stateMachineId } = workflow(stage);
      const value = environment()['STATE_MACHINE_ARN'];
      expect(flattenCfnReference(value)).toBe(caseLifecycleArn);
      expect(JSON.stringify(value)).not.toContain(stateMachineId);
    });

    it('logs JSON into its own encrypted log group with a retention', () => {
      const { template } = workflow(stage);
      const { Ref: logGroupId } = (lambdaFunction()['LoggingConfig'] as { LogGroup: { Ref: string } })
        .LogGroup;
      const logGroup = resourcesOfType(template, 'AWS::Logs::LogGroup')[logGroupId]!;
      expect(logGroup.Properties['LogGroupName']).toBe(`/jalon/${stage}/lambda/workflow-tasks`);
      expect(logGroup.Properties['KmsKeyId']).toBeDefined();
      expect(logGroup.Properties['RetentionInDays']).toEqual(expect.any(Number));
      expect(lambdaFunction()['LoggingConfig']).toMatchObject({ LogFormat: 'JSON' });
    });

    it('has a role of its own without AWS managed policies', () => {
      const { template, functionRoleId } = workflow(stage);
      const role = resourcesOfType(template, 'AWS::IAM::Role')[functionRoleId]!;
      expect(role.Properties['ManagedPolicyArns']).toBeUndefined();
    });
  });

  describe('WorkflowTasks permissions', () => {
    function statements(): PolicyStatementJson[] {
      const { template, functionRoleId } = workflow(stage);
      return roleStatements(template, functionRoleId);
    }
    function withActionPrefix(prefix: string): PolicyStatementJson[] {
      return statements().filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith(prefix)),
      );
    }

    it('sends email only as the sender identities with the stage configuration set, never on a wildcard', () => {
      const ses = withActionPrefix('ses:');
      expect(ses.flatMap(actionsOf)).toEqual(['ses:SendEmail']);
      const { service } = synthStage(stage).stacks;
      expect(ses.flatMap(flatResources).sort()).toEqual(
        [
          ...[service.senderDomain, service.senderAddress].map(
            (identity) => `${ARN_PREFIX}ses:${ACCOUNT_REGION}:identity/${identity}`,
          ),
          `${ARN_PREFIX}ses:${ACCOUNT_REGION}:configuration-set/jalon-${stage}-mail`,
        ].sort(),
      );
    });

    it('starts executions of the case-lifecycle state machine only', () => {
      const states = withActionPrefix('states:');
      expect(states.flatMap(actionsOf)).toEqual(['states:StartExecution']);
      expect(states.flatMap(flatResources)).toEqual([caseLifecycleArn]);
    });

    it('reads and writes the cases, ledger and control tables (and the cases GSIs), reads the staff directory, nothing else', () => {
      const tables = TABLE_DEFINITIONS.filter((d) => d.id !== 'holding' && d.id !== 'reports').map(
        (d) => `${ARN_PREFIX}dynamodb:${ACCOUNT_REGION}:table/${tableName(stage, d)}`,
      );
      const casesIndexes = `${ARN_PREFIX}dynamodb:${ACCOUNT_REGION}:table/jalon-${stage}-cases/index/*`;
      expect(withActionPrefix('dynamodb:').flatMap(flatResources).sort()).toEqual(
        [...tables, casesIndexes].sort(),
      );
      expect(withActionPrefix('dynamodb:').flatMap(actionsOf)).toEqual(
        expect.arrayContaining([
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ]),
      );
    });

    it('uses the data key for the tables and the letters, and only that key', () => {
      const { stacks } = synthStage(stage);
      const kmsResources = withActionPrefix('kms:').flatMap((statement) => asArray(statement.Resource));
      expect(kmsResources.length).toBeGreaterThan(0);
      for (const resource of kmsResources) {
        const reference = (resource as { 'Fn::GetStackOutput': { StackName: string } })['Fn::GetStackOutput'];
        expect(reference.StackName).toBe(stacks.data.stackName);
      }
    });

    it('has wildcard resources only for X-Ray, which takes no resource ARN', () => {
      const wildcardActions = statements()
        .filter((statement) => flatResources(statement).includes('*'))
        .flatMap(actionsOf);
      expect(wildcardActions.sort()).toEqual(['xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    });
  });

  describe('alarms', () => {
    function alarmOn(metricName: string) {
      const { template, functionId } = workflow(stage);
      const alarms = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).filter(
        (alarm) =>
          alarm.Properties['MetricName'] === metricName &&
          (metricName !== 'Errors' || JSON.stringify(alarm.Properties['Dimensions']).includes(functionId)),
      );
      expect(alarms).toHaveLength(1);
      return alarms[0]!.Properties;
    }

    // Each ends a case's deadline enforcement: failed (after RecordFailure), stopped by hand, or timed out.
    it.each(['ExecutionsFailed', 'ExecutionsAborted', 'ExecutionsTimedOut'])(
      'raises %s of the state machine to the ops alerts topic, and its recovery',
      (metricName) => {
        const { synth, stateMachineId } = workflow(stage);
        const alarm = alarmOn(metricName);
        expect(alarm['Namespace']).toBe('AWS/States');
        expect(alarm['Dimensions']).toEqual([{ Name: 'StateMachineArn', Value: { Ref: stateMachineId } }]);
        expect(alarm['Threshold']).toBe(1);
        for (const key of ['AlarmActions', 'OKActions']) {
          expect(alarm[key]).toHaveLength(1);
          expectOpsAlertsTopic(synth, (alarm[key] as unknown[])[0]);
        }
        expect(String(alarm['AlarmDescription'])).toContain('restart-enforcement');
      },
    );

    it('raises the Errors of the workflow-tasks Lambda to the ops alerts topic', () => {
      const { synth, functionId } = workflow(stage);
      const alarm = alarmOn('Errors');
      expect(alarm['Namespace']).toBe('AWS/Lambda');
      expect(alarm['Dimensions']).toEqual([{ Name: 'FunctionName', Value: { Ref: functionId } }]);
      expect(alarm['AlarmActions']).toHaveLength(1);
      expectOpsAlertsTopic(synth, (alarm['AlarmActions'] as unknown[])[0]);
    });
  });

  it('deploys after the data and ops stacks', () => {
    const { stacks } = synthStage(stage);
    expect(stacks.workflow.dependencies.map((dependency) => dependency.stackName).sort()).toEqual(
      [stacks.data.stackName, stacks.ops.stackName].sort(),
    );
  });

  it('has a single state machine and three functions: the workflow tasks, the re-planning and the mail events', () => {
    const { template, synth } = workflow(stage);
    onlyResource(template, 'AWS::StepFunctions::StateMachine');
    expect(Object.keys(resourcesOfType(template, 'AWS::Lambda::Function')).sort()).toEqual(
      [
        logicalIdOf(synth.stacks.workflow.workflowTasks.function),
        logicalIdOf(synth.stacks.workflow.replan.function),
        logicalIdOf(synth.stacks.workflow.mailEvents.handler.function),
      ].sort(),
    );
  });
});

describe('CaseLifecycle construct', () => {
  it('refuses substitutions that do not match the placeholders of the ASL', () => {
    const stack = new Stack(new App(), 'Drift');
    const binding = { value: 'arn:aws:lambda:ca-central-1:123456789012:function:f', grant: () => undefined };
    const build = () =>
      new CaseLifecycle(stack, 'CaseLifecycle', {
        stateMachineName: 'drift',
        substitutions: { WorkflowTasksFunctionArn: binding, NotInTheAsl: binding } as Record<
          CaseLifecycleSubstitution,
          typeof binding
        >,
        logGroupName: '/aws/vendedlogs/states/drift',
        logRetention: logs.RetentionDays.ONE_DAY,
        logKey: new kms.Key(stack, 'Key'),
        retainLogs: false,
      });
    expect(build).toThrow(/out of sync.*CDK binds \[NotInTheAsl, WorkflowTasksFunctionArn\]/);
  });
});
