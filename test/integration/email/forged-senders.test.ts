import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';

import { makeHandler } from '../../../functions/email-intake/handler';
import { StaticStaffDirectory } from '../../../shared/adapters/config/static-directory';
import {
  DynamoDbCaseLedger,
  DynamoDbCaseReferenceLookup,
  DynamoDbHoldingPen,
  DynamoDbRateCounter,
  DynamoDbReferenceAllocator,
  DynamoDbReplyAddressBook,
} from '../../../shared/adapters/dynamodb';
import { S3AttachmentWriter, S3RawMailReader } from '../../../shared/adapters/s3';
import { SesNotifier } from '../../../shared/adapters/ses/ses-notifier';
import type { EmailIntakeResult } from '../../../shared/domain/intake/email/receive-email';
import { SCT_EMAIL_ROUTING } from '../../../shared/domain/intake/email/routing';
import type { LedgerEvent } from '../../../shared/domain/ledger/events';
import { loadSctPolicy } from '../../../shared/domain/policy/sct';
import { bundledCalendars } from '../../../shared/domain/time';
import { planDeadlines, routeAndNotify } from '../../../shared/domain/workflow/tasks';
import type { WorkflowDeps } from '../../../shared/domain/workflow/tasks';
import { startDynalite } from '../../support/dynalite';
import type { LocalDynamo } from '../../support/dynalite';
import { startS3rver } from '../../support/s3rver';
import type { LocalS3 } from '../../support/s3rver';
import { startSesEmulator } from '../../support/ses-emulator';
import type { SesEmulator, StoredEmail } from '../../support/ses-emulator';

/*
 * The attack of issue 9 on the email-intake path, with real parts: 40 emails with forged senders, stored as
 * SES stores them (its `Received:` stamp and `Authentication-Results: amazonses.com; …` on top), filed by the
 * email-intake handler on dynalite and s3rver, each case's first workflow steps (plan, route and notify) run
 * as the state machine runs them, and every message sent through the SES emulator.
 */

jest.setTimeout(180_000);

const INTAKE_DOMAIN = 'intake.sct.example';
const SENDER = 'no-reply@sct.example';
const SPAM_SUBJECT = 'BUY CHEAP PILLS http://pills.example/buy-now';
const SPAM_NAME = 'Cheap Pills Pharmacy';
const policy = loadSctPolicy();
const LIMITS = policy.automaticReplies!;

interface Forged {
  readonly from: string;
  readonly dmarc: 'pass' | 'fail' | 'none';
  /** A sender-written `Authentication-Results` under the server's, claiming a pass. */
  readonly forgedPass?: boolean;
}

/** 40 forged emails: 15 victims once each, one victim 8 times, a flood of 12, and 5 that fail DMARC. */
const CORPUS: readonly Forged[] = [
  ...Array.from({ length: 15 }, (_, i): Forged => ({ from: `victim-${i}@example.org`, dmarc: 'none' })),
  ...Array.from({ length: 8 }, (): Forged => ({ from: 'Target@Example.net', dmarc: 'none' })),
  ...Array.from({ length: 12 }, (): Forged => ({ from: 'flooded@example.com', dmarc: 'none' })),
  ...Array.from({ length: 4 }, (_, i): Forged => ({ from: `ceo-${i}@bank.example`, dmarc: 'fail' })),
  { from: 'ceo-4@bank.example', dmarc: 'fail', forgedPass: true },
];
const VICTIMS_ONCE = CORPUS.slice(0, 15).map((entry) => entry.from);
const DMARC_FAILED = CORPUS.slice(35).map((entry) => entry.from);

let dynamo: LocalDynamo;
let s3: LocalS3;
let ses: SesEmulator;
let ledger: DynamoDbCaseLedger;
let holdingPen: DynamoDbHoldingPen;
const results: { entry: Forged; result: EmailIntakeResult }[] = [];
let sent: StoredEmail[] = [];

