import { verifyLedger } from '../../../shared/domain/audit';
import { AccessDeniedError } from '../../../shared/errors';
import { ADMIN, AGENT, AUDITOR, CASE_ID, COMPLAINT_ID, harness } from '../commands/fixtures';
import { FakeScanner } from './fakes';

const THIRD = 'case-0003-statistics';

async function threeCases() {
  const h = harness();
  await h.seed();
  await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint' });
  await h.seed({ caseId: THIRD });
  return h;
}

describe('verifyLedger', () => {
  it('checks every case in one pass and counts cases and events', async () => {
    const h = await threeCases();
    const scanner = await FakeScanner.of(h.ledger, [CASE_ID, COMPLAINT_ID, THIRD]);

    const result = await verifyLedger({ scanner, ledger: h.ledger }, AUDITOR);

    expect(result).toEqual({ ok: true, cases: 3, events: 12 });
    expect(scanner.pagesRead).toBe(4);
  });

  it('names the failing case and seq of an altered event', async () => {
    const h = await threeCases();
    const scanner = await FakeScanner.of(h.ledger, [CASE_ID, COMPLAINT_ID, THIRD]);
    h.ledger.tamper(COMPLAINT_ID, (events) =>
      events.map((e) => (e.seq === 3 ? { ...e, at: '2026-03-01T14:00:00.000Z' } : e)),
    );

    const result = await verifyLedger({ scanner, ledger: h.ledger }, AUDITOR);

    expect(result).toEqual({
      ok: false,
      cases: 3,
      events: 12,
      badCases: [{ caseId: COMPLAINT_ID, seq: 3, problem: 'hash-mismatch' }],
      badCaseCount: 1,
      truncated: false,
    });
  });

  it('lists every failing case, in scan order, up to a bound with the count and a truncation flag', async () => {
    const h = await threeCases();
    const scanner = await FakeScanner.of(h.ledger, [CASE_ID, COMPLAINT_ID, THIRD]);
    h.ledger.tamper(CASE_ID, (events) =>
      events.map((e) => (e.seq === 2 ? { ...e, at: '2026-03-01T14:00:00.000Z' } : e)),
    );
    h.ledger.tamper(THIRD, (events) => events.slice(0, 3));

    const all = await verifyLedger({ scanner, ledger: h.ledger }, AUDITOR);
    expect(all).toMatchObject({
      ok: false,
      badCases: [
        { caseId: CASE_ID, seq: 2, problem: 'hash-mismatch' },
        { caseId: THIRD, seq: 4, problem: 'gap' },
      ],
      badCaseCount: 2,
      truncated: false,
    });

    const bounded = await verifyLedger({ scanner, ledger: h.ledger, maxBadCases: 1 }, AUDITOR);
    expect(bounded).toMatchObject({
      ok: false,
      badCases: [{ caseId: CASE_ID, seq: 2, problem: 'hash-mismatch' }],
      badCaseCount: 2,
      truncated: true,
    });
  });

  it('catches a truncated tail with the projection head', async () => {
    const h = await threeCases();
    const scanner = await FakeScanner.of(h.ledger, [CASE_ID, COMPLAINT_ID, THIRD]);
    h.ledger.tamper(THIRD, (events) => events.slice(0, 3));

    const result = await verifyLedger({ scanner, ledger: h.ledger }, AUDITOR);

    expect(result.badCases).toEqual([{ caseId: THIRD, seq: 4, problem: 'gap' }]);
    expect(result.events).toBe(11);
  });

  it('reports a projection whose ledger is gone as a gap at seq 1', async () => {
    const h = await threeCases();
    const scanner = await FakeScanner.of(h.ledger, [CASE_ID, COMPLAINT_ID, THIRD]);
    h.ledger.tamper(CASE_ID, () => []);

    const result = await verifyLedger({ scanner, ledger: h.ledger }, AUDITOR);

    expect(result).toMatchObject({
      ok: false,
      cases: 3,
      badCases: [{ caseId: CASE_ID, seq: 1, problem: 'gap' }],
    });
  });

  it('verifies on its own a case whose events did not come together in the scan', async () => {
    const h = await threeCases();
    const base = await FakeScanner.of(h.ledger, [CASE_ID, THIRD]);
    // CASE_ID's events split around THIRD's: the first fragment alone would look truncated.
    const scanner = base.withOrder(async () => {
      const [first, third] = [await h.ledger.read(CASE_ID), await h.ledger.read(THIRD)];
      return [...first.slice(0, 2), ...third, ...first.slice(2)];
    });

    expect(await verifyLedger({ scanner, ledger: h.ledger }, AUDITOR)).toEqual({
      ok: true,
      cases: 2,
      events: 8,
    });

    h.ledger.tamper(CASE_ID, (events) =>
      events.map((e) => (e.seq === 4 ? { ...e, actor: { kind: 'system' as const, id: 'x' } } : e)),
    );
    expect((await verifyLedger({ scanner, ledger: h.ledger }, AUDITOR)).badCases).toEqual([
      { caseId: CASE_ID, seq: 4, problem: 'hash-mismatch' },
    ]);
  });

  it.each([
    ['agent', AGENT],
    ['admin', ADMIN],
  ])('refuses a %s', async (_label, identity) => {
    const h = await threeCases();
    const scanner = await FakeScanner.of(h.ledger, [CASE_ID]);
    await expect(verifyLedger({ scanner, ledger: h.ledger }, identity)).rejects.toThrow(AccessDeniedError);
    expect(scanner.pagesRead).toBe(0);
  });
});
