import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';

import { makeHandler } from '../../../functions/email-intake/handler';
import type { EmailIntakeSummary } from '../../../functions/email-intake/handler';
import {
  DynamoDbCaseLedger,
  DynamoDbCaseReferenceLookup,
  DynamoDbHoldingPen,
  DynamoDbRateCounter,
  DynamoDbReferenceAllocator,
  DynamoDbReplyAddressBook,
} from '../../../shared/adapters/dynamodb';
import { S3AttachmentWriter, S3RawMailReader } from '../../../shared/adapters/s3';
import { SCT_EMAIL_ROUTING } from '../../../shared/domain/intake/email/routing';
import type { EmailIntakeResult } from '../../../shared/domain/intake/email/receive-email';
import type { HoldingItem } from '../../../shared/domain/intake/email/holding-pen';
import { loadSctPolicy } from '../../../shared/domain/policy/sct';
import { CORPUS, INTAKE_DOMAIN, SENDER_ADDRESS } from '../../fixtures/email/manifest';
import type { CorpusEntry } from '../../fixtures/email/manifest';
import { startDynalite } from '../../support/dynalite';
import type { LocalDynamo } from '../../support/dynalite';
import { startS3rver } from '../../support/s3rver';
import type { LocalS3 } from '../../support/s3rver';
import { RecordingNotifier, RecordingWorkflow } from '../../unit/email/fakes';

jest.setTimeout(180_000);

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'email');
const RAW_PREFIX = 'inbound/';

let dynamo: LocalDynamo;
let s3: LocalS3;
let notifier: RecordingNotifier;
let workflow: RecordingWorkflow;
let handler: ReturnType<typeof makeHandler>;
let ledger: DynamoDbCaseLedger;
let holdingPen: DynamoDbHoldingPen;
let replyAddresses: DynamoDbReplyAddressBook;

/** What the harness stored and what the handler answered, per corpus file. */
const stored = new Map<string, { key: string; sha256: string; stampedAt?: string }>();
const results = new Map<string, EmailIntakeResult>();

function keyOf(file: string): string {
  return `${RAW_PREFIX}${file.replace(/\.eml$/, '')}`;
}

function s3Event(bucket: string, keys: readonly string[]): S3Event {
  return {
    Records: keys.map((key) => ({
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
        object: { key: encodeURIComponent(key).replace(/%2F/g, '/'), size: 0, eTag: '', sequencer: '0' },
      },
    })),
  };
}

function filler(bytes: number): string {
  const data = Buffer.alloc(bytes, 'Jalon corpus filler data; ');
  return (data.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n');
}

/** The receiving server's stamp, as SES prepends it (second precision, like every Date header). */
function serverStamp(at: Date, envelopeTo: string | undefined): string {
  const date = at.toUTCString().replace(/GMT$/, '+0000');
  return (
    'Received: from mail.example.net (mail.example.net [192.0.2.25])\r\n' +
    ' by inbound-smtp.ca-central-1.amazonaws.com with SMTP id test' +
    `${envelopeTo !== undefined ? `\r\n for ${envelopeTo}` : ''};\r\n ${date}\r\n`
  );
}

async function tokenOf(file: string): Promise<string> {
  const result = results.get(file);
  if (result?.outcome !== 'case') throw new Error(`${file} made no case`);
  const address = await replyAddresses.find(result.caseId);
  if (address === undefined) throw new Error(`${file}: its case has no reply address`);
  return address.token;
}

async function prepare(entry: CorpusEntry): Promise<Buffer> {
  let text = readFileSync(path.join(FIXTURES, entry.file)).toString('latin1');
  for (const match of [...text.matchAll(/\{\{(token):([^}]+)\}\}/gi)]) {
    const token = await tokenOf(match[2] ?? '');
    text = text.replace(match[0], match[1] === 'TOKEN' ? token.toUpperCase() : token);
  }
  text = text.replace(/\{\{base64:(\d+)\}\}/g, (_whole, bytes: string) => filler(Number(bytes)));
  return Buffer.from(text, 'latin1');
}

