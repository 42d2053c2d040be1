import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { DeleteCommand } from '@aws-sdk/lib-dynamodb';

import { startLocalStack } from '../../../infra/local/local-stack';
import { realSleep } from '../../../infra/local/real-timers';
import type { LocalStack } from '../../../infra/local/local-stack';
import { DynamoDbLedgerScanner, DynamoDbReportAggregates } from '../../../shared/adapters/dynamodb';
import { InMemoryAccessJournal } from '../../../shared/domain/access/access-journal';
import { loadSctPolicy } from '../../../shared/domain/policy';
import {
  LedgerReportSource,
  caseReportRecord,
  projectReportAggregate,
  serviceStatementReport,
  stableFrom,
} from '../../../shared/domain/report';
import type { ReportReplayResult } from '../../../shared/domain/report';
import { bundledCalendars } from '../../../shared/domain/time';
import { AUDITOR, FixedClock } from '../../unit/commands/fixtures';
import { listedFigures } from '../../unit/report/listed-cases';
import { client, sendSmtp } from './support';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localClientOptions } from '../../../infra/local/emulators';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The report aggregates on the whole local stack, through a scripted month: a web form, an email, a letter
 * typed in by a clerk, staff acknowledgement, reassignment, extension and answer, and the clock running
 * past deadlines (automatic acknowledgements, breaches). After each step every case's stored aggregate equals
 * the one a replay of its ledger gives; the report reads the aggregates, never the ledger.
 */
const START = '2026-03-02T15:00:00.000Z';
let stack: LocalStack;
let api: ReturnType<typeof client>;
let aggregates: DynamoDbReportAggregates;
let scanner: DynamoDbLedgerScanner;
let documentClient: DynamoDBDocumentClient;

beforeAll(async () => {
  // dynalite on this thread: the test watches the requests its server receives.
  stack = await startLocalStack({
    memory: true,
    virtualClock: START,
    port: 0,
    smtpPort: 0,
    quiet: true,
    dynaliteOnMainThread: true,
  });
  api = client(stack.urls.web);
  documentClient = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.urls.dynamodb,
      region: 'ca-central-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      // As the stack's own clients: a refused conditional put is not retried as a clock-skew correction.
      ...localClientOptions(),
    }),
  );
  aggregates = new DynamoDbReportAggregates({ client: documentClient, tables: stack.tables });
  scanner = new DynamoDbLedgerScanner({ client: documentClient, tables: stack.tables });
}, 30_000);

afterAll(async () => {
  await stack?.stop();
});

/** Every case's stored aggregate against a replay of its ledger (after the stack is idle). */
async function expectAggregatesEqualReplay(expectedCases: number): Promise<void> {
  await api.clock({ advance: 'PT0S' });
  const caseIds = await scanner.caseIds();
  expect(caseIds).toHaveLength(expectedCases);
  for (const caseId of caseIds) {
    const replayed = caseReportRecord(await stack.ledger.read(caseId));
    expect({ caseId, record: await aggregates.get(caseId) }).toEqual({ caseId, record: replayed });
  }
}

/** The tables each DynamoDB request names, as dynalite receives them (its request bodies, read alongside). */
function watchTables(port: number): { tables: string[]; stop(): void } {
  const tables: string[] = [];
  const listener = (message: unknown) => {
    const { server, request } = message as { server: Server; request: IncomingMessage };
    if ((server.address() as AddressInfo | null)?.port !== port) return;
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const parsed = JSON.parse(body || '{}') as { TableName?: string; RequestItems?: object };
      tables.push(parsed.TableName ?? Object.keys(parsed.RequestItems ?? {}).join(','));
    });
  };
  subscribe('http.server.request.start', listener);
  return { tables, stop: () => unsubscribe('http.server.request.start', listener) };
}

async function replay(auditor: string): Promise<ReportReplayResult> {
  const started = await api.request('POST', '/api/audit/reports/replay', undefined, {
    authorization: `Bearer ${auditor}`,
  });
  expect(started.status).toBe(202);
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const latest = await api.request('GET', '/api/audit/reports/replay', undefined, {
      authorization: `Bearer ${auditor}`,
    });
    const result = latest.json['latest'] as ReportReplayResult | null;
    if (result !== null && result.runId === started.json['runId']) return result;
    await realSleep(50);
  }
  throw new Error('the replay did not finish');
}

