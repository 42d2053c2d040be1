/** One header field of a raw message: lower-case name, unfolded value, in message order (topmost first). */
export interface RawHeader {
  readonly name: string;
  readonly value: string;
}

/** Header blocks are read up to this size; a longer one is malformed or hostile. */
const MAX_HEADER_BYTES = 512 * 1024;
const HEADER_NAME = /^[!-9;-~]+$/;

/**
 * Fields the receiving servers add on top of the sender's message (trace and verdict headers). They differ
 * between two deliveries of the same message, so they are left out of its content fingerprint.
 */
const TRACE_HEADERS = new Set([
  'received',
  'return-path',
  'delivered-to',
  'x-original-to',
  'received-spf',
  'authentication-results',
  'arc-seal',
  'arc-message-signature',
  'arc-authentication-results',
  'x-ses-receipt',
  'x-ses-dkim-signature',
  'x-ses-spam-verdict',
  'x-ses-virus-verdict',
]);

interface HeaderSplit {
  /** The header block, decoded byte for byte (latin1), without the blank line. */
  readonly head: string;
  /** Where the body starts in the raw bytes. */
  readonly bodyStart: number;
}

function splitHead(raw: Uint8Array): HeaderSplit {
  const limit = Math.min(raw.length, MAX_HEADER_BYTES);
  const text = Buffer.from(raw.buffer, raw.byteOffset, limit).toString('latin1');
  const crlf = text.indexOf('\r\n\r\n');
  const lf = text.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return { head: text.slice(0, crlf), bodyStart: crlf + 4 };
  if (lf >= 0) return { head: text.slice(0, lf), bodyStart: lf + 2 };
  return { head: text, bodyStart: limit };
}

/**
 * The header fields of a raw message, read without decoding anything (bytes as latin1), unfolded, in order.
 * Lines that are not fields are skipped, so a broken header block never throws: the fields that matter to
 * intake (trace, verdicts, auto-reply markers) are plain ASCII.
 */
export function readHeaders(raw: Uint8Array): RawHeader[] {
  const headers: { name: string; value: string }[] = [];
  for (const line of splitHead(raw).head.split(/\r?\n/)) {
    const last = headers[headers.length - 1];
    if (/^[ \t]/.test(line)) {
      if (last !== undefined) last.value = `${last.value} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    if (!HEADER_NAME.test(name)) continue;
    headers.push({ name: name.toLowerCase(), value: line.slice(colon + 1).trim() });
  }
  return headers;
}

/** The raw body of a message: the bytes after the blank line that ends its header block. */
export function rawBody(raw: Uint8Array): Uint8Array {
  return raw.subarray(Math.min(splitHead(raw).bodyStart, raw.length));
}

/** Every value of a header field, topmost first. */
export function headerValues(headers: readonly RawHeader[], name: string): string[] {
  const wanted = name.toLowerCase();
  return headers.filter((header) => header.name === wanted).map((header) => header.value);
}

/** The topmost value of a header field. */
export function firstHeader(headers: readonly RawHeader[], name: string): string | undefined {
  const wanted = name.toLowerCase();
  return headers.find((header) => header.name === wanted)?.value;
}

/** A header value without its RFC 5322 comments (`(…)`, not nested). */
function withoutComments(value: string): string {
  return value.replace(/\([^()]*\)/g, ' ');
}

/** The date stamp of a `Received:` field (after its last `;`), or undefined when it has none that parses. */
export function receivedDateOf(value: string): Date | undefined {
  const semicolon = value.lastIndexOf(';');
  if (semicolon < 0) return undefined;
  const stamp = withoutComments(value.slice(semicolon + 1))
    .replace(/\s+/g, ' ')
    .trim();
  if (stamp === '') return undefined;
  const time = Date.parse(stamp);
  return Number.isNaN(time) ? undefined : new Date(time);
}

/** The envelope recipient a `Received:` field names (`for <x@y>`), when it names exactly one. */
export function envelopeRecipientOf(value: string): string | undefined {
  const match = /\bfor\s+<?([^\s<>;"]+@[^\s<>;"]+?)>?\s*(?:;|$)/i.exec(withoutComments(value));
  return match?.[1];
}

/**
 * The message without the trace and verdict fields receiving servers add (see `TRACE_HEADERS`): what the
 * sender sent. Two deliveries of one message (each with its own `Received:` stamp) give the same bytes.
 */
export function senderContent(raw: Uint8Array): Buffer {
  const { head, bodyStart } = splitHead(raw);
  const kept: string[] = [];
  let skipping = false;
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line)) {
      if (!skipping) kept.push(line);
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
    skipping = TRACE_HEADERS.has(name);
    if (!skipping) kept.push(line);
  }
  const body = raw.subarray(Math.min(bodyStart, raw.length));
  return Buffer.concat([Buffer.from(kept.join('\n'), 'latin1'), Buffer.from('\n\n'), body]);
}
