import { ReportFeedingCaseLedger } from '../../../infra/local/report-aggregates';
import { InMemoryCaseLedger } from '../../../shared/domain/ledger/in-memory-ledger';
import { caseReportRecord } from '../../../shared/domain/report';
import { InMemoryReportAggregates } from '../../../shared/domain/report/in-memory-aggregates';
import { receiveCase } from '../../support/workflow-fixtures';

const SYSTEM = { kind: 'system', id: 'workflow' } as const;

describe('local report-aggregate feeding', () => {
  it('leaves an append another of the same command follows to that one, which projects the case with both', async () => {
    const inner = new InMemoryCaseLedger();
    const aggregates = new InMemoryReportAggregates();
    const ledger = new ReportFeedingCaseLedger(inner, aggregates as never, () => undefined);
    const caseId = await receiveCase(ledger, {
      receivedAt: '2026-12-18T15:00:00.000Z',
      email: 'a@example.com',
    });
    expect(aggregates.records.get(caseId)?.lastSeq).toBe(2);

    await ledger.append(
      caseId,
      { type: 'case.assigned', at: '2026-12-18T15:00:01.000Z', actor: SYSTEM, data: { unit: 'statistics' } },
      { idempotencyKey: 'route', readModelLater: true },
    );
    expect(aggregates.records.get(caseId)?.lastSeq).toBe(2);

    await ledger.append(
      caseId,
      {
        type: 'case.acknowledged',
        at: '2026-12-21T15:00:00.000Z',
        actor: SYSTEM,
        data: { messageId: 'm-1', promisedAnswerDate: '2027-01-15', automatic: true },
      },
      { idempotencyKey: 'ack' },
    );
    expect(aggregates.records.get(caseId)).toEqual(caseReportRecord(await inner.read(caseId)));
    expect(aggregates.records.get(caseId)?.lastSeq).toBe(4);
  });

  it('skips the feed of an append whose events a completed feed already folded in', async () => {
    const inner = new InMemoryCaseLedger();
    const aggregates = new InMemoryReportAggregates();
    const ledger = new ReportFeedingCaseLedger(inner, aggregates as never, () => undefined);
    const caseId = await receiveCase(ledger, {
      receivedAt: '2026-12-18T15:00:00.000Z',
      email: 'a@example.com',
    });
    const reads = jest.spyOn(inner, 'read');

    // Two appends of concurrent commands, the later one's feed done first.
    await ledger.feed(caseId, 2);
    await ledger.feed(caseId, 1);

    expect(reads).not.toHaveBeenCalled();
    await inner.append(caseId, {
      type: 'case.assigned',
      at: '2026-12-18T15:00:01.000Z',
      actor: SYSTEM,
      data: { unit: 'statistics' },
    });
    await ledger.feed(caseId, 3);
    expect(reads).toHaveBeenCalledTimes(1);
    expect(aggregates.records.get(caseId)).toEqual(caseReportRecord(await inner.read(caseId)));
  });
});
