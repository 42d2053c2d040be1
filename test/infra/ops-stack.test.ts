import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { Template } from 'aws-cdk-lib/assertions';
import { STAGES, type Stage } from '../../infra/aws/deployment-context';
import { quietMailWindowDays } from '../../infra/aws/stacks/email-intake-stack';
import {
  asArray,
  expectOpsAlertsTopic,
  logicalIdOf,
  onlyResource,
  resourcesOfType,
  synthStage,
  SYNTH_TIMEOUT_MS,
  type SynthesizedStage,
  type TemplateResource,
} from './synth-helpers';

beforeAll(() => {
  for (const stage of STAGES) synthStage(stage);
}, SYNTH_TIMEOUT_MS);

interface KeyPolicyStatement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Principal?: { Service?: unknown };
  readonly Action: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

function keyPolicy(stage: Stage): KeyPolicyStatement[] {
  const [, key] = onlyResource(synthStage(stage).opsTemplate, 'AWS::KMS::Key');
  return (key.Properties['KeyPolicy'] as { Statement: KeyPolicyStatement[] }).Statement;
}

/**
 * The templates of the stage's region. The WAF stacks are in us-east-1: their log groups have a key of their own
 * in that region (`waf-logging.test.ts`), and they hold no alarm.
 */
function templatesOf(synth: SynthesizedStage): Template[] {
  return [
    synth.dataTemplate,
    synth.opsTemplate,
    synth.workflowTemplate,
    synth.staffApiTemplate,
    synth.citizenIntakeTemplate,
    synth.emailIntakeTemplate,
  ];
}