describe('report aggregates on the local stack', () => {
  const ids: Record<string, string> = {};

  it('equal a replay after each step of a scripted month (form, email, letter, staff actions, clock)', async () => {
    const form = await api.request('POST', '/api/requests', {
      category: 'statistics',
      name: 'Léa Roy',
      email: 'lea.roy@example.com',
      subject: 'Effectifs 2025',
      message: 'Bonjour, les effectifs par ministère, svp.',
      website: '',
    });
    expect(form.status).toBe(201);
    ids['form'] = form.json['caseId'] as string;
    await expectAggregatesEqualReplay(1);

    const replies = await sendSmtp(
      stack.ports.smtp,
      'alex@example.org',
      'statistiques@sct.example',
      'From: Alex Martin <alex@example.org>\nTo: statistiques@sct.example\nSubject: Effectifs 2026\n' +
        'Message-ID: <agg-0001@example.org>\nDate: Mon, 2 Mar 2026 15:00:00 +0000\n\nBonjour, les effectifs.',
    );
    expect(replies.some((line) => line.startsWith('250'))).toBe(true);
    await expectAggregatesEqualReplay(2);

    const agent = await api.login('agent');
    const letter = await api.registerLetter(agent, 'agg-letter-1', '2026-02-27T14:00:00Z');
    ids['letter'] = letter.caseId;
    await expectAggregatesEqualReplay(3);

    const auth = { authorization: `Bearer ${agent}` };
    const formCase = encodeURIComponent(ids['form']);
    expect(
      (
        await api.request(
          'POST',
          `/api/staff/cases/${formCase}/acknowledge`,
          { answerBy: '2026-03-20' },
          auth,
        )
      ).status,
    ).toBe(201);
    await expectAggregatesEqualReplay(3);

    await api.clock({ to: '2026-03-10T14:00:00.000Z' });
    const extended = await api.request(
      'POST',
      `/api/staff/cases/${formCase}/extend`,
      { answerBy: '2026-03-27', reason: 'Données à compiler' },
      auth,
    );
    expect(extended.status).toBe(201);
    await expectAggregatesEqualReplay(3);

    // Past the acknowledgement deadlines (16 March): the workflow acknowledges the others automatically.
    await api.clock({ to: '2026-03-18T14:00:00.000Z' });
    await expectAggregatesEqualReplay(3);

    const answered = await api.request(
      'POST',
      `/api/staff/cases/${formCase}/answer`,
      { message: 'Bonjour, voici les effectifs demandés.' },
      auth,
    );
    expect(answered.status).toBe(201);
    await expectAggregatesEqualReplay(3);

    // Past the answer deadlines: breaches, reminders and escalations recorded by the workflow.
    await api.clock({ to: '2026-04-30T14:00:00.000Z' });
    await expectAggregatesEqualReplay(3);
  }, 180_000);

  it('a stream record delivered again, whatever its seq, changes nothing', async () => {
    for (const caseId of Object.values(ids)) {
      const before = await aggregates.get(caseId);
      const deps = { ledger: stack.ledger, store: aggregates };
      // The projector reads the case's whole ledger whatever the record's seq: each delivery is the same.
      for (let delivery = 1; delivery <= 3; delivery += 1) {
        expect(await projectReportAggregate(deps, caseId)).toMatchObject({ outcome: 'already-applied' });
      }
      expect(await aggregates.get(caseId)).toEqual(before);
    }
  });

  it('reports from the aggregates, with the figures of a ledger replay, reading no ledger item', async () => {
    const auditor = await api.login('auditor');
    // The day summaries the earlier reports built are removed: the replay builds them again.
    const caseIds = await scanner.caseIds();
    const receivedDays = new Set(
      await Promise.all(caseIds.map(async (caseId) => (await aggregates.get(caseId))!.receivedDay)),
    );
    for (const day of receivedDays) {
      await documentClient.send(
        new DeleteCommand({ TableName: stack.tables.reports, Key: { caseId: `#day#${day}` } }),
      );
    }
    const first = await replay(auditor);
    expect(first).toMatchObject({ matched: true, differences: 0, cases: 3, differingCases: [] });
    // The replay built the summary of every day with a final case: the report below builds none.
    const records = await Promise.all(caseIds.map(async (caseId) => (await aggregates.get(caseId))!));
    const finalDays = [
      ...new Set(records.filter((r) => stableFrom(r) !== undefined).map((r) => r.receivedDay)),
    ];
    expect(finalDays.length).toBeGreaterThan(0);
    const states = await aggregates.dayStates(finalDays);
    for (const day of finalDays) {
      const included = records.filter((r) => r.receivedDay === day && stableFrom(r) !== undefined).length;
      expect({ day, included: states.get(day)?.summary?.included }).toEqual({ day, included });
    }

    const watch = watchTables(stack.ports.dynamodb);
    const response = await api.request(
      'GET',
      '/api/audit/reports/service-statement?from=2026-03-01&to=2026-03-31',
      undefined,
      { authorization: `Bearer ${auditor}` },
    );
    await realSleep(50);
    watch.stop();
    expect(response.status).toBe(200);
    expect(watch.tables.length).toBeGreaterThan(0);
    expect(watch.tables.filter((table) => table === stack.tables.ledger)).toEqual([]);
    expect(watch.tables).toContain(stack.tables.reports);

    const report = response.json as Record<string, unknown> & { source: Record<string, unknown> };
    expect(report.source).toEqual({
      kind: 'aggregates',
      casesRead: 3,
      lastChecked: { at: first.checkedAt, matched: true },
    });
    const fromLedger = await serviceStatementReport(
      {
        reportSource: new LedgerReportSource(scanner),
        clock: new FixedClock(report['generatedAt'] as string),
        policy: loadSctPolicy(),
        calendars: bundledCalendars(),
        accessJournal: new InMemoryAccessJournal(),
      },
      AUDITOR,
      { from: '2026-03-01', to: '2026-03-31' },
    );
    const withoutSource = (value: object) => {
      const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
      delete copy['source'];
      return copy;
    };
    const ledgerFigures = withoutSource(fromLedger);
    const figures = withoutSource(report);
    expect(figures).toEqual(ledgerFigures);
    expect((figures['total'] as { received: { count: number } }).received.count).toBe(2);
    // Each total figure's drill-down, through the route (the aggregates), lists the ledger replay's references.
    const fromLedgerLists = await listedFigures(
      {
        reportSource: new LedgerReportSource(scanner),
        clock: new FixedClock(report['generatedAt'] as string),
        policy: loadSctPolicy(),
        calendars: bundledCalendars(),
        accessJournal: new InMemoryAccessJournal(),
      },
      AUDITOR,
      { from: '2026-03-01', to: '2026-03-31' },
    );
    const total = report['total'] as Record<string, { cases: { href: string } }>;
    for (const [indicator, figure] of Object.entries(total)) {
      const page = await api.request('GET', `${figure.cases.href}&pageSize=500`, undefined, {
        authorization: `Bearer ${auditor}`,
      });
      const listed = page.json as unknown as { references: string[]; pages: number };
      expect([indicator, listed.pages, listed.references]).toEqual([
        indicator,
        1,
        fromLedgerLists.total[indicator as keyof typeof fromLedgerLists.total].cases.references,
      ]);
    }
  }, 60_000);

  it('a feed lost between an append and the aggregate (a crash) is found and repaired by the replay', async () => {
    await documentClient.send(
      new DeleteCommand({ TableName: stack.tables.reports, Key: { caseId: ids['letter'] } }),
    );
    const auditor = await api.login('auditor');
    expect(await replay(auditor)).toMatchObject({
      matched: false,
      differences: 1,
      cases: 3,
      differingCases: [ids['letter']],
    });
    await expectAggregatesEqualReplay(3);
    expect(await replay(auditor)).toMatchObject({ matched: true, differences: 0 });
    const agent = await api.login('agent');
    const denied = await api.request('POST', '/api/audit/reports/replay', undefined, {
      authorization: `Bearer ${agent}`,
    });
    expect(denied.status).toBe(403);
  }, 60_000);
});
