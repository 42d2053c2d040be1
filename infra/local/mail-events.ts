import { randomUUID } from 'node:crypto';

import { getStoreReadonly } from 'aws-ses-v2-local/dist/store';

import { MAIL_EVENTS_MAX_RECEIVES } from '../../functions/mail-events/handler';
import type { MailEventsHandler } from '../../functions/mail-events/handler';
import { DELIVERY_KEY_HEADER } from '../../shared/domain/messaging/delivery-key';
import type { LedgerEvent } from '../../shared/domain/ledger/events';
import { AppendObservingLedger } from '../../shared/domain/ledger/forwarding-ledger';
import type { CaseLedger } from '../../shared/domain/ledger/ports';
import type { Notifier, OutgoingMessage } from '../../shared/domain/messaging/ports';
import type { ActivityTracker } from './clock/activity-tracker';
import type { LocalConsole } from './console-log';
import { realTimeout } from './real-timers';

/**
 * The addresses of SES's mailbox simulator that end otherwise than in a delivery: mail to them produces the
 * event SES would publish (any other address is delivered).
 */
export const MAILBOX_SIMULATOR = {
  bounce: 'bounce@simulator.amazonses.com',
  complaint: 'complaint@simulator.amazonses.com',
  suppressed: 'suppressionlist@simulator.amazonses.com',
} as const;

/**
 * Real milliseconds between the emulator's acceptance and its event, and between two deliveries of one event.
 * The events produced within `EVENT_DELAY_MS` of the first one waiting go to the handler together, as one batch of
 * the queue (the mail-events queue's batching window, `infra/aws/constructs/mail-events.ts`), at most
 * `BATCH_SIZE` a batch.
 */
const EVENT_DELAY_MS = 25;
const REDELIVERY_DELAY_MS = 100;
const BATCH_SIZE = 10;

/** A queue message on its way to the handler: an SES event, its receive, and its tracked activity. */
interface QueueMessage {
  readonly queueMessageId: string;
  readonly body: string;
  readonly messageId: string;
  readonly receive: number;
  /** Ends the activity the message is (the virtual clock waits for it). */
  readonly end: () => void;
}

/** The SES tag value syntax (as `SesNotifier` tags a message). */
const TAG_VALUE = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * The SES event of a message the emulator accepted, as SES event publishing would send it to EventBridge: a
 * permanent bounce for the mailbox simulator's bounce and suppression-list addresses, a complaint (after the
 * delivery) for its complaint address, a delivery otherwise. The tags are those `SesNotifier` puts on the
 * message.
 */
export function sesEventsFor(
  message: Pick<OutgoingMessage, 'to' | 'caseId' | 'deliveryKey'> & { readonly template?: string },
  messageId: string,
  at: Date,
): unknown[] {
  const timestamp = at.toISOString();
  const tags: Record<string, string[]> =
    message.template === undefined ? {} : { template: [message.template] };
  if (message.caseId !== undefined && TAG_VALUE.test(message.caseId)) tags.caseId = [message.caseId];
  if (message.deliveryKey !== undefined && TAG_VALUE.test(message.deliveryKey)) {
    tags.deliveryKey = [message.deliveryKey];
  }
  const to = message.to.map((address) => address.toLowerCase());
  const mail = { timestamp, messageId, destination: [...message.to], tags };
  const event = (detailType: string, detail: Record<string, unknown>) => ({
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source: 'aws.ses',
    time: timestamp,
    resources: [],
    detail: { ...detail, mail },
  });
  const bounced = to.filter((a) => a === MAILBOX_SIMULATOR.bounce || a === MAILBOX_SIMULATOR.suppressed);
  if (bounced.length > 0) {
    return [
      event('Email Bounced', {
        eventType: 'Bounce',
        bounce: {
          bounceType: 'Permanent',
          bounceSubType: bounced.includes(MAILBOX_SIMULATOR.suppressed) ? 'Suppressed' : 'General',
          feedbackId: `local-bounce-${messageId}`,
          timestamp,
          bouncedRecipients: bounced.map((emailAddress) => ({ emailAddress })),
        },
      }),
    ];
  }
  const delivered = event('Email Delivered', {
    eventType: 'Delivery',
    delivery: { timestamp, recipients: [...message.to], smtpResponse: '250 OK', processingTimeMillis: 0 },
  });
  if (!to.includes(MAILBOX_SIMULATOR.complaint)) return [delivered];
  return [
    delivered,
    event('Email Complaint Received', {
      eventType: 'Complaint',
      complaint: {
        feedbackId: `local-complaint-${messageId}`,
        timestamp,
        complaintFeedbackType: 'abuse',
        complainedRecipients: [{ emailAddress: MAILBOX_SIMULATOR.complaint }],
      },
    }),
  ];
}