/** `arn:…:log-group:/jalon/dev/*` → a matcher for the log group names that key-policy pattern allows. */
function logGroupNamePattern(arnPattern: string): RegExp {
  const name = arnPattern.slice(arnPattern.indexOf(':log-group:') + ':log-group:'.length);
  return new RegExp(
    `^${name
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

describe.each(STAGES)('ops stack, %s stage', (stage) => {
  it('has the OpsAlerts topic, encrypted with the ops key', () => {
    const { opsTemplate, stacks } = synthStage(stage);
    const [, topic] = onlyResource(opsTemplate, 'AWS::SNS::Topic');
    expect(topic.Properties['TopicName']).toBe(`jalon-${stage}-ops-alerts`);
    expect(topic.Properties['KmsMasterKeyId']).toEqual({
      'Fn::GetAtt': [logicalIdOf(stacks.ops.opsKey), 'Arn'],
    });
  });

  it('refuses publishing without TLS', () => {
    const [, policy] = onlyResource(synthStage(stage).opsTemplate, 'AWS::SNS::TopicPolicy');
    const statements = (policy.Properties['PolicyDocument'] as { Statement: KeyPolicyStatement[] }).Statement;
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]),
    );
  });

  it(
    stage === 'dev' ? 'has no email subscription without context' : 'subscribes the ops mailbox by email',
    () => {
      const subscriptions = Object.values(
        resourcesOfType(synthStage(stage).opsTemplate, 'AWS::SNS::Subscription'),
      );
      const expected = synthStage(stage).stacks.service.opsAlertEmail;
      expect(subscriptions.map((s) => [s.Properties['Protocol'], s.Properties['Endpoint']])).toEqual(
        expected === undefined ? [] : [['email', expected]],
      );
    },
  );

  it('rotates the ops key and lets CloudWatch alarms publish to the encrypted topic', () => {
    const [, key] = onlyResource(synthStage(stage).opsTemplate, 'AWS::KMS::Key');
    expect(key.Properties['EnableKeyRotation']).toBe(true);
    const alarms = keyPolicy(stage).find(
      (s) => JSON.stringify(s.Principal) === '{"Service":"cloudwatch.amazonaws.com"}',
    );
    expect(asArray(alarms?.Action ?? []).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
  });

  it('encrypts every log group of the stage with the ops key, with a retention, under a prefix the key allows', () => {
    const synth = synthStage(stage);
    const logsStatement = keyPolicy(stage).find((s) =>
      flattenCfnReference(s.Principal?.Service).startsWith('logs.'),
    );
    const allowed = asArray(
      logsStatement?.Condition?.['ArnLike']?.['kms:EncryptionContext:aws:logs:arn'] ?? [],
    ).map((arn) => logGroupNamePattern(flattenCfnReference(arn)));
    expect(allowed.length).toBeGreaterThan(0);
    const logGroups: TemplateResource[] = templatesOf(synth).flatMap((template) =>
      Object.values(resourcesOfType(template, 'AWS::Logs::LogGroup')),
    );
    expect(logGroups.length).toBeGreaterThanOrEqual(3);
    for (const logGroup of logGroups) {
      const name = logGroup.Properties['LogGroupName'] as string;
      expect({ name, allowed: allowed.some((pattern) => pattern.test(name)) }).toEqual({
        name,
        allowed: true,
      });
      expect(logGroup.Properties['RetentionInDays']).toEqual(expect.any(Number));
      const keyReference = logGroup.Properties['KmsKeyId'] as { 'Fn::GetStackOutput': { StackName: string } };
      expect(keyReference['Fn::GetStackOutput'].StackName).toBe(synth.stacks.ops.stackName);
    }
  });

  it('sends every alarm of the stage to the ops alerts topic', () => {
    const synth = synthStage(stage);
    const alarms = templatesOf(synth).flatMap((template) =>
      Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm')),
    );
    expect(alarms.length).toBeGreaterThanOrEqual(4);
    for (const alarm of alarms) {
      expect(alarm.Properties['AlarmActions']).toHaveLength(1);
      expectOpsAlertsTopic(synth, (alarm.Properties['AlarmActions'] as unknown[])[0]);
    }
  });

  it(`${stage === 'dev' ? 'destroys' : 'retains'} the ops key (it decrypts the retained logs)`, () => {
    const [, key] = onlyResource(synthStage(stage).opsTemplate, 'AWS::KMS::Key');
    expect(key.DeletionPolicy).toBe(stage === 'dev' ? 'Delete' : 'Retain');
  });
});

interface AlarmProperties {
  readonly AlarmDescription?: string;
  readonly Namespace?: string;
  readonly MetricName?: string;
  readonly Dimensions?: { Name: string; Value: unknown }[];
  readonly Threshold: number;
  readonly ComparisonOperator: string;
  readonly EvaluationPeriods: number;
  readonly Period?: number;
  readonly TreatMissingData?: string;
  readonly Metrics?: { Id: string; MetricStat?: { Metric: { MetricName: string; Dimensions?: unknown } } }[];
}

function alarmsOf(template: Template): AlarmProperties[] {
  return Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).map(
    (alarm) => alarm.Properties as unknown as AlarmProperties,
  );
}

describe.each(STAGES)('operations alarms, %s stage', (stage) => {
  it('describes every alarm in plain words', () => {
    for (const alarm of templatesOf(synthStage(stage)).flatMap(alarmsOf)) {
      expect(alarm.AlarmDescription?.length ?? 0).toBeGreaterThan(40);
    }
  });

  it('alarms on failed, aborted and timed-out executions of every state machine', () => {
    const synth = synthStage(stage);
    const templates = templatesOf(synth);
    const stateMachines = templates.flatMap((template) =>
      Object.keys(resourcesOfType(template, 'AWS::StepFunctions::StateMachine')).map(
        (logicalId) => [template, logicalId] as const,
      ),
    );
    expect(stateMachines.length).toBeGreaterThanOrEqual(2);
    for (const [template, logicalId] of stateMachines) {
      const watched = alarmsOf(template)
        .filter(
          (alarm) =>
            alarm.Namespace === 'AWS/States' &&
            JSON.stringify(alarm.Dimensions) ===
              JSON.stringify([{ Name: 'StateMachineArn', Value: { Ref: logicalId } }]),
        )
        .map((alarm) => alarm.MetricName)
        .sort();
      expect({ logicalId, watched }).toEqual({
        logicalId,
        watched: ['ExecutionsAborted', 'ExecutionsFailed', 'ExecutionsTimedOut'],
      });
    }
  });

  it('alarms on read or write throttles of every table', () => {
    const synth = synthStage(stage);
    const tableNames = Object.values(resourcesOfType(synth.dataTemplate, 'AWS::DynamoDB::Table')).map(
      (table) => table.Properties['TableName'],
    );
    expect(tableNames.length).toBeGreaterThanOrEqual(3);
    const throttled = alarmsOf(synth.opsTemplate).flatMap((alarm) =>
      (alarm.Metrics ?? []).flatMap((metric) =>
        metric.MetricStat === undefined
          ? []
          : [[metric.MetricStat.Metric.MetricName, JSON.stringify(metric.MetricStat.Metric.Dimensions)]],
      ),
    );
    for (const name of tableNames) {
      const dimensions = JSON.stringify([{ Name: 'TableName', Value: name }]);
      expect(throttled).toEqual(
        expect.arrayContaining([
          ['ReadThrottleEvents', dimensions],
          ['WriteThrottleEvents', dimensions],
        ]),
      );
    }
  });

  it('alarms on the SES bounce and complaint rates below the levels at which SES reviews the account', () => {
    const ses = alarmsOf(synthStage(stage).opsTemplate).filter((alarm) => alarm.Namespace === 'AWS/SES');
    const thresholds = Object.fromEntries(ses.map((alarm) => [alarm.MetricName, alarm.Threshold]));
    expect(Object.keys(thresholds).sort()).toEqual(['Reputation.BounceRate', 'Reputation.ComplaintRate']);
    expect(thresholds['Reputation.BounceRate']).toBeLessThan(0.05);
    expect(thresholds['Reputation.ComplaintRate']).toBeLessThan(0.001);
  });

  it('alarms when no mail reached the intake queue for the business days of the settings plus a long weekend', () => {
    const synth = synthStage(stage);
    const quiet = alarmsOf(synth.emailIntakeTemplate).filter(
      (alarm) => alarm.MetricName === 'NumberOfMessagesSent',
    );
    expect(quiet).toEqual([
      expect.objectContaining({
        Namespace: 'AWS/SQS',
        Period: 86_400,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
        EvaluationPeriods: quietMailWindowDays(synth.stacks.service.quietMailBusinessDays),
      }),
    ]);
    // CloudWatch looks back at most seven days with a daily period.
    expect(quiet[0]!.EvaluationPeriods).toBeLessThanOrEqual(7);
    expect(quiet[0]!.Dimensions).toEqual([
      { Name: 'QueueName', Value: expect.objectContaining({ 'Fn::GetAtt': expect.any(Array) }) },
    ]);
  });
});
