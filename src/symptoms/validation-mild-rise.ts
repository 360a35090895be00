/**
 * A mild, sustained rise of a logged validation loss: above its best at every evaluation since, by
 * less than Prechelt's GL_5 (validation-rise.ts). Early stopping reads a full run this way: Keras'
 * and Lightning's EarlyStopping stop once the monitored loss has not improved for `patience`
 * evaluations, however small the rise (min_delta 0 by default), and restore the best weights. A
 * drift of 1-5% over tens of epochs is what GL_5 misses and early stopping does not: it needs
 * `patience` evaluations after the best, a Mann-Kendall rise at 5% from the best on (ranks, so a
 * smooth drift of a few thousandths counts and a noisy flat curve does not), and the last
 * evaluation above the best by more than the curve moves between evaluations.
 *
 * At GL_5 or more the rise is validation-rise.ts' to judge, with its guards (a lucky dip, the
 * tenths of a long run, noise at the bottom of a curve that fell a hundredfold): this reading
 * covers only the band under it, so it never overrules them. overfitting-on-log.ts also asks the
 * training loss to have fallen by a window's progress since the best, which keeps out a converged
 * run whose training loss has flattened too (bench logs 179 and 241, docs/log-benchmark-12a.md).
 */
import { mannKendallZ, TREND_Z_5_PERCENT } from './mann-kendall.js';
import { evaluationNoise, LOG_VALIDATION_RISE, SUSTAINED_EVALUATIONS, type Evaluation } from './validation-rise.js';

/**
 * Evaluations after the best before early stopping gives up: PyTorch Lightning's EarlyStopping
 * default patience is 3 (Keras' examples use 3 too), the same strip validation-rise.ts reads.
 */
export const MILD_PATIENCE = SUSTAINED_EVALUATIONS;

export interface MildRise {
  /** The best evaluation (the lowest logged, no smoothing: early stopping restores exactly it). */
  best: Evaluation;
  /** The last evaluation. */
  last: Evaluation;
  /** last.loss / best.loss, under LOG_VALIDATION_RISE. */
  rise: number;
  /** Evaluations after the best. */
  since: number;
  /** The Mann-Kendall normal score of the evaluations from the best on. */
  z: number;
  /** The typical change between neighbouring evaluations, which last - best exceeds. */
  noise: number;
}

/** The mild rise of the validation loss since its best, or null when it is not sustained, not significant or GL_5 and more. */
export function mildValidationRise(points: readonly Evaluation[]): MildRise | null {
  const bestIndex = points.reduce((best, point, k) => (point.loss < points[best]!.loss ? k : best), 0);
  const since = points.length - 1 - bestIndex;
  if (since < MILD_PATIENCE) return null;
  const best = points[bestIndex]!;
  const last = points.at(-1)!;
  if (!(best.loss > 0) || !(last.loss < LOG_VALIDATION_RISE * best.loss)) return null;
  const z = mannKendallZ(points.slice(bestIndex).map((point) => point.loss));
  if (z < TREND_Z_5_PERCENT) return null;
  const noise = evaluationNoise(points, bestIndex);
  if (!(last.loss - best.loss > noise)) return null;
  return { best, last, rise: last.loss / best.loss, since, z, noise };
}
