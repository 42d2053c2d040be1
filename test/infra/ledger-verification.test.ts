import { Match } from 'aws-cdk-lib/assertions';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';

import { readLedgerVerificationDefinition } from '../../statemachines/definition';
import {
  expectFailureRecorded,
  logicalIdOf,
  onlyResource,
  policyStatements,
  resourcesOfType,
  roleStatements,
  synthStage,
  SYNTH_TIMEOUT_MS,
} from './synth-helpers';

beforeAll(() => {
  synthStage('prod');
}, SYNTH_TIMEOUT_MS);

describe('ledger verification job and signed digests in AWS (prod stage)', () => {
  it('signs with an asymmetric P-256 key for signing only, kept, whose policy grants no use to anyone', () => {
    const { staffApiTemplate: template } = synthStage('prod');
    const [, key] = onlyResource(template, 'AWS::KMS::Key');
    expect(key.Properties).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    expect(key.DeletionPolicy).toBe('Retain');
    const actions = policyStatements(key, 'KeyPolicy').flatMap((statement) => [statement.Action].flat());
    expect(actions).not.toContain('kms:*');
    expect(actions.filter((action) => /Sign|Verify|Decrypt|Encrypt/.test(String(action)))).toEqual([]);
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/jalon-prod-ledger-digest' });
  });

  it('the digest Lambda may sign, scan the cases and put under digests/ only; it runs daily', () => {
    const { staffApiTemplate: template, stacks } = synthStage('prod');
    const digest = stacks.staffApi.ledgerVerification.digest;
    const statements = roleStatements(template, logicalIdOf(digest.role));
    const keyRef = { 'Fn::GetAtt': [logicalIdOf(stacks.staffApi.ledgerVerification.signingKey), 'Arn'] };
    expect(statements).toContainEqual(expect.objectContaining({ Action: 'kms:Sign', Resource: keyRef }));
    const put = statements.find((statement) => statement.Sid === 'PutDigests');
    expect(put?.Action).toBe('s3:PutObject');
    // The mirror bucket is encrypted with the data key: a put takes a data key from it.
    const dataKey = {
      'Fn::GetStackOutput': expect.objectContaining({ OutputName: expect.stringContaining('DataKey') }),
    };
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: expect.arrayContaining(['kms:GenerateDataKey']), Resource: dataKey }),
    );
    expect(JSON.stringify(put?.Resource)).toContain('/digests/*');
    const everyAction = statements.flatMap((statement) => [statement.Action].flat()).map(String);
    expect(
      everyAction.filter((action) =>
        /^s3:(Delete|PutObjectRetention|PutObjectLegalHold|BypassGovernance)/.test(action),
      ),
    ).toEqual([]);
    expect(everyAction.filter((action) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(action))).toEqual(
      [],
    );
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 5 * * ? *)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalIdOf(digest.function), 'Arn'] } })],
    });
  });

  it('the job is a Standard state machine on its ASL, whose step Lambda reads the mirror, the public key and the ledger', () => {
    const { staffApiTemplate: template, stacks } = synthStage('prod');
    const job = stacks.staffApi.ledgerVerification;
    const machines = Object.values(resourcesOfType(template, 'AWS::StepFunctions::StateMachine'));
    const machine = machines.find(
      (m) => m.Properties['StateMachineName'] === 'jalon-prod-ledger-verification',
    );
    expect(machine?.Properties['StateMachineType']).toBe('STANDARD');
    expect(machine?.Properties['DefinitionString']).toEqual(readLedgerVerificationDefinition());
    const statements = roleStatements(template, logicalIdOf(job.task.role));
    const actions = statements.flatMap((statement) => [statement.Action].flat()).map(String);
    expect(actions).toContain('kms:GetPublicKey');
    expect(actions).not.toContain('kms:Sign');
    expect(actions.filter((action) => /^s3:(Put|Delete)/.test(action))).toEqual([]);
    const runs = statements.find((statement) => statement.Sid === 'StoreVerificationRuns');
    expect(runs?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['#ledger-verification-*'] },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'jalon-prod-ledger-verification',
      Timeout: 900,
      Environment: {
        Variables: Match.objectLike({
          LEDGER_MIRROR_BUCKET: Match.anyValue(),
          LEDGER_DIGEST_KEY_ID: Match.anyValue(),
        }),
      },
    });
  });

  it('the audit API may start and list this machine’s runs, and failed, stopped or timed-out runs alarm', () => {
    const { staffApiTemplate: template, stacks } = synthStage('prod');
    const statements = roleStatements(template, logicalIdOf(stacks.staffApi.auditApiFunction.role));
    expect(statements.find((statement) => statement.Sid === 'StartLedgerVerification')).toMatchObject({
      Action: ['states:ListExecutions', 'states:StartExecution'],
      Resource: { Ref: logicalIdOf(stacks.staffApi.ledgerVerification.stateMachine) },
    });
    // A run stored as running whose execution has ended without storing its end is answered failed.
    const follow = statements.find((statement) => statement.Sid === 'FollowLedgerVerification');
    expect(follow?.Action).toBe('states:DescribeExecution');
    expect(flattenCfnReference(follow?.Resource)).toMatch(/:execution:jalon-prod-ledger-verification:\*$/);
    const alarms = Object.keys(resourcesOfType(template, 'AWS::CloudWatch::Alarm'));
    for (const id of [
      'LedgerVerificationFailed',
      'LedgerVerificationAborted',
      'LedgerVerificationTimedOut',
      'LedgerDigestErrors',
    ])
      expect(alarms.some((logicalId) => logicalId.startsWith(id))).toBe(true);
  });

  it('catches every step’s failure into RecordFailure, which stores the run as failed before the machine fails', () => {
    expectFailureRecorded(
      synthStage('prod').staffApiTemplate,
      'jalon-prod-ledger-verification',
      'VerificationFailed',
    );
  });
});
