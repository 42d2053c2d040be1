import { markLocalLedgerMirror, markLocalReportFeeding } from './local-feeding';
import { runYear } from './year';

/**
 * `npx tsx bench/trace-requests.ts [--cases N] [--depth N]`: runs the simulated year (`bench/year.ts`) and
 * prints the functions' DynamoDB requests per case by call site (the adapter's frame that sends, then the first
 * `--depth` callers outside the adapters and the ledger's wrappers), most frequent first. The local stack's inline report-aggregate feeding and ledger
 * mirror (the ledger stream's consumers in AWS) and the bench's own requests are left out, so the total is
 * `year.functionRequestsPerCase` of `npm run bench -- --json`, give or take the races of a run. A
 * measuring tool, not a test: it patches the SDK clients' `send` for the run.
 */

const PROJECT = `${process.cwd()}/`;
const DYNAMODB_COMMAND =
  /^(Put|Get|Query|Update|Delete|BatchWrite|BatchGet|TransactWrite|TransactGet|Scan)(Item)?Command$/;

/** Frames of the adapters and of the ledger's wrappers, skipped when naming the caller. */
const WRAPPERS =
  /shared\/adapters\/|forwarding-ledger|infra\/local\/(ledger-mirror|report-aggregates|case-event-log)|<anonymous>/;

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(name);
  if (index < 0) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a positive integer.`);
  return value;
}

/** The project's frames of the current stack, nearest first, as `function (path:line)`. */
function projectFrames(): string[] {
  return (new Error().stack ?? '')
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line.includes(PROJECT) && !line.includes('/node_modules/') && !line.includes('/bench/'))
    .map((line) =>
      line
        .replace(PROJECT, '')
        .replace(/^at /, '')
        .replace(/:\d+\)$/, ')'),
    );
}

async function main(): Promise<void> {
  const cases = option('--cases', 20);
  const depth = option('--depth', 2);
  Error.stackTraceLimit = 80;
  // Every SDK client (the document client too) sends through the Smithy client's `send`.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client } = require('@smithy/core/client') as { Client: { prototype: object } };
  const prototype = Client.prototype as { send: (...args: unknown[]) => unknown };
  const send = prototype.send;
  const feeding = markLocalReportFeeding();
  const mirror = markLocalLedgerMirror();
  const counts = new Map<string, number>();
  prototype.send = function traced(this: unknown, ...args: unknown[]) {
    const command = (args[0] as object).constructor.name;
    if (DYNAMODB_COMMAND.test(command) && !feeding.inFeeding() && !mirror.inMirror()) {
      const frames = projectFrames();
      if (frames.length > 0) {
        // The adapter's frame that sent it, then the first callers outside the adapters and the ledger's
        // forwarding wrappers (the use case).
        const callers = frames.filter((frame) => !WRAPPERS.test(frame));
        const site = `${command} ← ${[frames[0], ...callers.slice(0, depth)].join(' ← ')}`;
        counts.set(site, (counts.get(site) ?? 0) + 1);
      }
    }
    return send.apply(this, args);
  };
  try {
    const year = await runYear({ cases, concurrency: 4 });
    const rows = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    const total = rows.reduce((sum, [, count]) => sum + count, 0);
    process.stdout.write(
      `${year.cases} cases, ${total} DynamoDB requests of the functions: ${(total / year.cases).toFixed(1)} per case\n`,
    );
    for (const [site, count] of rows) {
      process.stdout.write(`${(count / year.cases).toFixed(2).padStart(7)}  ${site}\n`);
    }
  } finally {
    prototype.send = send;
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
