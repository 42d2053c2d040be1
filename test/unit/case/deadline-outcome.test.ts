import { deadlineOutcome } from '../../../shared/domain/case/deadline-outcome';
import { toSummary } from '../../../shared/domain/case/commands/views';
import { bundledCalendars, computeDeadline } from '../../../shared/domain/time';
import { InMemoryCaseLedger } from '../../../shared/domain/ledger/in-memory-ledger';
import { receiveCase } from '../../support/workflow-fixtures';

const calendar = bundledCalendars().at('qc-fonction-publique', '2026-12-18');
// Received Friday 18 December 2026: the acknowledgement is due Monday 11 January 2027, 23:59:59.999 in Québec.
const planned = computeDeadline({
  receivedAt: '2026-12-18T15:00:00Z',
  delay: { amount: 10, unit: 'business-days' },
  calendar,
});
const deadline = { ...planned, revision: 1, originalDueAt: planned.dueAt };

describe('whether a deadline was met or breached, and when', () => {
  it('is pending before its due instant, unmet', () => {
    expect(deadlineOutcome(deadline, new Date('2027-01-11T20:00:00Z'), calendar)).toEqual({
      outcome: 'pending',
    });
  });

  it('is met on time when met before its due instant: no breach', () => {
    const met = { ...deadline, metAt: '2027-01-11T21:00:00Z' };
    expect(deadlineOutcome(met, new Date('2027-02-01T12:00:00Z'), calendar)).toEqual({
      outcome: 'met',
      metAt: '2027-01-11T21:00:00Z',
    });
  });

  it('is met late: breached at its due instant, met later, late by business days', () => {
    // Met on Wednesday 13 January: Tuesday 12 and Wednesday 13 are the business days after the due date.
    const met = { ...deadline, metAt: '2027-01-13T15:00:00Z' };
    expect(deadlineOutcome(met, new Date('2027-02-01T12:00:00Z'), calendar)).toEqual({
      outcome: 'met-late',
      breachedAt: planned.dueAt,
      metAt: '2027-01-13T15:00:00Z',
      lateBusinessDays: 2,
    });
  });

  it('is breached and still open: breached at its due instant, late so far by business days', () => {
    expect(deadlineOutcome(deadline, new Date('2027-01-15T15:00:00Z'), calendar)).toEqual({
      outcome: 'breached',
      breachedAt: planned.dueAt,
      lateBusinessDays: 4,
    });
  });

  it('is shown on the case summary (work list, case page and audit timeline read it)', async () => {
    const ledger = new InMemoryCaseLedger();
    const caseId = await receiveCase(ledger, { receivedAt: '2026-12-18T15:00:00Z' });
    await ledger.append(caseId, {
      type: 'deadline.planned',
      at: '2026-12-18T15:00:00Z',
      actor: { kind: 'system', id: 'workflow' },
      data: { kind: 'acknowledgement', deadline: planned },
    });
    const projection = (await ledger.getCase(caseId))!;

    const summary = toSummary(projection, new Date('2027-01-12T15:00:00Z'));

    expect(summary.deadlines.acknowledgement).toMatchObject({
      overdue: true,
      outcome: 'breached',
      breachedAt: planned.dueAt,
      lateBusinessDays: 1,
    });
  });
});
