/** The parts `npm run bench` can run (`--only`), in the order they run. */
export const PARTS = [
  'intake',
  'year',
  'transitions',
  'bundles',
  'cold-start',
  'deadlines',
  'report',
  'report-year',
  'what-if',
  'mirror-catch-up',
  'dynamo-transport',
] as const;
export type Part = (typeof PARTS)[number];

/** The mixes of cases the year report can be run on (`--report-year-mix`). */
export const REPORT_YEAR_MIXES = ['realistic', 'scripted'] as const;
export type ReportYearMix = (typeof REPORT_YEAR_MIXES)[number];

/** Where the year report's aggregates are seeded (`--report-year-store`). */
export const REPORT_YEAR_STORES = ['dynalite', 'memory', 'memory-http'] as const;
export type ReportYearStore = (typeof REPORT_YEAR_STORES)[number];

/** The parts `--json` runs unless `--only` says otherwise: those its object reports. */
export const JSON_PARTS: readonly Part[] = ['intake', 'year', 'bundles', 'cold-start'];

export interface BenchOptions {
  readonly only: ReadonlySet<Part>;
  readonly json: boolean;
  readonly cases: number;
  readonly submissions: number;
  readonly concurrency: number;
  readonly reportCases: number;
  /** Cases of the year report by day summaries (`--report-year-cases`, 200,000 by default). */
  readonly reportYearCases: number;
  /**
   * What the year report's cases are copies of (`--report-year-mix`): `realistic` (by default: most answered on
   * time and closed, `report-year-mix.ts`) or `scripted` (the report's 12 scripted cases in turn).
   */
  readonly reportYearMix: ReportYearMix;
  /**
   * Where the year report's aggregates are seeded (`--report-year-store`): `dynalite` (by default), `memory`
   * (the DynamoDB store over a reports table in memory, `in-memory-reports-table.ts`: the report's CPU alone)
   * or `memory-http` (the same table behind a real `DynamoDBClient`: the SDK's CPU too).
   */
  readonly reportYearStore: ReportYearStore;
  /** Cases of the what-if's year (`--what-if-cases`, 2,000 by default). */
  readonly whatIfCases: number;
  readonly dataDir?: string;
}

/**
 * `npm run bench [-- --json] [--only intake,year,transitions,bundles,cold-start,deadlines,report,report-year,what-if,mirror-catch-up,dynamo-transport]
 * [--cases N] [--submissions N] [--concurrency N] [--report-cases N] [--report-year-cases N] [--report-year-mix realistic|scripted]
 * [--report-year-store dynalite|memory|memory-http] [--what-if-cases N] [--data-dir PATH]`. Without `--only`,
 * every part runs, or with `--json` the parts its object reports (`JSON_PARTS`). Throws on an unknown option
 * or a malformed value, naming it.
 */
export function parseArgs(argv: readonly string[]): BenchOptions {
  let only: Set<Part> | undefined;
  let json = false;
  let cases = 2000;
  let submissions = 1000;
  let concurrency = 4;
  let reportCases = 20_000;
  let reportYearCases = 200_000;
  let reportYearMix: ReportYearMix = 'realistic';
  let reportYearStore: ReportYearStore = 'dynalite';
  let whatIfCases = 2000;
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
      case '--json':
        if (inline !== undefined) throw new Error('--json takes no value.');
        json = true;
        break;
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
      case '--report-year-cases':
        reportYearCases = count('--report-year-cases', value());
        break;
      case '--report-year-mix': {
        const mix = value() ?? '';
        if (!(REPORT_YEAR_MIXES as readonly string[]).includes(mix)) {
          throw new Error(`--report-year-mix takes one of ${REPORT_YEAR_MIXES.join(', ')}.`);
        }
        reportYearMix = mix as ReportYearMix;
        break;
      }
      case '--report-year-store': {
        const store = value() ?? '';
        if (!(REPORT_YEAR_STORES as readonly string[]).includes(store)) {
          throw new Error(`--report-year-store takes one of ${REPORT_YEAR_STORES.join(', ')}.`);
        }
        reportYearStore = store as ReportYearStore;
        break;
      }
      case '--what-if-cases':
        whatIfCases = count('--what-if-cases', value());
        break;
      case '--data-dir':
        // The year on disk (a new folder), as `npm start` runs by default, instead of in memory.
        dataDir = value();
        if (dataDir === undefined || dataDir === '') throw new Error('--data-dir needs a path.');
        break;
      default:
        throw new Error(
          `Unknown option ${arg}. Options: --json, --only, --cases, --submissions, --concurrency, --report-cases, --report-year-cases, --report-year-mix, --report-year-store, --what-if-cases, --data-dir.`,
        );
    }
  }
  return {
    only: only ?? new Set(json ? JSON_PARTS : PARTS),
    json,
    cases,
    submissions,
    concurrency,
    reportCases,
    reportYearCases,
    whatIfCases,
    reportYearMix,
    reportYearStore,
    ...(dataDir !== undefined ? { dataDir } : {}),
  };
}
