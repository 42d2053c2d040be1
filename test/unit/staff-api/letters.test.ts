import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

import { makeHandler } from '../../../functions/staff-api/handler';
import { CASE_ID, COMPLAINT_ID, LETTER_REQUESTER, harness } from '../commands/fixtures';

const AGENT_CLAIMS = { sub: 'agent-tremblay', 'cognito:groups': ['agent'], 'custom:units': 'statistics' };
const OFFICER_CLAIMS = { sub: 'rp-lavoie', 'cognito:groups': ['complaints-officer'] };

function event(options: {
  method?: string;
  path: string;
  body?: unknown;
  claims?: Record<string, unknown>;
  headers?: Record<string, string>;
}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const method = options.method ?? 'GET';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: options.path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...options.headers },
    requestContext: {
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: { claims: options.claims ?? AGENT_CLAIMS, scopes: [] },
      },
      http: { method, path: options.path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'jest' },
      requestId: 'req-1',
    } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer['requestContext'],
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    isBase64Encoded: false,
  };
}

type Response = APIGatewayProxyStructuredResultV2 & { body: string; headers: Record<string, string> };
interface Letter {
  letterId: string;
  template: string;
  createdAt: string;
  mailedOn?: string;
  mailedAt?: string;
  pdf: string;
}

async function setup() {
  const h = harness();
  await h.seed({ requester: LETTER_REQUESTER });
  await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint', requester: LETTER_REQUESTER });
  const handle = makeHandler({
    ...h.deps,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    originCheck: { mode: 'off' },
  });
  const call = async (options: Parameters<typeof event>[0]) => (await handle(event(options))) as Response;
  const ack = await call({
    method: 'POST',
    path: `/api/staff/cases/${CASE_ID}/acknowledge`,
    body: { answerBy: '2026-03-20' },
  });
  expect(ack.statusCode).toBe(201);
  return { h, call };
}

describe('staff API: letters', () => {
  it('gives today as the legal day in Québec by the server clock (the mailing form defaults to it)', async () => {
    const { h, call } = await setup();
    // 22:30 in Québec on Wednesday 4 March; already 5 March in UTC.
    h.clock.set('2026-03-05T03:30:00.000Z');

    const listed = await call({ path: `/api/staff/cases/${CASE_ID}/letters` });

    expect(listed.statusCode).toBe(200);
    expect(JSON.parse(listed.body)).toMatchObject({ today: '2026-03-04' });
    h.clock.set('2026-03-05T05:00:00.000Z');
    const later = await call({ path: `/api/staff/cases/${CASE_ID}/letters` });
    expect(JSON.parse(later.body)).toMatchObject({ today: '2026-03-05' });
  });

  it('lists the letters with the URL of their PDF, served as application/pdf', async () => {
    const { call } = await setup();

    const listed = await call({ path: `/api/staff/cases/${CASE_ID}/letters` });

    expect(listed.statusCode).toBe(200);
    const { letters } = JSON.parse(listed.body) as { letters: Letter[] };
    expect(letters).toHaveLength(1);
    const letter = letters[0]!;
    expect(letter).toMatchObject({ template: 'acknowledgement', createdAt: '2026-03-04T15:00:00.000Z' });
    expect(letter.mailedAt).toBeUndefined();
    expect(letter.pdf).toBe(`/api/staff/cases/${CASE_ID}/letters/${letter.letterId}.pdf`);

    const pdf = await call({ path: letter.pdf });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.isBase64Encoded).toBe(true);
    expect(Buffer.from(pdf.body, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('records the mailing: 201, then 200 on replay, 422 in the future, 400 field by field, 404 unknown letter', async () => {
    const { call, h } = await setup();
    const [letter] = (
      JSON.parse((await call({ path: `/api/staff/cases/${CASE_ID}/letters` })).body) as {
        letters: Letter[];
      }
    ).letters;
    const path = `/api/staff/cases/${CASE_ID}/letters/${letter!.letterId}/mailed`;

    const future = await call({ method: 'POST', path, body: { mailedOn: '2026-03-06' } });
    expect(future.statusCode).toBe(422);
    expect(JSON.parse(future.body)).toMatchObject({ code: 'MAILED_IN_FUTURE', status: 422 });
    const malformed = await call({ method: 'POST', path, body: { mailedOn: '4 mars' } });
    expect(malformed.statusCode).toBe(400);
    expect(JSON.parse(malformed.body).errors[0].field).toBe('mailedOn');
    const unknown = await call({
      method: 'POST',
      path: `/api/staff/cases/${CASE_ID}/letters/00000000-0000-4000-8000-000000000000/mailed`,
      body: { mailedOn: '2026-03-04' },
    });
    expect(unknown.statusCode).toBe(404);
    expect(JSON.parse(unknown.body)).toMatchObject({ code: 'LETTER_NOT_FOUND', status: 404 });

    const mailed = await call({ method: 'POST', path, body: { mailedOn: '2026-03-04' } });
    expect(mailed.statusCode).toBe(201);
    expect(JSON.parse(mailed.body)).toMatchObject({
      mailedOn: '2026-03-04',
      acknowledgementMetAt: '2026-03-04T15:00:00.000Z',
    });
    const replay = await call({ method: 'POST', path, body: { mailedOn: '2026-03-04' } });
    expect(replay.statusCode).toBe(200);
    const conflict = await call({ method: 'POST', path, body: { mailedOn: '2026-03-03' } });
    expect(conflict.statusCode).toBe(409);
    expect((await h.ledger.getCase(CASE_ID))?.deadlines.acknowledgement?.metAt).toBe(
      '2026-03-04T15:00:00.000Z',
    );
  });

  it("a complaint's letters: hidden from an agent (404), served to the complaints officer", async () => {
    const { call } = await setup();
    const ack = await call({
      method: 'POST',
      path: `/api/staff/cases/${COMPLAINT_ID}/acknowledge`,
      body: { answerBy: '2026-03-20' },
      claims: OFFICER_CLAIMS,
    });
    expect(ack.statusCode).toBe(201);
    const { letterId } = (JSON.parse(ack.body) as { delivery: { letterId: string } }).delivery;

    const asOfficer = await call({
      path: `/api/staff/cases/${COMPLAINT_ID}/letters`,
      claims: OFFICER_CLAIMS,
    });
    expect(asOfficer.statusCode).toBe(200);
    const asAgent = await call({ path: `/api/staff/cases/${COMPLAINT_ID}/letters` });
    expect(asAgent.statusCode).toBe(404);
    const pdfAsAgent = await call({ path: `/api/staff/cases/${COMPLAINT_ID}/letters/${letterId}.pdf` });
    expect(pdfAsAgent.statusCode).toBe(404);
    const pdfAsOfficer = await call({
      path: `/api/staff/cases/${COMPLAINT_ID}/letters/${letterId}.pdf`,
      claims: OFFICER_CLAIMS,
    });
    expect(pdfAsOfficer.headers['content-type']).toBe('application/pdf');
  });
});
