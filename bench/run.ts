import { benchDeadlineBatch } from './deadline-batch';

/** `npm run bench`: each benchmark prints its measurements and ratios against baselines of the same run. */
async function main(): Promise<void> {
  await benchDeadlineBatch();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
