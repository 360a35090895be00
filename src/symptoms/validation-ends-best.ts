/**
 * A logged validation loss that ends at its best (thresholds for logs): the held-out loss of the last
 * tenth of the evaluations is the lowest of every tenth. Weights the learning rate throws out of their
 * minimum score worse on held-out data too; a validation loss still improving at the end says they
 * were not, so a training loss that ends above its minimum there is the mini-batch noise of a few
 * logged batches (log 378, post hoc: eight per-batch training losses 0.010-0.135 beside a validation
 * loss that reaches its best, 0.043, at the last of 100 evaluations). A training loss that rises
 * steadily from its minimum (a Mann-Kendall rise at 5%, mann-kendall.ts) is no such noise, and stays
 * lr-too-high's to judge (log 228's shape: six epochs rising from 0.061 to 0.554).
 */
import type { ProbeTrace } from '../trace/trace.js';
import { WINDOW_FRACTION } from './divergence-limits.js';
import { mannKendallZ, TREND_Z_5_PERCENT } from './mann-kendall.js';
import { finiteLossSteps, MIN_VALIDATION_POINTS, windowMedians } from './signals.js';

/**
 * The last tenth's median of the finite validation losses is below every earlier tenth's, and the
 * training loss shows no rising trend from its minimum to its end.
 */
export function validationEndsAtBest(trace: ProbeTrace): boolean {
  const training = trace.loss.slice(0, finiteLossSteps(trace));
  const minimumIndex = training.indexOf(Math.min(...training));
  if (mannKendallZ(training.slice(minimumIndex)) >= TREND_Z_5_PERCENT) return false;
  const losses = trace.valLoss.filter(Number.isFinite);
  if (losses.length < MIN_VALIDATION_POINTS) return false;
  const levels = windowMedians(losses, Math.max(1, Math.round(losses.length * WINDOW_FRACTION)));
  const last = levels.at(-1)!;
  return levels.slice(0, -1).every((level) => last < level);
}
