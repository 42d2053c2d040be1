import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer, request } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

import { markLocalReportFeeding } from '../../../bench/local-feeding';
import { RequestCounter } from '../../../bench/request-counter';
import { ClientRequestTimeline } from '../../../bench/round-trips';
import { startDynaliteServer } from '../../../infra/local/emulators';
import type { DynaliteServer } from '../../../infra/local/emulators';
import { ReportFeedingCaseLedger } from '../../../infra/local/report-aggregates';

describe('client request timeline', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((_req, res) => setTimeout(() => res.end('{}'), 5));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const send = (target: string) =>
    new Promise<void>((resolve, reject) => {
      const req = request({ port, host: '127.0.0.1', method: 'POST', headers: { 'x-amz-target': target } });
      req.on('response', (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end('{}');
    });

  it('records each request with its port, target, start and end, leaving out those sent while skip() holds', async () => {
    const marked = new AsyncLocalStorage<true>();
    const timeline = new ClientRequestTimeline(() => marked.getStore() === true);
    try {
      await send('DynamoDB_20120810.GetItem');
      await marked.run(true, () => send('DynamoDB_20120810.PutItem'));
      await send('AWSStepFunctions.StartExecution');

      const requests = timeline.requests();

      expect(requests.map((r) => [r.port, r.target])).toEqual([
        [port, 'DynamoDB_20120810.GetItem'],
        [port, 'AWSStepFunctions.StartExecution'],
      ]);
      expect(requests.every((r) => r.end > r.start)).toBe(true);
      expect((requests[1]?.start ?? 0) >= (requests[0]?.end ?? Infinity)).toBe(true);

      timeline.reset();
      expect(timeline.requests()).toEqual([]);
    } finally {
      timeline.stop();
    }
  });
});

describe('local report-aggregate feeding marker', () => {
  it('marks the feeding that follows an append, not the append itself, and restores the ledger', async () => {
    const original = ReportFeedingCaseLedger.prototype.append;
    const feeding = markLocalReportFeeding();
    const seen: string[] = [];
    const note = (what: string) => seen.push(`${what} ${feeding.inFeeding() ? 'feeding' : 'command'}`);
    const inner = {
      append: async () => {
        note('append');
        await Promise.resolve();
        note('append after await');
        return { appended: true, event: { seq: 1 } };
      },
      read: async () => {
        note('read');
        return [];
      },
    };
    // No events read, so no aggregate to write: the store is never reached.
    const aggregates = {};
    const ledger = new ReportFeedingCaseLedger(inner as never, aggregates as never, () => undefined);
    try {
      await ledger.append('case-1', { type: 'case.received' } as never);
    } finally {
      feeding.restore();
    }
    note('after');

    expect(seen).toEqual(['append command', 'append after await command', 'read feeding', 'after command']);
    expect(ReportFeedingCaseLedger.prototype.append).toBe(original);
  });
});

describe("requests over dynalite's port", () => {
  let server: DynaliteServer;
  let client: DynamoDBClient;

  beforeAll(async () => {
    server = await startDynaliteServer({ createTableMs: 0 });
    client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${server.port}`,
      region: 'ca-central-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      requestHandler: server.requestHandler!.asRequestHandler(),
    });
  });
  afterAll(async () => {
    client.destroy();
    await server.stop();
  });

  it("are timed and counted under dynalite's HTTP port, with no connection, leaving out those skip() marks", async () => {
    const marked = new AsyncLocalStorage<true>();
    const timeline = new ClientRequestTimeline(() => marked.getStore() === true);
    const counter = new RequestCounter();
    try {
      await client.send(new ListTablesCommand({}));
      await marked.run(true, () => client.send(new ListTablesCommand({ Limit: 1 })));

      const requests = timeline.requests();

      expect(requests.map((r) => [r.port, r.target])).toEqual([
        [server.port, 'DynamoDB_20120810.ListTables'],
      ]);
      expect(requests[0]!.end).toBeGreaterThan(requests[0]!.start);
      expect(counter.count(server.port)).toBe(2);
      expect(counter.connections(server.port)).toBe(0);
    } finally {
      timeline.stop();
      counter.stop();
    }
  });
});
