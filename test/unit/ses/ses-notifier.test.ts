import 'aws-sdk-client-mock-jest';

import {
  AccountSuspendedException,
  InternalServiceErrorException,
  LimitExceededException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  SESv2Client,
  SendEmailCommand,
  SendingPausedException,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';

import {
  EmailRejectedError,
  EmailSendError,
  EmailServiceUnavailableError,
  InvalidEmailAddressError,
  SesNotifier,
  formatSender,
} from '../../../shared/adapters/ses';
import type { OutgoingMessage } from '../../../shared/domain/messaging/ports';
import { SystemError, TransientError } from '../../../shared/errors';
import { MissingTemplateValueError, renderTemplate } from '../../../shared/templates';
import { SAMPLE_VALUES } from '../templates/sample-values';

const ses = mockClient(SESv2Client);
const client = new SESv2Client({
  region: 'ca-central-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
});
const FROM = 'ne-pas-repondre@sct.gouv.qc.ca';
const CASE_ID = '0b8f5c1e-4d0a-4c55-9d43-3f0b2a7f6e11';
const REQUESTER = 'marie.tremblay@example.com';
const REPLY_TO = 'dossier+0b8f5c1e@reponses.sct.gouv.qc.ca';

const acknowledgement: OutgoingMessage = {
  template: 'acknowledgement',
  language: 'fr',
  to: [REQUESTER],
  replyTo: REPLY_TO,
  values: SAMPLE_VALUES.acknowledgement,
  caseId: CASE_ID,
};

beforeEach(() => {
  ses.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-message-1' });
});

describe('SesNotifier.send', () => {
  it('sends the rendered template as UTF-8 text and HTML, with reply-to, tags and configuration set', async () => {
    const notifier = new SesNotifier({ client, from: FROM, configurationSetName: 'jalon-test' });
    const rendered = renderTemplate('acknowledgement', 'fr', SAMPLE_VALUES.acknowledgement);

    const result = await notifier.send(acknowledgement);

    expect(result).toEqual({ messageId: 'ses-message-1' });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input).toEqual({
      FromEmailAddress: FROM,
      Destination: { ToAddresses: [REQUESTER] },
      ReplyToAddresses: [REPLY_TO],
      Content: {
        Simple: {
          Subject: { Data: rendered.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: rendered.text, Charset: 'UTF-8' },
            Html: { Data: rendered.html, Charset: 'UTF-8' },
          },
        },
      },
      EmailTags: [
        { Name: 'template', Value: 'acknowledgement' },
        { Name: 'caseId', Value: CASE_ID },
      ],
      ConfigurationSetName: 'jalon-test',
    });
  });

  it('carries the delivery key as a header and a tag, the same on every attempt', async () => {
    const notifier = new SesNotifier({ client, from: FROM });
    const deliveryKey = 'a'.repeat(64);

    await notifier.send({ ...acknowledgement, deliveryKey });
    await notifier.send({ ...acknowledgement, deliveryKey });

    for (const call of ses.commandCalls(SendEmailCommand)) {
      expect(call.args[0].input.Content?.Simple?.Headers).toEqual([
        { Name: 'X-Jalon-Delivery-Key', Value: deliveryKey },
      ]);
      expect(call.args[0].input.EmailTags).toContainEqual({ Name: 'deliveryKey', Value: deliveryKey });
    }
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 2);
  });

  it('renders in the message language', async () => {
    const notifier = new SesNotifier({ client, from: FROM });

    await notifier.send({ ...acknowledgement, language: 'en' });

    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input?.Content?.Simple?.Subject?.Data).toBe('Acknowledgement of your request – SCT-2026-000123');
    expect(input?.Content?.Simple?.Body?.Html?.Data).toContain('<html lang="en">');
  });

  it('leaves out reply-to, configuration set and an unsafe case tag when there are none', async () => {
    const notifier = new SesNotifier({ client, from: FROM });

    await notifier.send({
      template: 'ops-alert',
      language: 'fr',
      to: ['exploitation@sct.gouv.qc.ca', 'releve@sct.gouv.qc.ca'],
      values: SAMPLE_VALUES['ops-alert'],
      caseId: 'not a tag value',
    });

    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input).not.toHaveProperty('ReplyToAddresses');
    expect(input).not.toHaveProperty('ConfigurationSetName');
    expect(input?.Destination).toEqual({
      ToAddresses: ['exploitation@sct.gouv.qc.ca', 'releve@sct.gouv.qc.ca'],
    });
    expect(input?.EmailTags).toEqual([{ Name: 'template', Value: 'ops-alert' }]);
  });

  it('encodes an accented sender display name for the header', async () => {
    const notifier = new SesNotifier({ client, from: `Secrétariat du Conseil du trésor <${FROM}>` });

    await notifier.send(acknowledgement);

    const from = ses.commandCalls(SendEmailCommand)[0]?.args[0].input.FromEmailAddress;
    expect(from).toBe(
      `=?UTF-8?B?${Buffer.from('Secrétariat du Conseil du trésor').toString('base64')}?= <${FROM}>`,
    );
  });

  it.each([
    ['a line break (header injection)', `${REQUESTER}\r\nBcc: intrus@example.com`],
    ['no domain dot', 'marie@localhost'],
    ['two addresses in one', 'a@example.com, b@example.com'],
    ['a display name', `Marie <${REQUESTER}>`],
    ['an empty string', ''],
  ])('refuses a recipient with %s before sending', async (_problem, address) => {
    const notifier = new SesNotifier({ client, from: FROM });

    const sending = notifier.send({ ...acknowledgement, to: [address] });

    await expect(sending).rejects.toThrow(InvalidEmailAddressError);
    await expect(sending).rejects.toMatchObject({ transient: false, details: { field: 'to', index: 0 } });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 0);
  });

  it.each(['"marie tremblay"@example.com', 'bounce+marie=example.org@example.com'])(
    'sends to %s, an address RFC 5322 allows and intake accepts',
    async (address) => {
      ses.on(SendEmailCommand).resolves({ MessageId: 'ses-quoted' });
      const notifier = new SesNotifier({ client, from: FROM });

      await notifier.send({ ...acknowledgement, to: [address] });

      expect(ses).toHaveReceivedCommandWith(SendEmailCommand, { Destination: { ToAddresses: [address] } });
    },
  );

  it('refuses a message with no recipient, or a reply-to with a line break', async () => {
    const notifier = new SesNotifier({ client, from: FROM });

    await expect(notifier.send({ ...acknowledgement, to: [] })).rejects.toThrow(InvalidEmailAddressError);
    await expect(
      notifier.send({ ...acknowledgement, replyTo: `${REPLY_TO}\nBcc: x@example.com` }),
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'InvalidEmailAddressError',
        details: expect.objectContaining({ field: 'replyTo' }),
      }),
    );
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 0);
  });

  it('refuses an unusable sender when it is constructed', () => {
    expect(() => new SesNotifier({ client, from: 'Jalon <nobody>' })).toThrow(InvalidEmailAddressError);
    expect(() => new SesNotifier({ client, from: `Jalon\r\n<${FROM}>` })).toThrow(InvalidEmailAddressError);
    expect(formatSender(`Jalon <${FROM}>`)).toBe(`Jalon <${FROM}>`);
  });

  it('does not send when the template cannot be rendered', async () => {
    const notifier = new SesNotifier({ client, from: FROM });
    const values: Partial<typeof SAMPLE_VALUES.acknowledgement> = { ...SAMPLE_VALUES.acknowledgement };
    delete values.contact;

    await expect(
      notifier.send({ ...acknowledgement, values: values as typeof SAMPLE_VALUES.acknowledgement }),
    ).rejects.toThrow(MissingTemplateValueError);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 0);
  });

  it('fails with a named error when SES returns no message id', async () => {
    ses.on(SendEmailCommand).resolves({});
    const notifier = new SesNotifier({ client, from: FROM });

    await expect(notifier.send(acknowledgement)).rejects.toMatchObject({
      name: 'EmailSendError',
      transient: false,
    });
  });
});

