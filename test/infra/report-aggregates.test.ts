import { Match, Template } from 'aws-cdk-lib/assertions';

import { LEDGER_TABLE, REPORTS_TABLE, tableName } from '../../shared/adapters/dynamodb/table-definitions';
import { resourcesOfType, synthStage, SYNTH_TIMEOUT_MS } from './synth-helpers';

beforeAll(() => {
  synthStage('dev');
}, SYNTH_TIMEOUT_MS);

describe('report aggregates in AWS (dev stage)', () => {
  it('the ledger table streams its keys only (no event content leaves it), and the reports table exists with its indexes', () => {
    const tables = Object.values(resourcesOfType(synthStage('dev').dataTemplate, 'AWS::DynamoDB::Table'));
    const byName = new Map(tables.map((table) => [table.Properties['TableName'], table.Properties]));
    expect(byName.get(tableName('dev', LEDGER_TABLE))?.['StreamSpecification']).toEqual({
      StreamViewType: 'KEYS_ONLY',
    });
    const reports = byName.get(tableName('dev', REPORTS_TABLE));
    expect(
      (reports?.['GlobalSecondaryIndexes'] as { IndexName: string }[]).map((index) => index.IndexName).sort(),
    ).toEqual(['ByReceivedDay', 'BySettledMonth']);
  });

  it('the stream consumer reports failures per item, bisects, retries and sends what fails to a queue', () => {
    const template: Template = synthStage('dev').staffApiTemplate;
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      StartingPosition: 'TRIM_HORIZON',
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'jalon-dev-report-aggregates-failures',
      SqsManagedSseEnabled: true,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'jalon-dev-report-aggregates',
      Environment: {
        Variables: {
          REPORTS_TABLE_NAME: Match.anyValue(),
          LEDGER_TABLE_NAME: Match.anyValue(),
          CASES_TABLE_NAME: Match.anyValue(),
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
    });
  });

  it('the consumer may read the ledger and write the reports table, nothing else of them', () => {
    const policies = Object.values(resourcesOfType(synthStage('dev').staffApiTemplate, 'AWS::IAM::Policy'));
    const statements = policies
      .filter((policy) => JSON.stringify(policy.Properties['Roles']).includes('ReportAggregatesConsumer'))
      .flatMap(
        (policy) =>
          (policy.Properties['PolicyDocument'] as { Statement: { Sid?: string; Action: unknown }[] })
            .Statement,
      );
    const bySid = new Map(statements.filter((s) => s.Sid !== undefined).map((s) => [s.Sid, s.Action]));
    expect(bySid.get('ReadLedger')).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    expect(bySid.get('KeepReportAggregates')).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]) as string[]);
    expect(actions.filter((a) => /dynamodb:(Delete|Update|Scan|BatchWrite)/.test(a))).toEqual([]);
  });
});
