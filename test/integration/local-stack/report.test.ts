import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import { client } from './support';

/**
 * The service-statement report on the whole local stack: two letters registered on Monday 2 March 2026, one
 * acknowledged by the agent the same day, the other left to the workflow, which acknowledges it automatically
 * on its deadline (Monday 16 March, 16:30); the report of March, asked on 18 March, counts both.
 */
const START = '2026-03-02T15:00:00.000Z';
const run = promisify(execFile);
const BIN = path.join(__dirname, '..', '..', '..', 'bin', 'jalon.cjs');
let stack: LocalStack;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startLocalStack({ memory: true, virtualClock: START, port: 0, smtpPort: 0, quiet: true });
  api = client(stack.urls.web);
}, 30_000);

afterAll(async () => {
  await stack?.stop();
});

interface Figure {
  count: number;
  percent?: number;
  cases: { withheld: number; href: string };
}

/**
 * Every reference the drill-down at `href` (a figure's `cases.href`) lists to `token`, read through the local
 * API one reference a page, following `next`; the report itself lists none.
 */
async function listed(token: string, href: string): Promise<string[]> {
  const references: string[] = [];
  let at: string | undefined = `${href}&pageSize=1`;
  while (at !== undefined) {
    const page = await api.request('GET', at, undefined, { authorization: `Bearer ${token}` });
    expect(page.status).toBe(200);
    const body = page.json as unknown as { references: string[]; next?: string };
    references.push(...body.references);
    at = body.next;
  }
  return references;
}

