import type { S3Event } from 'aws-lambda';

import { decodeS3Key, makeHandler } from '../../../functions/email-intake/handler';
import type { EmailIntakeHandlerDeps } from '../../../functions/email-intake/handler';
import { outcomeOf } from '../../../functions/email-intake/metrics';
import { InvalidS3EventError, RawMailNotFoundError } from '../../../shared/errors';
import type { EmailIntakeResult } from '../../../shared/domain/intake/email/receive-email';
import { SCT_EMAIL_ROUTING } from '../../../shared/domain/intake/email/routing';
import {
  InMemoryCaseLedger,
  InMemoryReferenceAllocator,
} from '../../../shared/domain/ledger/in-memory-ledger';
import { loadSctPolicy } from '../../../shared/domain/policy/sct';
import {
  InMemoryAttachmentStore,
  InMemoryHoldingPen,
  InMemoryRawMail,
  InMemoryReplyAddressBook,
  RecordingNotifier,
  RecordingWorkflow,
} from './fakes';
import { InMemoryRateCounter } from '../../../shared/domain/messaging/rate-counter';

const BUCKET = 'jalon-test-raw-mail';
const DOMAIN = 'intake.sct.example';

function record(key: string, overrides: { bucket?: string; eventName?: string } = {}) {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'ca-central-1',
    eventTime: '2026-03-03T14:12:05.000Z',
    eventName: overrides.eventName ?? 'ObjectCreated:Put',
    userIdentity: { principalId: 'AWS:ses' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': 'R', 'x-amz-id-2': 'R' },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'raw-mail',
      bucket: {
        name: overrides.bucket ?? BUCKET,
        ownerIdentity: { principalId: 'o' },
        arn: `arn:aws:s3:::${BUCKET}`,
      },
      object: { key, size: 1, eTag: '', sequencer: '0' },
    },
  };
}

function event(...records: ReturnType<typeof record>[]): S3Event {
  return { Records: records } as S3Event;
}

/** The intake queue's event: one message per S3 notification, its body the notification as S3 sends it. */
function queueEvent(...messages: { id: string; body: unknown }[]) {
  return {
    Records: messages.map(({ id, body }) => ({
      messageId: id,
      receiptHandle: `handle-${id}`,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      attributes: {},
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:ca-central-1:123456789012:jalon-test-email-intake',
      awsRegion: 'ca-central-1',
    })),
  };
}

function setup() {
  const rawMail = new InMemoryRawMail();
  const logs: { level: string; message: string; attributes: Record<string, unknown> }[] = [];
  const metrics: EmailIntakeResult[] = [];
  const log =
    (level: string) =>
    (message: string, ...extra: Record<string, unknown>[]) =>
      logs.push({ level, message, attributes: Object.assign({}, ...extra) });
  const ledger = new InMemoryCaseLedger();
  const deps: EmailIntakeHandlerDeps = {
    ledger,
    caseReferences: ledger,
    rateCounter: new InMemoryRateCounter(),
    references: new InMemoryReferenceAllocator(),
    workflow: new RecordingWorkflow(),
    clock: { now: () => new Date('2026-03-03T14:12:07.000Z') },
    policy: loadSctPolicy(),
    rawMail,
    attachments: new InMemoryAttachmentStore(),
    holdingPen: new InMemoryHoldingPen(),
    replyAddresses: new InMemoryReplyAddressBook({ mailbox: 'demandes', domain: DOMAIN }),
    notifier: new RecordingNotifier(),
    settings: { intakeDomain: DOMAIN, ownAddresses: [], routing: SCT_EMAIL_ROUTING },
    rawMailBucket: BUCKET,
    logger: { info: log('info'), warn: log('warn'), error: log('error') },
    metrics: { record: (result) => metrics.push(result) },
  };
  const put = (key: string, lines: string[]) =>
    rawMail.put(BUCKET, key, `${lines.join('\r\n')}\r\n\r\nBonjour, une question confidentielle.\r\n`);
  return { deps, rawMail, logs, metrics, put, handler: makeHandler(deps) };
}

const REQUEST = [
  'From: Marie Tremblay <marie@example.com>',
  `To: plaintes@${DOMAIN}`,
  'Subject: Plainte au sujet de mon dossier médical',
  'Message-ID: <h-1@example.com>',
];

