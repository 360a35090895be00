/**
 * Judging a fix by measurement: one score per probe run, the improvement over the baseline run
 * of the same seed, an interval over seeds, and whether the fix is verified. Pure numbers in,
 * numbers out.
 */
import { comparableLossFactor } from '../trace/loss-units.js';
import type { CompressedSchedule } from './compress-schedule.js';
import type { TrialEdit } from './config-edits.js';
import type { ProbeTrace } from '../trace/trace.js';
import type { FixId } from '../symptoms/ids.js';
import { LEARNED_FRACTION_OF_CHANCE } from '../symptoms/signals.js';
import { mean, median } from '../util/stats.js';
import { signedRankPValue } from './signed-rank.js';

/** One measured fix (or combination, or the baseline with no fix), averaged over its seeds. */
export interface Trial {
  fixes: FixId[];
  /**
   * Mean over seeds of each run's score: its smoothed tail of validation (else training) losses;
   * Infinity (null in JSON) once a run diverged.
   */
  finalLoss: number;
  bestLoss: number;
  valLoss: number;
  diverged: boolean;
  /** Stopped early in screening, clearly behind the best trial: its losses are from that point. */
  lost: boolean;
  stepsToHalf: number | null;
  seconds: number;
  seeds: number;
  /** Against the baseline of the same seeds; absent on the baseline itself. */
  improvement?: number;
  improvementInterval?: [number, number];
  /** On how many seeds the fix beat the baseline of the same seed. */
  betterSeeds?: number;
  /**
   * The one-sided signed-rank p of the paired score differences, baseline minus fix (signed-rank.ts,
   * scoreDifference); verified needs at most testLevel.
   */
  pValue?: number;
  /** The level pValue was tested at: verifyLevel(seeds), or the look's level of a sequential design (sequential.ts). */
  testLevel?: number;
  /** Present when the trial ran a second look: the seeds of its inconclusive first look (`seeds` counts all). */
  firstLookSeeds?: number;
  /**
   * Present when the trial's second look ran it, and the baseline, over a longer horizon
   * (sequential.ts longerHorizon): the steps of each of those runs, which alone it is judged on.
   */
  horizonSteps?: number;
  verified?: boolean;
  /**
   * The mean over seeds of each run's end validation accuracy (runAccuracy) with the chance accuracy,
   * on a judged trial whose every run measured one over class labels.
   */
  accuracy?: RunsAccuracy;
  /**
   * On a verified trial whose runs ended above the learned loss line but clearly above the chance
   * accuracy (fixedRunsLearned): the accuracy, not the loss, says they learned.
   */
  learnedBy?: 'accuracy';
  /** The first seed's run, for before/after plots: training loss per step, validation loss per evaluation. */
  curve?: TrialCurve;
  /**
   * Mean over seeds of the loss projected to the planned run's end, when the plan is longer than the
   * trial; shown beside the measured score, which alone is compared.
   */
  projectedLoss?: number;
  /** A schedule the fixes wrote for the planned run, as the trial ran it: compressed to the trial's steps. */
  compressedSchedule?: CompressedSchedule;
  /**
   * The edits of critical config findings the trial ran with (config-edits.ts): its fixes were
   * measured on the edited config, against the edited config's baseline (the trial with no fixes).
   */
  edits?: TrialEdit[];
}

export interface TrialCurve {
  step: number[];
  loss: number[];
  evalStep: number[];
  valLoss: number[];
}

/** Student's t for a two-sided 90% interval, by degrees of freedom (seeds − 1); normal beyond. */
const T_90: readonly number[] = [Number.NaN, 6.314, 2.92, 2.353, 2.132, 2.015, 1.943, 1.895, 1.86, 1.833];
const Z_90 = 1.645;

/**
 * The share of a run's last evaluations (validation) or steps (training) whose mean or median is its
 * score: one final value of a noisy run (batch size 1 to 5) moves by more than a fix does, a tail
 * of a tenth keeps a 300-step probe's last 3 of 30 evaluations and 30 of its steps.
 */
const TAIL_FRACTION = 0.1;

/**
 * The order the report ranks measured trials in: those judged at the trial's horizon first, then
 * the lower finalLoss. A longer look's trial (horizonSteps) has its loss after more steps, lower for
 * the steps alone, so losses of different horizons are never compared; and a fix that repaired the
 * run within the trial's steps is the faster repair than one that needed the longer look.
 */
