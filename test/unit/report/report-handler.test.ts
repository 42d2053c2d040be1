import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

import { makeHandler } from '../../../functions/audit-api/handler';
import { InMemoryAccessJournal } from '../../../shared/domain/access/access-journal';
import { loadSctPolicy } from '../../../shared/domain/policy';
import { InMemoryReportAggregates, caseReportRecord } from '../../../shared/domain/report';
import { FakeExecutions, FakeScanner } from '../audit/fakes';
import { FixedClock } from '../commands/fixtures';
import { buildScenario } from './scenario';
import type { Scenario } from './scenario';
import { fieldIssues } from '../../support/problem';
import type { ProblemBody } from '../../support/problem';

const AUDITOR = { sub: 'aud-bouchard', 'cognito:groups': '[auditor]' };
const SUPERVISOR = { sub: 'sup-gagnon', 'cognito:groups': '[supervisor]', 'custom:units': 'statistics' };
const AGENT = { sub: 'agent-tremblay', 'cognito:groups': '[agent]', 'custom:units': 'statistics' };

function request(
  query: Record<string, string>,
  claims: Record<string, unknown> = AUDITOR,
  headers: Record<string, string> = {},
  path = '/api/audit/reports/service-statement',
): APIGatewayProxyEventV2WithJWTAuthorizer {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: new URLSearchParams(query).toString(),
    queryStringParameters: query,
    headers,
    requestContext: {
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: claims as never, scopes: [] } },
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'jest' },
      requestId: 'req-report',
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer['requestContext'],
    isBase64Encoded: false,
  };
}

/**
 * RFC 4180 with a chosen separator: fields quoted with `"` (a doubled `"` inside), CRLF line ends; quoted
 * fields may hold separators and line breaks.
 */
function parseCsv(text: string, separator: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === separator) {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else if (c === '"' || c === '\r' || c === '\n') throw new Error(`bad CSV at ${i}`);
    else field += c;
  }
  if (field !== '' || row.length > 0) throw new Error('CSV does not end with CRLF');
  return rows;
}

let scenario: Scenario;
let journal: InMemoryAccessJournal;

beforeAll(async () => {
  scenario = await buildScenario();
});

async function handler(
  options: {
    reportSource?: InMemoryReportAggregates;
    logger?: Parameters<typeof makeHandler>[0]['logger'];
  } = {},
) {
  journal = new InMemoryAccessJournal();
  const scanner = await FakeScanner.of(scenario.h.ledger, Object.values(scenario.ids), 7);
  return makeHandler({
    ledger: scenario.h.ledger,
    clock: new FixedClock('2026-04-02T14:00:00.000Z'),
    policy: loadSctPolicy(),
    executions: new FakeExecutions(),
    scanner,
    accessJournal: journal,
    caseReferences: scenario.h.ledger,
    logger: options.logger ?? { info: () => undefined, warn: () => undefined, error: () => undefined },
    ...(options.reportSource !== undefined ? { reportSource: options.reportSource } : {}),
    originCheck: { mode: 'off' },
  });
}

const json = (result: APIGatewayProxyStructuredResultV2) =>
  JSON.parse(String(result.body)) as Record<string, unknown> & {
    total: Record<string, { count: number; percent?: number; cases: { withheld: number; href: string } }>;
  };

/** Every reference the drill-down at `href` lists, read page after page through the handler (`next`). */
async function listedThrough(h: Awaited<ReturnType<typeof handler>>, href: string): Promise<string[]> {
  const references: string[] = [];
  let at: string | undefined = `${href}&pageSize=2`;
  while (at !== undefined) {
    const url = new URL(at, 'https://jalon.test');
    const page = await h(request(Object.fromEntries(url.searchParams), AUDITOR, {}, url.pathname));
    expect(page.statusCode).toBe(200);
    const body = JSON.parse(String(page.body)) as { references: string[]; next?: string };
    references.push(...body.references);
    at = body.next;
  }
  return references;
}