/**
 * When the emulator accepted the message (its store keeps the second, `at`, and the data folder's outbox keeps
 * it across restarts): the delivery's instant, the same whenever the event is produced.
 */
export function acceptedAt(messageId: string): Date | undefined {
  const emails = getStoreReadonly().emails;
  for (let i = emails.length - 1; i >= 0; i--) {
    const email = emails[i];
    if (email?.messageId === messageId) return new Date(email.at * 1000);
  }
  return undefined;
}

/**
 * What SES event publishing, EventBridge and the mail-events queue do in AWS, for the local stack: every message
 * the SES emulator accepts (through the notifier this wraps) produces its SES event (`sesEventsFor`) a moment
 * later, and the event goes to the mail-events handler, the same code as the Lambda's, as a queue message, in a
 * batch with the others produced meanwhile (the queue's batching window). A
 * message the handler reports as failed is delivered again, up to the queue's receive count; after it, the
 * console says where it would be in AWS (the dead-letter queue). Each pending event is tracked activity, so the
 * virtual clock does not move while it is on its way.
 */
export class LocalMailEvents {
  readonly #activity: ActivityTracker;
  readonly #console: LocalConsole;
  /** Cancels the redeliveries on their way. */
  readonly #pending = new Set<() => void>();
  /** The messages waiting for the next batch, and the cancel of its window (none while nothing waits). */
  readonly #waiting: QueueMessage[] = [];
  #window: (() => void) | undefined;
  /** The messages whose events this process produced. */
  readonly #published = new Set<string>();
  /**
   * Those of them with an event that reached its last receive, maybe given up on as unmatched: redelivered
   * while virtual time stood still, it found no `message.sent` yet (the record was slow, or failed after the
   * send and waits for the workflow's retry, a backoff in virtual time). Their events are produced again when
   * the record comes.
   */
  readonly #unmatched = new Set<string>();
  /** The messages whose `message.sent` this process appended: the case and template of each. */
  readonly #recorded = new Map<string, { readonly caseId: string; readonly template?: string }>();
  /** The messages whose events were produced again after their last receive (once each). */
  readonly #republished = new Set<string>();
  readonly #drop: boolean;
  /** Set once the handler is composed (it needs the ports the notifier is part of). */
  handler: MailEventsHandler | undefined;

  /** `drop` (tests only): events are dropped, as those on their way are lost with a killed process. */
  constructor(input: {
    readonly activity: ActivityTracker;
    readonly console: LocalConsole;
    readonly drop?: boolean;
  }) {
    this.#activity = input.activity;
    this.#console = input.console;
    this.#drop = input.drop === true;
  }

  /** The notifier whose accepted messages produce their SES events. */
  wrap(inner: Notifier): Notifier {
    return {
      send: async (message) => {
        const sent = await inner.send(message);
        this.publish(message, sent.messageId, acceptedAt(sent.messageId) ?? new Date());
        return sent;
      },
    };
  }

  /**
   * Produces the SES events of a message the emulator accepted at `at`. Called for each message sent, and at
   * start for the messages of a previous run whose reports were never recorded (`replayPendingMailReports`):
   * the events of one message are the same both times (their keys derive from the message id and `at`, the
   * emulator's stored acceptance), so the handler records a report produced twice once.
   */
  publish(message: Parameters<typeof sesEventsFor>[0], messageId: string, at: Date): void {
    this.#published.add(messageId);
    this.#unmatched.delete(messageId);
    for (const event of sesEventsFor(message, messageId, at)) this.#publish(event, messageId);
  }

  /**
   * The ledger the handlers write through, which produces the SES events of an email recorded without being
   * sent now: a workflow step or staff command resumed after a crash between the send and its record finds the
   * message the emulator had accepted (`EmulatorAcceptedMessages`) and records its `message.sent` without
   * sending, so the notifier this class wraps never saw it. In AWS, SES published its events at the send, and
   * the mail-events queue delivers them again until the `message.sent` is recorded; here, the events are
   * produced when that `message.sent` is appended, from the emulator's stored message (its recipients and
   * acceptance instant, so the events are those the send would have produced, and recorded once).
   */
  recordingLedger(inner: CaseLedger): CaseLedger {
    return new ResumedSendEvents(inner, (event) => this.#onAppended(event));
  }

  #onAppended(event: LedgerEvent): void {
    if (event.type !== 'message.sent') return;
    const { messageId, template } = event.data;
    const recorded = { caseId: event.caseId, ...(template !== undefined ? { template } : {}) };
    this.#recorded.set(messageId, recorded);
    if (this.#published.has(messageId) && !this.#unmatched.has(messageId)) return;
    this.#publishStored(messageId, recorded);
  }

  /**
   * An event of `messageId` had its last receive, handled or given up on (the handler does not say which): if
   * its `message.sent` is recorded by now, its events are produced again once (a report already recorded
   * records nothing); otherwise they will be when it is.
   */
  #lastReceive(messageId: string): void {
    const recorded = this.#recorded.get(messageId);
    if (recorded === undefined) this.#unmatched.add(messageId);
    else if (!this.#republished.has(messageId)) {
      this.#republished.add(messageId);
      this.#publishStored(messageId, recorded);
    }
  }

