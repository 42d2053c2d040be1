import { NoRecipientError } from '../../../shared/errors';
import type { CaseLedger } from '../../../shared/domain/ledger/ports';
import { deliveryKeyOf } from '../../../shared/domain/messaging/delivery-key';
import {
  sendOnce,
  type OutboxDeps,
  type OutboxEntry,
  type OutboxMessage,
  type PermanentFailures,
} from '../../../shared/domain/messaging/outbox';
import type { AcceptedMessages, Notifier, OutgoingMessage } from '../../../shared/domain/messaging/ports';
import { receiveCase, workflowDeps } from '../../support/workflow-fixtures';
import { ForwardingCaseLedger } from '../../../shared/domain/ledger/forwarding-ledger';

/** What `kill -9` does between two effects. */
class SimulatedCrash extends Error {
  override readonly name = 'SimulatedCrash';
}

/** A ledger that can crash on the next append of one event type, before it is written. */
class CrashingLedger extends ForwardingCaseLedger {
  crashOn: string | undefined;
  reads = 0;
  override readonly append: CaseLedger['append'] = (caseId, draft, options) => {
    if (draft.type === this.crashOn) {
      this.crashOn = undefined;
      return Promise.reject(new SimulatedCrash(`crash before ${draft.type}`));
    }
    return this.inner.append(caseId, draft, options);
  };
  /** An item of several events crashes whole: its one write does not happen. */
  override readonly appendAll: CaseLedger['appendAll'] = (caseId, drafts, options) => {
    const crashing = drafts.find(({ draft }) => draft.type === this.crashOn);
    if (crashing !== undefined) {
      this.crashOn = undefined;
      return Promise.reject(new SimulatedCrash(`crash before ${crashing.draft.type}`));
    }
    return this.inner.appendAll(caseId, drafts, options);
  };
  override read(caseId: string) {
    this.reads += 1;
    return this.inner.read(caseId);
  }
}

/** The mail service: accepts messages and, like the SES emulator, remembers them by delivery key. */
class MailService implements Notifier, AcceptedMessages {
  readonly sent: OutgoingMessage[] = [];
  failWith: Error | undefined;
  readonly #accepted = new Map<string, string>();
  send(message: OutgoingMessage): Promise<{ messageId: string }> {
    if (this.failWith !== undefined) return Promise.reject(this.failWith);
    const messageId = `ses-${this.sent.length + 1}`;
    this.sent.push(message);
    if (message.deliveryKey !== undefined) this.#accepted.set(message.deliveryKey, messageId);
    return Promise.resolve({ messageId });
  }
  find(deliveryKey: string): Promise<{ messageId: string } | undefined> {
    const messageId = this.#accepted.get(deliveryKey);
    return Promise.resolve(messageId === undefined ? undefined : { messageId });
  }
}

class Rejected extends Error {
  override readonly name = 'MessageRejected';
}

const AT = '2026-03-02T14:00:00.000Z';
const STAFF = { kind: 'staff', id: 'agent-1' } as const;
const PERMANENT: PermanentFailures = {
  isPermanent: (error) => error instanceof Rejected,
  describe: (error) => ({ code: 'NOTICE_FAILED', message: (error as Error).name }),
};

async function world(options: { accepted?: boolean; email?: string | undefined } = {}) {
  const base = workflowDeps(AT);
  const ledger = new CrashingLedger(base.ledger);
  const mail = new MailService();
  const deps: OutboxDeps = {
    ledger,
    notifier: mail,
    clock: base.clock,
    replyAddresses: base.replyAddresses,
    letters: base.deps.letters,
    policy: base.policy,
    ...(options.accepted === false ? {} : { acceptedMessages: mail }),
  };
  const caseId = await receiveCase(base.ledger, {
    receivedAt: AT,
    email: 'email' in options ? options.email : 'marie@example.com',
  });
  const entry: OutboxEntry = { caseId, key: 'staff:answer:c:1:message', actor: STAFF, at: AT };
  const message: OutboxMessage = {
    template: 'delay-notice',
    language: 'fr',
    values: { reference: 'SCT-2026-000001', answerByDate: '30 mars 2026', contact: 'Secrétariat' },
    recipient: 'requester',
    purpose: 'other',
    via: { by: 'email', to: ['marie@example.com'] },
  };
  const recorded = async () => (await base.ledger.read(caseId)).filter((e) => e.seq > 2);
  return { deps, ledger, mail, caseId, entry, message, recorded, replyAddresses: base.replyAddresses };
}

