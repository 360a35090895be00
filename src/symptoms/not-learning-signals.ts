/**
 * Readings of a whole logged run for not-learning.ts (thresholds for logs): whether a loss series
 * ever fell, whether the run is long enough to say it did not, and what the log says about its
 * learning rate and its classes.
 */
import type { ProbeTrace } from '../trace/trace.js';
import { median } from '../util/stats.js';
import { MIN_VALIDATION_POINTS, PROGRESS_PER_WINDOW, windowMedians } from './signals.js';

/**
 * For logs: a stall is judged over at least this many epochs (or evaluations): Keras'
 * ReduceLROnPlateau and the usual EarlyStopping patience wait 10 epochs without improvement before
 * calling a plateau. Fewer (four validation losses) cannot tell a stall from a slow start.
 */
export const MIN_EPOCHS = 10;
/**
 * For logs: a rate this low moves nothing: fastai's lr_find and Smith's range test start at 1e-7
 * because no optimizer changes the loss there; at 1e-6 a thousand Adam steps move a weight by 1e-3.
 */
const NEAR_ZERO_RATE = 1e-6;
/** Fewer points than this give no tenths to take medians of. */
const MIN_POINTS = 10;
/** Guessing among more classes than this leaves accuracies too small to read C from (stuck-at-chance.ts). */
const MAX_CLASSES = 1000;
/** Fewer accuracy values than this cannot say where the accuracy sits. */
const MIN_ACCURACY_POINTS = 3;

export interface SeriesFlatness {
  /** Its start level (median of its first tenth) and the largest fraction of it a later tenth removed. */
  start: number;
  progress: number;
  flat: boolean;
}

/** Whether a series never fell PROGRESS_PER_WINDOW below its start (medians of tenths); null when too short. */
export function flatSeries(values: readonly number[]): SeriesFlatness | null {
  const finite = values.filter(Number.isFinite);
  if (finite.length < MIN_VALIDATION_POINTS) return null;
  const levels = windowMedians(finite, Math.max(1, Math.round(finite.length / MIN_POINTS)));
  const start = levels[0]!;
  if (!(start > 0) || levels.length < 2) return null;
  const progress = (start - Math.min(...levels.slice(1))) / start;
  return { start, progress, flat: progress < PROGRESS_PER_WINDOW };
}

/**
 * For logs: every later tenth's median stands PROGRESS_PER_WINDOW (TheDeepChecker's 5% a window) or
 * more above the first tenth's: the loss left the band a stall keeps to upward and never came back
 * to where it started. It rose, a divergence (lr-too-high.ts, losses-rise-together.ts), not a plateau
 * that learned nothing (log 269: 5.40 at its first epoch, 9.13 at epoch 22, 7.00 at its last).
 */
export function roseAboveStart(values: readonly number[]): boolean {
  const levels = flatSeries(values);
  return levels !== null && levels.progress <= -PROGRESS_PER_WINDOW;
}

/**
 * The run spans MIN_EPOCHS epochs: that many training losses that are each an epoch's (`lossUnit`
 * `epoch`: a per-epoch log, or the epoch means of a per-step one), or that many evaluations.
 */
export function spansEnough(trace: ProbeTrace, lossUnit: string): boolean {
  return (lossUnit === 'epoch' && trace.loss.length >= MIN_EPOCHS) || evaluatedEnough(trace);
}

/**
 * For logs: Lightning's EarlyStopping defaults, patience=3 checks with min_delta=0 (a check that does
 * not go below the best before it is no improvement): a run that has stopped improving by them is
 * over, whatever its length. One check more than the patience is the fewest that can show it.
 */
export const EARLY_STOPPING_PATIENCE = 3;

/**
 * The training loss, logged once per evaluation (each value an epoch's mean, not a mini-batch's),
 * stopped by EarlyStopping's defaults: its last EARLY_STOPPING_PATIENCE values are none below its
 * best before them. A per-step loss is not read: a lucky batch would be the best that later batches miss.
 */
export function trainingStopped(trace: ProbeTrace): boolean {
  const losses = trace.loss.filter(Number.isFinite);
  const evaluations = trace.valLoss.filter(Number.isFinite).length;
  if (losses.length > evaluations || losses.length <= EARLY_STOPPING_PATIENCE) return false;
  const best = Math.min(...losses.slice(0, -EARLY_STOPPING_PATIENCE));
  return Math.min(...losses.slice(-EARLY_STOPPING_PATIENCE)) >= best;
}