describe('GET /api/audit/reports/service-statement', () => {
  it('gives an auditor the JSON report read through the ledger scan, each figure linking to its references', async () => {
    const h = await handler();
    const result = await h(request({ from: '2026-03-01', to: '2026-03-31' }));

    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toBe('application/json; charset=utf-8');
    const report = json(result);
    expect(report['source']).toEqual({ kind: 'ledger-replay', casesRead: 12 });
    expect(report.total['received']!.count).toBe(10);
    expect(report.total['ack-on-time']).toMatchObject({ count: 5, percent: 62.5 });
    expect(await listedThrough(h, report.total['open-past-deadline']!.cases.href)).toEqual(
      ['B', 'C', 'H', 'J'].map((n) => scenario.refs[n]).sort(),
    );
    // No personal data in the report, and no reference: the drill-down lists them.
    expect(String(result.body)).not.toMatch(/Marie|Tremblay|example\.com|Effectif/);
    expect(String(result.body)).not.toContain(scenario.refs.H);
  });

  it('tells a supervisor the figures cover their units’ categories only', async () => {
    const result = await (await handler())(request({ from: '2026-03-01', to: '2026-03-31' }, SUPERVISOR));

    expect(result.statusCode).toBe(200);
    expect(json(result)['scope']).toMatchObject({
      kind: 'units',
      categories: ['statistics'],
      note: { en: expect.stringContaining('your units’ categories only') },
    });
    expect(json(result).total['received']!.count).toBe(8);
  });

  it('logs a warning for each day summary whose save failed, and answers the report all the same', async () => {
    const aggregates = new InMemoryReportAggregates({ daySummaries: true });
    for (const events of await scenario.histories()) await aggregates.put(caseReportRecord(events)!);
    aggregates.saveDaySummary = async () => {
      throw Object.assign(new Error('denied'), { name: 'StoreAccessDeniedError' });
    };
    const warnings: unknown[][] = [];
    const logger = {
      info: () => undefined,
      warn: (...args: unknown[]) => warnings.push(args),
      error: () => undefined,
    };

    const result = await (
      await handler({ reportSource: aggregates, logger })
    )(request({ from: '2026-03-01', to: '2026-03-31' }));

    expect(result.statusCode).toBe(200);
    expect(json(result).total['received']!.count).toBe(10);
    expect(warnings).toEqual([
      ['day summary not saved', { day: '2026-03-02', error: 'StoreAccessDeniedError' }],
    ]);
  });

  it('refuses an agent (403)', async () => {
    const result = await (await handler())(request({ from: '2026-03-01', to: '2026-03-31' }, AGENT));
    expect(result.statusCode).toBe(403);
  });

  it('refuses bad dates with 400, field by field, in French by default and in English when asked', async () => {
    const h = await handler();
    const fr = await h(request({ from: '2026-04-01', to: '2026-03-31' }));
    expect(fr.statusCode).toBe(400);
    expect(JSON.parse(String(fr.body))).toMatchObject({
      code: 'INVALID_REQUEST',
      errors: [
        { field: 'query.from', pointer: '/query/from', detail: 'doit être au plus tard la date de fin (to)' },
      ],
    });
    const en = await h(request({ from: '2025-01-01', to: 'tomorrow' }, AUDITOR, { 'accept-language': 'en' }));
    expect(JSON.parse(String(en.body))).toMatchObject({
      errors: [{ field: 'query.to', detail: 'must be a date YYYY-MM-DD' }],
    });
    const long = await h(request({ from: '2025-01-01', to: '2026-01-02' }));
    expect(JSON.parse(String(long.body))).toMatchObject({
      errors: [{ field: 'query.to', detail: 'la période ne peut dépasser 366 jours' }],
    });
    expect((await h(request({ from: '2026-03-01', to: '2026-03-31', format: 'xlsx' }))).statusCode).toBe(400);
  });

  it('gives the CSV in French: BOM, “;” separators, decimal comma, one row per scope × indicator; it parses back', async () => {
    const result = await (
      await handler()
    )(request({ from: '2026-03-01', to: '2026-03-31', format: 'csv', lang: 'fr' }));

    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toBe('text/csv; charset=utf-8');
    expect(result.headers?.['content-disposition']).toBe(
      'attachment; filename="declaration-de-services-2026-03-01-2026-03-31.csv"',
    );
    const text = String(result.body);
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(text.slice(1), ';');
    expect(rows[0]).toEqual([
      'Portée',
      'Code de la portée',
      'Libellé de la portée',
      'Code de l’indicateur',
      'Indicateur',
      'Nombre',
      'Dénominateur',
      'Pourcentage',
      'Moyenne',
      'Médiane',
      '90e centile',
      'Maximum',
      'Prolongations',
      'Dossiers confidentiels non listés',
    ]);
    // total + 3 categories + 2 channels (web, mail) + 4 category × channel pairs, 24 indicators each.
    expect(rows).toHaveLength(1 + 10 * 24);
    expect(rows.every((row) => row.length === 14)).toBe(true);
    const row = (scope: string, indicator: string) => rows.find((r) => r[1] === scope && r[3] === indicator)!;
    expect(row('total', 'ack-on-time').slice(4, 8)).toEqual([
      'Accusés de réception dans le délai légal',
      '5',
      '8',
      '62,5',
    ]);
    expect(row('total', 'ack-late')[9]).toBe('1,5');
    // Mean 0,4, no median nor 90th percentile for hand-offs, maximum 2.
    expect(row('total', 'handoffs').slice(8, 12)).toEqual(['0,4', '', '', '2']);
    expect(row('total', 'answer-delay').slice(9, 12)).toEqual(['13', '18', '18']);
    expect(row('service-complaint', 'received')[2]).toBe('Plainte sur la qualité des services');
    // No reference column (the drill-down lists them); the confidential ones this reader would not see: none.
    expect(text).not.toContain(scenario.refs.H);
    expect(row('total', 'received')[13]).toBe('0');
    // A category × channel row: scope « Catégorie × canal », code category/channel, both names.
    expect(row('statistics/mail', 'received').slice(0, 3)).toEqual([
      'Catégorie × canal',
      'statistics/mail',
      'Statistiques sur l’effectif et les acquisitions — Courrier',
    ]);
    expect(row('total', 'ack-missing').slice(9, 12)).toEqual(['6', '', '6']);
  });

  it('gives the CSV in English with “,” and a decimal point; quoted fields parse back', async () => {
    const result = await (
      await handler()
    )(request({ from: '2026-03-01', to: '2026-03-31', format: 'csv', lang: 'en' }));
    const rows = parseCsv(String(result.body).slice(1), ',');
    expect(rows[0]![0]).toBe('Scope');
    const ackOnTime = rows.find((r) => r[1] === 'total' && r[3] === 'ack-on-time')!;
    expect(ackOnTime.slice(5, 8)).toEqual(['5', '8', '62.5']);
    const answerOnTime = rows.find((r) => r[1] === 'total' && r[3] === 'answer-on-time')!;
    expect(answerOnTime[7]).toBe('66.7');
    // A name with a comma is quoted in the file and whole once parsed.
    expect(String(result.body)).toContain(',"Not acknowledged, deadline passed",');
    expect(rows.find((r) => r[1] === 'total' && r[3] === 'ack-missing')![4]).toBe(
      'Not acknowledged, deadline passed',
    );
  });
});

