import { makeHandler, MAIL_EVENTS_MAX_RECEIVES } from '../../../functions/mail-events/handler';
import { ForwardingCaseLedger } from '../../../shared/domain/ledger/forwarding-ledger';
import type { CaseLedger } from '../../../shared/domain/ledger/ports';
import { receiveCase, workflowDeps } from '../../support/workflow-fixtures';

const AT = '2026-03-02T14:00:00.000Z';

/** An SES event as EventBridge puts it in the mail-events queue. */
function queued(detail: unknown, receives = 1, id = 'q-1') {
  return {
    eventSource: 'aws:sqs',
    messageId: id,
    body: JSON.stringify({ source: 'aws.ses', 'detail-type': 'Email Bounced', detail }),
    attributes: { ApproximateReceiveCount: String(receives) },
  };
}

const bounceDetail = (caseId: string, messageId = 'ses-ack') => ({
  eventType: 'Bounce',
  mail: {
    messageId,
    timestamp: AT,
    destination: ['bounce@simulator.amazonses.com'],
    tags: { caseId: [caseId], template: ['acknowledgement'] },
  },
  bounce: {
    bounceType: 'Permanent',
    bounceSubType: 'General',
    feedbackId: 'feedback-1',
    timestamp: '2026-03-02T14:00:03.000Z',
    bouncedRecipients: [{ emailAddress: 'bounce@simulator.amazonses.com' }],
  },
});

class FailingLedger extends ForwardingCaseLedger {
  override readonly append: CaseLedger['append'] = () => Promise.reject(new Error('dynamodb down'));
}

async function setup(ledgerOf: (inner: CaseLedger) => CaseLedger = (inner) => inner) {
  const { ledger, clock } = workflowDeps(AT);
  const caseId = await receiveCase(ledger, { receivedAt: AT, email: 'bounce@simulator.amazonses.com' });
  await ledger.append(caseId, {
    type: 'message.sent',
    at: AT,
    actor: { kind: 'system', id: 'workflow' },
    data: { messageId: 'ses-ack', purpose: 'acknowledgement', recipient: 'requester' },
  });
  const metrics: string[] = [];
  const logs: { level: string; message: string; fields: Record<string, unknown> }[] = [];
  const log =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      logs.push({ level, message, fields });
  const handler = makeHandler({
    ledger: ledgerOf(ledger),
    clock,
    logger: { info: log('info'), warn: log('warn'), error: log('error') },
    metrics: { record: (outcome) => metrics.push(outcome) },
  });
  return { handler, ledger, caseId, metrics, logs };
}

describe('mail-events handler', () => {
  it('records a bounce from the queue on its case, once however often it comes', async () => {
    const { handler, ledger, caseId, metrics, logs } = await setup();

    const first = await handler({ Records: [queued(bounceDetail(caseId))] });
    const again = await handler({ Records: [queued(bounceDetail(caseId), 2)] });

    expect(first.batchItemFailures).toEqual([]);
    expect(again.batchItemFailures).toEqual([]);
    const bounced = (await ledger.read(caseId)).filter((e) => e.type === 'message.bounced');
    expect(bounced).toHaveLength(1);
    expect(bounced[0]?.data).toMatchObject({
      bounceType: 'permanent',
      reportedAt: '2026-03-02T14:00:03.000Z',
    });
    expect(metrics).toEqual(['recorded', 'already-recorded']);
    expect(JSON.stringify(logs)).not.toContain('simulator.amazonses.com');
  });

  it('drops what is not an SES event and counts it, without failing the rest of the batch', async () => {
    const { handler, ledger, caseId, metrics } = await setup();

    const summary = await handler({
      Records: [
        { eventSource: 'aws:sqs', messageId: 'q-bad', body: 'not json' },
        queued({ eventType: 'Send', mail: {} }, 1, 'q-send'),
        queued(bounceDetail(caseId), 1, 'q-good'),
      ],
    });

    expect(summary.batchItemFailures).toEqual([]);
    expect(metrics).toEqual(['invalid', 'invalid', 'recorded']);
    expect((await ledger.read(caseId)).some((e) => e.type === 'message.bounced')).toBe(true);
  });

  it('delivers again an event whose message is not recorded yet, then counts it as unmatched', async () => {
    const { handler, metrics, caseId } = await setup();

    const early = await handler({ Records: [queued(bounceDetail(caseId, 'ses-later'))] });
    const last = await handler({
      Records: [queued(bounceDetail(caseId, 'ses-later'), MAIL_EVENTS_MAX_RECEIVES)],
    });

    expect(early.batchItemFailures).toEqual([{ itemIdentifier: 'q-1' }]);
    expect(last.batchItemFailures).toEqual([]);
    expect(metrics).toEqual(['unmatched-unknown-message']);
  });

  it('counts an event of an unknown case and records nothing', async () => {
    const { handler, metrics, logs } = await setup();

    const summary = await handler({ Records: [queued(bounceDetail('case-nobody'))] });

    expect(summary.batchItemFailures).toEqual([]);
    expect(metrics).toEqual(['unmatched-unknown-case']);
    expect(logs.at(-1)).toMatchObject({ level: 'warn', fields: { why: 'unknown-case' } });
  });

  it('delivers again an event the ledger failed to record', async () => {
    const { handler, caseId } = await setup((inner) => new FailingLedger(inner));

    const summary = await handler({ Records: [queued(bounceDetail(caseId), 1, 'q-9')] });

    expect(summary.batchItemFailures).toEqual([{ itemIdentifier: 'q-9' }]);
  });
});
