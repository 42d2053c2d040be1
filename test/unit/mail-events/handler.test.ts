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

const deliveryDetail = (
  caseId: string,
  messageId: string,
  at = '2026-03-02T14:00:02.000Z',
  template?: string,
) => ({
  eventType: 'Delivery',
  mail: {
    messageId,
    timestamp: AT,
    destination: ['x@example.org'],
    tags: { caseId: [caseId], ...(template !== undefined ? { template: [template] } : {}) },
  },
  delivery: { timestamp: at, recipients: ['x@example.org'] },
});

class FailingLedger extends ForwardingCaseLedger {
  override readonly append: CaseLedger['append'] = () => Promise.reject(new Error('dynamodb down'));
  override readonly appendAll: CaseLedger['appendAll'] = () => Promise.reject(new Error('dynamodb down'));
}

/** Fails the writes of one case only. */
class FailingCaseLedger extends ForwardingCaseLedger {
  constructor(
    inner: CaseLedger,
    private readonly failing: () => string,
  ) {
    super(inner);
  }

  override appendAll(...args: Parameters<CaseLedger['appendAll']>): ReturnType<CaseLedger['appendAll']> {
    if (args[0] === this.failing()) return Promise.reject(new Error('dynamodb down'));
    return super.appendAll(...args);
  }
}

/** Holds the write of one case until another case's write has begun. */
class WaitingLedger extends ForwardingCaseLedger {
  waiting = '';
  #othersBegun: () => void = () => undefined;
  readonly #begun = new Promise<void>((resolve) => (this.#othersBegun = resolve));

  override async appendAll(
    ...args: Parameters<CaseLedger['appendAll']>
  ): ReturnType<CaseLedger['appendAll']> {
    if (args[0] === this.waiting) await this.#begun;
    else this.#othersBegun();
    return super.appendAll(...args);
  }
}

/** Counts the ledger writes, with the events each held, and the lookups of a sent message. */
class CountingLedger extends ForwardingCaseLedger {
  readonly writes: { caseId: string; events: number }[] = [];
  lookups = 0;

  override findSentMessage(...args: Parameters<CaseLedger['findSentMessage']>) {
    this.lookups += 1;
    return super.findSentMessage(...args);
  }

  override readonly append: CaseLedger['append'] = (caseId, draft, options) => {
    this.writes.push({ caseId, events: 1 });
    return this.inner.append(caseId, draft, options);
  };

  override async appendAll(
    ...args: Parameters<CaseLedger['appendAll']>
  ): ReturnType<CaseLedger['appendAll']> {
    this.writes.push({ caseId: args[0], events: args[1].length });
    return super.appendAll(...args);
  }
}

/**
 * A staff message on the case, and another case with a message to its requester; `batch` holds a bounce of the
 * first case's acknowledgement, a delivery of the other case's message, and a delivery of the staff message.
 */
async function twoCases(ledger: CaseLedger, caseId: string) {
  await sent(ledger, caseId, 'ses-staff', 'staff');
  const other = await receiveCase(ledger, { receivedAt: AT, email: 'autre@example.org' });
  await sent(ledger, other, 'ses-other', 'requester');
  const batch = {
    Records: [
      queued(bounceDetail(caseId), 1, 'q-1'),
      queued(deliveryDetail(other, 'ses-other'), 1, 'q-2'),
      queued(deliveryDetail(caseId, 'ses-staff'), 1, 'q-3'),
    ],
  };
  return { other, batch };
}