async function deliver(entry: CorpusEntry): Promise<EmailIntakeSummary> {
  const key = keyOf(entry.file);
  const message = await prepare(entry);
  const at = new Date(Math.floor(Date.now() / 1000) * 1000);
  const raw =
    entry.serverStamp === false
      ? message
      : Buffer.concat([Buffer.from(serverStamp(at, entry.envelopeTo), 'latin1'), message]);
  await s3.client.send(
    new PutObjectCommand({ Bucket: s3.buckets.rawMail, Key: key, Body: raw, ContentType: 'message/rfc822' }),
  );
  stored.set(entry.file, {
    key,
    sha256: createHash('sha256').update(raw).digest('hex'),
    ...(entry.serverStamp === false ? {} : { stampedAt: at.toISOString() }),
  });
  return handler(s3Event(s3.buckets.rawMail, [key]));
}

async function holdingItems(): Promise<HoldingItem[]> {
  const items: HoldingItem[] = [];
  for (const status of ['open', 'recorded', 'resolved'] as const) {
    let cursor: string | undefined;
    do {
      const page = await holdingPen.listByStatus(status, { limit: 7, ...(cursor ? { cursor } : {}) });
      items.push(...page.items);
      cursor = page.cursor;
    } while (cursor !== undefined);
  }
  return items;
}

async function ledgerSizes(caseIds: Iterable<string>): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for (const caseId of caseIds) sizes.set(caseId, (await ledger.read(caseId)).length);
  return sizes;
}