export function byMeasuredLoss(a: Trial, b: Trial): number {
  return (a.horizonSteps ?? 0) - (b.horizonSteps ?? 0) || a.finalLoss - b.finalLoss;
}

/**
 * Where the run ended, smoothed: the mean of the last tenth of its validation losses when it has
 * any, else the median of the last tenth of its training losses; Infinity when it diverged. In the
 * target's original units, so that a run that scales its target compares with one that does not.
 */
export function runScore(trace: ProbeTrace): number {
  if (trace.stoppedEarly === 'nan-loss') return Number.POSITIVE_INFINITY;
  const factor = comparableLossFactor(trace);
  if (scoredOnValidation(trace)) return mean(tail(trace.valLoss)) * factor;
  const training = median(tail(trace.loss));
  return Number.isNaN(training) ? Number.POSITIVE_INFINITY : training * factor;
}

/** Whether runScore reads the run's validation losses (its tail of evaluations is finite) or its training losses. */
export function scoredOnValidation(trace: Pick<ProbeTrace, 'valLoss'>): boolean {
  const validation = tail(trace.valLoss);
  return validation.length > 0 && validation.every(Number.isFinite);
}

function tail(values: readonly number[]): readonly number[] {
  return values.slice(-Math.max(1, Math.round(values.length * TAIL_FRACTION)));
}

/**
 * Where a classification run's validation accuracy ended, smoothed as runScore smooths the loss (the
 * mean of the last tenth of its evaluations), beside the chance accuracy (trace.valMetric.chance).
 * Null when the probe measured no accuracy over class labels, or its tail is not finite.
 */
export function runAccuracy(trace: Pick<ProbeTrace, 'valMetric'>): RunsAccuracy | null {
  const metric = trace.valMetric;
  if (metric?.name !== 'accuracy' || metric.chance === undefined) return null;
  const end = tail(metric.values);
  return end.length > 0 && end.every(Number.isFinite) ? { accuracy: mean(end), chance: metric.chance } : null;
}

/** An end accuracy (one run's, or a mean over seeds) and the chance accuracy it is read against. */
export interface RunsAccuracy {
  accuracy: number;
  chance: number;
}

/** The first step at which the training loss fell to half its initial value; null if it never did. */
export function stepsToHalf(trace: ProbeTrace): number | null {
  const index = trace.loss.findIndex((loss) => loss <= trace.initialLoss / 2);
  return index < 0 ? null : trace.step[index]!;
}

/**
 * 1 − fixed/baseline: 1 is a perfect fix, 0 no change, negative worse. A diverged baseline counts
 * as infinitely bad.
 */
export function improvement(baselineScore: number, fixedScore: number): number {
  if (!Number.isFinite(fixedScore)) return Number.isFinite(baselineScore) ? Number.NEGATIVE_INFINITY : 0;
  if (!Number.isFinite(baselineScore)) return 1;
  return baselineScore === 0 ? 0 : 1 - fixedScore / baselineScore;
}

/**
 * What the paired test ranks for one seed: the baseline's score minus the fix's, positive where the
 * fix ended lower. Swapping the two runs negates it, the symmetry the signed-rank test's null
 * distribution assumes (signed-rank.ts); `improvement` lacks it, and a loss that can be negative
 * (a cosine proximity) turns its sign. Both runs diverged is no change; one diverged is the largest
 * difference there is, for or against the fix.
 */
export function scoreDifference(baselineScore: number, fixedScore: number): number {
  if (!Number.isFinite(baselineScore) && !Number.isFinite(fixedScore)) return 0;
  return baselineScore - fixedScore;
}

/** The mean and a 90% t-interval over seeds (a single seed gives a zero-width interval). */
export function meanInterval(values: readonly number[]): { mean: number; low: number; high: number } {
  const center = mean(values);
  if (values.length < 2 || !values.every(Number.isFinite))
    return { mean: center, low: Math.min(...values), high: Math.max(...values) };
  const variance = values.reduce((sum, value) => sum + (value - center) ** 2, 0) / (values.length - 1);
  const half = (T_90[values.length - 1] ?? Z_90) * Math.sqrt(variance / values.length);
  return { mean: center, low: center - half, high: center + half };
}

