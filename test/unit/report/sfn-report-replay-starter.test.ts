import 'aws-sdk-client-mock-jest';

import { ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';

import { SfnReportReplayStarter } from '../../../shared/adapters/sfn/report-replay-starter';

const MACHINE = 'arn:aws:states:ca-central-1:123456789012:stateMachine:jalon-test-report-replay';
const sfn = mockClient(SFNClient);
const starter = new SfnReportReplayStarter({
  client: new SFNClient({ region: 'ca-central-1' }),
  stateMachineArn: MACHINE,
  newRunId: () => 'run-2',
});

beforeEach(() => sfn.reset());

describe('SfnReportReplayStarter', () => {
  it('starts an execution of the replay machine named after the run, when none runs', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    sfn.on(StartExecutionCommand).resolves({
      executionArn: `${MACHINE.replace(':stateMachine:', ':execution:')}:run-2`,
      startDate: new Date('2026-06-10T12:00:00Z'),
    });
    expect(await starter.start()).toEqual({ runId: 'run-2', startedAt: '2026-06-10T12:00:00.000Z' });
    expect(sfn).toHaveReceivedCommandWith(ListExecutionsCommand, {
      stateMachineArn: MACHINE,
      statusFilter: 'RUNNING',
    });
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: MACHINE,
      name: 'run-2',
      input: '{}',
    });
  });

  it('returns the run in progress and starts nothing', async () => {
    sfn.on(ListExecutionsCommand).resolves({
      executions: [
        {
          executionArn: `${MACHINE.replace(':stateMachine:', ':execution:')}:run-1`,
          stateMachineArn: MACHINE,
          name: 'run-1',
          status: 'RUNNING',
          startDate: new Date('2026-06-10T11:00:00Z'),
        },
      ],
    });
    expect(await starter.start()).toEqual({ runId: 'run-1', startedAt: '2026-06-10T11:00:00.000Z' });
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });
});
