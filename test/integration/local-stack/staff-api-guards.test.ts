import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import { client } from './support';

/**
 * The staff API's guards over HTTP on the local stack: a body over the limit is refused (413) before it is
 * read in full or parsed, and a reassignment that would leave a case without an owner is refused (400).
 */
const START = '2026-12-18T15:00:00.000Z';
let stack: LocalStack;
let api: ReturnType<typeof client>;
let agent: string;
let caseId: string;

beforeAll(async () => {
  stack = await startLocalStack({ memory: true, virtualClock: START, port: 0, smtpPort: 0, quiet: true });
  api = client(stack.urls.web);
  agent = await api.login('agent');
  ({ caseId } = await api.registerLetter(agent, 'guards-0001', '2026-12-18T14:00:00Z'));
  await api.clock({ advance: 'PT0S' });
}, 60_000);

afterAll(async () => {
  await stack?.stop();
});

async function post(path: string, body: string, token: string, headers: Record<string, string> = {}) {
  const response = await fetch(new URL(path, stack.urls.web), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body,
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    json: (await response.json()) as Record<string, unknown>,
  };
}

describe('staff API guards on the local stack', () => {
  it('413 as problem details for a 9 MB JSON body, quickly, and the case is untouched', async () => {
    const before = await api.request('GET', `/api/staff/cases/${caseId}`, undefined, {
      authorization: `Bearer ${agent}`,
    });
    const started = performance.now();

    const response = await post(
      `/api/staff/cases/${caseId}/answer`,
      JSON.stringify({ message: 'a'.repeat(9 * 1024 * 1024) }),
      agent,
      { 'accept-language': 'en' },
    );

    const elapsed = performance.now() - started;
    expect(response.status).toBe(413);
    expect(response.contentType).toBe('application/problem+json; charset=utf-8');
    expect(response.json).toMatchObject({
      type: 'urn:jalon:problem:payload-too-large',
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      detail: 'The request body is larger than the 1 MiB this API accepts.',
    });
    expect(elapsed).toBeLessThan(1_500);
    const after = await api.request('GET', `/api/staff/cases/${caseId}`, undefined, {
      authorization: `Bearer ${agent}`,
    });
    expect(after.json['case']).toMatchObject({ status: (before.json['case'] as { status: string }).status });
  });

  it('the server still answers normally after refusing a large body', async () => {
    const response = await api.request('GET', '/api/staff/cases', undefined, {
      authorization: `Bearer ${agent}`,
    });

    expect(response.status).toBe(200);
  });

  it('400 on to.unit for a reassignment to an unknown unit; the case keeps its unit', async () => {
    const response = await post(
      `/api/staff/cases/${caseId}/reassign`,
      JSON.stringify({ to: { unit: 'no-such-unit' }, reason: 'misrouted' }),
      agent,
    );

    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      code: 'INVALID_REQUEST',
      errors: [
        { field: 'to.unit', pointer: '/to/unit', detail: expect.stringContaining('n’est pas une unité') },
      ],
    });
    const read = await api.request('GET', `/api/staff/cases/${caseId}`, undefined, {
      authorization: `Bearer ${agent}`,
    });
    expect(read.json['case']).toMatchObject({ unit: 'statistics' });
  });

  it('400 on to.assignee for a person the directory does not know; accepted for the demo agent of the unit', async () => {
    const unknown = await post(
      `/api/staff/cases/${caseId}/reassign`,
      JSON.stringify({ to: { unit: 'statistics', assignee: 'somebody-else' }, reason: 'absence' }),
      agent,
    );
    const known = await post(
      `/api/staff/cases/${caseId}/reassign`,
      JSON.stringify({ to: { unit: 'statistics', assignee: 'demo-agent' }, reason: 'absence' }),
      agent,
    );

    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ errors: [{ field: 'to.assignee' }] });
    expect(known.status).toBe(201);
  });
});
