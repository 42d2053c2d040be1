import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

import { makeHandler } from '../../../functions/staff-api/handler';
import { STAFF_API_ROUTES } from '../../../functions/staff-api/routes';
import type { StaffApiDeps } from '../../../functions/staff-api/handler';
import { InMemoryCaseLedger } from '../../../shared/domain/ledger';
import { CASE_ID, COMPLAINT_ID, harness } from '../commands/fixtures';
import { fieldIssues } from '../../support/problem';
import type { ProblemBody } from '../../support/problem';

interface LogCall {
  readonly level: string;
  readonly message: string;
  readonly extra: Record<string, unknown>[];
}

class RecordingLogger {
  readonly calls: LogCall[] = [];
  info(message: string, ...extra: Record<string, unknown>[]) {
    this.calls.push({ level: 'info', message, extra });
  }
  warn(message: string, ...extra: Record<string, unknown>[]) {
    this.calls.push({ level: 'warn', message, extra });
  }
  error(message: string, ...extra: Record<string, unknown>[]) {
    this.calls.push({ level: 'error', message, extra });
  }
}

const AGENT_CLAIMS = { sub: 'agent-tremblay', 'cognito:groups': '[agent]', 'custom:units': 'statistics' };
const AUDITOR_CLAIMS = { sub: 'aud-bouchard', 'cognito:groups': ['auditor'] };

interface EventOptions {
  readonly method?: string;
  readonly path: string;
  readonly claims?: Record<string, unknown> | null;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly base64?: boolean;
}

function event(options: EventOptions): APIGatewayProxyEventV2WithJWTAuthorizer {
  const method = options.method ?? 'GET';
  const raw =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const claims = options.claims === undefined ? AGENT_CLAIMS : options.claims;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: options.path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(options.query !== undefined ? { queryStringParameters: options.query } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      ...(claims !== null
        ? {
            authorizer: {
              principalId: '',
              integrationLatency: 0,
              jwt: { claims: claims as never, scopes: [] },
            },
          }
        : {}),
      domainName: 'staff.example.org',
      domainPrefix: 'staff',
      http: { method, path: options.path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'jest' },
      requestId: 'req-42',
      routeKey: '$default',
      stage: '$default',
      time: '04/Mar/2026:15:00:00 +0000',
      timeEpoch: Date.parse('2026-03-04T15:00:00Z'),
    } as APIGatewayProxyEventV2WithJWTAuthorizer['requestContext'],
    ...(raw !== undefined
      ? {
          body: options.base64 ? Buffer.from(raw).toString('base64') : raw,
          isBase64Encoded: options.base64 ?? false,
        }
      : { isBase64Encoded: false }),
  };
}

/** What the tests read from response bodies (each test reads the members its route returns). */
interface ResponseBody extends ProblemBody {
  readonly cases: readonly Record<string, unknown>[];
  readonly case: Record<string, unknown>;
  readonly replayed: boolean;
}

async function setup(overrides: Partial<StaffApiDeps> = {}) {
  const h = harness();
  await h.seed();
  await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint' });
  const logger = new RecordingLogger();
  const handle = makeHandler({ ...h.deps, logger, originCheck: { mode: 'off' }, ...overrides });
  const call = async (options: EventOptions) => {
    const response = (await handle(event(options))) as APIGatewayProxyStructuredResultV2 & { body: string };
    return { ...response, json: JSON.parse(response.body) as ResponseBody };
  };
  return { h, logger, call };
}

const ACK_PATH = `/api/staff/cases/${CASE_ID}/acknowledge`;

