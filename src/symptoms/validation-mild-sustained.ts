/**
 * A mild rise held over early stopping's patience: each of the last MILD_PATIENCE evaluations stands
 * above the best by more than the validation loss moves between evaluations, all of them under
 * Prechelt's GL_5 (validation-rise.ts). It is validation-rise.ts' `sustained` reading (GL_alpha at
 * each of the last three evaluations, against a best taken from a running median of three, so that
 * one lucky evaluation is not the best) with alpha the evaluation noise instead of 5%: the rise
 * Keras' and Lightning's EarlyStopping (patience 3, min_delta 0) stop on, which no single noisy
 * evaluation makes. validation-mild-rise.ts reads the same band by a Mann-Kendall trend from the best
 * on; a curve that rose and then levelled off above its best (a fine-tune's eval loss: 1.879 at its
 * best, then 1.889, 1.900, 1.908, 1.905, 1.905, 1.902) has no significant trend left, and is this
 * reading's. overfitting-on-log.ts asks the training loss to have fallen by a window's progress since
 * the best, as for the trend.
 */
import { medianOfThree } from '../util/stats.js';
import { MILD_PATIENCE } from './validation-mild-rise.js';
import { bestOf, evaluationNoise, LOG_VALIDATION_RISE, type Evaluation } from './validation-rise.js';

export interface MildSustainedRise {
  /** The best evaluation: its step and the running median of three there. */
  best: Evaluation;
  /** The lowest of the last MILD_PATIENCE evaluations, each above the best by more than the noise. */
  level: number;
  /** level / best.loss, under LOG_VALIDATION_RISE. */
  rise: number;
  /** Evaluations after the best. */
  since: number;
  /** The typical change between neighbouring evaluations, which level - best exceeds. */
  noise: number;
}

/** The mild sustained rise since the smoothed best, or null when the last evaluations are not all above it by the noise, or one reaches GL_5. */
export function mildSustainedRise(points: readonly Evaluation[]): MildSustainedRise | null {
  const losses = points.map((point) => point.loss);
  const { index: bestIndex, best } = bestOf(points, medianOfThree(losses));
  const since = points.length - 1 - bestIndex;
  if (since < MILD_PATIENCE) return null;
  const last = losses.slice(-MILD_PATIENCE);
  // Any of them at GL_5 or more is validation-rise.ts' to judge, with its guards.
  if (!(best.loss > 0) || !(Math.max(...last) < LOG_VALIDATION_RISE * best.loss)) return null;
  const level = Math.min(...last);
  const noise = evaluationNoise(points, bestIndex);
  if (!(level - best.loss > noise)) return null;
  return { best, level, rise: level / best.loss, since, noise };
}
