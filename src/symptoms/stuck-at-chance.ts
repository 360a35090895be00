/**
 * Stuck at chance (symptom `plateau`, thresholds for logs): the logged accuracy never rises above
 * what guessing gives, 1/C for C classes. The plateau detector needs the chance-level loss; a log
 * that records accuracy shows the same stall without it. C is the user's (--classes, which also sets
 * the chance loss ln C) or, without it, the class count whose 1/C the accuracy sits at. The validation
 * accuracy is read when the log has it; otherwise the training batches' accuracy, whose level (not
 * its best batch: 32 rows guessed at 1/10 reach 0.3 by luck) is judged.
 */
import { formatNumber } from '../util/format.js';
import { median } from '../util/stats.js';
import type { ProbeTrace } from '../trace/trace.js';
import type { DynamicsInput } from './dynamics-input.js';
import { defineDetector } from './finding.js';
import { mannKendallZ, TREND_Z_5_PERCENT } from './mann-kendall.js';
import { EARLY_STOPPING_PATIENCE } from './not-learning-signals.js';
import { lossHeldAtChance } from './loss-held-at-chance.js';

/**
 * For logs: the accuracy must stay within 10% (relative) of 1/C, so 0.55 for two classes and
 * 0.11 for ten: a model that learned anything separates itself from guessing by more.
 */
const CHANCE_ACCURACY_MARGIN = 0.1;
/** For logs: at least this many evaluations, so that one early reading does not decide. */
const MIN_ACCURACY_POINTS = 3;
/** Guessing among more classes than this leaves accuracies too small to tell from a model that learned a little. */
const MAX_CLASSES = 1000;
/**
 * For training batches: the level is the median over the second half of the run, where a model that
 * learns has left chance behind (the first half holds the climb from chance).
 */
const JUDGED_HALF = 0.5;
/**
 * For training batches: the level may stand this fraction of the room above chance (1 - 1/C) over
 * 1/C. A batch of 32 rows guessed among ten classes has a binomial spread of 0.053, the median of 14
 * such batches about 0.018: 5% of the room (0.045 for ten classes) is 2.5 of those, while the
 * validation rule's 10% of 1/C (0.01) is within the noise. For two classes it is 0.025 (a miss is
 * likelier than a false alarm there).
 */
const BATCH_ROOM_MARGIN = 0.05;

interface Accuracy {
  split: 'validation' | 'training';
  values: number[];
  /** The value judged against chance: the best evaluation, or the training batches' late median. */
  judged: number;
  judgedWhat: string;
  /** The judged value in words, for the message. */
  described: string;
}

function accuracyOf(trace: ProbeTrace): Accuracy | null {
  const pick = (metric: ProbeTrace['valMetric'] | undefined) =>
    metric?.name === 'accuracy' ? metric.values.filter(Number.isFinite) : [];
  const validation = pick(trace.valMetric);
  if (validation.length >= MIN_ACCURACY_POINTS) {
    const best = Math.max(...validation);
    return {
      split: 'validation',
      values: validation,
      judged: best,
      judgedWhat: 'best',
      described: `best ${formatNumber(best)} over ${validation.length} evaluations`,
    };
  }
  const training = pick(trace.trainMetric);
  if (training.length < MIN_ACCURACY_POINTS) return null;
  const level = median(training.slice(Math.floor(training.length * JUDGED_HALF)));
  return {
    split: 'training',
    values: training,
    judged: level,
    judgedWhat: 'median over the second half of',
    described: `its median over the second half of ${training.length} logged steps is ${formatNumber(level)}`,
  };
}

