/**
 * Not learning, without a chance level (symptom `plateau`, thresholds for logs). plateau.ts judges
 * a stall against the chance-level loss, which a log never carries; a converged run is flat at its
 * end too, so flatness alone says nothing. This rule judges the whole logged run instead: a run
 * that is flat from its first epoch, or that never leaves the chance level its own accuracy column
 * implies (or, without an accuracy, the ln C its loss starts at, for C <= 5), learned nothing; one
 * that removed less than a fifth of its first loss and then stopped moving learned little
 * (learned-little.ts; validation-learned-little.ts when the validation loss stopped while training
 * crawls), or whose training and validation accuracy both never rose (accuracy-never-rose.ts). It needs enough epochs to tell a stall from a slow start, and says "warning" when the log cannot tell "learning nothing" from "converged before this log began". A
 * flat loss whose logged accuracy clearly rose over the run (accuracy-gain.ts) is no finding: the
 * loss sits at a floor (label smoothing, a fine-tune near its optimum) while the model learns.
 */
import { formatNumber } from '../util/format.js';
import type { DynamicsInput } from './dynamics-input.js';
import { accuracyGain } from './accuracy-gain.js';
import { defineDetector, type Detection } from './finding.js';
import { lossesRise } from './losses-rise-together.js';
import { mannKendallZ, TREND_Z_5_PERCENT, trendZ } from './mann-kendall.js';
import { medianChange } from './validation-rise.js';
import {
  beginsAtRunStart,
  classifierChance,
  EARLY_STOPPING_PATIENCE,
  evaluatedEnough,
  flatSeries,
  learningRateNearZero,
  loggedAccuracy,
  lossChance,
  roseAboveStart,
  scheduleEnded,
  spansEnough,
  trainingStopped,
  type SeriesFlatness,
} from './not-learning-signals.js';
import { LEARNED_FRACTION_OF_CHANCE, lossLevels, PROGRESS_PER_WINDOW, type LossLevels } from './signals.js';
import { tooShortToJudge } from './lr-too-low.js';
import { shortRunAtChance } from './short-run-at-chance.js';
import { flatCause, noLossTrend } from './no-loss-trend.js';
import { learnedLittle } from './learned-little.js';
import { validationLearnedLittle } from './validation-learned-little.js';
import { accuracyNeverRose } from './accuracy-never-rose.js';

export const notLearning = defineDetector({
  id: 'plateau',
  description:
    'Over a whole logged run the loss never moved from where it started, or never left the chance level its accuracy implies: the run learned nothing.',
  fixes: ['lr-schedule', 'search'],
  needs: ['loss'],
  detect({ trace, origin = 'probe', stepUnit = 'step', lossUnit = stepUnit }: DynamicsInput) {
    if (origin !== 'log') return [];
    const units = { step: stepUnit, loss: lossUnit };
    // With a chance level (--chance-loss, --classes) plateau.ts judges the stall, once the run is long enough.
    if (trace.chanceLoss !== null) return shortRunFindings(trace, units, trace.chanceLoss, 'the chance-level loss');
    const atChance = stuckAtInferredChance(trace, units);
    if (atChance !== null) return [atChance];
    const classes = classifierChance(trace);
    const short = classes === null ? [] : shortRunFindings(trace, units, Math.log(classes), `ln ${classes}`);
    if (short.length > 0) return short;
    const neverLeft = neverLeftLossChance(trace, units);
    if (neverLeft !== null) return [neverLeft];
    const flat = flatFinding(trace, units);
    if (flat.length > 0) return flat;
    const noTrend =
      noLossTrend(trace, stepUnit) ??
      learnedLittle(trace, units) ??
      validationLearnedLittle(trace, stepUnit) ??
      accuracyNeverRose(trace, stepUnit);
    return noTrend === null ? [] : [noTrend];
  },
});

/** What a step of the trace counts, and what one training loss stands for (DynamicsInput's stepUnit, lossUnit). */
interface Units {
  step: string;
  loss: string;
}

