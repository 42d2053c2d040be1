import { StoreUnavailableError } from '../../../shared/errors';
import { startLocalStack } from '../../../infra/local/local-stack';
import type { LocalStack } from '../../../infra/local/local-stack';
import type { KeyedDraft } from '../../../shared/domain/ledger/chain';
import type { EventDraft, EventType, LedgerEvent } from '../../../shared/domain/ledger/events';
import { ForwardingCaseLedger } from '../../../shared/domain/ledger/forwarding-ledger';
import type {
  AppendAllOptions,
  AppendAllResult,
  AppendOptions,
  AppendResult,
} from '../../../shared/domain/ledger/ports';
import { client } from './support';

/**
 * A message the SES emulator accepted whose `message.sent` was not recorded (the record's put failed after the
 * send, as a crash between the two would leave it): the workflow's retry finds the message the emulator had
 * accepted and records it without sending again. Its SES events must still reach the case, as in AWS, where SES
 * published them at the send and the mail-events queue delivers them until the `message.sent` is there.
 */
jest.setTimeout(120_000);

/** Fails the first write of a `message.sent`, as DynamoDB could after the email went out. */
class FirstSentRecordFails extends ForwardingCaseLedger {
  failed = 0;

  override append<T extends EventType>(
    caseId: string,
    draft: Extract<EventDraft, { type: T }>,
    options?: AppendOptions,
  ): Promise<AppendResult<T>> {
    if (draft.type === 'message.sent' && this.failed === 0) return this.fail();
    return this.inner.append<T>(caseId, draft, options);
  }

  override appendAll(
    caseId: string,
    drafts: readonly [KeyedDraft, ...KeyedDraft[]],
    options?: AppendAllOptions,
  ): Promise<AppendAllResult> {
    if (drafts.some((entry) => entry.draft.type === 'message.sent') && this.failed === 0) return this.fail();
    return this.inner.appendAll(caseId, drafts, options);
  }

  private fail(): Promise<never> {
    this.failed += 1;
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

let stack: LocalStack | undefined;

afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

function reportsBySent(events: readonly LedgerEvent[]): Record<string, string[]> {
  const reports: Record<string, string[]> = {};
  for (const event of events) {
    if (event.type === 'message.sent') reports[event.data.messageId] ??= [];
    if (event.type === 'message.delivered') (reports[event.data.messageId] ??= []).push(event.type);
  }
  return reports;
}

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
  const reports = reportsBySent(events);
  const outbox = await api.outbox();
  expect(faulty?.failed).toBe(1);
  // Every email the emulator accepted for the case is recorded once and was sent once…
  expect(Object.keys(reports).length).toBeGreaterThanOrEqual(2);
  expect(outbox).toHaveLength(Object.keys(reports).length);
  // …and each has its delivery, the one whose record was lost after the send included.
  expect(Object.values(reports)).toEqual(Object.keys(reports).map(() => ['message.delivered']));
});
