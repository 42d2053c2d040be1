import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

import { makeHandler as makeAuditHandler } from '../../../functions/audit-api/handler';
import { makeHandler } from '../../../functions/staff-api/handler';
import { loadSctPolicy } from '../../../shared/domain/policy';
import { CASE_ID, COMPLAINT_ID, harness } from '../commands/fixtures';
import { fieldIssues } from '../../support/problem';
import type { ProblemBody } from '../../support/problem';

const AGENT_CLAIMS = { sub: 'agent-tremblay', 'cognito:groups': '[agent]', 'custom:units': 'statistics' };
const OFFICER_CLAIMS = { sub: 'rp-lavoie', 'cognito:groups': ['complaints-officer'] };
const AUDITOR_CLAIMS = { sub: 'aud-bouchard', 'cognito:groups': ['auditor'] };
const QUIET = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The references `harness().seed` gives the two cases below, in order. */
const CASE_REFERENCE = 'SCT-2026-000001';
const COMPLAINT_REFERENCE = 'SCT-2026-000002';

interface Call {
  readonly method?: string;
  readonly path: string;
  readonly claims?: Record<string, unknown>;
  readonly query?: Record<string, string>;
  readonly body?: unknown;
  readonly language?: string;
}

interface Body {
  readonly cases?: readonly { readonly caseId: string; readonly reference?: string }[];
  readonly nextCursor?: string;
  readonly case?: { readonly caseId: string; readonly reference?: string };
  readonly caseId?: string;
  readonly code?: string;
  readonly detail?: string;
  readonly errors?: ProblemBody['errors'];
}

function event(call: Call): APIGatewayProxyEventV2WithJWTAuthorizer {
  const method = call.method ?? 'GET';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: call.path,
    rawQueryString: new URLSearchParams(call.query ?? {}).toString(),
    headers: {
      'content-type': 'application/json',
      ...(call.language !== undefined ? { 'accept-language': call.language } : {}),
    },
    ...(call.query !== undefined ? { queryStringParameters: call.query } : {}),
    requestContext: {
      http: { method, path: call.path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'jest' },
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: { claims: call.claims ?? AGENT_CLAIMS, scopes: [] },
      },
      requestId: 'req-1',
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer['requestContext'],
    ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
    isBase64Encoded: false,
  };
}

async function setup() {
  const h = harness();
  await h.seed();
  await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint' });
  const staff = makeHandler({ ...h.deps, logger: QUIET, originCheck: { mode: 'off' } });
  const audit = makeAuditHandler({
    ledger: h.ledger,
    caseReferences: h.search,
    clock: h.clock,
    policy: loadSctPolicy(),
    executions: {
      describe: () => Promise.resolve(undefined),
      history: () => Promise.resolve([]),
    } as never,
    scanner: {} as never,
    accessJournal: h.accessJournal,
    logger: QUIET,
    originCheck: { mode: 'off' },
  });
  const send = async (handler: typeof staff, call: Call) => {
    const response = (await handler(event(call))) as APIGatewayProxyStructuredResultV2 & { body: string };
    return { status: response.statusCode, body: JSON.parse(response.body) as Body };
  };
  return {
    h,
    call: (call: Call) => send(staff, call),
    callAudit: (call: Call) => send(audit, call),
  };
}

