/**
 * Repairs, before postal-mime reads a message, what real mail gets wrong and postal-mime leaves unread. Only
 * the copy given to the parser is changed; the raw message stays as received.
 */

/** The names of UTF-7 (RFC 2152) as mail clients label it. */
const UTF7 = /^(?:unicode-?1-?1-?)?utf-?7$/i;
/**
 * An RFC 2047 encoded word, read byte for byte (latin1): charset (with an optional RFC 2231 language), `Q`
 * or `B`, text. Raw 8-bit bytes are allowed in the text: some mailers put them there.
 */
const ENCODED_WORD = /=\?([^?\x00-\x20*]+)(\*[^?\x00-\x20]*)?\?([QqBb])\?([^?\x00-\x20]*)\?=/g;

/**
 * UTF-7 (RFC 2152) text, which no `TextDecoder` reads: `+` opens a run of modified base64 holding UTF-16
 * code units, closed by `-` (absorbed) or by any character outside base64; `+-` is a plus sign.
 */
export function utf7Decoded(bytes: Buffer): string {
  return bytes.toString('latin1').replace(/\+([A-Za-z0-9+/]*)-?/g, (_whole, run: string) => {
    if (run === '') return '+';
    const units = Buffer.from(run, 'base64');
    let text = '';
    for (let index = 0; index + 1 < units.length; index += 2)
      text += String.fromCharCode(units.readUInt16BE(index));
    return text;
  });
}

/**
 * The labels the Encoding Standard reads as windows-1252 (ISO-8859-1 and its aliases among them: mail
 * labelled Latin-1 is mostly windows-1252, curly quotes and € included).
 */
const WINDOWS_1252_LABEL =
  /^(?:windows-1252|x-cp1252|cp1252|cp819|ibm819|csisolatin1|iso-ir-100|l1|latin-?1|iso[-_]?8859-1(?::1987)?|iso88591)$/i;
/** windows-1252's letters for the bytes 0x80–0x9F; the other bytes are Latin-1. */
const WINDOWS_1252_HIGH =
  '\u20AC\x81\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\x8D\u017D\x8F' +
  '\x90\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\x9D\u017E\u0178';

function isWindows1252(charset: string): boolean {
  return WINDOWS_1252_LABEL.test(charset.trim());
}

/** Bytes that windows-1252 reads otherwise than Latin-1 (0x80–0x9F: €, curly quotes, dashes…). */
function hasWindows1252Letters(bytes: Uint8Array): boolean {
  return bytes.some((byte) => byte >= 0x80 && byte <= 0x9f);
}

/**
 * Bytes as windows-1252 text. Node's `TextDecoder('windows-1252')` (which postal-mime uses for windows-1252,
 * ISO-8859-1 and ASCII) reads 0x80–0x9F as Latin-1 control characters since Node 20.18.3 and 22.13.0
 * (nodejs/node#60888): « 50 € » would lose its euro sign.
 */
