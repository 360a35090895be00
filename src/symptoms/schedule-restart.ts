/**
 * A learning-rate schedule that starts a new cycle (thresholds for logs): the logged rate, having
 * decayed, turns back up, from near zero into a fresh warm-up or in one jump back to its top (SGDR's
 * warm restarts, Loshchilov & Hutter, ICLR 2017). A restart throws the weights out of the minimum
 * the decay settled them in, and the loss jumps with it before the new cycle brings it down: that
 * jump is the schedule, not instability. A rate raised ABOVE every rate before it is not a restart
 * but a new, higher rate (lr-too-high.ts' learningRateEffect says the loss diverged as it climbed).
 */
import type { ProbeTrace } from '../trace/trace.js';

/**
 * The rate a cycle ends at, as a fraction of the run's earlier peak: the rate must have decayed to at
 * most this before it turns up. SGDR's cosine and HF Trainer's linear schedules end a cycle at
 * eta_min, usually 0; half the peak keeps a plateau schedule's small wobbles and a step schedule's
 * first cut out of it only when they stay above half, which is the usual 0.1-0.5 cut's far side.
 */
const RESTART_DECAYED_FRACTION = 0.5;

/**
 * Whether the logged rate restarts its schedule at a point from `from` to `to` (indices of the trace's
 * steps, inclusive): at some index j there the rate is at most RESTART_DECAYED_FRACTION of the peak
 * before j, the next rate is above it, and the new cycle's top (cycleTop) does not exceed that peak.
 * False when the log carries no rate there.
 */
export function scheduleRestartsWithin(trace: ProbeTrace, from: number, to: number): boolean {
  const rates = trace.learningRate;
  let peak = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < Math.min(rates.length - 1, to + 1); j++) {
    const rate = rates[j]!;
    const next = rates[j + 1]!;
    if (j >= from && Number.isFinite(rate) && Number.isFinite(next) && peak > 0) {
      const decayed = rate <= RESTART_DECAYED_FRACTION * peak;
      if (decayed && next > rate && cycleTop(rates, j + 1) <= peak) return true;
    }
    if (Number.isFinite(rate)) peak = Math.max(peak, rate);
  }
  return false;
}

/** The rate where a cycle that climbs from `start` stops climbing: its warm-up's top, or `start` after a jump. */
function cycleTop(rates: readonly number[], start: number): number {
  let k = start;
  while (k + 1 < rates.length && rates[k + 1]! >= rates[k]!) k++;
  return rates[k]!;
}
