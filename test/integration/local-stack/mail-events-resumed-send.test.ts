import { StoreUnavailableError } from '../../../shared/errors';
import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import type { KeyedDraft } from '../../../shared/domain/ledger/chain';
import type { EventDraft, EventType } from '../../../shared/domain/ledger/events';
import { ForwardingCaseLedger } from '../../../shared/domain/ledger/forwarding-ledger';
import type {
  AppendAllOptions,
  AppendAllResult,
  AppendOptions,
  AppendResult,
} from '../../../shared/domain/ledger/ports';
import { client, deliveriesBySent, keptDeliveries } from './support';

/**
 * A message the SES emulator accepted whose `message.sent` was not recorded (the record's put failed after the
 * send, as a crash between the two would leave it): the workflow's retry finds the message the emulator had
 * accepted and records it without sending again. Its SES events must still reach the case, as in AWS, where SES
 * published them at the send and the mail-events queue delivers them until the `message.sent` is there.
 */
jest.setTimeout(120_000);

/**
 * Fails the first write of a `message.sent` to the requester (whose delivery the case keeps, `keptOnCase`), as
 * DynamoDB could after the email went out.
 */
class FirstSentRecordFails extends ForwardingCaseLedger {
  failed = 0;
  /** The recipients of the messages whose record failed. */
  readonly lost: string[] = [];

  override append<T extends EventType>(
    caseId: string,
    draft: Extract<EventDraft, { type: T }>,
    options?: AppendOptions,
  ): Promise<AppendResult<T>> {
    if (isToRequester(draft) && this.failed === 0) return this.fail([draft]);
    return this.inner.append<T>(caseId, draft, options);
  }

  override appendAll(
    caseId: string,
    drafts: readonly [KeyedDraft, ...KeyedDraft[]],
    options?: AppendAllOptions,
  ): Promise<AppendAllResult> {
    if (drafts.some((entry) => isToRequester(entry.draft)) && this.failed === 0) {
      return this.fail(drafts.map((entry) => entry.draft));
    }
    return this.inner.appendAll(caseId, drafts, options);
  }

  private fail(drafts: readonly EventDraft[]): Promise<never> {
    this.failed += 1;
    for (const draft of drafts) if (draft.type === 'message.sent') this.lost.push(draft.data.recipient);
    // What the adapter throws when DynamoDB throttles the put: transient, retried by the workflow.
    return Promise.reject(
      new StoreUnavailableError({
        operation: 'PutItem',
        table: 'ledger',
        awsErrorName: 'ProvisionedThroughputExceededException',
      }),
    );
  }
}

function isToRequester(draft: EventDraft): boolean {
  return draft.type === 'message.sent' && draft.data.recipient === 'requester';
}

let stack: LocalStack | undefined;

afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

it('records the delivery of an email whose record was lost after the send, once, with no second email', async () => {
  let faulty: FirstSentRecordFails | undefined;
  stack = await startLocalStack({
    memory: true,
    virtualClock: '2026-03-02T15:00:00Z',
    port: 0,
    smtpPort: 0,
    quiet: true,
    wrapLedger: (ledger) => (faulty = new FirstSentRecordFails(ledger)),
  });
  const api = client(stack.urls.web);
  const submitted = await api.request(
    'POST',
    '/api/requests',
    {
      category: 'statistics',
      name: 'Marie Tremblay',
      email: 'marie.tremblay@example.com',
      subject: 'Effectifs 2025',
      message: 'Bonjour,\nPourriez-vous me transmettre les effectifs par ministère?\nMerci.',
      website: '',
    },
    { 'idempotency-key': 'resumed-send-1' },
  );
  expect(submitted.status).toBe(201);
  const caseId = submitted.json['caseId'] as string;
  // The failed task is retried by the workflow after its backoff (virtual time).
  await api.clock({ advance: 'PT10M' });

  const events = await stack.ledger.read(caseId);
  const reports = deliveriesBySent(events);
  const outbox = await api.outbox();
  expect(faulty?.failed).toBe(1);
  expect(faulty?.lost).toContain('requester');
  // Every email the emulator accepted for the case is recorded once and was sent once…
  expect(Object.keys(reports).length).toBeGreaterThanOrEqual(2);
  expect(outbox).toHaveLength(Object.keys(reports).length);
  // …and each one to the requester has its delivery, the one whose record was lost after the send included.
  expect(Object.values(reports)).toEqual(keptDeliveries(reports));
});