function raw(entry: Forged, index: number, at: Date): Buffer {
  const date = at.toUTCString().replace(/GMT$/, '+0000');
  return Buffer.from(
    [
      'Received: from mx.spammer.example (mx.spammer.example [198.51.100.7])',
      ` by inbound-smtp.ca-central-1.amazonaws.com with SMTP id forged${index}`,
      ` for statistiques@${INTAKE_DOMAIN}; ${date}`,
      'X-SES-Spam-Verdict: PASS',
      'X-SES-Virus-Verdict: PASS',
      `Authentication-Results: amazonses.com; spf=${entry.dmarc === 'fail' ? 'fail' : 'none'}` +
        ` (spfCheck: domain does not designate 198.51.100.7) client-ip=198.51.100.7; dkim=none;` +
        ` dmarc=${entry.dmarc} header.from=${entry.from.split('@')[1]}`,
      ...(entry.forgedPass ? ['Authentication-Results: amazonses.com; spf=pass; dkim=pass; dmarc=pass'] : []),
      `From: ${SPAM_NAME} <${entry.from}>`,
      `To: statistiques@${INTAKE_DOMAIN}`,
      `Subject: ${SPAM_SUBJECT}`,
      `Message-ID: <forged-${index}@spammer.example>`,
      `Date: ${date}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Cheapest pills online, visit http://pills.example/buy-now today!',
      '',
    ].join('\r\n'),
  );
}

function s3Event(bucket: string, key: string): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'ca-central-1',
        eventTime: new Date().toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:ses' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': 'TEST', 'x-amz-id-2': 'TEST' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'raw-mail',
          bucket: { name: bucket, ownerIdentity: { principalId: 'local' }, arn: `arn:aws:s3:::${bucket}` },
          object: { key, size: 0, eTag: '', sequencer: '0' },
        },
      },
    ],
  };
}

function casesFrom(address: string): string[] {
  return results.flatMap(({ entry, result }) =>
    entry.from === address && result.outcome === 'case' ? [result.caseId] : [],
  );
}

function withheld(events: readonly LedgerEvent[]) {
  return events.flatMap((event) => (event.type === 'receipt.withheld' ? [event.data] : []));
}

function receiptsTo(address: string): StoredEmail[] {
  return sent.filter((email) =>
    email.destination.to.some((to) => to.toLowerCase() === address.toLowerCase()),
  );
}

beforeAll(async () => {
  [dynamo, s3, ses] = await Promise.all([startDynalite('forged'), startS3rver('forged'), startSesEmulator()]);
  const clock = { now: () => new Date() };
  ledger = new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables });
  holdingPen = new DynamoDbHoldingPen({ client: dynamo.client, tables: dynamo.tables });
  const replyAddresses = new DynamoDbReplyAddressBook({
    client: dynamo.client,
    tables: dynamo.tables,
    format: { mailbox: SCT_EMAIL_ROUTING.replyMailbox, domain: INTAKE_DOMAIN },
  });
  const rateCounter = new DynamoDbRateCounter({ client: dynamo.client, tables: dynamo.tables });
  const notifier = new SesNotifier({ client: ses.createClient(), from: SENDER });
  const directory: Record<string, string[]> = {};
  for (const category of policy.categories)
    for (const group of [
      category.routing.assigneeGroup,
      category.routing.supervisor,
      category.routing.director,
    ])
      directory[group] = [`${group}@sct.example`];
  directory['complaints-officer'] = ['complaints-officer@sct.example'];
  const workflowDeps: WorkflowDeps = {
    ledger,
    notifier,
    replyAddresses,
    directory: new StaticStaffDirectory(directory),
    clock,
    policy,
    calendars: bundledCalendars(),
    caseUrl: (caseId) => `http://127.0.0.1:3000/staff/cases/${caseId}`,
    rateCounter,
  };
  const handler = makeHandler({
    ledger,
    caseReferences: new DynamoDbCaseReferenceLookup({ client: dynamo.client, tables: dynamo.tables }),
    references: new DynamoDbReferenceAllocator({ client: dynamo.client, tables: dynamo.tables }),
    // The state machine's first two steps, run as soon as the case is registered.
    workflow: {
      start: async ({ caseId }) => {
        await planDeadlines(workflowDeps, caseId);
        await routeAndNotify(workflowDeps, caseId);
      },
    },
    clock,
    policy,
    rawMail: new S3RawMailReader({ client: s3.client }),
    attachments: new S3AttachmentWriter({ client: s3.client, bucket: s3.buckets.attachments }),
    holdingPen,
    replyAddresses,
    notifier,
    rateCounter,
    settings: { intakeDomain: INTAKE_DOMAIN, ownAddresses: [SENDER], routing: SCT_EMAIL_ROUTING },
    rawMailBucket: s3.buckets.rawMail,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });

  // Delivered 8 at a time, as SES and Lambda would run them: the counters must hold under concurrency.
  const at = new Date(Math.floor(Date.now() / 1000) * 1000);
  const indexed = CORPUS.map((entry, index) => ({ entry, index }));
  for (let start = 0; start < indexed.length; start += 8) {
    await Promise.all(
      indexed.slice(start, start + 8).map(async ({ entry, index }) => {
        const key = `inbound/forged-${index}`;
        await s3.client.send(
          new PutObjectCommand({ Bucket: s3.buckets.rawMail, Key: key, Body: raw(entry, index, at) }),
        );
        const summary = await handler(s3Event(s3.buckets.rawMail, key));
        const [result] = summary.results;
        if (result === undefined) throw new Error(`forged-${index}: no result`);
        results.push({ entry, result });
      }),
    );
  }
  sent = await ses.readStore();
});