export function windows1252Text(bytes: Uint8Array): string {
  return Buffer.from(bytes)
    .toString('latin1')
    .replace(/[\x80-\x9F]/g, (char) => WINDOWS_1252_HIGH[char.charCodeAt(0) - 0x80] ?? char);
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
    const decoded = utf7Decoded(wordBytes(encoding, word));
    return `=?UTF-8?B?${Buffer.from(decoded, 'utf8').toString('base64')}?=`;
  }
  if (isWindows1252(charset) && hasWindows1252Letters(wordBytes(encoding, word))) {
    const decoded = windows1252Text(wordBytes(encoding, word));
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
 * written `%XX`, so that they are read in the charset the parameter declares; a windows-1252 or Latin-1 value
 * holding bytes 0x80–0x9F is decoded (`windows1252Text`) and written again in UTF-8. Other parameters are left
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
    const bytes = Buffer.concat(
      group.map((section, index) => {
        const value = index === 0 ? rest : section.value;
        return section.extended ? percentDecoded(value) : Buffer.from(value, 'latin1');
      }),
    );
    const windows1252 = isWindows1252(charset) && hasWindows1252Letters(bytes);
    const rawBytes = group.some((section) => section.extended && /[\x80-\xFF]/.test(section.value));
    if (!utf7 && !windows1252 && !rawBytes) continue;
    const text = utf7
      ? Buffer.from(utf7Decoded(bytes), 'utf8')
      : windows1252
        ? Buffer.from(windows1252Text(bytes), 'utf8')
        : bytes;
    const label = utf7 || windows1252 ? 'utf-8' : charset;
    const written = `;${first.space}${first.name}*=${label}'${language}'${percentEncoded(text)}`;
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
 * A header block (the message's or a part's, read byte for byte as latin1) with what postal-mime misreads made
 * readable:
 * - a raw 8-bit byte inside a `Q` encoded word is written `=XX`, so that it is read in the charset the word
 *   declares (`=?iso-8859-1?Q?Fr\xF6sche?=` is « Frösche », not a replacement character);
 * - a UTF-7 encoded word (which `TextDecoder` cannot decode) is decoded and written again as UTF-8, and so is
 *   a windows-1252 or Latin-1 word holding bytes 0x80–0x9F (`windows1252Text`);
 * - the RFC 2231 parameters of `Content-Type` and `Content-Disposition` (`name*=`, `filename*=`), likewise
 *   (`readableParameters`).
 * Anything else is left byte for byte.
 */
export function readableHeaderBlock(head: string): string {
  const words = /=\?/.test(head) ? head.replace(ENCODED_WORD, readableWord) : head;
  return /\*[0-9]*\*?=/.test(words) ? words.replace(PARAMETER_FIELD, readableParameters) : words;
}

/** Charset labels that promise 7-bit text, or no label at all: 8-bit bytes there are mislabeled. */
function isUnlabelled(charset: string | undefined): boolean {
  return charset === undefined || /^(?:us-?ascii|ascii|ansi_x3\.4-1968)?$/i.test(charset.trim());
}

/** Bytes as text: valid UTF-8 as such, anything else as windows-1252 (what unlabelled 8-bit mail mostly is). */
export function unlabelledText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return windows1252Text(bytes);
  }
}

/** A header field of a block (its first occurrence), unfolded and trimmed. */
function fieldValue(head: string, name: string): string | undefined {
  const match = new RegExp(`^${name}[ \\t]*:([^\\n]*(?:\\n[ \\t][^\\n]*)*)`, 'im').exec(head);
  return match?.[1]?.replace(/\r?\n/g, '').trim();
}

/** A parameter of a structured field value (`boundary`, `charset`), unquoted. */
function parameterOf(value: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*("(?:[^"\\\\]|\\\\[\\s\\S])*"|[^;\\s]*)`, 'i').exec(value);
  return match?.[1] !== undefined ? unquoted(match[1]) : undefined;
}

/** The first token of a field value, lower-case (`text/plain`, `attachment`, `base64`). */
function tokenOf(value: string | undefined): string | undefined {
  const token = value?.split(';')[0]?.trim().toLowerCase();
  return token === '' ? undefined : token;
}

function quotedPrintableDecoded(text: string): Buffer {
  return Buffer.from(
    text
      .replace(/[ \t]+(\r?\n)/g, '$1')
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-Fa-f]{2})/g, (_whole, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  );
}

/** A part's body bytes, its transfer encoding undone (base64, quoted-printable; anything else as is). */
function bodyBytes(body: string, transferEncoding: string | undefined): Buffer {
  if (transferEncoding === 'base64') return Buffer.from(body, 'base64');
  if (transferEncoding === 'quoted-printable') return quotedPrintableDecoded(body);
  return Buffer.from(body, 'latin1');
}

/** A header block without the fields named (each with its folded lines). */
function withoutFields(head: string, names: readonly string[]): string {
  return head.replace(
    new RegExp(`^(?:${names.join('|')})[ \\t]*:[^\\n]*\\n?(?:[ \\t][^\\n]*\\n?)*`, 'gim'),
    '',
  );
}

/** A line of the message: how it ends (`\r\n`, `\n`, or nothing at the end of the message) aside. */
function content(line: string): string {
  return line.replace(/\r?\n$/, '');
}

/** A line that is a boundary delimiter of `boundary` (`--b`, or `--b--` when it closes), blanks allowed after. */
function delimits(line: string, boundary: string): 'part' | 'close' | undefined {
  const text = content(line);
  if (!text.startsWith(`--${boundary}`)) return undefined;
  const rest = text.slice(boundary.length + 2);
  if (/^[ \t]*$/.test(rest)) return 'part';
  return /^--[ \t]*$/.test(rest) ? 'close' : undefined;
}

