import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import { client } from './support';

/**
 * The citizen side of the local stack: the form pages (French at `/`, English at `/en/`) under the
 * distribution's Content Security Policy, their static files, and `POST /api/requests` reaching the
 * form-intake handler as API Gateway would invoke it, up to the automatic receipt in the outbox.
 */
let stack: LocalStack;
let api: ReturnType<typeof client>;

beforeAll(async () => {
  stack = await startLocalStack({
    memory: true,
    virtualClock: '2026-12-18T15:00:00Z',
    port: 0,
    smtpPort: 0,
    quiet: true,
    // Three submissions pass (each takes a token, replays and refusals included), the fourth is limited.
    formRateLimit: { capacity: 3, refillPerSecond: 1 / 3600 },
  });
  api = client(stack.urls.web);
}, 30_000);

afterAll(async () => {
  await stack?.stop();
});

const SUBMISSION = {
  category: 'statistics',
  name: 'Marie Tremblay',
  email: 'marie.tremblay@example.com',
  subject: 'Effectifs de la fonction publique 2025',
  message: 'Bonjour,\nPourriez-vous me transmettre les effectifs par ministère?\nMerci.',
  website: '',
};

describe('citizen form, locally', () => {
  it('serves the form in French at / and in English at /en/, with the static files, under a strict CSP', async () => {
    const french = await api.request('GET', '/');
    const english = await api.request('GET', '/en/');
    const stylesheet = await api.request('GET', '/citizen.css');
    const outside = await api.request('GET', '/..%2Fpackage.json');

    expect(french.status).toBe(200);
    expect(french.text).toMatch(/<html lang="fr"/);
    expect(english.text).toMatch(/<html lang="en"/);
    expect(french.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(french.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(stylesheet.status).toBe(200);
    expect(stylesheet.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(outside.status).toBe(404);
  });

  it('serves the service statement in French and in English, under the same CSP, linked from the form', async () => {
    const french = await api.request('GET', '/declaration-de-services');
    const english = await api.request('GET', '/en/service-statement');
    const form = await api.request('GET', '/en/');

    expect(french.status).toBe(200);
    expect(english.status).toBe(200);
    expect(french.text).toMatch(/<html lang="fr"/);
    expect(french.text).toContain('<h1>Déclaration de services aux citoyens</h1>');
    expect(english.text).toMatch(/<html lang="en"/);
    expect(english.text).toContain('<h1>Service statement</h1>');
    for (const page of [french.text, english.text]) {
      expect(page).toContain('1 800 463-5070');
      expect(page).toContain('418 643-9226');
    }
    expect(english.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(form.text).toContain('href="/en/service-statement"');
  });

  it('registers a submission (201 with the reference), once per Idempotency-Key, and sends the receipt', async () => {
    const headers = { 'idempotency-key': 'form-key-00000001' };

    const first = await api.request('POST', '/api/requests', SUBMISSION, headers);
    const again = await api.request('POST', '/api/requests', SUBMISSION, headers);
    await api.clock({ advance: 'PT0S' });
    const receipts = (await api.outbox()).filter((message) => message.to.includes(SUBMISSION.email));

    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ reference: expect.stringMatching(/^SCT-2026-\d{6}$/) });
    expect(again.status).toBe(200);
    expect(again.json['caseId']).toBe(first.json['caseId']);
    expect(receipts.map((message) => message.subject)).toEqual([
      `Réception de votre demande – ${first.json['reference'] as string}`,
    ]);
  });

  it('answers 400 with field messages and creates nothing for an invalid submission', async () => {
    const before = await api.outbox();

    const response = await api.request('POST', '/api/requests', { ...SUBMISSION, email: 'not-an-address' });
    await api.clock({ advance: 'PT0S' });

    expect(response.status).toBe(400);
    expect(JSON.stringify(response.json)).toContain('email');
    expect(await api.outbox()).toHaveLength(before.length);
  });

  it('limits submissions per client, as the WAF rate rule does in AWS', async () => {
    const response = await api.request('POST', '/api/requests', {
      ...SUBMISSION,
      subject: 'Une autre demande',
    });

    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).not.toBeNull();
  });
});
