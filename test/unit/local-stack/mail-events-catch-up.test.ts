import type { Email } from 'aws-ses-v2-local/dist/store';

import { makeHandler } from '../../../functions/mail-events/handler';
import { pendingMailReports } from '../../../infra/local/mail-events-catch-up';
import { MAILBOX_SIMULATOR, sesEventsFor } from '../../../infra/local/mail-events';
import type { LedgerEvent } from '../../../shared/domain/ledger/events';
import { DELIVERY_KEY_HEADER } from '../../../shared/domain/messaging/delivery-key';
import { receiveCase, workflowDeps } from '../../support/workflow-fixtures';

const AT = '2026-03-02T14:00:00.000Z';
const ACCEPTED = Date.parse('2026-03-02T14:00:05.000Z') / 1000;

function email(messageId: string, to: string): Email {
  return {
    messageId,
    from: 'jalon@example.org',
    replyTo: [],
    destination: { to: [to], cc: [], bcc: [] },
    subject: 'Accusé de réception',
    body: { text: '…' },
    attachments: [],
    headers: [{ name: DELIVERY_KEY_HEADER, value: `key-${messageId}` }],
    at: ACCEPTED,
  };
}

async function* pages(events: readonly LedgerEvent[]): AsyncIterable<readonly LedgerEvent[]> {
  yield events;
}

async function setup() {
  const { ledger, clock } = workflowDeps(AT);
  const caseId = await receiveCase(ledger, { receivedAt: AT, email: 'marie@example.com' });
  for (const messageId of ['ses-ack', 'ses-notice', 'ses-complaint']) {
    await ledger.append(caseId, {
      type: 'message.sent',
      at: AT,
      actor: { kind: 'system', id: 'workflow' },
      data: { messageId, purpose: 'acknowledgement', recipient: 'requester', template: 'acknowledgement' },
    });
  }
  const handler = makeHandler({
    ledger,
    clock,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    metrics: { record: () => undefined },
  });
  const deliver = async (events: readonly unknown[]) => {
    for (const [i, event] of events.entries()) {
      const { batchItemFailures } = await handler({
        Records: [{ eventSource: 'aws:sqs', messageId: `q-${i}`, body: JSON.stringify(event) }],
      });
      expect(batchItemFailures).toEqual([]);
    }
  };
  return { ledger, caseId, deliver };
}

describe('mail reports lost with a killed local stack', () => {
  it('finds the accepted messages whose reports are missing, and only those', async () => {
    const { ledger, caseId, deliver } = await setup();
    const emails = [
      email('ses-ack', 'marie@example.com'),
      email('ses-notice', 'unit@example.org'),
      email('ses-complaint', MAILBOX_SIMULATOR.complaint),
      email('ses-unrecorded', 'marie@example.com'),
    ];
    const at = new Date(ACCEPTED * 1000);
    // The notice's delivery was recorded; the complaint address's delivery too, not its complaint.
    await deliver(sesEventsFor({ to: ['unit@example.org'], caseId }, 'ses-notice', at));
    await deliver(
      sesEventsFor({ to: [MAILBOX_SIMULATOR.complaint], caseId }, 'ses-complaint', at).slice(0, 1),
    );

    const { messages, pending } = await pendingMailReports({
      emails,
      events: pages(await ledger.read(caseId)),
    });

    expect(messages).toBe(4);
    expect(pending.map((report) => report.messageId)).toEqual(['ses-ack', 'ses-complaint']);
    expect(pending[0]).toMatchObject({
      caseId,
      at,
      message: { to: ['marie@example.com'], caseId, template: 'acknowledgement', deliveryKey: 'key-ses-ack' },
    });
  });

  it('leaves out a staff message with no delivery, whose delivery the case does not keep', async () => {
    const { ledger, caseId } = await setup();
    await ledger.append(caseId, {
      type: 'message.sent',
      at: AT,
      actor: { kind: 'system', id: 'workflow' },
      data: { messageId: 'ses-reminder', purpose: 'reminder', recipient: 'staff', template: 'reminder' },
    });

    const { pending } = await pendingMailReports({
      emails: [email('ses-reminder', 'unit@example.org'), email('ses-ack', 'marie@example.com')],
      events: pages(await ledger.read(caseId)),
    });

    expect(pending.map((report) => report.messageId)).toEqual(['ses-ack']);
  });

  it('produces the events the live path produced, so a report produced twice is recorded once', async () => {
    const { ledger, caseId, deliver } = await setup();
    const live = {
      to: ['marie@example.com'],
      caseId,
      template: 'acknowledgement',
      deliveryKey: 'key-ses-ack',
    };
    await deliver(sesEventsFor(live, 'ses-ack', new Date(ACCEPTED * 1000)));
    const recorded = (await ledger.read(caseId)).length;
    // The pass over the ledger saw the message.sent but not the report (read before it was recorded).
    const sent = (await ledger.read(caseId)).filter((event) => event.type !== 'message.delivered');
    const { pending } = await pendingMailReports({
      emails: [email('ses-ack', 'marie@example.com')],
      events: pages(sent),
    });
    expect(pending).toHaveLength(1);

    await deliver(pending.flatMap((report) => sesEventsFor(report.message, report.messageId, report.at)));

    const after = await ledger.read(caseId);
    expect(after).toHaveLength(recorded);
    expect(after.filter((event) => event.type === 'message.delivered')).toHaveLength(1);
  });
});
