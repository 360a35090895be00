/**
 * A logged run that ends diverged and still climbing (symptom `lr-too-high`, thresholds for logs):
 * critical. lr-too-high's end-level rule calls a training loss diverged at twice its minimum
 * (TheDeepChecker) and calls it critical only at ten times that or at a NaN, since a probe is a
 * short look at a run that may still come back. A log is the whole run, and it is over: a loss whose
 * last SUSTAINED_WINDOWS window medians (tenths) both stand at twice its running minimum, the last the
 * highest since the minimum, and whose logged values rise from the minimum on by a Mann-Kendall test
 * at 5%, ended diverged and was still rising when it stopped: what it had learned is lost, whatever
 * the factor. So did one whose last FROZEN_MIN_POINTS logged losses are identical there (frozen-run.ts's
 * test): weights that no longer change cannot bring the loss back (a rate that wrecked them, log 294). lr-too-high's floor (a tenth of the start, where mini-batch noise doubles a loss) still
 * gates the finding itself; a rank trend over the whole stretch is what noise near the floor does not
 * make. When the log has a validation loss it must say the same (the median of its last evaluations
 * at twice its best before them): the model got worse on held-out data, not only on its batches. A
 * run that came back is recovered-divergence.ts' warning.
 */
import type { ProbeTrace } from '../trace/trace.js';
import { median } from '../util/stats.js';
import { DIVERGENCE_RATIO } from './divergence-limits.js';
import { FROZEN_MIN_POINTS } from './frozen-run.js';
import { convergedOrUnresolved, frozenTail } from './frozen-series.js';
import { mannKendallZ, TREND_Z_5_PERCENT } from './mann-kendall.js';
import { SUSTAINED_EVALUATIONS } from './validation-rise.js';

/** For logs: the last two windows, a fifth of the run, held the divergence: not one passing window. */
const SUSTAINED_WINDOWS = 2;

export interface EndLevels {
  /** The window medians of the training loss, and how many losses each window holds. */
  levels: readonly number[];
  window: number;
  /** The running minimum of the levels (before the last) and the index of its window's first loss. */
  minimum: number;
  minimumIndex: number;
}

/** Whether the training loss ended diverged, still rising or frozen there, and a logged validation loss with it. */
export function endsDiverged(trace: ProbeTrace, { levels, window, minimum, minimumIndex }: EndLevels): boolean {
  const minimumWindow = Math.round(minimumIndex / window);
  if (levels.length - minimumWindow <= SUSTAINED_WINDOWS || !(minimum > 0)) return false;
  if (!levels.slice(-SUSTAINED_WINDOWS).every((level) => level >= DIVERGENCE_RATIO * minimum)) return false;
  const rising =
    levels.at(-1)! >= Math.max(...levels.slice(minimumWindow)) &&
    mannKendallZ(trace.loss.slice(minimumIndex).filter(Number.isFinite)) >= TREND_Z_5_PERCENT;
  return (rising || frozenThere(trace.loss)) && validationAgrees(trace.valLoss.filter(Number.isFinite));
}

/** The last FROZEN_MIN_POINTS logged losses or more are identical, at a level the log resolves (frozen-series.ts). */
export function frozenThere(losses: readonly number[]): boolean {
  const tail = frozenTail(losses);
  return tail.points >= FROZEN_MIN_POINTS && !convergedOrUnresolved(tail);
}
/**
 * With too few evaluations to hold a best and a sustained stretch after it (or none), the training
 * loss decides alone; otherwise the median of the last SUSTAINED_EVALUATIONS (Keras' patience 3, as
 * validation-rise.ts) must be DIVERGENCE_RATIO times the lowest evaluation before them.
 */
function validationAgrees(losses: readonly number[]): boolean {
  if (losses.length <= SUSTAINED_EVALUATIONS) return true;
  const best = Math.min(...losses.slice(0, -SUSTAINED_EVALUATIONS));
  return best > 0 && median(losses.slice(-SUSTAINED_EVALUATIONS)) >= DIVERGENCE_RATIO * best;
}
