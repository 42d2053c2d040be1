/** The subject a case gets when the message has none (or only blanks). */
export const NO_SUBJECT = '(sans objet)';

/** Longest subject a case holds (`SubjectSchema`). */
export const MAX_SUBJECT_LENGTH = 300;
/** Longest body a case holds (`BodySchema`); the whole message stays in the raw mail. */
export const MAX_BODY_LENGTH = 50_000;
/** Longest file name an attachment reference holds. */
export const MAX_FILENAME_LENGTH = 255;

/** Control characters (C0, DEL, C1) and the Unicode line and paragraph separators. */
const LINE_BREAKING = /[\p{Cc}\u2028\u2029]/gu;
/**
 * Bidirectional embedding, override and isolate controls: they make `facture\u202Efdp.exe` display as
 * `factureexe.pdf`, so they are removed from one-line texts (subjects, names, file names).
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/gu;
/** Control characters other than tab and line feed (carriage returns are normalized before). */
const BODY_CONTROL = /[^\P{Cc}\t\n]/gu;

/** Cuts a text to `max` code points (never inside a surrogate pair), marking the cut with `…`. */
export function truncate(text: string, max: number): string {
  const points = Array.from(text);
  if (points.length <= max) return text;
  return `${points
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

/**
 * A one-line text as a header, a name or a file name must be stored: NFC, every control character and line
 * separator turned into a space, bidirectional controls removed, blanks collapsed, trimmed, cut to `max` code
 * points. Undefined when nothing is left.
 */
export function singleLine(value: string | undefined, max: number): string | undefined {
  if (value === undefined) return undefined;
  const clean = value
    .normalize('NFC')
    .replace(BIDI_CONTROLS, '')
    .replace(LINE_BREAKING, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  return clean === '' ? undefined : truncate(clean, max);
}

/** The case subject of a message: its decoded `Subject:` on one line (at most 300 code points), or « (sans objet) ». */
export function caseSubject(subject: string | undefined): string {
  return singleLine(subject, MAX_SUBJECT_LENGTH) ?? NO_SUBJECT;
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  laquo: '«',
  raquo: '»',
  eacute: 'é',
  egrave: 'è',
  ecirc: 'ê',
  agrave: 'à',
  acirc: 'â',
  ccedil: 'ç',
  ocirc: 'ô',
  ucirc: 'û',
  ugrave: 'ù',
  icirc: 'î',
  iuml: 'ï',
  euml: 'ë',
  Eacute: 'É',
  rsquo: '’',
  lsquo: '‘',
  ldquo: '“',
  rdquo: '”',
  ndash: '–',
  mdash: '—',
  hellip: '…',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (whole, entity: string) => {
    if (entity.startsWith('#')) {
      const code =
        entity[1] === 'x' || entity[1] === 'X'
          ? parseInt(entity.slice(2), 16)
          : parseInt(entity.slice(1), 10);
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[entity] ?? whole;
  });
}

/**
 * Plain text from an HTML body, for HTML-only mail (a fallback: mailparser already converts most): scripts,
 * styles and the head dropped, block ends and `<br>` as line breaks, every other tag removed, entities
 * decoded. Nothing of the HTML survives as markup.
 */
export function htmlToText(html: string): string {
  return decodeEntities(
    html
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<(script|style|head|title)\b[\s\S]*?<\/\1\s*>/gi, '')
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/(p|div|li|tr|h[1-6]|blockquote|table|ul|ol)\s*>/gi, '\n')
      .replace(/<li\b[^>]*>/gi, '- ')
      .replace(/<[^>]*>/g, ''),
  );
}

/**
 * The case body of a message: its text part, or the text of its HTML part when it has no text; NFC, line
 * endings as LF, control characters other than tab and line feed removed, trailing blanks and runs of blank
 * lines trimmed, cut to `max` code points (the full message stays in the raw mail). Empty when the message
 * has no text at all (attachments only).
 */
export function caseBody(text: string | undefined, html: string | undefined, max = MAX_BODY_LENGTH): string {
  const source = text !== undefined && text.trim() !== '' ? text : html !== undefined ? htmlToText(html) : '';
  const clean = source
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .replace(BODY_CONTROL, '')
    .replace(/[ \t\u00a0]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return truncate(clean, max);
}

/** Share of printable characters below which a raw body is not shown as text (binary or encoded data). */
const MIN_PRINTABLE_SHARE = 0.9;

/**
 * The body of a message whose MIME structure could not be read (no boundary, parts that never match the
 * declared one), for staff: the raw body decoded as UTF-8 (latin1 when it is not valid UTF-8), MIME boundary
 * and part-header lines removed, headed by a note that the original is kept. Undefined when it is not text.
 */
export function undecodedBodyText(body: Uint8Array): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    text = Buffer.from(body.buffer, body.byteOffset, body.length).toString('latin1');
  }
  const kept = text
    .split(/\r?\n/)
    .filter((line) => !/^--\S+\s*$/.test(line) && !/^content-[a-z-]+:/i.test(line))
    .join('\n')
    .trim();
  if (kept === '') return undefined;
  const printable = Array.from(kept).filter(
    (character) => !/[\p{Cc}\uFFFD]/u.test(character) || character === '\n' || character === '\t',
  ).length;
  if (printable / Array.from(kept).length < MIN_PRINTABLE_SHARE) return undefined;
  return `[Jalon] Le texte de ce courriel n’a pas pu être décodé (structure MIME irrégulière); il est reproduit tel quel et le courriel original est conservé.\n\n${kept}`;
}

/** The extension of a file name, lower-case, without the dot (trailing dots and blanks ignored, as Windows does). */
export function extensionOf(filename: string): string {
  const trimmed = filename.replace(/[.\s]+$/u, '');
  const dot = trimmed.lastIndexOf('.');
  return dot <= 0 || dot === trimmed.length - 1 ? '' : trimmed.slice(dot + 1).toLowerCase();
}

const EXTENSION_OF_TYPE: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'text/plain': 'txt',
  'text/html': 'html',
  'text/calendar': 'ics',
  'message/rfc822': 'eml',
};

/**
 * The file name of an attachment as a case shows it: the sender's name without any folder part, on one line,
 * bidirectional controls removed, trailing dots and blanks dropped, at most 255 code points with its
 * extension kept; `piece-jointe-<n>` (with an extension from the type when known) when it has none.
 */
export function attachmentFilename(
  filename: string | undefined,
  position: number,
  contentType: string,
): string {
  const base = filename?.split(/[/\\]/).pop();
  const clean = singleLine(base, 10_000)?.replace(/[.\s]+$/u, '');
  if (clean === undefined || clean === '') {
    const extension = EXTENSION_OF_TYPE[contentType];
    return `piece-jointe-${position}${extension !== undefined ? `.${extension}` : ''}`;
  }
  const points = Array.from(clean);
  if (points.length <= MAX_FILENAME_LENGTH) return clean;
  const extension = extensionOf(clean);
  const suffix = extension !== '' && extension.length <= 16 ? `.${extension}` : '';
  return `${points.slice(0, MAX_FILENAME_LENGTH - suffix.length - 1).join('')}…${suffix}`;
}

/**
 * A file name safe in an S3 key and a URL: accents folded, anything but letters, digits, `.`, `_` and `-`
 * turned into `_`, at most 100 characters with the extension kept; `fichier` when nothing is left.
 */
export function storageName(filename: string): string {
  const folded = filename
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^[._]+|[._]+$/g, '');
  if (folded === '') return 'fichier';
  if (folded.length <= 100) return folded;
  const extension = extensionOf(folded);
  const suffix = extension !== '' && extension.length <= 16 ? `.${extension}` : '';
  return `${folded.slice(0, 100 - suffix.length)}${suffix}`;
}

/** The domain of an email address, lower-case (what a holding-pen item keeps of a sender), or undefined. */
export function domainOf(address: string | undefined): string | undefined {
  if (address === undefined) return undefined;
  const at = address.lastIndexOf('@');
  if (at < 0) return undefined;
  return singleLine(address.slice(at + 1).replace(/[<>\s]/g, ''), 255)?.toLowerCase();
}

/** A media type as stored with an attachment: lower-case, parameters dropped; `application/octet-stream` if odd. */
export function mediaType(contentType: string | undefined): string {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(type) && type.length <= 255
    ? type
    : 'application/octet-stream';
}
