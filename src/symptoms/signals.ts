/**
 * Scale-free readings of a training trace shared by the dynamics detectors, so that each detector
 * says what it looks at rather than how to smooth a series. Pure functions of number arrays.
 */
import type { ProbeTrace } from '../trace/trace.js';
import { formatNumber } from '../util/format.js';
import { DIVERGENCE_RATIO } from './divergence-limits.js';
import { median } from '../util/stats.js';

/**
 * How a non-finite loss reads: JSON turns NaN and ±Infinity alike into null; only a trace in memory
 * tells them apart.
 */
export function nonFiniteLossName(trace: ProbeTrace, index: number): string {
  const value = trace.loss[index];
  return value === Number.POSITIVE_INFINITY ? 'Infinity' : value === Number.NEGATIVE_INFINITY ? '-Infinity' : 'NaN';
}

/**
 * A robust start and end level of a noisy series: the medians of its first and last `fraction`
 * (mini-batch losses jump from batch to batch; a median of a tenth of the run does not).
 */
export function startAndEnd(values: readonly number[], fraction = 0.1): { start: number; end: number } {
  return medianEnds(values, Math.max(1, Math.round(values.length * fraction)));
}

/** The medians of the first and of the last `span` values (startAndEnd's, for a span chosen otherwise). */
export function medianEnds(values: readonly number[], span: number): { start: number; end: number } {
  return { start: median(values.slice(0, span)), end: median(values.slice(-span)) };
}

/**
 * A weight matrix, not a bias or a normalization's scale: tfjs' `dense_1/kernel` and
 * `simple_rnn/recurrent_kernel`, PyTorch's `net.0.weight` and `rnn.weight_hh_l0`.
 */
const KERNEL = /kernel$|(^|\.)weight(_[a-z]+\d*)*$/i;
/** PyTorch names a normalization's scale `weight` too (tfjs: `gamma`): not a kernel. */
const NORMALIZATION_TYPES: ReadonlySet<string> = new Set(['batchNormalization', 'layerNormalization']);

/** The trainable kernels (weight matrices, not biases) in layer order: `dense_1/kernel`, `net.0.weight`, ... */
export function kernelNames(trace: ProbeTrace): string[] {
  const normalizations = new Set(
    trace.layers.filter((layer) => NORMALIZATION_TYPES.has(layer.type)).map((layer) => layer.name),
  );
  return Object.keys(trace.gradNorm).filter((name) => KERNEL.test(name) && !normalizations.has(layerOf(name)));
}

/** The layer a variable belongs to: `dense_1/kernel` → `dense_1`; a PyTorch module path `net.0.weight` → `net.0`. */
export function layerOf(variable: string): string {
  const slash = variable.lastIndexOf('/');
  return variable.slice(0, slash >= 0 ? slash : Math.max(0, variable.lastIndexOf('.')));
}

/** The steps of the activation samples: a recording's own, else the probe's evaluations. */
export function activationSteps(trace: ProbeTrace): readonly number[] {
  return trace.activations.find((activations) => activations.step !== undefined)?.step ?? trace.evalStep;
}

/** The last layer of the model: its output layer, judged apart from the hidden ones. */
export function outputLayerName(trace: ProbeTrace): string | undefined {
  return trace.layers.at(-1)?.name ?? trace.activations.at(-1)?.layer;
}

/**
 * A per-evaluation fraction must stay past its limit through this many last evaluations, so that
 * units reviving within the probe (or a blip) do not raise an alarm; a probe evaluates every 10
 * steps, so three evaluations are the last ~20 steps.
 */
export const SUSTAINED_EVALUATIONS = 3;

/**
 * How a per-evaluation fraction (dead units, saturated inputs) ends: its lowest value over the last
 * `count` finite evaluations, so one evaluation alone does not decide, and the index of the first
 * evaluation from which it stayed above `limit` (-1 when it does not end above it).
 */
export function sustainedLevel(
  values: readonly number[],
  limit: number,
  count: number,
): { level: number; since: number; evaluations: number } {
  const indices = values.flatMap((value, index) => (Number.isFinite(value) ? [index] : []));
  const last = indices.slice(-count);
  const level = last.length === 0 ? Number.NaN : Math.min(...last.map((index) => values[index]!));
  let since = -1;
  for (let k = indices.length - 1; k >= 0 && values[indices[k]!]! > limit; k--) since = indices[k]!;
  return { level, since, evaluations: indices.length };
}

export interface LossLevels {
  series: 'validation' | 'training';
  /** Robust loss levels at the start and the end of the span: medians of a tenth of it each. */
  start: number;
  end: number;
  startStep: number;
  endStep: number;
  /** (start - end) / start: the fraction of the loss the span removed; negative when it rose. */
  progress: number;
}

