import type { BundleSize } from '../../../bench/bundles';
import type { ColdStart } from '../../../bench/cold-start';
import type { IntakeResult } from '../../../bench/intake';
import { BENCH_JSON_VERSION, benchJson } from '../../../bench/json';
import type { CaseOutcome, YearResult } from '../../../bench/year';

const intake: IntakeResult = {
  submissions: 100,
  concurrency: 4,
  roundTripsBefore201: 17,
  dynamoRequestsBefore201: 17,
  roundTripsWithStartBefore201: 18,
  localRoundTripsBefore201: 30,
  p50Ms: 41.234567,
  p99Ms: 80.5,
  putItemP50Ms: 1.98765,
  putItemP99Ms: 4,
  perSecond: 95.4321,
  dynamoRequestsPerSubmission: 60.04,
};

const outcome = (problems: string[]): CaseOutcome => ({
  caseId: 'c',
  scenario: 'on-time',
  status: 'closed',
  statesEntered: 10,
  engineTransitions: 10,
  executions: 1,
  problems,
});

const year: YearResult = {
  cases: 3,
  concurrency: 4,
  wallMs: 12_345.678,
  ticks: 365,
  staffActions: 7,
  submissions: 3,
  outboxMessages: 9,
  ledgerEvents: 40,
  dynamoRequests: 400,
  sesRequests: 9,
  s3Requests: 150,
  dynamoConnections: 400,
  putItemMeanMs: 1.5,
  outcomes: [outcome([]), outcome(['status open, expected closed']), outcome([])],
  globalProblems: [],
  checkMs: 10,
  ok: false,
};

const bundles: BundleSize[] = [
  { name: 'form-intake', raw: 123_456, gzip: 40_000, buildMs: 300, inputs: [] },
  { name: 'staff-api', raw: 1_500_000, gzip: 400_000, buildMs: 900, inputs: [] },
];

const coldStart: ColdStart[] = [
  { name: 'form-intake', ratio: 1.9648938, loadMs: 321.627, baselineMs: 163.687, sdkPackages: [] },
];

describe('bench JSON object', () => {
  it('has the figures the issue names, under their names, with the units their names say', () => {
    const json = benchJson({ intake, year, bundles, coldStart });

    expect(json).toEqual({
      version: BENCH_JSON_VERSION,
      intake: expect.objectContaining({
        roundTripsBefore201: 17,
        roundTripsWithStartBefore201: 18,
        p50Ms: 41.23,
        putItemP50Ms: 1.99,
      }),
      year: expect.objectContaining({
        cases: 3,
        wallSeconds: 12.35,
        requestsPerCase: 133.3,
        consistent: false,
        failingCases: 1,
      }),
      bundles: [
        { name: 'form-intake', bytes: 123_456, gzipBytes: 40_000 },
        { name: 'staff-api', bytes: 1_500_000, gzipBytes: 400_000 },
      ],
      coldStart: [{ name: 'form-intake', ratio: 1.96, loadMs: 321.6, baselineMs: 163.7 }],
    });
    expect(typeof (json['year'] as { consistent: unknown }).consistent).toBe('boolean');
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it('tells apart the requests per case of the local report-aggregate feeding when they were counted', () => {
    expect(benchJson({ year, yearReportFeedingRequests: 100 })['year']).toMatchObject({
      requestsPerCase: 133.3,
      reportFeedingRequestsPerCase: 33.3,
    });
    expect(benchJson({ year })['year']).not.toHaveProperty('reportFeedingRequestsPerCase');
  });

  it('tells apart the ledger mirror and what the functions make when both stream consumers were counted', () => {
    expect(benchJson({ year, yearReportFeedingRequests: 100, yearMirrorRequests: 50 })['year']).toMatchObject(
      {
        requestsPerCase: 133.3,
        reportFeedingRequestsPerCase: 33.3,
        mirrorRequestsPerCase: 16.7,
        functionRequestsPerCase: 83.3,
      },
    );
    expect(benchJson({ year, yearReportFeedingRequests: 100 })['year']).not.toHaveProperty(
      'functionRequestsPerCase',
    );
  });

  it('gives the S3 requests per case, and the ledger mirror’s among them when they were counted', () => {
    expect(benchJson({ year, yearMirrorS3Requests: 120 })['year']).toMatchObject({
      s3RequestsPerCase: 50,
      mirrorS3RequestsPerCase: 40,
    });
    expect(benchJson({ year })['year']).not.toHaveProperty('mirrorS3RequestsPerCase');
  });

  it('says consistent: true for a year whose check passed', () => {
    const passed = { ...year, outcomes: [outcome([])], ok: true };

    expect(benchJson({ year: passed })['year']).toMatchObject({ consistent: true, failingCases: 0 });
  });

  it('leaves out the parts that did not run', () => {
    expect(benchJson({ coldStart })).toEqual({
      version: BENCH_JSON_VERSION,
      coldStart: [expect.objectContaining({ name: 'form-intake' })],
    });
    expect(Object.keys(benchJson({}))).toEqual(['version']);
  });
});
