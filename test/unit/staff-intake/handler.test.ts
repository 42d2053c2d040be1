import { staffIntakeKey } from '../../../shared/domain/case/commands';
import { caseIdFor } from '../../../shared/domain/intake/register-case';
import { loadSctPolicy } from '../../../shared/domain/policy/sct';
import { CLAIMS, KEY, LETTER, setup } from './fixtures';
import { fieldIssues } from '../../support/problem';

const CASE_ID = caseIdFor(loadSctPolicy(), staffIntakeKey('agent-tremblay', KEY));

describe('POST /api/staff/intake', () => {
  it('201: registers the letter with its postmark, starts the workflow and records the registration lag', async () => {
    const { call, h, workflow, metrics } = setup();

    const response = await call({ body: LETTER });

    expect(response.statusCode).toBe(201);
    expect(response.json).toEqual({
      caseId: CASE_ID,
      reference: 'SCT-2026-000001',
      receivedAt: '2026-03-02T19:30:00.000Z',
      registeredAt: '2026-03-04T15:00:00.000Z',
      // Day of receipt not counted; ten business days later is Monday 16 March, end of day (EDT).
      acknowledgementDueDate: '2026-03-16',
      acknowledgementDueAt: '2026-03-17T03:59:59.999Z',
    });
    const events = await h.ledger.read(CASE_ID);
    expect(events.map((event) => event.type)).toEqual([
      'case.received',
      'case.registered',
      'deadline.planned',
      'case.assigned',
      'workflow.started',
    ]);
    expect(events[0]).toMatchObject({
      actor: { kind: 'staff', id: 'agent-tremblay', role: 'agent' },
      data: {
        channel: 'mail',
        receivedAt: '2026-03-02T19:30:00.000Z',
        receiptEvidence: { kind: 'postmark', reference: 'SCAN-2026-0142' },
        confidential: false,
      },
    });
    expect(workflow.started).toEqual([{ caseId: CASE_ID }]);
    // 2 March 14:30 EST to 4 March 10:00 EST: 43.5 hours.
    expect(metrics.lags).toEqual([{ channel: 'mail', seconds: 43.5 * 3600 }]);
  });

  it('200: the same key and body replay the registered case without a second case, reference or sample', async () => {
    const { call, h, metrics } = setup();
    const first = await call({ body: LETTER });
    h.clock.set('2026-03-04T15:05:00.000Z');

    const retry = await call({ body: LETTER });

    expect(retry.statusCode).toBe(200);
    expect(retry.json).toEqual(first.json);
    expect((await h.ledger.read(CASE_ID)).map((event) => event.type)).toEqual([
      'case.received',
      'case.registered',
      'deadline.planned',
      'case.assigned',
      'workflow.started',
    ]);
    expect(metrics.lags).toHaveLength(1);
  });

  it('201: another user sending the same key and body gets a separate intake, never the first user’s case', async () => {
    const { call, h } = setup();
    const first = await call({ body: LETTER });

    const other = await call({ body: LETTER, claims: CLAIMS.supervisor });

    expect(other.statusCode).toBe(201);
    expect(other.json).toMatchObject({ reference: 'SCT-2026-000002' });
    expect(other.json['caseId']).not.toBe(first.json['caseId']);
    const events = await h.ledger.read(other.json['caseId'] as string);
    expect(events[0]).toMatchObject({ type: 'case.received', actor: { id: 'sup-gagnon' } });
    // The first user's retry still replays their own case.
    const retry = await call({ body: LETTER });
    expect(retry.statusCode).toBe(200);
    expect(retry.json).toEqual(first.json);
  });

  it('422: the same key with another body is refused, never replayed', async () => {
    const { call, h } = setup();
    await call({ body: LETTER });

    const response = await call({ body: { ...LETTER, subject: 'Une autre lettre' } });

    expect(response.statusCode).toBe(422);
    expect(response.json.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await h.ledger.read(CASE_ID))[0]).toMatchObject({
      data: { subject: LETTER.subject },
    });
  });

  it('a new key registers a second case with the next reference', async () => {
    const { call } = setup();
    await call({ body: LETTER });

    const second = await call({ body: LETTER, headers: { 'idempotency-key': 'other-letter-key' } });

    expect(second.statusCode).toBe(201);
    expect(second.json['reference']).toBe('SCT-2026-000002');
  });

  it('422: a receipt time in the future is refused and nothing is written', async () => {
    const { call, h, workflow } = setup();

    const response = await call({ body: { ...LETTER, receivedAt: '2026-03-04T10:00:01-05:00' } });

    expect(response.statusCode).toBe(422);
    expect(response.json).toMatchObject({
      code: 'RECEIVED_AT_IN_FUTURE',
      detail:
        'La date de réception ne peut pas être dans le futur : indiquez le moment où la demande est arrivée.',
    });
    expect(await h.ledger.read(CASE_ID)).toEqual([]);
    expect(workflow.started).toEqual([]);
  });

  it('accepts a receipt at the very instant of registration (no lag)', async () => {
    const { call, metrics } = setup();

    const response = await call({
      body: {
        ...LETTER,
        channel: 'phone',
        receivedAt: '2026-03-04T10:00:00-05:00',
        evidence: { kind: 'call-time' },
      },
    });

    expect(response.statusCode).toBe(201);
    expect(metrics.lags).toEqual([{ channel: 'phone', seconds: 0 }]);
  });

  it('422 for a receipt over 90 days old unless confirmed; confirmed, it is registered and flagged late', async () => {
    const { call, h } = setup();
    const old = { ...LETTER, receivedAt: '2025-11-28T10:00:00-05:00' };

    const refused = await call({ body: old, headers: { 'accept-language': 'en' } });
    const confirmed = await call({ body: { ...old, confirmLateEntry: true } });

    expect(refused.statusCode).toBe(422);
    expect(refused.json.code).toBe('RECEIVED_AT_TOO_OLD');
    expect(refused.json.detail).toContain('November 28, 2025');
    expect(refused.json.detail).toContain('"confirmLateEntry": true');
    expect(confirmed.statusCode).toBe(201);
    expect(confirmed.json['receivedAt']).toBe('2025-11-28T15:00:00.000Z');
    expect(confirmed.json['warnings']).toEqual([
      {
        code: 'ACKNOWLEDGEMENT_DEADLINE_PASSED',
        message: expect.stringContaining('déjà échu') as unknown,
      },
    ]);
    expect((await h.ledger.read(CASE_ID))[0]?.data).toMatchObject({
      receivedAt: '2025-11-28T15:00:00.000Z',
    });
  });

  it('422 when the category does not take this channel (media requests never come by mail)', async () => {
    const { call, h } = setup();

    const fr = await call({ body: { ...LETTER, category: 'media' } });
    const en = await call({ body: { ...LETTER, category: 'media' }, headers: { 'accept-language': 'en' } });

    expect(fr.statusCode).toBe(422);
    expect(fr.json.code).toBe('CHANNEL_NOT_ACCEPTED');
    expect(fr.json.detail).toMatch(/ne reçoit pas de demandes par une lettre/);
    expect(en.json.detail).toMatch(/does not take requests by a letter; choose another category\.$/);
    expect(await h.ledger.read(CASE_ID)).toEqual([]);
  });

  it('422 for a category the policy does not define', async () => {
    const { call } = setup();

    const response = await call({ body: { ...LETTER, category: 'weather' } });

    expect(response.statusCode).toBe(422);
    expect(response.json).toMatchObject({
      code: 'UNKNOWN_CATEGORY',
      status: 422,
      detail: 'Cette catégorie n’existe pas dans la politique de service.',
    });
  });

  it('warns when a caller left neither an email nor a postal address', async () => {
    const { call } = setup();

    const response = await call({
      body: {
        ...LETTER,
        channel: 'phone',
        requester: { name: 'Paul Bédard', phone: '418 555-0142', language: 'fr' },
        evidence: { kind: 'call-time', reference: 'APPEL-8812' },
      },
      headers: { 'accept-language': 'en' },
    });

    expect(response.statusCode).toBe(201);
    expect(response.json['warnings']).toEqual([
      {
        code: 'NO_WRITTEN_CONTACT',
        message:
          'The requester has neither an email nor a postal address: no written acknowledgement can reach them.',
      },
    ]);
  });

  describe('who may register', () => {
    it.each([
      {
        who: 'an agent of the unit',
        claims: CLAIMS.agent,
        category: 'statistics',
        view: 'full',
        role: 'agent',
      },
      {
        who: 'an agent of another unit (the mail room)',
        claims: CLAIMS.otherUnitAgent,
        category: 'statistics',
        view: 'limited',
        role: 'agent',
      },
      {
        who: 'a supervisor of the unit',
        claims: CLAIMS.supervisor,
        category: 'statistics',
        view: 'full',
        role: 'supervisor',
      },
      {
        who: 'the complaints officer, a complaint',
        claims: CLAIMS.complaintsOfficer,
        category: 'service-complaint',
        view: 'full',
        role: 'complaints-officer',
      },
      {
        who: 'an agent, a complaint letter',
        claims: CLAIMS.agent,
        category: 'service-complaint',
        view: 'limited',
        role: 'agent',
      },
    ])('$who: 201 with the $view view', async ({ claims, category, view, role }) => {
      const { call, h } = setup();

      const caseId = caseIdFor(loadSctPolicy(), staffIntakeKey(claims.sub, KEY));

      const response = await call({ claims, body: { ...LETTER, category } });

      expect(response.statusCode).toBe(201);
      if (view === 'limited') {
        expect(response.json).toEqual({ caseId, reference: 'SCT-2026-000001' });
      } else {
        expect(response.json).toMatchObject({ caseId, acknowledgementDueDate: '2026-03-16' });
      }
      expect((await h.ledger.read(caseId))[0]?.actor).toEqual({ kind: 'staff', id: claims.sub, role });
    });

    it('a complaint an agent registered is confidential at once: the agent cannot read it back (404)', async () => {
      const { call, h } = setup();
      await call({ body: { ...LETTER, category: 'service-complaint' } });

      const readBack = await call({ method: 'GET', path: `/api/staff/cases/${CASE_ID}` });
      const officer = await call({
        method: 'GET',
        path: `/api/staff/cases/${CASE_ID}`,
        claims: CLAIMS.complaintsOfficer,
      });

      expect(readBack.statusCode).toBe(404);
      expect(officer.statusCode).toBe(200);
      expect((await h.ledger.getCase(CASE_ID))?.confidential).toBe(true);
    });

    it.each([
      ['an auditor', CLAIMS.auditor],
      ['an administrator', CLAIMS.admin],
      ['a person without a staff role', CLAIMS.visitor],
    ])('%s: 403 and nothing written', async (_who, claims) => {
      const { call, h, workflow } = setup();

      const response = await call({ claims, body: LETTER });

      expect(response.statusCode).toBe(403);
      expect(response.json.code).toBe('ACCESS_DENIED');
      expect(await h.ledger.read(CASE_ID)).toEqual([]);
      expect(workflow.started).toEqual([]);
    });

    it('401 without a verified identity', async () => {
      const { call } = setup();

      const response = await call({ claims: null, body: LETTER });

      expect(response.statusCode).toBe(401);
    });
  });

  describe('request validation', () => {
    it('400 without an Idempotency-Key, saying why it is required', async () => {
      const { call, h } = setup();

      const response = await call({ body: LETTER, withoutKey: true });

      expect(response.statusCode).toBe(400);
      expect(fieldIssues(response.json)).toEqual([
        {
          path: 'headers.idempotency-key',
          message: expect.stringMatching(/^est obligatoire pour enregistrer une demande/) as unknown,
        },
      ]);
      expect(await h.ledger.read(CASE_ID)).toEqual([]);
    });

    it('400 field by field in French by default', async () => {
      const { call } = setup();

      const response = await call({
        body: {
          channel: 'fax',
          category: 'statistics',
          requester: { language: 'fr', email: 'pas-une-adresse' },
          subject: 'Ligne 1\nLigne 2',
          body: 'Bonjour',
          receivedAt: '2 mars 2026',
          evidence: {},
          priority: 'haute',
        },
      });

      expect(response.statusCode).toBe(400);
      expect(response.headers).toMatchObject({ 'content-language': 'fr' });
      expect(response.json.detail).toBe('La requête contient des champs invalides.');
      expect(fieldIssues(response.json)).toEqual(
        expect.arrayContaining([
          {
            path: 'channel',
            message: 'doit être l’une des valeurs « mail », « phone », « in-person », « email »',
          },
          { path: 'requester.name', message: 'est obligatoire' },
          { path: 'requester.email', message: 'doit être une adresse courriel' },
          { path: 'subject', message: 'doit tenir sur une ligne, sans caractère de contrôle' },
          {
            path: 'receivedAt',
            message: 'doit être un instant ISO 8601 avec son fuseau horaire (ex. 2026-03-02T14:05:00-05:00)',
          },
          { path: 'evidence.kind', message: 'est obligatoire' },
          { path: 'priority', message: 'n’est pas un champ connu' },
        ]),
      );
    });

    it('400 field by field in English when Accept-Language prefers it', async () => {
      const { call } = setup();

      const response = await call({
        body: {
          ...LETTER,
          receivedAt: '2026-03-02T14:30:00',
          requester: { ...LETTER.requester, language: 'en' },
        },
        headers: { 'accept-language': 'en-CA,en;q=0.9' },
      });

      expect(response.statusCode).toBe(400);
      expect(response.json.detail).toBe('The request has invalid fields.');
      expect(fieldIssues(response.json)).toEqual(
        expect.arrayContaining([
          {
            path: 'receivedAt',
            message: 'must be an ISO 8601 instant with its time zone (e.g. 2026-03-02T14:05:00-05:00)',
          },
          // English correspondence needs a basis under the Charte de la langue française.
          { path: 'requester.languageBasis', message: 'is required' },
        ]),
      );
    });

    it('400 when the evidence does not fit the channel (a postmark on a phone call)', async () => {
      const { call } = setup();

      const fr = await call({ body: { ...LETTER, channel: 'phone' } });
      const en = await call({ body: { ...LETTER, channel: 'phone' }, headers: { 'accept-language': 'en' } });

      expect(fr.statusCode).toBe(400);
      expect(fieldIssues(fr.json)).toEqual([
        { path: 'evidence.kind', message: 'ne convient pas à un appel : utilisez « call-time », « other »' },
      ]);
      expect(fieldIssues(en.json)).toEqual([
        { path: 'evidence.kind', message: 'does not fit a phone call: use "call-time", "other"' },
      ]);
    });

    it('405 for another method on the intake route', async () => {
      const { call } = setup();

      const response = await call({ method: 'GET' });

      expect(response.statusCode).toBe(405);
    });
  });

  it('fails closed (500) when the deployment did not wire the intake ports', async () => {
    const { call, logger } = setup({ intake: undefined });

    const response = await call({ body: LETTER });

    expect(response.statusCode).toBe(500);
    expect(logger.calls).toEqual([
      {
        level: 'error',
        message: 'request failed',
        extra: [
          expect.objectContaining({ route: 'POST /api/staff/intake', errorCode: 'PORT_NOT_CONFIGURED' }),
        ],
      },
    ]);
  });

  it('logs identifiers and codes only, never the requester, subject or body', async () => {
    const { call, logger } = setup();

    await call({ body: LETTER });
    await call({ body: { ...LETTER, category: 'media' } });

    expect(logger.calls.map((entry) => entry.message)).toEqual([
      'staff intake registered',
      'request refused',
    ]);
    expect(logger.calls[0]?.extra).toEqual([{ caseId: CASE_ID, channel: 'mail', replayed: false }]);
    expect(JSON.stringify(logger.calls)).not.toMatch(/Bédard|Érables|Effectifs|SCAN-2026/);
  });
});
