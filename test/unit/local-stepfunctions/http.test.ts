import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';

import { VirtualClock } from '../../../infra/local/clock/virtual-clock';
import { LocalStepFunctions } from '../../../infra/local/stepfunctions/engine';
import { createSfnRequestHandler } from '../../../infra/local/stepfunctions/http';
import { readAsl } from './support';

const START = '2027-01-04T14:00:00.000Z';
const DUE = '2027-02-13T14:00:00.000Z';

let clock: VirtualClock;
let sfn: LocalStepFunctions;
let server: Server;
let client: SFNClient;
let stateMachineArn: string;

beforeEach(async () => {
  clock = VirtualClock.install({ now: START });
  sfn = new LocalStepFunctions({ activity: clock.activity });
  stateMachineArn = await sfn.createStateMachine({
    name: 'WaitThenCheck',
    definition: readAsl('wait-then-check.asl.json'),
    taskHandlers: {
      PlanDeadline: async () => ({ dueAt: DUE }),
      CheckCase: async () => ({ answered: true }),
    },
  });
  server = createServer(createSfnRequestHandler(sfn, { activity: clock.activity }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new SFNClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'ca-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
});

afterEach(async () => {
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
  await sfn.close();
  clock.uninstall();
});

describe('the Step Functions HTTP API, through @aws-sdk/client-sfn', () => {
  it('starts, describes and lists an execution, with dates as Date objects', async () => {
    const input = JSON.stringify({ caseId: 'c1' });
    const started = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'case-1', input }));
    const again = await client.send(new StartExecutionCommand({ stateMachineArn, name: 'case-1', input }));
    await clock.advanceTo(DUE);

    const described = await client.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
    const listed = await client.send(
      new ListExecutionsCommand({ stateMachineArn, statusFilter: 'SUCCEEDED' }),
    );

    expect(again.executionArn).toBe(started.executionArn);
    expect(started.startDate?.toISOString()).toBe(START);
    expect(described).toMatchObject({ status: 'SUCCEEDED', name: 'case-1', input });
    expect(described.stopDate?.toISOString()).toBe(DUE);
    expect(listed.executions?.map((execution) => execution.name)).toEqual(['case-1']);
  });

  it('returns the history in AWS form', async () => {
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn, name: 'case-2' }),
    );
    await clock.advanceTo(DUE);

    const { events = [] } = await client.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true }),
    );

    expect(events[0]).toMatchObject({ type: 'ExecutionSucceeded', id: 18, previousEventId: 17 });
    expect(events[0]?.timestamp?.toISOString()).toBe(DUE);
    expect(events.find((event) => event.type === 'WaitStateEntered')?.stateEnteredEventDetails?.name).toBe(
      'WaitUntilDue',
    );
  });

  it('stops an execution and maps errors to the SDK exceptions', async () => {
    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn, name: 'case-3' }),
    );
    await clock.runUntilIdle();

    await client.send(new StopExecutionCommand({ executionArn, error: 'CaseWithdrawn' }));
    const stopped = await client.send(new DescribeExecutionCommand({ executionArn }));
    const reused = client.send(new StartExecutionCommand({ stateMachineArn, name: 'case-3' }));
    const missing = client.send(new DescribeExecutionCommand({ executionArn: `${executionArn}-nope` }));

    expect(stopped).toMatchObject({ status: 'ABORTED', error: 'CaseWithdrawn' });
    await expect(reused).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await expect(missing).rejects.toBeInstanceOf(ExecutionDoesNotExist);
  });
});
