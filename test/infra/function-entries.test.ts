import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ISource } from 'aws-cdk-lib/aws-s3-deployment';
import { CITIZEN_PAGES } from '../../web/citizen/site';
import { citizenSiteSources, functionEntry, PLACEHOLDER_ENTRY } from '../../infra/aws/function-entries';
import { handler, HandlerNotDeployedError } from '../../infra/aws/placeholder-handler';

function projectRoot(files: readonly string[]): string {
  const root = mkdtempSync(path.join(tmpdir(), 'jalon-root-'));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), '');
  }
  return root;
}

describe('function entries', () => {
  it("uses a function folder's index.ts when it exists", () => {
    const root = projectRoot(['functions/form-intake/index.ts']);
    expect(functionEntry('form-intake', root)).toEqual({
      entry: path.join(root, 'functions', 'form-intake', 'index.ts'),
      present: true,
    });
  });

  it('falls back to the fail-closed placeholder while the handler is not written', () => {
    const root = projectRoot(['functions/email-intake/handler.ts']);
    expect(functionEntry('email-intake', root)).toEqual({ entry: PLACEHOLDER_ENTRY, present: false });
  });

  it('the placeholder fails every invocation (nothing is accepted and dropped)', async () => {
    await expect(handler()).rejects.toBeInstanceOf(HandlerNotDeployedError);
  });

  it('serves the rendered form pages at their object keys, and web/static at the root when it exists', () => {
    const withStatic = staged(citizenSiteSources(projectRoot(['web/static/citizen.css'])));
    const withoutStatic = staged(citizenSiteSources(projectRoot(['web/citizen/form.ts'])));

    const keys = CITIZEN_PAGES.map((page) => page.objectKey);
    expect([...withStatic.keys()].sort()).toEqual([...keys, 'citizen.css'].sort());
    expect([...withoutStatic.keys()].sort()).toEqual([...keys].sort());
    for (const page of CITIZEN_PAGES) {
      const html = withStatic.get(page.objectKey) ?? '';
      expect(html).toMatch(new RegExp(`^<!doctype html>\\s*<html lang="${page.language}"`, 'i'));
      if (page.page === 'form') expect(html).toContain(`action="/api/requests?lang=${page.language}"`);
    }
  });
});

/** What the sources put in the bucket: each source bound and synthesized, its staged files by object key. */
function staged(sources: readonly ISource[]): Map<string, string> {
  const outdir = mkdtempSync(path.join(tmpdir(), 'jalon-site-out-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Site');
  const handlerRole = new iam.Role(stack, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  for (const source of sources) source.bind(stack, { handlerRole });
  app.synth();
  const files = new Map<string, string>();
  for (const asset of readdirSync(outdir).filter((name) => name.startsWith('asset.'))) {
    const dir = path.join(outdir, asset);
    for (const file of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (!file.isFile()) continue;
      const full = path.join(file.parentPath, file.name);
      files.set(path.relative(dir, full).split(path.sep).join('/'), readFileSync(full, 'utf8'));
    }
  }
  return files;
}
