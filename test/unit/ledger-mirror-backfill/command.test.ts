import 'aws-sdk-client-mock-jest';

import {
  DescribeExecutionCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';

import { LedgerBackfillAccessDeniedError, startLedgerBackfill } from '../../../cli/commands/ledger-backfill';

const MACHINE = 'arn:aws:states:ca-central-1:123456789012:stateMachine:jalon-prod-ledger-mirror-backfill';
const sfn = mockClient(SFNClient);
const client = new SFNClient({ region: 'ca-central-1' });

function denied(action: string): Error {
  return Object.assign(
    new Error(
      `User: arn:aws:sts::123456789012:assumed-role/operator/jo is not authorized to perform: ${action} on resource: ${MACHINE}`,
    ),
    { name: 'AccessDeniedException' },
  );
}

beforeEach(() => {
  sfn.reset();
  sfn.on(ListExecutionsCommand).resolves({ executions: [] });
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'x', startDate: new Date('2026-03-02T15:00:00Z') });
});

describe('npx jalon ledger backfill', () => {
  it('names the permission refused and the managed policy that grants it', async () => {
    sfn.on(StartExecutionCommand).rejects(denied('states:StartExecution'));

    const run = startLedgerBackfill({ client, stateMachineArn: MACHINE, wait: false });

    await expect(run).rejects.toBeInstanceOf(LedgerBackfillAccessDeniedError);
    await expect(run).rejects.toThrow(
      /may not call states:StartExecution on .*:stateMachine:jalon-prod-ledger-mirror-backfill\. .*jalon-prod-ledger-mirror-backfill-operator .*docs\/deploy\.md, step 11/,
    );
  });

  it('names DescribeExecution when it may start the run but not follow it', async () => {
    sfn
      .on(DescribeExecutionCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));

    await expect(startLedgerBackfill({ client, stateMachineArn: MACHINE, wait: true })).rejects.toThrow(
      /may not call states:DescribeExecution on /,
    );
  });

  it('lets other errors through as they are', async () => {
    sfn
      .on(ListExecutionsCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));

    await expect(startLedgerBackfill({ client, stateMachineArn: MACHINE, wait: false })).rejects.toThrow(
      'slow down',
    );
  });

  it('says in plain words why a run it followed did not succeed', async () => {
    sfn
      .on(DescribeExecutionCommand)
      .resolvesOnce({ executionArn: 'x', stateMachineArn: MACHINE, status: 'RUNNING', startDate: new Date() })
      .resolves({ executionArn: 'x', stateMachineArn: MACHINE, status: 'ABORTED', startDate: new Date() });

    const run = await startLedgerBackfill({
      client,
      stateMachineArn: MACHINE,
      wait: true,
      sleep: () => Promise.resolve(),
    });

    expect(run.status).toBe('ABORTED');
    expect(run.reason).toMatch(/stopped before it ended; run it again/);
    expect(run.result).toBeUndefined();
  });
});
