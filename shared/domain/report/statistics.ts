/** A share as a percentage with one decimal (half away from zero); `null` when the denominator is 0. */
export function percent(count: number, denominator: number): number | null {
  if (denominator === 0) return null;
  return Math.round((count * 1000) / denominator) / 10;
}

/** The median: the middle value, or the mean of the two middle ones for an even count; `null` when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle]!;
  return (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * A percentile by the nearest-rank method: the smallest value such that at least `p` % of the values are at
 * or below it (always one of the values, a whole number of days); `null` when empty.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** The arithmetic mean with two decimals; `null` when empty. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return Math.round((values.reduce((sum, value) => sum + value, 0) * 100) / values.length) / 100;
}

export function maximum(values: readonly number[]): number | null {
  return values.length === 0 ? null : Math.max(...values);
}
