/**
 * Overfitting judged on a whole logged run (thresholds for logs; overfitting.ts keeps the probe's).
 * A full run evaluates on a full validation set, epoch after epoch, so a rise of a few percent that
 * lasts is real: validation-rise.ts measures it by Prechelt's GL_5 (sustained over the last three
 * evaluations) or UP_3 (rising at each of them), above the evaluation-to-evaluation noise, while
 * the training loss did not rise with it: the gap between them widened by at least the same margin.
 * Prechelt's criteria read the validation loss alone; the gap keeps out a run whose training loss
 * climbs too (divergence: lr-too-high's), and keeps in the run whose training loss sits flat at its
 * floor while the validation loss climbs (memorized: falling further is not needed). A training loss
 * that rose by the validation's own sustained margin is a divergence (losses-rise-together.ts).
 * The `worst`, `mean` and `trend` readings (validation-rise.ts) do not hold each of the last three
 * evaluations above the best, so they ask for the textbook picture whole: the training loss still
 * fell, by a window's progress (TheDeepChecker's 5%), from the best evaluation to the end.
 * Under GL_5, a mild rise that early stopping would still have acted on, a significant trend
 * (validation-mild-rise.ts) or the last three evaluations each above the best by more than the
 * noise (validation-mild-sustained.ts), asks for the same fall of the training loss.
 */
import type { ProbeTrace } from '../trace/trace.js';
import { formatNumber } from '../util/format.js';
import type { Detection } from './finding.js';
import { confidenceFromMargin } from './finding.js';
import { lossesRise } from './losses-rise-together.js';
import { WINDOW_FRACTION } from './divergence-limits.js';
import { finitePoints, medianEnds, PROGRESS_PER_WINDOW } from './signals.js';
import {
  LOG_VALIDATION_RISE,
  SUSTAINED_EVALUATIONS,
  validationRise,
  type Evaluation,
  type ValidationRise,
} from './validation-rise.js';
import { MILD_PATIENCE, mildValidationRise } from './validation-mild-rise.js';
import { mildSustainedRise } from './validation-mild-sustained.js';

export function overfittingOnLog(trace: ProbeTrace, unit: 'step' | 'epoch', advice: string): Detection[] {
  // Both losses risen by the same margin is a divergence (losses-rise-together.ts), not overfitting.
  if (lossesRise(trace) !== null) return [];
  const points = finitePoints(trace.evalStep, trace.valLoss);
  const found = precheltRise(trace, points, unit, advice) ?? mildRise(trace, points, unit, advice);
  return found === null ? [] : [found];
}

/** A rise of GL_5 or more by validation-rise.ts' readings, with the training loss they ask for. */
function precheltRise(
  trace: ProbeTrace,
  points: readonly Evaluation[],
  unit: 'step' | 'epoch',
  advice: string,
): Detection | null {
  const measured = validationRise(points);
  if (measured === null) return null;
  const training = trainingChange(trace, measured.best.step, points.length);
  if (training === null || !(measured.rise >= LOG_VALIDATION_RISE * training)) return null;
  if (NEEDS_TRAINING_FALL.has(measured.criterion) && !(training <= 1 - PROGRESS_PER_WINDOW)) return null;
  const stop = earlyStop(points, SUSTAINED_EVALUATIONS);
  return {
    severity: 'critical',
    confidence: confidenceFromMargin(measured.rise, LOG_VALIDATION_RISE),
    step: measured.best.step,
    evidence: {
      measured: measured.rise,
      threshold: LOG_VALIDATION_RISE,
      what: evidenceWhat(measured),
    },
    message:
      `${riseWords(measured, unit)} (to ${unit} ${points.at(-1)!.step}, ${formatNumber(points.at(-1)!.loss)}; limit ${formatNumber((LOG_VALIDATION_RISE - 1) * 100)}%, ${beyondNoise(measured)}), while the training loss ${trainingWords(training)}: the model is overfitting. ` +
      `Early stopping with patience ${SUSTAINED_EVALUATIONS} would have stopped at ${unit} ${stop.stoppedAt} and kept the loss of ${unit} ${stop.kept} (restore_best_weights).`,
    advice,
  };
}

/** A mild rise under GL_5, as one of the two readings below words it. */
interface MildReading {
  best: Evaluation;
  /** The measured level over the best, under GL_5. */
  rise: number;
  /** The evaluation-to-evaluation noise the rise exceeds. */
  noise: number;
  what: string;
  /** The sentence that says how the validation loss rose, before the training loss's words. */
  rose: string;
}

