import 'aws-sdk-client-mock-jest';

import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  SFNClient,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';

import { SfnExecutionHistory } from '../../../shared/adapters/sfn/execution-history';

const MACHINE = 'arn:aws:states:ca-central-1:123456789012:stateMachine:jalon-test-case-lifecycle';
const EXECUTION = 'arn:aws:states:ca-central-1:123456789012:execution:jalon-test-case-lifecycle:case-1--g2';
const sfn = mockClient(SFNClient);
const reader = new SfnExecutionHistory({
  client: new SFNClient({ region: 'ca-central-1' }),
  stateMachineArn: MACHINE,
});

beforeEach(() => sfn.reset());

describe('SfnExecutionHistory', () => {
  it('describes an execution by name, from the state machine ARN', async () => {
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn: EXECUTION,
      stateMachineArn: MACHINE,
      name: 'case-1--g2',
      status: 'SUCCEEDED',
      startDate: new Date('2026-03-02T14:00:01Z'),
      stopDate: new Date('2026-03-04T14:00:01Z'),
      input: '{"caseId":"case-1"}',
    });

    const summary = await reader.describe('case-1--g2');

    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: EXECUTION });
    expect(summary).toEqual({
      executionArn: EXECUTION,
      name: 'case-1--g2',
      status: 'SUCCEEDED',
      startDate: '2026-03-02T14:00:01.000Z',
      stopDate: '2026-03-04T14:00:01.000Z',
    });
  });

  it('answers undefined for a name without execution, and passes other errors on', async () => {
    sfn
      .on(DescribeExecutionCommand)
      .rejectsOnce(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} }))
      .rejectsOnce(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));

    await expect(reader.describe('case-1--g3')).resolves.toBeUndefined();
    await expect(reader.describe('case-1--g3')).rejects.toThrow('throttled');
  });

  it('reads every page of the history without execution data and names the states', async () => {
    sfn
      .on(GetExecutionHistoryCommand)
      .resolvesOnce({
        events: [
          { id: 1, timestamp: new Date('2026-03-02T14:00:01Z'), type: 'ExecutionStarted' },
          {
            id: 2,
            timestamp: new Date('2026-03-02T14:00:02Z'),
            type: 'WaitStateEntered',
            stateEnteredEventDetails: { name: 'WaitUntilNextCheck' },
          },
        ],
        nextToken: 'page-2',
      })
      .resolvesOnce({
        events: [
          {
            id: 3,
            timestamp: new Date('2026-03-04T14:00:01Z'),
            type: 'WaitStateExited',
            stateExitedEventDetails: { name: 'WaitUntilNextCheck' },
          },
        ],
      });

    const events = await reader.history(EXECUTION);

    expect(sfn).toHaveReceivedCommandTimes(GetExecutionHistoryCommand, 2);
    expect(sfn).toHaveReceivedNthCommandWith(1, GetExecutionHistoryCommand, {
      executionArn: EXECUTION,
      includeExecutionData: false,
      maxResults: 1000,
    });
    expect(sfn).toHaveReceivedNthCommandWith(2, GetExecutionHistoryCommand, { nextToken: 'page-2' });
    expect(events).toEqual([
      { id: 1, timestamp: '2026-03-02T14:00:01.000Z', type: 'ExecutionStarted' },
      { id: 2, timestamp: '2026-03-02T14:00:02.000Z', type: 'WaitStateEntered', state: 'WaitUntilNextCheck' },
      { id: 3, timestamp: '2026-03-04T14:00:01.000Z', type: 'WaitStateExited', state: 'WaitUntilNextCheck' },
    ]);
  });

  it('refuses an ARN that is not a state machine', () => {
    expect(
      () => new SfnExecutionHistory({ client: new SFNClient({}), stateMachineArn: EXECUTION }),
    ).toThrow();
  });
});