/**
 * Fewer finite validation losses than this in a span, and its levels come from the training loss; the
 * log rules that ask whether a validation loss was logged to judge beside the training loss read it too.
 */
export const MIN_VALIDATION_POINTS = 4;

/**
 * The (step, loss) pairs of a series whose loss is finite, at `fromStep` or later: a curve with the
 * NaN and Infinity a run or a log left in it passed over, each point keeping the step it was read at.
 */
export function finitePoints(
  steps: readonly number[],
  losses: readonly number[],
  fromStep = Number.NEGATIVE_INFINITY,
): { step: number; loss: number }[] {
  return steps.flatMap((step, index) =>
    step >= fromStep && Number.isFinite(losses[index]) ? [{ step, loss: losses[index]! }] : [],
  );
}

/**
 * The loss level at the start and the end of the probe from `fromFraction` of its steps on. The
 * validation loss is measured on one fixed set, free of mini-batch noise, so it is preferred when
 * enough evaluations fall in the span; otherwise the training loss, whose levels are medians of a
 * tenth of the span (TheDeepChecker judges progress per window, not per batch). Null when the span
 * holds no usable loss or starts at a loss of zero or below. `series: 'training'` reads the training
 * loss even where evaluations would do.
 */
export function lossLevels(
  trace: ProbeTrace,
  fromFraction = 0,
  series: 'preferred' | 'training' = 'preferred',
): LossLevels | null {
  const lastStep = trace.step.at(-1) ?? 0;
  const fromStep = (trace.step[0] ?? 0) + fromFraction * (lastStep + 1 - (trace.step[0] ?? 0));
  const validation = finitePoints(trace.evalStep, trace.valLoss, fromStep);
  const training = finitePoints(trace.step, trace.loss, fromStep);
  const useValidation = series === 'preferred' && validation.length >= MIN_VALIDATION_POINTS;
  const points = useValidation ? validation : training;
  if (points.length < 2) return null;
  const { start, end } = startAndEnd(points.map((point) => point.loss));
  if (!(start > 0) || !Number.isFinite(end)) return null;
  return {
    series: useValidation ? 'validation' : 'training',
    start,
    end,
    startStep: points[0]!.step,
    endStep: points.at(-1)!.step,
    progress: (start - end) / start,
  };
}

/** Per kernel, in layer order: the median of its finite update ratios ‖Δw‖/‖w‖ over a part of the probe. */
export function kernelUpdateMedians(
  trace: ProbeTrace,
  fromFraction = 0,
  toFraction = 1,
): { variable: string; median: number }[] {
  return kernelNames(trace).map((variable) => {
    const ratios = trace.updateRatio[variable] ?? [];
    const from = Math.floor(ratios.length * fromFraction);
    const to = Math.max(from + 1, Math.ceil(ratios.length * toFraction));
    return { variable, median: median(ratios.slice(from, to)) };
  });
}

/**
 * The index of the first value that is not a finite number (NaN, ±Infinity, or the null a NaN
 * becomes in a JSON trace), -1 when every value is finite.
 */
export function firstNonFinite(values: readonly (number | null)[]): number {
  return values.findIndex((value) => !Number.isFinite(value));
}

/**
 * Medians of consecutive windows of `size` values. A remainder shorter than a window joins the last
 * one, so every level is the median of at least `size` values: a trailing window of one mini-batch
 * loss would read that batch's noise as the level the run ends at.
 */
export function windowMedians(values: readonly number[], size: number): number[] {
  const width = Math.max(1, size);
  const count = Math.max(1, Math.floor(values.length / width));
  if (values.length === 0) return [];
  return Array.from({ length: count }, (_, k) =>
    median(values.slice(k * width, k === count - 1 ? values.length : (k + 1) * width)),
  );
}

/**
 * How often a series turns around: the fraction of consecutive moves whose direction differs from
 * the move before (0 for a monotone series, about 2/3 for independent noise, 1 for a zigzag).
 * NaN with fewer than three values.
 */
export function reversalFraction(values: readonly number[]): number {
  const moves = values.slice(1).map((value, index) => Math.sign(value - values[index]!));
  if (moves.length < 2) return Number.NaN;
  let reversals = 0;
  for (let index = 1; index < moves.length; index++) if (moves[index] !== moves[index - 1]) reversals++;
  return reversals / (moves.length - 1);
}