/** A run too short for the whole-run rules (and plateau.ts) that never left the chance level (short-run-at-chance.ts). */
function shortRunFindings(trace: DynamicsInput['trace'], units: Units, chance: number, said: string): Detection[] {
  if (spansEnough(trace, units.loss) || !tooShortToJudge(trace)) return [];
  const finding = shortRunAtChance(trace, { loss: chance, said }, units.step);
  return finding === null ? [] : [finding];
}

/**
 * A run with too few epochs for stuckAtInferredChance, in a log without an accuracy, whose loss
 * began at the ln C it reads as (lossChance, C <= 5) and never left it at all (short-run-at-chance.ts:
 * no value of the judged series 5% below its first): stuck at chance, however many steps it logged.
 * The wait for MIN_EPOCHS tells a stall from a slow start among runs that moved; one that never moved
 * needs none. plateau.ts judges the steps of a run only against a given chance level, and
 * shortRunFindings only runs too short for it, so a per-step log with a few evaluations is judged here.
 */
function neverLeftLossChance(trace: DynamicsInput['trace'], units: Units): Detection | null {
  if (loggedAccuracy(trace).length > 0 || spansEnough(trace, units.loss)) return null;
  const levels = lossLevels(trace);
  const classes = levels === null ? null : lossChance(levels.start);
  if (classes === null) return null;
  return shortRunAtChance(trace, { loss: Math.log(classes), said: `ln ${classes}` }, units.step);
}

/**
 * A classifier whose loss starts at ln C (Karpathy, "A Recipe for Training Neural Networks", 2019: a
 * softmax over C classes scores -log(1/C) at initialization) and ends above
 * LEARNED_FRACTION_OF_CHANCE of it, the line the trials' verdict uses too. C is the one the accuracy
 * implies (about 1/C) or, in a log without an accuracy, the one whose ln C the loss starts at
 * (lossChance: only for C <= 5, where that reading is unique). An accuracy far from any 1/C says the
 * model learned, and no C is read from the loss then.
 */
function stuckAtInferredChance(trace: DynamicsInput['trace'], units: Units): Detection | null {
  const stepUnit = units.step;
  const levels = lossLevels(trace);
  if (levels === null || !spansEnough(trace, units.loss)) return null;
  const fromAccuracy = classifierChance(trace);
  const classes = loggedAccuracy(trace).length > 0 ? fromAccuracy : lossChance(levels.start);
  if (classes === null) return null;
  const chance = Math.log(classes);
  const startsAtChance = Math.abs(levels.start - chance) <= PROGRESS_PER_WINDOW * chance;
  if (!startsAtChance || levels.end < LEARNED_FRACTION_OF_CHANCE * chance) return null;
  if (fromAccuracy === null && leftChanceBand(trace, levels, chance)) return null;
  const implied =
    fromAccuracy === null
      ? `the loss of guessing among ${classes} classes, where the ${levels.series} loss began (a loss within ${formatNumber(PROGRESS_PER_WINDOW * 100)}% of ln C reads as C classes)`
      : `the loss of guessing among the ${classes} classes the accuracy (about 1/${classes}) implies`;
  return {
    severity: 'critical',
    confidence: 0.8,
    step: levels.startStep,
    evidence: {
      measured: levels.end / chance,
      threshold: LEARNED_FRACTION_OF_CHANCE,
      what: `${levels.series} loss at the end over ln C for the C = ${classes} classes the ${fromAccuracy === null ? 'starting loss' : 'accuracy'} implies`,
    },
    message:
      `The ${levels.series} loss went from ${formatNumber(levels.start)} to ${formatNumber(levels.end)} over the whole run (${stepUnit} ${levels.startStep} to ${levels.endStep}), ` +
      `${formatNumber(levels.end / chance)}x ln ${classes} = ${formatNumber(chance)}, ${implied}; ` +
      `a run has learned below ${formatNumber(LEARNED_FRACTION_OF_CHANCE)}x. The model is stuck at chance: check that labels match inputs and that inputs are scaled, then the learning rate.`,
  };
}

