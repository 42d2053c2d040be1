import type * as z from 'zod';

import type { Language, TemplateId, TemplateValues } from '../../../templates/catalog';
import type { KeyedDraft } from '../../ledger/chain';
import type { Actor } from '../../ledger/events';
import type { MessagePurposeSchema } from '../../ledger/events';
import type { CaseProjection } from '../../ledger/projection';
import { MAIL_MESSAGE_PREFIX, sendOnce, type OutboxMessage } from '../../messaging/outbox';
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
 * Sends a message to the requester once and records it, through the outbox (`sendOnce`), the staff member who
 * ran the command being the actor of record and the command's instant the instant of record.
 *
 * - By email: with the case's own reply address as Reply-To (so the requester's answer joins the case).
 * - By post: nothing is sent; `mail:<letter id>` is recorded under the command's `message` key, and the letter
 *   is prepared under its `letter` key (PDF stored, `letter.prepared`): a "to mail" task until staff record its
 *   mailing (`letter.mailed`), whose date the legal clock counts as the sending date.
 *
 * Retried under the same command key, a message already recorded is not sent again (and goes by the channel
 * it was recorded on). The outbox says what a crash between the send and the record does; nothing is recorded
 * before the send succeeds, so a failed send leaves the case unchanged.
 */
export async function deliverToRequester(
  deps: Pick<
    CommandDeps,
    'ledger' | 'notifier' | 'clock' | 'replyAddresses' | 'acceptedMessages' | 'letters' | 'policy'
  >,
  context: {
    readonly projection: CaseProjection;
    readonly actor: Actor;
    readonly at: string;
    readonly keys: CommandKeys;
  },
  message: OutgoingToRequester,
  /**
   * The command's events that follow the message's record at once, given its instant and message id: recorded
   * with it in one ledger item when an email is sent now (`OutboxEntry.then`); the command's own calls then
   * replay them (`CommandLedger`).
   */
  then?: (at: string, messageId: string) => readonly KeyedDraft[],
): Promise<Delivery> {
  const { projection, keys } = context;
  const recorded = keys.recorded.get('message');
  const byMail =
    recorded?.type === 'message.sent'
      ? recorded.data.messageId.startsWith(MAIL_MESSAGE_PREFIX)
      : message.byMail;
  const email = projection.requester.email;
  const sent = await sendOnce(
    deps,
    {
      caseId: projection.caseId,
      key: keys.key('message'),
      actor: context.actor,
      at: context.at,
      events: [...keys.recorded.values()],
      ...(then !== undefined ? { then } : {}),
    },
    {
      ...message.content,
      language: message.language,
      recipient: 'requester',
      purpose: message.purpose,
      via: byMail
        ? { by: 'post', projection, letterKey: keys.key('letter') }
        : { by: 'email', to: email === undefined ? [] : [email] },
    } as OutboxMessage,
  );
  if (sent.letterId === undefined) return { channel: 'email', messageId: sent.messageId };
  return {
    channel: 'mail',
    messageId: sent.messageId,
    letterId: sent.letterId,
    letter: {
      template: message.content.template,
      language: message.language,
      values: { ...message.content.values },
    },
  };
}
