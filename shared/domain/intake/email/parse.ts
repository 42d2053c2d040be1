import PostalMime from 'postal-mime';
import type { Address, Attachment, Header } from 'postal-mime';

import { readableMessage, unlabelledText } from './mime-repair';
import { htmlToText } from './sanitize';

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
  /** The text part, or the text of the HTML part (`htmlToText`) for HTML-only mail. */
  readonly text?: string;
  readonly html?: string;
  readonly attachments: readonly InboundAttachment[];
}

/**
 * An address header without its RFC 5322 comments (`pete(his account)@silly.test(his host)`), nested or
 * with quoted pairs; quoted strings are kept as they are. postal-mime's address parser reads comments as
 * part of the address.
 */
function withoutComments(value: string): string {
  let result = '';
  let depth = 0;
  let quoted = false;
  let angle = false;
  for (let index = 0; index < value.length; index += 1) {
    const char = value[index] ?? '';
    if (char === '\\' && (quoted || depth > 0)) {
      if (depth === 0) result += char + (value[index + 1] ?? '');
      index += 1;
    } else if (depth === 0 && char === '"') {
      quoted = !quoted;
      result += char;
    } else if (depth === 0 && !quoted && (char === '<' || char === '>')) {
      angle = char === '<';
      result += char;
    } else if (!quoted && char === '(') {
      depth += 1;
    } else if (!quoted && depth > 0 && char === ')') {
      depth -= 1;
      // A comment between words separates them; inside `<…>` it separates nothing.
      if (depth === 0 && !angle) result += ' ';
    } else if (depth === 0) {
      result += char;
    }
  }
  return result;
}

/** RFC 5322 `dot-atom` local part; anything else was a quoted string, whose quotes the parser dropped. */
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/** The address as written: a local part that is no dot-atom (`marie tremblay`) quoted again. */
function addressOf(address: string): string {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  if (at <= 0 || DOT_ATOM.test(local) || /^".*"$/.test(local)) return address;
  return `"${local.replace(/(["\\])/g, '\\$1')}"${address.slice(at)}`;
}

function flatten(addresses: readonly Address[], inGroup = false): InboundAddress[] {
  return addresses.flatMap((entry): InboundAddress[] => {
    if (entry.group !== undefined) return flatten(entry.group, true);
    const address = addressOf(entry.address.trim());
    const name = entry.name.trim();
    return [{ address, ...(name !== '' ? { name } : {}), ...(inGroup ? { group: true } : {}) }];
  });
}

/** The mailboxes of an address header: its first occurrence for `From:`, every one for the others. */
function addressesOf(headers: readonly Header[], key: string, first = false): InboundAddress[] {
  const fields = headers.filter((header) => header.key === key);
  return (first ? fields.slice(0, 1) : fields).flatMap((header) =>
    flatten(PostalMime.addressParser(withoutComments(header.value))),
  );
}

/** A `type/subtype` media type (postal-mime gives what the header says, empty or `text` as well). */
function isMediaType(contentType: string): boolean {
  return /^[^\s/;]+\/[^\s/;]+/.test(contentType.trim());
}

/**
 * A part whose `Content-Type` is empty or unreadable is plain text (RFC 2045 § 5.2) unless it is a file
 * (named, or `Content-Disposition: attachment`); postal-mime leaves it among the attachments.
 */
function isUntypedText(attachment: Attachment): boolean {
  return (
    !isMediaType(attachment.mimeType) &&
    attachment.filename === null &&
    attachment.disposition !== 'attachment'
  );
}

function contentOf(attachment: Attachment): Buffer {
  const { content } = attachment;
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content as ArrayBuffer);
}

/**
 * Parses a raw RFC 5322 message with postal-mime: headers decoded (RFC 2047), bodies converted from their
 * charset (ISO-8859-1, windows-1252, ISO-2022-JP, GB2312, KOI8-R…, by the runtime's `TextDecoder`) to
 * Unicode, HTML-only mail given a text version (`htmlToText`), attachments decoded. postal-mime tolerates
 * broken MIME (missing boundaries, bad encodings) by keeping what it can; whatever it still throws is the
 * caller's to keep in the holding pen. Before it reads the message, what real mail gets wrong and
 * postal-mime leaves unread is repaired (`mime-repair.ts`: raw 8-bit bytes and UTF-7 in encoded words and
 * RFC 2231 parameters, in the message's and every part's headers; UTF-7 text and HTML parts; unlabelled 8-bit
 * text parts); a part with an empty `Content-Type` is read as plain text, as RFC 2045 says, and address
 * headers are read without their comments. The raw message itself is never changed.
 */
export async function parseEmail(raw: Buffer): Promise<InboundEmail> {
  const parsed = await PostalMime.parse(readableMessage(raw));
  const html = parsed.html?.replace(/\r\n?/g, '\n');
  const untyped = parsed.attachments.filter(isUntypedText).map((part) => unlabelledText(contentOf(part)));
  const texts = [...(parsed.text !== undefined ? [parsed.text] : []), ...untyped].map((part) =>
    part.replace(/\r\n?/g, '\n'),
  );
  const text = texts.length > 0 ? texts.join('\n') : html !== undefined ? htmlToText(html) : undefined;
  return {
    from: addressesOf(parsed.headers, 'from', true),
    to: addressesOf(parsed.headers, 'to'),
    cc: addressesOf(parsed.headers, 'cc'),
    ...(parsed.subject !== undefined ? { subject: parsed.subject } : {}),
    ...(text !== undefined ? { text } : {}),
    ...(html !== undefined ? { html } : {}),
    attachments: parsed.attachments
      .filter((attachment) => !isUntypedText(attachment))
      .map((attachment) => ({
        ...(attachment.filename !== null ? { filename: attachment.filename } : {}),
        contentType: isMediaType(attachment.mimeType)
          ? (attachment.mimeType.split(';')[0]?.trim().toLowerCase() ?? '')
          : 'application/octet-stream',
        content: contentOf(attachment),
        inline: attachment.disposition === 'inline' || attachment.related === true,
      })),
  };
}