/**
 * A rise under GL_5 that early stopping would still have acted on, a significant trend
 * (validation-mild-rise.ts) or the last MILD_PATIENCE evaluations each above the smoothed best by
 * more than the noise (validation-mild-sustained.ts: a rise that levelled off, which the trend
 * misses), with the textbook picture whole: the training loss fell by a window's progress since the
 * best. Critical like the rest: the run hands back a model worse on held-out data than the one it had.
 */
function mildRise(
  trace: ProbeTrace,
  points: readonly Evaluation[],
  unit: 'step' | 'epoch',
  advice: string,
): Detection | null {
  const reading = mildTrend(points, unit) ?? mildSustained(points, unit);
  if (reading === null) return null;
  const training = trainingChange(trace, reading.best.step, points.length);
  if (training === null || !(training <= 1 - PROGRESS_PER_WINDOW)) return null;
  const { best, rise, noise } = reading;
  const threshold = 1 + noise / best.loss;
  const stop = earlyStop(points, MILD_PATIENCE);
  return {
    severity: 'critical',
    confidence: confidenceFromMargin(rise, threshold),
    step: best.step,
    evidence: { measured: rise, threshold, what: reading.what },
    message:
      `${reading.rose}, while the training loss ${trainingWords(training)}: the model is mildly overfitting. ` +
      `The run ends with a model worse on held-out data than its ${unit} ${best.step} checkpoint: keep the best checkpoint (ModelCheckpoint(save_best_only=True), or EarlyStopping(restore_best_weights=True)); ` +
      (stop.kept === best.step
        ? `early stopping with patience ${MILD_PATIENCE} would have stopped at ${unit} ${stop.stoppedAt} and kept the loss of ${unit} ${best.step}.`
        : `early stopping with patience ${MILD_PATIENCE} would have stopped too soon, at ${unit} ${stop.stoppedAt} (keeping ${unit} ${stop.kept}, before the best): this run needs a longer patience.`),
    advice,
  };
}

/** The mild rise by a Mann-Kendall trend since the best (validation-mild-rise.ts). */
function mildTrend(points: readonly Evaluation[], unit: 'step' | 'epoch'): MildReading | null {
  const measured = mildValidationRise(points);
  if (measured === null) return null;
  const { best, last, rise, since, noise } = measured;
  return {
    best,
    rise,
    noise,
    what: 'last validation loss over the best one, rising since by a Mann-Kendall test at 5% (under GL_5); threshold: the best plus its evaluation-to-evaluation noise',
    rose:
      `The validation loss was best at ${formatNumber(best.loss)} at ${unit} ${best.step} and stayed above it for the ${since} evaluations since, rising by a Mann-Kendall test at 5% to ${formatNumber(last.loss)} at ${unit} ${last.step} ` +
      `(${formatNumber((rise - 1) * 100)}% above it: under GL5's ${formatNumber((LOG_VALIDATION_RISE - 1) * 100)}%, but more than the ${formatNumber(noise)} it moves between evaluations)`,
  };
}

/** The mild rise held at each of the last MILD_PATIENCE evaluations (validation-mild-sustained.ts). */
function mildSustained(points: readonly Evaluation[], unit: 'step' | 'epoch'): MildReading | null {
  const measured = mildSustainedRise(points);
  if (measured === null) return null;
  const { best, rise, noise } = measured;
  const last = points.at(-1)!;
  return {
    best,
    rise,
    noise,
    what: `lowest of the last ${MILD_PATIENCE} validation losses over the best one (median of three), under GL_5; threshold: the best plus its evaluation-to-evaluation noise`,
    rose:
      `The validation loss was best at ${formatNumber(best.loss)} (median of three) at ${unit} ${best.step}, and each of the last ${MILD_PATIENCE} evaluations stayed above it by more than the ${formatNumber(noise)} it moves between evaluations, the lowest ${formatNumber((rise - 1) * 100)}% above it ` +
      `(to ${unit} ${last.step}, ${formatNumber(last.loss)}; under GL5's ${formatNumber((LOG_VALIDATION_RISE - 1) * 100)}%)`,
  };
}

/** The readings that need the training loss to have fallen since the best (see the header). */
const NEEDS_TRAINING_FALL: ReadonlySet<ValidationRise['criterion']> = new Set(['worst', 'mean', 'trend']);

