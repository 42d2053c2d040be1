import iconv from 'iconv-lite';
import { simpleParser } from 'mailparser';
import type { AddressObject, Attachment, EmailAddress } from 'mailparser';

import { readableHeaders, readableParts } from './mime-repair';

/** A mailbox of an address header, decoded (RFC 2047 names). `group` marks a member of a group syntax. */
export interface InboundAddress {
  readonly address: string;
  readonly name?: string;
  readonly group?: boolean;
}

export interface InboundAttachment {
  /** As the sender named it (decoded), if at all. */
  readonly filename?: string;
  /** Lower-case media type without parameters, as declared. */
  readonly contentType: string;
  readonly content: Buffer;
  /** Shown inside the HTML body (`Content-Disposition: inline` or a `cid:` image). */
  readonly inline: boolean;
}

/** A received message as intake reads it: decoded headers, text, attachments. */
export interface InboundEmail {
  /** Every mailbox of `From:` (normally one). Empty without `From:`. */
  readonly from: readonly InboundAddress[];
  readonly to: readonly InboundAddress[];
  readonly cc: readonly InboundAddress[];
  /** Decoded `Subject:` (RFC 2047, any charset). */
  readonly subject?: string;
  /** The text part, or mailparser's text of the HTML part for HTML-only mail. */
  readonly text?: string;
  readonly html?: string;
  readonly attachments: readonly InboundAttachment[];
}

function flatten(addresses: readonly EmailAddress[], inGroup = false): InboundAddress[] {
  return addresses.flatMap((entry): InboundAddress[] => {
    if (entry.group !== undefined) return flatten(entry.group, true);
    const address = (entry.address ?? '').trim();
    const name = entry.name.trim();
    return [{ address, ...(name !== '' ? { name } : {}), ...(inGroup ? { group: true } : {}) }];
  });
}

function addressesOf(header: AddressObject | AddressObject[] | undefined): InboundAddress[] {
  if (header === undefined) return [];
  const objects = Array.isArray(header) ? header : [header];
  return objects.flatMap((object) => flatten(object.value));
}

/** A `type/subtype` media type, as mailparser gives it (`false` when the header is empty). */
function isMediaType(contentType: unknown): contentType is string {
  return typeof contentType === 'string' && /^[^\s/;]+\/[^\s/;]+/.test(contentType.trim());
}

/**
 * A part whose `Content-Type` is empty or unreadable is plain text (RFC 2045 § 5.2) unless it is a file
 * (named, or `Content-Disposition: attachment`); mailparser leaves it without a type among the attachments.
 */
function isUntypedText(attachment: Attachment): boolean {
  return (
    !isMediaType(attachment.contentType) &&
    attachment.filename === undefined &&
    attachment.contentDisposition !== 'attachment'
  );
}

/** The text of an untyped part: UTF-8 when it is valid UTF-8, else windows-1252 (what 8-bit mail mostly is). */
function untypedText(content: Buffer): string {
  const utf8 = content.toString('utf8');
  return (utf8.includes('\uFFFD') ? iconv.decode(content, 'windows-1252') : utf8).replace(/\r?\n/g, '\n');
}

/**
 * Parses a raw RFC 5322 message with mailparser: headers decoded (RFC 2047), bodies converted from their
 * charset (ISO-8859-1, windows-1252, …) to Unicode, HTML-only mail given a text version, attachments decoded.
 * mailparser tolerates broken MIME (missing boundaries, bad encodings) by keeping what it can; whatever it
 * still throws is the caller's to keep in the holding pen. Before it reads the message, what real mail gets
 * wrong and mailparser leaves unread is repaired (`mime-repair.ts`: raw 8-bit bytes and UTF-7 in encoded
 * words and RFC 2231 parameters, in the message's and every part's headers; UTF-7 text and HTML parts;
 * unlabelled 8-bit text parts), and a part with an empty `Content-Type` is read as plain text, as RFC 2045 says.
 * The raw message itself is never changed.
 */
export async function parseEmail(raw: Buffer): Promise<InboundEmail> {
  const parsed = await simpleParser(await readableParts(readableHeaders(raw)), {
    skipImageLinks: true,
    skipTextToHtml: true,
    skipTextLinks: true,
  });
  const html = typeof parsed.html === 'string' ? parsed.html : undefined;
  const untyped = parsed.attachments.filter(isUntypedText).map((part) => untypedText(part.content));
  const texts = [...(parsed.text !== undefined ? [parsed.text] : []), ...untyped];
  const text = texts.length > 0 ? texts.join('\n') : undefined;
  return {
    from: addressesOf(parsed.from),
    to: addressesOf(parsed.to),
    cc: addressesOf(parsed.cc),
    ...(parsed.subject !== undefined ? { subject: parsed.subject } : {}),
    ...(text !== undefined ? { text } : {}),
    ...(html !== undefined ? { html } : {}),
    attachments: parsed.attachments
      .filter((attachment) => !isUntypedText(attachment))
      .map((attachment) => ({
        ...(attachment.filename !== undefined ? { filename: attachment.filename } : {}),
        contentType: isMediaType(attachment.contentType)
          ? (attachment.contentType.split(';')[0]?.trim().toLowerCase() ?? '')
          : 'application/octet-stream',
        content: attachment.content,
        inline: attachment.contentDisposition === 'inline' || attachment.related === true,
      })),
  };
}
