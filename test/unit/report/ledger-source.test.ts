import { LedgerReportSource } from '../../../shared/domain/report';
import type { LedgerEvent } from '../../../shared/domain/ledger';
import { LedgerIntegrityError } from '../../../shared/errors';
import { CASE_ID, COMPLAINT_ID, harness } from '../commands/fixtures';
import { FakeScanner } from '../audit/fakes';

async function collect(source: LedgerReportSource): Promise<LedgerEvent[][]> {
  const histories: LedgerEvent[][] = [];
  for await (const events of source.caseHistories()) histories.push([...events]);
  return histories;
}

describe('LedgerReportSource', () => {
  it('hands on each case’s events together, across scan pages', async () => {
    const h = harness();
    await h.seed();
    await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint' });
    const scanner = await FakeScanner.of(h.ledger, [CASE_ID, COMPLAINT_ID], 3);

    const histories = await collect(new LedgerReportSource(scanner));

    expect(histories.map((events) => [events[0]!.caseId, events.map((e) => e.seq)])).toEqual([
      [CASE_ID, [1, 2, 3, 4]],
      [COMPLAINT_ID, [1, 2, 3, 4]],
    ]);
  });

  it('refuses a scan that does not keep a case’s events together, and an event that does not parse', async () => {
    const h = harness();
    await h.seed();
    await h.seed({ caseId: COMPLAINT_ID, category: 'service-complaint' });
    const scanner = await FakeScanner.of(h.ledger, [CASE_ID, COMPLAINT_ID], 3);
    const [a, b] = [await h.ledger.read(CASE_ID), await h.ledger.read(COMPLAINT_ID)];
    const interleaved = scanner.withOrder(async () => [...a.slice(0, 2), ...b, ...a.slice(2)]);
    const broken = scanner.withOrder(async () => [{ ...a[0]!, at: 'yesterday' }, ...a.slice(1)]);

    await expect(collect(new LedgerReportSource(interleaved))).rejects.toBeInstanceOf(LedgerIntegrityError);
    await expect(collect(new LedgerReportSource(broken))).rejects.toMatchObject({
      name: 'LedgerIntegrityError',
    });
  });
});
