/**
 * A logged training loss that rises as a trend over the whole run (symptom `lr-too-high`, thresholds
 * for logs). lr-too-high's end-level rule asks the loss to end at twice its running minimum
 * (TheDeepChecker) and its never-back rule a climb of RECOVERED_FACTOR over the start; a run whose loss
 * climbs steadily by a third after its first epochs ends under both, yet the optimizer made its own
 * objective worse epoch after epoch (bench log 477: 0.265, best 0.238 at epoch 1, then higher at 7 of
 * the last 8 epochs to 0.323). no-loss-trend.ts leaves a significant rise to lr-too-high; this reads it.
 * Only where the training loss is the run's one witness: with a validation loss logged, a training
 * rise is read beside it (losses-rise-together.ts, validation-ends-best.ts, overfitting.ts); a log of
 * the validation loss alone, standing in for the training loss, is left to lr-too-high.ts' caller
 * (there a rise is overfitting, overfitting-validation-only.ts).
 */
import type { ProbeTrace } from '../trace/trace.js';
import { formatNumber } from '../util/format.js';
import { WINDOW_FRACTION } from './divergence-limits.js';
import { MIN_TREND_POINTS, TREND_Z_5_PERCENT, trendZ } from './mann-kendall.js';
import { finiteLossSteps, MIN_VALIDATION_POINTS, PROGRESS_PER_WINDOW, windowMedians } from './signals.js';

export interface RisingTrend {
  /** The Mann-Kendall z of the training losses, and the medians of the first and last tenth. */
  z: number;
  start: number;
  end: number;
  /** How many training losses the test read. */
  count: number;
}

/**
 * The rise, when the training losses rise by a Mann-Kendall test at 5% over the whole run and the last
 * tenth stands PROGRESS_PER_WINDOW (TheDeepChecker's 5% a window) or more above the first; else null.
 */
export function risingTrend(trace: ProbeTrace): RisingTrend | null {
  const losses = trace.loss.slice(0, finiteLossSteps(trace));
  // A validation loss of enough evaluations is a second witness, read beside the rise by other rules.
  if (losses.length < MIN_TREND_POINTS || trace.valLoss.filter(Number.isFinite).length >= MIN_VALIDATION_POINTS)
    return null;
  const z = trendZ(losses);
  if (!(z >= TREND_Z_5_PERCENT)) return null;
  const levels = windowMedians(losses, Math.max(1, Math.round(losses.length * WINDOW_FRACTION)));
  const [start, end] = [levels[0]!, levels.at(-1)!];
  return start > 0 && end >= (1 + PROGRESS_PER_WINDOW) * start ? { z, start, end, count: losses.length } : null;
}

/** What the message says of such a run. */
export function risingTrendText({ z, start, end, count }: RisingTrend): string {
  return (
    `The training loss rose over the whole run: a Mann-Kendall test over its ${count} logged values gives z = ${formatNumber(z)} ` +
    `(a rise at the 5% level needs ${formatNumber(TREND_Z_5_PERCENT)} or more), from ${formatNumber(start)} (the median of its first tenth) ` +
    `to ${formatNumber(end)} (its last tenth, ${formatNumber(100 * (end / start - 1))}% higher), and no validation loss was logged to say otherwise: ` +
    'each epoch made the objective the optimizer minimizes worse. '
  );
}
