import type { SQSEvent } from 'aws-lambda';

import { makeHandler } from '../../../functions/report-replay-start/handler';
import type { ReportReplayStarter } from '../../../shared/domain/report';

/** A replay starter as the state machine behaves: a start while a run is in progress returns that run. */
class FakeReplay implements ReportReplayStarter {
  readonly started: string[] = [];
  running: { runId: string; startedAt: string } | undefined;

  constructor(private readonly now: () => string) {}

  async start() {
    if (this.running === undefined) {
      this.running = { runId: `run-${this.started.length + 1}`, startedAt: this.now() };
      this.started.push(this.running.runId);
    }
    return this.running;
  }
}

function failures(...sent: [string, string][]): SQSEvent {
  return {
    Records: sent.map(([messageId, at]) => ({
      messageId,
      receiptHandle: `handle-${messageId}`,
      body: '{"DDBStreamBatchInfo":{"shardId":"shard-1","batchSize":3}}',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(Date.parse(at)),
        SenderId: 'lambda',
        ApproximateFirstReceiveTimestamp: String(Date.parse(at)),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:ca-central-1:123456789012:jalon-test-report-aggregates-failures',
      awsRegion: 'ca-central-1',
    })),
  };
}

function setUp(now: string) {
  const clock = { now };
  const replay = new FakeReplay(() => clock.now);
  const logged: Record<string, unknown>[] = [];
  const handler = makeHandler({ replay, logger: { info: (_m, fields) => logged.push(fields) } });
  return { clock, replay, logged, handler };
}

describe('report-replay-start: the failure queue', () => {
  it('starts one replay for a whole batch of failures, and every message is covered', async () => {
    const { replay, handler } = setUp('2026-06-10T12:00:05.000Z');

    const result = await handler(
      failures(
        ['m1', '2026-06-10T12:00:00Z'],
        ['m2', '2026-06-10T12:00:01Z'],
        ['m3', '2026-06-10T12:00:02Z'],
      ),
    );

    expect(result).toEqual({ batchItemFailures: [] });
    expect(replay.started).toEqual(['run-1']);
  });

  it('a run in progress is enough for the failures older than it; the newer come back later', async () => {
    const { clock, replay, handler } = setUp('2026-06-10T11:00:00.000Z');
    await replay.start();
    clock.now = '2026-06-10T12:30:00.000Z';

    const result = await handler(failures(['old', '2026-06-10T10:59:59Z'], ['new', '2026-06-10T11:00:00Z']));

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'new' }] });
    expect(replay.started).toEqual(['run-1']);
  });

  it('once the run in progress has ended, the message that came back starts the next one', async () => {
    const { clock, replay, handler } = setUp('2026-06-10T11:00:00.000Z');
    await replay.start();
    await handler(failures(['new', '2026-06-10T11:30:00Z']));
    replay.running = undefined;
    clock.now = '2026-06-10T13:00:00.000Z';

    const result = await handler(failures(['new', '2026-06-10T11:30:00Z']));

    expect(result).toEqual({ batchItemFailures: [] });
    expect(replay.started).toEqual(['run-1', 'run-2']);
  });

  it('logs the run and counts, never the messages’ bodies', async () => {
    const { logged, handler } = setUp('2026-06-10T12:00:05.000Z');

    await handler(failures(['m1', '2026-06-10T12:00:00Z']));

    expect(logged).toEqual([
      { runId: 'run-1', startedAt: '2026-06-10T12:00:05.000Z', failures: 1, notCovered: 0 },
    ]);
    expect(JSON.stringify(logged)).not.toContain('shard');
  });
});

describe('report-replay-start: the deployment', () => {
  it('starts a replay when the deployment’s trigger invokes it, or returns the one in progress', async () => {
    const { replay, handler } = setUp('2026-06-10T12:00:00.000Z');

    expect(await handler({})).toEqual({ runId: 'run-1' });
    expect(await handler({})).toEqual({ runId: 'run-1' });
    expect(replay.started).toEqual(['run-1']);
  });

  it('refuses any other input with a named error and starts nothing', async () => {
    const { replay, handler } = setUp('2026-06-10T12:00:00.000Z');

    await expect(handler({ Records: [] })).rejects.toMatchObject({ name: 'InvalidReplayStartError' });
    await expect(handler({ action: 'start' })).rejects.toMatchObject({ name: 'InvalidReplayStartError' });
    expect(replay.started).toEqual([]);
  });

  it('lets a failing start fail the invocation (the deployment, or the batch, sees it)', async () => {
    const handler = makeHandler({
      replay: {
        start: async () => {
          throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
        },
      },
      logger: { info: () => undefined },
    });

    await expect(handler({})).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(handler(failures(['m1', '2026-06-10T12:00:00Z']))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });
});
