import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  acknowledge,
  answer,
  getLetterDocument,
  listLetters,
  recordLetterMailed,
} from '../../../shared/domain/case/commands';
import {
  AccessDeniedError,
  BusinessRuleError,
  CaseNotFoundError,
  CaseStateConflictError,
  LetterNotFoundError,
  ValidationError,
} from '../../../shared/errors';
import {
  AGENT,
  AUDITOR,
  CASE_ID,
  COMPLAINT_ID,
  COMPLAINTS_OFFICER,
  LETTER_REQUESTER,
  harness,
  listRows,
} from './fixtures';

/** A case from a requester without email, acknowledged by an agent on Wednesday 4 March 2026. */
async function acknowledgedByLetter() {
  const h = harness();
  await h.seed({ requester: LETTER_REQUESTER });
  const result = await acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' });
  if (result.delivery.channel !== 'mail') throw new Error('expected a letter');
  return { h, letterId: result.delivery.letterId };
}

describe('letters to a requester without email', () => {
  it('the acknowledgement becomes a stored PDF letter, listed as to mail, and the deadline is not met yet', async () => {
    const { h, letterId } = await acknowledgedByLetter();

    expect(h.notifier.sent).toHaveLength(0);
    const listed = await listLetters(h.deps, AGENT, CASE_ID);
    expect(listed).toEqual({
      letters: [
        {
          letterId,
          template: 'acknowledgement',
          language: 'fr',
          createdAt: '2026-03-04T15:00:00.000Z',
        },
      ],
      today: '2026-03-04',
    });
    const pdf = await getLetterDocument({ ...h.deps, letterStore: h.letterStore }, AGENT, CASE_ID, letterId);
    expect(Buffer.from(pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
    const projection = await h.ledger.getCase(CASE_ID);
    expect(projection?.status).toBe('acknowledged');
    expect(projection?.deadlines.acknowledgement?.metAt).toBeUndefined();
    expect(projection?.nextDueAt).toBe(projection?.deadlines.acknowledgement?.dueAt);
  });

  it('recording the mailing meets the acknowledgement deadline on the mailing date', async () => {
    const { h, letterId } = await acknowledgedByLetter();
    h.clock.set('2026-03-05T20:00:00.000Z');

    const result = await recordLetterMailed(h.deps, AGENT, {
      caseId: CASE_ID,
      letterId,
      mailedOn: '2026-03-05',
    });

    expect(result).toMatchObject({ replayed: false, mailedOn: '2026-03-05' });
    expect(result.acknowledgementMetAt).toBe('2026-03-05T20:00:00.000Z');
    const projection = await h.ledger.getCase(CASE_ID);
    expect(projection?.deadlines.acknowledgement?.metAt).toBe('2026-03-05T20:00:00.000Z');
    const { letters } = await listLetters(h.deps, AGENT, CASE_ID);
    expect(letters[0]).toMatchObject({ mailedOn: '2026-03-05', mailedAt: '2026-03-05T20:00:00.000Z' });
  });

  it('a mailing recorded later counts the end of the mailing day, and one posted after the due date is late', async () => {
    const { h, letterId } = await acknowledgedByLetter();
    h.clock.set('2026-03-20T15:00:00.000Z');

    await recordLetterMailed(h.deps, AGENT, { caseId: CASE_ID, letterId, mailedOn: '2026-03-17' });

    const deadline = (await h.ledger.getCase(CASE_ID))?.deadlines.acknowledgement;
    // Tuesday 17 March 23:59:59.999 in Québec (EDT), after the due date (Monday 16 March).
    expect(deadline?.metAt).toBe('2026-03-18T03:59:59.999Z');
    expect(Date.parse(deadline!.metAt!)).toBeGreaterThan(Date.parse(deadline!.dueAt));
  });

  it('is idempotent: the same mailing replays, another date for a mailed letter is refused', async () => {
    const { h, letterId } = await acknowledgedByLetter();
    const input = { caseId: CASE_ID, letterId, mailedOn: '2026-03-04' };
    await recordLetterMailed(h.deps, AGENT, input);
    const before = (await h.ledger.read(CASE_ID)).length;

    const again = await recordLetterMailed(h.deps, AGENT, input);

    expect(again.replayed).toBe(true);
    expect((await h.ledger.read(CASE_ID)).length).toBe(before);
    await expect(
      recordLetterMailed(h.deps, AGENT, { ...input, mailedOn: '2026-03-03' }),
    ).rejects.toMatchObject({ code: 'LETTER_ALREADY_MAILED' });
    await expect(
      recordLetterMailed(h.deps, AGENT, { ...input, mailedOn: '2026-03-03' }),
    ).rejects.toBeInstanceOf(CaseStateConflictError);
  });

  it('refuses a date in the future, before the letter was prepared, malformed, or an unknown letter', async () => {
    const { h, letterId } = await acknowledgedByLetter();

    await expect(
      recordLetterMailed(h.deps, AGENT, { caseId: CASE_ID, letterId, mailedOn: '2026-03-05' }),
    ).rejects.toMatchObject({ name: 'BusinessRuleError', code: 'MAILED_IN_FUTURE' });
    await expect(
      recordLetterMailed(h.deps, AGENT, { caseId: CASE_ID, letterId, mailedOn: '2026-03-03' }),
    ).rejects.toMatchObject({ code: 'MAILED_BEFORE_PREPARED' });
    await expect(
      recordLetterMailed(h.deps, AGENT, { caseId: CASE_ID, letterId, mailedOn: '2026-02-30' }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      recordLetterMailed(h.deps, AGENT, {
        caseId: CASE_ID,
        letterId: '00000000-0000-4000-8000-000000000000',
        mailedOn: '2026-03-04',
      }),
    ).rejects.toBeInstanceOf(LetterNotFoundError);
    expect(BusinessRuleError).toBeDefined();
    expect((await h.ledger.getCase(CASE_ID))?.letters?.[0]?.mailedOn).toBeUndefined();
  });

  it("a complaint's letters are the complaints officer's alone", async () => {
    const h = harness();
    await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint', requester: LETTER_REQUESTER });
    const result = await acknowledge(h.deps, COMPLAINTS_OFFICER, {
      caseId: COMPLAINT_ID,
      answerBy: '2026-03-20',
    });
    if (result.delivery.channel !== 'mail') throw new Error('expected a letter');
    const { letterId } = result.delivery;
    const documents = { ...h.deps, letterStore: h.letterStore };

    expect((await listLetters(h.deps, COMPLAINTS_OFFICER, COMPLAINT_ID)).letters).toHaveLength(1);
    await expect(listLetters(h.deps, AGENT, COMPLAINT_ID)).rejects.toBeInstanceOf(CaseNotFoundError);
    await expect(getLetterDocument(documents, AGENT, COMPLAINT_ID, letterId)).rejects.toBeInstanceOf(
      CaseNotFoundError,
    );
    await expect(listLetters(h.deps, AUDITOR, COMPLAINT_ID)).rejects.toBeInstanceOf(AccessDeniedError);
    const reads = (await h.ledger.read(COMPLAINT_ID)).filter((e) => e.type === 'case.read');
    expect(reads.length).toBeGreaterThanOrEqual(1);
  });

  it('the work list counts the letters to mail per case and filters on them', async () => {
    const h = harness();
    await h.seed({ requester: LETTER_REQUESTER });
    await h.seed({ caseId: 'case-0003-statistics' });
    const result = await acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' });
    if (result.delivery.channel !== 'mail') throw new Error('expected a letter');

    const all = await listRows(h.deps, AGENT);
    expect(all.find((c) => c.caseId === CASE_ID)?.lettersToMail).toBe(1);
    expect(all.find((c) => c.caseId === 'case-0003-statistics')?.lettersToMail).toBeUndefined();
    const toMail = await listRows(h.deps, AGENT, { toMailOnly: true });
    expect(toMail.map((c) => c.caseId)).toEqual([CASE_ID]);

    await recordLetterMailed(h.deps, AGENT, {
      caseId: CASE_ID,
      letterId: result.delivery.letterId,
      mailedOn: '2026-03-04',
    });
    expect(await listRows(h.deps, AGENT, { toMailOnly: true })).toEqual([]);
  });

  it('the answer to a complaint by letter is a PDF that carries the reference and the ombudsman referral', async () => {
    const h = harness();
    await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint', requester: LETTER_REQUESTER });

    const result = await answer(h.deps, COMPLAINTS_OFFICER, {
      caseId: COMPLAINT_ID,
      message: 'Nous avons examiné votre plainte.',
    });

    if (result.delivery.channel !== 'mail') throw new Error('expected a letter');
    const pdf = await h.letterStore.get(COMPLAINT_ID, result.delivery.letterId);
    const dir = mkdtempSync(path.join(tmpdir(), 'answer-'));
    try {
      writeFileSync(path.join(dir, 'a.pdf'), pdf!);
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', path.join(dir, 'a.pdf'), '-'], {
        encoding: 'utf8',
      }).replace(/\s+/gu, ' ');
      expect(text).toContain('SCT-2026-000001');
      expect(text).toContain('Nous avons examiné votre plainte.');
      expect(text).toContain('Protecteur du citoyen');
      expect(text).toContain('Paul Bédard');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an answer by letter meets the answer deadline when it is posted, not when it is printed', async () => {
    const h = harness();
    await h.seed({ requester: LETTER_REQUESTER });
    await acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' });
    h.clock.set('2026-03-10T15:00:00.000Z');
    const answered = await answer(h.deps, AGENT, { caseId: CASE_ID, message: 'Voici les effectifs.' });
    if (answered.delivery.channel !== 'mail') throw new Error('expected a letter');
    expect((await h.ledger.getCase(CASE_ID))?.deadlines.answer?.metAt).toBeUndefined();

    h.clock.set('2026-03-12T15:00:00.000Z');
    await recordLetterMailed(h.deps, AGENT, {
      caseId: CASE_ID,
      letterId: answered.delivery.letterId,
      mailedOn: '2026-03-11',
    });

    // Wednesday 11 March 23:59:59.999 in Québec (EDT).
    expect((await h.ledger.getCase(CASE_ID))?.deadlines.answer?.metAt).toBe('2026-03-12T03:59:59.999Z');
  });
});