describe('SES error mapping', () => {
  const meta = (httpStatusCode: number) => ({ httpStatusCode, requestId: 'req-1' });
  const leaky = `Email address is not verified: ${REQUESTER}`;

  it.each([
    ['throttling', new TooManyRequestsException({ message: leaky, $metadata: meta(429) })],
    ['a sending quota', new LimitExceededException({ message: leaky, $metadata: meta(400) })],
    ['a service fault', new InternalServiceErrorException({ message: leaky, $metadata: meta(500) })],
    [
      'an unmodelled 503',
      Object.assign(new Error(leaky), { name: 'ServiceUnavailable', $fault: 'server', $metadata: meta(503) }),
    ],
    ['a reset connection', Object.assign(new Error(leaky), { code: 'ECONNRESET' })],
    [
      'a refused connection wrapped by the SDK',
      Object.assign(new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:8005'), {
        $metadata: { attempts: 1 },
      }),
    ],
  ])('maps %s to a transient EmailServiceUnavailableError', async (_case, error) => {
    ses.on(SendEmailCommand).rejects(error);
    const notifier = new SesNotifier({ client, from: FROM });

    const sending = notifier.send(acknowledgement);

    await expect(sending).rejects.toThrow(EmailServiceUnavailableError);
    await expect(sending).rejects.toThrow(TransientError);
    await expect(sending).rejects.toMatchObject({
      name: 'EmailServiceUnavailableError',
      code: 'EMAIL_SERVICE_UNAVAILABLE',
      transient: true,
      details: { operation: 'SendEmail', template: 'acknowledgement', caseId: CASE_ID },
    });
  });

  it.each([
    ['MessageRejected', new MessageRejected({ message: leaky, $metadata: meta(400) })],
    [
      'MailFromDomainNotVerifiedException',
      new MailFromDomainNotVerifiedException({ message: leaky, $metadata: meta(400) }),
    ],
  ])('maps %s to a non-transient EmailRejectedError', async (errorName, error) => {
    ses.on(SendEmailCommand).rejects(error);
    const notifier = new SesNotifier({ client, from: FROM });

    const sending = notifier.send(acknowledgement);

    await expect(sending).rejects.toThrow(EmailRejectedError);
    await expect(sending).rejects.toMatchObject({
      name: 'EmailRejectedError',
      transient: false,
      details: { errorName, httpStatusCode: 400, requestId: 'req-1' },
    });
  });

  it.each([
    ['SendingPausedException', new SendingPausedException({ message: leaky, $metadata: meta(400) })],
    ['AccountSuspendedException', new AccountSuspendedException({ message: leaky, $metadata: meta(400) })],
    ['Error', new Error('a credentials or serialization failure, not a network one')],
  ])('maps %s to a non-transient EmailSendError that needs a person', async (errorName, error) => {
    ses.on(SendEmailCommand).rejects(error);
    const notifier = new SesNotifier({ client, from: FROM });

    const sending = notifier.send(acknowledgement);

    await expect(sending).rejects.toMatchObject({
      name: 'EmailSendError',
      transient: false,
      details: { errorName },
    });
  });

  it('keeps addresses and service messages out of the error', async () => {
    ses.on(SendEmailCommand).rejects(new MessageRejected({ message: leaky, $metadata: meta(400) }));
    const notifier = new SesNotifier({ client, from: FROM });

    const error: unknown = await notifier.send(acknowledgement).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SystemError);
    expect(error).toBeInstanceOf(EmailSendError);
    const exposed = JSON.stringify({ ...(error as EmailSendError), message: (error as Error).message });
    expect(exposed).not.toContain(REQUESTER);
    expect(exposed).not.toContain(REPLY_TO);
    expect(exposed).not.toContain('Tremblay');
  });
});
