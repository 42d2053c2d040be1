import { execFile } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import { client } from './support';

/**
 * The what-if on the whole local stack. Four letters (statistics, with an email address) registered on Monday
 * 2 March 2026 at 9:00: the agent acknowledges W1 on 3 March, W2 on 11 March and W3 on 13 March; nobody
 * acknowledges W4, which the workflow does on its deadline (Monday 16 March, 15:30). Asked on 18 March with a
 * 5-business-day acknowledgement (due Monday 9 March): W2 and W3 would have been acknowledged late by staff,
 * W4 not at all without the automatic acknowledgement; with it, W2 and W3 would have been acknowledged by
 * the workflow on 9 March.
 */
const START = '2026-03-02T15:00:00.000Z';
const run = promisify(execFile);
const BIN = path.join(__dirname, '..', '..', '..', 'bin', 'jalon.cjs');
let stack: LocalStack;
let api: ReturnType<typeof client>;
const refs: Record<string, string> = {};

/** Requests dynalite receives that write (any write action), and all its requests. */
class DynamoRequests {
  writes = 0;
  all = 0;
  readonly #listener = (message: unknown) => {
    const { server, request } = message as { server: Server; request: IncomingMessage };
    if ((server.address() as AddressInfo | null)?.port !== this.port) return;
    this.all += 1;
    const target = String(request.headers['x-amz-target'] ?? '');
    if (/(PutItem|UpdateItem|DeleteItem|BatchWriteItem|TransactWriteItems)$/.test(target)) this.writes += 1;
  };

  constructor(private readonly port: number) {
    subscribe('http.server.request.start', this.#listener);
  }

  stop(): void {
    unsubscribe('http.server.request.start', this.#listener);
  }
}

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
  const agent = await api.login('agent');
  for (const name of ['W1', 'W2', 'W3', 'W4']) {
    refs[name] = (await api.registerLetter(agent, `what-if-${name}`, '2026-03-02T14:00:00Z')).reference;
  }
  const acknowledge = async (name: string, at: string) => {
    await api.clock({ to: at });
    const response = await api.request(
      'POST',
      `/api/staff/cases/${refs[name]}/acknowledge`,
      { answerBy: '2026-03-27' },
      { authorization: `Bearer ${agent}` },
    );
    if (response.status !== 201) throw new Error(`acknowledge answered ${response.status}: ${response.text}`);
  };
  await acknowledge('W1', '2026-03-03T14:00:00.000Z');
  await acknowledge('W2', '2026-03-11T14:00:00.000Z');
  await acknowledge('W3', '2026-03-13T14:00:00.000Z');
  await api.clock({ to: '2026-03-18T14:00:00.000Z' });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

interface Selector {
  list: string;
  page: number;
  asOf: string;
  indicator?: string;
}
interface Cases {
  count: number;
  withheld: number;
  page: number;
  pages: number;
  references: string[];
  next?: Selector;
}
interface WhatIf {
  asOf: string;
  reality: Record<string, unknown>;
  changed: { total: Record<string, { count: number; cases: { withheld: number; first: Selector } }> };
  differences: {
    acknowledgement: { breached: Cases; noLongerBreached: Cases };
    answer: { breached: Cases; noLongerBreached: Cases };
    automaticInstead: Cases;
  };
  source: { kind: string; casesRead: number; casesChanged: number };
}

/**
 * Every page of a list of the what-if `body`, from `first` on, each asked with the same body and `cases`
 * (following `next`): the pages as answered.
 */
async function pagesOf(token: string, body: object, first: Selector | undefined): Promise<Cases[]> {
  const pages: Cases[] = [];
  for (let cases = first; cases !== undefined;) {
    const response = await api.request(
      'POST',
      '/api/audit/what-if',
      { ...body, cases },
      { authorization: `Bearer ${token}` },
    );
    if (response.status !== 200) throw new Error(`page answered ${response.status}: ${response.text}`);
    const page = response.json as unknown as Cases;
    pages.push(page);
    cases = page.next;
  }
  return pages;
}

const of = (...names: string[]) => names.map((name) => refs[name]!).sort();

describe('POST /api/audit/what-if on the local stack', () => {
  it('a 5-day acknowledgement without automatic acknowledgement: W2, W3 late, W4 missing; nothing written', async () => {
    const auditor = await api.login('auditor');
    const report = await api.request(
      'GET',
      '/api/audit/reports/service-statement?from=2026-03-01&to=2026-03-31',
      undefined,
      { authorization: `Bearer ${auditor}` },
    );
    const dynamo = new DynamoRequests(stack.ports.dynamodb);
    const body = {
      from: '2026-03-01',
      to: '2026-03-31',
      changes: { statistics: { acknowledgementDays: 5, automaticAcknowledgement: false } },
    };

    const response = await api.request('POST', '/api/audit/what-if', body, {
      authorization: `Bearer ${auditor}`,
    });
    dynamo.stop();

    expect(response.status).toBe(200);
    const result = response.json as unknown as WhatIf;
    expect(result.differences.acknowledgement.breached).toEqual({
      count: 3,
      withheld: 0,
      page: 1,
      pageSize: 100,
      pages: 1,
      references: of('W2', 'W3', 'W4'),
    });
    const listed = async (id: string) =>
      (await pagesOf(auditor, body, result.changed.total[id]!.cases.first)).flatMap((p) => p.references);
    expect(await listed('ack-late')).toEqual(of('W2', 'W3'));
    expect(await listed('ack-missing')).toEqual(of('W4'));
    expect(await listed('ack-on-time')).toEqual(of('W1'));
    expect(result.differences.automaticInstead).toMatchObject({ count: 0, references: [] });
    // The reality side is the report, figure for figure.
    const { total, byCategory, byChannel, byCategoryChannel, byMonth } = report.json as Record<
      string,
      unknown
    >;
    expect(result.reality).toEqual({ total, byCategory, byChannel, byCategoryChannel, byMonth });
    expect(result.source).toEqual({ kind: 'ledger-replay', casesRead: 4, casesChanged: 4 });
    // It read the ledger from dynalite and wrote nothing there.
    expect(dynamo.all).toBeGreaterThan(0);
    expect(dynamo.writes).toBe(0);
  }, 60_000);

  it('with the automatic acknowledgement: W2 and W3 would have been acknowledged by the workflow on 9 March', async () => {
    const auditor = await api.login('auditor');

    const body = {
      from: '2026-03-01',
      to: '2026-03-31',
      changes: { statistics: { acknowledgementDays: 5 } },
    };

    const response = await api.request('POST', '/api/audit/what-if', body, {
      authorization: `Bearer ${auditor}`,
    });

    expect(response.status).toBe(200);
    const result = response.json as unknown as WhatIf;
    expect(result.differences.automaticInstead).toMatchObject({ count: 2, references: of('W2', 'W3') });
    expect(result.differences.acknowledgement.breached.references).toEqual([]);
    const listed = async (id: string) =>
      (await pagesOf(auditor, body, result.changed.total[id]!.cases.first)).flatMap((p) => p.references);
    expect(await listed('ack-automatic')).toEqual(of('W2', 'W3', 'W4'));
    expect(await listed('ack-by-staff')).toEqual(of('W1'));
  }, 60_000);

  it('pages a list longer than one page: the first page in the answer, the next by sending `next` back', async () => {
    const auditor = await api.login('auditor');
    const body = {
      from: '2026-03-01',
      to: '2026-03-31',
      changes: { statistics: { acknowledgementDays: 5, automaticAcknowledgement: false } },
      pageSize: 2,
    };

    const response = await api.request('POST', '/api/audit/what-if', body, {
      authorization: `Bearer ${auditor}`,
    });
    const result = response.json as unknown as WhatIf;
    const breached = result.differences.acknowledgement.breached;
    const rest = await pagesOf(auditor, body, breached.next);

    // W2, W3, W4 two at a time: W2 and W3 in the answer, W4 on the second page, asked at the same cut-off.
    expect(breached).toMatchObject({ count: 3, page: 1, pages: 2, references: of('W2', 'W3') });
    expect(breached.next).toEqual({ list: 'acknowledgement.breached', page: 2, asOf: result.asOf });
    expect(rest).toEqual([
      expect.objectContaining({
        report: 'what-if-cases',
        list: 'acknowledgement.breached',
        asOf: result.asOf,
        count: 3,
        withheld: 0,
        page: 2,
        pages: 2,
        references: of('W4'),
        previous: { list: 'acknowledgement.breached', page: 1, asOf: result.asOf },
      }),
    ]);
    // The default stays 100 a page.
    const whole = await api.request(
      'POST',
      '/api/audit/what-if',
      { ...body, pageSize: undefined },
      { authorization: `Bearer ${auditor}` },
    );
    expect((whole.json as unknown as WhatIf).differences.acknowledgement.breached).toMatchObject({
      pageSize: 100,
      pages: 1,
      references: of('W2', 'W3', 'W4'),
    });
  }, 60_000);

  it('refuses a bad body field by field in French and English, and an agent', async () => {
    const auditor = await api.login('auditor');
    const agent = await api.login('agent');

    const bad = await api.request(
      'POST',
      '/api/audit/what-if',
      {
        from: '2026-03-01',
        to: '2026-03-31',
        changes: { statistics: { acknowledgementDays: -3 }, media: { answerDays: 2, bogus: true } },
      },
      { authorization: `Bearer ${auditor}`, 'accept-language': 'fr' },
    );
    const unknownBody = { from: '2026-03-01', to: '2026-03-31', changes: { inconnue: { answerDays: 5 } } };
    const unknown = await api.request('POST', '/api/audit/what-if', unknownBody, {
      authorization: `Bearer ${auditor}`,
      'accept-language': 'en',
    });
    const inconnue = await api.request('POST', '/api/audit/what-if', unknownBody, {
      authorization: `Bearer ${auditor}`,
      'accept-language': 'fr',
    });
    const refused = await api.request(
      'POST',
      '/api/audit/what-if',
      { from: '2026-03-01', to: '2026-03-31', changes: { statistics: { acknowledgementDays: 5 } } },
      { authorization: `Bearer ${agent}` },
    );
    const get = await api.request('GET', '/api/audit/what-if', undefined, {
      authorization: `Bearer ${auditor}`,
    });

    expect(bad.status).toBe(400);
    expect(bad.text).toContain('body.changes.statistics.acknowledgementDays');
    expect(bad.text).toContain('body.changes.media.bogus');
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('body.changes.inconnue');
    expect(unknown.text).toContain('unknown category');
    expect(inconnue.text).toContain('catégorie inconnue');
    expect(bad.text).toContain('doit être supérieur ou égal à 1');
    // GET is no route of the API (as API Gateway answers an undeclared method).
    expect([refused.status, get.status]).toEqual([403, 404]);
  }, 30_000);

  it('npx jalon what-if prints the answer, lists a whole list with --cases, and refuses an unknown category (exit 2)', async () => {
    const period = ['--from', '2026-03-01', '--to', '2026-03-31', '--url', stack.urls.web];

    const printed = await run(process.execPath, [
      BIN,
      'what-if',
      ...period,
      '--category',
      'statistics',
      '--ack-days',
      '5',
      '--no-automatic-acknowledgement',
    ]);
    const refused = await run(process.execPath, [
      BIN,
      'what-if',
      ...period,
      '--category',
      'inconnue',
      '--ack-days',
      '5',
      '--lang',
      'en',
    ]).catch((error: { code: number; stderr: string }) => error);

    const listed = await run(process.execPath, [
      BIN,
      'what-if',
      ...period,
      '--category',
      'statistics',
      '--ack-days',
      '5',
      '--no-automatic-acknowledgement',
      '--cases',
      'acknowledgement.breached',
      '--page-size',
      '1',
    ]);
    const late = await run(process.execPath, [
      BIN,
      'what-if',
      ...period,
      '--category',
      'statistics',
      '--ack-days',
      '5',
      '--no-automatic-acknowledgement',
      '--cases',
      'changed.ack-late',
    ]);

    const result = JSON.parse(printed.stdout) as WhatIf;
    expect(result.differences.acknowledgement.breached.references).toEqual(of('W2', 'W3', 'W4'));
    // Every page of the list, one reference a line (three pages of one).
    expect(listed.stdout).toBe(
      of('W2', 'W3', 'W4')
        .map((r) => `${r}\n`)
        .join(''),
    );
    expect(late.stdout).toBe(
      of('W2', 'W3')
        .map((r) => `${r}\n`)
        .join(''),
    );
    expect(refused).toMatchObject({ code: 2 });
    expect((refused as { stderr: string }).stderr).toContain('body.changes.inconnue: unknown category');
  }, 60_000);
});
