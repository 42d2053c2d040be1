import type { LetterRenderer, PrintableLetter } from '../../domain/letters/ports';

/**
 * The npm package of the renderer. It loads its font metrics by package subpath imports at run time, which a
 * bundler cannot inline: Lambda bundles keep it external and install it beside the bundle.
 */
export const PDF_RENDERER_PACKAGE = 'pdfkit';

/**
 * pdfkit's document class, required on the first letter rather than with the module: its load (font
 * metrics, compression tables) cost a function rendering letters as much as the rest of its own code at cold
 * start, and most invocations render none (`docs/cold-start.md`). `require`, not `import()`: Node would then
 * load pdfkit's ES module build, which the tests do not run.
 */
function loadPdfkit(): typeof import('pdfkit') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('pdfkit') as typeof import('pdfkit');
}

/** Characters the standard PDF fonts (WinAnsi) lack, replaced by their nearest printable equivalent. */
const UNPRINTABLE: Readonly<Record<string, string>> = { '\u202f': '\u00a0', '\u2011': '-' };

function printable(text: string): string {
  return text.replace(/[\u202f\u2011]/g, (c) => UNPRINTABLE[c] ?? c);
}

/**
 * Renders a letter as a one-column Letter-size PDF with pdfkit: letterhead, date, addressee, subject, body.
 * Standard Helvetica only (no font files to ship); the document metadata carries no personal data.
 */
export class PdfkitLetterRenderer implements LetterRenderer {
  async render(letter: PrintableLetter): Promise<Uint8Array> {
    const PDFDocument = loadPdfkit();
    const doc = new PDFDocument({
      size: 'LETTER',
      margins: { top: 72, bottom: 72, left: 72, right: 72 },
      lang: letter.language === 'fr' ? 'fr-CA' : 'en-CA',
      info: { Title: letter.language === 'fr' ? 'Lettre' : 'Letter', Producer: 'Jalon', Creator: 'Jalon' },
    });
    const chunks: Buffer[] = [];
    const done = new Promise<Uint8Array>((resolve, reject) => {
      doc.on('data', (chunk: Buffer) => chunks.push(chunk));
      doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
      doc.on('error', reject);
    });
    const [name, ...address] = letter.letterhead;
    doc
      .font('Helvetica-Bold')
      .fontSize(13)
      .text(printable(name ?? ''));
    doc.font('Helvetica').fontSize(9);
    for (const line of address) doc.text(printable(line));
    doc.moveDown(2).fontSize(11);
    doc.text(printable(letter.dateLine));
    doc.moveDown(1.5);
    for (const line of letter.addressee) doc.text(printable(line));
    doc.moveDown(1.5);
    doc.font('Helvetica-Bold').text(printable(letter.subjectLine));
    doc.font('Helvetica').moveDown();
    for (const paragraph of letter.body.split(/\n{2,}/)) {
      doc.text(printable(paragraph), { align: 'left' });
      doc.moveDown(0.8);
    }
    doc.end();
    return done;
  }
}
