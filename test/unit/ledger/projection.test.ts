import { sealEvent } from '../../../shared/domain/ledger/chain';
import type { EventDraft, LedgerEvent } from '../../../shared/domain/ledger/events';
import { CaseProjectionSchema, applyEvent, projectCase } from '../../../shared/domain/ledger/projection';
import { CaseHistoryError } from '../../../shared/errors';
import { CASE_ID, SYSTEM, deadline, lifecycleDrafts, receivedDraft, staff } from './fixtures';

function seal(drafts: EventDraft[]): LedgerEvent[] {
  const events: LedgerEvent[] = [];
  for (const draft of drafts) events.push(sealEvent(CASE_ID, events.at(-1), draft));
  return events;
}

/** The fixture lifecycle up to (and including) the first draft of `type`. */
function upTo(type: EventDraft['type'], occurrence = 1): EventDraft[] {
  const drafts = [receivedDraft(), ...lifecycleDrafts()];
  let seen = 0;
  const index = drafts.findIndex((draft) => draft.type === type && ++seen === occurrence);
  return drafts.slice(0, index + 1);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

describe('projectCase', () => {
  it('gives nothing for an empty history', () => {
    expect(projectCase([])).toBeUndefined();
  });

  it('opens a received case with the intake data, no hand-off and no reference yet', () => {
    const [event] = seal([receivedDraft()]);

    const projection = projectCase([event!]);

    expect(projection).toMatchObject({
      caseId: CASE_ID,
      status: 'received',
      channel: 'web',
      category: 'statistics',
      subject: 'Effectifs de la fonction publique 2025',
      handoffCount: 0,
      deadlines: {},
      lastSeq: 1,
      lastHash: event!.hash,
    });
    expect(projection?.reference).toBeUndefined();
    expect(projection?.nextDueAt).toBeUndefined();
  });

  it('sets the reference on registration and the earliest unmet deadline as nextDueAt', () => {
    const projection = projectCase(seal(upTo('deadline.planned', 2)));

    expect(projection?.reference).toBe('SCT-2026-000123');
    expect(projection?.registeredAt).toBe('2026-03-02T14:00:01.000Z');
    expect(projection?.deadlines.acknowledgement).toMatchObject({ dueDate: '2026-03-16', revision: 1 });
    expect(projection?.deadlines.answer).toMatchObject({ dueDate: '2026-03-30', revision: 1 });
    expect(projection?.nextDueAt).toBe('2026-03-17T03:59:59.999Z');
  });

  it('counts reassignments as hand-offs but not the first assignment', () => {
    const assigned = projectCase(seal(upTo('case.assigned')));
    const reassigned = projectCase(seal(upTo('case.reassigned')));

    expect(assigned).toMatchObject({
      assignee: 'agent-tremblay',
      unit: 'dgrh-statistiques',
      handoffCount: 0,
    });
    expect(reassigned).toMatchObject({ assignee: 'agent-roy', unit: 'dgmp-statistiques', handoffCount: 1 });
  });

  it('counts every hand-off and clears the assignee when a case goes back to a unit queue', () => {
    const drafts: EventDraft[] = [
      ...upTo('case.reassigned'),
      {
        type: 'case.reassigned',
        at: '2026-03-04T15:00:00Z',
        actor: staff(),
        data: { unit: 'dgmp', assignee: 'agent-x', reasonCode: 'absence' },
      },
      {
        type: 'case.reassigned',
        at: '2026-03-05T15:00:00Z',
        actor: staff(),
        data: { unit: 'dgmp', reasonCode: 'workload' },
      },
    ];

    const projection = projectCase(seal(drafts));

    expect(projection?.handoffCount).toBe(3);
    expect(projection?.assignee).toBeUndefined();
    expect(projection?.unit).toBe('dgmp');
  });

  it('meets the acknowledgement deadline and moves nextDueAt to the answer deadline', () => {
    const projection = projectCase(seal(upTo('case.acknowledged')));

    expect(projection?.status).toBe('acknowledged');
    expect(projection?.acknowledgedAt).toBe('2026-03-10T14:00:00.000Z');
    expect(projection?.promisedAnswerDate).toBe('2026-03-30');
    expect(projection?.deadlines.acknowledgement?.metAt).toBe('2026-03-10T14:00:00.000Z');
    expect(projection?.nextDueAt).toBe('2026-03-31T03:59:59.999Z');
  });

  it('keeps the first promise and counts revisions when a deadline is recalculated then extended', () => {
    const projection = projectCase(seal(upTo('deadline.extended')));

    expect(projection?.deadlines.answer).toMatchObject({
      dueDate: '2026-04-14',
      dueAt: '2026-04-15T03:59:59.999Z',
      revision: 3,
      originalDueAt: '2026-03-31T03:59:59.999Z',
    });
    expect(projection?.deadlines.answer?.proof.inputs.delay.amount).toBe(30);
    expect(projection?.nextDueAt).toBe('2026-04-15T03:59:59.999Z');
  });

  it('answers, closes, then reopens on dissatisfaction', () => {
    const answered = projectCase(seal(upTo('case.answered')));
    const closed = projectCase(seal(upTo('case.closed')));
    const reopened = projectCase(seal(upTo('case.dissatisfied')));

    expect(answered).toMatchObject({ status: 'answered', answeredAt: '2026-04-01T14:00:00.000Z' });
    expect(answered?.deadlines.answer?.metAt).toBe('2026-04-01T14:00:00.000Z');
    expect(answered?.nextDueAt).toBeUndefined();
    expect(closed).toMatchObject({
      status: 'closed',
      closedAt: '2026-04-02T14:00:00.000Z',
      closeReason: 'answered',
    });
    expect(reopened).toMatchObject({ status: 'dissatisfied', dissatisfiedAt: '2026-04-05T14:00:00.000Z' });
    expect(reopened?.closedAt).toBeUndefined();
    expect(reopened?.closeReason).toBeUndefined();
  });

  it('has no nextDueAt once closed, even with an unmet deadline', () => {
    const drafts: EventDraft[] = [
      ...upTo('deadline.planned', 2),
      { type: 'case.closed', at: '2026-03-03T14:00:00Z', actor: staff(), data: { reason: 'withdrawn' } },
    ];

    expect(projectCase(seal(drafts))?.nextDueAt).toBeUndefined();
  });

  it('normalizes nextDueAt to UTC when deadlines carry an offset', () => {
    const drafts: EventDraft[] = [
      receivedDraft(),
      {
        type: 'deadline.planned',
        at: '2026-03-02T14:00:02Z',
        actor: SYSTEM,
        data: { kind: 'answer', deadline: deadline('2026-03-16', '2026-03-16T23:59:59.999-04:00') },
      },
      {
        type: 'deadline.planned',
        at: '2026-03-02T14:00:02Z',
        actor: SYSTEM,
        data: { kind: 'acknowledgement', deadline: deadline('2026-03-17', '2026-03-17T01:00:00.000Z') },
      },
    ];

    // 23:59:59.999-04:00 on the 16th is 03:59:59.999Z on the 17th: later than 01:00Z, although it sorts first as text.
    expect(projectCase(seal(drafts))?.nextDueAt).toBe('2026-03-17T01:00:00.000Z');
  });

  it('keeps a begun step in progress until it is done, once, whatever happens in between', () => {
    const started = (stepId: string, at: string): EventDraft => ({
      type: 'step.started',
      at,
      actor: SYSTEM,
      data: {
        stepId,
        kind: 'ack-deadline-action',
        plannedAt: '2026-03-16T19:30:00Z',
        deadline: 'acknowledgement',
      },
    });
    const base = upTo('case.registered');
    const begun = seal([...base, started('ack-deadline-action', '2026-03-16T19:30:01Z')]);
    const again = seal([
      ...base,
      started('ack-deadline-action', '2026-03-16T19:30:01Z'),
      started('ack-deadline-action', '2026-03-16T19:31:00Z'),
    ]);
    const done = seal([
      ...base,
      started('ack-deadline-action', '2026-03-16T19:30:01Z'),
      {
        type: 'step.done',
        at: '2026-03-16T19:30:02Z',
        actor: SYSTEM,
        data: { stepId: 'ack-deadline-action' },
      },
      started('ack-deadline-action', '2026-03-16T19:32:00Z'),
    ]);

    expect(projectCase(begun)?.stepsInProgress).toEqual([
      {
        stepId: 'ack-deadline-action',
        kind: 'ack-deadline-action',
        plannedAt: '2026-03-16T19:30:00Z',
        deadline: 'acknowledgement',
        startedAt: '2026-03-16T19:30:01Z',
      },
    ]);
    expect(projectCase(again)?.stepsInProgress?.map((s) => s.startedAt)).toEqual(['2026-03-16T19:30:01Z']);
    expect(projectCase(done)?.stepsInProgress).toBeUndefined();
    expect(projectCase(done)?.stepsDone).toEqual(['ack-deadline-action']);
  });

  it('records steps once and counts failures; reads and messages change no state', () => {
    const step: EventDraft = {
      type: 'step.done',
      at: '2026-03-09T13:31:00Z',
      actor: SYSTEM,
      data: { stepId: 'ack-reminder-1' },
    };
    const events = seal([...upTo('case.read'), step]);

    const projection = projectCase(events);
    const beforeRead = projectCase(events.slice(0, -2));

    expect(projection?.stepsDone).toEqual(['ack-reminder-1']);
    expect(projection?.failureCount).toBe(1);
    expect({ ...projection, lastSeq: 0, lastHash: '', lastEventAt: '' }).toEqual({
      ...beforeRead,
      lastSeq: 0,
      lastHash: '',
      lastEventAt: '',
    });
  });

  it('produces projections that satisfy the schema at every step', () => {
    const events = seal([receivedDraft(), ...lifecycleDrafts()]);

    for (let n = 1; n <= events.length; n += 1) {
      const projection = projectCase(events.slice(0, n));
      expect(CaseProjectionSchema.safeParse(projection).success).toBe(true);
      expect(projection?.lastSeq).toBe(n);
    }
  });

  it('is pure: frozen events fold without error and stay unchanged; results share nothing with them', () => {
    const events = deepFreeze(seal([receivedDraft(), ...lifecycleDrafts()]));
    const before = JSON.stringify(events);

    const first = projectCase(events);
    first!.requester.name = 'changed';
    first!.deadlines.answer!.proof.dueDate = 'changed';

    expect(JSON.stringify(events)).toBe(before);
    expect(projectCase(events)).toEqual({
      ...first,
      requester: { ...first!.requester, name: 'Marie Gagnon' },
      deadlines: {
        ...first!.deadlines,
        answer: {
          ...first!.deadlines.answer!,
          proof: { ...first!.deadlines.answer!.proof, dueDate: '2026-04-14' },
        },
      },
    });
  });

  it('clears the reach-the-requester task for the messages a requester.reached names, and only those', () => {
    const mailEvents = { kind: 'system', id: 'mail-events' } as const;
    const bounced = (messageId: string): EventDraft => ({
      type: 'message.bounced',
      at: '2026-03-03T10:00:00.000Z',
      actor: mailEvents,
      data: {
        messageId,
        recipient: 'requester',
        purpose: 'acknowledgement',
        reportedAt: '2026-03-03T10:00:00.000Z',
        bounceType: 'permanent',
      },
    });
    const reached = (messageIds: string[]): EventDraft => ({
      type: 'requester.reached',
      at: '2026-03-04T15:00:00.000Z',
      actor: staff('agent-tremblay', 'agent'),
      data: { channel: 'letter', reachedAt: '2026-03-04T14:00:00.000Z', messageIds },
    });
    const base = upTo('case.assigned');

    const partly = projectCase(seal([...base, bounced('ses-a'), bounced('ses-b'), reached(['ses-b'])]));
    const fully = projectCase(
      seal([...base, bounced('ses-a'), bounced('ses-b'), reached(['ses-b']), reached(['ses-a'])]),
    );
    const later = projectCase(seal([...base, bounced('ses-a'), reached(['ses-a']), bounced('ses-c')]));

    expect(partly?.undeliveredMessages?.map((m) => m.messageId)).toEqual(['ses-a']);
    expect(fully?.undeliveredMessages).toBeUndefined();
    expect(fully && CaseProjectionSchema.safeParse(fully).success).toBe(true);
    expect(later?.undeliveredMessages?.map((m) => m.messageId)).toEqual(['ses-c']);
  });

  it('folds incrementally to the same result as a full fold', () => {
    const events = seal([receivedDraft(), ...lifecycleDrafts()]);

    const incremental = events.reduce<ReturnType<typeof applyEvent> | undefined>(
      (projection, event) => applyEvent(projection, event),
      undefined,
    );

    expect(incremental).toEqual(projectCase(events));
  });

  it('refuses a history that does not start with exactly one receipt', () => {
    const events = seal([receivedDraft(), ...lifecycleDrafts()]);

    expect(() => projectCase(events.slice(1))).toThrow(CaseHistoryError);
    expect(() => projectCase([events[0]!, events[0]!])).toThrow(CaseHistoryError);
  });
});
