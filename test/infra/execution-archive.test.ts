import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';

import {
  asArray,
  flatResources,
  logicalIdOf,
  resourcesOfType,
  roleStatements,
  synthStage,
  SYNTH_TIMEOUT_MS,
} from './synth-helpers';

/** Workflow histories beyond 90 days (`docs/ledger-mirror.md`): the rule, its Lambda and what it may do. */
beforeAll(() => {
  synthStage('dev');
}, SYNTH_TIMEOUT_MS);

describe('execution archive (dev stage)', () => {
  const archive = () => synthStage('dev').stacks.staffApi.executionArchive;
  const template = () => synthStage('dev').staffApiTemplate;

  it('runs when a case-lifecycle execution closes, retried for a day, then to a dead-letter queue', () => {
    const rule = resourcesOfType(template(), 'AWS::Events::Rule')[logicalIdOf(archive().rule)]!.Properties;
    const pattern = rule['EventPattern'] as {
      source: string[];
      'detail-type': string[];
      detail: Record<string, unknown>;
    };
    expect(pattern.source).toEqual(['aws.states']);
    expect(pattern['detail-type']).toEqual(['Step Functions Execution Status Change']);
    expect(pattern.detail['status']).toEqual(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);
    expect(flattenCfnReference(asArray(pattern.detail['stateMachineArn'])[0])).toMatch(
      /:stateMachine:jalon-dev-case-lifecycle$/,
    );
    const [target] = rule['Targets'] as Record<string, unknown>[];
    expect(target).toMatchObject({
      RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
      DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalIdOf(archive().deadLetterQueue), 'Arn'] } },
    });
  });

  it('reads the case-lifecycle executions and reads and puts executions/v1/ objects only', () => {
    const statements = roleStatements(template(), logicalIdOf(archive().archiver.role));
    const actions = statements.flatMap((statement) => asArray(statement.Action));
    expect(actions.filter((a) => /^(s3|states):/.test(a)).sort()).toEqual([
      's3:GetObject',
      's3:PutObject',
      'states:DescribeExecution',
      'states:GetExecutionHistory',
    ]);
    expect(actions.filter((a) => /Delete|Retention|LegalHold|^dynamodb:/.test(a))).toEqual([]);
    const s3 = statements.find((statement) => asArray(statement.Action).includes('s3:PutObject'))!;
    expect(flatResources(s3).map((resource) => flattenCfnReference(resource))).toEqual([
      expect.stringMatching(
        /jalon-dev-ledger-mirror-<AWS::AccountId>-<AWS::Region>\/executions\/v1\/\*$/,
      ) as unknown,
    ]);
  });
});
