import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';

import { markLocalLedgerMirror, markLocalReportFeeding } from './local-feeding';
import { runYear } from './year';

/**
 * `npx tsx bench/trace-bytes.ts [--cases N]`: runs the simulated year (`bench/year.ts`) and prints, per case,
 * the HTTP requests the process sent and the bytes of their bodies sent and received, by role and operation,
 * heaviest first. Roles: `feed` is the local stack's inline report-aggregate feeding and `mirror` its ledger
 * mirror (the ledger stream's consumers in AWS, `bench/local-feeding.ts`), `fn` everything else the stack does
 * (the functions, the workflow's tasks, with the bench's own few DynamoDB calls), and `driver` the bench's
 * unsigned calls of the local API. The operation is the DynamoDB target, or the signing service and method
 * (`s3 PUT`, `ses POST`). Bytes are the `content-length` of each request and response (dynalite, s3rver and
 * the SES emulator set it; a response without one counts 0). A measuring tool, not a test: it listens to
 * Node's `http.client.*` diagnostics channels for the run.
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

function header(request: ClientRequest, name: string): string | undefined {
  const value = request.getHeader(name);
  return value === undefined ? undefined : String(value);
}

/** `dynamodb Query`, `s3 GET`, …, or `undefined` for an unsigned request (the bench driving the local API). */
function operationOf(request: ClientRequest): string | undefined {
  const target = header(request, 'x-amz-target');
  if (target?.startsWith(DYNAMODB_TARGET_PREFIX) === true)
    return `dynamodb ${target.slice(DYNAMODB_TARGET_PREFIX.length)}`;
  const service = SIGNING_SERVICE.exec(header(request, 'authorization') ?? '')?.[1];
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
  const started = new WeakMap<ClientRequest, { key: string; sent: number }>();
  const tallies = new Map<string, Tally>();
  subscribe('http.client.request.start', (message) => {
    const { request } = message as { request: ClientRequest };
    const operation = operationOf(request);
    const role =
      operation === undefined ? 'driver' : feeding.inFeeding() ? 'feed' : mirror.inMirror() ? 'mirror' : 'fn';
    const sent = Number(header(request, 'content-length') ?? 0);
    started.set(request, { key: `${role.padEnd(7)} ${operation ?? `http ${request.method}`}`, sent });
  });
  subscribe('http.client.response.finish', (message) => {
    const { request, response } = message as { request: ClientRequest; response: IncomingMessage };
    const start = started.get(request);
    if (start === undefined) return;
    const tally = tallies.get(start.key) ?? { requests: 0, sent: 0, received: 0 };
    tally.requests += 1;
    tally.sent += start.sent;
    tally.received += Number(response.headers['content-length'] ?? 0);
    tallies.set(start.key, tally);
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
