/**
 * Readings of a logged series for the frozen-run check (thresholds for logs): how many of its last
 * values are the same number, and whether the log could have shown a change there at all.
 */
import { seriesResolution } from './printed-resolution.js';
import { startAndEnd } from './signals.js';

/**
 * Consecutive values closer than this, relative to the value, count as identical. Loggers print
 * float32 losses to 7 significant digits (float32 resolves about 6e-8 relative), so 1e-6 is "the
 * same number as printed", well below any real progress per epoch.
 */
const FROZEN_RELATIVE_CHANGE = 1e-6;
/**
 * Identical printed values show a loss that did not move only when the log prints it finely: to at
 * least a thousandth of its level. A logged training loss averages mini-batch losses whose spread
 * is a sizeable fraction of the loss (a factor of 10 between batches near zero, see loss-spikes.ts),
 * so a run that still moves changes it by far more than 1e-3 between logged points; HuggingFace's
 * 4 decimals (`round(loss, 4)` in Trainer._maybe_log_save_evaluate) resolve that from a loss of 0.1.
 */
export const PRINT_RESOLUTION_LIMIT = 1e-3;
/**
 * A loss 1000x below where the series started has learned: identical values there are float32's
 * floor (a saturated softmax's cross-entropy prints the same 1e-7 every time), not a run that learns
 * nothing. Three orders of magnitude, the same fall that takes HF's 4 decimals from a loss of ~1 to
 * its last printed digit.
 */
const CONVERGED_FALL = 1e-3;

/**
 * What an exact 0 stands for: float32's machine epsilon (2^-23), the spacing of float32 numbers at 1,
 * the finest step a saturated float32 loss moves in (a softmax cross-entropy prints 1.19e-7, 2.38e-7,
 * then 0). A loss below it rounds to exactly 0, so a logged 0 is a loss anywhere under it, and the
 * fall to it is judged like any other: from a start 1000x (CONVERGED_FALL) above it, 1.2e-4 or more,
 * the run learned its way down (a classifier from 0.68 to 0.0 in full float32 print); from a start
 * already at float32's floor, nothing was learned and, with the loss pinned at exactly 0 and its
 * gradient 0 with it, nothing can be.
 */
const FLOAT32_EPSILON = 2 ** -23;

export interface FrozenTail {
  /** How many last values are identical (1 when the last two differ; 0 for an empty series). */
  points: number;
  level: number;
  /** The series' start level (median of its first tenth) and the finest step its printed values show. */
  start: number;
  resolution: number;
  tolerance: number;
  /** Whether every value of the series, from its first, is in the tail. */
  whole: boolean;
}

export function frozenTail(values: readonly number[]): FrozenTail {
  let points = values.length === 0 ? 0 : 1;
  for (let index = values.length - 1; index > 0; index--) {
    const [value, before] = [values[index]!, values[index - 1]!];
    if (!Number.isFinite(value) || !(Math.abs(value - before) <= FROZEN_RELATIVE_CHANGE * Math.abs(before))) break;
    points++;
  }
  const finite = values.filter(Number.isFinite);
  return {
    points,
    level: values.at(-1) ?? Number.NaN,
    start: finite.length === 0 ? Number.NaN : startAndEnd(finite).start,
    resolution: seriesResolution(finite),
    tolerance: FROZEN_RELATIVE_CHANGE,
    whole: points === values.length,
  };
}

/**
 * Identical values at this level are a converged run, or one the log cannot resolve, not a frozen
 * one: rounded too coarsely to show a change (an exact 0 shows one only where the log prints values
 * far below float32's floor: a 0 among 4-decimal values is a rounded loss), or after a fall of over 1000x.
 * A loss printed as 0 at every logged point, from the first, is neither: rounding hides how small it
 * was, but no fall to it is in the log, and a loss that sits at its floor of 0 (cross-entropy, Dice,
 * squared error) sits where its gradient is 0 (for softmax cross-entropy the gradient is p - y, 0 once
 * the prediction is the label): whatever the rounding hid, the run logged nothing being learned
 * (log 487, post hoc: `Avg Loss: 0.000000` at 6 decimals for each of its 9 logged epochs).
 */
export function convergedOrUnresolved({ level, start, resolution, whole }: FrozenTail): boolean {
  if (level === 0 && whole) return false;
  const magnitude = level === 0 ? FLOAT32_EPSILON : Math.abs(level);
  return resolution > PRINT_RESOLUTION_LIMIT * magnitude || (start > 0 && magnitude <= CONVERGED_FALL * start);
}

/** For logs: a stretch of losses repeated this many times in a row (as FROZEN_MIN_POINTS equal points). */
const REPEATS = 3;

export interface RepeatedStretch {
  /** The logged points in one repeat (an epoch's batches), and the level the frozen check reads. */
  period: number;
  tail: FrozenTail;
}

/**
 * The last REPEATS stretches of `period` >= 2 losses are the same numbers in the same order: the same
 * unshuffled batches meet the same weights every epoch, so the per-batch losses differ but the
 * weights do not change. Null when no such period ends the series.
 */
export function repeatedStretch(values: readonly number[]): RepeatedStretch | null {
  const n = values.length;
  const same = (a: number, b: number) => Math.abs(a - b) <= FROZEN_RELATIVE_CHANGE * Math.abs(b);
  for (let period = 2; period * REPEATS <= n; period++) {
    if (!same(values[n - 1]!, values[n - 1 - period]!)) continue;
    const last = values.slice(n - period);
    if (last.every((value) => same(value, last[0]!))) continue;
    let index = n - 1;
    while (
      index >= n - (REPEATS - 1) * period &&
      Number.isFinite(values[index]) &&
      same(values[index]!, values[index - period]!)
    )
      index--;
    if (index < n - (REPEATS - 1) * period)
      return { period, tail: { ...frozenTail(values), points: REPEATS * period, level: Math.max(...last) } };
  }
  return null;
}
