import type { BundleSize } from './bundles';
import type { ColdStart } from './cold-start';
import type { IntakeResult } from './intake';
import type { YearResult } from './year';

/** What the parts that ran measured; a part that did not run is absent. */
export interface BenchResults {
  readonly intake?: IntakeResult;
  readonly year?: YearResult;
  /** DynamoDB requests of the year made by the local stack's inline report-aggregate feeding. */
  readonly yearReportFeedingRequests?: number;
  /** DynamoDB requests of the year made by the local stack's ledger mirror (its reads of appended items). */
  readonly yearMirrorRequests?: number;
  /** S3 requests of the year made by the local stack's ledger mirror (its write-once puts and reads). */
  readonly yearMirrorS3Requests?: number;
  readonly bundles?: readonly BundleSize[];
  readonly coldStart?: readonly ColdStart[];
}

/** Bumped when a field changes meaning or goes away (adding fields does not bump it). */
export const BENCH_JSON_VERSION = 2;

/** Rounds a figure for the JSON: `digits` decimals, no float noise. */
function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * The object `npm run bench -- --json` prints (README, "Reading the bench as JSON"): one key per part that ran
 * (`intake`, `year`, `bundles`, `coldStart`), times in milliseconds or seconds as their names say, sizes in
 * bytes, ratios as plain numbers (1.5 for 1.5×).
 */
export function benchJson(results: BenchResults): Record<string, unknown> {
  const {
    intake,
    year,
    yearReportFeedingRequests,
    yearMirrorRequests,
    yearMirrorS3Requests,
    bundles,
    coldStart,
  } = results;
  const perCase = (requests: number) =>
    round(year === undefined || year.cases === 0 ? 0 : requests / year.cases, 1);
  return {
    version: BENCH_JSON_VERSION,
    ...(intake !== undefined
      ? {
          intake: {
            submissions: intake.submissions,
            concurrency: intake.concurrency,
            roundTripsBefore201: intake.roundTripsBefore201,
            dynamoRequestsBefore201: intake.dynamoRequestsBefore201,
            roundTripsWithStartBefore201: intake.roundTripsWithStartBefore201,
            localRoundTripsBefore201: intake.localRoundTripsBefore201,
            p50Ms: round(intake.p50Ms),
            p99Ms: round(intake.p99Ms),
            putItemP50Ms: round(intake.putItemP50Ms),
            putItemP99Ms: round(intake.putItemP99Ms),
            perSecond: round(intake.perSecond, 1),
            dynamoRequestsPerSubmission: round(intake.dynamoRequestsPerSubmission, 1),
          },
        }
      : {}),
    ...(year !== undefined
      ? {
          year: {
            cases: year.cases,
            wallSeconds: round(year.wallMs / 1000),
            requestsPerCase: perCase(year.dynamoRequests),
            ...(yearReportFeedingRequests !== undefined
              ? { reportFeedingRequestsPerCase: perCase(yearReportFeedingRequests) }
              : {}),
            ...(yearMirrorRequests !== undefined
              ? { mirrorRequestsPerCase: perCase(yearMirrorRequests) }
              : {}),
            ...(yearReportFeedingRequests !== undefined && yearMirrorRequests !== undefined
              ? {
                  functionRequestsPerCase: perCase(
                    year.dynamoRequests - yearReportFeedingRequests - yearMirrorRequests,
                  ),
                }
              : {}),
            s3RequestsPerCase: perCase(year.s3Requests),
            ...(yearMirrorS3Requests !== undefined
              ? { mirrorS3RequestsPerCase: perCase(yearMirrorS3Requests) }
              : {}),
            dynamoRequests: year.dynamoRequests,
            sesRequests: year.sesRequests,
            s3Requests: year.s3Requests,
            dynamoConnections: year.dynamoConnections,
            consistent: year.ok,
            failingCases: year.outcomes.filter((outcome) => outcome.problems.length > 0).length,
            problems: year.globalProblems.length,
          },
        }
      : {}),
    ...(bundles !== undefined
      ? { bundles: bundles.map((size) => ({ name: size.name, bytes: size.raw, gzipBytes: size.gzip })) }
      : {}),
    ...(coldStart !== undefined
      ? {
          coldStart: coldStart.map((start) => ({
            name: start.name,
            ratio: round(start.ratio),
            loadMs: round(start.loadMs, 1),
            baselineMs: round(start.baselineMs, 1),
          })),
        }
      : {}),
  };
}
