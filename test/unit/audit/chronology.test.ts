import { buildChronology } from '../../../shared/domain/audit/chronology';
import type { AuditEvent } from '../../../shared/domain/audit/event-details';
import type { ExecutionWithHistory } from '../../../shared/domain/audit/chronology';

function ledgerEvent(seq: number, at: string, type: AuditEvent['type']): AuditEvent {
  return {
    seq,
    at,
    type,
    actor: { kind: 'system' },
    hash: `h${seq}`,
    prevHash: `h${seq - 1}`,
    details: {},
  };
}

function execution(name: string, events: ExecutionWithHistory['events']): ExecutionWithHistory {
  return {
    executionArn: `arn:aws:states:ca-central-1:000000000000:execution:case-lifecycle:${name}`,
    name,
    status: 'SUCCEEDED',
    startDate: events[0]?.timestamp ?? '',
    events,
  };
}

const LEDGER = [
  ledgerEvent(1, '2026-03-02T14:00:00.000Z', 'case.received'),
  ledgerEvent(2, '2026-03-02T14:00:01.500Z', 'deadline.planned'),
  ledgerEvent(3, '2026-03-02T14:00:01.500Z', 'deadline.planned'),
  ledgerEvent(4, '2026-03-16T15:00:00.000Z', 'case.acknowledged'),
];

const FIRST = execution('case-1', [
  { id: 1, timestamp: '2026-03-02T14:00:01.000Z', type: 'ExecutionStarted' },
  { id: 2, timestamp: '2026-03-02T14:00:01.000Z', type: 'ChoiceStateEntered', state: 'IsContinuation' },
  { id: 3, timestamp: '2026-03-02T14:00:01.000Z', type: 'ChoiceStateExited', state: 'IsContinuation' },
  { id: 4, timestamp: '2026-03-02T14:00:01.500Z', type: 'TaskStateEntered', state: 'PlanDeadlines' },
  { id: 5, timestamp: '2026-03-02T14:00:01.500Z', type: 'TaskScheduled' },
  { id: 6, timestamp: '2026-03-02T14:00:01.600Z', type: 'TaskFailed' },
  { id: 7, timestamp: '2026-03-02T14:00:02.000Z', type: 'WaitStateEntered', state: 'WaitUntilAckStep' },
  { id: 8, timestamp: '2026-03-20T14:00:00.000Z', type: 'ExecutionSucceeded' },
]);
const SECOND = execution('case-1--g2', [
  { id: 1, timestamp: '2026-03-16T14:59:00.000Z', type: 'ExecutionStarted' },
  { id: 2, timestamp: '2026-03-16T15:00:00.000Z', type: 'TaskStateEntered', state: 'CheckCase' },
]);

describe('buildChronology', () => {
  it('interleaves ledger events and workflow steps by instant, the ledger first at the same instant', () => {
    const entries = buildChronology(LEDGER, [FIRST, SECOND]);

    expect(
      entries.map((e) =>
        e.source === 'ledger' ? `L${e.seq}` : `W${e.generation}:${e.phase}:${e.step ?? ''}`,
      ),
    ).toEqual([
      'L1',
      'W1:execution-started:',
      'W1:step-entered:IsContinuation',
      'L2',
      'L3',
      'W1:step-entered:PlanDeadlines',
      'W1:step-failed:',
      'W1:step-entered:WaitUntilAckStep',
      'W2:execution-started:',
      'L4',
      'W2:step-entered:CheckCase',
      'W1:execution-succeeded:',
    ]);
  });

  it('keeps every ledger event with its hashes, and names each workflow entry by execution and history id', () => {
    const entries = buildChronology(LEDGER, [FIRST, SECOND]);

    expect(entries.filter((e) => e.source === 'ledger')).toHaveLength(LEDGER.length);
    expect(entries.find((e) => e.source === 'ledger' && e.seq === 4)).toMatchObject({
      type: 'case.acknowledged',
      hash: 'h4',
      prevHash: 'h3',
    });
    expect(entries.find((e) => e.source === 'workflow' && e.step === 'CheckCase')).toEqual({
      source: 'workflow',
      at: '2026-03-16T15:00:00.000Z',
      generation: 2,
      execution: 'case-1--g2',
      phase: 'step-entered',
      step: 'CheckCase',
      historyType: 'TaskStateEntered',
      historyId: 2,
    });
  });

  it('leaves out the detail of a step (scheduling, exits) and gives only the ledger when there is no execution', () => {
    expect(
      buildChronology(LEDGER, [FIRST]).some(
        (e) => e.source === 'workflow' && /Exited|Scheduled/.test(e.historyType),
      ),
    ).toBe(false);
    expect(buildChronology(LEDGER, []).map((e) => e.source)).toEqual([
      'ledger',
      'ledger',
      'ledger',
      'ledger',
    ]);
  });
});
