import 'aws-sdk-client-mock-jest';

import { DescribeExecutionCommand, ExecutionDoesNotExist, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';

import { SfnSingleRunStarter } from '../../../shared/adapters/sfn/single-run-starter';

const MACHINE = 'arn:aws:states:ca-central-1:123456789012:stateMachine:jalon-test-ledger-verification';
const EXECUTION = 'arn:aws:states:ca-central-1:123456789012:execution:jalon-test-ledger-verification:run-7';
const sfn = mockClient(SFNClient);
const runs = new SfnSingleRunStarter({
  client: new SFNClient({ region: 'ca-central-1' }),
  stateMachineArn: MACHINE,
});

beforeEach(() => sfn.reset());

describe('SfnSingleRunStarter: what became of a run’s execution', () => {
  it('describes the execution named after the run, with its status and stop time', async () => {
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn: EXECUTION,
      stateMachineArn: MACHINE,
      status: 'ABORTED',
      startDate: new Date('2026-03-04T15:00:00Z'),
      stopDate: new Date('2026-03-04T15:06:00Z'),
    });

    const execution = await runs.executionStatus('run-7');

    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: EXECUTION });
    expect(execution).toEqual({ status: 'aborted', stoppedAt: '2026-03-04T15:06:00.000Z' });
  });

  it('says running while it runs, missing when Step Functions has no such execution', async () => {
    sfn
      .on(DescribeExecutionCommand)
      .resolvesOnce({
        executionArn: EXECUTION,
        stateMachineArn: MACHINE,
        status: 'RUNNING',
        startDate: new Date(),
      })
      .rejectsOnce(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} }));

    expect(await runs.executionStatus('run-7')).toEqual({ status: 'running' });
    expect(await runs.executionStatus('run-7')).toEqual({ status: 'missing' });
  });

  it('throws what it cannot read (access denied), for the caller to fall back on the record’s age', async () => {
    sfn
      .on(DescribeExecutionCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));

    await expect(runs.executionStatus('run-7')).rejects.toThrow('denied');
  });
});