describe('the CSV’s withheld column (confidential cases not listed to the reader)', () => {
  /** A supervisor of the statistics unit and of the service complaints' unit (G, a confidential complaint). */
  const COMPLAINTS_SUPERVISOR = { ...SUPERVISOR, 'custom:units': 'statistics,service-complaints' };
  const csvOf = async (claims: Record<string, unknown>) => {
    const result = await (
      await handler()
    )(request({ from: '2026-03-01', to: '2026-03-31', format: 'csv', lang: 'en' }, claims));
    expect(result.statusCode).toBe(200);
    const rows = parseCsv(String(result.body).slice(1), ',');
    expect(rows[0]![13]).toBe('Confidential cases not listed');
    return rows.slice(1);
  };
  const cell = (rows: string[][], scope: string, indicator: string) => {
    const row = rows.find((r) => r[1] === scope && r[3] === indicator);
    return row === undefined ? undefined : { count: row[5], withheld: row[13] };
  };

  it('a supervisor’s counts the confidential complaint of their units on each of its rows; an auditor’s none', async () => {
    const supervisor = await csvOf(COMPLAINTS_SUPERVISOR);
    const auditor = await csvOf(AUDITOR);

    // G (recategorized into a service complaint, a confidential category): counted, not listed to the supervisor.
    expect(cell(supervisor, 'total', 'received')).toEqual({ count: '9', withheld: '1' });
    expect(cell(supervisor, 'service-complaint', 'complaints-received')).toEqual({
      count: '1',
      withheld: '1',
    });
    expect(cell(supervisor, 'service-complaint', 'dissatisfied')).toEqual({ count: '1', withheld: '1' });
    expect(cell(supervisor, 'web', 'complaints-received')).toEqual({ count: '1', withheld: '1' });
    expect(cell(supervisor, 'service-complaint/web', 'received')).toEqual({ count: '1', withheld: '1' });
    expect(cell(supervisor, 'statistics', 'received')).toEqual({ count: '8', withheld: '0' });
    // Every row of the complaint category withholds all its cases; none of statistics withholds any.
    for (const row of supervisor) {
      if (row[1]!.startsWith('service-complaint'))
        expect([row[1], row[3], row[13]]).toEqual([row[1], row[3], row[5]]);
      if (row[1]!.startsWith('statistics')) expect([row[1], row[3], row[13]]).toEqual([row[1], row[3], '0']);
    }
    // H (a confidential comment) is of another unit: not counted at all for this supervisor.
    expect(cell(supervisor, 'comment', 'received')).toBeUndefined();

    // The auditor lists every reference (the drill-down, journaled): nothing withheld, H and G counted.
    expect(cell(auditor, 'total', 'received')).toEqual({ count: '10', withheld: '0' });
    expect(cell(auditor, 'service-complaint', 'complaints-received')).toEqual({ count: '1', withheld: '0' });
    expect(cell(auditor, 'comment', 'comments-received')).toEqual({ count: '1', withheld: '0' });
    expect(auditor.every((row) => row[13] === '0')).toBe(true);
  });
});

