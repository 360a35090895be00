/**
 * How far a logged validation loss has risen above its best, by Prechelt's early-stopping criteria
 * ("Early Stopping — But When?", 1998; thresholds for logs). GL_alpha stops once the validation
 * loss is alpha percent above its best so far: here each of the last three evaluations, against a
 * best taken from a running median of three (one lucky evaluation is not the best). UP_s stops once
 * it rose in s successive strips: here three rises in a row, against the raw best, which catches
 * the onsets of short runs that the running median moves onto the rise itself. Either rise must
 * also exceed the evaluation-to-evaluation noise, and on a long run show in the means of tenths of
 * it (a noisy validation set whose 20-epoch means still fall has a lucky dip, not a best).
 *
 * Two more readings of the same GL_5 rise catch what those miss, and overfitting-on-log.ts asks
 * both to come with a training loss that still falls (the textbook picture of overfitting:
 * Goodfellow, Bengio & Courville, "Deep Learning", 2016, §7.8, training loss falling while the
 * validation loss rises again). `worst`: the last evaluation is above every earlier one, the first
 * included, so no lucky dip explains it (a 3-epoch fine-tune: 0.29, 0.27, 0.37). `trend`: after the
 * best the validation loss sits GL_5 above it at its median and rises by a Mann-Kendall test at 5%,
 * which reads ranks and so holds on a validation set noisy from evaluation to evaluation, where the
 * noise rule rejects a rise as large as the noise itself. `mean`: the mean of the last three
 * evaluations (the strip early stopping's patience waited through) is GL_5 above the median-of-three
 * best, by more than a one-sided z-test at 5% allows for noise: a mild rise whose three evaluations
 * are not each GL_5 above the best (one dips back) but whose mean is, on a smooth validation curve.
 */
import { median, medianOfThree } from '../util/stats.js';
import { mannKendallZ, TREND_Z_5_PERCENT } from './mann-kendall.js';

/** For logs: GL_5, the validation loss 5% above its best (Prechelt 1998 measured GL_1 to GL_5). */
export const LOG_VALIDATION_RISE = 1.05;
/** For logs: GL holds at each of the last three evaluations (Keras' EarlyStopping examples use patience 3). */
export const SUSTAINED_EVALUATIONS = 3;
/** For logs: UP_3, the validation loss rose at each of the last three evaluations (Prechelt's UP_s, s = 3). */
const RISING_EVALUATIONS = 3;
/** For logs: fewer evaluations show no best with a later rise: three hold a best and a rise past every earlier one. */
const MIN_EVALUATIONS = 3;
/** For logs: a run of at least twice this many evaluations is also judged on the means of this many blocks (tenths). */
const BLOCKS = 10;

export interface Evaluation {
  step: number;
  loss: number;
}

export interface ValidationRise {
  criterion: 'sustained' | 'rising' | 'worst' | 'mean' | 'trend';
  /** The best evaluation: its step and loss (the running median of three there, for `sustained`). */
  best: Evaluation;
  /** The level compared with the best: the lowest of the last evaluations (sustained), the last (rising, worst), their mean (mean), the median after the best (trend). */
  level: number;
  /** level / best. */
  rise: number;
  /** The typical change from one evaluation to the next, which level - best must exceed. */
  noise: number;
}

/** The rise by GL_5 sustained, UP_3, the worst evaluation last, GL_5 on the last strip's mean or a significant trend; null if none holds. */
export function validationRise(points: readonly Evaluation[]): ValidationRise | null {
  if (points.length < MIN_EVALUATIONS || !tenthsRose(points)) return null;
  const losses = points.map((point) => point.loss);
  const smoothed = medianOfThree(losses);
  return (
    aboveNoise(points, 'sustained', smoothed, sustainedLevel(points, smoothed)) ??
    aboveNoise(points, 'rising', losses, risingLevel(losses)) ??
    aboveNoise(points, 'worst', losses, worstLevel(losses)) ??
    meanRise(points, smoothed) ??
    risingTrend(points, smoothed)
  );
}

/** The evaluation where `series` is lowest, as the best, with that value. */
export function bestOf(points: readonly Evaluation[], series: readonly number[]): { index: number; best: Evaluation } {
  const index = series.reduce((best, value, k) => (value < series[best]! ? k : best), 0);
  return { index, best: { step: points[index]!.step, loss: series[index]! } };
}

