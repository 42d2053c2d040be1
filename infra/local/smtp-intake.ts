import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';

import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Event, SQSEvent } from 'aws-lambda';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerDataStream, SMTPServerSession } from 'smtp-server';

import { EMAIL_INTAKE_MAX_RECEIVES } from '../../functions/email-intake/queue';
import type { EmailIntakeHandler } from '../../functions/email-intake/handler';
import { authenticationResultsField } from '../../shared/domain/intake/email/authentication';
import type { SenderAuthentication } from '../../shared/domain/intake/email/authentication';
import type { ActivityTracker } from './clock/activity-tracker';
import type { LocalConsole } from './console-log';
import { LOCAL_REGION } from './emulators';
import { withRealTimers } from './real-timers';

/**
 * User metadata on each stored message: the instant the SMTP intake accepted it, on the stack's clock (virtual
 * or real). s3rver dates objects by the file system's clock, so the email-intake reader takes the object time
 * from here locally (`S3RawMailReaderConfig.storedAtMetadataKey`).
 */
export const STORED_AT_METADATA_KEY = 'jalon-stored-at';

/**
 * The authentication service id the local SMTP intake writes in its `Authentication-Results` field (SES
 * writes `amazonses.com`): email intake trusts the topmost field only when it carries this id.
 */
export const LOCAL_AUTHSERV_ID = 'jalon.local';

/** What the local intake knows of a message when it decides the sender checks' verdicts. */
export interface LocalMailEnvelope {
  /** The SMTP `MAIL FROM` address (empty for a null return path). */
  readonly mailFrom: string;
  readonly rcptTo: readonly string[];
  readonly remoteAddress: string;
  /** The message as the client sent it (header fields and body). */
  readonly message: Buffer;
}

/**
 * The SPF, DKIM and DMARC verdicts the local intake reports for a message, as SES would. It checks nothing
 * itself (no DNS on a laptop): by default every message gets `none` (no policy found); tests forge `pass`
 * or `fail` through the local stack's `mailAuthentication` option.
 */
export type LocalMailAuthenticator = (envelope: LocalMailEnvelope) => SenderAuthentication;

/** The default: nothing was checked, nothing failed. */
export const NO_MAIL_AUTHENTICATION: LocalMailAuthenticator = () => ({
  spf: 'none',
  dkim: 'none',
  dmarc: 'none',
});

/** SES accepts messages up to 40 MB (receipt rules). */
const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;

export interface SmtpIntakeOptions {
  readonly port: number;
  readonly s3: S3Client;
  readonly bucket: string;
  /** Key prefix of raw messages, like the receipt rule's S3 action prefix. */
  readonly prefix: string;
  readonly activity: ActivityTracker;
  readonly console: LocalConsole;
  /**
   * The email-intake function, given the S3 event its raw message produced as the intake queue delivers it;
   * `undefined` while the stack is still starting (the sender is then told to try again).
   */
  readonly emailIntake: () => EmailIntakeHandler | undefined;
  /** The sender checks' verdicts to write on each message; `NO_MAIL_AUTHENTICATION` by default. */
  readonly authenticate?: LocalMailAuthenticator;
}

