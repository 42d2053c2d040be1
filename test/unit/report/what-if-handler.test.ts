import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';

import { makeHandler } from '../../../functions/audit-api/handler';
import { InMemoryAccessJournal } from '../../../shared/domain/access/access-journal';
import { loadSctPolicy } from '../../../shared/domain/policy';
import { bundledCalendars } from '../../../shared/domain/time';
import { FakeExecutions, FakeScanner } from '../audit/fakes';
import { FixedClock } from '../commands/fixtures';
import { buildScenario } from './scenario';
import type { Scenario } from './scenario';

const AUDITOR = { sub: 'aud-bouchard', 'cognito:groups': '[auditor]' };

function request(
  method: string,
  path: string,
  body: string | undefined,
  language = 'en',
): APIGatewayProxyEventV2WithJWTAuthorizer {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { 'accept-language': language },
    ...(body !== undefined ? { body } : {}),
    requestContext: {
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: AUDITOR as never, scopes: [] } },
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'jest' },
      requestId: 'req-what-if',
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer['requestContext'],
    isBase64Encoded: false,
  };
}

let scenario: Scenario;
let journal: InMemoryAccessJournal;

beforeAll(async () => {
  scenario = await buildScenario();
});

async function handler() {
  journal = new InMemoryAccessJournal();
  return makeHandler({
    ledger: scenario.h.ledger,
    clock: new FixedClock('2026-04-02T14:00:00.000Z'),
    policy: loadSctPolicy(),
    executions: new FakeExecutions(),
    scanner: await FakeScanner.of(scenario.h.ledger, Object.values(scenario.ids), 7),
    accessJournal: journal,
    caseReferences: scenario.h.ledger,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    originCheck: { mode: 'off' },
  });
}

describe('POST /api/audit/what-if (handler)', () => {
  it('answers both sides from the ledger scan, journals nothing and lists no confidential reference', async () => {
    const body = JSON.stringify({
      from: '2026-03-01',
      to: '2026-03-31',
      changes: { statistics: { acknowledgementDays: 5 } },
    });

    const result = await (await handler())(request('POST', '/api/audit/what-if', body));

    expect(result.statusCode).toBe(200);
    const answer = JSON.parse(String(result.body)) as {
      differences: { automaticInstead: { references: string[] } };
      confidentialReferences: string;
    };
    expect(answer.differences.automaticInstead.references).toEqual(
      ['B', 'D', 'E', 'F'].map((n) => scenario.refs[n]).sort(),
    );
    expect(answer.confidentialReferences).toBe('withheld');
    expect(String(result.body)).not.toContain(scenario.refs['G']!);
    expect(await journal.listViewsOn('2026-04-02')).toEqual([]);
  });

  it('with `cases`, answers one page of a list; refuses a bad page field by field', async () => {
    const h = await handler();
    const what = {
      from: '2026-03-01',
      to: '2026-03-31',
      changes: { statistics: { acknowledgementDays: 5 } },
    };
    const first = JSON.parse(
      String((await h(request('POST', '/api/audit/what-if', JSON.stringify({ ...what, pageSize: 2 })))).body),
    ) as { differences: { automaticInstead: { references: string[]; next: unknown } } };

    const second = await h(
      request(
        'POST',
        '/api/audit/what-if',
        JSON.stringify({ ...what, pageSize: 2, cases: first.differences.automaticInstead.next }),
      ),
    );
    const bad = await h(
      request(
        'POST',
        '/api/audit/what-if',
        JSON.stringify({ ...what, pageSize: 501, cases: { list: 'late', page: 2, bogus: 1 } }),
      ),
    );

    expect(second.statusCode).toBe(200);
    const page = JSON.parse(String(second.body)) as { report: string; page: number; references: string[] };
    expect(page).toMatchObject({ report: 'what-if-cases', page: 2 });
    expect([...first.differences.automaticInstead.references, ...page.references]).toEqual(
      ['B', 'D', 'E', 'F'].map((n) => scenario.refs[n]).sort(),
    );
    expect(bad.statusCode).toBe(400);
    const problem = JSON.parse(String(bad.body)) as { errors: { field: string }[] };
    expect(problem.errors.map((e) => e.field).sort()).toEqual(['body.cases.bogus', 'body.pageSize']);
  });

  it('refuses closed days that are not existing dates, each by its place in the list, in both languages', async () => {
    const body = JSON.stringify({
      from: '2026-03-01',
      to: '2026-03-31',
      changes: { statistics: { calendar: { addClosures: ['2026-03-16', '2026-02-30', '16 mars'] } } },
    });

    const result = await (await handler())(request('POST', '/api/audit/what-if', body, 'fr'));

    expect(result.statusCode).toBe(400);
    const problem = JSON.parse(String(result.body)) as {
      errors: { field: string; messages: { fr: string; en: string } }[];
    };
    expect(problem.errors.map((e) => e.field)).toEqual([
      'body.changes.statistics.calendar.addClosures.1',
      'body.changes.statistics.calendar.addClosures.2',
    ]);
    expect(problem.errors[0]?.messages).toMatchObject({
      fr: expect.stringContaining('date qui existe') as string,
      en: expect.stringContaining('real calendar date') as string,
    });
  });

  it('refuses a body that is not JSON, a GET, and a POST to the report', async () => {
    const h = await handler();

    const notJson = await h(request('POST', '/api/audit/what-if', '{from:', 'fr'));
    const get = await h(request('GET', '/api/audit/what-if', undefined));
    const postReport = await h(request('POST', '/api/audit/reports/service-statement', '{}'));

    expect(notJson.statusCode).toBe(400);
    expect(String(notJson.body)).toContain('doit être du JSON valide');
    expect([get.statusCode, postReport.statusCode]).toEqual([405, 405]);
  });
});

describe('GET /api/audit/what-if/calendars (handler)', () => {
  it('lists every calendar the what-if accepts, with its names and versions', async () => {
    const result = await (await handler())(request('GET', '/api/audit/what-if/calendars', undefined));

    expect(result.statusCode).toBe(200);
    const answer = JSON.parse(String(result.body)) as {
      calendars: { id: string; name: { fr: string; en: string }; versions: { version: string }[] }[];
    };
    const known = bundledCalendars();
    expect(answer.calendars.map((c) => c.id).sort()).toEqual(known.ids().sort());
    for (const calendar of answer.calendars) {
      expect(calendar.name.fr).toMatch(/\S/);
      expect(calendar.name.en).toMatch(/\S/);
      expect(calendar.versions.map((v) => v.version)).toEqual(known.versions(calendar.id as never));
      for (const { version } of calendar.versions) {
        expect(known.named(calendar.id as never, version)).toBeDefined();
      }
    }
    expect(answer.calendars.find((c) => c.id === 'qc-loi-interpretation')?.versions).toEqual([
      { version: '2026.1', effectiveFrom: '2000-01-01' },
    ]);
  });

  it('is refused to a role that may not run a what-if', async () => {
    const h = await handler();
    const event = request('GET', '/api/audit/what-if/calendars', undefined);
    event.requestContext.authorizer.jwt.claims = { ...AUDITOR, 'cognito:groups': '[agent]' };

    const result = await h(event);

    expect(result.statusCode).toBe(403);
  });
});