beforeAll(async () => {
  [dynamo, s3] = await Promise.all([startDynalite('email'), startS3rver('email')]);
  notifier = new RecordingNotifier();
  workflow = new RecordingWorkflow();
  ledger = new DynamoDbCaseLedger({ client: dynamo.client, tables: dynamo.tables });
  holdingPen = new DynamoDbHoldingPen({ client: dynamo.client, tables: dynamo.tables });
  replyAddresses = new DynamoDbReplyAddressBook({
    client: dynamo.client,
    tables: dynamo.tables,
    format: { mailbox: SCT_EMAIL_ROUTING.replyMailbox, domain: INTAKE_DOMAIN },
  });
  handler = makeHandler({
    ledger,
    references: new DynamoDbReferenceAllocator({ client: dynamo.client, tables: dynamo.tables }),
    workflow,
    clock: { now: () => new Date() },
    policy: loadSctPolicy(),
    rawMail: new S3RawMailReader({ client: s3.client }),
    attachments: new S3AttachmentWriter({ client: s3.client, bucket: s3.buckets.attachments }),
    holdingPen,
    caseReferences: new DynamoDbCaseReferenceLookup({ client: dynamo.client, tables: dynamo.tables }),
    replyAddresses,
    notifier,
    rateCounter: new DynamoDbRateCounter({ client: dynamo.client, tables: dynamo.tables }),
    settings: { intakeDomain: INTAKE_DOMAIN, ownAddresses: [SENDER_ADDRESS], routing: SCT_EMAIL_ROUTING },
    rawMailBucket: s3.buckets.rawMail,
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  for (const entry of CORPUS) {
    const summary = await deliver(entry);
    const [result] = summary.results;
    if (result === undefined) throw new Error(`${entry.file}: no result`);
    results.set(entry.file, result);
  }
});

afterAll(async () => {
  await Promise.all([dynamo?.stop(), s3?.stop()]);
});

describe('the email corpus', () => {
  it('has at least 30 messages, each file listed once', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CORPUS.map((entry) => entry.file)).size).toBe(CORPUS.length);
  });

  it.each(CORPUS.map((entry) => [entry.file, entry] as const))(
    '%s lands where the rules say',
    async (file, entry) => {
      const result = results.get(file);
      const expectation = entry.expect;
      switch (expectation.to) {
        case 'case': {
          expect(result).toMatchObject({ outcome: 'case', category: expectation.category });
          if (result?.outcome !== 'case') return;
          const projection = await ledger.getCase(result.caseId);
          expect(projection).toMatchObject({ channel: 'email', category: expectation.category });
          if (expectation.duplicateOf !== undefined) {
            const first = results.get(expectation.duplicateOf);
            expect(result.created).toBe(false);
            expect(first).toMatchObject({ outcome: 'case', caseId: result.caseId, created: true });
          } else {
            expect(result.created).toBe(true);
          }
          if (expectation.attachments !== undefined) {
            expect(result.attachments).toBe(expectation.attachments);
            expect(projection?.attachments).toHaveLength(expectation.attachments);
          }
          if (expectation.refused !== undefined) expect(result.refused).toBe(expectation.refused);
          if (expectation.subject !== undefined) expect(projection?.subject).toBe(expectation.subject);
          if (expectation.requesterName !== undefined)
            expect(projection?.requester.name).toBe(expectation.requesterName);
          for (const text of expectation.bodyIncludes ?? []) expect(projection?.body).toContain(text);
          for (const text of expectation.bodyExcludes ?? []) expect(projection?.body).not.toContain(text);
          expect(projection?.receiptEvidence).toMatchObject({ kind: 'mail-server-time' });
          expect(projection?.receiptEvidence?.reference).toMatch(/^[0-9a-f]{64}$/);
          expect(workflow.started).toContainEqual({ caseId: result.caseId });
          expect(await replyAddresses.find(result.caseId)).toMatchObject({
            address: expect.stringMatching(
              new RegExp(`^demandes\\+[a-z2-7]{26}@${INTAKE_DOMAIN.replace(/\./g, '\\.')}$`),
            ),
          });
          break;
        }
        case 'reply': {
          const target = results.get(expectation.caseOf);
          expect(target?.outcome).toBe('case');
          expect(result).toMatchObject({ outcome: 'reply', appended: true });
          if (result?.outcome !== 'reply' || target?.outcome !== 'case') return;
          expect(result.caseId).toBe(target.caseId);
          const received = (await ledger.read(target.caseId)).filter(
            (event) => event.type === 'message.received',
          );
          const event = received.find((candidate) => candidate.data.rawKey === keyOf(file));
          expect(event).toBeDefined();
          expect(JSON.stringify(event)).not.toMatch(/@/);
          if (expectation.attachments !== undefined)
            expect(event?.type === 'message.received' && event.data.attachments).toHaveLength(
              expectation.attachments,
            );
          if (expectation.refused !== undefined) expect(result.refused).toBe(expectation.refused);
          break;
        }
        case 'holding': {
          expect(result).toMatchObject({ outcome: 'held', kind: expectation.kind, created: true });
          if (result?.outcome !== 'held') return;
          const item = await holdingPen.get(result.itemId);
          expect(item).toMatchObject({ kind: expectation.kind, rawKey: keyOf(file) });
          if (expectation.caseOf !== undefined) {
            const target = results.get(expectation.caseOf);
            expect(item?.caseId).toBe(target?.outcome === 'case' ? target.caseId : 'missing');
          }
          if (expectation.reference !== undefined) expect(item?.reference).toBe(expectation.reference);
          expect(item?.legalHold).toBe(expectation.kind === 'spam' || expectation.kind === 'virus');
          break;
        }
      }
    },
  );

  it('starts the legal clock at the receiving server stamp, or at the stored object time without one', async () => {
    for (const entry of CORPUS) {
      const result = results.get(entry.file);
      const stamp = stored.get(entry.file)?.stampedAt;
      let receivedAt: string | undefined;
      if (result?.outcome === 'case' && result.created)
        receivedAt = (await ledger.getCase(result.caseId))?.receivedAt;
      if (result?.outcome === 'held') receivedAt = (await holdingPen.get(result.itemId))?.receivedAt;
      if (receivedAt === undefined) continue;
      if (stamp !== undefined) {
        expect([entry.file, receivedAt]).toEqual([entry.file, stamp]);
      } else {
        // The sender's 2019 `Received:` line is not the server's: the object's time is used instead.
        expect(Math.abs(Date.parse(receivedAt) - Date.now())).toBeLessThan(120_000);
      }
    }
  });

  it('keeps every raw message, unchanged: as many objects as messages received', async () => {
    const listed = await s3.client.send(
      new ListObjectsV2Command({ Bucket: s3.buckets.rawMail, Prefix: RAW_PREFIX }),
    );
    expect(listed.KeyCount).toBe(CORPUS.length);
    for (const { key, sha256 } of stored.values()) {
      const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.buckets.rawMail, Key: key }));
      const bytes = Buffer.from(await object.Body!.transformToByteArray());
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha256);
    }
  });

  it('files every message exactly once: each in a case, on a case, or in the holding pen', async () => {
    const byOutcome = { case: 0, reply: 0, held: 0 };
    for (const entry of CORPUS) {
      const result = results.get(entry.file);
      expect(result).toBeDefined();
      if (result !== undefined) byOutcome[result.outcome] += 1;
    }
    expect(byOutcome.case + byOutcome.reply + byOutcome.held).toBe(CORPUS.length);
    const items = await holdingItems();
    expect(items).toHaveLength(byOutcome.held);
    expect(new Set(items.map((item) => item.rawKey)).size).toBe(items.length);
  });

  it('stores the accepted attachments with their type and size, and only those', async () => {
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.buckets.attachments }));
    const keys = (listed.Contents ?? []).map((object) => object.Key);
    const refs = [];
    for (const result of results.values()) {
      if (result.outcome === 'case' && result.created)
        refs.push(...((await ledger.getCase(result.caseId))?.attachments ?? []));
      if (result.outcome === 'reply') {
        for (const event of await ledger.read(result.caseId))
          if (event.type === 'message.received') refs.push(...event.data.attachments);
      }
    }
    const unique = new Map(refs.map((ref) => [ref.key, ref]));
    expect(new Set(keys)).toEqual(new Set(unique.keys()));
    const pdf = [...unique.values()].find((ref) => ref.filename === 'attestation Revenu Québec.pdf');
    expect(pdf).toMatchObject({ contentType: 'application/pdf', size: 125 });
    for (const ref of unique.values()) {
      expect(ref.filename).not.toMatch(/\.(exe|docm|xlsm|scr)$/);
      expect(ref.size).toBeLessThanOrEqual(10 * 1024 * 1024);
    }
  });

  it('tells the sender of refused attachments once each, and never answers machine mail', () => {
    const refusing = CORPUS.filter((entry) => 'refused' in entry.expect && (entry.expect.refused ?? 0) > 0);
    expect(notifier.sent).toHaveLength(refusing.length);
    for (const { message, rendered } of notifier.sent) {
      expect(message.template).toBe('attachment-refused');
      expect(message.language).toBe('fr');
      expect(message.replyTo).toMatch(/^demandes\+[a-z2-7]{26}@intake\.sct\.example$/);
      expect(rendered.text).toContain('SCT-');
      for (const to of message.to) expect(to).not.toMatch(/mailer-daemon|intake\.sct\.example|no-reply/i);
    }
    const exe = notifier.sent.find(({ message }) => message.to.includes('eric.simard@example.com'));
    expect(exe?.rendered.text).toContain('type de fichier non accepté');
    // The notice goes to an address nobody verified: it names no file the sender sent.
    expect(exe?.rendered.text).not.toContain('formulaire.pdf.exe');
  });

  it('keeps holding-pen items free of addresses and quarantines spam and viruses under legal hold', async () => {
    const items = await holdingItems();
    for (const item of items) expect(JSON.stringify(item)).not.toMatch(/@/);
    const quarantined = items.filter((item) => item.legalHold);
    expect(quarantined.map((item) => item.kind).sort()).toEqual(['spam', 'virus']);
    expect(quarantined.every((item) => item.status === 'open')).toBe(true);
    const recorded = items.filter((item) => item.status === 'recorded').map((item) => item.kind);
    expect(new Set(recorded)).toEqual(new Set(['auto-reply', 'bounce', 'auto-generated', 'bulk', 'loop']));
  });

  it('is idempotent: the same events delivered again change nothing', async () => {
    const caseIds = new Set(
      [...results.values()].flatMap((result) => ('caseId' in result && result.caseId ? [result.caseId] : [])),
    );
    const before = { ledgers: await ledgerSizes(caseIds), items: (await holdingItems()).length };
    const sent = notifier.sent.length;
    const started = workflow.started.length;

    const again = await handler(
      s3Event(
        s3.buckets.rawMail,
        CORPUS.map((entry) => keyOf(entry.file)),
      ),
    );

    expect(again.results).toHaveLength(CORPUS.length);
    for (const result of again.results) {
      if (result.outcome === 'case') expect(result.created).toBe(false);
      if (result.outcome === 'reply') expect(result.appended).toBe(false);
      if (result.outcome === 'held') expect(result.created).toBe(false);
    }
    expect(again.results.map((result) => result.outcome)).toEqual(
      CORPUS.map((entry) => results.get(entry.file)?.outcome),
    );
    expect(await ledgerSizes(caseIds)).toEqual(before.ledgers);
    expect((await holdingItems()).length).toBe(before.items);
    expect(notifier.sent).toHaveLength(sent);
    // Starting a case's workflow again is a no-op in Step Functions (same execution name); intake asks again.
    expect(new Set(workflow.started.map((start) => start.caseId))).toEqual(
      new Set(workflow.started.slice(0, started).map((start) => start.caseId)),
    );
  });
});
