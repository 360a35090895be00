/**
 * The class count C whose ln C a logged loss held at over the whole run (thresholds for logs), for
 * stuck-at-chance.ts. An untrained softmax over C classes scores ln C (Karpathy, "A Recipe for
 * Training Neural Networks", 2019). Alone, a level near ln C is weak evidence: above five classes the
 * 5% bands of neighbouring ln C overlap (not-learning-signals.ts' MAX_CLASSES_FROM_LOSS), and a
 * converged run can end near one by coincidence ("a loss that ends at ln C", session 19: 3 healthy
 * logs of 522 flagged). stuck-at-chance.ts reads it only beside a logged accuracy at 1/C for the same
 * C: two independent readings of one guess. The loss, a proper scoring rule, is the finer of the two
 * where C is large (log 543: top-1 accuracies of 0-3/256 on batches of 256 read as 1/128, while
 * the loss held at 5.541-5.543 against ln 256 = 5.545).
 */
import type { ProbeTrace } from '../trace/trace.js';
import { median } from '../util/stats.js';
import { PROGRESS_PER_WINDOW } from './signals.js';

/** For logs: as many points as stuck-at-chance.ts reads accuracies from, so that one value does not decide. */
const MIN_POINTS = 3;

/**
 * The C nearest exp of the judged loss's median (validation with MIN_POINTS values, else training)
 * when every value of that series lies within PROGRESS_PER_WINDOW (TheDeepChecker's 5% a window) of
 * ln C, as short-run-at-chance.ts reads a run that never left chance; null otherwise (C < 2 included).
 */
export function lossHeldAtChance(trace: ProbeTrace): number | null {
  const validation = trace.valLoss.filter(Number.isFinite);
  const losses = validation.length >= MIN_POINTS ? validation : trace.loss.filter(Number.isFinite);
  if (losses.length < MIN_POINTS) return null;
  const classes = Math.round(Math.exp(median(losses)));
  const chance = Math.log(classes);
  if (!(classes >= 2 && Number.isFinite(chance))) return null;
  return losses.every((loss) => Math.abs(loss - chance) <= PROGRESS_PER_WINDOW * chance) ? classes : null;
}
