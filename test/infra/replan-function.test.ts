import { TABLE_DEFINITIONS, tableName } from '../../shared/adapters/dynamodb/table-definitions';
import { ReplanEnvSchema } from '../../shared/schemas/env';
import { FUNCTION_RUNTIME } from '../../infra/aws/constructs/jalon-function';
import type { Stage } from '../../infra/aws/deployment-context';
import {
  asArray,
  expectOpsAlertsTopic,
  logicalIdOf,
  resourcesOfType,
  roleStatements,
  synthStage,
  SYNTH_TIMEOUT_MS,
} from './synth-helpers';

const STAGES_UNDER_TEST: readonly Stage[] = ['dev', 'prod'];

beforeAll(() => {
  for (const stage of STAGES_UNDER_TEST) synthStage(stage);
}, SYNTH_TIMEOUT_MS);

function replan(stage: Stage) {
  const synth = synthStage(stage);
  const stack = synth.stacks.workflow;
  const template = synth.workflowTemplate;
  const functionId = logicalIdOf(stack.replan.function);
  return {
    synth,
    template,
    functionId,
    roleId: logicalIdOf(stack.replan.role),
    properties: template.toJSON()['Resources'][functionId].Properties as Record<string, unknown>,
  };
}

describe.each(STAGES_UNDER_TEST)('re-planning function, %s stage', (stage) => {
  it(`is jalon-${stage}-replan on arm64 with ${FUNCTION_RUNTIME.name}, traced, with time for every case`, () => {
    const { properties } = replan(stage);
    expect(properties['FunctionName']).toBe(`jalon-${stage}-replan`);
    expect(properties['Architectures']).toEqual(['arm64']);
    expect(properties['Runtime']).toBe(FUNCTION_RUNTIME.name);
    expect(properties['TracingConfig']).toEqual({ Mode: 'Active' });
    expect(properties['Timeout']).toBe(900);
  });

  it('has exactly the environment ReplanEnvSchema accepts, naming the tables of its stage', () => {
    const { properties } = replan(stage);
    const variables = (properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
    const byId = Object.fromEntries(TABLE_DEFINITIONS.map((d) => [d.id, tableName(stage, d)]));
    expect(variables).toMatchObject({
      CASES_TABLE_NAME: byId['cases'],
      LEDGER_TABLE_NAME: byId['ledger'],
      POLICY_ID: 'sct',
      STATE_MACHINE_ARN: expect.anything() as unknown,
    });
    expect(Object.keys(variables).filter((name) => !(name in ReplanEnvSchema.shape))).toEqual([
      'NODE_OPTIONS',
    ]);
    // The ARN is a CloudFormation expression naming the stage's state machine; the schema sees it resolved.
    expect(JSON.stringify(variables['STATE_MACHINE_ARN'])).toContain(
      `:stateMachine:jalon-${stage}-case-lifecycle`,
    );
    const resolved = {
      ...variables,
      STATE_MACHINE_ARN: `arn:aws:states:ca-central-1:123456789012:stateMachine:x`,
    };
    expect(ReplanEnvSchema.safeParse(resolved).error?.issues ?? []).toEqual([]);
  });

  it('may use the cases and ledger tables and start case-lifecycle executions, and never send mail', () => {
    const { template, roleId } = replan(stage);
    const statements = roleStatements(template, roleId);
    const actions = statements.flatMap((s) => asArray(s.Action));
    expect(actions.some((a) => a.startsWith('ses:'))).toBe(false);
    const states = statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('states:')));
    expect(states.flatMap((s) => asArray(s.Action))).toEqual(['states:StartExecution']);
    expect(JSON.stringify(states.map((s) => s.Resource))).toContain(
      `:stateMachine:jalon-${stage}-case-lifecycle`,
    );
    const dynamo = statements.filter((s) => asArray(s.Action).some((a) => a.startsWith('dynamodb:')));
    const resources = JSON.stringify(dynamo.map((s) => s.Resource));
    expect(resources).toContain(
      `table/${tableName(
        stage,
        TABLE_DEFINITIONS.find((d) => d.id === 'cases')!,
      )}`,
    );
    expect(resources).toContain(
      `table/${tableName(
        stage,
        TABLE_DEFINITIONS.find((d) => d.id === 'ledger')!,
      )}`,
    );
    expect(resources).not.toContain(
      `table/${tableName(
        stage,
        TABLE_DEFINITIONS.find((d) => d.id === 'control')!,
      )}`,
    );
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Scan', 'dynamodb:PutItem', 'dynamodb:Query']));
  });

  it('runs every day on an EventBridge schedule, retried twice', () => {
    const { template, functionId } = replan(stage);
    // The workflow stack's other rule carries the SES events (test/infra/mail-events-stack.test.ts).
    const rules = Object.values(resourcesOfType(template, 'AWS::Events::Rule')).filter((rule) =>
      JSON.stringify(rule.Properties['Targets']).includes(`"${functionId}"`),
    );
    expect(rules).toHaveLength(1);
    const rule = rules[0]!.Properties;
    expect(rule['ScheduleExpression']).toBe('cron(30 5 * * ? *)');
    expect(rule['State']).toBe('ENABLED');
    expect(rule['Targets']).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 2 },
      }),
    ]);
    const permissions = Object.values(resourcesOfType(template, 'AWS::Lambda::Permission')).filter(
      (p) => p.Properties['Principal'] === 'events.amazonaws.com',
    );
    expect(permissions).toHaveLength(1);
    expect(permissions[0]!.Properties['FunctionName']).toEqual({ 'Fn::GetAtt': [functionId, 'Arn'] });
  });

  it('raises its errors to the ops alerts topic', () => {
    const { template, functionId, synth } = replan(stage);
    const alarms = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).filter(
      (alarm) =>
        alarm.Properties['MetricName'] === 'Errors' &&
        JSON.stringify(alarm.Properties['Dimensions']) ===
          JSON.stringify([{ Name: 'FunctionName', Value: { Ref: functionId } }]),
    );
    expect(alarms).toHaveLength(1);
    const actions = alarms[0]!.Properties['AlarmActions'] as unknown[];
    expect(actions).toHaveLength(1);
    expectOpsAlertsTopic(synth, actions[0]);
  });
});
