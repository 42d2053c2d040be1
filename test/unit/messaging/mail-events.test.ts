import { toAuditEvents } from '../../../shared/domain/audit/event-details';
import { toDetail, toSummary } from '../../../shared/domain/case/commands/views';
import { projectCase } from '../../../shared/domain/ledger/projection';
import { recordMailReport, type MailReport } from '../../../shared/domain/messaging/mail-events';
import { receiveCase, workflowDeps } from '../../support/workflow-fixtures';

const AT = '2026-03-02T14:00:00.000Z';

/** A case with a message sent to the requester (`ses-ack`) and one to staff (`ses-staff`). */
async function caseWithMessages() {
  const { ledger, clock } = workflowDeps(AT);
  const caseId = await receiveCase(ledger, { receivedAt: AT, email: 'marie@example.com' });
  const sent = (messageId: string, recipient: 'requester' | 'staff', key: string) =>
    ledger.append(
      caseId,
      {
        type: 'message.sent',
        at: AT,
        actor: { kind: 'system', id: 'workflow' },
        data: {
          messageId,
          purpose: recipient === 'requester' ? 'acknowledgement' : 'reminder',
          recipient,
        },
      },
      { idempotencyKey: key },
    );
  await sent('ses-ack', 'requester', 'ack');
  await sent('ses-staff', 'staff', 'notify:task');
  return { ledger, clock, caseId, deps: { ledger, clock } };
}

const bounce = (caseId: string, messageId = 'ses-ack'): Extract<MailReport, { kind: 'bounce' }> => ({
  kind: 'bounce',
  messageId,
  caseId,
  reportedAt: '2026-03-02T14:00:05.000Z',
  reportKey: 'feedback-1',
  bounceType: 'permanent',
  subType: 'General',
});

describe('recordMailReport', () => {
  it('records a permanent bounce of a requester message and makes it a staff task', async () => {
    const { deps, ledger, caseId } = await caseWithMessages();

    const outcome = await recordMailReport(deps, bounce(caseId));

    expect(outcome).toEqual({ outcome: 'recorded', caseId, type: 'message.bounced' });
    const events = await ledger.read(caseId);
    const recorded = events.at(-1);
    expect(recorded).toMatchObject({
      type: 'message.bounced',
      actor: { kind: 'system', id: 'mail-events' },
      data: {
        messageId: 'ses-ack',
        recipient: 'requester',
        purpose: 'acknowledgement',
        bounceType: 'permanent',
        subType: 'General',
        reportedAt: '2026-03-02T14:00:05.000Z',
      },
    });
    const projection = projectCase(events);
    expect(projection?.undeliveredMessages).toEqual([
      {
        messageId: 'ses-ack',
        purpose: 'acknowledgement',
        outcome: 'bounced',
        reportedAt: '2026-03-02T14:00:05.000Z',
      },
    ]);
    expect(toSummary(projection!, new Date(AT)).undeliveredMessages).toBe(1);
    const history = toDetail(projection!, events, 'metadata', new Date(AT)).history.at(-1);
    expect(history).toMatchObject({
      type: 'message.bounced',
      recipient: 'requester',
      bounceType: 'permanent',
    });
    expect(toAuditEvents(events).at(-1)?.details).toEqual({
      messageId: 'ses-ack',
      recipient: 'requester',
      purpose: 'acknowledgement',
      reportedAt: '2026-03-02T14:00:05.000Z',
      bounceType: 'permanent',
      subType: 'General',
    });
  });

  it('records a report delivered again once', async () => {
    const { deps, ledger, caseId } = await caseWithMessages();
    await recordMailReport(deps, bounce(caseId));
    const before = (await ledger.read(caseId)).length;

    const again = await recordMailReport(deps, bounce(caseId));

    expect(again).toEqual({ outcome: 'already-recorded', caseId, type: 'message.bounced' });
    expect(await ledger.read(caseId)).toHaveLength(before);
  });

  it('makes no task of a transient bounce, a staff bounce or a complaint', async () => {
    const { deps, ledger, caseId } = await caseWithMessages();

    await recordMailReport(deps, { ...bounce(caseId), bounceType: 'transient', reportKey: 'f-2' });
    await recordMailReport(deps, bounce(caseId, 'ses-staff'));
    await recordMailReport(deps, {
      kind: 'complaint',
      messageId: 'ses-ack',
      caseId,
      reportedAt: AT,
      reportKey: 'f-3',
      feedbackType: 'abuse',
    });

    const events = await ledger.read(caseId);
    expect(events.slice(-3).map((e) => e.type)).toEqual([
      'message.bounced',
      'message.bounced',
      'message.complained',
    ]);
    expect(projectCase(events)?.undeliveredMessages).toBeUndefined();
  });

  it('makes a task of a refused requester message, cleared by a later delivery to the requester', async () => {
    const { deps, ledger, caseId } = await caseWithMessages();
    await recordMailReport(deps, {
      kind: 'reject',
      messageId: 'ses-ack',
      caseId,
      reportedAt: AT,
      reportKey: AT,
      reason: 'Bad content',
    });
    expect(projectCase(await ledger.read(caseId))?.undeliveredMessages).toHaveLength(1);
    await ledger.append(caseId, {
      type: 'message.sent',
      at: AT,
      actor: { kind: 'system', id: 'workflow' },
      data: { messageId: 'ses-answer', purpose: 'answer', recipient: 'requester' },
    });

    await recordMailReport(deps, {
      kind: 'delivery',
      messageId: 'ses-answer',
      caseId,
      reportedAt: AT,
      reportKey: AT,
    });

    expect(projectCase(await ledger.read(caseId))?.undeliveredMessages).toBeUndefined();
  });

  it('records nothing for a report it cannot match, and says why', async () => {
    const { deps, ledger, caseId } = await caseWithMessages();
    const before = (await ledger.read(caseId)).length;
    const noCase: MailReport = {
      kind: 'bounce',
      messageId: 'ses-ack',
      reportedAt: AT,
      reportKey: 'feedback-1',
      bounceType: 'permanent',
    };

    expect(await recordMailReport(deps, noCase)).toEqual({
      outcome: 'unmatched',
      why: 'no-case',
    });
    expect(await recordMailReport(deps, bounce('case-nobody'))).toEqual({
      outcome: 'unmatched',
      why: 'unknown-case',
    });
    expect(await recordMailReport(deps, bounce(caseId, 'ses-other'))).toEqual({
      outcome: 'unmatched',
      why: 'unknown-message',
    });
    expect(await ledger.read(caseId)).toHaveLength(before);
  });
});