/**
 * The level of the paired test a fix must pass: 1/8, the exact false-positive rate of the rule
 * convdoc used before, "better on every one of 3 seeds" (a sign test, 2^-3). The signed-rank test
 * at the same level is that very rule on 3 seeds and no less strict on more; on 5 seeds it lets a
 * fix through that is slightly worse on one seed (the one or two smallest changes) and clearly
 * better on the other four, which "every seed" called unverified (bench/cases/README.md). Fewer
 * than 3 seeds (probe.seeds set lower) cannot reach 1/8 at all; there the strongest evidence they
 * can give, every seed better (p = 2^-n), is asked, as before.
 */
export const VERIFY_LEVEL = 1 / 8;

/** The level n paired seeds are tested at: VERIFY_LEVEL, or 2^-n (every seed better) below 3 seeds. */
export function verifyLevel(seeds: number): number {
  return Math.max(VERIFY_LEVEL, 2 ** -seeds);
}

/**
 * Verified: the paired score differences (scoreDifference, one per seed) pass the one-sided
 * signed-rank test at `level` (signed-rank.ts; verifyLevel unless a sequential design spends it
 * over two looks, sequential.ts), and the fixed runs learned (fixedRunsLearned).
 */
export function isVerified(
  differences: readonly number[],
  endScores: readonly number[],
  chanceLoss: number | null,
  level = verifyLevel(differences.length),
  accuracies: readonly (RunsAccuracy | null)[] = [],
): boolean {
  return pairedTestPasses(differences, level) && fixedRunsLearned(endScores, chanceLoss, accuracies) !== null;
}

/** isVerified's paired test alone: the one-sided signed-rank test of the score differences at `level`. */
export function pairedTestPasses(differences: readonly number[], level: number): boolean {
  return differences.length > 0 && signedRankPValue(differences) <= level;
}

/**
 * Whether, and by which measure, the fixed runs learned: null when one diverged; 'loss' when where
 * they leave the planned run on average (`endScores`: measured, or projected where the plan is
 * longer than the trial) lies clearly below chance, or there is no chance loss to read it against;
 * else 'accuracy' when every run measured an accuracy over class labels (runAccuracy, `accuracies`
 * by seed) and their mean cut the chance accuracy's error rate as the loss line cuts the chance
 * loss (accuracyLearned); else null.
 *
 * A diverged baseline makes any finite run look better; staying finite near chance is not a repair
 * (docs/report.md). The mean is the trial's `finalLoss`, the loss the report judges against the
 * learned line (report/trial-facts.ts); whether the fix is better seed by seed is the paired test's
 * question, so one slow seed of five, still far better than its baseline, does not sink a fix whose
 * runs learned (so-51181393-rmsprop-default-lr, bench/cases/README.md). The accuracy reads the
 * decisions the loss averages over: a cross-entropy can stay high while the decisions are right, a
 * few confident mistakes dominating the mean (Guo et al. 2017, "On Calibration of Modern Neural
 * Networks": the NLL overfits while the accuracy does not; mlm-blobs-batch-1-sgd-lr-0-01,
 * bench/cases/README.md).
 */
export function fixedRunsLearned(
  endScores: readonly number[],
  chanceLoss: number | null,
  accuracies: readonly (RunsAccuracy | null)[] = [],
): 'loss' | 'accuracy' | null {
  if (endScores.length === 0 || !endScores.every(Number.isFinite)) return null;
  if (chanceLoss === null || mean(endScores) <= LEARNED_FRACTION_OF_CHANCE * chanceLoss) return 'loss';
  const accuracy = meanAccuracy(accuracies, endScores.length);
  return accuracy !== null && accuracyLearned(accuracy) ? 'accuracy' : null;
}

/** The mean over seeds of the runs' end and chance accuracies; null unless each of the `runs` has one. */
export function meanAccuracy(accuracies: readonly (RunsAccuracy | null)[], runs: number): RunsAccuracy | null {
  if (accuracies.length !== runs || runs === 0 || accuracies.some((end) => end === null)) return null;
  const ends = accuracies as readonly RunsAccuracy[];
  return { accuracy: mean(ends.map((end) => end.accuracy)), chance: mean(ends.map((end) => end.chance)) };
}

/**
 * Learned by accuracy: the error rate 1 − accuracy is at most LEARNED_FRACTION_OF_CHANCE of the
 * chance accuracy's error rate, the loss line's "removed at least a fifth of what a constant
 * prediction leaves" read on the decisions (the skill score (acc − chance)/(1 − chance) of at least
 * 0.2; Heidke 1926). A run at chance accuracy has a skill of 0 and never passes; a validation set of
 * one class (chance 1) leaves nothing to learn and passes nothing.
 */
