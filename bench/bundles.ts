import { readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { build } from 'esbuild';
import type { BuildOptions, Metafile } from 'esbuild';

import { FUNCTION_RUNTIME, PROJECT_ROOT } from '../infra/aws/constructs/jalon-function';
import { PDF_RENDERER_PACKAGE } from '../shared/adapters/pdf/pdfkit-letter-renderer';
import { formatBytes, formatInt, ratio } from './stats';

/**
 * The options `NodejsFunction` passes to esbuild for a `JalonFunction` (see `jalon-function.ts` and
 * aws-cdk-lib's `Bundling.buildEsbuildArgs`): bundle, `--platform=node`, `--target=node<runtime>`, CommonJS
 * (esbuild's default for node), `--minify`, `--sourcemap` without `sourcesContent`, `@aws-sdk/*` external
 * (the construct's `externalModules`, which replaces CDK's default list), and the PDF renderer, which the
 * stacks copy beside the bundles that use it (their `nodeModules`) instead of bundling it. The source map is
 * written next to the bundle and not counted in the bundle's size.
 */
export function cdkEsbuildOptions(entry: string): BuildOptions {
  const version = /nodejs(\d+)/.exec(FUNCTION_RUNTIME.name)?.[1];
  if (version === undefined) throw new Error(`No Node.js version in runtime ${FUNCTION_RUNTIME.name}.`);
  return {
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    target: `node${version}`,
    format: 'cjs',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    external: ['@aws-sdk/*', PDF_RENDERER_PACKAGE],
    absWorkingDir: PROJECT_ROOT,
    outfile: path.join(
      PROJECT_ROOT,
      'cdk.out',
      'bench-bundles',
      path.basename(path.dirname(entry)),
      'index.js',
    ),
    write: false,
    metafile: true,
    logLevel: 'silent',
  };
}

/** Every Lambda entry, `functions/<name>/index.ts`. */
export function lambdaEntries(): { name: string; entry: string }[] {
  const root = path.join(PROJECT_ROOT, 'functions');
  return readdirSync(root, { withFileTypes: true })
    .filter((dirent) => dirent.isDirectory())
    .map((dirent) => ({ name: dirent.name, entry: path.join(root, dirent.name, 'index.ts') }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export interface BundleSize {
  readonly name: string;
  readonly raw: number;
  readonly gzip: number;
  readonly buildMs: number;
  /** Inputs by bytes they contribute to the minified bundle, largest first. */
  readonly inputs: readonly { readonly path: string; readonly bytes: number }[];
}

export async function measureBundle(name: string, entry: string): Promise<BundleSize> {
  const start = process.hrtime.bigint();
  const result = await build(cdkEsbuildOptions(entry));
  const buildMs = Number(process.hrtime.bigint() - start) / 1e6;
  const js = result.outputFiles?.find((file) => file.path.endsWith('.js'));
  if (js === undefined) throw new Error(`esbuild wrote no bundle for ${name}`);
  return {
    name,
    raw: js.contents.length,
    gzip: gzipSync(js.contents, { level: 9 }).length,
    buildMs,
    inputs: inputsOf(result.metafile),
  };
}

function inputsOf(metafile: Metafile | undefined): { path: string; bytes: number }[] {
  const output = Object.entries(metafile?.outputs ?? {}).find(([file]) => file.endsWith('.js'))?.[1];
  return Object.entries(output?.inputs ?? {})
    .map(([input, { bytesInOutput }]) => ({ path: displayPath(input), bytes: bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes);
}

/** An input path as the repository names it (`node_modules/…` wherever the modules folder really is). */
function displayPath(input: string): string {
  const index = input.lastIndexOf('node_modules/');
  return index === -1 ? input : input.slice(index);
}

/** Groups inputs by package (`node_modules/<pkg>`) or by source folder, for a readable top list. */
function byPackage(inputs: readonly { path: string; bytes: number }[]): { path: string; bytes: number }[] {
  const totals = new Map<string, number>();
  for (const input of inputs) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input.path);
    const key = match?.[1] ?? input.path.split('/').slice(0, 2).join('/');
    totals.set(key, (totals.get(key) ?? 0) + input.bytes);
  }
  return [...totals].map(([key, bytes]) => ({ path: key, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/**
 * Minified size of each Lambda bundle, raw and gzip, with CDK's esbuild options; the largest inputs of each
 * (files, then packages). Baseline of the same run: the smallest bundle.
 */
export async function benchBundles(): Promise<BundleSize[]> {
  const sizes: BundleSize[] = [];
  for (const { name, entry } of lambdaEntries()) sizes.push(await measureBundle(name, entry));
  const smallest = Math.min(...sizes.map((size) => size.raw));
  const lines = [
    `Lambda bundles (esbuild ${FUNCTION_RUNTIME.name}: minify, cjs, @aws-sdk/* and ${PDF_RENDERER_PACKAGE} external; map not counted)`,
  ];
  for (const size of sizes) {
    lines.push(
      `  ${size.name.padEnd(16)} raw ${formatBytes(size.raw).padEnd(24)} gzip ${formatBytes(size.gzip).padEnd(22)} ${ratio(size.raw, smallest).padStart(6)} of the smallest  (built in ${formatInt(size.buildMs)} ms)`,
    );
    const files = size.inputs.slice(0, 3).map((input) => `${input.path} ${formatBytes(input.bytes)}`);
    const packages = byPackage(size.inputs)
      .slice(0, 3)
      .map(
        (input) =>
          `${input.path} ${formatBytes(input.bytes)} (${((input.bytes / size.raw) * 100).toFixed(0)}%)`,
      );
    lines.push(`      top files:    ${files.join('; ')}`);
    lines.push(`      top packages: ${packages.join('; ')}`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
  return sizes;
}
