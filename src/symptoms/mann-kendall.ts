/**
 * The Mann-Kendall trend test (Mann 1945, "Nonparametric tests against trend", Econometrica 13;
 * Kendall 1975, "Rank Correlation Methods"): whether a short noisy series rises (or falls) more
 * consistently than its noise would by chance. It counts, over every pair of values, whether the
 * later one is higher (S), and compares S with its spread under no trend. It reads ranks only, so
 * one wild evaluation weighs no more than any other, and it needs no estimate of the noise.
 */
import { windowMedians } from './signals.js';

/**
 * One-sided 5% significance: the standard normal's 95th percentile. The normal approximation of S
 * is used from about ten values on (Kendall 1975); below, it is conservative for rises: four values
 * pass only when each is above all before it.
 */
export const TREND_Z_5_PERCENT = 1.645;

/**
 * For logs: the fewest losses the test is read from: Kendall (1975) uses the normal approximation of
 * S from about ten values on, and fewer cannot show a slow fall through the noise (a failed test on
 * seven values is no evidence of flatness). It is also not-learning's MIN_EPOCHS.
 */
export const MIN_TREND_POINTS = 10;
/**
 * Per-step losses can number tens of thousands; the test reads the medians of at most this many blocks
 * of them (accuracy-gain.ts does the same): a block median keeps the trend and damps the noise, and the
 * test stays O(n^2) on a few hundred values.
 */
const MAX_TESTED = 200;

/** The normal score of S (continuity-corrected, ties counted in its variance); 0 for fewer than three values. */
export function mannKendallZ(values: readonly number[]): number {
  const n = values.length;
  if (n < 3) return 0;
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += Math.sign(values[j]! - values[i]!);
  const variance = (n * (n - 1) * (2 * n + 5) - tieTerm(values)) / 18;
  if (!(variance > 0) || s === 0) return 0;
  return (s - Math.sign(s)) / Math.sqrt(variance);
}

/** Equal values lower the variance of S: the sum of t(t-1)(2t+5) over each group of t equal values. */
function tieTerm(values: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  let term = 0;
  for (const t of counts.values()) term += t * (t - 1) * (2 * t + 5);
  return term;
}

/** The Mann-Kendall z of a series, read on block medians when it is long. */
export function trendZ(values: readonly number[]): number {
  const tested = values.length <= MAX_TESTED ? values : windowMedians(values, Math.ceil(values.length / MAX_TESTED));
  return mannKendallZ(tested);
}