describe('GET /api/audit/reports/service-statement/cases (drill-down)', () => {
  const CASES = '/api/audit/reports/service-statement/cases';

  it('lists the references behind a figure of one category and channel, paged', async () => {
    const h = await handler();
    const report = json(await h(request({ from: '2026-03-01', to: '2026-03-31' })));
    const href = (report['byCategoryChannel'] as Record<string, Record<string, typeof report.total>>)[
      'statistics'
    ]!['web']!['received']!.cases as unknown as { href: string };
    const url = new URL(href.href, 'https://x.test');
    expect(url.pathname).toBe(CASES);

    const query = { ...Object.fromEntries(url.searchParams), pageSize: '5' };
    const result = await h(request(query, AUDITOR, {}, CASES));

    expect(result.statusCode).toBe(200);
    expect(result.headers?.['content-type']).toBe('application/json; charset=utf-8');
    const body = JSON.parse(String(result.body)) as Record<string, unknown>;
    expect(body).toMatchObject({
      indicator: 'received',
      category: 'statistics',
      channel: 'web',
      count: 7,
      withheld: 0,
      page: 1,
      pages: 2,
      references: ['A', 'B', 'C', 'D', 'F', 'I', 'K']
        .map((n) => scenario.refs[n])
        .sort()
        .slice(0, 5),
      next: `${CASES}?from=2026-03-01&to=2026-03-31&indicator=received&category=statistics&channel=web&page=2&pageSize=5`,
    });
  });

  it('withholds confidential references from a supervisor, refuses an agent, and bad fields field by field', async () => {
    const h = await handler();
    const supervisor = { ...SUPERVISOR, 'custom:units': 'statistics,service-complaints' };
    const withheld = await h(
      request({ from: '2026-03-01', to: '2026-03-31', indicator: 'dissatisfied' }, supervisor, {}, CASES),
    );
    expect(JSON.parse(String(withheld.body))).toMatchObject({ count: 1, withheld: 1, references: [] });
    const agent = await h(
      request({ from: '2026-03-01', to: '2026-03-31', indicator: 'received' }, AGENT, {}, CASES),
    );
    expect(agent.statusCode).toBe(403);
    const bad = await h(
      request(
        { from: '2026-03-01', to: '2026-03-31', indicator: 'late', channel: 'fax' },
        AUDITOR,
        { 'accept-language': 'en' },
        CASES,
      ),
    );
    expect(bad.statusCode).toBe(400);
    const problem = JSON.parse(String(bad.body)) as ProblemBody;
    expect(problem.code).toBe('INVALID_REQUEST');
    expect(fieldIssues(problem)).toEqual([
      { path: 'query.indicator', message: expect.stringContaining('must be one of received') },
      { path: 'query.channel', message: 'must be one of web, email, mail, phone, in-person' },
    ]);
  });
});

describe('the default period', () => {
  it('without from and to, reports 1 January to today by the server’s Québec date', async () => {
    const result = await (await handler())(request({}));
    expect(result.statusCode).toBe(200);
    expect(json(result)['period']).toEqual({ from: '2026-01-01', to: '2026-04-02' });
  });
});