/**
 * Read from the loss alone, C says only where the run began, so the run must also never have left
 * the chance band and have stopped there. It left it when a tenth of the run's median went below
 * LEARNED_FRACTION_OF_CHANCE (it learned; a rise after is overfitting's), when it ended above the
 * band's top (a divergence), or when its second half still falls by a Mann-Kendall test at 5% (a slow
 * run still learning: a fine-tuned language model's loss can start near ln 5 by coincidence).
 */
function leftChanceBand(trace: DynamicsInput['trace'], levels: LossLevels, chance: number): boolean {
  const values = (levels.series === 'validation' ? trace.valLoss : trace.loss).filter(Number.isFinite);
  const lowest = flatSeries(values);
  const best = lowest === null ? levels.end : lowest.start * (1 - Math.max(0, lowest.progress));
  const stillFalling = trendZ(values.slice(Math.floor(values.length / 2))) <= -TREND_Z_5_PERCENT;
  return levels.end > (1 + PROGRESS_PER_WINDOW) * chance || best < LEARNED_FRACTION_OF_CHANCE * chance || stillFalling;
}

/**
 * Neither loss ever fell a window's worth (TheDeepChecker's 5%) below where it started (a log of
 * validation losses beside a stray training loss or two is judged on the validation loss). Critical
 * when the logged learning rate explains it, or when the log began with its run: a run that starts
 * at its first epoch and never improves learned nothing. Else a warning, as a resumed run that began
 * converged is flat too.
 */
function flatFinding(trace: DynamicsInput['trace'], units: Units): Detection[] {
  const stepUnit = units.step;
  const training = flatSeries(trace.loss);
  const validation = flatSeries(trace.valLoss);
  if (training?.flat === false && validation !== null)
    return generalizationFinding(training, validation, trace, stepUnit);
  const judged = validation ?? training;
  if (judged === null || !judged.flat || training?.flat === false || validation?.flat === false) return [];
  if (roseAboveStart(validation === null ? trace.loss : trace.valLoss)) return [];
  const nearZeroRate = learningRateNearZero(trace);
  const first = (validation === null ? trace.loss : trace.valLoss).find(Number.isFinite)!;
  // Too few epochs may be a slow start, unless the rate was near zero, or its schedule ended (the run
  // is over) on a loss that never fell from its first log (one that fell within its first tenth converged).
  const wholeRun = scheduleEnded(trace) && !fellWithinFirstTenth(first, judged);
  if (!nearZeroRate && !spansEnough(trace, units.loss) && !wholeRun) return [];
  // A loss flat at a floor beside an accuracy that clearly rose has learned (accuracy-gain.ts); losses
  // that never fell because both rose are a divergence (losses-rise-together.ts).
  if (accuracyGain(trace, ['validation', 'training']) !== null || lossesRise(trace) !== null) return [];
  const judgedName = validation === null ? 'training' : 'validation';
  const steps = validation === null ? trace.step : trace.evalStep.filter((_, k) => Number.isFinite(trace.valLoss[k]));
  const fromStart = !nearZeroRate && beginsAtRunStart(steps);
  const neither =
    training === null || validation === null
      ? `The ${judgedName} loss never fell`
      : 'Neither the training nor the validation loss ever fell';
  return [
    {
      severity: nearZeroRate || fromStart ? 'critical' : 'warning',
      confidence: nearZeroRate ? 0.9 : fromStart ? 0.7 : 0.6,
      step: steps[0]!,
      evidence: {
        measured: judged.progress,
        threshold: PROGRESS_PER_WINDOW,
        what: `largest fraction of its starting level the ${judgedName} loss ever removed (medians of tenths of the run)`,
      },
      message:
        `${neither} ${formatNumber(PROGRESS_PER_WINDOW * 100)}% below where it started over the whole run ` +
        `(${stepUnit} ${steps[0]!} to ${steps.at(-1)!}; the ${judgedName} loss at most ${formatNumber(judged.progress * 100)}%, from ${formatNumber(judged.start)}). ` +
        (fromStart && fellWithinFirstTenth(first, judged)
          ? stalledAfterFirstTenth(first, judged, stepUnit, steps[0]!)
          : flatCause(nearZeroRate, fromStart, stepUnit, steps[0]!)),
    },
  ];
}