afterAll(async () => {
  await Promise.all([dynamo?.stop(), s3?.stop(), ses?.stop()]);
});

describe('40 emails with forged senders', () => {
  it('no automatic message repeats what the sender wrote (subject, name, text)', () => {
    const toRequesters = sent.filter(
      (email) => !email.destination.to.every((to) => to.endsWith('@sct.example')),
    );
    expect(toRequesters.length).toBeGreaterThan(0);
    for (const email of sent) {
      const everything = `${email.subject}\n${email.body.text ?? ''}\n${email.body.html ?? ''}`;
      expect(everything).not.toMatch(/PILLS|pills\.example|Cheap Pills/i);
    }
  });

  it('each victim named once gets one receipt, naming only the reference', () => {
    for (const victim of VICTIMS_ONCE) {
      const receipts = receiptsTo(victim);
      expect(receipts).toHaveLength(1);
      expect(receipts[0]?.subject).toMatch(/^Réception de votre demande – SCT-\d{4}-\d{6}$/);
    }
  });

  it(`caps automatic receipts at ${LIMITS.receiptsPerAddressPerDay} per address and day, and says why on the other cases`, async () => {
    const cases = casesFrom('Target@Example.net');
    expect(cases).toHaveLength(8);
    expect(receiptsTo('target@example.net')).toHaveLength(LIMITS.receiptsPerAddressPerDay);
    const reasons = await Promise.all(cases.map(async (caseId) => withheld(await ledger.read(caseId))));
    expect(reasons.filter((list) => list.length === 0)).toHaveLength(LIMITS.receiptsPerAddressPerDay);
    expect(reasons.flat()).toEqual(
      Array.from({ length: 8 - LIMITS.receiptsPerAddressPerDay }, () => ({
        reason: 'daily-limit',
        limit: LIMITS.receiptsPerAddressPerDay,
      })),
    );
  });

  it('mail failing DMARC becomes a case with its verdicts recorded, and gets no automatic reply', async () => {
    for (const address of DMARC_FAILED) {
      expect(receiptsTo(address)).toEqual([]);
      const [caseId] = casesFrom(address);
      expect(caseId).toBeDefined();
      const events = await ledger.read(caseId!);
      const received = events.find((event) => event.type === 'case.received');
      expect(received?.type === 'case.received' && received.data.senderAuthentication).toEqual({
        spf: 'fail',
        dkim: 'none',
        dmarc: 'fail',
      });
      expect(withheld(events)).toEqual([{ reason: 'sender-unauthenticated' }]);
    }
  });

  it(`holds a flood (over ${LIMITS.flood.messages} mails from one sender in ${LIMITS.flood.windowMinutes} min) for triage, without receipts`, async () => {
    const fromFlood = results.filter(({ entry }) => entry.from === 'flooded@example.com');
    const held = fromFlood.filter(({ result }) => result.outcome === 'held');
    expect(held).toHaveLength(12 - LIMITS.flood.messages);
    for (const { result } of held) expect(result).toMatchObject({ outcome: 'held', kind: 'flood' });
    const items = await holdingPen.list({ status: 'open', kind: 'flood' });
    expect(items.items).toHaveLength(12 - LIMITS.flood.messages);
    expect(items.items[0]).toMatchObject({ detail: 'sender-flood', fromDomain: 'example.com' });
    expect(receiptsTo('flooded@example.com').length).toBeLessThanOrEqual(LIMITS.receiptsPerAddressPerDay);
  });

  it('registers every message that is not a flood, none lost', () => {
    expect(results).toHaveLength(40);
    expect(results.filter(({ result }) => result.outcome === 'case')).toHaveLength(
      40 - (12 - LIMITS.flood.messages),
    );
  });
});
