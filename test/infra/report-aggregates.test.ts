import { createHash } from 'node:crypto';

import { Match, Template } from 'aws-cdk-lib/assertions';

import { LEDGER_TABLE, REPORTS_TABLE, tableName } from '../../shared/adapters/dynamodb/table-definitions';
import { readReportReplayDefinition } from '../../statemachines/definition';
import {
  asArray,
  expectOpsAlertsTopic,
  flatResources,
  logicalIdOf,
  onlyResource,
  resourcesOfType,
  type PolicyStatementJson,
  roleStatements,
  synthStage,
  SYNTH_TIMEOUT_MS,
} from './synth-helpers';

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
    // A case written counts a change of its day's summary item (`#day#` items only).
    expect(bySid.get('MarkReportDays')).toEqual('dynamodb:UpdateItem');
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]) as string[]);
    expect(actions.filter((a) => /dynamodb:(Delete|Update|Scan|BatchWrite)/.test(a))).toEqual([
      'dynamodb:UpdateItem',
    ]);
  });
});

describe('report replay job in AWS (dev stage)', () => {
  function replay() {
    const synth = synthStage('dev');
    const { reportReplay } = synth.stacks.staffApi;
    return {
      template: synth.staffApiTemplate,
      machineId: logicalIdOf(reportReplay.stateMachine),
      machineRoleId: logicalIdOf(reportReplay.stateMachine.role),
      taskId: logicalIdOf(reportReplay.task.function),
      taskRoleId: logicalIdOf(reportReplay.task.role),
    };
  }

  it('is a Standard state machine running the report-replay ASL with its step Lambda, traced, logged without execution data', () => {
    const { template, machineId, taskId } = replay();
    const machine = resourcesOfType(template, 'AWS::StepFunctions::StateMachine')[machineId]!.Properties;
    expect(machine['StateMachineName']).toBe('jalon-dev-report-replay');
    expect(machine['StateMachineType']).toBe('STANDARD');
    expect(machine['TracingConfiguration']).toEqual({ Enabled: true });
    expect(machine['LoggingConfiguration']).toMatchObject({ IncludeExecutionData: false, Level: 'ALL' });
    expect(machine['DefinitionString']).toBe(readReportReplayDefinition());
    expect(machine['DefinitionSubstitutions']).toEqual({
      ReportReplayFunctionArn: { 'Fn::GetAtt': [taskId, 'Arn'] },
    });
    const task = resourcesOfType(template, 'AWS::Lambda::Function')[taskId]!.Properties;
    expect(task['FunctionName']).toBe('jalon-dev-report-replay');
    // A step stops starting pages after 10 minutes; the function may run 15.
    expect(task['Timeout']).toBe(900);
    expect(Object.keys((task['Environment'] as { Variables: object }).Variables).sort()).toEqual(
      ['CASES_TABLE_NAME', 'LEDGER_TABLE_NAME', 'NODE_OPTIONS', 'REPORTS_TABLE_NAME'].sort(),
    );
  });

  it('the step Lambda reads the ledger and reads and writes the reports table, nothing else of them', () => {
    const { template, taskRoleId } = replay();
    const statements = roleStatements(template, taskRoleId);
    const bySid = new Map(statements.filter((s) => s.Sid !== undefined).map((s) => [s.Sid, s.Action]));
    expect(bySid.get('ReadLedger')).toEqual(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan']);
    expect(bySid.get('CheckReportAggregates')).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
    // A case written counts a change of its day's summary item (`#day#` items only).
    expect(bySid.get('MarkReportDays')).toEqual('dynamodb:UpdateItem');
    // The day walk reads a day's cases by its index and items by key (day items, pieces, pending cases).
    expect(bySid.get('SummarizeReportDays')).toEqual(['dynamodb:BatchGetItem', 'dynamodb:Query']);
    const dynamo = statements.flatMap((s) => asArray(s.Action)).filter((a) => a.startsWith('dynamodb:'));
    expect(dynamo.filter((a) => /dynamodb:(Delete|Update|BatchWrite)/.test(a))).toEqual([
      'dynamodb:UpdateItem',
    ]);
    expect(
      statements.flatMap((s) => asArray(s.Action)).filter((a) => /^(states|ses|s3|sqs):/.test(a)),
    ).toEqual([]);
  });

  it('the state machine may invoke its step Lambda (and its versions) only', () => {
    const { template, machineRoleId, taskId } = replay();
    const invokes = roleStatements(template, machineRoleId).filter((s) =>
      asArray(s.Action).includes('lambda:InvokeFunction'),
    );
    expect(invokes.flatMap(flatResources).sort()).toEqual([`<${taskId}.Arn>`, `<${taskId}.Arn>:*`].sort());
  });

  it('runs by itself every week (Sunday 07:00 UTC), so the report reads checked aggregates without anyone starting it', () => {
    const { template, machineId } = replay();
    const rules = Object.values(resourcesOfType(template, 'AWS::Events::Rule')).filter((rule) =>
      asArray(rule.Properties['Targets'] as unknown[]).some(
        (target) => JSON.stringify((target as { Arn: unknown }).Arn) === JSON.stringify({ Ref: machineId }),
      ),
    );
    expect(rules).toHaveLength(1);
    expect(rules[0]!.Properties['ScheduleExpression']).toBe('cron(0 7 ? * SUN *)');
    const [target] = rules[0]!.Properties['Targets'] as { Input?: string; RoleArn?: unknown }[];
    expect(target!.Input).toBe('{}');
    expect(target!.RoleArn).toBeDefined();
  });
});

describe('report replays started by themselves (dev stage)', () => {
  function starts() {
    const synth = synthStage('dev');
    const { reportReplayStarts, reportReplay, reportAggregates } = synth.stacks.staffApi;
    return {
      synth,
      template: synth.staffApiTemplate,
      starterId: logicalIdOf(reportReplayStarts.starter.function),
      starterRoleId: logicalIdOf(reportReplayStarts.starter.role),
      machineId: logicalIdOf(reportReplay.stateMachine),
      queueId: logicalIdOf(reportAggregates.failureQueue),
      consumerId: logicalIdOf(reportAggregates.consumer.function),
      stepId: logicalIdOf(reportReplay.task.function),
    };
  }

  it('a trigger invokes the starter after each deployment that changes the consumer, the replay step or the machine', () => {
    const { template, starterId, machineId, consumerId, stepId } = starts();
    const [, trigger] = onlyResource(template, 'Custom::Trigger');
    const properties = trigger.Properties;
    const version = resourcesOfType(template, 'AWS::Lambda::Version')[
      (properties['HandlerArn'] as { Ref: string }).Ref
    ];
    expect(version?.Properties['FunctionName']).toEqual({ Ref: starterId });
    expect(properties['InvocationType']).toBe('RequestResponse');
    expect(properties['ExecuteOnHandlerChange']).toBe(true);
    const functions = resourcesOfType(template, 'AWS::Lambda::Function');
    const codeKey = (id: string) => (functions[id]!.Properties['Code'] as { S3Key: string }).S3Key;
    expect(properties['ReplayOf']).toEqual({
      StreamConsumerCode: codeKey(consumerId),
      ReplayStepCode: codeKey(stepId),
      ReplayDefinition: createHash('sha256').update(readReportReplayDefinition()).digest('hex'),
    });
    // The trigger's provider may invoke the starter's versions, and nothing else.
    const invokes = Object.values(resourcesOfType(template, 'AWS::IAM::Role'))
      .flatMap(
        (role) =>
          (role.Properties['Policies'] ?? []) as { PolicyDocument: { Statement: PolicyStatementJson[] } }[],
      )
      .flatMap((policy) => policy.PolicyDocument.Statement)
      .filter((statement) => asArray(statement.Action).includes('lambda:InvokeFunction'));
    expect(invokes.flatMap(flatResources)).toEqual([`<${starterId}.Arn>:*`]);
    // It runs once the machine and the consumer's event source exist.
    const dependsOn = trigger.DependsOn ?? [];
    expect(dependsOn).toContain(machineId);
    expect(dependsOn.some((id) => /^ReportAggregatesConsumerFunctionDynamoDBEventSource/.test(id))).toBe(
      true,
    );
  });

  it('the starter lists and starts executions of the replay machine only, and consumes the failure queue only', () => {
    const { template, starterRoleId, machineId, queueId } = starts();
    const statements = roleStatements(template, starterRoleId);
    const byAction = new Map<string, string[]>();
    for (const statement of statements) {
      for (const action of asArray(statement.Action)) {
        byAction.set(action, [...(byAction.get(action) ?? []), ...flatResources(statement)]);
      }
    }
    expect(byAction.get('states:StartExecution')).toEqual([`<${machineId}>`]);
    expect(byAction.get('states:ListExecutions')).toEqual([`<${machineId}>`]);
    const sqsActions = [...byAction.keys()].filter((action) => action.startsWith('sqs:'));
    expect(sqsActions.sort()).toEqual(
      [
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
      ].sort(),
    );
    for (const action of sqsActions) expect(byAction.get(action)).toEqual([`<${queueId}.Arn>`]);
    const others = [...byAction.keys()].filter(
      (action) =>
        !/^(states:(List|Start)Executions?|sqs:|logs:CreateLogStream|logs:PutLogEvents|xray:)/.test(action),
    );
    expect(others).toEqual([]);
  });

  it('a burst of failures is one batch (up to 100 messages over a minute, two batches at most at a time), failures per message', () => {
    const { template, starterId, queueId } = starts();
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: starterId },
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 60,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    // A message a run in progress does not cover comes back 15 minutes later.
    expect(resourcesOfType(template, 'AWS::SQS::Queue')[queueId]!.Properties['VisibilityTimeout']).toBe(900);
  });

  it('raises a failure left waiting over 6 hours to the ops alerts topic', () => {
    const { synth, template, queueId } = starts();
    const alarms = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).filter(
      (alarm) => alarm.Properties['MetricName'] === 'ApproximateAgeOfOldestMessage',
    );
    expect(alarms).toHaveLength(1);
    const alarm = alarms[0]!.Properties;
    expect(alarm['Namespace']).toBe('AWS/SQS');
    expect(alarm['Dimensions']).toEqual([
      { Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } },
    ]);
    expect(alarm['Statistic']).toBe('Maximum');
    expect(alarm['Threshold']).toBe(6 * 3600);
    expect(alarm['ComparisonOperator']).toBe('GreaterThanOrEqualToThreshold');
    expectOpsAlertsTopic(synth, (alarm['AlarmActions'] as unknown[])[0]);
  });
});
