import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { buildSync } from 'esbuild';

import { PDF_RENDERER_PACKAGE } from '../../shared/adapters/pdf/pdfkit-letter-renderer';

const ROOT = path.join(__dirname, '..', '..');

/**
 * The staff API bundle renders letters: bundled as `JalonFunction` bundles (esbuild, node, minified), with the
 * PDF package left external as the staff API stack declares it (`nodeModules`), the renderer loads its fonts
 * and writes a PDF. Bundled inside, pdfkit cannot find its standard fonts at run time.
 */
function renderWithBundle(external: string[]): string {
  // Inside the repository, so that an external package resolves from its node_modules as in the Lambda asset.
  const dir = mkdtempSync(path.join(ROOT, '.bundle-probe-'));
  try {
    const entry = path.join(dir, 'entry.ts');
    writeFileSync(
      entry,
      `import { PdfkitLetterRenderer } from '${path.join(ROOT, 'shared/adapters/pdf/pdfkit-letter-renderer')}';
void new PdfkitLetterRenderer()
  .render({ language: 'fr', letterhead: ['SCT'], dateLine: 'Québec', addressee: ['P'], subjectLine: 'Objet', body: 'Référence' })
  .then((pdf) => process.stdout.write(Buffer.from(pdf.subarray(0, 5)).toString('latin1')));
`,
    );
    const outfile = path.join(dir, 'index.js');
    buildSync({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      minify: true,
      outfile,
      external,
      logLevel: 'silent',
    });
    return execFileSync(process.execPath, [outfile], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the PDF renderer in a Lambda bundle', () => {
  it('renders when the PDF package is installed beside the bundle', () => {
    expect(renderWithBundle(['@aws-sdk/*', PDF_RENDERER_PACKAGE])).toBe('%PDF-');
  });

  it('fails when the PDF package is bundled (why the stack keeps it external)', () => {
    expect(() => renderWithBundle(['@aws-sdk/*'])).toThrow();
  });
});
