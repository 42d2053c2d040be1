import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { SESv2Client, SendEmailCommandInput } from '@aws-sdk/client-sesv2';

import { DELIVERY_KEY_HEADER } from '../../domain/messaging/delivery-key';
import type { Notifier, OutgoingMessage } from '../../domain/messaging/ports';
import { renderMessage } from '../../templates/render';
import { checkMailbox, checkRecipients, formatSender } from './addresses';
import { EmailSendError, toEmailSendError } from './ses-errors';

export interface SesNotifierConfig {
  readonly client: SESv2Client;
  /** A verified SES identity: `address` or `Display Name <address>`. */
  readonly from: string;
  /** Configuration set for delivery events (bounces, complaints); SES's default when absent. */
  readonly configurationSetName?: string;
}

/** SES message tags allow letters, digits, `_` and `-` only, up to 256 characters. */
const TAG_VALUE = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * Sends Jalon's messages through SES v2 (`SendEmail`, simple content): the template is rendered in the
 * message's language and sent as UTF-8 text and HTML to the given recipients, with the case's reply-to
 * address when there is one. Addresses are checked before anything is sent.
 *
 * Tags `template`, `caseId` and `deliveryKey` (when tag-safe) identify the message in delivery events; the
 * delivery key also travels as the `X-Jalon-Delivery-Key` header; addresses,
 * subjects and bodies are never logged or put in errors. Failures are named: `EmailServiceUnavailableError`
 * (transient), `EmailRejectedError`, `EmailSendError`, `InvalidEmailAddressError`, `TemplateRenderError`.
 */
export class SesNotifier implements Notifier {
  private readonly client: SESv2Client;
  private readonly from: string;
  private readonly configurationSetName: string | undefined;

  constructor(config: SesNotifierConfig) {
    this.client = config.client;
    this.from = formatSender(config.from);
    this.configurationSetName = config.configurationSetName;
  }

  async send(message: OutgoingMessage): Promise<{ messageId: string }> {
    const to = checkRecipients(message.to);
    const replyTo = message.replyTo === undefined ? undefined : checkMailbox(message.replyTo, 'replyTo');
    const rendered = renderMessage(message);
    const context = {
      template: message.template,
      ...(message.caseId !== undefined ? { caseId: message.caseId } : {}),
    };

    const input: SendEmailCommandInput = {
      FromEmailAddress: this.from,
      Destination: { ToAddresses: to },
      ...(replyTo !== undefined ? { ReplyToAddresses: [replyTo] } : {}),
      Content: {
        Simple: {
          Subject: { Data: rendered.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: rendered.text, Charset: 'UTF-8' },
            Html: { Data: rendered.html, Charset: 'UTF-8' },
          },
          ...(message.deliveryKey !== undefined && TAG_VALUE.test(message.deliveryKey)
            ? { Headers: [{ Name: DELIVERY_KEY_HEADER, Value: message.deliveryKey }] }
            : {}),
        },
      },
      EmailTags: [
        { Name: 'template', Value: message.template },
        ...(message.caseId !== undefined && TAG_VALUE.test(message.caseId)
          ? [{ Name: 'caseId', Value: message.caseId }]
          : []),
        ...(message.deliveryKey !== undefined && TAG_VALUE.test(message.deliveryKey)
          ? [{ Name: 'deliveryKey', Value: message.deliveryKey }]
          : []),
      ],
      ...(this.configurationSetName !== undefined ? { ConfigurationSetName: this.configurationSetName } : {}),
    };

    let messageId: string | undefined;
    try {
      ({ MessageId: messageId } = await this.client.send(new SendEmailCommand(input)));
    } catch (error) {
      throw toEmailSendError(error, context);
    }
    if (messageId === undefined || messageId === '') {
      throw new EmailSendError('The mail service returned no message id.', {
        details: { operation: 'SendEmail', ...context },
      });
    }
    return { messageId };
  }
}