describe('service-statement report on the local stack', () => {
  const references: string[] = [];

  it('reports what the staff API and the workflow recorded, read from the ledger', async () => {
    const agent = await api.login('agent');
    const byStaff = await api.registerLetter(agent, 'report-letter-1', '2026-03-02T14:00:00Z');
    const automatic = await api.registerLetter(agent, 'report-letter-2', '2026-03-02T14:30:00Z');
    references.push(byStaff.reference, automatic.reference);
    await api.clock({ advance: 'PT0S' });
    const acknowledged = await api.request(
      'POST',
      `/api/staff/cases/${byStaff.caseId}/acknowledge`,
      { answerBy: '2026-03-20' },
      { authorization: `Bearer ${agent}` },
    );
    expect(acknowledged.status).toBe(201);
    await api.clock({ to: '2026-03-18T14:00:00.000Z' });
    const auditor = await api.login('auditor');

    const response = await api.request(
      'GET',
      '/api/audit/reports/service-statement?from=2026-03-01&to=2026-03-31',
      undefined,
      { authorization: `Bearer ${auditor}` },
    );

    expect(response.status).toBe(200);
    const report = response.json as unknown as {
      asOf: string;
      source: { casesRead: number };
      total: Record<string, Figure>;
    };
    // The period is not over: the cut-off is the moment of the request (virtual clock).
    expect(report.asOf).toBe('2026-03-18T14:00:00.000Z');
    expect(report.source.casesRead).toBe(2);
    expect(await listed(auditor, report.total['received']!.cases.href)).toEqual([...references].sort());
    expect(report.total['ack-on-time']).toMatchObject({ count: 2, percent: 100 });
    expect(await listed(auditor, report.total['ack-by-staff']!.cases.href)).toEqual([byStaff.reference]);
    expect(await listed(auditor, report.total['ack-automatic']!.cases.href)).toEqual([automatic.reference]);
    // The report lists no reference: its figures link to their drill-downs.
    expect(response.text).not.toContain(byStaff.reference);
    expect(report.total['answer-pending']!.count).toBe(2);
    expect(report.total['open-at-end']!.count).toBe(2);
    expect(report.total['open-past-deadline']!.count).toBe(0);
  }, 60_000);

  it('drills a figure down to its cases by the address the report gives, and defaults the period by the stack’s clock', async () => {
    const auditor = await api.login('auditor');
    const get = (path: string) => api.request('GET', path, undefined, { authorization: `Bearer ${auditor}` });

    // No period asked: 1 January to today by the (virtual) clock of the stack, 18 March 2026.
    const byDefault = await get('/api/audit/reports/service-statement');
    expect(byDefault.status).toBe(200);
    const report = byDefault.json as unknown as {
      period: { from: string; to: string };
      total: Record<string, Figure>;
      byCategoryChannel: Record<string, Record<string, Record<string, Figure>>>;
    };
    expect(report.period).toEqual({ from: '2026-01-01', to: '2026-03-18' });
    expect(Object.values(report.byCategoryChannel).flatMap((channels) => Object.keys(channels))).toEqual([
      'mail',
    ]);

    const automatic = await get(report.total['ack-automatic']!.cases.href);
    expect(automatic.status).toBe(200);
    expect(automatic.json).toMatchObject({
      indicator: 'ack-automatic',
      count: 1,
      withheld: 0,
      page: 1,
      pages: 1,
      references: [references[1]],
    });
    const received = await get(`${report.total['received']!.cases.href}&channel=mail&pageSize=1&page=2`);
    expect(received.json).toMatchObject({ count: 2, pages: 2, references: [[...references].sort()[1]] });
  }, 30_000);

  it('gives the CSV with its BOM, refuses an agent and a reversed period', async () => {
    const auditor = await api.login('auditor');
    const agent = await api.login('agent');
    const path = '/api/audit/reports/service-statement';

    const csv = await api.request(
      'GET',
      `${path}?from=2026-03-01&to=2026-03-31&format=csv&lang=en`,
      undefined,
      {
        authorization: `Bearer ${auditor}`,
      },
    );
    const refused = await api.request('GET', `${path}?from=2026-03-01&to=2026-03-31`, undefined, {
      authorization: `Bearer ${agent}`,
    });
    const reversed = await api.request('GET', `${path}?from=2026-03-31&to=2026-03-01`, undefined, {
      authorization: `Bearer ${auditor}`,
    });

    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    // fetch's text() drops the BOM; the first bytes of the body are checked through the header row.
    expect(csv.text.split('\r\n')[0]).toMatch(/^Scope,Scope code,/);
    expect(csv.text).toContain(
      `Total,total,Total,ack-on-time,Acknowledged within the legal delay,2,2,100.0,`,
    );
    expect([refused.status, reversed.status]).toEqual([403, 400]);
  }, 30_000);

  it('npx jalon report prints the JSON, the CSV as served (BOM included), a figure’s references, and refuses a bad period (exit 2)', async () => {
    const args = ['report', '--from', '2026-03-01', '--to', '2026-03-31', '--url', stack.urls.web];

    const json = await run(process.execPath, [BIN, ...args]);
    const csv = await run(process.execPath, [BIN, ...args, '--format', 'csv', '--lang', 'fr'], {
      encoding: 'buffer',
    });
    const received = await run(process.execPath, [BIN, ...args, '--cases', 'received', '--channel', 'mail']);
    const automatic = await run(process.execPath, [BIN, ...args, '--cases', 'ack-automatic']);
    const refused = await run(process.execPath, [
      BIN,
      'report',
      '--from',
      '2026-03-31',
      '--to',
      '2026-03-01',
      '--url',
      stack.urls.web,
      '--lang',
      'en',
    ]).catch((error: { code: number; stderr: string }) => error);

    const report = JSON.parse(json.stdout) as { total: Record<string, Figure> };
    const auditor = await api.login('auditor');
    expect(await listed(auditor, report.total['received']!.cases.href)).toEqual([...references].sort());
    expect(csv.stdout.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csv.stdout.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).toMatch(/^Portée;Code de la portée;/);
    expect(lines).toContain(
      'Total;total;Total;ack-automatic;Accusés de réception envoyés automatiquement à l’échéance;1;;;;;;;;0',
    );
    // --cases: the references of one figure, one a line, every page of its drill-down.
    expect(received.stdout).toBe(
      [...references]
        .sort()
        .map((reference) => `${reference}\n`)
        .join(''),
    );
    expect(automatic.stdout).toBe(`${references[1]}\n`);
    expect(refused).toMatchObject({ code: 2 });
    expect((refused as { stderr: string }).stderr).toContain(
      'query.from: must not be after the end date (to)',
    );
  }, 60_000);
});
