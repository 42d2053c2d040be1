import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';

import { readLedgerMirrorBackfillDefinition } from '../../statemachines/definition';
import {
  asArray,
  expectFailureRecorded,
  flatResources,
  logicalIdOf,
  policyStatements,
  resourcesOfType,
  roleStatements,
  synthStage,
  SYNTH_TIMEOUT_MS,
} from './synth-helpers';

/** The mirror back-fill (`docs/ledger-mirror.md`, "Back-fill"): its machine, its Lambda and what it may do. */
beforeAll(() => {
  synthStage('prod');
}, SYNTH_TIMEOUT_MS);

describe('ledger mirror back-fill (prod stage)', () => {
  const backfill = () => synthStage('prod').stacks.staffApi.ledgerMirrorBackfill;
  const template = () => synthStage('prod').staffApiTemplate;
  const statements = () => roleStatements(template(), logicalIdOf(backfill().task.role));

  it('is a Standard state machine on its ASL, invoking its step Lambda only', () => {
    const machine = Object.values(resourcesOfType(template(), 'AWS::StepFunctions::StateMachine')).find(
      (m) => m.Properties['StateMachineName'] === 'jalon-prod-ledger-mirror-backfill',
    );
    expect(machine?.Properties['StateMachineType']).toBe('STANDARD');
    expect(machine?.Properties['DefinitionString']).toEqual(readLedgerMirrorBackfillDefinition());
    expect(machine?.Properties['DefinitionSubstitutions']).toEqual({
      LedgerMirrorBackfillFunctionArn: { 'Fn::GetAtt': [logicalIdOf(backfill().task.function), 'Arn'] },
    });
  });

  it('puts and gets objects under the mirror’s event, tamper and execution prefixes only, never deletes', () => {
    const actions = statements().flatMap((statement) => asArray(statement.Action));
    expect(actions.filter((action) => action.startsWith('s3:')).sort()).toEqual([
      's3:GetObject',
      's3:PutObject',
    ]);
    expect(actions.filter((action) => /Delete|Retention|LegalHold|BypassGovernance/.test(action))).toEqual(
      [],
    );
    const put = statements().find((statement) => asArray(statement.Action).includes('s3:PutObject'))!;
    const bucket = 'arn:<AWS::Partition>:s3:::jalon-prod-ledger-mirror-<AWS::AccountId>-<AWS::Region>';
    expect(
      flatResources(put)
        .map((resource) => flattenCfnReference(resource))
        .sort(),
    ).toEqual([`${bucket}/executions/v1/*`, `${bucket}/ledger-conflicts/v1/*`, `${bucket}/ledger/v1/*`]);
  });

  it('reads the ledger and never writes it; writes only its own run items of the reports table', () => {
    const read = statements().find((statement) => statement.Sid === 'ReadLedger');
    expect(asArray(read?.Action).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan']);
    const dynamoWrites = statements()
      .filter((statement) =>
        asArray(statement.Action).some((a) => /^dynamodb:(Put|Update|Delete|Batch)/.test(a)),
      )
      .map((statement) => statement.Sid);
    expect(dynamoWrites).toEqual(['StoreBackfillRuns']);
    const runs = statements().find((statement) => statement.Sid === 'StoreBackfillRuns');
    expect(runs?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['#ledger-mirror-backfill-*'] },
    });
  });

  it('lists the case-lifecycle’s executions and reads theirs, nothing else of Step Functions', () => {
    const states = statements().filter((statement) =>
      asArray(statement.Action).some((action) => action.startsWith('states:')),
    );
    expect(
      states.map((statement) => [
        asArray(statement.Action),
        flatResources(statement).map((resource) => flattenCfnReference(resource)),
      ]),
    ).toEqual([
      [['states:ListExecutions'], [expect.stringMatching(/:stateMachine:jalon-prod-case-lifecycle$/)]],
      [
        ['states:DescribeExecution', 'states:GetExecutionHistory'],
        [expect.stringMatching(/:execution:jalon-prod-case-lifecycle:\*$/)],
      ],
    ]);
  });

  it('gives the operator who runs the command a managed policy: start, list and follow that machine’s runs only', () => {
    const [logicalId, policy] = Object.entries(resourcesOfType(template(), 'AWS::IAM::ManagedPolicy')).find(
      ([, resource]) =>
        resource.Properties['ManagedPolicyName'] === 'jalon-prod-ledger-mirror-backfill-operator',
    )!;
    expect(logicalId).toBe(logicalIdOf(backfill().operatorPolicy));
    const statements = policyStatements(policy, 'PolicyDocument');
    expect(
      statements.map((statement) => [
        statement.Sid,
        asArray(statement.Action),
        flatResources(statement).map((resource) => flattenCfnReference(resource)),
      ]),
    ).toEqual([
      [
        'StartBackfill',
        ['states:ListExecutions', 'states:StartExecution'],
        [`<${logicalIdOf(backfill().stateMachine)}>`],
      ],
      [
        'FollowBackfill',
        ['states:DescribeExecution'],
        [expect.stringMatching(/:execution:jalon-prod-ledger-mirror-backfill:\*$/)],
      ],
    ]);
    // Attached to no role of the stack: it is the operator's to attach (docs/deploy.md, step 11).
    for (const key of ['Roles', 'Users', 'Groups']) expect(policy.Properties[key]).toBeUndefined();
    const outputs = Object.keys(template().toJSON()['Outputs'] as Record<string, unknown>);
    expect(outputs.filter((output) => output.startsWith('LedgerMirrorBackfill')).sort()).toEqual([
      'LedgerMirrorBackfillOperatorPolicyArn',
      'LedgerMirrorBackfillStateMachineArn',
    ]);
  });

  it('catches every step’s failure into RecordFailure, which stores the run as failed before the machine fails', () => {
    expectFailureRecorded(template(), 'jalon-prod-ledger-mirror-backfill', 'BackfillFailed');
  });
});
