import { randomUUID } from 'node:crypto';

import type * as z from 'zod';

import type { Language, TemplateId, TemplateValues } from '../../../templates/catalog';
import type { TemplateRequest } from '../../../templates/render';
import type { Actor } from '../../ledger/events';
import type { MessagePurposeSchema } from '../../ledger/events';
import type { CaseProjection } from '../../ledger/projection';
import { prepareLetter } from '../../letters/prepare';
import { deliveryKeyOf } from '../../messaging/delivery-key';
import type { CommandDeps } from './deps';
import type { CommandKeys } from './idempotency';

/**
 * How a message reached the requester. `mail`: no email was sent; staff print the letter (template, language
 * and values are returned so that the template engine renders it) and post it.
 */
export type Delivery =
  | { readonly channel: 'email'; readonly messageId: string }
  | {
      readonly channel: 'mail';
      readonly messageId: string;
      /** The printable letter kept for the case (`GET …/letters/{letterId}.pdf`), to post. */
      readonly letterId: string;
      readonly letter: {
        readonly template: TemplateId;
        readonly language: Language;
        readonly values: Record<string, string>;
      };
    };

/** Prefix of the message id recorded for a letter sent by post (there is no provider message id). */
export const MAIL_MESSAGE_PREFIX = 'mail:';

/**
 * Whether a message goes by post: when the requester has no email address (letters, phone calls), or when
 * staff ask for a letter.
 */
export function goesByMail(projection: CaseProjection, sentByMail: boolean | undefined): boolean {
  return sentByMail === true || projection.requester.email === undefined;
}

/** The citizen messages a staff command sends. */
export type RequesterTemplate = 'acknowledgement' | 'answer-cover' | 'extension-notice' | 'review-conclusion';

/** A template with its values: a union over the templates, so that `template` and `values` always match. */
export type RequesterContent = {
  [T in RequesterTemplate]: { readonly template: T; readonly values: TemplateValues<T> };
}[RequesterTemplate];

/** A message to the requester. */
export interface OutgoingToRequester {
  readonly content: RequesterContent;
  readonly language: Language;
  readonly purpose: z.infer<typeof MessagePurposeSchema>;
  readonly byMail: boolean;
}

/**
 * Sends a message to the requester once and records it (`message.sent`, recipient named by role, never by
 * address).
 *
 * - By email: the notifier sends it, with the case's own reply address as Reply-To (so the requester's answer
 *   joins the case); its message id is recorded.
 * - By post: nothing is sent; `mail:<uuid>` is recorded, and the letter is prepared (PDF stored,
 *   `letter.prepared`): a "to mail" task until staff record its mailing (`letter.mailed`), whose date the legal
 *   clock counts as the sending date. The staff member who ran the command is the actor of record.
 *
 * Retried under the same command key, a message already recorded is not sent again. A crash between the send
 * and the record is covered where the mail service keeps a record of what it accepted (`acceptedMessages`,
 * by the message's delivery key); elsewhere it can send twice (at-least-once). Nothing is recorded before the
 * send succeeds, so a failed send leaves the case unchanged.
 */
export async function deliverToRequester(
  deps: Pick<
    CommandDeps,
    'ledger' | 'notifier' | 'replyAddresses' | 'acceptedMessages' | 'letters' | 'policy'
  >,
  context: {
    readonly projection: CaseProjection;
    readonly actor: Actor;
    readonly at: string;
    readonly keys: CommandKeys;
  },
  message: OutgoingToRequester,
): Promise<Delivery> {
  const { projection, keys } = context;
  const recorded = keys.recorded.get('message');
  let messageId: string;
  if (recorded?.type === 'message.sent') {
    messageId = recorded.data.messageId;
  } else {
    messageId = message.byMail
      ? `${MAIL_MESSAGE_PREFIX}${randomUUID()}`
      : await sendEmail(deps, projection, message, deliveryKeyOf(projection.caseId, keys.key('message')));
    await deps.ledger.append(
      projection.caseId,
      {
        type: 'message.sent',
        at: context.at,
        actor: context.actor,
        data: {
          messageId,
          purpose: message.purpose,
          recipient: 'requester',
          template: message.content.template,
          language: message.language,
        },
      },
      { idempotencyKey: keys.key('message') },
    );
  }
  if (!messageId.startsWith(MAIL_MESSAGE_PREFIX)) return { channel: 'email', messageId };
  const { letterId } = await prepareLetter(
    deps,
    { projection, actor: context.actor, at: context.at, messageId, idempotencyKey: keys.key('letter') },
    { ...message.content, language: message.language } as TemplateRequest,
  );
  return {
    channel: 'mail',
    messageId,
    letterId,
    letter: {
      template: message.content.template,
      language: message.language,
      values: { ...message.content.values },
    },
  };
}

async function sendEmail(
  deps: Pick<CommandDeps, 'notifier' | 'replyAddresses' | 'acceptedMessages'>,
  projection: CaseProjection,
  message: OutgoingToRequester,
  deliveryKey: string,
): Promise<string> {
  const accepted = await deps.acceptedMessages?.find(deliveryKey);
  if (accepted !== undefined) return accepted.messageId;
  const email = projection.requester.email;
  // `goesByMail` routes requesters without an address to the post; reaching here without one is a bug.
  if (email === undefined) throw new Error('no requester email address to send to');
  const replyTo = await deps.replyAddresses.addressFor(projection.caseId, email);
  const sent = await deps.notifier.send({
    ...message.content,
    language: message.language,
    to: [email],
    replyTo: replyTo.address,
    caseId: projection.caseId,
    deliveryKey,
  });
  return sent.messageId;
}