export interface SmtpIntake {
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * smtp-server greets a client 100 ms after it connects (to catch clients that talk too soon), with a
 * `setTimeout` armed inside `connect`. Under the virtual clock that timer would wait for virtual time to move,
 * so the greeting would never come: connections are set up with the real timers.
 */
class LocalSmtpServer extends SMTPServer {
  override connect(...args: Parameters<SMTPServer['connect']>): void {
    withRealTimers(() => super.connect(...args));
  }
}

/** An SMTP reply code travels on the error smtp-server is given. */
function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

/**
 * The local stand-in for SES inbound mail: an SMTP server on 127.0.0.1 that accepts any recipient, prepends a
 * `Received:` trace header carrying the receipt instant (the stack's clock, so virtual under
 * `--virtual-clock`), stores the raw message in the evidence bucket (s3rver), then invokes the email-intake
 * function with the S3 event that object would raise in AWS.
 *
 * The message is accepted (250) only once it is stored, so a failed store is a 451 the sender retries and no
 * mail is lost. A failing email-intake function does not refuse the mail either: as Lambda does with an
 * asynchronous invocation, it is tried twice more (at once here), and each failure is logged with the key. Each DATA is tracked activity, so the
 * virtual clock waits for it.
 */
export async function startSmtpIntake(options: SmtpIntakeOptions): Promise<SmtpIntake> {
  const server = new LocalSmtpServer({
    banner: 'Jalon local SMTP intake',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    size: MAX_MESSAGE_BYTES,
    closeTimeout: 1000,
    onRcptTo(_address, _session, callback) {
      callback();
    },
    onData(stream, session, callback) {
      const end = options.activity.begin('smtp DATA');
      receive(options, stream, session)
        .then(
          (id) => callback(null, `Message accepted as ${id}`),
          (error: Error) => callback(error),
        )
        .finally(end)
        .catch(() => undefined);
    },
  });
  server.on('error', (error: Error) => options.console.error('smtp server error', { errorName: error.name }));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function receive(
  options: SmtpIntakeOptions,
  stream: SMTPServerDataStream,
  session: SMTPServerSession,
): Promise<string> {
  const body = await readAll(stream);
  if (stream.sizeExceeded) throw smtpError('Message exceeds the 40 MB limit', 552);
  const handler = options.emailIntake();
  if (handler === undefined) throw smtpError('Jalon is starting, try again in a moment', 451);
  const receivedAt = new Date();
  const id = randomBytes(16).toString('hex');
  const verdicts = (options.authenticate ?? NO_MAIL_AUTHENTICATION)({
    mailFrom: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
    rcptTo: session.envelope.rcptTo.map((recipient) => recipient.address),
    remoteAddress: session.remoteAddress,
    message: body,
  });
  // As SES does: the trace header, then the verdicts, above everything the sender wrote.
  const raw = Buffer.concat([
    Buffer.from(receivedHeader(session, id, receivedAt)),
    Buffer.from(`${authenticationResultsField(LOCAL_AUTHSERV_ID, verdicts)}\r\n`),
    body,
  ]);
  const key = `${options.prefix}${id}`;
  try {
    await options.s3.send(
      new PutObjectCommand({
        Bucket: options.bucket,
        Key: key,
        Body: raw,
        ContentType: 'message/rfc822',
        Metadata: { [STORED_AT_METADATA_KEY]: receivedAt.toISOString() },
      }),
    );
  } catch (error) {
    options.console.error('inbound mail not stored', { key, errorName: (error as Error).name });
    throw smtpError('Temporary failure storing the message, try again later', 451);
  }
  // As the intake queue does: the notification is one message, delivered again while the function reports it
  // failed, up to the queue's receive count (then, in AWS, the dead-letter queue; here the console says so).
  const event = queueEvent(s3Event(options.bucket, key, raw.length, receivedAt), id, receivedAt);
  for (let receive = 1; receive <= EMAIL_INTAKE_MAX_RECEIVES; receive += 1) {
    try {
      const summary = await handler(event);
      if ((summary.batchItemFailures ?? []).length === 0) return id;
      options.console.error('email intake failed; the raw message is kept', { key, receive });
    } catch (error) {
      options.console.error('email intake failed; the raw message is kept', {
        key,
        receive,
        errorName: (error as Error).name,
      });
    }
  }
  options.console.error(
    'email intake gave up: in AWS this notification would now be in the dead-letter queue; the raw message is kept',
    { key, receives: EMAIL_INTAKE_MAX_RECEIVES },
  );
  return id;
}
function readAll(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/** An RFC 5321 trace header, as SES adds one: who connected, the message id, the first recipient, when. */
function receivedHeader(session: SMTPServerSession, id: string, at: Date): string {
  const client = session.clientHostname || 'unknown';
  const recipient = session.envelope.rcptTo[0]?.address;
  const date = at.toUTCString().replace(/GMT$/, '+0000');
  return (
    `Received: from ${client} (${session.remoteAddress})\r\n` +
    `\tby jalon.local (Jalon local SMTP intake) with ESMTP id ${id}` +
    `${recipient !== undefined ? `\r\n\tfor <${recipient}>` : ''};\r\n\t${date}\r\n`
  );
}

/** The intake queue's event for one S3 notification (SQS delivers it as the message body). */
export function queueEvent(notification: S3Event, messageId: string, at: Date): SQSEvent {
  return {
    Records: [
      {
        messageId,
        receiptHandle: messageId,
        body: JSON.stringify(notification),
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(at.getTime()),
          SenderId: 's3.amazonaws.com',
          ApproximateFirstReceiveTimestamp: String(at.getTime()),
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:${LOCAL_REGION}:000000000000:jalon-local-email-intake`,
        awsRegion: LOCAL_REGION,
      },
    ],
  };
}

/** The event S3 sends for a new object (one record). */
export function s3Event(bucket: string, key: string, size: number, at: Date): S3Event {
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: LOCAL_REGION,
        eventTime: at.toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:local-ses' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': requestId, 'x-amz-id-2': requestId },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'jalon-local-inbound-mail',
          bucket: { name: bucket, ownerIdentity: { principalId: 'local' }, arn: `arn:aws:s3:::${bucket}` },
          // Keys arrive URL-encoded in S3 events (spaces as `+`).
          object: {
            key: encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+'),
            size,
            eTag: '',
            sequencer: at.getTime().toString(16).toUpperCase(),
          },
        },
      },
    ],
  };
}
