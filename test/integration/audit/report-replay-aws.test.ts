import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { SFNClient } from '@aws-sdk/client-sfn';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

import { makeHandler } from '../../../functions/audit-api/handler';
import { reportPortsInAws } from '../../../functions/audit-api/report-wiring';
import { makeHandler as makeReplayTask } from '../../../functions/report-replay/handler';
import {
  DynamoDbCaseLedger,
  DynamoDbLedgerCasePages,
  DynamoDbLedgerScanner,
  DynamoDbReportAggregates,
} from '../../../shared/adapters/dynamodb';
import { SfnReportReplayStarter } from '../../../shared/adapters/sfn/report-replay-starter';
import { InMemoryAccessJournal } from '../../../shared/domain/access/access-journal';
import type { LedgerEvent } from '../../../shared/domain/ledger';
import { loadSctPolicy } from '../../../shared/domain/policy';
import { LedgerReportSource } from '../../../shared/domain/report';
import { bundledCalendars } from '../../../shared/domain/time';
import { LocalStepFunctions } from '../../../infra/local/stepfunctions/engine';
import { createSfnRequestHandler } from '../../../infra/local/stepfunctions/http';
import { readReportReplayDefinition } from '../../../statemachines/definition';
import { startDynalite } from '../../support/dynalite';
import type { LocalDynamo } from '../../support/dynalite';
import { FakeExecutions } from '../../unit/audit/fakes';
import { FixedClock } from '../../unit/commands/fixtures';
import { buildScenario } from '../../unit/report/scenario';

/**
 * The audit API as it is wired in AWS (`functions/audit-api/index.ts`, `reportPortsInAws`), on local parts:
 * the ledger in dynalite with cases recorded before any aggregate existed (as when the stream consumer is
 * deployed on a running system), the report-replay ASL on the local Step Functions engine behind its HTTP
 * API (so `SfnReportReplayStarter` talks to it through @aws-sdk/client-sfn), the real step Lambda handler.
 */
jest.setTimeout(120_000);

const AUDITOR = { sub: 'aud-bouchard', 'cognito:groups': '[auditor]' };
const NOW = '2026-04-02T14:00:00.000Z';
const PERIOD = { from: '2026-03-01', to: '2026-03-31' };

let dynamo: LocalDynamo;
let histories: LedgerEvent[][];
let sfn: LocalStepFunctions;
let server: Server;
let client: SFNClient;
let machineArn: string;
let audit: ReturnType<typeof makeHandler>;
let aggregates: DynamoDbReportAggregates;

function request(method: 'GET' | 'POST', path: string, query: Record<string, string> = {}) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    queryStringParameters: query,
    headers: {},
    requestContext: {
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: AUDITOR as never, scopes: [] } },
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'jest' },
      requestId: 'req-replay',
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer['requestContext'],
    isBase64Encoded: false,
  } as APIGatewayProxyEventV2WithJWTAuthorizer;
}

async function call(method: 'GET' | 'POST', path: string, query: Record<string, string> = {}) {
  const response = (await audit(request(method, path, query))) as APIGatewayProxyStructuredResultV2;
  return {
    status: response.statusCode,
    body: JSON.parse(response.body ?? 'null') as Record<string, unknown>,
  };
}

beforeAll(async () => {
  dynamo = await startDynalite('replay-aws');
  histories = await (await buildScenario()).histories();
  const items = histories.flat();
  for (let i = 0; i < items.length; i += 25) {
    await dynamo.client.send(
      new BatchWriteCommand({
        RequestItems: {
          [dynamo.tables.ledger]: items.slice(i, i + 25).map((item) => ({ PutRequest: { Item: item } })),
        },
      }),
    );
  }
  const clock = new FixedClock(NOW);
  aggregates = new DynamoDbReportAggregates({
    client: dynamo.client,
    tables: dynamo.tables,
    clock,
    daySettleMs: 0,
  });
  const ledger = new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables });
  const task = makeReplayTask({
    ledger,
    pages: new DynamoDbLedgerCasePages({ client: dynamo.client, tables: dynamo.tables, pageSize: 20 }),
    store: aggregates,
    days: aggregates,
    calendars: bundledCalendars(),
    now: () => clock.now(),
    stepBudgetMs: 0,
    logger: { info: () => undefined },
  });
  sfn = new LocalStepFunctions();
  machineArn = await sfn.createStateMachine({
    name: 'jalon-test-report-replay',
    definition: readReportReplayDefinition(),
    taskHandlers: { ReplayPages: task, SummarizeDays: task, Finish: task },
  });
  server = createServer(createSfnRequestHandler(sfn));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new SFNClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'ca-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const scanner = new DynamoDbLedgerScanner({ client: dynamo.client, tables: dynamo.tables });
  audit = makeHandler({
    ledger,
    scanner,
    ...reportPortsInAws({
      aggregates,
      ledger: new LedgerReportSource(scanner),
      replay: new SfnReportReplayStarter({ client, stateMachineArn: machineArn }),
    }),
    executions: new FakeExecutions(),
    clock,
    policy: loadSctPolicy(),
    accessJournal: new InMemoryAccessJournal(),
    caseReferences: { findCaseIdByReference: async () => undefined } as never,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined } as never,
    originCheck: { mode: 'off' },
  });
}, 120_000);

afterAll(async () => {
  client?.destroy();
  if (server !== undefined) await new Promise((resolve) => server.close(resolve));
  await sfn?.close();
  await dynamo?.stop();
});

describe('the audit API in AWS: the report replay and the aggregates', () => {
  it('reads the ledger until the first replay, starts the replay state machine, then reads the aggregates', async () => {
    const before = await call('GET', '/api/audit/reports/service-statement', PERIOD);
    expect(before.status).toBe(200);
    expect(before.body['source']).toEqual({
      kind: 'ledger-replay',
      casesRead: 12,
      awaitingFirstReplay: true,
    });
    expect(await call('GET', '/api/audit/reports/replay')).toEqual({ status: 200, body: { latest: null } });

    const started = await call('POST', '/api/audit/reports/replay');
    expect(started.status).toBe(202);
    const runId = started.body['runId'] as string;
    const closed = await sfn.whenClosed(`${machineArn.replace(':stateMachine:', ':execution:')}:${runId}`);
    expect(closed.status).toBe('SUCCEEDED');

    // The run built the day summaries: 2 March (four final cases) is summarized before any report reads it.
    expect((await aggregates.dayStates(['2026-03-02'])).get('2026-03-02')?.summary?.included).toBe(4);

    const latest = await call('GET', '/api/audit/reports/replay');
    expect(latest.body['latest']).toMatchObject({ runId, matched: false, differences: 12, cases: 12 });

    const after = await call('GET', '/api/audit/reports/service-statement', PERIOD);
    expect(after.body['source']).toMatchObject({
      kind: 'aggregates',
      lastChecked: { at: NOW, matched: false },
    });
    expect((after.body['source'] as { casesRead: number }).casesRead).toBeLessThan(12);
    expect({ ...after.body, source: null, generatedAt: null }).toEqual({
      ...before.body,
      source: null,
      generatedAt: null,
    });

    // A second replay finds the aggregates right.
    const again = await call('POST', '/api/audit/reports/replay');
    await sfn.whenClosed(
      `${machineArn.replace(':stateMachine:', ':execution:')}:${again.body['runId'] as string}`,
    );
    expect((await call('GET', '/api/audit/reports/replay')).body['latest']).toMatchObject({
      matched: true,
      differences: 0,
      cases: 12,
    });
  });
});
