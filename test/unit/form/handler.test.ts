import { caseIdFor } from '../../../shared/domain/intake/register-case';
import { TokenBucketRateLimiter } from '../../../shared/domain/intake/form/rate-limiter';
import { loadPolicy, loadSctPolicy } from '../../../shared/domain/policy';
import sctPolicyDocument from '../../../shared/config/policies/sct.json';
import { StoreUnavailableError } from '../../../shared/errors';
import { FORM_TYPE, KEY, NOW, REQUEST_ID, VALID, setup } from './fixtures';
import { fieldIssues } from '../../support/problem';

const keyed = (key = KEY) => ({ 'idempotency-key': key });

describe('POST /api/requests: JSON', () => {
  it('201: registers the request once, with the request time and web-server-time evidence, and tells when the acknowledgement is due', async () => {
    const { call, ledger, workflow, metrics } = setup();

    const response = await call({ body: VALID, headers: keyed() });

    const caseId = caseIdFor(loadSctPolicy(), `form:key:${KEY}`);
    expect(response.statusCode).toBe(201);
    expect(response.json).toEqual({
      caseId,
      reference: 'SCT-2026-000001',
      receivedAt: NOW,
      // Day of receipt (Friday 18 December) not counted; 24, 25, 28, 31 December, 1 and 4 January are holidays.
      acknowledgementDueDate: '2027-01-11',
      acknowledgementDueAt: '2027-01-12T04:59:59.999Z',
    });
    expect(response.headers['cache-control']).toBe('no-store');
    const events = await ledger.read(caseId);
    expect(events.map((event) => event.type)).toEqual([
      'case.received',
      'case.registered',
      'deadline.planned',
      'case.assigned',
      'workflow.started',
    ]);
    expect(events[0]).toMatchObject({
      actor: { kind: 'citizen' },
      data: {
        channel: 'web',
        category: 'statistics',
        requester: { name: VALID.name, email: VALID.email, language: 'fr' },
        subject: VALID.subject,
        body: VALID.message,
        receivedAt: NOW,
        receiptEvidence: { kind: 'web-server-time', reference: REQUEST_ID },
        confidential: false,
      },
    });
    expect(workflow.started).toEqual([{ caseId }]);
    expect(metrics.outcomes).toEqual(['created']);
  });

  it('records an English requester only with the attested basis, dated the day of receipt', async () => {
    const { call, ledger } = setup();

    const response = await call({
      body: { ...VALID, language: 'en', languageBasis: 'outside-quebec', attestation: true },
      headers: keyed(),
    });

    expect(response.statusCode).toBe(201);
    const [received] = await ledger.read(String(response.json['caseId']));
    expect(received?.data).toMatchObject({
      requester: {
        language: 'en',
        languageBasis: { basis: 'outside-quebec', attestedOn: '2026-12-18' },
      },
    });
  });

  it('keeps the organization at the top of the body and the phone on the requester', async () => {
    const { call, ledger } = setup();

    const response = await call({
      body: { ...VALID, organization: 'Les Entreprises Gagnon inc.', phone: '418 555-0199' },
      headers: keyed(),
    });

    const [received] = await ledger.read(String(response.json['caseId']));
    expect(received?.data).toMatchObject({
      requester: { phone: '418 555-0199' },
      body: `Organisation\u00a0: Les Entreprises Gagnon inc.\n\n${VALID.message}`,
    });
  });

  it('accepts a base64-encoded body (as API Gateway may pass it)', async () => {
    const { call } = setup();

    const response = await call({
      body: Buffer.from(JSON.stringify(VALID), 'utf8').toString('base64'),
      isBase64Encoded: true,
      headers: keyed(),
    });

    expect(response.statusCode).toBe(201);
  });

  it('200: the same key and content replay the case, whatever the time of the retry', async () => {
    const { call, clock, ledger, metrics } = setup();
    const first = await call({ body: VALID, headers: keyed() });
    clock.set('2026-12-18T15:00:00.000Z');

    const retry = await call({ body: { ...VALID, email: 'Marie.Tremblay@Example.com' }, headers: keyed() });

    expect(retry.statusCode).toBe(200);
    expect(retry.json).toEqual(first.json);
    expect(ledger.appended.map((entry) => entry.type)).toEqual([
      'case.received',
      'case.registered',
      'deadline.planned',
      'case.assigned',
      'workflow.started',
    ]);
    expect(metrics.outcomes).toEqual(['created', 'replayed']);
  });

  it('422: the same key with other content is refused, with a clear message, and the case keeps its content', async () => {
    const { call, ledger } = setup();
    const first = await call({ body: VALID, headers: keyed() });

    const response = await call({ body: { ...VALID, subject: 'Une tout autre demande' }, headers: keyed() });

    expect(response.statusCode).toBe(422);
    expect(response.json.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(response.json.detail).toContain('rechargez le formulaire');
    const [received] = await ledger.read(String(first.json['caseId']));
    expect(received?.data).toMatchObject({ subject: VALID.subject });
    expect(ledger.appended).toHaveLength(5);
  });

  it('a new key for the same content is a new request with the next reference', async () => {
    const { call } = setup();
    await call({ body: VALID, headers: keyed() });

    const second = await call({ body: VALID, headers: keyed('another-key-0001') });

    expect(second.statusCode).toBe(201);
    expect(second.json['reference']).toBe('SCT-2026-000002');
  });

  it('a category whose acknowledgement is counted in working hours gives the time as well', async () => {
    const { call } = setup();

    const response = await call({
      body: { ...VALID, category: 'media' },
      contentType: FORM_TYPE,
    });

    expect(response.statusCode).toBe(201);
    // Four working hours from Friday 10:00 is Friday 14:00.
    expect(response.body).toContain(
      'au plus tard le <strong><span data-slot="acknowledgement-when">vendredi 18 décembre 2026 à 14 h 00</span></strong>',
    );
  });
});

describe('POST /api/requests: without an Idempotency-Key (content within 10 minutes)', () => {
  it('the same content again is the same case (200), even with other blanks and letter case', async () => {
    const { call, ledger } = setup();
    const first = await call({ body: VALID });

    const again = await call({
      body: {
        ...VALID,
        name: '  Marie   Tremblay ',
        email: 'MARIE.TREMBLAY@example.com',
        message: `${VALID.message.replace(/\n/g, '\r\n')}\n`,
      },
      at: '2026-12-18T15:04:00.000Z',
    });

    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json['reference']).toBe(first.json['reference']);
    expect(again.json['receivedAt']).toBe(NOW);
    expect(ledger.appended).toHaveLength(5);
  });

  it('across a 10-minute boundary, less than 10 minutes apart: still the same case', async () => {
    const { call } = setup();
    const first = await call({ body: VALID, at: '2026-12-18T15:09:30.000Z' });

    const again = await call({ body: VALID, at: '2026-12-18T15:10:30.000Z' });

    expect(again.statusCode).toBe(200);
    expect(again.json['caseId']).toBe(first.json['caseId']);
  });

  it('10 minutes or more later, or with other content: a new case', async () => {
    const { call } = setup();
    const first = await call({ body: VALID, at: '2026-12-18T15:01:00.000Z' });

    const later = await call({ body: VALID, at: '2026-12-18T15:11:00.000Z' });
    const other = await call({ body: { ...VALID, subject: 'Autre chose' }, at: '2026-12-18T15:11:30.000Z' });

    expect(later.statusCode).toBe(201);
    expect(later.json['reference']).not.toBe(first.json['reference']);
    expect(other.statusCode).toBe(201);
    expect(new Set([first, later, other].map((response) => response.json['caseId'])).size).toBe(3);
  });
});

