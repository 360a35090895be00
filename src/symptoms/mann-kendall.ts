/**
 * The Mann-Kendall trend test (Mann 1945, "Nonparametric tests against trend", Econometrica 13;
 * Kendall 1975, "Rank Correlation Methods"): whether a short noisy series rises (or falls) more
 * consistently than its noise would by chance. It counts, over every pair of values, whether the
 * later one is higher (S), and compares S with its spread under no trend. It reads ranks only, so
 * one wild evaluation weighs no more than any other, and it needs no estimate of the noise.
 */

/**
 * One-sided 5% significance: the standard normal's 95th percentile. The normal approximation of S
 * is used from about ten values on (Kendall 1975); below, it is conservative for rises: four values
 * pass only when each is above all before it.
 */
export const TREND_Z_5_PERCENT = 1.645;

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
