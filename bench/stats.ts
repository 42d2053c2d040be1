/** Shared helpers of the benchmarks: percentiles, summaries, ratios, formatting and a small worker pool. */

/**
 * The `p`-th percentile (0–100) of `samples` by the nearest-rank method: the smallest sample such that at
 * least `p` % of the samples are less than or equal to it. `percentile([…], 50)` of an even count is the lower
 * middle sample. Throws on an empty list or a `p` outside 0–100.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new RangeError('percentile of no samples');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside 0–100`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

export interface Summary {
  readonly count: number;
  readonly min: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Count, min, p50, p99, max and mean of `samples` (nearest-rank percentiles). */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError('summary of no samples');
  let total = 0;
  for (const sample of samples) total += sample;
  return {
    count: samples.length,
    min: Math.min(...samples),
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    max: Math.max(...samples),
    mean: total / samples.length,
  };
}

/** The median of `samples` (the lower middle one for an even count). */
export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** `measured / baseline` as `12.3×` (`n/a` when the baseline is zero). */
export function ratio(measured: number, baseline: number): string {
  if (baseline === 0) return 'n/a';
  const value = measured / baseline;
  return `${value >= 10 ? value.toFixed(1) : value.toFixed(2)}×`;
}

/** Milliseconds with a precision that suits their size: `0.412 ms`, `12.4 ms`, `1,234 ms`. */
export function formatMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${formatInt(ms)} ms`;
}

/** A count with thousands separators: `12,345`. */
export function formatInt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Bytes as `123,456 B (120.6 KiB)`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${formatInt(bytes)} B`;
  const kib = bytes / 1024;
  const unit = kib < 1024 ? `${kib.toFixed(1)} KiB` : `${(kib / 1024).toFixed(2)} MiB`;
  return `${formatInt(bytes)} B (${unit})`;
}

/** Real elapsed milliseconds since `start` (a `process.hrtime.bigint()` reading; no timer is faked by it). */
export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Runs `work(item, index)` for every item with at most `concurrency` in flight, and resolves with the results
 * in item order. The first rejection rejects the whole run (items not started yet are not started).
 */
export async function runPool<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}

/** A deterministic pseudo-random generator in [0, 1) (mulberry32), so that every run drives the same cases. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs `work` once to warm up, then `repeat` times; prints `label` and the median duration (the middle sample)
 * in the given column widths and returns it in milliseconds.
 */
export async function timeMedian(
  label: string,
  repeat: number,
  work: () => Promise<unknown> | unknown,
  columns: { readonly label: number; readonly value: number; readonly digits: number },
): Promise<number> {
  await work();
  const samples: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = process.hrtime.bigint();
    await work();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const middle = samples[Math.floor(samples.length / 2)] ?? 0;
  process.stdout.write(
    `  ${label.padEnd(columns.label)} ${middle.toFixed(columns.digits).padStart(columns.value)} ms (median of ${repeat})\n`,
  );
  return middle;
}