describe('POST /api/requests: a browser without JavaScript (URL-encoded)', () => {
  it('201: answers the confirmation page with the reference and the acknowledgement date', async () => {
    const { call } = setup();

    const response = await call({ body: VALID, contentType: FORM_TYPE });

    expect(response.statusCode).toBe(201);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-language']).toBe('fr');
    expect(response.body).toContain('SCT-2026-000001');
    expect(response.body).toContain('Vous recevrez un accusé de réception au plus tard le');
    expect(response.body).toContain('lundi 11 janvier 2027');
    const contact = response.body.slice(response.body.indexOf('Pour nous joindre'));
    expect(contact.indexOf('statistiques@sct.gouv.qc.ca')).toBeGreaterThan(0);
    expect(contact.indexOf('responsable-plaintes@sct.gouv.qc.ca')).toBeGreaterThan(
      contact.indexOf('Pour formuler une plainte sur nos services'),
    );
  });

  it('a refresh of the confirmation (same post again) shows the same reference', async () => {
    const { call } = setup();
    await call({ body: VALID, contentType: FORM_TYPE });

    const again = await call({ body: VALID, contentType: FORM_TYPE });

    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('SCT-2026-000001');
  });

  it('the English page gets its confirmation in English, and a complaint is said to be confidential', async () => {
    const { call } = setup();

    const response = await call({
      body: { ...VALID, category: 'service-complaint' },
      contentType: FORM_TYPE,
      query: { lang: 'en' },
    });

    expect(response.statusCode).toBe(201);
    expect(response.body).toContain('<html lang="en">');
    expect(response.body).toContain('no later than');
    expect(response.body).toContain('Monday, January 11, 2027');
    expect(response.body).toContain('handled confidentially');
    expect(response.body).toContain('Complaints officer');
    expect(response.body).not.toContain('To complain about our services');
  });

  it('400: the form again, values kept (escaped) and errors next to the fields and in the summary', async () => {
    const { call, nothingWritten } = setup();

    const response = await call({
      body: { ...VALID, name: '', email: 'pas-une-adresse', subject: '<script>alert(1)</script>' },
      contentType: FORM_TYPE,
    });

    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('Le formulaire contient 2 erreurs');
    expect(response.body).toContain('<a href="#field-name">Indiquez votre nom.</a>');
    expect(response.body).toMatch(
      /id="field-email"[^>]*aria-describedby="hint-email error-email"[^>]*aria-invalid="true"/,
    );
    expect(response.body).toContain('value="pas-une-adresse"');
    expect(response.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(response.body).not.toContain('<script>alert(1)');
    expect(nothingWritten()).toBe(true);
  });
});

describe('POST /api/requests: the trap field', () => {
  it('400 naming the field, counted, nothing written; the page shows the field so a person can empty it', async () => {
    const { call, metrics, nothingWritten } = setup();

    const json = await call({ body: { ...VALID, website: 'https://spam.example' } });
    const page = await call({ body: { ...VALID, website: 'https://spam.example' }, contentType: FORM_TYPE });

    expect(json.statusCode).toBe(400);
    expect(fieldIssues(json.json)).toEqual([
      { path: 'website', message: 'Ce champ doit rester vide : effacez son contenu.' },
    ]);
    expect(page.statusCode).toBe(400);
    expect(page.body).toMatch(
      /<input class="input" id="field-website" name="website"[^>]*aria-invalid="true"/,
    );
    expect(page.body).not.toContain('class="trap"');
    expect(metrics.outcomes).toEqual(['honeypot', 'honeypot']);
    expect(nothingWritten()).toBe(true);
  });
});

describe('POST /api/requests: rate limit', () => {
  it('429 with Retry-After once a client used its burst; other clients are not affected', async () => {
    const limiter = new TokenBucketRateLimiter({
      capacity: 2,
      refillPerSecond: 1 / 60,
      clock: { now: () => new Date(NOW) },
    });
    const { call, metrics } = setup({ rateLimiter: limiter });
    await call({ body: VALID, headers: keyed('client-a-0001') });
    await call({ body: VALID, headers: keyed('client-a-0002') });

    const refused = await call({ body: VALID, headers: keyed('client-a-0003') });
    const page = await call({ body: VALID, contentType: FORM_TYPE });
    const other = await call({ body: VALID, headers: keyed('client-b-0001'), sourceIp: '198.51.100.4' });

    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.json.detail).toBe(
      'Trop de demandes ont été envoyées depuis votre connexion. Réessayez dans 1 minute.',
    );
    expect(page.statusCode).toBe(429);
    expect(page.body).toContain(`value="${VALID.name}"`);
    expect(other.statusCode).toBe(201);
    expect(metrics.outcomes.filter((outcome) => outcome === 'rate-limited')).toHaveLength(2);
  });
});

