import { acknowledge, answer, extend } from '../../../shared/domain/case/commands';
import { BusinessRuleError, CaseStateConflictError, ValidationError } from '../../../shared/errors';
import type { ExtendInput } from '../../../shared/domain/case/commands';
import {
  AGENT,
  CASE_ID,
  COMPLAINTS_OFFICER,
  COMPLAINT_ID,
  ENGLISH_REQUESTER,
  FlakyLedger,
  LETTER_REQUESTER,
  harness,
  typesAfter,
} from './fixtures';

describe('answer', () => {
  it('sends the answer cover with the text and an empty referral for a request, then records it', async () => {
    const h = harness();
    await h.seed();
    await acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' });
    const before = (await h.ledger.read(CASE_ID)).length;

    const result = await answer(h.deps, AGENT, {
      caseId: CASE_ID,
      message: 'Voici les effectifs.\nCordialement.',
    });

    expect(h.notifier.sent[1]).toMatchObject({
      template: 'answer-cover',
      language: 'fr',
      values: { reference: 'SCT-2026-000001', answer: 'Voici les effectifs.\nCordialement.', referral: '' },
    });
    expect(result).toEqual({
      caseId: CASE_ID,
      replayed: false,
      delivery: { channel: 'email', messageId: 'ses-2' },
      acknowledgedByAnswer: false,
    });
    expect(await typesAfter(h.ledger, CASE_ID, before)).toEqual(['message.sent', 'case.answered']);
    const projection = await h.ledger.getCase(CASE_ID);
    expect(projection?.status).toBe('answered');
    expect(projection?.deadlines.answer?.metAt).toBe('2026-03-04T15:00:00.000Z');
  });

  it('gives a service complaint the Protecteur du citoyen referral in the requester’s language', async () => {
    const h = harness();
    await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint', requester: ENGLISH_REQUESTER });

    await answer(h.deps, COMPLAINTS_OFFICER, { caseId: COMPLAINT_ID, message: 'We looked into it.' });

    const values = h.notifier.sent[0]!.values as Record<string, string>;
    expect(h.notifier.sent[0]!.language).toBe('en');
    expect(values.referral).toContain('Protecteur du citoyen (Québec Ombudsman)');
  });

  it('answering a case not yet acknowledged also records the acknowledgement (same message, today)', async () => {
    const h = harness();
    await h.seed();
    const before = (await h.ledger.read(CASE_ID)).length;

    const result = await answer(h.deps, AGENT, { caseId: CASE_ID, message: 'Réponse complète.' });

    expect(result.acknowledgedByAnswer).toBe(true);
    const events = (await h.ledger.read(CASE_ID)).slice(before);
    expect(events.map((event) => event.type)).toEqual(['message.sent', 'case.acknowledged', 'case.answered']);
    expect(events[1]!.data).toEqual({
      messageId: 'ses-1',
      promisedAnswerDate: '2026-03-04',
      automatic: false,
    });
    const projection = await h.ledger.getCase(CASE_ID);
    expect(projection?.deadlines.acknowledgement?.metAt).toBeDefined();
    expect(projection?.status).toBe('answered');
  });

  it('refuses a second answer (409) and a blank one (ValidationError), sending nothing', async () => {
    const h = harness();
    await h.seed();
    await answer(h.deps, AGENT, { caseId: CASE_ID, message: 'Réponse.' });

    const again = await answer(h.deps, AGENT, { caseId: CASE_ID, message: 'Autre réponse.' }).catch(
      (e: unknown) => e,
    );
    const blank = await answer(h.deps, AGENT, { caseId: CASE_ID, message: '  \n ' }).catch((e: unknown) => e);

    expect((again as CaseStateConflictError).code).toBe('CASE_STATUS_CONFLICT');
    expect(blank).toBeInstanceOf(ValidationError);
    expect(h.notifier.sent).toHaveLength(1);
  });

  it('is idempotent: a retried answer sends one message', async () => {
    const h = harness();
    await h.seed();

    await answer(h.deps, AGENT, { caseId: CASE_ID, message: 'Réponse.' });
    const retry = await answer(h.deps, AGENT, { caseId: CASE_ID, message: 'Réponse.' });

    expect(retry).toMatchObject({ replayed: true, acknowledgedByAnswer: true });
    expect(h.notifier.sent).toHaveLength(1);
  });

  it('answers a letter writer by post', async () => {
    const h = harness();
    await h.seed({ requester: LETTER_REQUESTER });

    const result = await answer(h.deps, AGENT, { caseId: CASE_ID, message: 'Réponse.' });

    expect(result.delivery.channel).toBe('mail');
    expect(h.notifier.sent).toHaveLength(0);
  });
});

