/**
 * Spikes the run's own schedule ended (symptom `lr-too-high`, thresholds for logs). loss-spikes.ts
 * advises a lower learning rate for loss spikes that recover; a run whose logged rate was lowered
 * after its last spike (ReduceLROnPlateau, a step decay), that spiked no more for longer than any
 * pause between its spikes, and that ends near its best, took that advice during the run: the
 * spikes cost it a stretch, not its result, and are reported as info, not as a warning. Without a
 * logged rate, or with spikes that go on after the cut, the finding stays a warning.
 */
import { formatNumber } from '../util/format.js';
import { median } from '../util/stats.js';
import type { ProbeTrace } from '../trace/trace.js';
import { LR_RAISED_FACTOR } from './lr-too-high.js';
import { SUSTAINED_EVALUATIONS } from './validation-rise.js';
import { RECOVERED_FACTOR } from './spike-test.js';

/**
 * For logs: the end is "near its best" when the median of its last SUSTAINED_EVALUATIONS points (Keras'
 * patience 3) is within this factor of its lowest: RECOVERED_FACTOR (spike-test.ts), the bar for a
 * loss that is back at its level.
 */
const NEAR_BEST_FACTOR = RECOVERED_FACTOR;

/** A series of logged losses (training or validation) and the steps they were logged at. */
export interface SpikedSeries {
  steps: readonly number[];
  losses: readonly number[];
  /** Indices into the series of the spikes that were counted, in order. */
  spikes: readonly number[];
}

/**
 * The words that say why the spikes are only info, or null when they still warrant a warning: the
 * logged rate fell LR_RAISED_FACTOR or more (lr-too-high's bar for a rate that changed) after the last
 * spike, the points after that cut outnumber every run of points between two spikes and
 * SUSTAINED_EVALUATIONS, and the series ends near its best.
 */
export function calmedByRateCut(
  trace: ProbeTrace,
  { steps, losses, spikes }: SpikedSeries,
  stepUnit: string,
): string | null {
  const last = spikes.at(-1);
  if (last === undefined) return null;
  const rateAt = (step: number) => trace.learningRate[trace.step.findLastIndex((logged) => logged <= step)];
  const before = rateAt(steps[last]!);
  if (before === undefined || !(before > 0)) return null;
  const cutIndex = trace.learningRate.findIndex(
    (rate, index) => trace.step[index]! > steps[last]! && rate * LR_RAISED_FACTOR <= before,
  );
  if (cutIndex < 0) return null;
  const cutStep = trace.step[cutIndex]!;
  const after = steps.filter((step) => step >= cutStep).length;
  const longestPause = Math.max(0, ...spikes.slice(1).map((spike, k) => spike - spikes[k]!));
  if (after <= Math.max(longestPause, SUSTAINED_EVALUATIONS)) return null;
  const best = Math.min(...losses);
  if (!(median(losses.slice(-SUSTAINED_EVALUATIONS)) <= NEAR_BEST_FACTOR * best)) return null;
  return (
    `The run's own schedule already lowered it: its learning rate went from ${formatNumber(before)} to ` +
    `${formatNumber(trace.learningRate[cutIndex]!)} at ${stepUnit} ${cutStep}, no spike followed over the ${after} logged points from there, ` +
    `and the loss ends within ${formatNumber(NEAR_BEST_FACTOR)}x its best (${formatNumber(best)}).`
  );
}
