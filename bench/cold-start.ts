import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { build } from 'esbuild';
import type { Metafile } from 'esbuild';

import { PROJECT_ROOT } from '../infra/aws/constructs/jalon-function';
import { cdkEsbuildOptions, lambdaEntries } from './bundles';
import { BENCH_LAMBDA_ENV } from './lambda-env';
import { formatMs, median } from './stats';

/** `require`s of each bundle (each in a new Node process) whose median is the bundle's module-load time. */
export const COLD_START_SAMPLES = 15;

export interface ColdStart {
  readonly name: string;
  /** The bundle's median module load over the baseline's (both measured in this run, interleaved). */
  readonly ratio: number;
  readonly loadMs: number;
  readonly baselineMs: number;
  /** The AWS SDK packages the bundle imports (external to it), which the baseline holds. */
  readonly sdkPackages: readonly string[];
}

/** `measured / baseline` of the medians of two sample lists. Throws on an empty list or a zero baseline. */
export function coldStartRatio(samples: readonly number[], baselineSamples: readonly number[]): number {
  const baseline = median(baselineSamples);
  if (baseline <= 0) throw new RangeError('cold start baseline of zero');
  return median(samples) / baseline;
}

/** The `@aws-sdk/*` packages a bundle imports (esbuild leaves them external), sorted, each once. */
export function sdkPackagesOf(metafile: Metafile): string[] {
  const packages = new Set<string>();
  for (const input of Object.values(metafile.inputs)) {
    for (const imported of input.imports) {
      const match = /^@aws-sdk\/[^/]+/.exec(imported.path);
      if (imported.external === true && match !== null) packages.add(match[0]);
    }
  }
  return [...packages].sort();
}

/**
 * The baseline of a bundle, as CommonJS source: it requires each of the bundle's AWS SDK packages and
 * constructs the client each `client-*` package exports (`clients[package]`, e.g. `DynamoDBClient`), as a
 * function's entry does at cold start, and nothing else.
 */
export function sdkBaselineSource(
  packages: readonly string[],
  clients: Readonly<Record<string, string>>,
): string {
  const lines = ["'use strict';"];
  packages.forEach((name, i) => {
    lines.push(`const sdk${i} = require(${JSON.stringify(name)});`);
    const client = clients[name];
    if (client !== undefined) lines.push(`new sdk${i}[${JSON.stringify(client)}]({});`);
  });
  return `${lines.join('\n')}\n`;
}

/** The client class a `@aws-sdk/client-*` package exports (`DynamoDBClient`), if any. */
function clientExportOf(name: string): string | undefined {
  if (!name.startsWith('@aws-sdk/client-')) return undefined;
  const exports = createRequire(path.join(PROJECT_ROOT, 'package.json'))(name) as Record<string, unknown>;
  return Object.keys(exports)
    .filter((key) => /^[A-Za-z0-9]+Client$/.test(key) && !key.startsWith('_'))
    .filter((key) => {
      const value = exports[key];
      return (
        typeof value === 'function' && typeof (value.prototype as { send?: unknown }).send === 'function'
      );
    })
    .sort((a, b) => a.length - b.length)[0];
}

const LOADER = [
  'const start = process.hrtime.bigint();',
  'require(process.argv[1]);',
  'process.stdout.write(String(Number(process.hrtime.bigint() - start) / 1e6));',
  'process.exit(0);',
].join('\n');

/** Milliseconds one `require` of `file` takes in a new Node process, with the Lambdas' environment. */
function loadMs(file: string): number {
  const result = spawnSync(process.execPath, ['-e', LOADER, file], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...BENCH_LAMBDA_ENV },
    encoding: 'utf8',
  });
  const ms = Number(result.stdout);
  if (result.status !== 0 || !Number.isFinite(ms)) {
    throw new Error(`loading ${path.relative(PROJECT_ROOT, file)} failed: ${result.stderr.slice(0, 2000)}`);
  }
  return ms;
}

/**
 * Module-load time of each Lambda bundle (built with CDK's esbuild options and written to
 * `cdk.out/bench-cold-start/`): the median of `COLD_START_SAMPLES` `require`s, each in a new Node process,
 * over that of a bundle holding only the AWS SDK clients the function uses (`sdkBaselineSource`), the two
 * measured alternately so that machine load weighs on both.
 */
export async function benchColdStart(): Promise<ColdStart[]> {
  const dir = path.join(PROJECT_ROOT, 'cdk.out', 'bench-cold-start');
  const results: ColdStart[] = [];
  const lines = [
    `Cold start: module load of each bundle (median of ${COLD_START_SAMPLES} requires, new process each) / a bundle holding only its AWS SDK clients`,
  ];
  for (const { name, entry } of lambdaEntries()) {
    const outfile = path.join(dir, name, 'index.js');
    // The PDF renderer (external, see `cdkEsbuildOptions`) loads from node_modules here as from the function's
    // folder in Lambda.
    const built = await build({ ...cdkEsbuildOptions(entry), outfile, write: true });
    if (built.metafile === undefined) throw new Error(`esbuild gave no metafile for ${name}`);
    const sdkPackages = sdkPackagesOf(built.metafile);
    const clients: Record<string, string> = {};
    for (const sdk of sdkPackages) {
      const client = clientExportOf(sdk);
      if (client !== undefined) clients[sdk] = client;
    }
    const baselineFile = path.join(dir, name, 'sdk-baseline.js');
    mkdirSync(path.dirname(baselineFile), { recursive: true });
    writeFileSync(baselineFile, sdkBaselineSource(sdkPackages, clients));
    const samples: number[] = [];
    const baselineSamples: number[] = [];
    for (let i = 0; i < COLD_START_SAMPLES; i++) {
      samples.push(loadMs(outfile));
      baselineSamples.push(loadMs(baselineFile));
    }
    const result: ColdStart = {
      name,
      ratio: coldStartRatio(samples, baselineSamples),
      loadMs: median(samples),
      baselineMs: median(baselineSamples),
      sdkPackages,
    };
    results.push(result);
    lines.push(
      `  ${name.padEnd(18)} ${formatMs(result.loadMs).padStart(9)} / ${formatMs(result.baselineMs).padStart(9)} = ${result.ratio.toFixed(2)}×  (${sdkPackages.map((sdk) => sdk.replace('@aws-sdk/', '')).join(', ') || 'no SDK'})`,
    );
    process.stderr.write(`  cold start: ${name} measured\n`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
  return results;
}
