/**
 * How far a logged validation loss has risen above its best, by Prechelt's early-stopping criteria
 * ("Early Stopping — But When?", 1998; thresholds for logs). GL_alpha stops once the validation
 * loss is alpha percent above its best so far: here each of the last three evaluations, against a
 * best taken from a running median of three (one lucky evaluation is not the best). UP_s stops once
 * it rose in s successive strips: here three rises in a row, against the raw best, which catches
 * the onsets of short runs that the running median moves onto the rise itself. Either rise must
 * also exceed the evaluation-to-evaluation noise, and on a long run show in the means of tenths of
 * it (a noisy validation set whose 20-epoch means still fall has a lucky dip, not a best).
 */
import { median } from '../util/stats.js';

/** For logs: GL_5, the validation loss 5% above its best (Prechelt 1998 measured GL_1 to GL_5). */
export const LOG_VALIDATION_RISE = 1.05;
/** For logs: GL holds at each of the last three evaluations (Keras' EarlyStopping examples use patience 3). */
export const SUSTAINED_EVALUATIONS = 3;
/** For logs: UP_3, the validation loss rose at each of the last three evaluations (Prechelt's UP_s, s = 3). */
const RISING_EVALUATIONS = 3;
/** For logs: a run of at least twice this many evaluations is also judged on the means of this many blocks (tenths). */
const BLOCKS = 10;

export interface Evaluation {
  step: number;
  loss: number;
}

export interface ValidationRise {
  criterion: 'sustained' | 'rising';
  /** The best evaluation: its step and loss (the running median of three there, for `sustained`). */
  best: Evaluation;
  /** The level compared with the best: the lowest of the last evaluations (sustained) or the last (rising). */
  level: number;
  /** level / best. */
  rise: number;
  /** The typical change from one evaluation to the next, which level - best must exceed. */
  noise: number;
}

/** The rise by GL_5 sustained or UP_3 that also exceeds the evaluation-to-evaluation noise; null if neither holds. */
export function validationRise(points: readonly Evaluation[]): ValidationRise | null {
  if (points.length < RISING_EVALUATIONS + 1 || !tenthsRose(points)) return null;
  const smoothed = points.map((_, index) =>
    median(points.slice(Math.max(0, index - 1), index + 2).map((point) => point.loss)),
  );
  const candidates: [ValidationRise['criterion'], readonly number[], number | null][] = [
    ['sustained', smoothed, sustainedLevel(points, smoothed)],
    ['rising', points.map((point) => point.loss), risingLevel(points)],
  ];
  for (const [criterion, series, level] of candidates) {
    const bestIndex = series.reduce((best, value, index) => (value < series[best]! ? index : best), 0);
    const best = { step: points[bestIndex]!.step, loss: series[bestIndex]! };
    const noise = evaluationNoise(points, bestIndex);
    if (level === null || !(best.loss > 0) || !(level >= LOG_VALIDATION_RISE * best.loss)) continue;
    if (level - best.loss > noise) return { criterion, best, level, rise: level / best.loss, noise };
  }
  return null;
}

/**
 * The median change between neighbouring evaluations, a rise no larger than which is noise. A
 * trend inflates it: the fall before the best over the whole run, the rise after it from the best
 * on; the smaller of the two is nearer the noise.
 */
export function evaluationNoise(points: readonly Evaluation[], bestIndex: number): number {
  const changes = (from: number) =>
    median(points.slice(from + 1).map((point, k) => Math.abs(point.loss - points[from + k]!.loss)));
  return bestIndex < points.length - 2 ? Math.min(changes(0), changes(bestIndex)) : changes(0);
}

/** On a long run, the mean of its last tenth stands GL_5 above the lowest tenth's mean; short runs pass. */
export function tenthsRose(points: readonly Evaluation[]): boolean {
  if (points.length < 2 * BLOCKS) return true;
  const width = Math.floor(points.length / BLOCKS);
  const means = Array.from({ length: BLOCKS }, (_, block) => {
    const end = points.length - block * width;
    return points.slice(end - width, end).reduce((sum, point) => sum + point.loss, 0) / width;
  });
  return means[0]! >= LOG_VALIDATION_RISE * Math.min(...means);
}

/** GL: the lowest of the last SUSTAINED_EVALUATIONS evaluations, when the smoothed best came before them. */
function sustainedLevel(points: readonly Evaluation[], smoothed: readonly number[]): number | null {
  const bestIndex = smoothed.indexOf(Math.min(...smoothed));
  if (points.length < SUSTAINED_EVALUATIONS + 2 || bestIndex >= points.length - SUSTAINED_EVALUATIONS) return null;
  return Math.min(...points.slice(-SUSTAINED_EVALUATIONS).map((point) => point.loss));
}

/** UP: the last evaluation, when each of the last RISING_EVALUATIONS rose over the one before. */
function risingLevel(points: readonly Evaluation[]): number | null {
  const tail = points.slice(-(RISING_EVALUATIONS + 1)).map((point) => point.loss);
  return tail.every((loss, k) => k === 0 || loss > tail[k - 1]!) ? tail.at(-1)! : null;
}