export interface Growth {
  /** The largest value over its baseline. */
  factor: number;
  /** Where that largest value is. */
  index: number;
  value: number;
  baseline: number;
  /** Where the baseline window starts: the growth took `index - from` steps. */
  from: number;
  /** The first index whose growth exceeds `limit`; -1 when none does. */
  firstPast: number;
}

/**
 * How far a positive series (a gradient norm) rises above its own recent level: at every index t,
 * its level there over the median of the first `baselineSteps` values of the `window` steps before
 * t (for the first steps, of the values seen so far). The level is v[t], but no more than the median
 * of the `baselineSteps` finite values from t on: medians on both sides, so noisy mini-batches
 * neither make nor hide a growth (at batch size 1 the norm follows each example's loss, 1e-6 on an
 * easy one and 1 on a hard one, and one hard example after a few easy ones is not a blow-up), while
 * a norm that keeps growing, or ends the run, keeps its value. A trailing window, so a blow-up late
 * in a run is measured against the level just before it. And a blow-up reaches a level the norm
 * has not had in the two windows before: a norm that often sat near 1 has not grown 1000x by
 * returning to 1 after five easy examples. Non-finite values and zero baselines (a gradient of
 * exactly 0) are skipped. Null when no index has a baseline.
 */
/** The largest finite value of the `span` values before `index`; 0 when there are none. */
function recentHigh(values: readonly number[], index: number, span: number): number {
  let high = 0;
  for (let at = Math.max(0, index - span); at < index; at++) if (values[at]! > high) high = values[at]!;
  return high;
}

export function peakGrowth(
  values: readonly number[],
  baselineSteps: number,
  window: number,
  limit = Number.POSITIVE_INFINITY,
): Growth | null {
  let best: Growth | null = null;
  let firstPast = -1;
  for (let index = 1; index < values.length; index++) {
    const value = values[index]!;
    if (!Number.isFinite(value)) continue;
    const from = Math.max(0, index - window);
    const baseline = median(values.slice(from, Math.min(index, from + baselineSteps)));
    if (!(baseline > 0)) continue;
    const level = Math.min(value, median(values.slice(index, index + baselineSteps)));
    if (!(level > recentHigh(values, index, 2 * window))) continue;
    const factor = level / baseline;
    if (factor > limit && firstPast < 0) firstPast = index;
    if (best === null || factor > best.factor) best = { factor, index, value: level, baseline, from, firstPast: -1 };
  }
  return best === null ? null : { ...best, firstPast };
}

/** Layer types whose gradients flow back through time, where they explode (Pascanu, Mikolov & Bengio 2013). */
const RECURRENT_LAYER_TYPES: ReadonlySet<string> = new Set([
  'simplernn',
  'lstm',
  'gru',
  'rnn',
  'convlstm2d',
  'bidirectional',
]);

/** Whether the model has a recurrent layer (simpleRNN, lstm, gru, ...). */
export function hasRecurrentLayer(trace: ProbeTrace): boolean {
  return trace.layers.some((layer) => RECURRENT_LAYER_TYPES.has(layer.type.toLowerCase()));
}

/** The steps (indices) whose loss is finite: all of them, or those before the first non-finite loss. */
export function finiteLossSteps(trace: ProbeTrace): number {
  const index = firstNonFinite(trace.loss);
  return index < 0 ? trace.loss.length : index;
}

/**
 * TheDeepChecker (Ben Braiek & Khomh): a healthy loss falls by at least 5% per window. Detectors
 * judge different windows (the whole probe, its second half, the span after the best validation
 * loss); each names its use of this one number.
 */
export const PROGRESS_PER_WINDOW = 0.05;

/**
 * A run has learned when its loss ends at most this fraction of the chance-level loss (ln C for C
 * classes, the target variance for MSE): it removed at least a fifth of what a constant prediction
 * leaves. The plateau detector and the trials' verdict on a fix judge by this one line.
 */
export const LEARNED_FRACTION_OF_CHANCE = 0.8;

/**
 * An update larger than the weights it changes: ‖Δw‖/‖w‖ above 1 in one step. CS231n's rule of
 * thumb puts a healthy ratio near 1e-3; the examples' first updates reach 0.46 on a healthy run (a
 * small-init output layer) and 2.3 on one layer of a run at a rate 5x too high, so only the median
 * kernel past 1 counts: the step replaced the weights instead of adjusting them.
 */
export const OVERSHOOT_UPDATE_RATIO = 1;

export interface Overshoot {
  /** The kernel the first update moved most, and by how much of its norm (Infinity once it overflowed). */
  variable: string;
  ratio: number;
  /** The lower median over kernels, which crossed OVERSHOOT_UPDATE_RATIO. */
  median: number;
  /** The loss before the update, and the highest (or the first non-finite) loss of the steps after it, at `afterIndex`. */
  before: number;
  after: number;
  afterIndex: number;
}

