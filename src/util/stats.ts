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

/**
 * The running median of three: each value with its two neighbours (two at the ends), so that one
 * lucky or unlucky evaluation does not stand for the curve's level there.
 */
export function medianOfThree(values: readonly number[]): number[] {
  return values.map((_, index) => median(values.slice(Math.max(0, index - 1), index + 2)));
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

/** A straight line fitted by least squares, with the standard error of its slope (NaN below three points). */
export interface LineFit {
  slope: number;
  intercept: number;
  slopeStandardError: number;
}

/** The least-squares line of y over x; its slope is NaN when x does not vary. */
export function fitLine(x: readonly number[], y: readonly number[]): LineFit {
  const meanX = mean(x);
  const meanY = mean(y);
  let covariance = 0;
  let variance = 0;
  x.forEach((value, index) => {
    covariance += (value - meanX) * (y[index]! - meanY);
    variance += (value - meanX) ** 2;
  });
  const slope = variance > 0 ? covariance / variance : Number.NaN;
  const intercept = meanY - slope * meanX;
  const residualSquares = x.reduce((sum, value, index) => sum + (y[index]! - intercept - slope * value) ** 2, 0);
  const slopeStandardError = x.length > 2 ? Math.sqrt(residualSquares / (x.length - 2) / variance) : Number.NaN;
  return { slope, intercept, slopeStandardError };
}

/** The least-squares slope of y over x; NaN when x does not vary. */
export function leastSquaresSlope(x: readonly number[], y: readonly number[]): number {
  return fitLine(x, y).slope;
}
