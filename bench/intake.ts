import { startLocalStack } from '../infra/local/local-stack';
import { putItemRoundTrips } from './dynamo-baseline';
import { JsonClient } from './http-client';
import { RequestCounter } from './request-counter';
import { markLocalExecutions } from './local-executions';
import { markLocalLedgerMirror, markLocalReportFeeding } from './local-feeding';
import { ClientRequestTimeline, dynamoRoundTripsBefore } from './round-trips';
import { elapsedMs, formatInt, formatMs, median, ratio, runPool, summarize } from './stats';

export const INTAKE_START = '2026-12-18T15:00:00Z';

export interface IntakeOptions {
  readonly submissions: number;
  readonly concurrency: number;
}

/** Submissions made one at a time on an idle stack to count the DynamoDB round trips before the 201. */
export const ROUND_TRIP_SAMPLES = 5;

export interface IntakeResult {
  readonly submissions: number;
  readonly concurrency: number;
  /**
   * Median over `ROUND_TRIP_SAMPLES` lone submissions of the sequential DynamoDB round trips of the form's
   * function from the request to the 201, as in AWS: without the report-aggregate feeding and the ledger mirror
   * the local stack runs after each append (the ledger stream's consumers in AWS), and without the workflow the
   * submission starts (see `dynamoRoundTripsBefore`).
   */
  readonly roundTripsBefore201: number;
  /** Median DynamoDB requests (sequential or not) of those submissions before the 201, as in AWS. */
  readonly dynamoRequestsBefore201: number;
  /** The same round trips with the `StartExecution` request among them: the waves the function waits for. */
  readonly roundTripsWithStartBefore201: number;
  /** The round trips the local stack makes before the 201, its inline feeding and mirror included. */
  readonly localRoundTripsBefore201: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly putItemP50Ms: number;
  readonly putItemP99Ms: number;
  readonly perSecond: number;
  /** DynamoDB requests per submission until the workflows it started were idle. */
  readonly dynamoRequestsPerSubmission: number;
}

/**
 * Citizen-form intake latency: `submissions` JSON posts to `POST /api/requests` (each with its own
 * Idempotency-Key) over HTTP against the local stack, `concurrency` at a time, then the same number of bare
 * DynamoDB PutItem round trips on the stack's dynalite, at the same concurrency, as the baseline. Then
 * `ROUND_TRIP_SAMPLES` submissions one at a time, each on an idle stack, counting the DynamoDB requests the
 * form's function makes one after another before its 201 (see `dynamoRoundTripsBefore`).
 */
