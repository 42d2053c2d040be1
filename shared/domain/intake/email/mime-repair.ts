import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { Joiner, Rewriter, Splitter } from '@zone-eu/mailsplit';
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

/**
 * The message with its header block's encoded words made readable: a raw 8-bit byte inside a `Q` word is
 * written `=XX`, so that it is read in the charset the word declares (`=?iso-8859-1?Q?Fr\xF6sche?=` is
 * « Frösche », not a replacement character); a UTF-7 word (which mailparser refuses to decode) is decoded and
 * written again as UTF-8. Anything else is left byte for byte.
 */
export function readableHeaders(raw: Buffer): Buffer {
  const text = raw.toString('latin1');
  const end = headerEnd(text);
  const head = text.slice(0, end);
  if (!/=\?/.test(head)) return raw;
  const repaired = head.replace(
    ENCODED_WORD,
    (whole, charset: string, language: string | undefined, encoding: string, word: string) => {
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
    },
  );
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

/**
 * The message with the plain-text parts mailparser would misread rewritten as UTF-8 (with mailsplit, the
 * MIME splitter mailparser itself uses):
 * - UTF-7 parts (RFC 2152): mailparser refuses UTF-7 because it can smuggle markup past HTML filters; intake
 *   keeps only plain text, so decoding plain-text parts is safe (HTML parts are left as they are);
 * - parts without a charset, or labelled ASCII, that hold 8-bit bytes: valid UTF-8 is kept, anything else is
 *   read as windows-1252, as mail clients do; mailparser would turn each such byte into U+FFFD.
 * A message with no such part is returned unchanged, byte for byte.
 */
export async function plainTextAsUtf8(raw: Buffer): Promise<Buffer> {
  let rewritten = false;
  const rewriter = new Rewriter((node) => {
    const plain = node.contentType === 'text/plain' || (node.root && node.contentType === false);
    const charset = typeof node.charset === 'string' ? node.charset.trim() : false;
    return plain && (isUnlabelled(charset) || (charset !== false && UTF7.test(charset)));
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