describe('POST /api/requests: language of the answers', () => {
  const invalid = { ...VALID, name: '' };

  it('French by default', async () => {
    const { call } = setup();
    const response = await call({ body: invalid });
    expect(fieldIssues(response.json)).toEqual([{ path: 'name', message: 'Indiquez votre nom.' }]);
    expect(response.json.detail).toBe('Le formulaire contient des erreurs; corrigez les champs indiqués.');
    expect(response.headers['content-language']).toBe('fr');
  });

  it('answers RFC 9457 problem details: the form’s wording, both languages, each field with its JSON Pointer', async () => {
    const { call } = setup();
    const response = await call({ body: invalid, headers: { 'accept-language': 'en' } });
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
      detail: 'The form has errors; correct the fields shown.',
      code: 'INVALID_REQUEST',
      messages: {
        fr: 'Le formulaire contient des erreurs; corrigez les champs indiqués.',
        en: 'The form has errors; correct the fields shown.',
      },
      errors: [
        {
          field: 'name',
          pointer: '/name',
          detail: 'Enter your name.',
          messages: { fr: 'Indiquez votre nom.', en: 'Enter your name.' },
        },
      ],
    });
  });

  it('English for Accept-Language: en', async () => {
    const { call } = setup();
    const response = await call({ body: invalid, headers: { 'accept-language': 'en-CA,en;q=0.9,fr;q=0.5' } });
    expect(fieldIssues(response.json)).toEqual([{ path: 'name', message: 'Enter your name.' }]);
    expect(response.headers['content-language']).toBe('en');
  });

  it('the body’s language field before Accept-Language, the page’s ?lang= before both', async () => {
    const { call } = setup();
    const byField = await call({
      body: { ...invalid, language: 'en' },
      headers: { 'accept-language': 'fr' },
    });
    const byPage = await call({
      body: { ...invalid, language: 'en' },
      headers: { 'accept-language': 'en' },
      query: { lang: 'fr' },
    });
    expect(byField.json.errors?.[0]?.detail).toBe('Enter your name.');
    expect(byPage.json.errors?.[0]?.detail).toBe('Indiquez votre nom.');
  });
});

