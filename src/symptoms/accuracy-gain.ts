/**
 * Whether a logged accuracy improved over the whole run (thresholds for logs), for the not-learning
 * judgments of not-learning.ts. A loss can sit flat at a floor while the model still learns: label
 * smoothing bounds a cross-entropy below (a smoothed target of 0.1 keeps it near 1.2 at 98% accuracy
 * on ten classes), and a fine-tune that starts near its optimum moves the loss by less than a
 * window's 5% while it still removes errors. When the accuracy says the run learned, a flat loss is
 * not "learned nothing". Two conditions, so that neither noise nor a drift too small to matter counts:
 * a monotonic upward trend by the Mann-Kendall test, and a clear cut of the error rate 1 - accuracy.
 */
import type { ProbeTrace } from '../trace/trace.js';
import { startAndEnd, windowMedians } from './signals.js';

/**
 * For logs: the error rate 1 - accuracy must fall by at least a tenth of itself, from the median of
 * the run's first third to the median of its last. This is the bar for a gain that matters (noise is
 * the trend test's business): a tenth of the errors gone is what one more epoch of a converging run
 * or a learning-rate decay buys, while a stalled run drifts by a few percent of them (0.70 -> 0.71 is
 * 3%). It is relative so that it reads the same near 50% and near 99% accuracy.
 */
export const ERROR_CUT = 0.1;
/**
 * For logs: the Mann-Kendall trend statistic must pass the one-sided 5% level of the normal
 * approximation (Mann 1945; Kendall 1975), z >= 1.645: the rise is a trend, not evaluations scattered
 * around a level. Ties are ignored in the variance, which makes the test conservative.
 */
const TREND_Z = 1.645;
/** Four values is the fewest whose Mann-Kendall z can reach the one-sided 5% level (a perfect rise gives 1.70). */
const MIN_POINTS = 4;
/** The start and end levels are medians of a third of the run each. */
export const THIRD = 1 / 3;
/**
 * Per-batch accuracies can number thousands; the trend is tested on the medians of this many blocks
 * of them (a noisy batch series' trend shows in its block medians, and the test stays O(n^2) on a few hundred).
 */
const MAX_TESTED = 200;

export type AccuracySplit = 'validation' | 'training';

export interface AccuracyGain {
  split: AccuracySplit;
  /** Accuracy at the start and end (medians of the first and last third of the logged values). */
  start: number;
  end: number;
  /** The fraction of the start's error rate gone by the end. */
  errorCut: number;
  /** The Mann-Kendall z of the logged accuracy. */
  z: number;
  points: number;
}

/**
 * The first of `splits` whose logged accuracy has MIN_POINTS values decides: its gain when it rose by
 * both conditions, else null (a flat accuracy beside a flat loss is no evidence of learning).
 */
export function accuracyGain(trace: ProbeTrace, splits: readonly AccuracySplit[]): AccuracyGain | null {
  for (const split of splits) {
    const metric = split === 'validation' ? trace.valMetric : trace.trainMetric;
    const values = metric?.name === 'accuracy' ? metric.values.filter(Number.isFinite) : [];
    if (values.length < MIN_POINTS) continue;
    const { start, end } = startAndEnd(values, THIRD);
    const errorCut = start < 1 ? (end - start) / (1 - start) : 0;
    const z = mannKendallZ(blockMedians(values));
    return errorCut >= ERROR_CUT && z >= TREND_Z ? { split, start, end, errorCut, z, points: values.length } : null;
  }
  return null;
}

/** The Mann-Kendall z with the continuity correction: S counts later values above earlier ones minus those below. */
export function mannKendallZ(values: readonly number[]): number {
  const n = values.length;
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += Math.sign(values[j]! - values[i]!);
  const sd = Math.sqrt((n * (n - 1) * (2 * n + 5)) / 18);
  if (s === 0 || !(sd > 0)) return 0;
  return (s - Math.sign(s)) / sd;
}

function blockMedians(values: readonly number[]): number[] {
  return values.length <= MAX_TESTED ? [...values] : windowMedians(values, Math.ceil(values.length / MAX_TESTED));
}
