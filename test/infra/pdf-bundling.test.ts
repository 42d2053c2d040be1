import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { buildSync } from 'esbuild';

import { copyCommands, runtimeClosure } from '../../infra/aws/constructs/copied-modules';

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

/**
 * The bundle as the Lambda asset holds it: built outside the project (nothing resolves from the project's
 * `node_modules`), with the PDF package and its run-time dependencies copied beside it by the commands the
 * stack's bundling hooks run (`copyCommands`), offline.
 */
function renderFromSelfContainedAsset(): string {
  const source = mkdtempSync(path.join(ROOT, '.bundle-probe-'));
  const asset = mkdtempSync(path.join(os.tmpdir(), 'jalon-asset-'));
  try {
    const entry = path.join(source, 'entry.ts');
    writeFileSync(
      entry,
      `import { PdfkitLetterRenderer } from '${path.join(ROOT, 'shared/adapters/pdf/pdfkit-letter-renderer')}';
void new PdfkitLetterRenderer()
  .render({ language: 'en', letterhead: ['SCT'], dateLine: 'Québec', addressee: ['P'], subjectLine: 'Re', body: 'Body' })
  .then((pdf) => process.stdout.write(Buffer.from(pdf.subarray(0, 5)).toString('latin1')));
`,
    );
    buildSync({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      minify: true,
      outfile: path.join(asset, 'index.js'),
      external: ['@aws-sdk/*', PDF_RENDERER_PACKAGE],
      logLevel: 'silent',
    });
    for (const command of copyCommands(runtimeClosure([PDF_RENDERER_PACKAGE], ROOT), asset)) {
      execFileSync('bash', ['-c', command]);
    }
    return execFileSync(process.execPath, [path.join(asset, 'index.js')], {
      cwd: asset,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } finally {
    rmSync(source, { recursive: true, force: true });
    rmSync(asset, { recursive: true, force: true });
  }
}

describe('the PDF renderer in a Lambda bundle', () => {
  it('renders from an asset holding the bundle and the copied packages alone (no registry at synth)', () => {
    expect(renderFromSelfContainedAsset()).toBe('%PDF-');
  });

  it('lists the run-time closure of the PDF package, from the project’s node_modules', () => {
    const names = runtimeClosure([PDF_RENDERER_PACKAGE], ROOT).map((pkg) => pkg.name);
    expect(names).toEqual(expect.arrayContaining([PDF_RENDERER_PACKAGE, 'fontkit', 'linebreak', 'png-js']));
    expect(new Set(names).size).toBe(names.length);
  });

  it('renders when the PDF package is installed beside the bundle', () => {
    expect(renderWithBundle(['@aws-sdk/*', PDF_RENDERER_PACKAGE])).toBe('%PDF-');
  });

  it('fails when the PDF package is bundled (why the stack keeps it external)', () => {
    expect(() => renderWithBundle(['@aws-sdk/*'])).toThrow();
  });
});
