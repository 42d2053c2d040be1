import { S3RawMailReader } from '../../../shared/adapters/s3';
import { makeHandler } from '../../../functions/email-intake/handler';
import { EMAIL_INTAKE_MAX_RECEIVES } from '../../../functions/email-intake/queue';
import type { EmailIntakeHandlerDeps } from '../../../functions/email-intake/handler';
import { ActivityTracker } from '../../../infra/local/clock/activity-tracker';
import type { LocalConsole } from '../../../infra/local/console-log';
import { STORED_AT_METADATA_KEY, startSmtpIntake } from '../../../infra/local/smtp-intake';
import type { SmtpIntake } from '../../../infra/local/smtp-intake';
import { StoreUnavailableError } from '../../../shared/errors';
import type { RawMailLocation } from '../../../shared/domain/intake/email/ports';
import { SCT_EMAIL_ROUTING } from '../../../shared/domain/intake/email/routing';
import {
  InMemoryCaseLedger,
  InMemoryReferenceAllocator,
} from '../../../shared/domain/ledger/in-memory-ledger';
import { InMemoryRateCounter } from '../../../shared/domain/messaging/rate-counter';
import { loadSctPolicy } from '../../../shared/domain/policy/sct';
import { startS3rver } from '../../support/s3rver';
import type { LocalS3 } from '../../support/s3rver';
import { sendSmtp } from '../local-stack/support';
import {
  InMemoryAttachmentStore,
  InMemoryHoldingPen,
  InMemoryReplyAddressBook,
  RecordingNotifier,
  RecordingWorkflow,
} from '../../unit/email/fakes';

/*
 * The local SMTP intake delivers each stored message's S3 notification to email intake as the intake queue does
 * in AWS (an SQS event, the notification as the body), and delivers it again while the function reports it
 * failed, up to the queue's receive count. Real SMTP, s3rver and the real S3 reader; the raw-mail reader fails
 * on demand, as S3 does when it is unavailable.
 */

const DOMAIN = 'intake.sct.example';
let s3: LocalS3;
let smtp: SmtpIntake;
let failuresLeft = 0;
const workflow = new RecordingWorkflow();
const errors: { message: string; fields: Record<string, unknown> }[] = [];

const quietConsole: LocalConsole = {
  print: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (message, ...fields) => errors.push({ message, fields: Object.assign({}, ...fields) }),
};

beforeAll(async () => {
  s3 = await startS3rver('intake-queue');
  const reader = new S3RawMailReader({ client: s3.client, storedAtMetadataKey: STORED_AT_METADATA_KEY });
  const ledger = new InMemoryCaseLedger();
  const deps: EmailIntakeHandlerDeps = {
    ledger,
    caseReferences: ledger,
    rateCounter: new InMemoryRateCounter(),
    references: new InMemoryReferenceAllocator(),
    workflow,
    clock: { now: () => new Date() },
    policy: loadSctPolicy(),
    rawMail: {
      read: (location: RawMailLocation, options?: { readonly maxBytes?: number }) => {
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          return Promise.reject(new StoreUnavailableError({ operation: 'GetObject', bucket: 'raw-mail' }));
        }
        return reader.read(location, options);
      },
    },
    attachments: new InMemoryAttachmentStore(),
    holdingPen: new InMemoryHoldingPen(),
    replyAddresses: new InMemoryReplyAddressBook({ mailbox: 'demandes', domain: DOMAIN }),
    notifier: new RecordingNotifier(),
    settings: { intakeDomain: DOMAIN, ownAddresses: [], routing: SCT_EMAIL_ROUTING },
    rawMailBucket: s3.buckets.rawMail,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  };
  const handler = makeHandler(deps);
  smtp = await startSmtpIntake({
    port: 0,
    s3: s3.client,
    bucket: s3.buckets.rawMail,
    prefix: 'inbound/',
    activity: new ActivityTracker(),
    console: quietConsole,
    emailIntake: () => handler,
  });
}, 60_000);

afterAll(async () => {
  await smtp?.stop();
  await s3?.stop();
});

function message(id: string): string {
  return (
    `From: Léa Roy <lea.roy@example.com>\nTo: plaintes@${DOMAIN}\nSubject: Mon dossier\n` +
    `Message-ID: <${id}@example.com>\nDate: Fri, 18 Dec 2026 15:30:00 +0000\n\nBonjour.`
  );
}

describe('email intake through the intake queue on the local stack', () => {
  beforeEach(() => {
    errors.length = 0;
  });

  it('delivers a failed notification again until the message is filed, once', async () => {
    failuresLeft = EMAIL_INTAKE_MAX_RECEIVES - 1;
    const started = workflow.started.length;

    await sendSmtp(smtp.port, 'lea.roy@example.com', `plaintes@${DOMAIN}`, message('retried-1'));

    expect(failuresLeft).toBe(0);
    expect(workflow.started.length).toBe(started + 1);
    expect(errors.map((entry) => entry.fields['receive'])).toEqual(
      Array.from({ length: EMAIL_INTAKE_MAX_RECEIVES - 1 }, (_, i) => i + 1),
    );
  });

  it('gives up after the queue’s last receive, says where the message is, and keeps the raw mail', async () => {
    failuresLeft = EMAIL_INTAKE_MAX_RECEIVES;
    const started = workflow.started.length;

    const replies = await sendSmtp(smtp.port, 'lea.roy@example.com', `plaintes@${DOMAIN}`, message('lost-1'));

    expect(replies.some((reply) => reply.startsWith('250 Message accepted'))).toBe(true);
    expect(workflow.started.length).toBe(started);
    const last = errors[errors.length - 1]!;
    expect(last.message).toMatch(/dead-letter/);
    expect(last.fields).toEqual(expect.objectContaining({ receives: EMAIL_INTAKE_MAX_RECEIVES }));
    const key = String(last.fields['key']);
    const raw = await new S3RawMailReader({ client: s3.client }).read({ bucket: s3.buckets.rawMail, key });
    expect(raw.bytes.toString('utf8')).toContain('lost-1@example.com');
  });
});
