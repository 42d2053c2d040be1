import path from 'node:path';

import { parseArgs } from './args';
import type { BenchOptions } from './args';
import { benchBundles } from './bundles';
import { benchColdStart } from './cold-start';
import { benchDeadlineBatch } from './deadline-batch';
import { benchIntake } from './intake';
import { benchJson } from './json';
import { benchMirrorCatchUp } from './mirror-catch-up';
import { benchDynamoTransport } from './dynamo-transport';
import { markLocalLedgerMirror, markLocalReportFeeding } from './local-feeding';
import { ClientRequestTimeline } from './round-trips';
import { formatInt } from './stats';
import type { BenchResults } from './json';
import { benchReport } from './report';
import { benchReportYear } from './report-year';
import { benchTransitions } from './transitions';
import { benchWhatIf } from './what-if';
import { benchYear, runYear } from './year';
import type { YearResult } from './year';

/**
 * `npm run bench [-- --json] [--only …] [--cases N] …` (options in `args.ts`): each benchmark prints its
 * measurements and ratios against baselines of the same run. With `--json`, stdout carries one JSON object
 * (`json.ts`) and nothing else; the human-readable lines and the progress go to stderr.
 * To see where the time goes: `node --cpu-prof --import tsx bench/run.ts --only year --cases 60`.
 */
async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  if (!options.json) {
    await runParts(options);
    return;
  }
  // Whatever would reach stdout while the parts run (their human-readable lines, any stray log) goes to
  // stderr, so that stdout holds the JSON object alone.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  let results: BenchResults;
  try {
    results = await runParts(options);
  } finally {
    process.stdout.write = write;
  }
  process.stdout.write(`${JSON.stringify(benchJson(results), null, 2)}\n`);
}

async function runParts(options: BenchOptions): Promise<BenchResults> {
  const { only } = options;
  let results: BenchResults = {};
  if (only.has('intake')) {
    const intake = await benchIntake({ submissions: options.submissions, concurrency: options.concurrency });
    results = { ...results, intake };
  }
  let year: YearResult | undefined;
  if (only.has('year') || only.has('transitions')) {
    // The DynamoDB requests of the local stack's inline report-aggregate feeding and ledger mirror, which AWS
    // makes from the ledger stream's consumers, are counted apart too.
    const feeding = markLocalReportFeeding();
    const mirror = markLocalLedgerMirror();
    const fed = new ClientRequestTimeline(() => !feeding.inFeeding());
    const mirrored = new ClientRequestTimeline(() => !mirror.inMirror());
    try {
      year = await runYear({
        cases: options.cases,
        concurrency: options.concurrency,
        ...(options.dataDir !== undefined ? { dataDir: path.resolve(options.dataDir) } : {}),
      });
    } finally {
      fed.stop();
      mirrored.stop();
      mirror.restore();
      feeding.restore();
    }
    if (only.has('year')) {
      benchYear(year);
      const dynamoOf = (timeline: ClientRequestTimeline) =>
        timeline.requests().filter((request) => request.target.startsWith('DynamoDB_')).length;
      const feedingRequests = dynamoOf(fed);
      const mirrorRequests = dynamoOf(mirrored);
      // The mirror talks to dynalite and s3rver only: its requests without a DynamoDB target are S3's.
      const mirrorS3Requests = mirrored.requests().length - mirrorRequests;
      process.stdout.write(
        `  of the DynamoDB requests, ${formatInt(feedingRequests)} (${(feedingRequests / year.cases).toFixed(0)} per case) fed the report aggregates inline and ${formatInt(mirrorRequests)} (${(mirrorRequests / year.cases).toFixed(0)} per case) mirrored the ledger, as the ledger stream's consumers do in AWS; the mirror also made ${formatInt(mirrorS3Requests)} S3 requests (${(mirrorS3Requests / year.cases).toFixed(1)} per case)\n\n`,
      );
      results = {
        ...results,
        year,
        yearReportFeedingRequests: feedingRequests,
        yearMirrorRequests: mirrorRequests,
        yearMirrorS3Requests: mirrorS3Requests,
      };
    }
  }
  if (only.has('transitions') && year !== undefined) benchTransitions(year);
  if (only.has('bundles')) results = { ...results, bundles: await benchBundles() };
  if (only.has('cold-start')) results = { ...results, coldStart: await benchColdStart() };
  if (only.has('deadlines')) await benchDeadlineBatch();
  if (only.has('report')) await benchReport(options.reportCases);
  if (only.has('report-year'))
    await benchReportYear(options.reportYearCases, options.reportYearMix, options.reportYearStore);
  if (only.has('what-if')) await benchWhatIf(options.whatIfCases);
  if (only.has('mirror-catch-up')) await benchMirrorCatchUp();
  if (only.has('dynamo-transport')) await benchDynamoTransport();
  return results;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
