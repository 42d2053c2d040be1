import { EVENT_TYPES, EventDraftSchema, LedgerEventSchema } from '../../../shared/domain/ledger/events';
import { sealEvent } from '../../../shared/domain/ledger/chain';
import { CASE_ID, lifecycleDrafts, receivedDraft, staff } from './fixtures';

describe('ledger event types', () => {
  it('registers every event type of the case lifecycle', () => {
    expect([...EVENT_TYPES].sort()).toEqual(
      [
        'case.received',
        'case.registered',
        'deadline.planned',
        'deadline.recalculated',
        'case.assigned',
        'case.reassigned',
        'case.recategorized',
        'case.acknowledged',
        'case.answered',
        'deadline.extended',
        'case.closed',
        'case.dissatisfied',
        'case.noted',
        'case.read',
        'access.refused',
        'message.sent',
        'message.received',
        'step.started',
        'step.done',
        'failure.recorded',
        'workflow.started',
        'enforcement.restarted',
        'receipt.withheld',
        'letter.prepared',
        'letter.mailed',
        'message.delivered',
        'message.bounced',
        'message.complained',
        'message.rejected',
        'requester.reached',
      ].sort(),
    );
  });

  it('has a valid fixture for every type, and each seals into a valid stored event', () => {
    const drafts = [receivedDraft(), ...lifecycleDrafts()];

    expect(new Set(drafts.map((draft) => draft.type))).toEqual(new Set(EVENT_TYPES));
    let tail: { seq: number; hash: string } | undefined;
    for (const draft of drafts) {
      expect(EventDraftSchema.safeParse(draft).success).toBe(true);
      const event = sealEvent(CASE_ID, tail, draft);
      expect(LedgerEventSchema.parse(event)).toEqual(event);
      tail = event;
    }
  });

  it('refuses an unknown type and data of another type', () => {
    expect(EventDraftSchema.safeParse({ ...receivedDraft(), type: 'case.deleted' }).success).toBe(false);
    expect(
      EventDraftSchema.safeParse({
        ...receivedDraft(),
        type: 'case.closed',
        data: { reason: 'answered', extra: 1 },
      }).success,
    ).toBe(false);
  });

  it('needs a reason code to reassign', () => {
    const draft = {
      type: 'case.reassigned',
      at: '2026-03-03T15:00:00.000Z',
      actor: staff(),
      data: { unit: 'dgmp', assignee: 'agent-roy' },
    };

    expect(EventDraftSchema.safeParse(draft).success).toBe(false);
    expect(
      EventDraftSchema.safeParse({ ...draft, data: { ...draft.data, reasonCode: 'workload' } }).success,
    ).toBe(true);
  });

  it('needs an id for a staff actor, not for the system', () => {
    const draft = { type: 'case.read', at: '2026-03-03T15:00:00Z', data: { scope: 'content' } };

    expect(EventDraftSchema.safeParse({ ...draft, actor: { kind: 'staff', role: 'agent' } }).success).toBe(
      false,
    );
    expect(EventDraftSchema.safeParse({ ...draft, actor: { kind: 'system' } }).success).toBe(true);
  });

  it('refuses an instant without offset and a subject with CR/LF in the receipt', () => {
    expect(EventDraftSchema.safeParse({ ...receivedDraft(), at: '2026-03-02 09:00' }).success).toBe(false);
    expect(EventDraftSchema.safeParse(receivedDraft({ subject: 'Objet\r\nX-Injected: oui' })).success).toBe(
      false,
    );
  });
});
