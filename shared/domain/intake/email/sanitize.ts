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

/**
 * The named character references of HTML 4 (the 252 of its DTDs: Latin-1, symbols, typography) and `&apos;`,
 * as name and hexadecimal code point, what mail HTML uses (`&eacute;`, `&ouml;`, `&rsquo;`, `&euro;`…).
 */
const HTML4_ENTITIES =
  'quot 22 amp 26 lt 3c gt 3e nbsp a0 iexcl a1 cent a2 pound a3 curren a4 yen a5 brvbar a6 sect a7 ' +
  'uml a8 copy a9 ordf aa laquo ab not ac shy ad reg ae macr af deg b0 plusmn b1 sup2 b2 sup3 b3 ' +
  'acute b4 micro b5 para b6 middot b7 cedil b8 sup1 b9 ordm ba raquo bb frac14 bc frac12 bd ' +
  'frac34 be iquest bf Agrave c0 Aacute c1 Acirc c2 Atilde c3 Auml c4 Aring c5 AElig c6 Ccedil c7 ' +
  'Egrave c8 Eacute c9 Ecirc ca Euml cb Igrave cc Iacute cd Icirc ce Iuml cf ETH d0 Ntilde d1 ' +
  'Ograve d2 Oacute d3 Ocirc d4 Otilde d5 Ouml d6 times d7 Oslash d8 Ugrave d9 Uacute da Ucirc db ' +
  'Uuml dc Yacute dd THORN de szlig df agrave e0 aacute e1 acirc e2 atilde e3 auml e4 aring e5 ' +
  'aelig e6 ccedil e7 egrave e8 eacute e9 ecirc ea euml eb igrave ec iacute ed icirc ee iuml ef ' +
  'eth f0 ntilde f1 ograve f2 oacute f3 ocirc f4 otilde f5 ouml f6 divide f7 oslash f8 ugrave f9 ' +
  'uacute fa ucirc fb uuml fc yacute fd thorn fe yuml ff OElig 152 oelig 153 Scaron 160 scaron 161 ' +
  'Yuml 178 fnof 192 circ 2c6 tilde 2dc Alpha 391 Beta 392 Gamma 393 Delta 394 Epsilon 395 Zeta 396 ' +
  'Eta 397 Theta 398 Iota 399 Kappa 39a Lambda 39b Mu 39c Nu 39d Xi 39e Omicron 39f Pi 3a0 Rho 3a1 ' +
  'Sigma 3a3 Tau 3a4 Upsilon 3a5 Phi 3a6 Chi 3a7 Psi 3a8 Omega 3a9 alpha 3b1 beta 3b2 gamma 3b3 ' +
  'delta 3b4 epsilon 3b5 zeta 3b6 eta 3b7 theta 3b8 iota 3b9 kappa 3ba lambda 3bb mu 3bc nu 3bd ' +
  'xi 3be omicron 3bf pi 3c0 rho 3c1 sigmaf 3c2 sigma 3c3 tau 3c4 upsilon 3c5 phi 3c6 chi 3c7 ' +
  'psi 3c8 omega 3c9 thetasym 3d1 upsih 3d2 piv 3d6 ensp 2002 emsp 2003 thinsp 2009 zwnj 200c ' +
  'zwj 200d lrm 200e rlm 200f ndash 2013 mdash 2014 lsquo 2018 rsquo 2019 sbquo 201a ldquo 201c ' +
  'rdquo 201d bdquo 201e dagger 2020 Dagger 2021 bull 2022 hellip 2026 permil 2030 prime 2032 ' +
  'Prime 2033 lsaquo 2039 rsaquo 203a oline 203e frasl 2044 euro 20ac image 2111 weierp 2118 ' +
  'real 211c trade 2122 alefsym 2135 larr 2190 uarr 2191 rarr 2192 darr 2193 harr 2194 crarr 21b5 ' +
  'lArr 21d0 uArr 21d1 rArr 21d2 dArr 21d3 hArr 21d4 forall 2200 part 2202 exist 2203 empty 2205 ' +
  'nabla 2207 isin 2208 notin 2209 ni 220b prod 220f sum 2211 minus 2212 lowast 2217 radic 221a ' +
  'prop 221d infin 221e ang 2220 and 2227 or 2228 cap 2229 cup 222a int 222b there4 2234 sim 223c ' +
  'cong 2245 asymp 2248 ne 2260 equiv 2261 le 2264 ge 2265 sub 2282 sup 2283 nsub 2284 sube 2286 ' +
  'supe 2287 oplus 2295 otimes 2297 perp 22a5 sdot 22c5 lceil 2308 rceil 2309 lfloor 230a ' +
  'rfloor 230b lang 2329 rang 232a loz 25ca spades 2660 clubs 2663 hearts 2665 diams 2666 apos 27';

const ENTITIES: ReadonlyMap<string, string> = new Map(
  Array.from(HTML4_ENTITIES.matchAll(/(\w+) ([0-9a-f]+)/g), ([, name = '', code = '']) => [
    name,
    String.fromCodePoint(parseInt(code, 16)),
  ]),
);

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z][a-z0-9]{1,7});/gi, (whole, entity: string) => {
    if (entity.startsWith('#')) {
      const code =
        entity[1] === 'x' || entity[1] === 'X'
          ? parseInt(entity.slice(2), 16)
          : parseInt(entity.slice(1), 10);
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES.get(entity) ?? whole;
  });
}

/**
 * Plain text from an HTML body, for HTML-only mail (`parseEmail`): scripts, styles and the head dropped, block
 * ends and `<br>` as line breaks, every other tag removed, character references decoded (numeric, and the
 * named ones of HTML 4). Nothing of the HTML survives as markup.
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
