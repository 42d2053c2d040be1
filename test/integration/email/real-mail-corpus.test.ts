import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { parseEmail } from '../../../shared/domain/intake/email/parse';
import type { InboundEmail } from '../../../shared/domain/intake/email/parse';
import { receiveEmail } from '../../../shared/domain/intake/email/receive-email';
import type { EmailIntakeDeps, EmailIntakeResult } from '../../../shared/domain/intake/email/receive-email';
import { SCT_EMAIL_ROUTING } from '../../../shared/domain/intake/email/routing';
import { MAX_BODY_LENGTH, singleLine } from '../../../shared/domain/intake/email/sanitize';
import {
  InMemoryCaseLedger,
  InMemoryReferenceAllocator,
} from '../../../shared/domain/ledger/in-memory-ledger';
import { InMemoryRateCounter } from '../../../shared/domain/messaging/rate-counter';
import { loadSctPolicy } from '../../../shared/domain/policy/sct';
import {
  InMemoryAttachmentStore,
  InMemoryHoldingPen,
  InMemoryRawMail,
  InMemoryReplyAddressBook,
  RecordingNotifier,
  RecordingWorkflow,
} from '../../unit/email/fakes';

/**
 * Real-world mail (`test/fixtures/real-mail`, see its SOURCES.md): messages from the test data of public
 * mail-parsing libraries, run through the real intake (`receiveEmail`, postal-mime) on in-memory stores.
 * The decoded text is checked against an independent decoder, Python's `email` package, whose reading of
 * each message is stored in `reference.json` (`reference.py` writes it).
 */

jest.setTimeout(60_000);

const CORPUS = path.join(__dirname, '..', '..', 'fixtures', 'real-mail');
const DOMAIN = 'intake.sct.example';
const BUCKET = 'raw-mail';
const NOT_MESSAGES = new Set(['SOURCES.md', 'reference.py', 'reference.json', '.gitattributes']);

interface Reference {
  readonly subject: string | null;
  readonly from: readonly (string | null)[] | null;
  readonly text: readonly (string | null)[];
  readonly html: readonly (string | null)[];
  /** The file name of each named part (RFC 2231 and RFC 2047 decoded); null where the reference could not. */
  readonly filenames: readonly (string | null)[] | null;
}

const references = JSON.parse(readFileSync(path.join(CORPUS, 'reference.json'), 'utf8')) as Record<
  string,
  Reference
>;

function corpusFiles(dir = CORPUS, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) return corpusFiles(path.join(dir, entry.name), relative);
    return NOT_MESSAGES.has(entry.name) ? [] : [relative];
  });
}

const FILES = corpusFiles().sort();

/**
 * Where intake and the reference read a broken message differently and intake's reading is as good, with
 * why. Each entry must still differ (the test says when one no longer does, so the list stays true).
 */
const ACCEPTED_DIFFERENCES: Readonly<Record<string, string>> = {
  'ruby-mail/plain_emails/mix_caps_content_type.eml#from':
    '`From: Big Bug bb@bug.com` has no valid address: intake reads the mailbox bb@bug.com named « Big Bug », ' +
    'the reference a local part "Big Bug bb"',
  'enmime/mail/mime-bad-content-transfer-encoding.raw#text':
    'plain text labelled base64: the reference stops at the bad padding and keeps the raw text, the parser ' +
    'decodes the letters as base64 (the case shows noise; the raw message keeps the text)',
  'mimekit/issue1130.txt#text':
    '`format=flowed; delsp=yes` wrapped inside words by its sender: the parser deletes the space before each ' +
    'soft break as RFC 3676 says (« isa »), the reference does not read format=flowed at all',
  'mimekit/missing-subtype.txt#text':
    '`Content-Type: application-x-gzip; name="document.xml.gz"`: intake keeps the named file as an attachment, ' +
    'the reference reads the invalid type as text (the RFC 2045 default)',
  'stalwart-mail-parser/thirdparty/003.eml#text':
    '`Content-Transfer-Encoding: quoted-printable` followed by blanks: the reference leaves the part ' +
    'undecoded, intake decodes it',
  'php-mime-mail-parser/issue133#filename':
    '`filename=attach/01` (a `/` in an unquoted value): the reference stops the name at the `/`, intake keeps ' +
    'the whole value (kept files are stored under a safe name anyway)',
  'ruby-mail/attachment_emails/attachment_with_unquoted_name.eml#filename':
    '`name=This is a test.txt` unquoted with spaces: the reference keeps the first word, intake the whole name',
};

/** Text as compared: NFC, control characters dropped, every run of blanks one space (line wrapping differs). */
function normalized(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[^\P{Cc}\t\n\r]/gu, '')
    .replace(/[\s\u00a0]+/gu, ' ')
    .trim();
}