/** `dense_1/kernel by 12x its own size`, or past float32 once the new weights overflowed. */
export function describeOvershoot({ variable, ratio }: Overshoot): string {
  return Number.isFinite(ratio)
    ? `${variable} by ${formatNumber(ratio)}x its own size (‖Δw‖/‖w‖)`
    : `${variable} past what float32 holds (its new weights overflowed)`;
}

/**
 * A rate above this is absurd on its own: Smith's range tests and fastai's lr_find (which sweeps up
 * to 10) find no optimizer training at rates past 1, so the value itself is the bug.
 */
const ABSURD_LEARNING_RATE = 1;

/**
 * Whose fault an overshoot is, in words: an absurd rate's, or a step (rate × gradient) too large,
 * where the gradients may be what is off (unscaled inputs, a bad initialization).
 */
export function overshootCause(trace: ProbeTrace): string {
  const rate = trace.learningRate[0];
  if (rate !== undefined && rate > ABSURD_LEARNING_RATE)
    return `The learning rate ${formatNumber(rate)} is far too high: lower it by orders of magnitude (an LR range test finds one).`;
  return (
    'The step (learning rate × gradient) is far too large: the rate is too high for these gradients, ' +
    'or the gradients too large for it (unscaled inputs, a bad initialization).'
  );
}

/**
 * The steps after the first update whose losses judge it. Each step's loss is one mini-batch, so one
 * lucky batch can read below the start while the weights were thrown away (SGD at 0.1 on y = 5x²:
 * 3135 before, 387 on the next batch, 12,556 on the one after). Three: their median outvotes one
 * lucky or unlucky batch, while the peak of more batches would grow with their number from noise
 * alone and later updates would mix in.
 */
export const FIRST_UPDATE_STEPS = 3;

/**
 * How the loss read after the first update: the first non-finite loss of the FIRST_UPDATE_STEPS
 * after it, else the highest, and whether it jumped. It jumped when a loss is not finite, when
 * their median is higher than the loss before (it stayed up), or when their peak reached
 * DIVERGENCE_RATIO times it (TheDeepChecker's diverging loss, divergence-limits.ts).
 */
function lossAfterFirstUpdate(loss: readonly number[]): { after: number; afterIndex: number; jumped: boolean } | null {
  const before = loss[0];
  const window = loss.slice(1, 1 + FIRST_UPDATE_STEPS);
  if (before === undefined || !Number.isFinite(before) || window.length === 0) return null;
  const nonFinite = firstNonFinite(window);
  if (nonFinite >= 0) return { after: window[nonFinite]!, afterIndex: 1 + nonFinite, jumped: true };
  const peak = window.reduce((high, value, index) => (value > window[high]! ? index : high), 0);
  const after = window[peak]!;
  return { after, afterIndex: 1 + peak, jumped: median(window) > before || after >= DIVERGENCE_RATIO * before };
}

/**
 * The first update, when it overshot: the median kernel's ratio past OVERSHOOT_UPDATE_RATIO (a
 * ratio that overflowed counts as infinite) and the loss after it jumped (lossAfterFirstUpdate), so
 * a zero-initialized kernel (‖w‖ = 0, any step is infinite) that learns is not taken for one.
 */
export function firstUpdateOvershoot(trace: ProbeTrace): Overshoot | null {
  const reading = lossAfterFirstUpdate(trace.loss);
  if (reading === null || !reading.jumped) return null;
  const overflowed = !Number.isFinite(reading.after);
  const recorded = kernelNames(trace).filter((variable) => (trace.updateRatio[variable]?.length ?? 0) > 0);
  const ratios = recorded.map((variable) => {
    const ratio = trace.updateRatio[variable]![0];
    // A JSON trace holds null for NaN: an overflow only when the loss after it overflowed too.
    const value = typeof ratio === 'number' && !Number.isNaN(ratio) ? ratio : overflowed ? Infinity : 0;
    return { variable, ratio: value };
  });
  if (ratios.length === 0) return null;
  // The lower middle of all of them, infinite ones included (median() keeps finite values only).
  const sorted = ratios.map(({ ratio }) => ratio).sort((a, b) => a - b);
  const middle = sorted[(sorted.length - 1) >> 1]!;
  if (!(middle > OVERSHOOT_UPDATE_RATIO)) return null;
  const worst = ratios.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  return { ...worst, median: middle, before: trace.loss[0]!, after: reading.after, afterIndex: reading.afterIndex };
}
