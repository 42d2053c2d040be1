import { simpleParser } from 'mailparser';
import type { AddressObject, EmailAddress } from 'mailparser';

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

/**
 * Parses a raw RFC 5322 message with mailparser: headers decoded (RFC 2047), bodies converted from their
 * charset (ISO-8859-1, windows-1252, …) to Unicode, HTML-only mail given a text version, attachments decoded.
 * mailparser tolerates broken MIME (missing boundaries, bad encodings) by keeping what it can; whatever it
 * still throws is the caller's to keep in the holding pen.
 */
export async function parseEmail(raw: Buffer): Promise<InboundEmail> {
  const parsed = await simpleParser(raw, {
    skipImageLinks: true,
    skipTextToHtml: true,
    skipTextLinks: true,
  });
  const html = typeof parsed.html === 'string' ? parsed.html : undefined;
  return {
    from: addressesOf(parsed.from),
    to: addressesOf(parsed.to),
    cc: addressesOf(parsed.cc),
    ...(parsed.subject !== undefined ? { subject: parsed.subject } : {}),
    ...(parsed.text !== undefined ? { text: parsed.text } : {}),
    ...(html !== undefined ? { html } : {}),
    attachments: parsed.attachments.map((attachment) => ({
      ...(attachment.filename !== undefined ? { filename: attachment.filename } : {}),
      contentType: (attachment.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '',
      content: attachment.content,
      inline: attachment.contentDisposition === 'inline' || attachment.related === true,
    })),
  };
}
