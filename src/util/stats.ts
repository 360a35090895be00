/**
 * Summary statistics of number arrays, shared by the detectors, the trial judge, the LR-range
 * analysis and the benchmarks. The order statistics skip non-finite values: a diverged step is a
 * fact to report, not a value to rank.
 */

function sortedFinite(values: readonly number[]): number[] {
  return values.filter(Number.isFinite).sort((a, b) => a - b);
}

/** The arithmetic mean; NaN for no values. */
export function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** The median of the finite values (the mean of the middle two for an even count); NaN when there are none. */
export function median(values: readonly number[]): number {
  const sorted = sortedFinite(values);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The q-quantile (q in [0, 1]) of the finite values, interpolated linearly; NaN when there are none. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = sortedFinite(values);
  if (sorted.length === 0) return Number.NaN;
  const position = Math.min(1, Math.max(0, q)) * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/** The least-squares slope of y over x; NaN when x does not vary. */
export function leastSquaresSlope(x: readonly number[], y: readonly number[]): number {
  const meanX = mean(x);
  const meanY = mean(y);
  let covariance = 0;
  let variance = 0;
  x.forEach((value, index) => {
    covariance += (value - meanX) * (y[index]! - meanY);
    variance += (value - meanX) ** 2;
  });
  return variance > 0 ? covariance / variance : Number.NaN;
}