/** The SES stamp on top of each message, naming the intake mailbox it was delivered to. */
const STAMP =
  'Received: from mail.example.net by inbound-smtp.ca-central-1.amazonaws.com with SMTP id corpus\r\n' +
  ` for demandes@${DOMAIN}; Thu, 05 Mar 2026 14:12:00 +0000\r\n`;
const STORED_AT = new Date('2026-03-05T14:12:03.000Z');

const rawMail = new InMemoryRawMail();
const ledger = new InMemoryCaseLedger();
const holdingPen = new InMemoryHoldingPen();
const deps: EmailIntakeDeps = {
  ledger,
  references: new InMemoryReferenceAllocator(),
  rateCounter: new InMemoryRateCounter(),
  workflow: new RecordingWorkflow(),
  clock: { now: () => new Date('2026-03-05T14:12:05.000Z') },
  policy: loadSctPolicy(),
  rawMail,
  attachments: new InMemoryAttachmentStore(),
  holdingPen,
  caseReferences: ledger,
  replyAddresses: new InMemoryReplyAddressBook({ mailbox: 'demandes', domain: DOMAIN }),
  notifier: new RecordingNotifier(),
  settings: { intakeDomain: DOMAIN, ownAddresses: ['no-reply@sct.example'], routing: SCT_EMAIL_ROUTING },
};

const stored = new Map<string, string>();
const results = new Map<string, EmailIntakeResult>();
const parsed = new Map<string, InboundEmail>();
let elapsed = 0;

beforeAll(async () => {
  const started = Date.now();
  for (const file of FILES) {
    const raw = Buffer.concat([Buffer.from(STAMP, 'latin1'), readFileSync(path.join(CORPUS, file))]);
    const key = `inbound/${file}`;
    rawMail.put(BUCKET, key, raw, STORED_AT);
    stored.set(file, createHash('sha256').update(raw).digest('hex'));
    results.set(file, await receiveEmail(deps, { bucket: BUCKET, key }));
    parsed.set(file, await parseEmail(raw));
  }
  elapsed = Date.now() - started;
});