export const stuckAtChance = defineDetector({
  id: 'plateau',
  description:
    'The accuracy of a logged run (validation, else training) never rises above guessing (1/C for C classes): the model learned nothing it can use.',
  fixes: ['lr-schedule', 'search'],
  needs: ['loss'],
  detect({ trace, origin = 'probe' }: DynamicsInput) {
    if (origin !== 'log') return [];
    const accuracy = accuracyOf(trace);
    if (accuracy === null || (accuracy.split === 'validation' && validationStillImproving(trace))) return [];
    const { split, values, judged, judgedWhat, described } = accuracy;
    const candidates: [number | null, string][] =
      trace.chanceLoss !== null && trace.chanceLoss > 0
        ? [[Math.round(Math.exp(trace.chanceLoss)), '']]
        : [
            [lossHeldAtChance(trace), HELD_LOSS_WORDS],
            [sitsAt(values), ''],
          ];
    const found = candidates.find(([classes]) => classes !== null && judged <= chanceLimit(classes, split));
    if (found === undefined) return [];
    const [classes, why] = found as [number, string];
    const [chance, limit] = [1 / classes, chanceLimit(classes, split)];
    return [
      {
        severity: 'critical',
        confidence: Math.min(1, values.length / (2 * MIN_ACCURACY_POINTS)),
        evidence: {
          measured: judged,
          threshold: limit,
          what: `${judgedWhat} the ${split} accuracy against 1/C for C = ${classes}`,
        },
        message:
          `The ${split} accuracy never rose above chance (${described}): guessing among ${classes} classes gives ${formatNumber(chance)} (limit ${formatNumber(limit)})${why}. ` +
          'The model is stuck at chance: check that labels match inputs and that inputs are scaled, then the learning rate.',
      },
    ];
  },
});

/** What the message adds when C is the one the loss held at (loss-held-at-chance.ts). */
const HELD_LOSS_WORDS = ', and the loss held within 5% of ln C, the loss of that guess, at every logged point';

/** The highest accuracy `split` can judge at chance among `classes` classes; -1 (nothing passes) outside 2..MAX_CLASSES. */
function chanceLimit(classes: number, split: Accuracy['split']): number {
  if (!(classes >= 2 && classes <= MAX_CLASSES)) return -1;
  const chance = 1 / classes;
  return split === 'validation' ? chance * (1 + CHANCE_ACCURACY_MARGIN) : chance + BATCH_ROOM_MARGIN * (1 - chance);
}

/**
 * The validation loss falls over the run by a Mann-Kendall test at 5% (mann-kendall.ts) and its best
 * is among its last EARLY_STOPPING_PATIENCE evaluations (Lightning's EarlyStopping defaults would not
 * have stopped it): the held-out predictions still improve at the end. The loss is the finer reading
 * (a proper scoring rule, where an accuracy on a small set moves in whole samples: log 248's 1/6 steps),
 * so an accuracy that has not left chance yet is a run cut short, not one stuck.
 */
function validationStillImproving(trace: ProbeTrace): boolean {
  const losses = trace.valLoss.filter(Number.isFinite);
  if (losses.length <= EARLY_STOPPING_PATIENCE) return false;
  const bestLate =
    Math.min(...losses.slice(-EARLY_STOPPING_PATIENCE)) < Math.min(...losses.slice(0, -EARLY_STOPPING_PATIENCE));
  return bestLate && mannKendallZ(losses) <= -TREND_Z_5_PERCENT;
}

/**
 * The class count C whose 1/C an accuracy's median sits at, within CHANCE_ACCURACY_MARGIN of it on
 * either side; null when no 1/C is that near. Guessing scores 1/C on average, so an accuracy 10% or
 * more below 1/C is not guessing among C classes but a model among more of them that learned some
 * (log 403, post hoc: a validation accuracy 0.385-0.488, median 0.44, beside a cross-entropy of
 * 1.4-1.7 that is ln 4-5, not ln 2, was read as stuck among two classes). The bound is inclusive:
 * log 350's training accuracy of exactly 0.3 among three classes (one class predicted, a 30% share) is
 * on it and stays stuck. A constant prediction of one class scores that class's share, which a
 * near-balanced set keeps within the margin; a set more lopsided than that is left unjudged here.
 */
function sitsAt(values: readonly number[]): number | null {
  const level = median(values);
  const classes = Math.round(1 / level);
  return Math.abs(level - 1 / classes) <= CHANCE_ACCURACY_MARGIN / classes ? classes : null;
}