const EVIDENCE: Record<ValidationRise['criterion'], string> = {
  sustained: `lowest of the last ${SUSTAINED_EVALUATIONS} validation losses over the best one (median of three)`,
  rising: `last of ${SUSTAINED_EVALUATIONS} rising validation losses over the best one`,
  worst: 'last validation loss, the highest of the run, over the best one',
  mean: `mean of the last ${SUSTAINED_EVALUATIONS} validation losses over the best one (median of three)`,
  trend: 'median of the validation losses after the best over the best one (median of three)',
};

export function evidenceWhat({ criterion }: ValidationRise): string {
  return EVIDENCE[criterion];
}

export function riseWords({ criterion, best, rise }: ValidationRise, unit: string): string {
  const percent = `${formatNumber((rise - 1) * 100)}%`;
  const from = `The validation loss was best at ${formatNumber(best.loss)}`;
  const words: Record<ValidationRise['criterion'], string> = {
    sustained: `${from} (median of three) at ${unit} ${best.step} and stayed at least ${percent} above it for the last ${SUSTAINED_EVALUATIONS} evaluations`,
    rising: `${from} at ${unit} ${best.step} and rose at each of the last ${SUSTAINED_EVALUATIONS} evaluations, ending ${percent} above it`,
    worst: `${from} at ${unit} ${best.step} and ended ${percent} above it, higher than at any earlier evaluation`,
    mean: `${from} (median of three) at ${unit} ${best.step} and the last ${SUSTAINED_EVALUATIONS} evaluations average ${percent} above it`,
    trend: `${from} (median of three) at ${unit} ${best.step}; the evaluations after it sit ${percent} above it at their median and rise by a Mann-Kendall test at 5%`,
  };
  return words[criterion];
}

/** Why the rise is not noise: larger than the evaluation-to-evaluation change, or a significant trend. */
export function beyondNoise({ criterion, noise }: ValidationRise): string {
  if (criterion === 'trend') return 'a trend its evaluation-to-evaluation noise does not explain';
  if (criterion === 'mean') return `beyond its ${formatNumber(noise)} evaluation-to-evaluation noise at the 5% level`;
  return `and more than the ${formatNumber(noise)} it moves between evaluations`;
}

/** Keras' EarlyStopping(patience, restore_best_weights=True) replayed on the evaluations. */
export function earlyStop(points: readonly Evaluation[], patience: number): { stoppedAt: number; kept: number } {
  let best = 0;
  for (let index = 1; index < points.length; index++) {
    if (points[index]!.loss < points[best]!.loss) best = index;
    else if (index - best >= patience) return { stoppedAt: points[index]!.step, kept: points[best]!.step };
  }
  return { stoppedAt: points.at(-1)!.step, kept: points[best]!.step };
}

/**
 * The training loss at the end over its level at `fromStep`: medians of a window at each end, a
 * tenth of the losses since (WINDOW_FRACTION, the divergence rules' window) but never fewer than the
 * losses logged per evaluation, and at most half of them so the two windows do not meet. Prechelt
 * (1998) reads the training error per epoch, the interval the validation error is measured on; in a
 * log that writes a loss every few steps and evaluates every few hundred, a tenth of the short span
 * after a late best is a handful of mini-batch losses whose median is noise (log 126: six of them,
 * 0.0036 to 0.0235, where one evaluation interval holds twelve). Null with fewer than two losses.
 */
function trainingChange(trace: ProbeTrace, fromStep: number, evaluations: number): number | null {
  const losses = trace.step.flatMap((step, index) =>
    step >= fromStep && Number.isFinite(trace.loss[index]) ? [trace.loss[index]!] : [],
  );
  if (losses.length < 2) return null;
  const logged = trace.loss.filter((loss) => Number.isFinite(loss)).length;
  const perEvaluation = Math.ceil(logged / Math.max(1, evaluations));
  const tenth = Math.max(1, Math.round(losses.length * WINDOW_FRACTION));
  const span = Math.min(Math.max(tenth, perEvaluation), Math.floor(losses.length / 2));
  const { start, end } = medianEnds(losses, span);
  return start > 0 ? end / start : null;
}

/** Within this fraction the training loss is said to have stayed flat (wording only). */
const FLAT = 0.01;

function trainingWords(change: number): string {
  const percent = formatNumber(Math.abs(1 - change) * 100);
  if (Math.abs(1 - change) < FLAT) return 'stayed flat';
  return change < 1 ? `fell ${percent}%` : `rose only ${percent}%`;
}