/**
 * The first logged value stands a window's progress (TheDeepChecker's 5%) above the median of the
 * first tenth: the run fell within its first tenth (a first epoch's warm-up) and the flat rule, which
 * starts from that tenth, judged the nine tenths after it. The run learned, then stopped.
 */
function fellWithinFirstTenth(first: number, judged: SeriesFlatness): boolean {
  return (first - judged.start) / first >= PROGRESS_PER_WINDOW;
}

/** Why a run that fell within its first tenth and then not at all is a plateau, not a run that learned nothing. */
function stalledAfterFirstTenth(first: number, judged: SeriesFlatness, stepUnit: string, at: number): string {
  return (
    `It fell from ${formatNumber(first)} (${stepUnit} ${at}, where the log begins with its run) to ${formatNumber(judged.start)} within the first tenth of the run, then stopped: ` +
    'that first fall is the warm-up, and the nine tenths after it learned nothing more (a plateau). A different learning rate or schedule (or a search) usually escapes it; ' +
    'if this level is the best the task allows, the run converged early and could have stopped a tenth of the way in.'
  );
}

/**
 * The training loss fell but the validation loss never left the band of PROGRESS_PER_WINDOW around
 * its first evaluations, over MIN_EPOCHS evaluations or more: what the model learns does not carry
 * to held-out data (a plateau of generalization from the start). Critical: unlike a flat training
 * loss, a converged start does not explain a training loss that still falls. Two readings keep a
 * learning run out of the band the medians of tenths draw: a validation loss that ended a window's
 * progress below its very first evaluation, by more than it moves between evaluations, did improve
 * (the first tenth of a long run already holds its early fall); one that rises by a Mann-Kendall
 * test at 5% (mann-kendall.ts) is overfitting's. Noise that lifts one tenth's median is neither.
 */
function generalizationFinding(
  training: SeriesFlatness,
  validation: SeriesFlatness,
  trace: DynamicsInput['trace'],
  stepUnit: string,
): Detection[] {
  // Fewer than MIN_EPOCHS evaluations may be a slow start, unless the training loss has stopped too.
  const stopped = !evaluatedEnough(trace) && trainingStopped(trace);
  if (!validation.flat || !(evaluatedEnough(trace) || stopped)) return [];
  const losses = trace.valLoss.filter(Number.isFinite);
  const fall = losses[0]! - validation.start * (1 - validation.progress);
  if (fall >= PROGRESS_PER_WINDOW * losses[0]! && fall > medianChange(losses)) return [];
  if (mannKendallZ(losses) >= TREND_Z_5_PERCENT) return [];
  // A validation accuracy that clearly rose says what was learned does carry (the loss sits at a floor);
  // the training accuracy would say nothing here, as the training loss falls anyway.
  if (accuracyGain(trace, ['validation']) !== null) return [];
  const evaluations = trace.valLoss.filter(Number.isFinite).length;
  return [
    {
      severity: 'critical',
      confidence: 0.7,
      step: trace.evalStep[0]!,
      evidence: {
        measured: validation.progress,
        threshold: PROGRESS_PER_WINDOW,
        what: 'largest fraction of its starting level the validation loss ever removed (medians of tenths of the run)',
      },
      message:
        `The training loss fell ${formatNumber(training.progress * 100)}% but the validation loss stayed within ${formatNumber(PROGRESS_PER_WINDOW * 100)}% of ${formatNumber(validation.start)} over all ${evaluations} evaluations (${stepUnit} ${trace.evalStep[0]!} to ${trace.evalStep.at(-1)!})` +
        (stopped
          ? `, and the training loss stopped too (none of its last ${EARLY_STOPPING_PATIENCE} values below its best before them, where Lightning's EarlyStopping defaults end a run)`
          : '') +
        ': what the model learns does not carry to held-out data. Check that validation inputs get the same preprocessing as training ones and that the labels can be predicted from the inputs; then regularize.',
    },
  ];
}
