import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import { realSleep } from '../../../infra/local/real-timers';
import type { TaskContext, TaskHandler } from '../../../infra/local/stepfunctions/engine';
import { client } from './support';

/**
 * A verification run that dies, on the whole local stack: a step that throws for good (the machine's Catch
 * stores the run failed), and an execution stopped mid-step through the local engine's `StopExecution` (no
 * Catch runs: the audit API answers the run failed from the execution's ending). Each time a new run then
 * starts and ends.
 */
jest.setTimeout(120_000);

const START = '2026-03-02T15:00:00.000Z';

/** What the job's Tasks do besides their work: nothing, throw, or hang in `CheckCases` until released. */
let fault: 'none' | 'throw' | 'hang' = 'none';
let hanging: { context: TaskContext; release: () => void } | undefined;

const faulty =
  (task: TaskHandler): TaskHandler =>
  async (input, context) => {
    if (context.stateName === 'CheckCases' && fault === 'throw') {
      throw Object.assign(new Error('the page cannot be read'), { name: 'LedgerPageUnreadableError' });
    }
    if (context.stateName === 'CheckCases' && fault === 'hang') {
      await new Promise<void>((release) => {
        hanging = { context, release };
      });
    }
    return task(input, context);
  };

let stack: LocalStack;
let api: ReturnType<typeof client>;
let dynamo: DynamoDBDocumentClient;
let sfn: SFNClient;
let auditor: string;

beforeAll(async () => {
  stack = await startLocalStack({
    memory: true,
    virtualClock: START,
    port: 0,
    smtpPort: 0,
    quiet: true,
    wrapJobTask: faulty,
  });
  api = client(stack.urls.web);
  const local = {
    region: 'ca-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ ...local, endpoint: stack.urls.dynamodb }));
  sfn = new SFNClient({ ...local, endpoint: stack.urls.sfn });
  const clerk = await api.login('agent');
  auditor = await api.login('auditor');
  await api.registerLetter(clerk, 'letter-1', '2026-03-02T14:00:00.000Z');
  await api.clock({ advance: 'PT0S' });
}, 120_000);

afterAll(async () => {
  hanging?.release();
  dynamo?.destroy();
  sfn?.destroy();
  await stack?.stop();
});

const auth = () => ({ authorization: `Bearer ${auditor}` });

async function start(): Promise<string> {
  const started = await api.request('POST', '/api/audit/ledger/verifications', undefined, auth());
  expect(started.status).toBe(202);
  return String(started.json['runId']);
}

async function latest(): Promise<{ latest: Record<string, unknown> | null; lastFinished: unknown }> {
  const answer = await api.request('GET', '/api/audit/ledger/verifications/latest', undefined, auth());
  expect(answer.status).toBe(200);
  return answer.json as { latest: Record<string, unknown> | null; lastFinished: unknown };
}

/** Looks at the latest run until `until` holds (the page's own polling, faster). */
async function lookUntil(
  until: (run: Record<string, unknown> | null) => boolean,
): Promise<Record<string, unknown>> {
  let run: Record<string, unknown> | null = null;
  for (let attempt = 0; attempt < 300; attempt += 1) {
    run = (await latest()).latest;
    if (until(run)) return run!;
    await realSleep(100);
  }
  throw new Error(`the run never got there: ${JSON.stringify(run)}`);
}

async function storedLatest(): Promise<Record<string, unknown> | undefined> {
  return (
    await dynamo.send(
      new GetCommand({ TableName: stack.tables.reports, Key: { caseId: '#ledger-verification-latest' } }),
    )
  ).Item;
}

describe('a ledger verification run that dies on the local stack', () => {
  it('is stored failed with its error when a step throws for good, and a new run then starts and ends', async () => {
    fault = 'throw';
    const runId = await start();
    await api.clock({ advance: 'PT0S' });

    const failed = await lookUntil((run) => run?.['runId'] === runId && run['status'] !== 'running');
    const stored = await storedLatest();
    fault = 'none';
    const next = await start();
    await api.clock({ advance: 'PT0S' });
    const ended = await lookUntil((run) => run?.['runId'] === next && run['status'] !== 'running');

    expect(failed).toMatchObject({ runId, status: 'failed', error: 'LedgerPageUnreadableError' });
    expect(failed['finishedAt']).toEqual(expect.any(String));
    // Stored so by the machine's RecordFailure, not only answered so.
    expect(stored).toMatchObject({ runId, status: 'failed', error: 'LedgerPageUnreadableError' });
    expect(next).not.toBe(runId);
    expect(ended).toMatchObject({ status: 'succeeded', ok: true, cases: 1 });
  });

  it('is answered failed (stopped) when its execution is stopped mid-step, and a new run then starts and ends', async () => {
    fault = 'hang';
    hanging = undefined;
    const runId = await start();
    // The first step stores the run as running; the next one hangs.
    await lookUntil(
      (run) => run?.['runId'] === runId && run['status'] === 'running' && hanging !== undefined,
    );
    await sfn.send(new StopExecutionCommand({ executionArn: hanging!.context.executionArn }));

    const answered = await latest();
    const stored = await storedLatest();
    // The step in flight finishes after the stop (as a Lambda does) and stores its progress: still answered failed.
    fault = 'none';
    hanging!.release();
    await api.clock({ advance: 'PT0S' });
    const afterStep = (await latest()).latest;
    const next = await start();
    await api.clock({ advance: 'PT0S' });
    const ended = await lookUntil((run) => run?.['runId'] === next && run['status'] !== 'running');

    expect(answered.latest).toMatchObject({ runId, status: 'failed', error: 'ExecutionAborted' });
    expect(answered.latest?.['finishedAt']).toEqual(expect.any(String));
    expect(answered.lastFinished).toMatchObject({ status: 'succeeded' });
    // The API only answered: nothing was written over the run's own record.
    expect(stored).toMatchObject({ runId, status: 'running' });
    expect(afterStep).toMatchObject({ runId, status: 'failed', error: 'ExecutionAborted' });
    expect(next).not.toBe(runId);
    expect(ended).toMatchObject({ status: 'succeeded', ok: true });
  });
});