/** MIN_EPOCHS evaluations or more. */
export function evaluatedEnough(trace: ProbeTrace): boolean {
  return trace.valLoss.filter(Number.isFinite).length >= MIN_EPOCHS;
}

/**
 * The log begins where its run began: its first logged step is no later than the interval to the
 * next (step 249 of steps logged every 250, epoch 0 or 1 of an epoch log). A resumed run continues
 * its count (Keras' `initial_epoch`, the global step a Lightning checkpoint restores), and a resumed
 * log read as segments (log-segments.ts) starts its last segment late; this one cannot have begun
 * from a checkpoint that had already converged.
 */
export function beginsAtRunStart(steps: readonly number[]): boolean {
  return steps.length >= 2 && steps[0]! <= steps[1]! - steps[0]!;
}

/** The log records a learning rate, at least MIN_POINTS training losses, and never a rate above NEAR_ZERO_RATE. */
export function learningRateNearZero(trace: ProbeTrace): boolean {
  const rates = trace.learningRate.filter(Number.isFinite);
  return rates.length > 0 && trace.loss.length >= MIN_POINTS && rates.every((rate) => rate <= NEAR_ZERO_RATE);
}

/**
 * The logged learning rate decayed to NEAR_ZERO_RATE or below by the run's last logged value, from a
 * peak above it, over at least MIN_POINTS training losses: the schedule ran to its end (HF Trainer's
 * default `linear` and the cosine schedules decay to 0 at `max_steps`), so the log holds the whole
 * run, not its slow start. MIN_EPOCHS waits for more epochs that might still learn; after the last
 * step of a schedule there are none, however few epochs it spanned.
 */
export function scheduleEnded(trace: ProbeTrace): boolean {
  const rates = trace.learningRate.filter(Number.isFinite);
  return (
    trace.loss.length >= MIN_POINTS &&
    rates.length > 0 &&
    rates.at(-1)! <= NEAR_ZERO_RATE &&
    Math.max(...rates) > NEAR_ZERO_RATE
  );
}

/** The logged accuracy judged for chance: the validation accuracy with enough values, else the training one. */
export function loggedAccuracy(trace: ProbeTrace): number[] {
  const finite = (metric: ProbeTrace['valMetric'] | undefined) =>
    metric?.name === 'accuracy' ? metric.values.filter(Number.isFinite) : [];
  const validation = finite(trace.valMetric);
  const values = validation.length >= MIN_ACCURACY_POINTS ? validation : finite(trace.trainMetric);
  return values.length < MIN_ACCURACY_POINTS ? [] : values;
}

/**
 * The class count C a logged accuracy sits at (validation, else training): 1/C is its median. Null
 * without an accuracy, or when its median is far from any 1/C with 2 <= C <= MAX_CLASSES (a model
 * that learned: 0.9 gives C = 1).
 */
export function classifierChance(trace: ProbeTrace): number | null {
  const values = loggedAccuracy(trace);
  if (values.length === 0) return null;
  const classes = Math.round(1 / median(values));
  return classes >= 2 && classes <= MAX_CLASSES ? classes : null;
}

/**
 * For logs: the largest class count whose ln C a loss can be read as. A loss within
 * PROGRESS_PER_WINDOW (5%) of ln C is taken for ln C; that band around ln C overlaps no other class
 * count's band only while ln(C+1) / ln C > 1.05 / 0.95, which holds up to C = 5 (ln 6 / ln 5 = 1.113)
 * and fails from C = 6 on (ln 7 / ln 6 = 1.086): above it, a loss near 2 is ln 7 and ln 8 alike.
 */
const MAX_CLASSES_FROM_LOSS = 5;

/**
 * The class count C whose ln C a loss level is (within PROGRESS_PER_WINDOW), 2 <= C <=
 * MAX_CLASSES_FROM_LOSS, where no other C is as near; null otherwise. An untrained softmax over C
 * classes scores ln C (Karpathy, "A Recipe for Training Neural Networks", 2019).
 */
export function lossChance(level: number): number | null {
  for (let classes = 2; classes <= MAX_CLASSES_FROM_LOSS; classes++)
    if (Math.abs(level - Math.log(classes)) <= PROGRESS_PER_WINDOW * Math.log(classes)) return classes;
  return null;
}