  /** Produces the events of the emulator's stored message (its recipients and acceptance instant). */
  #publishStored(messageId: string, recorded: { readonly caseId: string; readonly template?: string }): void {
    const email = getStoreReadonly().emails.find((candidate) => candidate.messageId === messageId);
    // A letter's message id, or a message the emulator does not hold: no email, so no SES event.
    if (email === undefined) return;
    const header = DELIVERY_KEY_HEADER.toLowerCase();
    const deliveryKey = email.headers?.find((h) => h.name.toLowerCase() === header)?.value;
    this.publish(
      {
        to: email.destination.to,
        caseId: recorded.caseId,
        ...(recorded.template !== undefined ? { template: recorded.template } : {}),
        ...(deliveryKey !== undefined ? { deliveryKey } : {}),
      },
      messageId,
      new Date(email.at * 1000),
    );
  }

  /** Drops the events not yet handled (the stack is stopping). */
  close(): void {
    for (const cancel of [...this.#pending]) cancel();
    this.#window?.();
    for (const message of this.#waiting.splice(0)) message.end();
  }

  #publish(event: unknown, messageId: string): void {
    if (this.#drop) return;
    this.#join({
      queueMessageId: randomUUID(),
      body: JSON.stringify(event),
      messageId,
      receive: 1,
      end: this.#activity.begin('mail event'),
    });
  }

  /** The message waits for the next batch: the first one waiting opens the batch's window. */
  #join(message: QueueMessage): void {
    this.#waiting.push(message);
    if (this.#window !== undefined) return;
    const stop = realTimeout(() => {
      this.#window = undefined;
      const waiting = this.#waiting.splice(0);
      for (let first = 0; first < waiting.length; first += BATCH_SIZE) {
        void this.#deliver(waiting.slice(first, first + BATCH_SIZE));
      }
    }, EVENT_DELAY_MS);
    this.#window = () => {
      stop();
      this.#window = undefined;
    };
  }

  /** One batch to the handler; the messages it reports as failed come back after a while, up to the last receive. */
  async #deliver(batch: readonly QueueMessage[]): Promise<void> {
    const failed = await this.#handle(batch);
    for (const message of batch) {
      const again = failed.has(message.queueMessageId);
      if (message.receive >= MAIL_EVENTS_MAX_RECEIVES) this.#lastReceive(message.messageId);
      if (again && message.receive < MAIL_EVENTS_MAX_RECEIVES) this.#redeliver(message);
      else if (again) {
        this.#console.error('mail event gave up: in AWS it would now be in the dead-letter queue', {
          queueMessageId: message.queueMessageId,
          receives: message.receive,
        });
      }
      message.end();
    }
  }

  #redeliver(message: QueueMessage): void {
    const next = { ...message, receive: message.receive + 1, end: this.#activity.begin('mail event') };
    const cancel = () => {
      stop();
      this.#pending.delete(cancel);
      next.end();
    };
    const stop = realTimeout(() => {
      this.#pending.delete(cancel);
      this.#join(next);
    }, REDELIVERY_DELAY_MS);
    this.#pending.add(cancel);
  }

  /** The queue message ids the batch must deliver again: those the handler reports, or all when it fails. */
  async #handle(batch: readonly QueueMessage[]): Promise<Set<string>> {
    const all = new Set(batch.map((message) => message.queueMessageId));
    if (this.handler === undefined) return all;
    try {
      const { batchItemFailures } = await this.handler({
        Records: batch.map((message) => ({
          eventSource: 'aws:sqs',
          messageId: message.queueMessageId,
          body: message.body,
          attributes: { ApproximateReceiveCount: String(message.receive) },
        })),
      });
      return new Set(batchItemFailures.map((failure) => failure.itemIdentifier));
    } catch (error) {
      this.#console.error('mail-events handler failed', {
        queueMessageIds: [...all],
        errorName: error instanceof Error ? error.name : 'unknown',
      });
      return all;
    }
  }
}

/** Tells `onAppended` of each event appended (replays excepted); `message.sent` is only ever appended so. */
class ResumedSendEvents extends AppendObservingLedger {
  constructor(
    inner: CaseLedger,
    private readonly onAppended: (event: LedgerEvent) => void,
  ) {
    super(inner);
  }

  protected override afterAppend(_caseId: string, appended: readonly LedgerEvent[]): void {
    for (const event of appended) this.onAppended(event);
  }
}