describe('extend', () => {
  async function acknowledged() {
    const h = harness();
    await h.seed();
    await acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' });
    return h;
  }
  const input = (overrides: Partial<ExtendInput> = {}): ExtendInput => ({
    caseId: CASE_ID,
    answerBy: '2026-04-01',
    reason: 'Consultation d’une autre direction requise',
    ...overrides,
  });

  it('sends the extension notice with both dates and the reason, then records deadline.extended', async () => {
    const h = await acknowledged();
    const before = (await h.ledger.read(CASE_ID)).length;

    const result = await extend(h.deps, AGENT, input());

    expect(h.notifier.sent[1]).toMatchObject({
      template: 'extension-notice',
      values: {
        previousAnswerByDate: 'vendredi 20 mars 2026',
        answerByDate: 'mercredi 1er avril 2026',
        reason: 'Consultation d’une autre direction requise',
      },
    });
    expect(result).toMatchObject({
      replayed: false,
      previousAnswerDate: '2026-03-20',
      answerDeadline: { dueDate: '2026-04-01', dueAt: '2026-04-02T03:59:59.999Z' },
    });
    const events = (await h.ledger.read(CASE_ID)).slice(before);
    expect(events.map((event) => event.type)).toEqual(['message.sent', 'deadline.extended']);
    expect(events[1]!.data).toMatchObject({
      kind: 'answer',
      reason: 'Consultation d’une autre direction requise',
      noticeMessageId: 'ses-2',
    });
    const projection = await h.ledger.getCase(CASE_ID);
    expect(projection?.deadlines.answer).toMatchObject({
      dueDate: '2026-04-01',
      revision: 2,
      originalDueAt: '2026-03-21T03:59:59.999Z',
    });
  });

  it('records the notice with the extension in one ledger item: a failed write records neither', async () => {
    const h = await acknowledged();
    const before = await h.ledger.read(CASE_ID);
    const flaky = new FlakyLedger(h.ledger);
    flaky.failNextAppendOf('deadline.extended');

    await expect(extend({ ...h.deps, ledger: flaky }, AGENT, input())).rejects.toThrow('store unavailable');
    expect(await h.ledger.read(CASE_ID)).toEqual(before);

    await extend(h.deps, AGENT, input());
    const after = await h.ledger.read(CASE_ID);
    expect(after.slice(before.length).map((event) => [event.seq, event.type])).toEqual([
      [before.length + 1, 'message.sent'],
      [before.length + 2, 'deadline.extended'],
    ]);
  });

  it('keeps both dates in the ledger: the acknowledgement promise and the extension', async () => {
    const h = await acknowledged();

    await extend(h.deps, AGENT, input());

    const events = await h.ledger.read(CASE_ID);
    const promised = events.flatMap((event) =>
      event.type === 'case.acknowledged'
        ? [event.data.promisedAnswerDate]
        : event.type === 'deadline.extended'
          ? [event.data.deadline.dueDate]
          : [],
    );
    expect(promised).toEqual(['2026-03-20', '2026-04-01']);
  });

  describe('refuses, sending and recording nothing', () => {
    const rules: [string, Partial<ExtendInput>, string][] = [
      ['an earlier date', { answerBy: '2026-03-19' }, 'EXTENSION_NOT_LATER'],
      ['the same date', { answerBy: '2026-03-20' }, 'EXTENSION_NOT_LATER'],
      ['a Sunday', { answerBy: '2026-03-29' }, 'ANSWER_DATE_NOT_BUSINESS_DAY'],
      ['Easter Monday', { answerBy: '2026-04-06' }, 'ANSWER_DATE_NOT_BUSINESS_DAY'],
      ['beyond the maximum', { answerBy: '2026-04-30' }, 'ANSWER_DATE_BEYOND_MAXIMUM'],
    ];
    it.each(rules)('%s', async (_label, overrides, code) => {
      const h = await acknowledged();
      const before = await h.ledger.read(CASE_ID);

      const error = await extend(h.deps, AGENT, input(overrides)).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(BusinessRuleError);
      expect((error as BusinessRuleError).code).toBe(code);
      expect(h.notifier.sent).toHaveLength(1);
      expect(await h.ledger.read(CASE_ID)).toEqual(before);
    });

    it('a missing or blank reason (ValidationError)', async () => {
      const h = await acknowledged();
      const missing = { caseId: CASE_ID, answerBy: '2026-04-01' } as unknown as ExtendInput;

      await expect(extend(h.deps, AGENT, missing)).rejects.toBeInstanceOf(ValidationError);
      await expect(extend(h.deps, AGENT, input({ reason: '   ' }))).rejects.toBeInstanceOf(ValidationError);
      expect(h.notifier.sent).toHaveLength(1);
    });

    it('a case not acknowledged yet (409)', async () => {
      const h = harness();
      await h.seed();

      const error = await extend(h.deps, AGENT, input()).catch((e: unknown) => e);

      expect((error as CaseStateConflictError).code).toBe('CASE_STATUS_CONFLICT');
      expect((error as CaseStateConflictError).messages.fr).toContain('prolonger');
      expect(h.notifier.sent).toHaveLength(0);
    });
  });

  it('a second extension must go past the first one', async () => {
    const h = await acknowledged();
    await extend(h.deps, AGENT, input());

    const error = await extend(h.deps, AGENT, input({ answerBy: '2026-03-31', reason: 'autre' })).catch(
      (e: unknown) => e,
    );
    const later = await extend(h.deps, AGENT, input({ answerBy: '2026-04-08', reason: 'autre' }));

    expect((error as BusinessRuleError).code).toBe('EXTENSION_NOT_LATER');
    expect(later.previousAnswerDate).toBe('2026-04-01');
  });

  it('is idempotent: a retried extension replays with the same previous date and sends one notice', async () => {
    const h = await acknowledged();
    const first = await extend(h.deps, AGENT, input());

    const retry = await extend(h.deps, AGENT, input());

    expect(retry).toEqual({ ...first, replayed: true });
    expect(h.notifier.sent).toHaveLength(2);
  });
});