/**
 * Walks the MIME tree of a message, line by line (latin1: every byte kept), as postal-mime splits it: a header
 * block up to the first empty line, multipart bodies cut at the delimiters of the boundaries declared so far
 * (a delimiter of an enclosing boundary also ends an inner part that was never closed), `message/rfc822`
 * parts read as a message of their own. The header block and body of each other part go through `repairPart`.
 */
class PartWalker {
  readonly out: string[] = [];
  private index = 0;

  constructor(
    private readonly lines: readonly string[],
    private readonly repairPart: (
      head: string,
      body: string,
      defaultType: string,
    ) => readonly [string, string],
  ) {}

  /** Whether `line` is a delimiter of one of the `boundaries`. */
  private delimiter(line: string, boundaries: readonly string[]): boolean {
    return boundaries.some((boundary) => delimits(line, boundary) !== undefined);
  }

  part(boundaries: readonly string[], defaultType: string): void {
    const head: string[] = [];
    let line = this.lines[this.index];
    while (line !== undefined && content(line) !== '' && !this.delimiter(line, boundaries)) {
      head.push(line);
      line = this.lines[++this.index];
    }
    const blank = line !== undefined && content(line) === '' ? line : '';
    if (blank !== '') this.index += 1;
    const block = head.join('');
    const contentType = fieldValue(block, 'content-type');
    const mediaType = tokenOf(contentType) ?? defaultType;
    const boundary = mediaType.startsWith('multipart/')
      ? parameterOf(contentType ?? '', 'boundary')
      : undefined;
    const encoding = tokenOf(fieldValue(block, 'content-transfer-encoding'));
    if (boundary !== undefined && boundary !== '') {
      this.out.push(readableHeaderBlock(block), blank);
      this.multipart(
        [...boundaries, boundary],
        mediaType === 'multipart/digest' ? 'message/rfc822' : 'text/plain',
      );
    } else if (
      mediaType === 'message/rfc822' &&
      (encoding === undefined || /^(?:7bit|8bit|binary)$/.test(encoding))
    ) {
      this.out.push(readableHeaderBlock(block), blank);
      this.part(boundaries, 'text/plain');
    } else {
      const body: string[] = [];
      for (line = this.lines[this.index]; line !== undefined && !this.delimiter(line, boundaries);) {
        body.push(line);
        line = this.lines[++this.index];
      }
      const [newHead, newBody] = this.repairPart(block, body.join(''), defaultType);
      this.out.push(newHead, blank, newBody);
    }
  }

  private multipart(boundaries: readonly string[], defaultType: string): void {
    const enclosing = boundaries.slice(0, -1);
    for (let line = this.lines[this.index]; line !== undefined; line = this.lines[this.index]) {
      const own = delimits(line, boundaries[boundaries.length - 1] ?? '');
      if (own === undefined && this.delimiter(line, enclosing)) return;
      this.out.push(line);
      this.index += 1;
      if (own === 'close') break;
      if (own === 'part') this.part(boundaries, defaultType);
    }
    for (let line = this.lines[this.index]; line !== undefined && !this.delimiter(line, enclosing);) {
      this.out.push(line);
      line = this.lines[++this.index];
    }
  }
}

/**
 * The text of a part postal-mime would misread, or undefined when it reads it right: UTF-7; plain text
 * without a charset or labelled ASCII holding 8-bit bytes (`unlabelledText`); text labelled windows-1252 or
 * Latin-1 holding 0x80–0x9F (`windows1252Text`).
 */
function textOf(
  mediaType: string,
  charset: string | undefined,
  body: string,
  transferEncoding: string | undefined,
): string | undefined {
  if (mediaType !== 'text/plain' && mediaType !== 'text/html') return undefined;
  const utf7 = charset !== undefined && UTF7.test(charset.trim());
  const unlabelled = mediaType === 'text/plain' && isUnlabelled(charset);
  const windows1252 = charset !== undefined && isWindows1252(charset);
  if (!utf7 && !unlabelled && !windows1252) return undefined;
  const bytes = bodyBytes(body, transferEncoding);
  if (utf7) return utf7Decoded(bytes);
  if (unlabelled && bytes.some((byte) => byte >= 0x80)) return unlabelledText(bytes);
  return windows1252 && hasWindows1252Letters(bytes) ? windows1252Text(bytes) : undefined;
}

