import { MAIL_EVENTS_MAX_RECEIVES } from '../../../functions/mail-events/handler';
import type { MailEventsSummary } from '../../../functions/mail-events/handler';
import { ActivityTracker } from '../../../infra/local/clock/activity-tracker';
import { LocalMailEvents } from '../../../infra/local/mail-events';

/**
 * The local stand-in for the mail-events queue hands the SES events produced within its window to the handler
 * as one batch (at most 10), as the queue's batching window does in AWS, and delivers again the records the
 * handler reports as failed, alone, up to the queue's last receive.
 */
interface Batch {
  readonly records: { readonly id: string; readonly messageId: string; readonly receive: number }[];
}

const AT = new Date('2026-03-02T14:00:05.000Z');

function setup(failing: (messageId: string, receive: number) => boolean = () => false) {
  const activity = new ActivityTracker();
  const errors: string[] = [];
  const local = new LocalMailEvents({
    activity,
    console: {
      print: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      error: (m) => errors.push(m),
    },
  });
  const batches: Batch[] = [];
  local.handler = async (event): Promise<MailEventsSummary> => {
    const { Records } = event as {
      Records: { messageId: string; body: string; attributes: { ApproximateReceiveCount: string } }[];
    };
    const records = Records.map((record) => ({
      id: record.messageId,
      messageId: (JSON.parse(record.body) as { detail: { mail: { messageId: string } } }).detail.mail
        .messageId,
      receive: Number(record.attributes.ApproximateReceiveCount),
    }));
    batches.push({ records });
    return {
      batchItemFailures: records
        .filter((record) => failing(record.messageId, record.receive))
        .map((record) => ({ itemIdentifier: record.id })),
    };
  };
  const publish = (...messageIds: string[]) => {
    for (const messageId of messageIds)
      local.publish({ to: ['marie@example.com'], caseId: 'case-1' }, messageId, AT);
  };
  /** Resolves once nothing is on its way any more. */
  const settled = async () => {
    while (activity.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  };
  return { local, activity, batches, errors, publish, settled };
}

describe('the local mail-events queue', () => {
  it('hands the events produced together to the handler as one batch, in their order', async () => {
    const { batches, publish, settled } = setup();

    publish('ses-receipt', 'ses-notice');
    await settled();

    expect(batches.map((batch) => batch.records.map((record) => [record.messageId, record.receive]))).toEqual(
      [
        [
          ['ses-receipt', 1],
          ['ses-notice', 1],
        ],
      ],
    );
  });

  it('makes batches of 10 at most', async () => {
    const { batches, publish, settled } = setup();

    publish(...Array.from({ length: 12 }, (_, i) => `ses-${i}`));
    await settled();

    expect(batches.map((batch) => batch.records.length)).toEqual([10, 2]);
  });

  it('delivers again, alone, the record the handler reports as failed, until its last receive', async () => {
    const { batches, errors, publish, settled } = setup((messageId) => messageId === 'ses-early');

    publish('ses-early', 'ses-ok');
    await settled();

    expect(
      batches.map((batch) => batch.records.map((record) => `${record.messageId}#${record.receive}`)),
    ).toEqual([
      ['ses-early#1', 'ses-ok#1'],
      ...Array.from({ length: MAIL_EVENTS_MAX_RECEIVES - 1 }, (_, i) => [`ses-early#${i + 2}`]),
    ]);
    expect(errors).toEqual(['mail event gave up: in AWS it would now be in the dead-letter queue']);
  });

  it('drops what is still waiting when it closes, and ends its activity', async () => {
    const { local, activity, batches, publish } = setup();

    publish('ses-receipt', 'ses-notice');
    expect(activity.inFlight).toBe(2);
    local.close();
    await new Promise((resolve) => setTimeout(resolve, 60));

    expect(activity.inFlight).toBe(0);
    expect(batches).toEqual([]);
  });
});
