import { createHash } from 'node:crypto';

import {
  envelopeRecipientOf,
  firstHeader,
  headerValues,
  rawBody,
  readHeaders,
  receivedDateOf,
  senderContent,
} from '../../../shared/domain/intake/email/headers';
import { messageFingerprint, messageIdOf, receiptTimeOf } from '../../../shared/domain/intake/email/receipt';

const MESSAGE = [
  'Received: from mail.example.net (mail.example.net [192.0.2.25])',
  '\tby inbound-smtp.ca-central-1.amazonaws.com with SMTP id abc',
  '\tfor demandes@intake.sct.example;',
  '\tTue, 03 Mar 2026 14:12:00 +0000',
  'X-SES-Spam-Verdict: PASS',
  'Received: from laptop by mail.example.net; Tue, 3 Mar 2026 09:11:58 -0500 (EST)',
  'From: Marie <marie@example.com>',
  'Subject: Bonjour',
  'Message-ID:  <abc.123@example.com> (generated)',
  'not a header line',
  '',
  'Corps du message.',
  '',
].join('\r\n');

describe('readHeaders', () => {
  it('unfolds fields, lower-cases names, keeps message order and skips lines that are not fields', () => {
    const headers = readHeaders(Buffer.from(MESSAGE));

    expect(headers.map((header) => header.name)).toEqual([
      'received',
      'x-ses-spam-verdict',
      'received',
      'from',
      'subject',
      'message-id',
    ]);
    expect(firstHeader(headers, 'Received')).toBe(
      'from mail.example.net (mail.example.net [192.0.2.25]) by inbound-smtp.ca-central-1.amazonaws.com with SMTP id abc for demandes@intake.sct.example; Tue, 03 Mar 2026 14:12:00 +0000',
    );
    expect(headerValues(headers, 'received')).toHaveLength(2);
  });

  it('reads LF-only messages and messages without a body', () => {
    expect(readHeaders(Buffer.from('From: a@b.example\nSubject: x\n\nbody')).map((h) => h.value)).toEqual([
      'a@b.example',
      'x',
    ]);
    expect(readHeaders(Buffer.from('Subject: only headers'))).toEqual([
      { name: 'subject', value: 'only headers' },
    ]);
  });

  it('never throws on binary junk', () => {
    expect(() => readHeaders(Buffer.from(Array.from({ length: 2048 }, (_, i) => i % 256)))).not.toThrow();
  });

  it('gives the raw body after the blank line', () => {
    expect(Buffer.from(rawBody(Buffer.from(MESSAGE))).toString()).toBe('Corps du message.\r\n');
  });
});

describe('Received fields', () => {
  it('reads the date stamp after the last semicolon, comments ignored', () => {
    expect(receivedDateOf('from a by b; Tue, 3 Mar 2026 09:11:58 -0500 (EST)')?.toISOString()).toBe(
      '2026-03-03T14:11:58.000Z',
    );
    expect(receivedDateOf('from a by b')).toBeUndefined();
    expect(receivedDateOf('from a by b; not a date')).toBeUndefined();
  });

  it('reads the envelope recipient of a `for` clause', () => {
    expect(envelopeRecipientOf('from a by b with SMTP id x for <plaintes@intake.sct.example>; date')).toBe(
      'plaintes@intake.sct.example',
    );
    expect(envelopeRecipientOf('from a by b for demandes@intake.sct.example; date')).toBe(
      'demandes@intake.sct.example',
    );
    expect(envelopeRecipientOf('from a by b; date')).toBeUndefined();
  });
});

describe('receiptTimeOf', () => {
  const headers = readHeaders(Buffer.from(MESSAGE));

  it('takes the topmost Received stamp (the receiving server) when it is close to the stored object', () => {
    expect(receiptTimeOf(headers, new Date('2026-03-03T14:12:03Z'))).toEqual({
      receivedAt: '2026-03-03T14:12:00.000Z',
      source: 'received-header',
    });
  });

  it('falls back to the object time for a stamp from the future or more than a day old', () => {
    expect(receiptTimeOf(headers, new Date('2026-03-03T14:00:00Z'))).toEqual({
      receivedAt: '2026-03-03T14:00:00.000Z',
      source: 'object-time',
    });
    expect(receiptTimeOf(headers, new Date('2026-03-05T14:12:00Z')).source).toBe('object-time');
  });

  it('falls back to the object time without any Received field', () => {
    expect(receiptTimeOf([], new Date('2026-03-03T14:12:03.250Z'))).toEqual({
      receivedAt: '2026-03-03T14:12:03.250Z',
      source: 'object-time',
    });
  });
});

describe('message identity', () => {
  it('uses the Message-ID without brackets and comments', () => {
    const headers = readHeaders(Buffer.from(MESSAGE));

    expect(messageIdOf(headers)).toBe('abc.123@example.com');
    expect(messageFingerprint(headers, Buffer.from(MESSAGE))).toEqual({
      hash: createHash('sha256').update('abc.123@example.com').digest('hex'),
      source: 'message-id',
    });
  });

  it('without a Message-ID, hashes what the sender sent: two deliveries with other stamps are one message', () => {
    const body = 'From: a@example.com\r\nSubject: x\r\n\r\nbonjour\r\n';
    const first = Buffer.from(
      `Received: by inbound-1; Tue, 3 Mar 2026 14:00:00 +0000\r\nX-SES-Spam-Verdict: PASS\r\n${body}`,
    );
    const second = Buffer.from(
      `Received: by inbound-2\r\n for <demandes@x.example>; Tue, 3 Mar 2026 14:05:00 +0000\r\nX-SES-Receipt: AEF\r\n${body}`,
    );
    const other = Buffer.from(`Received: by inbound-1; Tue, 3 Mar 2026 14:00:00 +0000\r\n${body}!`);

    const fingerprint = messageFingerprint(readHeaders(first), first);
    expect(fingerprint.source).toBe('content');
    expect(messageFingerprint(readHeaders(second), second)).toEqual(fingerprint);
    expect(messageFingerprint(readHeaders(other), other).hash).not.toBe(fingerprint.hash);
    expect(senderContent(first).toString()).toBe('From: a@example.com\nSubject: x\n\nbonjour\r\n');
  });
});