/**
 * A text part made readable: its header block (`readableHeaderBlock`) and, unless it is sent as an attachment,
 * its body when postal-mime would misread it:
 * - UTF-7 text parts (RFC 2152), plain or HTML, are decoded and labelled UTF-8. No `TextDecoder` reads UTF-7
 *   (postal-mime would show the encoded letters); once decoded, every tag is plain to see, so intake's
 *   HTML-to-text reads what the sender's client shows;
 * - plain-text parts without a charset, or labelled ASCII, that hold 8-bit bytes: valid UTF-8 is kept,
 *   anything else is read as windows-1252, as mail clients do (postal-mime reads an unlabelled part as UTF-8,
 *   each other byte becoming U+FFFD, and ASCII as windows-1252, UTF-8 becoming mojibake);
 * - text parts labelled windows-1252 or Latin-1 holding bytes 0x80–0x9F (`windows1252Text`).
 * A rewritten body is written again in base64 with `charset=utf-8`.
 */
function repairedPart(head: string, body: string, defaultType: string): readonly [string, string] {
  const repaired = readableHeaderBlock(head);
  const contentType = fieldValue(repaired, 'content-type');
  const mediaType = tokenOf(contentType) ?? defaultType;
  const transferEncoding = tokenOf(fieldValue(repaired, 'content-transfer-encoding'));
  const eol = head.includes('\r\n') ? '\r\n' : '\n';
  const base64 = (bytes: Buffer, type?: string) => {
    const fields = withoutFields(repaired, [
      ...(type !== undefined ? ['content-type'] : []),
      'content-transfer-encoding',
    ]);
    const typeField = type !== undefined ? `Content-Type: ${type}${eol}` : '';
    const encoded = bytes.toString('base64').replace(/.{1,76}/g, `$&${eol}`);
    return [`${fields}${typeField}Content-Transfer-Encoding: base64${eol}`, encoded] as const;
  };
  // A multipart part without a boundary is left for the parser to read as it can.
  if (mediaType.startsWith('multipart/')) return [repaired, body];
  if (
    tokenOf(fieldValue(repaired, 'content-disposition')) === 'attachment' ||
    !/^text\/(?:plain|html)$/.test(mediaType)
  ) {
    // A file is kept as it was sent: postal-mime would end an unencoded one with a line feed of its own and
    // turn its line endings into LF, so it is handed over in base64, the delimiter's line ending left out.
    if (transferEncoding === 'base64' || body === '') return [repaired, body];
    return base64(bodyBytes(body.replace(/\r?\n$/, ''), transferEncoding));
  }
  const charset = contentType !== undefined ? parameterOf(contentType, 'charset') : undefined;
  const text = textOf(mediaType, charset, body, transferEncoding);
  if (text === undefined) return [repaired, body];
  const type =
    contentType === undefined || tokenOf(contentType) === undefined
      ? `${mediaType}; charset=utf-8`
      : charset !== undefined
        ? contentType.replace(/(;\s*charset\s*=\s*)("(?:[^"\\]|\\[\s\S])*"|[^;\s]*)/i, '$1utf-8')
        : `${contentType}; charset=utf-8`;
  return base64(Buffer.from(text, 'utf8'), type);
}

/**
 * The message with what postal-mime would misread made readable: the header block of the message and of every
 * part (`readableHeaderBlock`: file names in `Content-Type` `name` and `Content-Disposition` `filename`, RFC
 * 2047 or RFC 2231), and its UTF-7 and unlabelled 8-bit text parts (`repairedPart`). Parts sent as
 * attachments keep their bytes: the stored file is what was sent. A message with nothing to repair is
 * returned unchanged, byte for byte.
 */
export function readableMessage(raw: Buffer): Buffer {
  const text = raw.toString('latin1');
  const walker = new PartWalker(text.match(/[^\n]*\n|[^\n]+$/g) ?? [], repairedPart);
  walker.part([], 'text/plain');
  const repaired = walker.out.join('');
  return repaired === text ? raw : Buffer.from(repaired, 'latin1');
}
