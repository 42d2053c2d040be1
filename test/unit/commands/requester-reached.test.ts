import { toAuditEvents } from '../../../shared/domain/audit';
import { getCase, recordRequesterReached } from '../../../shared/domain/case/commands';
import type { RequesterReachedInput } from '../../../shared/domain/case/commands';
import { projectCase } from '../../../shared/domain/ledger/projection';
import {
  AccessDeniedError,
  BusinessRuleError,
  CaseNotFoundError,
  CaseStateConflictError,
  IdempotencyKeyReuseError,
  ValidationError,
} from '../../../shared/errors';
import { domainProblem } from '../../../shared/http/problem';
import {
  ADMIN,
  AGENT,
  AUDITOR,
  CASE_ID,
  COMPLAINT_ID,
  COMPLAINTS_OFFICER,
  OTHER_UNIT_AGENT,
  SUPERVISOR,
  harness,
} from './fixtures';

const MAIL_EVENTS = { kind: 'system', id: 'mail-events' } as const;
const REPORTED_AT = '2026-03-03T10:00:00.000Z';

/** A seeded case whose messages to the requester `ids` bounced for good (the « reach the requester » task). */
async function caseWithBounces(ids: readonly string[] = ['ses-receipt'], caseId = CASE_ID) {
  const h = harness();
  await h.seed();
  if (caseId !== CASE_ID) await h.seed({ caseId, category: 'service-complaint' });
  for (const messageId of ids) await bounce(h, caseId, messageId);
  return h;
}

async function bounce(h: ReturnType<typeof harness>, caseId: string, messageId: string) {
  await h.ledger.append(caseId, {
    type: 'message.sent',
    at: REPORTED_AT,
    actor: { kind: 'system', id: 'workflow' },
    data: { messageId, purpose: 'receipt', recipient: 'requester' },
  });
  await h.ledger.append(caseId, {
    type: 'message.bounced',
    at: REPORTED_AT,
    actor: MAIL_EVENTS,
    data: {
      messageId,
      recipient: 'requester',
      purpose: 'receipt',
      reportedAt: REPORTED_AT,
      bounceType: 'permanent',
    },
  });
}

/** The error `attempt` was refused with (the test fails if it was not refused). */
async function refusalOf<E extends Error>(attempt: Promise<unknown>): Promise<E> {
  try {
    await attempt;
  } catch (error) {
    return error as E;
  }
  throw new Error('expected a refusal');
}

const INPUT: RequesterReachedInput = {
  caseId: CASE_ID,
  channel: 'phone',
  reachedAt: '2026-03-04T09:30:00-05:00',
  note: 'Joint au téléphone : accusé de réception lu, date promise notée.',
};

