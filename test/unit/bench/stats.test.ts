import {
  formatBytes,
  formatMs,
  median,
  percentile,
  ratio,
  runPool,
  seededRandom,
  summarize,
} from '../../../bench/stats';

describe('bench stats', () => {
  it('takes percentiles by nearest rank, whatever the order of the samples', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);

    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile(samples, 0)).toBe(1);
    expect(percentile([7], 99)).toBe(7);
    expect(median([4, 1, 3, 2])).toBe(2);
    expect(samples[0]).toBe(100);
  });

  it('refuses an empty list and a percentile outside 0–100', () => {
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
    expect(() => summarize([])).toThrow(RangeError);
  });

  it('summarizes count, min, p50, p99, max and mean', () => {
    const samples = [...Array.from({ length: 99 }, () => 10), 1000];

    expect(summarize(samples)).toEqual({ count: 100, min: 10, p50: 10, p99: 10, max: 1000, mean: 19.9 });
    expect(summarize([...samples, 2000]).p99).toBe(1000);
  });

  it('formats ratios, durations and sizes', () => {
    expect(ratio(30, 4)).toBe('7.50×');
    expect(ratio(123, 4)).toBe('30.8×');
    expect(ratio(1, 0)).toBe('n/a');
    expect(formatMs(0.4123)).toBe('0.412 ms');
    expect(formatMs(12.44)).toBe('12.4 ms');
    expect(formatMs(1234.4)).toBe('1,234 ms');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(2048)).toBe('2,048 B (2.0 KiB)');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3,145,728 B (3.00 MiB)');
  });

  it('runs a pool with bounded concurrency and keeps results in item order', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await runPool([30, 10, 20, 5, 15], 2, async (delay, index) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, delay));
      inFlight--;
      return index * 10;
    });

    expect(results).toEqual([0, 10, 20, 30, 40]);
    expect(most).toBe(2);
  });

  it('rejects the pool with the first failure and starts nothing after it', async () => {
    const started: number[] = [];
    const run = runPool([1, 2, 3, 4], 1, async (item) => {
      started.push(item);
      if (item === 2) throw new Error('boom');
      return item;
    });

    await expect(run).rejects.toThrow('boom');
    expect(started).toEqual([1, 2]);
  });

  it('draws the same pseudo-random sequence for the same seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = [a(), a(), a()];

    expect([b(), b(), b()]).toEqual(first);
    expect(first.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(new Set(first).size).toBe(3);
  });
});