export async function benchIntake(options: IntakeOptions): Promise<IntakeResult> {
  const { submissions, concurrency } = options;
  process.stdout.write(
    `Intake: ${formatInt(submissions)} form submissions, concurrency ${concurrency}, local stack in memory\n`,
  );
  const stack = await startLocalStack({
    memory: true,
    virtualClock: INTAKE_START,
    port: 0,
    smtpPort: 0,
    quiet: true,
    formRateLimit: false,
  });
  const http = new JsonClient(stack.urls.web, concurrency);
  try {
    const runId = Date.now().toString(36);
    // Warm the handlers and connections before measuring.
    await runPool([0, 1, 2, 3], concurrency, (i) => submit(http, `warm-${runId}-${i}`, i));

    await http.expect([200], 'POST', '/api/local/clock', { advance: 'PT0S' });
    const counter = new RequestCounter();
    const indexes = Array.from({ length: submissions }, (_, i) => i);
    const formStart = process.hrtime.bigint();
    const form = await runPool(indexes, concurrency, async (i) => {
      const start = process.hrtime.bigint();
      await submit(http, `bench-${runId}-${i}`, i);
      return elapsedMs(start);
    });
    const formWall = elapsedMs(formStart);
    const duringForm = requestsOn(counter, stack.ports);
    // The workflows the submissions started run their first tasks (plan, route, receipt) in this process
    // too; the baseline waits until they are done, so that it measures dynalite alone.
    const drainStart = process.hrtime.bigint();
    await http.expect([200], 'POST', '/api/local/clock', { advance: 'PT0S' });
    const drainMs = elapsedMs(drainStart);
    const untilIdle = requestsOn(counter, stack.ports);
    counter.stop();

    // Client side (the handlers' SDK requests), so that the local stack's inline report-aggregate feeding and
    // ledger mirror, which the ledger stream's consumers do after the response in AWS, can be told apart; the
    // workflows the submissions start (other Lambdas in AWS) are left out of both.
    const feeding = markLocalReportFeeding();
    const mirror = markLocalLedgerMirror();
    const executions = markLocalExecutions();
    const timeline = new ClientRequestTimeline(
      () => feeding.inFeeding() || mirror.inMirror() || executions.inExecution(),
    );
    const everything = new ClientRequestTimeline(executions.inExecution);
    const lone: { roundTrips: number; requests: number; withStartExecution: number; local: number }[] = [];
    try {
      for (let i = 0; i < ROUND_TRIP_SAMPLES; i++) {
        await http.expect([200], 'POST', '/api/local/clock', { advance: 'PT0S' });
        timeline.reset();
        everything.reset();
        const submittedAt = performance.now();
        await submit(http, `lone-${runId}-${i}`, i);
        const answeredAt = performance.now();
        const dynamodb = stack.ports.dynamodb;
        lone.push({
          ...dynamoRoundTripsBefore(timeline.requests(), dynamodb, submittedAt, answeredAt),
          local: dynamoRoundTripsBefore(everything.requests(), dynamodb, submittedAt, answeredAt).roundTrips,
        });
      }
    } finally {
      timeline.stop();
      everything.stop();
      executions.restore();
      mirror.restore();
      feeding.restore();
    }
    const roundTrips = median(lone.map((sample) => sample.roundTrips));
    const loneRequests = median(lone.map((sample) => sample.requests));
    const localRoundTrips = median(lone.map((sample) => sample.local));
    const withStartExecution = median(lone.map((sample) => sample.withStartExecution));
    await http.expect([200], 'POST', '/api/local/clock', { advance: 'PT0S' });

    const { samples: puts, wallMs: putWall } = await putItemRoundTrips(
      stack.dynamo,
      stack.tables.control,
      submissions,
      concurrency,
    );

    const f = summarize(form);
    const p = summarize(puts);
    const rows = [
      ['', 'p50', 'p99', 'max', 'per second'],
      [
        'POST /api/requests (HTTP, form-intake)',
        formatMs(f.p50),
        formatMs(f.p99),
        formatMs(f.max),
        formatInt((submissions / formWall) * 1000),
      ],
      [
        'baseline: DynamoDB PutItem (dynalite)',
        formatMs(p.p50),
        formatMs(p.p99),
        formatMs(p.max),
        formatInt((submissions / putWall) * 1000),
      ],
      ['ratio form / PutItem', ratio(f.p50, p.p50), ratio(f.p99, p.p99), ratio(f.max, p.max), ''],
    ];
    process.stdout.write(`${table(rows)}\n`);
    process.stdout.write(
      [
        `  ${formatInt((submissions / formWall) * 1000)} submissions/s (${formatMs(formWall)} for ${formatInt(submissions)}); each starts a case workflow whose first tasks run in the same process`,
        `  then ${formatMs(drainMs)} until those workflows were idle: ${((submissions / (formWall + drainMs)) * 1000).toFixed(1)} cases/s registered, routed and receipted`,
        `  requests per submission while submitting: DynamoDB ${(duringForm.dynamodb / submissions).toFixed(1)}, SES ${(duringForm.ses / submissions).toFixed(1)}, local HTTP ${(duringForm.http / submissions).toFixed(1)} (form + StartExecution)`,
        `  requests per submission until idle:       DynamoDB ${(untilIdle.dynamodb / submissions).toFixed(1)}, SES ${(untilIdle.ses / submissions).toFixed(1)}`,
        `  DynamoDB round trips before the 201:      ${roundTrips} sequential (${loneRequests} requests), ${withStartExecution} with StartExecution, median of ${ROUND_TRIP_SAMPLES} lone submissions; ${localRoundTrips} with the local stack's inline report feeding and ledger mirror`,
        '',
        '',
      ].join('\n'),
    );
    return {
      submissions,
      concurrency,
      roundTripsBefore201: roundTrips,
      dynamoRequestsBefore201: loneRequests,
      roundTripsWithStartBefore201: withStartExecution,
      localRoundTripsBefore201: localRoundTrips,
      p50Ms: f.p50,
      p99Ms: f.p99,
      putItemP50Ms: p.p50,
      putItemP99Ms: p.p99,
      perSecond: (submissions / formWall) * 1000,
      dynamoRequestsPerSubmission: untilIdle.dynamodb / submissions,
    };
  } finally {
    http.close();
    await stack.stop();
  }
}

function requestsOn(
  counter: RequestCounter,
  ports: { readonly dynamodb: number; readonly ses: number; readonly http: number },
): { dynamodb: number; ses: number; http: number } {
  return {
    dynamodb: counter.count(ports.dynamodb),
    ses: counter.count(ports.ses),
    http: counter.count(ports.http),
  };
}

async function submit(http: JsonClient, key: string, i: number): Promise<void> {
  await http.expect(
    [201],
    'POST',
    '/api/requests',
    {
      category: i % 5 === 4 ? 'policies' : 'statistics',
      name: 'Marie Tremblay',
      email: `demandeur.${i}@example.com`,
      subject: `Effectifs de la fonction publique ${2000 + (i % 26)}`,
      message: 'Bonjour,\nPourriez-vous me transmettre les effectifs par ministère?\nMerci.',
      website: '',
    },
    { 'idempotency-key': key },
  );
}

/** Rows as aligned columns: the first left-aligned, the others right-aligned. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? 0, cell.length);
    });
  }
  return rows
    .map(
      (row) =>
        `  ${row
          .map((cell, column) =>
            column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0),
          )
          .join('  ')}`,
    )
    .join('\n');
}