describe('POST /api/requests: routes and failures', () => {
  it('404 for another path, 405 with Allow for another method', async () => {
    const { call } = setup();
    const missing = await call({ path: '/api/other', body: VALID });
    const get = await call({ method: 'GET' });
    expect(missing.statusCode).toBe(404);
    expect(get.statusCode).toBe(405);
    expect(get.headers['allow']).toBe('POST');
    expect(missing.json).toMatchObject({ type: 'urn:jalon:problem:route-not-found', status: 404 });
    expect(get.json).toMatchObject({
      type: 'urn:jalon:problem:method-not-allowed',
      status: 405,
      detail: 'Seule la méthode POST est permise à cette adresse.',
    });
  });

  it('400 for a category that does not take web requests', async () => {
    const document = structuredClone(sctPolicyDocument) as {
      categories: { id: string; channels: string[] }[];
    };
    const media = document.categories.find((category) => category.id === 'media');
    if (media) media.channels = ['email', 'phone'];
    const { call, nothingWritten } = setup({ policy: loadPolicy(document) });

    const response = await call({ body: { ...VALID, category: 'media' } });

    expect(response.statusCode).toBe(400);
    expect(fieldIssues(response.json)).toEqual([
      {
        path: 'category',
        message:
          'Ce type de demande ne peut pas être envoyé par ce formulaire; choisissez-en un autre dans la liste.',
      },
    ]);
    expect(nothingWritten()).toBe(true);
  });

  it('500 without internals when the store fails, with the request id to quote; the page keeps the values', async () => {
    const { call, ledger, logger } = setup();
    ledger.failWith = new StoreUnavailableError({ operation: 'PutItem', table: 'ledger' });

    const json = await call({ body: VALID });
    const page = await call({ body: VALID, contentType: FORM_TYPE });

    expect(json.statusCode).toBe(500);
    expect(json.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(json.json).toEqual({
      type: 'urn:jalon:problem:internal-error',
      title: 'Erreur interne',
      status: 500,
      code: 'INTERNAL_ERROR',
      detail: expect.stringContaining(`Code de la requête\u00a0: ${REQUEST_ID}`) as unknown,
      messages: {
        fr: expect.stringContaining(`Code de la requête\u00a0: ${REQUEST_ID}`) as unknown,
        en: expect.stringContaining(`Request code: ${REQUEST_ID}`) as unknown,
      },
      requestId: REQUEST_ID,
    });
    expect(json.body).not.toContain('PutItem');
    expect(page.statusCode).toBe(500);
    expect(page.body).toContain(`value="${VALID.email}"`);
    expect(logger.calls.filter((call) => call.level === 'error')).toHaveLength(2);
  });

  it('logs ids, codes and field names, never what the person typed', async () => {
    const { call, logger } = setup();
    await call({ body: VALID, headers: keyed() });
    await call({ body: { ...VALID, email: 'pas-une-adresse' } });

    const logged = JSON.stringify(logger.calls);
    expect(logged).toContain('web request registered');
    expect(logged).toContain('"fields":["email"]');
    for (const value of [VALID.name, VALID.email, VALID.subject, 'pas-une-adresse', 'Bonjour']) {
      expect(logged).not.toContain(value);
    }
  });
});