describe('the outbox: a message of a case sent once per key and recorded', () => {
  it('sends with the delivery key and the case’s reply address, then records it with its actor', async () => {
    const { deps, mail, caseId, entry, message, recorded, replyAddresses } = await world();

    const result = await sendOnce(deps, entry, message);

    expect(result).toEqual({ outcome: 'sent', messageId: 'ses-1' });
    expect(mail.sent).toHaveLength(1);
    expect(mail.sent[0]?.deliveryKey).toBe(deliveryKeyOf(caseId, entry.key));
    expect(mail.sent[0]?.replyTo).toBe((await replyAddresses.find(caseId))?.address);
    const events = await recorded();
    expect(events.map((e) => [e.type, e.idempotencyKey, e.actor, e.at])).toEqual([
      ['message.sent', entry.key, STAFF, AT],
    ]);
    expect(events[0]?.data).toEqual({
      messageId: 'ses-1',
      purpose: 'other',
      recipient: 'requester',
      template: 'delay-notice',
      language: 'fr',
    });
  });

  it('a retry with the same key sends nothing and returns the recorded message', async () => {
    const { deps, mail, entry, message, recorded } = await world();
    await sendOnce(deps, entry, message);

    const again = await sendOnce(deps, entry, message);

    expect(again).toEqual({ outcome: 'already-sent', messageId: 'ses-1' });
    expect(mail.sent).toHaveLength(1);
    expect(await recorded()).toHaveLength(1);
  });

  it('a crash between the send and the record: the retry records the accepted message, sending nothing', async () => {
    const { deps, ledger, mail, entry, message, recorded } = await world();
    ledger.crashOn = 'message.sent';
    await expect(sendOnce(deps, entry, message)).rejects.toThrow(SimulatedCrash);
    expect(mail.sent).toHaveLength(1);
    expect(await recorded()).toEqual([]);

    const retried = await sendOnce(deps, entry, message);

    expect(retried).toEqual({ outcome: 'sent', messageId: 'ses-1' });
    expect(mail.sent).toHaveLength(1);
    expect((await recorded()).map((e) => e.data)).toEqual([expect.objectContaining({ messageId: 'ses-1' })]);
  });

  it('without the mail service’s record, that crash sends the message again (at least once)', async () => {
    const { deps, ledger, mail, entry, message } = await world({ accepted: false });
    ledger.crashOn = 'message.sent';
    await expect(sendOnce(deps, entry, message)).rejects.toThrow(SimulatedCrash);

    const retried = await sendOnce(deps, entry, message);

    expect(retried.messageId).toBe('ses-2');
    expect(mail.sent.map((m) => m.deliveryKey)).toEqual([
      mail.sent[0]?.deliveryKey,
      mail.sent[0]?.deliveryKey,
    ]);
  });

  it('a failed send records nothing and throws, so the caller retries', async () => {
    const { deps, mail, entry, message, recorded } = await world();
    mail.failWith = new Rejected('rejected');

    await expect(sendOnce(deps, entry, message)).rejects.toThrow(Rejected);

    expect(await recorded()).toEqual([]);
    mail.failWith = undefined;
    expect(await sendOnce(deps, entry, message)).toEqual({ outcome: 'sent', messageId: 'ses-1' });
  });

  it('with permanent failures, a refusal for good is recorded once and never retried; a transient one throws', async () => {
    const { deps, mail, entry, message, recorded } = await world();
    mail.failWith = new Error('unavailable');
    await expect(sendOnce(deps, entry, message, PERMANENT)).rejects.toThrow('unavailable');
    expect(await recorded()).toEqual([]);
    mail.failWith = new Rejected('rejected');

    const refused = await sendOnce(deps, entry, message, PERMANENT);
    mail.failWith = undefined;
    const again = await sendOnce(deps, entry, message, PERMANENT);

    expect(refused).toEqual({ outcome: 'refused' });
    expect(again).toEqual({ outcome: 'refused' });
    expect(mail.sent).toEqual([]);
    const events = await recorded();
    expect(events.map((e) => [e.type, e.idempotencyKey, e.actor])).toEqual([
      ['failure.recorded', `${entry.key}:failed`, STAFF],
    ]);
    expect(events[0]?.data).toEqual({ code: 'NOTICE_FAILED', message: 'MessageRejected', retryable: false });
  });

  it('staff-bound email carries no Reply-To; no address at all is a NoRecipientError, nothing recorded', async () => {
    const { deps, mail, entry, message, recorded } = await world();

    await sendOnce(deps, entry, {
      ...message,
      recipient: 'staff',
      via: { by: 'email', to: ['ops@x.example'] },
    });
    await expect(
      sendOnce(deps, { ...entry, key: 'other' }, { ...message, via: { by: 'email', to: [] } }),
    ).rejects.toThrow(NoRecipientError);

    expect(mail.sent).toHaveLength(1);
    expect(mail.sent[0]).not.toHaveProperty('replyTo');
    expect((await recorded()).map((e) => e.idempotencyKey)).toEqual([entry.key]);
  });

  it('takes the reply address the caller already has', async () => {
    const { deps, mail, entry, message } = await world();

    await sendOnce(deps, entry, {
      ...message,
      via: { by: 'email', to: ['marie@example.com'], replyTo: 'demandes+given@sct.example' },
    });

    expect(mail.sent[0]?.replyTo).toBe('demandes+given@sct.example');
  });

  it('looks for the record among the events the caller read, without reading the ledger', async () => {
    const { deps, ledger, mail, entry, message, caseId } = await world();
    await sendOnce(deps, entry, message);
    const events = await ledger.read(caseId);
    ledger.reads = 0;

    const again = await sendOnce(deps, { ...entry, events }, message);

    expect(again.outcome).toBe('already-sent');
    expect(ledger.reads).toBe(0);
    expect(mail.sent).toHaveLength(1);
  });

  it('by post: sends nothing, records a mail: id, then prepares the letter once, even after a crash', async () => {
    const { deps, ledger, mail, caseId, entry, message, recorded } = await world({ email: undefined });
    const projection = await ledger.getCase(caseId);
    if (projection === undefined) throw new Error('no case');
    const byPost: OutboxMessage = { ...message, via: { by: 'post', projection, letterKey: 'k:letter' } };
    ledger.crashOn = 'letter.prepared';
    await expect(sendOnce(deps, entry, byPost)).rejects.toThrow(SimulatedCrash);

    const retried = await sendOnce(deps, entry, byPost);
    const again = await sendOnce(deps, entry, byPost);

    expect(mail.sent).toEqual([]);
    expect(retried.outcome).toBe('already-sent');
    expect(retried.messageId).toMatch(/^mail:[0-9a-f-]{36}$/);
    expect(again).toEqual(retried);
    const events = await recorded();
    expect(events.map((e) => [e.type, e.idempotencyKey, e.actor])).toEqual([
      ['message.sent', entry.key, STAFF],
      ['letter.prepared', 'k:letter', STAFF],
    ]);
    expect(events[1]?.data).toEqual(
      expect.objectContaining({ letterId: retried.letterId, messageId: retried.messageId }),
    );
    expect(await deps.letters?.store.get(caseId, retried.letterId ?? '')).toBeDefined();
  });
});
