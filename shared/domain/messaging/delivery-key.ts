import { createHash } from 'node:crypto';

/**
 * The delivery key of a message: a digest of the case id and the message's idempotency key in the case
 * (`notify:task`, `ack-deadline-action:message`…), so every attempt to send that message carries the same
 * key, and the key says nothing about the case or the requester. 64 hex characters: valid as an SES message
 * tag value and as a mail header.
 */
export function deliveryKeyOf(caseId: string, key: string): string {
  return createHash('sha256').update(`${caseId}\n${key}`).digest('hex');
}

/** The mail header that carries the delivery key. */
export const DELIVERY_KEY_HEADER = 'X-Jalon-Delivery-Key';
