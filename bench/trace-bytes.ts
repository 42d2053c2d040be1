import { markLocalLedgerMirror, markLocalReportFeeding } from './local-feeding';
import { observeRequests } from './observed-requests';
import type { ObservedRequest } from './observed-requests';
import { runYear } from './year';

/**
 * `npx tsx bench/trace-bytes.ts [--cases N]`: runs the simulated year (`bench/year.ts`) and prints, per case,
 * the HTTP requests the process sent and the bytes of their bodies sent and received, by role and operation,
 * heaviest first. Roles: `feed` is the local stack's inline report-aggregate feeding and `mirror` its ledger
 * mirror (the ledger stream's consumers in AWS, `bench/local-feeding.ts`), `fn` everything else the stack does
 * (the functions, the workflow's tasks, with the bench's own few DynamoDB calls), and `driver` the bench's
 * unsigned calls of the local API. The operation is the DynamoDB target, or the signing service and method
 * (`s3 PUT`, `ses POST`). Bytes are the `content-length` of each request and response (dynalite, s3rver and
 * the SES emulator set it; a response without one counts 0; a request over dynalite's port counts its body's
 * bytes). A measuring tool, not a test: it observes the requests for the run (`observeRequests`).
 */

const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810.';
/** The signing service of a SigV4 `authorization` header: `Credential=<key>/<date>/<region>/<service>/…`. */
const SIGNING_SERVICE = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//;

interface Tally {
  requests: number;
  sent: number;
  received: number;
}

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a positive integer.`);
  return value;
}

/** `dynamodb Query`, `s3 GET`, …, or `undefined` for an unsigned request (the bench driving the local API). */
function operationOf(request: ObservedRequest): string | undefined {
  const { target } = request;
  if (target.startsWith(DYNAMODB_TARGET_PREFIX))
    return `dynamodb ${target.slice(DYNAMODB_TARGET_PREFIX.length)}`;
  const service = SIGNING_SERVICE.exec(request.authorization)?.[1];
  return service === undefined ? undefined : `${service} ${request.method}`;
}

function kib(bytes: number, cases: number): string {
  return (bytes / cases / 1024).toFixed(1).padStart(8);
}

async function main(): Promise<void> {
  const cases = option('--cases', 40);
  const feeding = markLocalReportFeeding();
  const mirror = markLocalLedgerMirror();
  // The role and operation of each request, named when it starts (within the caller's async context).
  const started = new WeakMap<object, { key: string; sent: number }>();
  const tallies = new Map<string, Tally>();
  const stopObserving = observeRequests({
    start: (request) => {
      const operation = operationOf(request);
      const role =
        operation === undefined
          ? 'driver'
          : feeding.inFeeding()
            ? 'feed'
            : mirror.inMirror()
              ? 'mirror'
              : 'fn';
      started.set(request.key, {
        key: `${role.padEnd(7)} ${operation ?? `http ${request.method}`}`,
        sent: request.sentBytes,
      });
    },
    finish: ({ key, receivedBytes }) => {
      const start = started.get(key);
      if (start === undefined) return;
      const tally = tallies.get(start.key) ?? { requests: 0, sent: 0, received: 0 };
      tally.requests += 1;
      tally.sent += start.sent;
      tally.received += receivedBytes;
      tallies.set(start.key, tally);
    },
  });
  try {
    const year = await runYear({ cases, concurrency: 4, progress: false });
    const rows = [...tallies.entries()].sort(([, a], [, b]) => b.sent + b.received - (a.sent + a.received));
    process.stdout.write(
      `${year.cases} cases, ${(year.wallMs / 1000).toFixed(1)} s, consistent: ${String(year.ok)}; per case:\n` +
        `${'role    operation'.padEnd(32)} requests KiB sent KiB recv\n`,
    );
    for (const [key, tally] of rows) {
      process.stdout.write(
        `${key.padEnd(32)} ${(tally.requests / year.cases).toFixed(1).padStart(8)}` +
          `${kib(tally.sent, year.cases)} ${kib(tally.received, year.cases)}\n`,
      );
    }
  } finally {
    stopObserving();
    mirror.restore();
    feeding.restore();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
