/**
 * A logged training loss that rose well above where it started and never came back below it
 * (symptom `lr-too-high`, thresholds for logs): critical, whatever it did after its peak.
 * lr-too-high's end-level rule asks the loss to end at twice its running minimum (TheDeepChecker);
 * a run that climbs 1.7x and falls part of the way back once its rate is cut ends under that, yet
 * never got below its first tenth again (log 269: 5.40 at its first epoch, 9.13 at epoch 22, 7.00 at
 * its last). The loss is what the optimizer minimizes: over the whole run it made it worse and did
 * not undo that, so the weights it ends with are worse at their own objective than where the run
 * began. A log is the whole run and it is over, so this is the run's result, not a passing stretch.
 */
import type { ProbeTrace } from '../trace/trace.js';
import { formatNumber } from '../util/format.js';
import { confidenceFromMargin, type Detection } from './finding.js';
import { WINDOW_FRACTION } from './divergence-limits.js';
import { roseAboveStart } from './not-learning-signals.js';
import { finiteLossSteps, MIN_VALIDATION_POINTS, windowMedians } from './signals.js';
import { RECOVERED_FACTOR } from './spike-test.js';

/**
 * For logs: "well above" its start is a tenth's median RECOVERED_FACTOR times the first tenth's or more:
 * within that factor a loss counts as back at its level (spike-test.ts), so a level past it has left it.
 */
const WELL_ABOVE_START = RECOVERED_FACTOR;
/** A tenth of the run must hold at least one logged loss. */
const MIN_LOSSES = Math.round(1 / WINDOW_FRACTION);

export interface RiseNeverUndone {
  /** The first tenth's median, the highest later tenth's and where that tenth begins, the last tenth's. */
  start: number;
  peak: number;
  peakIndex: number;
  end: number;
}

/**
 * The rise, when every later tenth of the training loss stands PROGRESS_PER_WINDOW (TheDeepChecker's 5%)
 * or more above the first (not-learning-signals.ts' roseAboveStart), one of them WELL_ABOVE_START above
 * it, and a validation loss logged with it never came back below its own start either; else null.
 */
export function riseNeverUndone(trace: ProbeTrace): RiseNeverUndone | null {
  const losses = trace.loss.slice(0, finiteLossSteps(trace));
  if (losses.length < MIN_LOSSES || !roseAboveStart(losses)) return null;
  const validation = trace.valLoss.filter(Number.isFinite);
  // A validation loss of enough evaluations must say the same.
  if (validation.length >= MIN_VALIDATION_POINTS && !roseAboveStart(validation)) return null;
  const window = Math.max(1, Math.round(losses.length * WINDOW_FRACTION));
  const levels = windowMedians(losses, window);
  const start = levels[0]!;
  const peakWindow = levels.reduce((best, level, k) => (level > levels[best]! ? k : best), 0);
  const peak = levels[peakWindow]!;
  if (!(start > 0) || !(peak >= WELL_ABOVE_START * start)) return null;
  return { start, peak, peakIndex: peakWindow * window, end: levels.at(-1)! };
}

/** What the message says of such a run, after lr-too-high's own words on its level. */
export function neverBackText(rise: RiseNeverUndone, trace: ProbeTrace, stepUnit: string): string {
  return (
    `The run ended diverged: its training loss rose from ${formatNumber(rise.start)} (the median of its first tenth) ` +
    `to ${formatNumber(rise.peak)} (${formatNumber(rise.peak / rise.start)}x, the tenth from ${stepUnit} ${trace.step[rise.peakIndex] ?? rise.peakIndex}) ` +
    `and never came back below where it started: it ends at ${formatNumber(rise.end)}, ${formatNumber(rise.end / rise.start)}x its start. `
  );
}

/** The critical finding for a log whose rise stays under lr-too-high's twice-the-minimum but was never undone. */
export function neverBackFinding(trace: ProbeTrace, rise: RiseNeverUndone, stepUnit: string): Detection {
  return {
    severity: 'critical',
    confidence: confidenceFromMargin(rise.peak / rise.start, WELL_ABOVE_START),
    step: trace.step[rise.peakIndex] ?? rise.peakIndex,
    evidence: {
      measured: rise.peak / rise.start,
      threshold: WELL_ABOVE_START,
      what: 'highest tenth (median) of the training loss over its first tenth, every later tenth 5% or more above the first',
    },
    message:
      neverBackText(rise, trace, stepUnit) +
      'The optimizer made its own objective worse and did not undo it: the learning rate was too high. ' +
      'Lower it (an LR range test finds one) and decay it, and keep the checkpoint of the best epoch.',
  };
}
