import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { runBatch } from '../cli/commands/deadline';
import { oracleDeadline } from '../test/unit/time/oracle';
import { timeMedian } from './stats';

/**
 * Deadline batch throughput. Baselines measured in the same run: the I/O floor (parse and re-serialize
 * every line, no computation) and a naive day-by-day luxon implementation of the same rules.
 */
function requests(count: number): string[] {
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const from = Date.parse('2025-01-01T00:00:00Z');
  const to = Date.parse('2030-12-31T00:00:00Z');
  return Array.from({ length: count }, () =>
    JSON.stringify({
      received: new Date(from + Math.floor(random() * (to - from))).toISOString(),
      days: 1 + Math.floor(random() * 30),
      unit: random() < 0.75 ? 'business' : 'calendar',
    }),
  );
}

/** `timeMedian` in this benchmark's columns. */
function timeIt(label: string, repeat: number, work: () => Promise<unknown> | unknown): Promise<number> {
  return timeMedian(label, repeat, work, { label: 46, value: 9, digits: 1 });
}

export async function benchDeadlineBatch(): Promise<void> {
  const lines = requests(3000);
  const input = `${lines.join('\n')}\n`;
  process.stdout.write('Deadline batch, 3,000 random receipts 2025–2030\n');

  const floor = await timeIt('I/O floor (parse + stringify only)', 5, () => {
    for (const line of lines) JSON.stringify(JSON.parse(line));
  });
  const naive = await timeIt('naive luxon day-by-day implementation', 5, () => {
    for (const line of lines) {
      const r = JSON.parse(line) as { received: string; days: number; unit: 'business' | 'calendar' };
      JSON.stringify(oracleDeadline(r.received, r.days, r.unit));
    }
  });
  const engine = await timeIt('engine with proofs (runBatch, in process)', 5, async () => {
    const sink = new PassThrough();
    sink.resume();
    await runBatch(Readable.from([input]), sink, '2026-11-26');
  });

  const bin = path.join(__dirname, '..', 'bin', 'jalon.cjs');
  const startup = await timeIt('node + tsx startup (jalon --help)', 3, () => {
    execFileSync(process.execPath, [bin, '--help']);
  });
  const cli = await timeIt('npx jalon deadline --batch (whole process)', 3, () => {
    const result = spawnSync(process.execPath, [bin, 'deadline', '--batch'], { input, maxBuffer: 1 << 30 });
    if (result.status !== 0) throw new Error(`jalon deadline --batch failed: ${result.stderr.toString()}`);
  });

  process.stdout.write(
    [
      `  engine / I/O floor: ${(engine / floor).toFixed(1)}×   engine / naive: ${(engine / naive).toFixed(2)}×`,
      `  CLI minus startup: ${(cli - startup).toFixed(0)} ms for 3,000 lines (${((3000 / Math.max(cli - startup, 1)) * 1000).toFixed(0)} lines/s); target: well under 10 s`,
      '',
    ].join('\n'),
  );
}