describe('recordRequesterReached: the requester was reached another way', () => {
  it('records requester.reached naming every undelivered message, and the task is gone', async () => {
    const h = await caseWithBounces(['ses-receipt', 'ses-ack']);
    expect((await h.ledger.getCase(CASE_ID))?.undeliveredMessages).toHaveLength(2);

    const result = await recordRequesterReached(h.deps, AGENT, INPUT);

    expect(result).toEqual({
      caseId: CASE_ID,
      replayed: false,
      seq: 9,
      channel: 'phone',
      reachedAt: '2026-03-04T14:30:00.000Z',
      messageIds: ['ses-receipt', 'ses-ack'],
      undeliveredMessages: 0,
    });
    expect((await h.ledger.read(CASE_ID)).at(-1)).toMatchObject({
      type: 'requester.reached',
      at: '2026-03-04T15:00:00.000Z',
      actor: { kind: 'staff', id: 'agent-tremblay', role: 'agent' },
      data: {
        channel: 'phone',
        reachedAt: '2026-03-04T14:30:00.000Z',
        messageIds: ['ses-receipt', 'ses-ack'],
        note: INPUT.note,
      },
    });
    const projection = await h.ledger.getCase(CASE_ID);
    expect(projection?.undeliveredMessages).toBeUndefined();
    expect(projection).toEqual(projectCase(await h.ledger.read(CASE_ID)));
    expect(h.notifier.sent).toHaveLength(0);
  });

  it('settles only the messages named; another one stays a task, as does one that bounces afterwards', async () => {
    const h = await caseWithBounces(['ses-receipt', 'ses-ack']);

    const result = await recordRequesterReached(h.deps, AGENT, {
      caseId: CASE_ID,
      channel: 'letter',
      reachedAt: '2026-03-04T10:00:00-05:00',
      messageIds: ['ses-ack'],
    });
    await bounce(h, CASE_ID, 'ses-answer');

    expect(result.undeliveredMessages).toBe(1);
    expect((await h.ledger.getCase(CASE_ID))?.undeliveredMessages?.map((m) => m.messageId)).toEqual([
      'ses-receipt',
      'ses-answer',
    ]);
  });

  it('shows the channel in the history, the note with the content, and only its length to auditors', async () => {
    const h = await caseWithBounces();
    await recordRequesterReached(h.deps, AGENT, INPUT);

    const detail = await getCase(h.deps, AGENT, CASE_ID);
    expect(detail.history.at(-1)).toMatchObject({ type: 'requester.reached', channel: 'phone' });
    expect(detail.undeliveredMessages).toBeUndefined();
    expect(detail.content?.notes).toEqual([
      expect.objectContaining({
        author: 'agent-tremblay',
        text: INPUT.note,
        reached: { channel: 'phone', reachedAt: '2026-03-04T14:30:00.000Z' },
      }),
    ]);
    const audit = toAuditEvents(await h.ledger.read(CASE_ID)).at(-1);
    expect(audit?.details).toEqual({
      channel: 'phone',
      reachedAt: '2026-03-04T14:30:00.000Z',
      messageIds: ['ses-receipt'],
      noteLength: INPUT.note?.length,
    });
    expect(JSON.stringify(audit)).not.toContain('téléphone');
  });

  it('refuses a contact in the future, on the reachedAt field in both languages', async () => {
    const h = await caseWithBounces();

    const refusal = recordRequesterReached(h.deps, AGENT, {
      ...INPUT,
      reachedAt: '2026-03-04T10:01:00-05:00',
    });

    const error = await refusalOf<BusinessRuleError>(refusal);
    expect(error).toBeInstanceOf(BusinessRuleError);
    expect(error.code).toBe('REACHED_AT_IN_FUTURE');
    expect(domainProblem(error, 'fr')).toMatchObject({
      status: 422,
      errors: [
        {
          field: 'reachedAt',
          pointer: '/reachedAt',
          messages: {
            fr: expect.stringContaining('futur') as string,
            en: expect.stringContaining('future') as string,
          },
        },
      ],
    });
    expect((await h.ledger.getCase(CASE_ID))?.undeliveredMessages).toHaveLength(1);
  });

  it('refuses a contact before the case was received, a message that is not undelivered, a case with none', async () => {
    const h = await caseWithBounces();

    await expect(
      recordRequesterReached(h.deps, AGENT, { ...INPUT, reachedAt: '2026-03-01T12:00:00-05:00' }),
    ).rejects.toMatchObject({ code: 'REACHED_AT_BEFORE_CASE', details: { field: 'reachedAt' } });
    await expect(
      recordRequesterReached(h.deps, AGENT, { ...INPUT, messageIds: ['ses-receipt', 'ses-other'] }),
    ).rejects.toMatchObject({ code: 'UNDELIVERED_MESSAGE_UNKNOWN', details: { field: 'messageIds' } });

    await recordRequesterReached(h.deps, AGENT, INPUT);
    await expect(
      recordRequesterReached(h.deps, AGENT, { ...INPUT, reachedAt: '2026-03-04T09:45:00-05:00' }),
    ).rejects.toBeInstanceOf(CaseStateConflictError);
    await expect(
      recordRequesterReached(h.deps, AGENT, { ...INPUT, reachedAt: '2026-03-04T09:45:00-05:00' }),
    ).rejects.toMatchObject({ code: 'NO_UNDELIVERED_MESSAGE' });
  });

  it('refuses a malformed request field by field', async () => {
    const h = await caseWithBounces();

    const refusal = recordRequesterReached(h.deps, AGENT, {
      caseId: CASE_ID,
      channel: 'pigeon' as never,
      reachedAt: '2026-03-04 09:30',
      note: '   ',
    });

    const error = await refusalOf<ValidationError>(refusal);
    expect(error).toBeInstanceOf(ValidationError);
    const paths = (error.details?.['issues'] as { path: string }[]).map((issue) => issue.path);
    expect(paths.sort()).toEqual(['channel', 'note', 'reachedAt']);
  });

  it('replays the same request (checks not repeated) and refuses the same key with another request', async () => {
    const h = await caseWithBounces();
    const first = await recordRequesterReached(h.deps, AGENT, INPUT, { idempotencyKey: 'k-1' });

    const again = await recordRequesterReached(h.deps, AGENT, INPUT, { idempotencyKey: 'k-1' });

    expect(again).toEqual({ ...first, replayed: true });
    expect((await h.ledger.read(CASE_ID)).filter((e) => e.type === 'requester.reached')).toHaveLength(1);
    await expect(
      recordRequesterReached(h.deps, AGENT, { ...INPUT, channel: 'letter' }, { idempotencyKey: 'k-1' }),
    ).rejects.toBeInstanceOf(IdempotencyKeyReuseError);
  });

  it('may be recorded by those who act on the case: its unit’s agent and supervisor, the complaints officer', async () => {
    const h = await caseWithBounces(['ses-receipt', 'ses-ack', 'ses-answer']);
    await bounce(h, CASE_ID, 'ses-notice');
    const settle = (messageId: string) => ({ ...INPUT, messageIds: [messageId] });

    await recordRequesterReached(h.deps, AGENT, settle('ses-receipt'));
    await recordRequesterReached(h.deps, SUPERVISOR, settle('ses-ack'));
    await expect(
      recordRequesterReached(h.deps, OTHER_UNIT_AGENT, settle('ses-answer')),
    ).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(recordRequesterReached(h.deps, ADMIN, settle('ses-answer'))).rejects.toBeInstanceOf(
      AccessDeniedError,
    );
    await expect(recordRequesterReached(h.deps, AUDITOR, settle('ses-answer'))).rejects.toBeInstanceOf(
      AccessDeniedError,
    );

    const roles = (await h.ledger.read(CASE_ID))
      .filter((e) => e.type === 'requester.reached')
      .map((e) => e.actor.role);
    expect(roles).toEqual(['agent', 'supervisor']);
  });

  it('on a complaint, only the complaints officer: for anyone else the case does not exist', async () => {
    const h = await caseWithBounces(['ses-receipt'], COMPLAINT_ID);
    const input = { ...INPUT, caseId: COMPLAINT_ID };

    await expect(recordRequesterReached(h.deps, AGENT, input)).rejects.toBeInstanceOf(CaseNotFoundError);
    const result = await recordRequesterReached(h.deps, COMPLAINTS_OFFICER, input);

    expect(result.undeliveredMessages).toBe(0);
    const types = (await h.ledger.read(COMPLAINT_ID)).map((e) => e.type);
    expect(types).toContain('access.refused');
    expect(types.at(-1)).toBe('requester.reached');
  });
});