/** The rise of `level` over the best of `series` when it is GL_5 and larger than the evaluation-to-evaluation noise. */
function aboveNoise(
  points: readonly Evaluation[],
  criterion: ValidationRise['criterion'],
  series: readonly number[],
  level: number | null,
): ValidationRise | null {
  const { index, best } = bestOf(points, series);
  const noise = evaluationNoise(points, index);
  if (level === null || !(best.loss > 0) || !(level >= LOG_VALIDATION_RISE * best.loss)) return null;
  return level - best.loss > noise ? { criterion, best, level, rise: level / best.loss, noise } : null;
}

/**
 * GL_5 on the mean of the last SUSTAINED_EVALUATIONS evaluations over the smoothed best before them,
 * significant against the evaluation noise: a one-sided z-test at 5% on mean - best, whose standard
 * deviation is sigma * sqrt(1 + 1/k) for a mean of k evaluations against one, sigma estimated from
 * the median absolute change between neighbours (for independent normal noise that median is
 * sqrt(2) * 0.6745 * sigma, the median of |N(0, 2 sigma^2)|).
 */
function meanRise(points: readonly Evaluation[], smoothed: readonly number[]): ValidationRise | null {
  const last = points.slice(-SUSTAINED_EVALUATIONS).map((point) => point.loss);
  if (sustainedLevel(points, smoothed) === null) return null;
  const level = last.reduce((sum, loss) => sum + loss, 0) / last.length;
  const { index, best } = bestOf(points, smoothed);
  const noise = evaluationNoise(points, index);
  const sigma = noise / (Math.SQRT2 * HALF_NORMAL_MEDIAN);
  const spread = sigma * Math.sqrt(1 + 1 / last.length);
  if (!(best.loss > 0) || !(level >= LOG_VALIDATION_RISE * best.loss)) return null;
  return level - best.loss > TREND_Z_5_PERCENT * spread
    ? { criterion: 'mean', best, level, rise: level / best.loss, noise }
    : null;
}

/** The median of |Z| for a standard normal Z (its third quartile): |N(0, s^2)| has median 0.6745 s. */
const HALF_NORMAL_MEDIAN = 0.6745;

/**
 * After the smoothed best, SUSTAINED_EVALUATIONS evaluations or more (early stopping's patience
 * has run out) whose median is GL_5 above it, the logged evaluations rising from the best on by
 * Mann-Kendall at 5%.
 */
function risingTrend(points: readonly Evaluation[], smoothed: readonly number[]): ValidationRise | null {
  const { index, best } = bestOf(points, smoothed);
  const fromBest = points.slice(index).map((point) => point.loss);
  if (fromBest.length <= SUSTAINED_EVALUATIONS || !(best.loss > 0)) return null;
  const level = median(fromBest.slice(1));
  if (!(level >= LOG_VALIDATION_RISE * best.loss)) return null;
  // The evaluations as logged: the smoothed best would stand in for a dip and bias the test upward.
  if (mannKendallZ(fromBest) < TREND_Z_5_PERCENT) return null;
  return { criterion: 'trend', best, level, rise: level / best.loss, noise: evaluationNoise(points, index) };
}

/**
 * The median change between neighbouring evaluations, a rise no larger than which is noise. A
 * trend inflates it: the fall before the best over the whole run, the rise after it from the best
 * on; the smaller of the two is nearer the noise.
 */
export function evaluationNoise(points: readonly Evaluation[], bestIndex: number): number {
  const losses = points.map((point) => point.loss);
  const changes = (from: number) => medianChange(losses.slice(from));
  return bestIndex < points.length - 2 ? Math.min(changes(0), changes(bestIndex)) : changes(0);
}

/** The median absolute change between neighbouring values. */
export function medianChange(values: readonly number[]): number {
  return median(values.slice(1).map((value, k) => Math.abs(value - values[k]!)));
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
function risingLevel(losses: readonly number[]): number | null {
  if (losses.length < RISING_EVALUATIONS + 1) return null;
  const tail = losses.slice(-(RISING_EVALUATIONS + 1));
  return tail.every((loss, k) => k === 0 || loss > tail[k - 1]!) ? tail.at(-1)! : null;
}

/** The last evaluation, when it is above every earlier one. */
function worstLevel(losses: readonly number[]): number | null {
  const last = losses.at(-1)!;
  return losses.slice(0, -1).every((loss) => last > loss) ? last : null;
}