describe('GET /api/staff/cases: search', () => {
  it('finds by reference and by name, with the list shape and no cursor on a last page', async () => {
    const { call } = await setup();

    const byReference = await call({ path: '/api/staff/cases', query: { q: 'sct-2026-000001' } });
    const byName = await call({ path: '/api/staff/cases', query: { q: 'GAGNON', status: 'open' } });

    expect(byReference.status).toBe(200);
    expect(byReference.body.cases?.map((item) => item.caseId)).toEqual([CASE_ID]);
    expect(byName.body.cases?.map((item) => item.caseId)).toEqual([CASE_ID]);
    expect(byName.body).not.toHaveProperty('nextCursor');
  });

  it('gives the same answer to an agent whether or not a confidential case matches', async () => {
    const { call } = await setup();

    const hidden = await call({ path: '/api/staff/cases', query: { q: COMPLAINT_REFERENCE } });
    const none = await call({ path: '/api/staff/cases', query: { q: 'SCT-2026-999999' } });
    const officer = await call({
      path: '/api/staff/cases',
      query: { q: COMPLAINT_REFERENCE },
      claims: OFFICER_CLAIMS,
    });

    expect(hidden).toEqual(none);
    expect(hidden.body).toEqual({ cases: [], staffNames: {} });
    expect(officer.body.cases?.map((item) => item.caseId)).toEqual([COMPLAINT_ID]);
  });

  it('400: each bad parameter is named, in French by default and in English on request', async () => {
    const { call } = await setup();
    const query = { limit: '0', sort: 'urgency', order: 'up', status: 'pending' };

    const french = await call({ path: '/api/staff/cases', query });
    const english = await call({ path: '/api/staff/cases', query, language: 'en' });
    const tooLong = await call({ path: '/api/staff/cases', query: { limit: '201' } });

    expect(french.status).toBe(400);
    expect(french.body.code).toBe('INVALID_REQUEST');
    expect(
      fieldIssues(french.body)
        .map((issue) => issue.path)
        .sort(),
    ).toEqual(['query.limit', 'query.order', 'query.sort', 'query.status']);
    expect(english.body.detail).toBe('The request has invalid fields.');
    expect(french.body.detail).toBe('La requête contient des champs invalides.');
    expect(fieldIssues(tooLong.body).map((issue) => issue.path)).toEqual(['query.limit']);
  });

  it('400: a cursor of another list, a search without a two-letter word, all without a search', async () => {
    const { call } = await setup();

    const cursor = await call({ path: '/api/staff/cases', query: { cursor: 'bm90LWEtY3Vyc29y' } });
    const word = await call({ path: '/api/staff/cases', query: { q: 'a' }, language: 'en' });
    const all = await call({ path: '/api/staff/cases', query: { status: 'all' } });

    expect(cursor.status).toBe(400);
    expect(fieldIssues(cursor.body).map((issue) => issue.path)).toEqual(['query.cursor']);
    expect(word.status).toBe(400);
    expect(fieldIssues(word.body)).toEqual([
      {
        path: 'query.q',
        message: 'must hold a reference (SCT-2026-000123) or at least one word of two characters',
      },
    ]);
    expect(fieldIssues(all.body).map((issue) => issue.path)).toEqual(['query.status']);
  });

  it('pages with limit and the opaque cursor', async () => {
    const { h, call } = await setup();
    await h.seed({ caseId: 'case-0003-statistics' });

    const first = await call({ path: '/api/staff/cases', query: { limit: '1', sort: 'reference' } });
    const second = await call({
      path: '/api/staff/cases',
      query: { limit: '1', sort: 'reference', cursor: first.body.nextCursor ?? '' },
    });

    expect(first.body.cases?.map((item) => item.reference)).toEqual([CASE_REFERENCE]);
    expect(second.body.cases?.map((item) => item.reference)).toEqual(['SCT-2026-000003']);
    expect(second.body).not.toHaveProperty('nextCursor');
  });
});

describe('case routes by reference', () => {
  it('GET /api/staff/cases/{reference} is the case, in any letter case', async () => {
    const { call } = await setup();

    const byId = await call({ path: `/api/staff/cases/${CASE_ID}` });
    const byReference = await call({ path: `/api/staff/cases/${CASE_REFERENCE.toLowerCase()}` });

    expect(byReference.status).toBe(200);
    expect(byReference.body.case?.caseId).toBe(CASE_ID);
    expect(byReference.body.case).toEqual(byId.body.case);
  });

  it('POST /api/staff/cases/{reference}/acknowledge acts on the case', async () => {
    const { call } = await setup();

    const response = await call({
      method: 'POST',
      path: `/api/staff/cases/${CASE_REFERENCE}/acknowledge`,
      body: { answerBy: '2026-03-20' },
    });

    expect(response.status).toBe(201);
    expect(response.body.caseId).toBe(CASE_ID);
  });

  it('404: a confidential case by reference answers an agent exactly like an unknown reference or id', async () => {
    const { call } = await setup();

    const hidden = await call({ path: `/api/staff/cases/${COMPLAINT_REFERENCE}` });
    const unknownReference = await call({ path: '/api/staff/cases/SCT-2026-999999' });
    const unknownId = await call({ path: '/api/staff/cases/case-9999-unknown' });
    const hiddenAction = await call({
      method: 'POST',
      path: `/api/staff/cases/${COMPLAINT_REFERENCE}/acknowledge`,
      body: { answerBy: '2026-03-20' },
    });

    expect(hidden.status).toBe(404);
    expect(hidden).toEqual(unknownReference);
    expect(hidden).toEqual(unknownId);
    expect(hiddenAction.status).toBe(404);
    expect(hiddenAction.body).toEqual(unknownReference.body);
  });

  it('GET /api/audit/cases/{reference}/timeline is the case timeline; an unknown reference is 404', async () => {
    const { callAudit } = await setup();

    const byId = await callAudit({
      path: `/api/audit/cases/${CASE_ID}/timeline`,
      claims: AUDITOR_CLAIMS,
    });
    const byReference = await callAudit({
      path: `/api/audit/cases/${CASE_REFERENCE}/timeline`,
      claims: AUDITOR_CLAIMS,
    });
    const unknown = await callAudit({
      path: '/api/audit/cases/SCT-2026-999999/timeline',
      claims: AUDITOR_CLAIMS,
    });

    expect(byReference.status).toBe(200);
    expect(byReference.body).toEqual(byId.body);
    expect(unknown.status).toBe(404);
  });
});
