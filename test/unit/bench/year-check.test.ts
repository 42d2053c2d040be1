import { duplicateSteps, planCases, requesterMessageProblems } from '../../../bench/year';
import type { LedgerEvent } from '../../../shared/domain/ledger/events';

function event(type: string, data: Record<string, unknown>): LedgerEvent {
  return { type, data } as unknown as LedgerEvent;
}

const sent = (purpose: string, recipient = 'requester') =>
  event('message.sent', { messageId: `m-${purpose}`, purpose, recipient });

describe('year consistency rules', () => {
  it('reports a step done twice, and nothing when each step is done once', () => {
    const once = [
      event('step.done', { stepId: 'ack-reminder' }),
      event('step.done', { stepId: 'answer-reminder' }),
    ];

    expect(duplicateSteps(once)).toEqual([]);
    expect(duplicateSteps([...once, event('step.done', { stepId: 'ack-reminder' })])).toEqual([
      'step ack-reminder done twice',
    ]);
  });

  it('expects the requester messages of the path, in order and each once; staff messages do not count', () => {
    const onTime = [sent('receipt'), sent('other', 'staff'), sent('acknowledgement'), sent('answer')];

    expect(requesterMessageProblems(onTime, 'on-time')).toEqual([]);
    expect(requesterMessageProblems([...onTime, sent('answer')], 'on-time')).toHaveLength(1);
    expect(requesterMessageProblems(onTime, 'extended')).toHaveLength(1);
    expect(requesterMessageProblems([], 'late')).toEqual([
      'requester messages none, expected receipt,acknowledgement,other,answer',
    ]);
  });

  it('plans the same cases every time, every path among the first six, actions on later days than receipt', () => {
    const plan = planCases(40);

    expect(planCases(40)).toEqual(plan);
    expect(plan.slice(0, 6).map((item) => item.scenario)).toEqual([
      'on-time',
      'complaint',
      'late',
      'extended',
      'no-ack',
      'dissatisfied',
    ]);
    expect(plan.filter((item) => item.channel === 'mail').length).toBeGreaterThan(0);
    for (const item of plan) {
      const dates = item.actions.map((action) => action.date);
      expect([...dates].sort()).toEqual(dates);
    }
  });
});
