import path from 'node:path';

import { benchBundles } from './bundles';
import { benchDeadlineBatch } from './deadline-batch';
import { benchIntake } from './intake';
import { benchReport } from './report';
import { benchTransitions } from './transitions';
import { benchWhatIf } from './what-if';
import { benchYear, runYear } from './year';
import type { YearResult } from './year';

const PARTS = ['intake', 'year', 'transitions', 'bundles', 'deadlines', 'report', 'what-if'] as const;
type Part = (typeof PARTS)[number];

interface Options {
  readonly only: ReadonlySet<Part>;
  readonly cases: number;
  readonly submissions: number;
  readonly concurrency: number;
  readonly reportCases: number;
  readonly dataDir?: string;
}

/**
 * `npm run bench [-- --only intake,year,transitions,bundles,deadlines,report,what-if] [--cases N]
 * [--submissions N] [--concurrency N] [--report-cases N] [--data-dir PATH]`: each benchmark prints its measurements and ratios against baselines of the same run.
 * To see where the time goes: `node --cpu-prof --import tsx bench/run.ts --only year --cases 60`.
 */
function parseArgs(argv: readonly string[]): Options {
  let only: Set<Part> = new Set(PARTS);
  let cases = 2000;
  let submissions = 1000;
  let concurrency = 4;
  let reportCases = 20_000;
  let dataDir: string | undefined;
  const count = (flag: string, value: string | undefined): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${flag} needs a positive integer.`);
    return parsed;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=') ? arg.split('=', 2) : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--only': {
        const names = (value() ?? '').split(',').filter((name) => name !== '');
        const unknown = names.filter((name) => !(PARTS as readonly string[]).includes(name));
        if (names.length === 0 || unknown.length > 0) {
          throw new Error(`--only takes a list of ${PARTS.join(', ')}.`);
        }
        only = new Set(names as Part[]);
        break;
      }
      case '--cases':
        cases = count('--cases', value());
        break;
      case '--submissions':
        submissions = count('--submissions', value());
        break;
      case '--concurrency':
        concurrency = count('--concurrency', value());
        break;
      case '--report-cases':
        reportCases = count('--report-cases', value());
        break;
      case '--data-dir':
        // The year on disk (a new folder), as `npm start` runs by default, instead of in memory.
        dataDir = value();
        if (dataDir === undefined || dataDir === '') throw new Error('--data-dir needs a path.');
        break;
      default:
        throw new Error(
          `Unknown option ${arg}. Options: --only, --cases, --submissions, --concurrency, --report-cases, --data-dir.`,
        );
    }
  }
  return {
    only,
    cases,
    submissions,
    concurrency,
    reportCases,
    ...(dataDir !== undefined ? { dataDir } : {}),
  };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const { only } = options;
  if (only.has('intake')) {
    await benchIntake({ submissions: options.submissions, concurrency: options.concurrency });
  }
  let year: YearResult | undefined;
  if (only.has('year') || only.has('transitions')) {
    year = await runYear({
      cases: options.cases,
      concurrency: options.concurrency,
      ...(options.dataDir !== undefined ? { dataDir: path.resolve(options.dataDir) } : {}),
    });
    if (only.has('year')) benchYear(year);
  }
  if (only.has('transitions') && year !== undefined) benchTransitions(year);
  if (only.has('bundles')) await benchBundles();
  if (only.has('deadlines')) await benchDeadlineBatch();
  if (only.has('report')) await benchReport(options.reportCases);
  if (only.has('what-if')) await benchWhatIf(2000);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
