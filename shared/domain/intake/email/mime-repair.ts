import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { Headers, Joiner, Rewriter, Splitter } from '@zone-eu/mailsplit';
import iconv from 'iconv-lite';

/**
 * Repairs, before mailparser reads a message, what real mail gets wrong and mailparser leaves unread. Only
 * the copy given to the parser is changed; the raw message stays as received.
 */

/** The names of UTF-7 (RFC 2152) as mail clients label it. */
const UTF7 = /^(?:unicode-?1-?1-?)?utf-?7$/i;
/**
 * An RFC 2047 encoded word, read byte for byte (latin1): charset (with an optional RFC 2231 language), `Q`
 * or `B`, text. Raw 8-bit bytes are allowed in the text: some mailers put them there.
 */
const ENCODED_WORD = /=\?([^?\x00-\x20*]+)(\*[^?\x00-\x20]*)?\?([QqBb])\?([^?\x00-\x20]*)\?=/g;

function headerEnd(text: string): number {
  const crlf = text.indexOf('\r\n\r\n');
  const lf = text.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return crlf;
  return lf >= 0 ? lf : text.length;
}

/** The bytes of an encoded word's text (`Q`: `_` is a space, `=XX` a byte; `B`: base64). */
function wordBytes(encoding: string, text: string): Buffer {
  if (encoding.toUpperCase() === 'B') return Buffer.from(text, 'base64');
  return Buffer.from(
    text
      .replace(/_/g, ' ')
      .replace(/=([0-9A-Fa-f]{2})/g, (_whole, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  );
}

/** An encoded word's text made readable (`readableHeaderBlock`), or the word as it was. */
function readableWord(
  whole: string,
  charset: string,
  language: string | undefined,
  encoding: string,
  word: string,
): string {
  if (UTF7.test(charset)) {
    const decoded = iconv.decode(wordBytes(encoding, word), 'utf7');
    return `=?UTF-8?B?${Buffer.from(decoded, 'utf8').toString('base64')}?=`;
  }
  if (encoding.toUpperCase() !== 'Q' || !/[\x80-\xFF]/.test(word)) return whole;
  const escaped = word.replace(
    /[\x80-\xFF]/g,
    (byte) => `=${byte.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return `=?${charset}${language ?? ''}?${encoding}?${escaped}?=`;
}

/** The MIME header fields whose parameters name a part (`name`, `filename`), with their folded lines. */
const PARAMETER_FIELD = /^content-(?:type|disposition)[ \t]*:[^\n]*(?:\n[ \t][^\n]*)*/gim;
/**
 * One section of an RFC 2231 parameter, read byte for byte (latin1): `name*=` (extended), `name*0*=`,
 * `name*1*=` (extended continuations) or `name*1=` (a plain continuation), and its value, a token or a
 * quoted string.
 */
const SECTION = /;(\s*)([^\s=;*"]+)\*(?:(\d+)(\*)?)?=\s*("(?:[^"\\]|\\[\s\S])*"|[^;\s]*)/g;
/** RFC 2231 `attribute-char`: what an extended value may hold without a `%` escape. */
const ATTRIBUTE_CHAR = /^[A-Za-z0-9!#$&+\-.^_`|~]$/;

interface Section {
  readonly whole: string;
  readonly space: string;
  readonly name: string;
  readonly order: number;
  readonly extended: boolean;
  readonly value: string;
}

function unquoted(value: string): string {
  return value.startsWith('"') && value.endsWith('"') && value.length >= 2
    ? value.slice(1, -1).replace(/\\([\s\S])/g, '$1')
    : value;
}

/** The bytes of an extended value: `%XX` is a byte, anything else (a raw 8-bit byte too) stands for itself. */
function percentDecoded(value: string): Buffer {
  return Buffer.from(
    value.replace(/%([0-9A-Fa-f]{2})/g, (_whole, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  );
}

function percentEncoded(bytes: Buffer): string {
  return Array.from(bytes, (byte) => {
    const char = String.fromCharCode(byte);
    return ATTRIBUTE_CHAR.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

/**
 * A `Content-Type` or `Content-Disposition` field with its RFC 2231 parameters made readable: a parameter in
 * UTF-7 (`filename*=utf-7''R%2BAOk-sum%2BAOk-.pdf`) is decoded and written again in UTF-8, its continuations
 * joined first (a UTF-7 run may be split between two of them); raw 8-bit bytes in an extended value are
 * written `%XX`, so that they are read in the charset the parameter declares. Other parameters are left
 * byte for byte.
 */
function readableParameters(field: string): string {
  const sections: Section[] = [];
  for (const match of field.matchAll(SECTION)) {
    const [whole, space = '', name = '', order, star, value = ''] = match;
    sections.push({
      whole,
      space,
      name,
      order: order === undefined ? 0 : Number(order),
      extended: order === undefined || star !== undefined,
      value: unquoted(value),
    });
  }
  const replacements = new Map<Section, string>();
  const names = new Set(sections.map((section) => section.name.toLowerCase()));
  for (const name of names) {
    const group = sections
      .filter((section) => section.name.toLowerCase() === name)
      .sort((a, b) => a.order - b.order);
    const first = group[0];
    if (first === undefined || first.order !== 0 || !first.extended) continue;
    const declared = /^([^']*)'([^']*)'([\s\S]*)$/.exec(first.value);
    if (declared === null) continue;
    const [, charset = '', language = '', rest = ''] = declared;
    const utf7 = UTF7.test(charset.trim());
    if (!utf7 && !group.some((section) => section.extended && /[\x80-\xFF]/.test(section.value))) continue;
    const bytes = Buffer.concat(
      group.map((section, index) => {
        const value = index === 0 ? rest : section.value;
        return section.extended ? percentDecoded(value) : Buffer.from(value, 'latin1');
      }),
    );
    const text = utf7 ? Buffer.from(iconv.decode(bytes, 'utf7'), 'utf8') : bytes;
    const written = `;${first.space}${first.name}*=${utf7 ? 'utf-8' : charset}'${language}'${percentEncoded(text)}`;
    for (const section of group) replacements.set(section, section === first ? written : '');
  }
  if (replacements.size === 0) return field;
  let index = 0;
  return field.replace(SECTION, (whole) => {
    const section = sections[index];
    index += 1;
    return section !== undefined ? (replacements.get(section) ?? whole) : whole;
  });
}

/**
 * A header block (the message's or a part's, read byte for byte as latin1) with what mailparser misreads made
 * readable:
 * - a raw 8-bit byte inside a `Q` encoded word is written `=XX`, so that it is read in the charset the word
 *   declares (`=?iso-8859-1?Q?Fr\xF6sche?=` is « Frösche », not a replacement character);
 * - a UTF-7 encoded word (which mailparser refuses to decode) is decoded and written again as UTF-8;
 * - the RFC 2231 parameters of `Content-Type` and `Content-Disposition` (`name*=`, `filename*=`), likewise
 *   (`readableParameters`).
 * Anything else is left byte for byte.
 */
export function readableHeaderBlock(head: string): string {
  const words = /=\?/.test(head) ? head.replace(ENCODED_WORD, readableWord) : head;
  return /\*[0-9]*\*?=/.test(words) ? words.replace(PARAMETER_FIELD, readableParameters) : words;
}

/** The message with its own header block made readable (`readableHeaderBlock`); the body is left as it is. */
export function readableHeaders(raw: Buffer): Buffer {
  const text = raw.toString('latin1');
  const head = text.slice(0, headerEnd(text));
  const repaired = readableHeaderBlock(head);
  if (repaired === head) return raw;
  return Buffer.concat([Buffer.from(repaired, 'latin1'), raw.subarray(Buffer.byteLength(head, 'latin1'))]);
}

/** Charset labels that promise 7-bit text, or no label at all: 8-bit bytes there are mislabeled. */
function isUnlabelled(charset: string | false): boolean {
  return charset === false || /^(?:us-?ascii|ascii|ansi_x3\.4-1968)?$/i.test(charset.trim());
}

/** Bytes as text: valid UTF-8 as such, anything else as windows-1252 (what unlabelled 8-bit mail mostly is). */
function unlabelledText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return iconv.decode(bytes, 'windows-1252');
  }
}

/** What the Splitter hands on for each part: the part itself, whose header block can be replaced. */
interface SplitNode {
  readonly type: string;
  readonly root?: boolean;
  headers: unknown;
  getHeaders(): Buffer;
}

/**
 * The message with the parts mailparser would misread rewritten (with mailsplit, the MIME splitter mailparser
 * itself uses):
 * - the header block of every part (file names in `Content-Type` `name` and `Content-Disposition`
 *   `filename`, RFC 2047 or RFC 2231) is made readable as the message's own (`readableHeaderBlock`);
 * - UTF-7 text parts (RFC 2152), plain or HTML, are decoded and labelled UTF-8. mailparser refuses UTF-7
 *   because a browser reading it could find markup an HTML filter did not see; once decoded, every tag is
 *   plain to see, so intake's HTML-to-text reads what the sender's client shows;
 * - plain-text parts without a charset, or labelled ASCII, that hold 8-bit bytes: valid UTF-8 is kept,
 *   anything else is read as windows-1252, as mail clients do; mailparser would turn each such byte into
 *   U+FFFD.
 * Parts sent as attachments keep their bytes: the stored file is what was sent. A message with no such part
 * is returned unchanged, byte for byte.
 */
export async function readableParts(raw: Buffer): Promise<Buffer> {
  let rewritten = false;
  const partHeaders = new Transform({
    objectMode: true,
    transform(chunk: unknown, _encoding, done) {
      const node = chunk as SplitNode;
      if (typeof chunk === 'object' && chunk !== null && node.type === 'node' && node.root !== true) {
        const head = node.getHeaders().toString('latin1');
        const repaired = readableHeaderBlock(head);
        if (repaired !== head) {
          rewritten = true;
          node.headers = new Headers(Buffer.from(repaired, 'latin1'));
        }
      }
      done(null, chunk);
    },
  });
  const rewriter = new Rewriter((node) => {
    // A file sent as an attachment is kept as it was sent; only what is read as the message's text is decoded.
    if (node.disposition === 'attachment') return false;
    const charset = typeof node.charset === 'string' ? node.charset.trim() : false;
    const utf7 = charset !== false && UTF7.test(charset);
    const plain = node.contentType === 'text/plain' || (node.root && node.contentType === false);
    return (plain && (utf7 || isUnlabelled(charset))) || (node.contentType === 'text/html' && utf7);
  });
  rewriter.on('node', ({ node, decoder, encoder }) => {
    const utf7 = typeof node.charset === 'string' && UTF7.test(node.charset.trim());
    const chunks: Buffer[] = [];
    decoder.on('data', (chunk: Buffer) => chunks.push(chunk));
    decoder.on('end', () => {
      const bytes = Buffer.concat(chunks);
      if (utf7 || bytes.some((byte) => byte >= 0x80)) {
        rewritten = true;
        node.setCharset('utf-8');
        encoder.end(Buffer.from(utf7 ? iconv.decode(bytes, 'utf7') : unlabelledText(bytes), 'utf8'));
      } else {
        encoder.end(bytes);
      }
    });
  });
  const out: Buffer[] = [];
  await pipeline(
    Readable.from([raw]),
    new Splitter(),
    partHeaders,
    rewriter,
    new Joiner(),
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        out.push(chunk);
        done();
      },
    }),
  );
  return rewritten ? Buffer.concat(out) : raw;
}
