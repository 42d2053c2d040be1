import { acknowledge, getCase } from '../../../shared/domain/case/commands';
import { bundledCalendars, computeDeadline } from '../../../shared/domain/time';
import { AGENT, CASE_ID, harness, listRows } from './fixtures';

/**
 * Business days left on each unmet deadline of the staff views: counted from today's Québec date (not counted)
 * to the due date (counted), on the deadline's own calendar. The acknowledgement of a case received Monday
 * 2 March 2026 is due Monday 16 March.
 */
describe('business days left in the staff views', () => {
  it.each([
    ['Wednesday 4 March, mid-day', '2026-03-04T15:00:00.000Z', 8],
    ['Wednesday 4 March, 23:30 in Québec (already the 5th in UTC)', '2026-03-05T04:30:00.000Z', 8],
    ['Friday 13 March (the weekend is not counted)', '2026-03-13T15:00:00.000Z', 1],
    ['the due date itself', '2026-03-16T20:00:00.000Z', 0],
    ['the day after (overdue)', '2026-03-17T13:00:00.000Z', -1],
  ])('on %s: %i', async (_label, now, left) => {
    const h = harness();
    await h.seed();
    h.clock.set(now);

    const [row] = await listRows(h.deps, AGENT);
    const detail = await getCase(h.deps, AGENT, CASE_ID);

    expect(row?.deadlines.acknowledgement?.businessDaysLeft).toBe(left);
    expect(detail.deadlines.acknowledgement?.businessDaysLeft).toBe(left);
  });

  it('skips the holidays of the calendar (Good Friday and Easter Monday 2026)', async () => {
    const h = harness();
    await h.seed();
    await h.ledger.append(CASE_ID, {
      type: 'deadline.planned',
      at: '2026-03-30T14:00:00.000Z',
      actor: { kind: 'system' },
      data: {
        kind: 'answer',
        deadline: computeDeadline({
          receivedAt: '2026-03-30T14:00:00.000Z',
          delay: { amount: 5, unit: 'business-days' },
          calendar: bundledCalendars().at('qc-fonction-publique', '2026-03-30'),
        }),
      },
    });
    h.clock.set('2026-03-31T15:00:00.000Z');

    const detail = await getCase(h.deps, AGENT, CASE_ID);

    expect(detail.deadlines.answer).toMatchObject({ dueDate: '2026-04-08', businessDaysLeft: 4 });
  });

  it('gives no count for a deadline already met', async () => {
    const h = harness();
    await h.seed();
    await acknowledge(h.deps, AGENT, { caseId: CASE_ID, answerBy: '2026-03-20' });

    const detail = await getCase(h.deps, AGENT, CASE_ID);

    expect(detail.deadlines.acknowledgement?.metAt).toBeDefined();
    expect(detail.deadlines.acknowledgement).not.toHaveProperty('businessDaysLeft');
  });
});