describe('real-world mail from public mail-parsing test suites', () => {
  it('has at least 150 messages, each with a reference reading, read in reasonable time', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(150);
    expect(FILES.filter((file) => references[file] === undefined)).toEqual([]);
    expect(Object.keys(references).sort()).toEqual(FILES);
    expect(elapsed).toBeLessThan(30_000);
    // The reference reads most of it: the comparisons below are not vacuous.
    const compared = FILES.map((file) => references[file]);
    expect(compared.filter((reference) => reference?.subject).length).toBeGreaterThanOrEqual(150);
    expect(
      compared.flatMap((reference) => reference?.text.filter((part) => part?.trim()) ?? []).length,
    ).toBeGreaterThanOrEqual(150);
  });

  it('files every message exactly once (a case, a reply or a held item), none as a processing error', async () => {
    const errors = FILES.flatMap((file) => {
      const result = results.get(file);
      return result?.outcome === 'held' && result.kind === 'processing-error'
        ? [`${file}: ${result.errorName ?? ''}`]
        : [];
    });
    expect(errors).toEqual([]);
    const outcomes = FILES.map((file) => results.get(file)?.outcome);
    expect(outcomes.filter((outcome) => outcome === undefined)).toEqual([]);
    const held = FILES.filter((file) => results.get(file)?.outcome === 'held');
    const items = [...holdingPen.items.values()];
    expect(items.map((item) => item.rawKey).sort()).toEqual(held.map((file) => `inbound/${file}`).sort());
    // A message delivered again (the same Message-ID in two suites) is the same case, not a second one.
    const created = new Map<string, string>();
    for (const file of FILES) {
      const result = results.get(file);
      if (result?.outcome !== 'case') continue;
      if (result.created) {
        expect([file, created.get(result.caseId)]).toEqual([file, undefined]);
        created.set(result.caseId, file);
        const projection = await ledger.getCase(result.caseId);
        expect(projection?.receiptEvidence?.note).toContain(`inbound/${file}`);
      } else {
        expect([file, created.has(result.caseId)]).toEqual([file, true]);
      }
    }
    expect(created.size).toBeGreaterThan(0);
  });

  it('keeps every raw message unchanged', () => {
    for (const file of FILES) {
      const object = rawMail.objects.get(`${BUCKET}/inbound/${file}`);
      expect([
        file,
        createHash('sha256')
          .update(object?.bytes ?? '')
          .digest('hex'),
      ]).toEqual([file, stored.get(file)]);
    }
  });

  it('decodes the subject as the reference decoder does', async () => {
    const mismatches: string[] = [];
    for (const file of FILES) {
      const expected = references[file]?.subject;
      if (expected === null || expected === undefined) continue;
      const mine = parsed.get(file)?.subject ?? '';
      if (normalized(mine) !== normalized(expected))
        mismatches.push(`${file}: ${JSON.stringify(mine)} ≠ ${JSON.stringify(expected)}`);
      const result = results.get(file);
      if (result?.outcome === 'case' && result.created) {
        const projection = await ledger.getCase(result.caseId);
        const subject = singleLine(expected, 300);
        if (subject !== undefined && projection?.subject !== subject)
          mismatches.push(
            `${file} (case): ${JSON.stringify(projection?.subject)} ≠ ${JSON.stringify(subject)}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('reads the sender address as the reference decoder does', async () => {
    const mismatches: string[] = [];
    for (const file of FILES) {
      const expected = references[file]?.from;
      if (expected === null || expected === undefined || expected.includes(null)) continue;
      const mine = (parsed.get(file)?.from ?? []).map((entry) => entry.address).filter((a) => a !== '');
      const same = JSON.stringify(mine) === JSON.stringify(expected);
      if (ACCEPTED_DIFFERENCES[`${file}#from`] !== undefined) {
        if (same) mismatches.push(`${file}: no longer differs from the reference`);
        continue;
      }
      if (!same) mismatches.push(`${file}: ${JSON.stringify(mine)} ≠ ${JSON.stringify(expected)}`);
      const result = results.get(file);
      if (result?.outcome === 'case' && result.created) {
        const projection = await ledger.getCase(result.caseId);
        if (projection?.requester.email !== expected[0])
          mismatches.push(`${file} (case): ${projection?.requester.email} ≠ ${expected[0]}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('refuses no sender the reference reads as one mailbox with a host name', () => {
    const refused = FILES.filter((file) => {
      const from = references[file]?.from;
      const result = results.get(file);
      if (ACCEPTED_DIFFERENCES[`${file}#from`] !== undefined || from?.length !== 1) return false;
      const plausible = /^[^@]+@[^@.]+(?:\.[^@.]+)+$/.test(from[0] ?? '');
      return plausible && result?.outcome === 'held' && ['no-from', 'unknown-sender'].includes(result.kind);
    });
    expect(refused).toEqual([]);
  });

  it('names each attachment as the reference decoder does (part headers: RFC 2231, RFC 2047)', () => {
    const mismatches: string[] = [];
    let compared = 0;
    for (const file of FILES) {
      const expected = references[file]?.filenames ?? [];
      const mine = new Set(
        (parsed.get(file)?.attachments ?? []).map((attachment) => normalized(attachment.filename ?? '')),
      );
      const missing = expected.filter(
        (name): name is string => name !== null && normalized(name) !== '' && !mine.has(normalized(name)),
      );
      compared += expected.filter((name) => name !== null && normalized(name) !== '').length;
      if (ACCEPTED_DIFFERENCES[`${file}#filename`] !== undefined) {
        if (missing.length === 0) mismatches.push(`${file}: no longer differs from the reference`);
        continue;
      }
      for (const name of missing)
        mismatches.push(`${file}: ${JSON.stringify([...mine])} lacks ${JSON.stringify(name)}`);
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(100);
  });

  it('keeps the text of each text part as the reference decoder reads it', async () => {
    const mismatches: string[] = [];
    for (const file of FILES) {
      const reference = references[file];
      if (reference === undefined) continue;
      const email = parsed.get(file);
      const result = results.get(file);
      let filed: string | undefined;
      if (result?.outcome === 'case' && result.created) filed = (await ledger.getCase(result.caseId))?.body;
      const text = normalized(email?.text ?? '');
      const html = normalized(email?.html ?? '');
      if (ACCEPTED_DIFFERENCES[`${file}#text`] !== undefined) {
        const differs = reference.text.some((part) => part !== null && !text.includes(normalized(part)));
        if (!differs) mismatches.push(`${file}: no longer differs from the reference`);
        continue;
      }
      for (const part of reference.text) {
        if (part === null || normalized(part) === '') continue;
        const expected = normalized(part);
        if (!text.includes(expected)) mismatches.push(`${file}: text part not decoded as the reference`);
        else if (
          filed !== undefined &&
          Array.from(filed).length < MAX_BODY_LENGTH - 1 &&
          !normalized(filed).includes(expected)
        )
          mismatches.push(`${file}: the case body lacks a text part`);
      }
      for (const part of reference.html) {
        if (part === null || normalized(part) === '') continue;
        if (!html.includes(normalized(part)))
          mismatches.push(`${file}: HTML part not decoded as the reference`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
