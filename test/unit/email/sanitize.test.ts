import {
  MAX_BODY_LENGTH,
  NO_SUBJECT,
  attachmentFilename,
  caseBody,
  caseSubject,
  domainOf,
  extensionOf,
  htmlToText,
  mediaType,
  singleLine,
  storageName,
  truncate,
  undecodedBodyText,
} from '../../../shared/domain/intake/email/sanitize';
import { BodySchema, SubjectSchema } from '../../../shared/domain/case/case';

describe('case subject', () => {
  it('puts the subject on one line: controls and line separators become spaces, blanks collapse', () => {
    expect(caseSubject('  Demande\r\n\td’accès\u2028à\u0000un  document ')).toBe(
      'Demande d’accès à un document',
    );
  });

  it('removes bidirectional override characters and normalizes to NFC', () => {
    expect(caseSubject('Re\u0301sultats \u202Efdp.exe')).toBe('Résultats fdp.exe');
  });

  it('falls back to « (sans objet) » for a missing or blank subject', () => {
    expect(caseSubject(undefined)).toBe(NO_SUBJECT);
    expect(caseSubject(' \t\r\n ')).toBe('(sans objet)');
  });

  it('cuts a long subject to 300 code points, never inside a surrogate pair, and it passes the case schema', () => {
    const subject = caseSubject('é'.repeat(150) + '😀'.repeat(400));

    expect(Array.from(subject)).toHaveLength(300);
    expect(subject.endsWith('…')).toBe(true);
    expect(subject).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(SubjectSchema.safeParse(subject).success).toBe(true);
  });

  it('truncate leaves short texts alone', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcd', 3)).toBe('ab…');
  });

  it('singleLine gives undefined for nothing left', () => {
    expect(singleLine('\u202E \u0007', 10)).toBeUndefined();
  });
});

describe('case body', () => {
  it('prefers the text part, normalizes line ends and removes control characters but tabs', () => {
    expect(caseBody('Bonjour,\r\n\r\n\r\n\r\nligne\tdeux \u0007\rfin  \n', '<p>ignored</p>')).toBe(
      'Bonjour,\n\nligne\tdeux\nfin',
    );
  });

  it('turns HTML-only mail into text: no markup, no script or style, entities decoded', () => {
    const body = caseBody(
      undefined,
      '<html><head><style>p{}</style></head><body><p>Caf&eacute; &amp; th&#233;</p><script>alert(1)</script><br>fin&nbsp;!</body></html>',
    );

    expect(body).toBe('Café & thé\n\nfin\u00a0!');
    expect(BodySchema.safeParse(body).success).toBe(true);
  });

  it('uses the HTML when the text part is blank', () => {
    expect(caseBody('  \n', '<ul><li>un</li><li>deux</li></ul>')).toBe('- un\n- deux');
  });

  it('is empty for a message without any text', () => {
    expect(caseBody(undefined, undefined)).toBe('');
  });

  it('cuts at the case limit (the raw mail keeps the rest)', () => {
    const body = caseBody('x'.repeat(MAX_BODY_LENGTH + 10), undefined);

    expect(body).toHaveLength(MAX_BODY_LENGTH);
    expect(body.endsWith('…')).toBe(true);
  });

  it('htmlToText decodes the named references of HTML 4 that mail HTML uses, digits in names too', () => {
    expect(
      htmlToText('<p>Fr&ouml;sche &uuml;ber mi&szlig;liche Lage, 50&nbsp;&euro;, 3&nbsp;m&sup2; &copy;</p>'),
    ).toBe('Frösche über mißliche Lage, 50\u00a0€, 3\u00a0m² ©\n');
    expect(htmlToText('&unknown; &amp;ouml;')).toBe('&unknown; &ouml;');
  });

  it('htmlToText drops comments and never leaves a tag', () => {
    expect(htmlToText('<!-- <p>secret</p> --><div>a<b>b</b></div><img src=x onerror=alert(1)>')).toBe('ab\n');
  });

  it('shows the raw text of an undecodable MIME body with a note, but not binary data', () => {
    const text = undecodedBodyText(
      Buffer.from('--b\r\nContent-Type: text/plain\r\n\r\nQuel délai?\r\n--b--\r\n', 'utf8'),
    );

    expect(text).toContain('structure MIME irrégulière');
    expect(text?.endsWith('Quel délai?')).toBe(true);
    expect(undecodedBodyText(Buffer.from('Qu\xe9bec', 'latin1'))).toContain('Québec');
    expect(undecodedBodyText(Buffer.from(Array.from({ length: 256 }, (_, i) => i % 32)))).toBeUndefined();
    expect(undecodedBodyText(Buffer.from('--b--\r\n'))).toBeUndefined();
  });
});

describe('attachment names', () => {
  it('keeps the sender’s name without folders, controls or trailing dots', () => {
    expect(attachmentFilename('C:\\Users\\marie\\Relevé\u0000 2025.pdf. ', 1, 'application/pdf')).toBe(
      'Relevé 2025.pdf',
    );
    expect(attachmentFilename('../../etc/passwd', 1, 'text/plain')).toBe('passwd');
  });

  it('removes bidi overrides that would disguise an extension', () => {
    expect(attachmentFilename('facture\u202Efdp.exe', 1, 'application/octet-stream')).toBe('facturefdp.exe');
  });

  it('names an unnamed attachment by its position and type', () => {
    expect(attachmentFilename(undefined, 3, 'image/png')).toBe('piece-jointe-3.png');
    expect(attachmentFilename('  ', 2, 'application/x-unknown')).toBe('piece-jointe-2');
  });

  it('cuts a long name to 255 code points and keeps its extension', () => {
    const name = attachmentFilename(`${'a'.repeat(400)}.pdf`, 1, 'application/pdf');

    expect(Array.from(name)).toHaveLength(255);
    expect(name.endsWith('….pdf')).toBe(true);
  });

  it('makes an S3-safe storage name, accents folded', () => {
    expect(storageName('Relevé de compte (2025).pdf')).toBe('Releve_de_compte_2025_.pdf');
    expect(storageName('日本語')).toBe('fichier');
    expect(storageName(`${'b'.repeat(300)}.docx`)).toMatch(/^b{95}\.docx$/);
  });

  it('reads extensions as Windows does', () => {
    expect(extensionOf('rapport.PDF')).toBe('pdf');
    expect(extensionOf('virus.exe. . ')).toBe('exe');
    expect(extensionOf('.bashrc')).toBe('');
    expect(extensionOf('sans-extension')).toBe('');
  });
});

describe('other values', () => {
  it('keeps only the domain of a sender, lower case', () => {
    expect(domainOf('Marie.Tremblay@Example.COM')).toBe('example.com');
    expect(domainOf('no-at-sign')).toBeUndefined();
    expect(domainOf(undefined)).toBeUndefined();
  });

  it('normalizes media types and replaces odd ones', () => {
    expect(mediaType('Application/PDF; name="x.pdf"')).toBe('application/pdf');
    expect(mediaType('')).toBe('application/octet-stream');
    expect(mediaType('text/plain\r\nX-Evil: 1')).toBe('application/octet-stream');
  });
});