async function sent(ledger: CaseLedger, caseId: string, messageId: string, recipient: 'requester' | 'staff') {
  await ledger.append(caseId, {
    type: 'message.sent',
    at: AT,
    actor: { kind: 'system', id: 'workflow' },
    data: { messageId, purpose: recipient === 'staff' ? 'reminder' : 'receipt', recipient },
  });
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

  it('keeps no delivery of a staff message, reading nothing, and counts it', async () => {
    let counting: CountingLedger | undefined;
    const { handler, ledger, caseId, metrics, logs } = await setup(
      (inner) => (counting = new CountingLedger(inner)),
    );
    await sent(ledger, caseId, 'ses-staff', 'staff');
    const before = (await ledger.read(caseId)).length;

    const summary = await handler({
      Records: [queued(deliveryDetail(caseId, 'ses-staff', undefined, 'task-notification'))],
    });

    expect(summary.batchItemFailures).toEqual([]);
    expect(counting?.lookups).toBe(0);
    expect(counting?.writes).toEqual([]);
    expect(await ledger.read(caseId)).toHaveLength(before);
    expect(metrics).toEqual(['not-kept-delivery-to-staff']);
    expect(logs.at(-1)).toMatchObject({ level: 'info', fields: { why: 'delivery-to-staff' } });
  });

  it("keeps a staff message's bounce and a requester message's delivery beside a staff delivery", async () => {
    const { handler, ledger, caseId, metrics } = await setup();
    await sent(ledger, caseId, 'ses-staff', 'staff');
    const staffBounce = bounceDetail(caseId, 'ses-staff');
    staffBounce.mail.tags.template = ['escalation'];

    const summary = await handler({
      Records: [
        queued(deliveryDetail(caseId, 'ses-staff', undefined, 'escalation'), 1, 'q-1'),
        queued(staffBounce, 1, 'q-2'),
        queued(deliveryDetail(caseId, 'ses-ack', undefined, 'automatic-receipt'), 1, 'q-3'),
      ],
    });

    expect(summary.batchItemFailures).toEqual([]);
    expect(metrics).toEqual(['not-kept-delivery-to-staff', 'recorded', 'recorded']);
    const reports = (await ledger.read(caseId)).filter(
      (e) => e.type.startsWith('message.') && e.type !== 'message.sent',
    );
    expect(reports.map((e) => `${e.type} ${String((e.data as { messageId: string }).messageId)}`)).toEqual([
      'message.bounced ses-staff',
      'message.delivered ses-ack',
    ]);
  });

  it('counts an event of an unknown case and records nothing', async () => {
    const { handler, metrics, logs } = await setup();

    const summary = await handler({ Records: [queued(bounceDetail('case-nobody'))] });

    expect(summary.batchItemFailures).toEqual([]);
    expect(metrics).toEqual(['unmatched-unknown-case']);
    expect(logs.at(-1)).toMatchObject({ level: 'warn', fields: { why: 'unknown-case' } });
  });

  it("records a batch's reports of one case in one ledger write, and those of two cases in one each", async () => {
    let counting: CountingLedger | undefined;
    const { handler, ledger, caseId, metrics } = await setup(
      (inner) => (counting = new CountingLedger(inner)),
    );
    const { other, batch } = await twoCases(ledger, caseId);

    const summary = await handler(batch);

    expect(summary.batchItemFailures).toEqual([]);
    // The two cases are recorded at once: their writes in either order.
    expect(counting!.writes).toHaveLength(2);
    expect(counting!.writes).toEqual(
      expect.arrayContaining([
        { caseId, events: 2 },
        { caseId: other, events: 1 },
      ]),
    );
    expect(metrics).toEqual(['recorded', 'recorded', 'recorded']);
    const reports = (await ledger.read(caseId)).filter(
      (e) => e.type.startsWith('message.') && e.type !== 'message.sent',
    );
    expect(reports.map((e) => [e.type, e.data])).toEqual([
      ['message.bounced', expect.objectContaining({ messageId: 'ses-ack', recipient: 'requester' })],
      ['message.delivered', expect.objectContaining({ messageId: 'ses-staff', recipient: 'staff' })],
    ]);
  });

  it("records a batch's cases at once, not one after another", async () => {
    let waiting: WaitingLedger | undefined;
    const { handler, ledger, caseId, metrics } = await setup((inner) => (waiting = new WaitingLedger(inner)));
    const other = await receiveCase(ledger, { receivedAt: AT, email: 'autre@example.org' });
    await sent(ledger, other, 'ses-other', 'requester');
    // The batch's first case waits for the second's write: one after another, it would wait for ever.
    waiting!.waiting = caseId;

    const summary = await handler({
      Records: [queued(bounceDetail(caseId), 1, 'q-1'), queued(deliveryDetail(other, 'ses-other'), 1, 'q-2')],
    });

    expect(summary.batchItemFailures).toEqual([]);
    expect(metrics).toEqual(['recorded', 'recorded']);
  });

  it('records a report the batch holds twice once, and delivers again only the report of a message not recorded yet', async () => {
    const { handler, ledger, caseId, metrics } = await setup();
    await sent(ledger, caseId, 'ses-staff', 'staff');

    const summary = await handler({
      Records: [
        queued(deliveryDetail(caseId, 'ses-staff'), 1, 'q-1'),
        queued(bounceDetail(caseId, 'ses-later'), 1, 'q-2'),
        queued(deliveryDetail(caseId, 'ses-staff'), 2, 'q-3'),
      ],
    });

    expect(summary.batchItemFailures).toEqual([{ itemIdentifier: 'q-2' }]);
    expect(metrics).toEqual(['recorded', 'already-recorded']);
    expect((await ledger.read(caseId)).filter((e) => e.type === 'message.delivered')).toHaveLength(1);
  });

  it("delivers again every report of a case whose write failed, and records the other case's", async () => {
    let failingCase = '';
    const { handler, ledger, caseId, metrics } = await setup(
      (inner) => new FailingCaseLedger(inner, () => failingCase),
    );
    failingCase = caseId;
    const { other, batch } = await twoCases(ledger, caseId);

    const summary = await handler(batch);

    expect(summary.batchItemFailures).toEqual([{ itemIdentifier: 'q-1' }, { itemIdentifier: 'q-3' }]);
    expect(metrics).toEqual(['recorded']);
    expect((await ledger.read(other)).some((e) => e.type === 'message.delivered')).toBe(true);
    expect(
      (await ledger.read(caseId)).some((e) => e.type === 'message.delivered' || e.type === 'message.bounced'),
    ).toBe(false);
  });

  it('delivers again an event the ledger failed to record', async () => {
    const { handler, caseId } = await setup((inner) => new FailingLedger(inner));

    const summary = await handler({ Records: [queued(bounceDetail(caseId), 1, 'q-9')] });

    expect(summary.batchItemFailures).toEqual([{ itemIdentifier: 'q-9' }]);
  });
});