describe('staff API handler', () => {
  it('201: acknowledges, with a JSON UTF-8 body holding the result', async () => {
    const { call, h } = await setup();

    const response = await call({ method: 'POST', path: ACK_PATH, body: { answerBy: '2026-03-20' } });

    expect(response.statusCode).toBe(201);
    expect(response.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8' });
    expect(response.json).toMatchObject({
      caseId: CASE_ID,
      replayed: false,
      promisedAnswerDate: '2026-03-20',
      answerDeadline: { dueDate: '2026-03-20', dueAt: '2026-03-21T03:59:59.999Z' },
      delivery: { channel: 'email', messageId: 'ses-1' },
    });
    expect(h.notifier.sent).toHaveLength(1);
  });

  it('200: a retry with the same Idempotency-Key replays without sending again', async () => {
    const { call, h } = await setup();
    const request = {
      method: 'POST',
      path: ACK_PATH,
      body: { answerBy: '2026-03-20' },
      headers: { 'idempotency-key': '6f1c0e52-3c4b-4f0e-9c55-0a4d8a1b2c3d' },
    };

    await call(request);
    const retry = await call(request);

    expect(retry.statusCode).toBe(200);
    expect(retry.json.replayed).toBe(true);
    expect(h.notifier.sent).toHaveLength(1);
  });

  it('accepts a base64-encoded body', async () => {
    const { call } = await setup();

    const response = await call({
      method: 'POST',
      path: ACK_PATH,
      body: { answerBy: '2026-03-20' },
      base64: true,
    });

    expect(response.statusCode).toBe(201);
  });

  it('200: lists cases as {cases: [...]} with the filters of the query', async () => {
    const { call } = await setup();

    const response = await call({
      path: '/api/staff/cases',
      query: { unit: 'statistics', overdue: 'false' },
    });

    expect(response.statusCode).toBe(200);
    expect(response.json.cases).toHaveLength(1);
    expect(response.json.cases[0]).toMatchObject({
      caseId: CASE_ID,
      reference: 'SCT-2026-000001',
      category: 'statistics',
      status: 'received',
      unit: 'statistics',
      confidential: false,
      deadlines: { acknowledgement: { dueDate: '2026-03-16', overdue: false } },
    });
  });

  it('200: returns one case as {case: {...}} with its content for the agent of its unit', async () => {
    const { call } = await setup();

    const response = await call({ path: `/api/staff/cases/${CASE_ID}` });

    expect(response.statusCode).toBe(200);
    expect(response.json.case).toMatchObject({
      caseId: CASE_ID,
      scope: 'content',
      content: { subject: expect.any(String) },
    });
  });

  it('401 without a verified identity, in French by default', async () => {
    const { call } = await setup();

    const response = await call({ path: '/api/staff/cases', claims: null });

    expect(response.statusCode).toBe(401);
    expect(response.headers).toMatchObject({
      'content-type': 'application/problem+json; charset=utf-8',
      'content-language': 'fr',
      'cache-control': 'no-store',
    });
    expect(response.json).toEqual({
      type: 'urn:jalon:problem:not-authenticated',
      title: 'Connexion requise',
      status: 401,
      detail: 'Vous devez être connecté.',
      code: 'NOT_AUTHENTICATED',
      messages: { fr: 'Vous devez être connecté.', en: 'You must be signed in.' },
    });
  });

  it('403 for a role that may not act, and for a person without any staff role', async () => {
    const { call, h } = await setup();

    const auditor = await call({
      method: 'POST',
      path: ACK_PATH,
      claims: AUDITOR_CLAIMS,
      body: { answerBy: '2026-03-20' },
    });
    const nobody = await call({
      path: '/api/staff/cases',
      claims: { sub: 'visitor-1', 'cognito:groups': ['visitors'] },
    });

    expect(auditor.statusCode).toBe(403);
    expect(auditor.json.code).toBe('ACCESS_DENIED');
    expect(nobody.statusCode).toBe(403);
    expect(h.notifier.sent).toHaveLength(0);
  });

  it('400 field by field in French by default', async () => {
    const { call } = await setup();

    const response = await call({
      method: 'POST',
      path: `/api/staff/cases/${CASE_ID}/extend`,
      body: { answerBy: '20 mars', extra: 1 },
    });

    expect(response.statusCode).toBe(400);
    expect(response.headers).toMatchObject({ 'content-language': 'fr' });
    expect(response.json.code).toBe('INVALID_REQUEST');
    expect(response.json.detail).toBe('La requête contient des champs invalides.');
    expect(fieldIssues(response.json)).toEqual(
      expect.arrayContaining([
        { path: 'answerBy', message: 'une date AAAA-MM-JJ est attendue' },
        { path: 'reason', message: 'est obligatoire' },
        { path: 'extra', message: 'n’est pas un champ connu' },
      ]),
    );
  });

  it('400 as RFC 9457 problem details: type, title, both languages, each field with its JSON Pointer', async () => {
    const { call } = await setup();

    const response = await call({
      method: 'POST',
      path: `/api/staff/cases/${CASE_ID}/reassign`,
      body: { to: { unit: 'no-such-unit' }, reason: 'misrouted' },
      headers: { 'accept-language': 'en' },
    });

    expect(response.statusCode).toBe(400);
    expect(response.headers).toMatchObject({
      'content-type': 'application/problem+json; charset=utf-8',
      'content-language': 'en',
      'cache-control': 'no-store',
    });
    expect(response.json).toEqual({
      type: 'urn:jalon:problem:invalid-request',
      title: 'Bad request',
      status: 400,
      detail: 'The request has invalid fields.',
      code: 'INVALID_REQUEST',
      messages: { fr: 'La requête contient des champs invalides.', en: 'The request has invalid fields.' },
      errors: [
        {
          field: 'to.unit',
          pointer: '/to/unit',
          detail: expect.stringMatching(/^is not a unit this case can be assigned to/) as unknown,
          messages: {
            fr: expect.stringMatching(/^n’est pas une unité/) as unknown,
            en: expect.stringMatching(/^is not a unit this case can be assigned to/) as unknown,
          },
        },
      ],
    });
  });

  it('400 on to.unit for a reassignment to a unit the policy does not route to, and nothing recorded', async () => {
    const { call, h } = await setup();
    const before = await h.ledger.read(CASE_ID);

    const response = await call({
      method: 'POST',
      path: `/api/staff/cases/${CASE_ID}/reassign`,
      body: { to: { unit: 'no-such-unit' }, reason: 'misrouted' },
      headers: { 'accept-language': 'en' },
    });

    expect(response.statusCode).toBe(400);
    expect(response.json.code).toBe('INVALID_REQUEST');
    expect(fieldIssues(response.json)).toEqual([
      { path: 'to.unit', message: expect.stringMatching(/^is not a unit this case can be assigned to/) },
    ]);
    expect(await h.ledger.read(CASE_ID)).toEqual(before);
  });

  it('recategorize: the complaints officer moves a supplier complaint out of the complaints (201, then 200 on retry); field errors; an agent is refused', async () => {
    const { call, h } = await setup();
    const officer = { sub: 'rp-lavoie', 'cognito:groups': ['complaints-officer'], 'custom:units': '' };
    const path = `/api/staff/cases/${COMPLAINT_ID}/recategorize`;
    const body = { category: 'supplier-complaint', reason: 'wrong-mailbox' };

    const invalid = await call({
      method: 'POST',
      path,
      claims: officer,
      body: { category: 'astrology', reason: 'bored' },
      headers: { 'accept-language': 'en' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(fieldIssues(invalid.json).map((issue) => issue.path)).toEqual(['reason']);
    const unknown = await call({
      method: 'POST',
      path,
      claims: officer,
      body: { category: 'astrology', reason: 'wrong-mailbox' },
      headers: { 'accept-language': 'en' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(fieldIssues(unknown.json)).toEqual([
      { path: 'category', message: expect.stringMatching(/^is not a category of the policy/) },
    ]);

    const created = await call({
      method: 'POST',
      path,
      claims: officer,
      body,
      headers: { 'idempotency-key': 'k-1' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json).toMatchObject({
      caseId: COMPLAINT_ID,
      replayed: false,
      from: 'service-complaint',
      category: 'supplier-complaint',
      unit: 'supplier-complaints',
      confidential: false,
    });
    const replayed = await call({
      method: 'POST',
      path,
      claims: officer,
      body,
      headers: { 'idempotency-key': 'k-1' },
    });
    expect(replayed.statusCode).toBe(200);
    expect(replayed.json.replayed).toBe(true);
    expect((await h.ledger.getCase(COMPLAINT_ID))?.category).toBe('supplier-complaint');

    const byAgent = await call({
      method: 'POST',
      path: `/api/staff/cases/${CASE_ID}/recategorize`,
      body: { category: 'policies', reason: 'other' },
    });
    expect(byAgent.statusCode).toBe(403);
    expect((await h.ledger.getCase(CASE_ID))?.category).toBe('statistics');
  });

  it('reassign fails closed (500, nothing recorded) without a staff directory', async () => {
    const { call, h } = await setup({ directory: undefined });
    const before = await h.ledger.read(CASE_ID);

    const response = await call({
      method: 'POST',
      path: `/api/staff/cases/${CASE_ID}/reassign`,
      body: { to: { unit: 'media-relations' }, reason: 'misrouted' },
    });

    expect(response.statusCode).toBe(500);
    expect(await h.ledger.read(CASE_ID)).toEqual(before);
  });

  it.each([
    ['as text', false],
    ['base64-encoded', true],
  ])('413 for a body over 1 MiB %s, before parsing or running anything', async (_label, base64) => {
    const { call, h } = await setup();
    const before = await h.ledger.read(CASE_ID);
    const body = JSON.stringify({ message: 'a'.repeat(1024 * 1024) });

    const response = await call({
      method: 'POST',
      path: `/api/staff/cases/${CASE_ID}/answer`,
      body,
      base64,
      headers: { 'accept-language': 'en' },
    });

    expect(response.statusCode).toBe(413);
    expect(response.json).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      status: 413,
      detail: 'The request body is larger than the 1 MiB this API accepts.',
    });
    expect(await h.ledger.read(CASE_ID)).toEqual(before);
    expect(h.notifier.sent).toHaveLength(0);
  });

  it('413 in French by default, also for an invalid body over the limit (the size is checked first)', async () => {
    const { call } = await setup();

    const response = await call({
      method: 'POST',
      path: '/api/staff/intake',
      body: `{${'x'.repeat(2_000_000)}`,
    });

    expect(response.statusCode).toBe(413);
    expect(response.json.detail).toBe('Le corps de la requête dépasse la limite de 1 Mio de cette API.');
  });

  it('accepts a body just under the limit (the check counts bytes, not characters)', async () => {
    const { call } = await setup();
    // 300 000 two-byte characters: 600 000 bytes, under 1 MiB; refused by the schema (50 000 max), not by size.
    const response = await call({
      method: 'POST',
      path: `/api/staff/cases/${CASE_ID}/answer`,
      body: { message: 'é'.repeat(300_000) },
    });

    expect(response.statusCode).toBe(400);
    expect(fieldIssues(response.json).map((issue) => issue.path)).toEqual(['message']);
  });

  it('404 for a complaint an agent may not see: the same response as an unknown case, the attempt on the ledger', async () => {
    const { call, h } = await setup();
    const before = (await h.ledger.read(COMPLAINT_ID)).length;

    const hidden = await call({ path: `/api/staff/cases/${COMPLAINT_ID}` });
    const unknown = await call({ path: '/api/staff/cases/case-9999-unknown' });

    expect(hidden.statusCode).toBe(404);
    expect({ ...hidden, json: undefined }).toEqual({ ...unknown, json: undefined });
    const recorded = (await h.ledger.read(COMPLAINT_ID)).slice(before);
    expect(recorded).toEqual([
      expect.objectContaining({
        type: 'access.refused',
        actor: { kind: 'staff', id: 'agent-tremblay' },
        data: { action: 'read', route: 'GET /api/staff/cases/{caseId}' },
      }),
    ]);
  });

  it('400 field by field in English when Accept-Language prefers it', async () => {
    const { call } = await setup();

    const response = await call({
      method: 'POST',
      path: `/api/staff/cases/${CASE_ID}/reassign`,
      body: { to: { unit: 'media-relations' }, reason: 'bored' },
      headers: { 'accept-language': 'en-CA,en;q=0.9,fr;q=0.8' },
    });

    expect(response.statusCode).toBe(400);
    expect(response.json.detail).toBe('The request has invalid fields.');
    expect(fieldIssues(response.json)).toEqual([
      {
        path: 'reason',
        message: expect.stringMatching(/^must be one of "misrouted", "expertise", .*"self-assigned"$/),
      },
    ]);
  });

  it('400 when the body is not JSON, and for an unknown query filter', async () => {
    const { call } = await setup();

    const notJson = await call({ method: 'POST', path: ACK_PATH, body: '{answerBy:' });
    const badQuery = await call({ path: '/api/staff/cases', query: { status: 'archived' } });

    expect(notJson.statusCode).toBe(400);
    expect(fieldIssues(notJson.json)).toEqual([
      { path: '', message: 'Le corps de la requête doit être du JSON valide.' },
    ]);
    expect(badQuery.statusCode).toBe(400);
    expect(fieldIssues(badQuery.json)[0]?.path).toBe('query.status');
  });

  it('404 for an unknown case, and the same 404 for a complaint an agent may not see', async () => {
    const { call } = await setup();

    const unknown = await call({ path: '/api/staff/cases/no-such-case-1' });
    const complaint = await call({ path: `/api/staff/cases/${COMPLAINT_ID}` });

    expect(unknown.statusCode).toBe(404);
    expect(complaint.statusCode).toBe(404);
    expect(complaint.json).toEqual(unknown.json);
  });

  it('404 for an unknown route and 405 for a known route with another method', async () => {
    const { call } = await setup();

    const route = await call({ method: 'POST', path: `/api/staff/cases/${CASE_ID}/delete` });
    const method = await call({ method: 'DELETE', path: `/api/staff/cases/${CASE_ID}` });

    expect(route.statusCode).toBe(404);
    expect(method.statusCode).toBe(405);
  });

  it('409 when the case was already acknowledged, with the reason in French', async () => {
    const { call } = await setup();
    await call({ method: 'POST', path: ACK_PATH, body: { answerBy: '2026-03-20' } });

    const response = await call({ method: 'POST', path: ACK_PATH, body: { answerBy: '2026-03-27' } });

    expect(response.statusCode).toBe(409);
    expect(response.json.code).toBe('ALREADY_ACKNOWLEDGED');
    expect(response.json.detail).toContain('déjà reçu son accusé de réception');
  });

  it('restart-enforcement: 201 for an administrator on a case whose workflow failed, 403 for others, 409 otherwise', async () => {
    const started: unknown[] = [];
    const workflow = { start: (input: unknown) => Promise.resolve(void started.push(input)) };
    const intake = {
      references: { allocate: () => Promise.reject(new Error('unused')) },
      workflow,
      metrics: { recordRegistrationLag: () => undefined },
    };
    const { call, h } = await setup({ intake });
    const path = `/api/staff/cases/${CASE_ID}/restart-enforcement`;
    const admin = { sub: 'adm-cote', 'cognito:groups': ['admin'] };
    const body = { reason: 'Panne du courriel corrigée' };

    const running = await call({ method: 'POST', path, body, claims: admin });
    expect(running.statusCode).toBe(409);
    expect(running.json.code).toBe('ENFORCEMENT_RUNNING');

    await h.ledger.append(CASE_ID, {
      type: 'failure.recorded',
      at: '2026-03-04T13:30:00.000Z',
      actor: { kind: 'system', id: 'workflow' },
      data: { code: 'EmailServiceUnavailableError', stepId: 'ack-reminder' },
    });
    expect((await call({ method: 'POST', path, body })).statusCode).toBe(403);
    const missing = await call({ method: 'POST', path, body: {}, claims: admin });
    expect(missing.statusCode).toBe(400);
    expect(fieldIssues(missing.json).map((issue) => issue.path)).toEqual(['reason']);

    const restarted = await call({ method: 'POST', path, body, claims: admin });
    expect(restarted.statusCode).toBe(201);
    expect(restarted.json).toMatchObject({ caseId: CASE_ID, generation: 2, replayed: false });
    expect(started).toMatchObject([{ caseId: CASE_ID, generation: 2, restart: true }]);
  });

  it('422 for a promised date on a weekend, explained in English when asked', async () => {
    const { call } = await setup();

    const response = await call({
      method: 'POST',
      path: ACK_PATH,
      body: { answerBy: '2026-03-21' },
      headers: { 'accept-language': 'en' },
    });

    expect(response.statusCode).toBe(422);
    expect(response.json).toMatchObject({
      code: 'ANSWER_DATE_NOT_BUSINESS_DAY',
      status: 422,
      detail: 'The promised answer date must be a business day: Saturday, March 21, 2026 is not (Saturday).',
    });
  });

  it('500 hides internals and logs the error name only (no address, no body)', async () => {
    const ledger = new InMemoryCaseLedger();
    ledger.getCase = () => Promise.reject(new Error('boom for marie.gagnon@example.org'));
    const { call, logger } = await setup({ ledger });

    const response = await call({ path: `/api/staff/cases/${CASE_ID}` });

    expect(response.statusCode).toBe(500);
    expect(response.headers).toMatchObject({ 'content-type': 'application/problem+json; charset=utf-8' });
    expect(response.json).toEqual({
      type: 'urn:jalon:problem:internal-error',
      title: 'Erreur interne',
      status: 500,
      detail: 'Une erreur interne est survenue; réessayez plus tard. Code de la requête\u00a0: req-42',
      code: 'INTERNAL_ERROR',
      messages: {
        fr: 'Une erreur interne est survenue; réessayez plus tard. Code de la requête\u00a0: req-42',
        en: 'An internal error occurred; please try again later. Request code: req-42',
      },
      requestId: 'req-42',
    });
    expect(response.body).not.toContain('boom');
    expect(logger.calls).toEqual([
      {
        level: 'error',
        message: 'request failed',
        extra: [{ route: 'GET /api/staff/cases/{caseId}', errorName: 'Error' }],
      },
    ]);
    expect(response.body + JSON.stringify(logger.calls)).not.toContain('marie.gagnon');
  });

  it('never logs personal data on refused requests', async () => {
    const { call, logger } = await setup();

    await call({ method: 'POST', path: `/api/staff/cases/${CASE_ID}/answer`, body: { message: '' } });

    const logged = JSON.stringify(logger.calls);
    expect(logger.calls).toHaveLength(1);
    expect(logged).toContain('INVALID_REQUEST');
    expect(logged).not.toMatch(/Marie|marie\.gagnon|Effectifs/);
  });
});

describe('POST /api/staff/cases/{caseId}/note', () => {
  const NOTE_PATH = `/api/staff/cases/${CASE_ID}/note`;

  it('201 records the note; 200 when the same Idempotency-Key replays it', async () => {
    const { call, h } = await setup();
    const request = {
      method: 'POST',
      path: NOTE_PATH,
      body: { text: 'Appel reçu.\nRappeler jeudi.' },
      headers: { 'idempotency-key': '0b6c2f7e-2f0a-4c1e-8d7b-4e1f9a0c3d22' },
    };

    const first = await call(request);
    const retry = await call(request);

    expect(first.statusCode).toBe(201);
    expect(first.json).toMatchObject({
      caseId: CASE_ID,
      replayed: false,
      notedAt: '2026-03-04T15:00:00.000Z',
    });
    expect(retry.statusCode).toBe(200);
    expect(retry.json.replayed).toBe(true);
    expect((await h.ledger.read(CASE_ID)).filter((e) => e.type === 'case.noted')).toHaveLength(1);
  });

  it('400 on text, field by field, in French and in English', async () => {
    const { call } = await setup();

    const french = await call({ method: 'POST', path: NOTE_PATH, body: { text: '   ', extra: 1 } });
    const english = await call({
      method: 'POST',
      path: NOTE_PATH,
      body: { text: 'x'.repeat(5_001) },
      headers: { 'accept-language': 'en' },
    });
    const missing = await call({ method: 'POST', path: NOTE_PATH, body: {} });

    expect(french.statusCode).toBe(400);
    expect(fieldIssues(french.json)).toEqual(
      expect.arrayContaining([
        { path: 'text', message: 'ne doit pas être vide' },
        { path: 'extra', message: 'n’est pas un champ connu' },
      ]),
    );
    expect(english.statusCode).toBe(400);
    expect(fieldIssues(english.json)).toEqual([
      { path: 'text', message: expect.stringMatching(/5000|5,000/) },
    ]);
    expect(fieldIssues(missing.json)).toEqual([{ path: 'text', message: 'est obligatoire' }]);
  });

  it('403 for an auditor; 404 for an agent on a confidential case', async () => {
    const { call } = await setup();

    const auditor = await call({
      method: 'POST',
      path: NOTE_PATH,
      claims: AUDITOR_CLAIMS,
      body: { text: 'Note.' },
    });
    const hidden = await call({
      method: 'POST',
      path: `/api/staff/cases/${COMPLAINT_ID}/note`,
      body: { text: 'Note.' },
    });

    expect(auditor.statusCode).toBe(403);
    expect(hidden.statusCode).toBe(404);
  });
});

describe('staff API routing (the declared routes)', () => {
  it('serves every declared route with its own handler, and refuses what is not declared', async () => {
    const { call } = await setup();
    for (const route of STAFF_API_ROUTES) {
      const path = route.path.replace(/\{(\w+)\}/g, (_all, name: string) =>
        name === 'caseId' ? CASE_ID : 'x1',
      );
      const response = await call({ method: route.method, path, body: {} });
      // Whatever the handler says (400 for an empty body, 404 for an unknown letter…), it is not the router's.
      const routed = !/ROUTE_NOT_FOUND|METHOD_NOT_ALLOWED/.test(response.body);
      expect({ id: route.id, routed }).toEqual({ id: route.id, routed: true });
    }
    const unknown = await call({ method: 'POST', path: `/api/staff/cases/${CASE_ID}/delete`, body: {} });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toMatch(/ROUTE_NOT_FOUND/);
    const wrongMethod = await call({ method: 'DELETE', path: `/api/staff/cases/${CASE_ID}` });
    expect(wrongMethod.statusCode).toBe(405);
    expect(wrongMethod.headers).toMatchObject({ allow: 'GET' });
    const trailing = await call({ path: '/api/staff/cases/' });
    expect(trailing.statusCode).toBe(404);
  });
});