describe('email-intake handler', () => {
  it('files each record of the event and logs ids and codes only, never addresses or subjects', async () => {
    const { handler, put, logs, metrics } = setup();
    put('inbound/a b é', REQUEST);
    put('inbound/auto', ['From: x@example.org', 'Auto-Submitted: auto-replied', 'Subject: Absent']);

    const summary = await handler(event(record('inbound/a+b+%C3%A9'), record('inbound/auto')));

    expect(summary.skipped).toBe(0);
    expect(summary.results.map((result) => [result.key, result.outcome])).toEqual([
      ['inbound/a b é', 'case'],
      ['inbound/auto', 'held'],
    ]);
    expect(metrics.map(outcomeOf)).toEqual(['case-created', 'held-auto-reply']);
    expect(logs.map((entry) => entry.attributes)).toEqual([
      expect.objectContaining({
        key: 'inbound/a b é',
        outcome: 'case',
        category: 'service-complaint',
        created: true,
      }),
      expect.objectContaining({ key: 'inbound/auto', outcome: 'held', kind: 'auto-reply' }),
    ]);
    const logged = JSON.stringify(logs);
    expect(logged).not.toContain('@');
    expect(logged).not.toContain('médical');
    expect(logged).not.toContain('Marie');
  });

  it('skips S3 test events and records that are not object creations', async () => {
    const { handler } = setup();

    expect(await handler({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: BUCKET })).toEqual({
      results: [],
      skipped: 1,
    });
    expect(await handler(event(record('inbound/x', { eventName: 'ObjectRemoved:Delete' })))).toEqual({
      results: [],
      skipped: 1,
    });
  });

  it('refuses an event of another bucket or of another shape', async () => {
    const { handler } = setup();

    await expect(handler(event(record('inbound/x', { bucket: 'somebody-else' })))).rejects.toBeInstanceOf(
      InvalidS3EventError,
    );
    await expect(handler({ Records: [{ eventSource: 'aws:sqs' }] })).rejects.toBeInstanceOf(
      InvalidS3EventError,
    );
    await expect(handler(event(record('inbound/%E0%A4%A')))).rejects.toBeInstanceOf(InvalidS3EventError);
  });

  it('attempts every record, then fails the invocation with the first infrastructure error', async () => {
    const { handler, put, logs, deps } = setup();
    put('inbound/present', REQUEST);

    const failing = handler(event(record('inbound/missing'), record('inbound/present')));

    await expect(failing).rejects.toBeInstanceOf(RawMailNotFoundError);
    expect(logs.find((entry) => entry.level === 'error')?.attributes).toEqual({
      key: 'inbound/missing',
      errorName: 'RawMailNotFoundError',
    });
    expect((deps.workflow as RecordingWorkflow).started).toHaveLength(1);
  });

  it('files the notifications the intake queue delivers and returns only the failed messages for redelivery', async () => {
    const { handler, put, logs, deps } = setup();
    put('inbound/present', REQUEST);
    put('inbound/auto', ['From: x@example.org', 'Auto-Submitted: auto-replied', 'Subject: Absent']);

    const summary = await handler(
      queueEvent(
        { id: 'm-1', body: event(record('inbound/present')) },
        { id: 'm-2', body: event(record('inbound/missing')) },
        { id: 'm-3', body: { Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: BUCKET } },
        { id: 'm-4', body: event(record('inbound/auto')) },
      ),
    );

    expect(summary.results.map((result) => [result.key, result.outcome])).toEqual([
      ['inbound/present', 'case'],
      ['inbound/auto', 'held'],
    ]);
    expect(summary.skipped).toBe(1);
    expect(summary.batchItemFailures).toEqual([{ itemIdentifier: 'm-2' }]);
    expect(logs.find((entry) => entry.level === 'error')?.attributes).toEqual({
      key: 'inbound/missing',
      errorName: 'RawMailNotFoundError',
    });
    expect((deps.workflow as RecordingWorkflow).started).toHaveLength(1);
  });

  it('sends a queue message that is not an event of the raw-mail bucket towards the dead-letter queue, alone', async () => {
    const { handler, put, logs } = setup();
    put('inbound/present', REQUEST);

    const summary = await handler(
      queueEvent(
        { id: 'not-json', body: '{"Records": [' },
        { id: 'other-bucket', body: event(record('inbound/x', { bucket: 'somebody-else' })) },
        { id: 'ok', body: event(record('inbound/present')) },
      ),
    );

    expect(summary.batchItemFailures).toEqual([
      { itemIdentifier: 'not-json' },
      { itemIdentifier: 'other-bucket' },
    ]);
    expect(summary.results.map((result) => result.key)).toEqual(['inbound/present']);
    expect(logs.filter((entry) => entry.level === 'error').map((entry) => entry.attributes)).toEqual([
      { messageId: 'not-json', errorName: 'InvalidS3EventError' },
      { messageId: 'other-bucket', errorName: 'InvalidS3EventError' },
    ]);
  });

  it('decodes S3 keys as S3 encodes them', () => {
    expect(decodeS3Key('inbound/Rapport+annuel%2B2025.eml')).toBe('inbound/Rapport annuel+2025.eml');
  });
});
