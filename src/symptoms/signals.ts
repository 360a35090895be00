/**
 * Scale-free readings of a training trace shared by the dynamics detectors, so that each detector
 * says what it looks at rather than how to smooth a series. Pure functions of number arrays.
 */
import type { ProbeTrace } from '../trace/trace.js';
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
  const span = Math.max(1, Math.round(values.length * fraction));
  return { start: median(values.slice(0, span)), end: median(values.slice(-span)) };
}

/** The trainable kernels (weight matrices, not biases) in layer order: `dense_1/kernel`, ... */
export function kernelNames(trace: ProbeTrace): string[] {
  return Object.keys(trace.gradNorm).filter((name) => /kernel$/i.test(name));
}

/** The layer a variable belongs to: `dense_1/kernel` → `dense_1`. */
export function layerOf(variable: string): string {
  return variable.slice(0, variable.lastIndexOf('/'));
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

/** Fewer finite validation losses than this in a span, and its levels come from the training loss. */
const MIN_VALIDATION_POINTS = 4;

/**
 * The loss level at the start and the end of the probe from `fromFraction` of its steps on. The
 * validation loss is measured on one fixed set, free of mini-batch noise, so it is preferred when
 * enough evaluations fall in the span; otherwise the training loss, whose levels are medians of a
 * tenth of the span (TheDeepChecker judges progress per window, not per batch). Null when the span
 * holds no usable loss or starts at a loss of zero or below.
 */
export function lossLevels(trace: ProbeTrace, fromFraction = 0): LossLevels | null {
  const lastStep = trace.step.at(-1) ?? 0;
  const fromStep = (trace.step[0] ?? 0) + fromFraction * (lastStep + 1 - (trace.step[0] ?? 0));
  const validation = trace.evalStep.flatMap((step, index) =>
    step >= fromStep && Number.isFinite(trace.valLoss[index]) ? [{ step, loss: trace.valLoss[index]! }] : [],
  );
  const training = trace.step.flatMap((step, index) =>
    step >= fromStep && Number.isFinite(trace.loss[index]) ? [{ step, loss: trace.loss[index]! }] : [],
  );
  const useValidation = validation.length >= MIN_VALIDATION_POINTS;
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

/** Medians of consecutive windows of `size` values (the last, shorter window included). */
export function windowMedians(values: readonly number[], size: number): number[] {
  const medians: number[] = [];
  for (let start = 0; start < values.length; start += Math.max(1, size))
    medians.push(median(values.slice(start, start + Math.max(1, size))));
  return medians;
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
 * v[t] over the median of the first `baselineSteps` values of the `window` steps before t (for the
 * first steps, of the values seen so far). A median, so one noisy mini-batch neither makes nor hides
 * a growth; a trailing window, so a blow-up late in a run is measured against the level just before
 * it. Non-finite values and zero baselines (a gradient of exactly 0) are skipped. Null when no
 * index has a baseline.
 */
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
    const factor = value / baseline;
    if (factor > limit && firstPast < 0) firstPast = index;
    if (best === null || factor > best.factor) best = { factor, index, value, baseline, from, firstPast: -1 };
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
