import { getStoreReadonly } from 'aws-ses-v2-local/dist/store';

import { DELIVERY_KEY_HEADER } from '../../shared/domain/messaging/delivery-key';
import type { AcceptedMessages } from '../../shared/domain/messaging/ports';

const HEADER = DELIVERY_KEY_HEADER.toLowerCase();

/**
 * What the local SES emulator accepted, by delivery key: read from its in-process store (the outbox, which the
 * data folder keeps across restarts), so a workflow step resumed after a crash records a message the emulator
 * had already accepted instead of sending it again. The store only grows (or is emptied at start), so the
 * index is extended with the messages added since the last look.
 */
export class EmulatorAcceptedMessages implements AcceptedMessages {
  readonly #index = new Map<string, string>();
  #indexed = 0;

  find(deliveryKey: string): Promise<{ messageId: string } | undefined> {
    const emails = getStoreReadonly().emails;
    if (emails.length < this.#indexed) {
      this.#index.clear();
      this.#indexed = 0;
    }
    for (; this.#indexed < emails.length; this.#indexed++) {
      const email = emails[this.#indexed];
      const key = email?.headers?.find((h) => h.name.toLowerCase() === HEADER)?.value;
      if (email !== undefined && key !== undefined) this.#index.set(key, email.messageId);
    }
    const messageId = this.#index.get(deliveryKey);
    return Promise.resolve(messageId === undefined ? undefined : { messageId });
  }
}
