import { acknowledge } from '../../../shared/domain/case/commands';
import {
  AccessDeniedError,
  BusinessRuleError,
  CaseNotFoundError,
  CaseStateConflictError,
  IdempotencyKeyReuseError,
  ValidationError,
} from '../../../shared/errors';
import {
  AGENT,
  AUDITOR,
  CASE_ID,
  ENGLISH_REQUESTER,
  FlakyLedger,
  LETTER_REQUESTER,
  OTHER_UNIT_AGENT,
  harness,
  typesAfter,
} from './fixtures';

describe('acknowledge', () => {
  it('sends the legal acknowledgement in French with reference, promised date in words and contact', async () => {
    const h = harness();
    await h.seed();

    const result = await acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' });

    expect(h.notifier.sent).toHaveLength(1);
    const message = h.notifier.sent[0]!;
    expect(message).toMatchObject({
      template: 'acknowledgement',
      language: 'fr',
      to: ['marie.gagnon@example.org'],
      caseId: CASE_ID,
    });
    expect(message.values).toMatchObject({
      reference: 'SCT-2026-000001',
      requesterName: 'Marie Gagnon',
      receivedDate: 'lundi 2 mars 2026',
      answerByDate: 'vendredi 20 mars 2026',
    });
    expect((message.values as Record<string, string>).contact).toContain(
      'Courriel : statistiques@sct.gouv.qc.ca',
    );
    expect(result).toMatchObject({
      caseId: CASE_ID,
      replayed: false,
      promisedAnswerDate: '2026-03-20',
      answerDeadline: { dueDate: '2026-03-20', dueAt: '2026-03-21T03:59:59.999Z' },
      delivery: { channel: 'email', messageId: 'ses-1' },
    });
  });

  it('records message.sent, case.acknowledged and the answer deadline, with the staff actor', async () => {
    const h = harness();
    await h.seed();
    const before = (await h.ledger.read(CASE_ID)).length;

    await acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' });

    const events = (await h.ledger.read(CASE_ID)).slice(before);
    expect(events.map((event) => event.type)).toEqual([
      'message.sent',
      'case.acknowledged',
      'deadline.planned',
    ]);
    for (const event of events)
      expect(event.actor).toEqual({ kind: 'staff', id: 'agent-tremblay', role: 'agent' });
    expect(events[0]!.data).toEqual({
      messageId: 'ses-1',
      purpose: 'acknowledgement',
      recipient: 'requester',
      template: 'acknowledgement',
      language: 'fr',
    });
    expect(events[1]!.data).toEqual({
      messageId: 'ses-1',
      promisedAnswerDate: '2026-03-20',
      automatic: false,
    });
    const projection = await h.ledger.getCase(CASE_ID);
    expect(projection?.status).toBe('acknowledged');
    expect(projection?.deadlines.acknowledgement?.metAt).toBe('2026-03-04T15:00:00.000Z');
    const answerDeadline = projection?.deadlines.answer;
    expect(answerDeadline?.dueDate).toBe('2026-03-20');
    expect(answerDeadline?.proof.rule.id).toBe('promised-date/acknowledgement');
    expect(answerDeadline?.proof.inputs.delay).toEqual({ amount: 14, unit: 'business-days' });
    expect(answerDeadline?.proof.explanation.fr).toContain(
      'Date de réponse promise au demandeur : le vendredi 20 mars 2026',
    );
    expect(answerDeadline?.proof.explanation.en).toContain('Friday, March 20, 2026');
  });

  it('writes to an English-eligible requester in English', async () => {
    const h = harness();
    await h.seed({ requester: ENGLISH_REQUESTER });

    await acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' });

    expect(h.notifier.sent[0]).toMatchObject({ language: 'en', to: ['john.smith@example.org'] });
    expect(h.notifier.sent[0]!.values).toMatchObject({
      answerByDate: 'Friday, March 20, 2026',
      receivedDate: 'Monday, March 2, 2026',
    });
  });

  it('accepts the last day of the maximum delay (40 business days after receipt: 29 April 2026)', async () => {
    const h = harness();
    await h.seed();

    const result = await acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-04-29' });

    expect(result.promisedAnswerDate).toBe('2026-04-29');
  });

  describe('refuses a promised date that breaks a rule, without sending or recording anything', () => {
    const cases: [string, string, string, RegExp, RegExp][] = [
      ['a Saturday', '2026-03-21', 'ANSWER_DATE_NOT_BUSINESS_DAY', /samedi/, /Saturday/],
      [
        'a holiday (Good Friday)',
        '2026-04-03',
        'ANSWER_DATE_NOT_BUSINESS_DAY',
        /Vendredi saint/,
        /Good Friday/,
      ],
      ['a past date', '2026-03-03', 'ANSWER_DATE_IN_PAST', /passée/, /past/],
      [
        'a date beyond the maximum',
        '2026-04-30',
        'ANSWER_DATE_BEYOND_MAXIMUM',
        /mercredi 29 avril 2026/,
        /April 29, 2026/,
      ],
    ];
    it.each(cases)('%s', async (_label, answerBy, code, fr, en) => {
      const h = harness();
      await h.seed();
      const before = await h.ledger.read(CASE_ID);

      const error = await acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(BusinessRuleError);
      expect((error as BusinessRuleError).code).toBe(code);
      expect((error as BusinessRuleError).messages.fr).toMatch(fr);
      expect((error as BusinessRuleError).messages.en).toMatch(en);
      expect(h.notifier.sent).toHaveLength(0);
      expect(await h.ledger.read(CASE_ID)).toEqual(before);
    });
  });

  it('names the latest allowed date when the promise is beyond the maximum', async () => {
    const h = harness();
    await h.seed();

    const error = await acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-04-30' }).catch(
      (e: unknown) => e,
    );

    expect((error as BusinessRuleError).details).toMatchObject({ latestAnswerDate: '2026-04-29' });
  });

  it('refuses a date that does not exist (ValidationError)', async () => {
    const h = harness();
    await h.seed();

    await expect(
      acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-02-30' }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(h.notifier.sent).toHaveLength(0);
  });

  it('refuses a second acknowledgement (409) and sends nothing', async () => {
    const h = harness();
    await h.seed();
    await acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' });

    const error = await acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-03-27' }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(CaseStateConflictError);
    expect((error as CaseStateConflictError).code).toBe('ALREADY_ACKNOWLEDGED');
    expect(h.notifier.sent).toHaveLength(1);
  });

  it('refuses a case without a reference yet (the message must quote it)', async () => {
    const h = harness();
    await h.seed({ registered: false });

    const error = await acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' }).catch(
      (e: unknown) => e,
    );

    expect((error as CaseStateConflictError).code).toBe('CASE_NOT_REGISTERED');
    expect(h.notifier.sent).toHaveLength(0);
  });

  it('reports an unknown case as not found', async () => {
    const h = harness();

    await expect(
      acknowledge(h.deps, AGENT, { caseId: 'no-such-case-1', answerBy: '2026-03-20' }),
    ).rejects.toBeInstanceOf(CaseNotFoundError);
  });

  it('refuses an agent of another unit and an auditor (403), sending nothing', async () => {
    const h = harness();
    await h.seed();

    await expect(
      acknowledge(h.deps, OTHER_UNIT_AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' }),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(
      acknowledge(h.deps, AUDITOR, { caseId: CASE_ID, answerBy: '2026-03-20' }),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    expect(h.notifier.sent).toHaveLength(0);
  });

  describe('idempotency', () => {
    it('replays a retried request without sending a second message', async () => {
      const h = harness();
      await h.seed();
      const first = await acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' });
      const length = (await h.ledger.read(CASE_ID)).length;

      const second = await acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' });

      expect(h.notifier.sent).toHaveLength(1);
      expect(second).toEqual({ ...first, replayed: true });
      expect(await h.ledger.read(CASE_ID)).toHaveLength(length);
    });

    it('replays under the same client key and refuses that key with another request', async () => {
      const h = harness();
      await h.seed();
      await acknowledge(
        h.deps,
        AGENT,
        { caseId: CASE_ID, answerBy: '2026-03-20' },
        { idempotencyKey: 'k-1' },
      );

      const replay = await acknowledge(
        h.deps,
        AGENT,
        { caseId: CASE_ID, answerBy: '2026-03-20' },
        { idempotencyKey: 'k-1' },
      );
      const reuse = acknowledge(
        h.deps,
        AGENT,
        { caseId: CASE_ID, answerBy: '2026-03-23' },
        { idempotencyKey: 'k-1' },
      );

      expect(replay.replayed).toBe(true);
      await expect(reuse).rejects.toBeInstanceOf(IdempotencyKeyReuseError);
      expect(h.notifier.sent).toHaveLength(1);
    });

    it('records the message with the acknowledgement and its deadline in one ledger item', async () => {
      const h = harness();
      await h.seed();
      const before = await h.ledger.read(CASE_ID);
      const flaky = new FlakyLedger(h.ledger);
      flaky.failNextAppendOf('deadline.planned');

      // The write after the send holds the three events: when it fails, none is recorded.
      await expect(
        acknowledge({ ...h.deps, ledger: flaky }, AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' }),
      ).rejects.toThrow('store unavailable');
      expect(await h.ledger.read(CASE_ID)).toEqual(before);

      await acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' });
      const after = await h.ledger.read(CASE_ID);
      expect(after.slice(before.length).map((event) => [event.seq, event.type])).toEqual([
        [before.length + 1, 'message.sent'],
        [before.length + 2, 'case.acknowledged'],
        [before.length + 3, 'deadline.planned'],
      ]);
    });

    it('completes after a crash between the send and its record, without sending again when the mail service kept it', async () => {
      const h = harness();
      await h.seed();
      const before = (await h.ledger.read(CASE_ID)).length;
      const flaky = new FlakyLedger(h.ledger);
      flaky.failNextAppendOf('case.acknowledged');
      // The mail service says what it accepted under a delivery key (the local SES emulator does; SES in AWS
      // cannot be asked, and the message would go again: `sendOnce`).
      const acceptedMessages = {
        find: async (deliveryKey: string) => {
          const index = h.notifier.sent.findIndex((message) => message.deliveryKey === deliveryKey);
          return index < 0 ? undefined : { messageId: `ses-${index + 1}` };
        },
      };
      const deps = { ...h.deps, ledger: flaky, acceptedMessages };

      await expect(acknowledge(deps, AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' })).rejects.toThrow(
        'store unavailable',
      );
      const result = await acknowledge(deps, AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' });

      expect(h.notifier.sent).toHaveLength(1);
      expect(result.replayed).toBe(false);
      expect(result.delivery.messageId).toBe('ses-1');
      expect(await typesAfter(h.ledger, CASE_ID, before)).toEqual([
        'message.sent',
        'case.acknowledged',
        'deadline.planned',
      ]);
    });

    it('completes a command whose message an earlier attempt recorded, without sending again', async () => {
      const h = harness();
      await h.seed();
      const before = (await h.ledger.read(CASE_ID)).length;
      await acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' });
      // As if the attempt had stopped after the message's record (an older version recorded it alone).
      h.ledger.tamper(CASE_ID, (events) => events.slice(0, before + 1));
      h.ledger.dropProjection(CASE_ID);

      const result = await acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' });

      expect(h.notifier.sent).toHaveLength(1);
      expect(result.replayed).toBe(false);
      expect(await typesAfter(h.ledger, CASE_ID, before)).toEqual([
        'message.sent',
        'case.acknowledged',
        'deadline.planned',
      ]);
    });
  });

  it('records nothing when the message cannot be sent', async () => {
    const h = harness();
    await h.seed();
    const before = await h.ledger.read(CASE_ID);
    h.notifier.failNext(new Error('SES down'));

    await expect(acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' })).rejects.toThrow(
      'SES down',
    );

    expect(await h.ledger.read(CASE_ID)).toEqual(before);
  });

  describe('requester without an email address', () => {
    it('records the acknowledgement as a letter (mail:<uuid>) and returns it for printing', async () => {
      const h = harness();
      await h.seed({ requester: LETTER_REQUESTER });

      const result = await acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' });

      expect(h.notifier.sent).toHaveLength(0);
      expect(result.delivery.channel).toBe('mail');
      expect(result.delivery.messageId).toMatch(/^mail:[0-9a-f-]{36}$/);
      expect(result.delivery).toMatchObject({
        letter: {
          template: 'acknowledgement',
          language: 'fr',
          values: { answerByDate: 'vendredi 20 mars 2026' },
        },
      });
      const projection = await h.ledger.getCase(CASE_ID);
      expect(projection?.status).toBe('acknowledged');
      const acknowledged = (await h.ledger.read(CASE_ID)).find((event) => event.type === 'case.acknowledged');
      expect(acknowledged?.data).toMatchObject({ messageId: result.delivery.messageId });
    });

    it('sends a letter instead of an email when staff ask for it', async () => {
      const h = harness();
      await h.seed();

      const result = await acknowledge(h.deps, AGENT, {
        caseId: CASE_ID,
        answerBy: '2026-03-20',
        sentByMail: true,
      });

      expect(h.notifier.sent).toHaveLength(0);
      expect(result.delivery.channel).toBe('mail');
    });
  });
});