export function accuracyLearned({ accuracy, chance }: RunsAccuracy): boolean {
  return chance < 1 && 1 - accuracy <= LEARNED_FRACTION_OF_CHANCE * (1 - chance);
}

/**
 * A trial is clearly lost, and stopped, once past this share of its steps its recent loss is more
 * than LOST_FACTOR times the best trial's at the same step: successive halving's rule of cutting
 * the worst candidates early (Jamieson & Talwalkar 2016), with a wide margin so that a slow starter
 * is not cut. The loss compared is the one runScore ranks by: validation when the leader was scored
 * on it, else training (a saturated sigmoid's training loss of 0 with a validation loss of 2.39
 * cut a trial at training loss 0.25: gh-learning-dl-adam-lr-100, bench/cases/README.md).
 */
export const LOST_AFTER_FRACTION = 0.3;
export const LOST_FACTOR = 3;
const LOST_WINDOW = 10;
/** Validation is compared on the mean of its last evaluations: the tail runScore reads of a 300-step probe (3 of 30). */
const LOST_EVALUATION_WINDOW = 3;

/**
 * What a screening run is cut against: an earlier stage's best run (its training losses and, when
 * runScore scored it on them, its validation losses, original units), or, when no earlier run
 * stayed finite, the chance-level loss: a run still at or above what a constant prediction scores
 * after LOST_AFTER_FRACTION of its steps has learned nothing, and a fix is verified only well below
 * chance (LEARNED_FRACTION_OF_CHANCE). Only earlier stages count, so that runs of one stage can go
 * in parallel and the result does not depend on which finished first.
 */
export type LostRule =
  { against: 'leader'; losses: number[]; validation?: number[] } | { against: 'chance'; loss: number };

/**
 * Training losses so far (in the run's units), the factor to original units and the validation
 * losses so far (one per evaluation, the run's units) → stop as lost?
 */
export type LostCheck = (
  losses: readonly number[],
  toOriginalUnits?: number,
  validation?: readonly number[],
) => boolean;

export function lostCheck(rule: LostRule, steps: number): LostCheck {
  if (rule.against === 'chance') return lostAgainstChance(rule.loss, steps);
  return rule.validation === undefined
    ? lostAgainst(rule.losses, steps)
    : lostAgainstOnValidation(rule.validation, steps);
}

/** A stopping rule against a reference run's training losses (the best trial so far). */
export function lostAgainst(reference: readonly number[], steps: number): LostCheck {
  return (losses, toOriginalUnits = 1) => {
    const step = losses.length;
    if (step < LOST_AFTER_FRACTION * steps || step > reference.length) return false;
    return recentMedian(losses, step) * toOriginalUnits > LOST_FACTOR * recentMedian(reference, step);
  };
}

/**
 * A stopping rule against the best trial's validation losses, compared evaluation by evaluation (the
 * trials share the baseline's evaluation schedule); a run with no finite validation loss yet is not cut.
 */
export function lostAgainstOnValidation(reference: readonly number[], steps: number): LostCheck {
  return (losses, toOriginalUnits = 1, validation = []) => {
    const evaluations = validation.length;
    if (losses.length < LOST_AFTER_FRACTION * steps || evaluations > reference.length) return false;
    return recentMean(validation, evaluations) * toOriginalUnits > LOST_FACTOR * recentMean(reference, evaluations);
  };
}

/** A stopping rule against the chance-level loss, for when no earlier run stayed finite. */
export function lostAgainstChance(chanceLoss: number, steps: number): LostCheck {
  return (losses, toOriginalUnits = 1) => {
    const step = losses.length;
    return step >= LOST_AFTER_FRACTION * steps && recentMedian(losses, step) * toOriginalUnits > chanceLoss;
  };
}

/** The median of the finite losses of the LOST_WINDOW steps before `end`; NaN when there are none. */
function recentMedian(values: readonly number[], end: number): number {
  return median(values.slice(Math.max(0, end - LOST_WINDOW), end).filter(Number.isFinite));
}

/** The mean of the finite values of the LOST_EVALUATION_WINDOW evaluations before `end`; NaN when there are none. */
function recentMean(values: readonly number[], end: number): number {
  const recent = values.slice(Math.max(0, end - LOST_EVALUATION_WINDOW), end).filter(Number.isFinite);
  return recent.length === 0 ? Number.NaN : mean(recent);
}
