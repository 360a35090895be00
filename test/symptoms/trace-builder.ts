/**
 * Synthetic probe traces for the training-dynamics detectors: a ProbeTrace built from the series a
 * test is about (the loss per step, per-variable gradient norms and update ratios, the global
 * gradient norm, validation losses, activation statistics), with everything else filled in the way
 * src/probe/run-probe.ts records it:
 *
 * - steps are 0, 1, ...; the first non-finite loss ends the trace there (stoppedEarly 'nan-loss',
 *   nanStep), its gradients are recorded but no update is applied, so the update series are one
 *   step shorter;
 * - variables default to a healthy three-layer MLP (dense_1..3, ReLU hidden, linear output) with
 *   gradient norm 1 and update ratio 1e-3 at every step; the global norm is the L2 norm over the
 *   variables unless given; nonFiniteSteps are the steps where a variable's gradient norm is not
 *   finite; layers are derived from the variable names unless given;
 * - evaluations happen every `evalEvery` steps and after the last (not after a NaN), when a
 *   validation loss or activations are given.
 *
 * `syntheticTrace` builds on it for the detectors that read activation statistics and loss levels
 * (dead-relu, saturated-activations, unstable-activations, lr-too-low, plateau, overfitting): a
 * healthy run unless overridden, a three-layer ReLU MLP on a regression target whose loss falls from
 * the chance level to a tenth of it, evaluated every 10 steps.
 *
 * Real probe traces of the examples are read with `fixtureTrace`, exactly as stored (JSON has no NaN:
 * the probe's non-finite values are null there, as in any saved trace).
 */
import { readFileSync } from 'node:fs';
import type { ActivationTrace, LayerSummary, ProbeTrace, StopReason } from '../../src/trace/trace.js';
import { createRandom, randomNormal } from '../../src/util/random.js';

/** A value per step: a constant, an array indexed by step, or a function of the step. */
export type SeriesInput = number | readonly number[] | ((step: number) => number);

export interface LayerInput {
  name: string;
  /** tfjs class in camelCase; default 'dense'. */
  type?: string;
  /** Default: 'relu' for hidden layers, 'linear' for the last. */
  activation?: string;
  params?: number;
  outputShape?: (number | null)[];
}

export interface TraceSpec {
  /** Training loss per step; a non-finite value stops the trace there, as the probe does. */
  loss: SeriesInput;
  /** Number of steps when `loss` is not an array (default 300). */
  steps?: number;
  /** Per trainable variable (`dense_1/kernel`), in layer order: its gradient norm per step. */
  gradNorm?: Readonly<Record<string, SeriesInput>>;
  /** Per variable: ‖Δw‖/‖w‖ per step; variables not listed get DEFAULT_UPDATE_RATIO. */
  updateRatio?: Readonly<Record<string, SeriesInput>>;
  /** Default: the L2 norm of the per-variable gradient norms at each step. */
  globalGradNorm?: SeriesInput;
  /** Per variable: steps with a non-finite gradient. Default: where its gradient norm is not finite. */
  nonFiniteSteps?: Readonly<Record<string, number[]>>;
  /** Default: one dense layer per variable prefix, ReLU hidden and linear output. */
  layers?: readonly LayerInput[];
  /** Validation loss: an array per evaluation, or a function of the evaluation's step. */
  valLoss?: SeriesInput;
  evalEvery?: number;
  activations?: ActivationTrace[];
  chanceLoss?: number | null;
  lossName?: string;
  learningRate?: SeriesInput;
  /** Overrides the stop reason derived from the loss (e.g. 'time-budget'). */
  stoppedEarly?: StopReason | null;
}

const DEFAULT_STEPS = 300;
const DEFAULT_UPDATE_RATIO = 1e-3;
const DEFAULT_EVAL_EVERY = 10;
const DEFAULT_VARIABLES = [
  'dense_1/kernel',
  'dense_1/bias',
  'dense_2/kernel',
  'dense_2/bias',
  'dense_3/kernel',
  'dense_3/bias',
] as const;

/** The value of a series at a step. */
function valueAt(series: SeriesInput, step: number): number {
  if (typeof series === 'number') return series;
  if (typeof series === 'function') return series(step);
  if (step >= series.length) throw new Error(`series of ${series.length} values has no step ${step}`);
  return series[step]!;
}

/** The first `length` values of a series. */
export function materialize(series: SeriesInput, length: number): number[] {
  return Array.from({ length }, (_, step) => valueAt(series, step));
}

/** The layer a variable belongs to: `dense_1/kernel` → `dense_1`. */
function layerName(variable: string): string {
  const slash = variable.lastIndexOf('/');
  return slash < 0 ? variable : variable.slice(0, slash);
}

export function buildTrace(spec: TraceSpec): ProbeTrace {
  const planned = Array.isArray(spec.loss) ? spec.loss.length : (spec.steps ?? DEFAULT_STEPS);
  const losses = materialize(spec.loss, planned);
  const nanIndex = losses.findIndex((value) => !Number.isFinite(value));
  const stepsRun = nanIndex < 0 ? planned : nanIndex + 1;
  const updates = nanIndex < 0 ? stepsRun : stepsRun - 1;
  const step = Array.from({ length: stepsRun }, (_, index) => index);

  const gradSeries: Record<string, SeriesInput> = spec.gradNorm
    ? { ...spec.gradNorm }
    : Object.fromEntries(DEFAULT_VARIABLES.map((name) => [name, 1]));
  const variables = Object.keys(gradSeries);
  const gradNorm = Object.fromEntries(variables.map((name) => [name, materialize(gradSeries[name]!, stepsRun)]));
  const updateRatio = Object.fromEntries(
    variables.map((name) => [name, materialize(spec.updateRatio?.[name] ?? DEFAULT_UPDATE_RATIO, updates)]),
  );
  const nonFiniteSteps = Object.fromEntries(
    variables.map((name) => [
      name,
      spec.nonFiniteSteps?.[name] ?? step.filter((at) => !Number.isFinite(gradNorm[name]![at]!)),
    ]),
  );
  const globalGradNorm =
    spec.globalGradNorm === undefined
      ? step.map((at) => Math.sqrt(variables.reduce((sum, name) => sum + gradNorm[name]![at]! ** 2, 0)))
      : materialize(spec.globalGradNorm, stepsRun);
  const learningRate = materialize(spec.learningRate ?? 0.01, stepsRun);

  const evalEvery = spec.evalEvery ?? DEFAULT_EVAL_EVERY;
  const evaluates = spec.valLoss !== undefined || (spec.activations?.length ?? 0) > 0;
  const evalStep = evaluates ? [...step.filter((at) => at % evalEvery === 0), ...(nanIndex < 0 ? [stepsRun] : [])] : [];
  const valLoss =
    spec.valLoss === undefined
      ? evalStep.map(() => Number.NaN)
      : evalStep.map((at, index) =>
          Array.isArray(spec.valLoss) ? valueAt(spec.valLoss, index) : valueAt(spec.valLoss!, at),
        );

  const layerInputs: readonly LayerInput[] =
    spec.layers ?? [...new Set(variables.map(layerName))].map((name) => ({ name }));
  const layers: LayerSummary[] = layerInputs.map((layer, index) => ({
    name: layer.name,
    type: layer.type ?? 'dense',
    activation: layer.activation ?? (index === layerInputs.length - 1 ? 'linear' : 'relu'),
    outputShape: layer.outputShape ?? [null, 1],
    params: layer.params ?? 1,
  }));

  return {
    backend: 'synthetic',
    tfjsVersion: '0.0.0',
    lossName: spec.lossName ?? 'meanSquaredError',
    stepsPlanned: planned,
    stepsRun,
    stoppedEarly: spec.stoppedEarly !== undefined ? spec.stoppedEarly : nanIndex < 0 ? null : 'nan-loss',
    nanStep: nanIndex < 0 ? null : nanIndex,
    seconds: 0,
    initialLoss: losses[0] ?? Number.NaN,
    chanceLoss: spec.chanceLoss === undefined ? null : spec.chanceLoss,
    layers,
    targetScale: null,
    step,
    loss: losses.slice(0, stepsRun),
    learningRate,
    globalGradNorm,
    globalUpdateNorm: Array.from({ length: updates }, (_, at) => learningRate[at]! * globalGradNorm[at]!),
    gradNorm,
    updateRatio,
    nonFiniteSteps,
    evalStep,
    valLoss,
    valMetric: null,
    activations: spec.activations ?? [],
  };
}

// Series shapes, as functions of the step.

/** from × factor^step: geometric growth (factor > 1) or decay. */
export function geometric(from: number, factor: number): (step: number) => number {
  return (step) => from * factor ** step;
}

/** An exponential approach from `from` to `to` with time constant `tau` steps. */
export function decay(from: number, to: number, tau: number): (step: number) => number {
  return (step) => to + (from - to) * Math.exp(-step / tau);
}

/** A straight line through (0, from) and (steps, to). */
export function linear(from: number, to: number, steps = DEFAULT_STEPS): (step: number) => number {
  return (step) => from + ((to - from) * step) / steps;
}

/** `before` up to (not including) `at`, `after` from it on. */
export function switchAt(at: number, before: SeriesInput, after: SeriesInput): (step: number) => number {
  return (step) => (step < at ? valueAt(before, step) : valueAt(after, step));
}

/**
 * Mini-batch noise: the series times exp(relative × a standard normal), seeded and fixed per step,
 * so a noisy loss is the same in every test run. Multiplicative like a real loss's batch noise,
 * and always positive.
 */
export function noisy(series: SeriesInput, relative: number, seed = 1): (step: number) => number {
  const cache: number[] = [];
  const random = createRandom(seed);
  return (step) => {
    while (cache.length <= step) cache.push(randomNormal(random));
    return valueAt(series, step) * Math.exp(relative * cache[step]!);
  };
}

// The real probe traces of the examples (see examples/<name>/convdoc.yaml).

export const FIXTURE_TRACES = [
  'boston-standardized',
  'boston-unscaled',
  'deep-sigmoid',
  'exploding-rnn',
  'iris-healthy',
  'lr-too-high',
  'lr-too-low',
  'sigmoid-regression',
  'softmax-one-unit',
] as const;
export type FixtureTrace = (typeof FIXTURE_TRACES)[number];
/** The runs that train well: no training-dynamics detector may fire on them. */
export const HEALTHY_TRACES: readonly FixtureTrace[] = ['boston-standardized', 'iris-healthy'];

/** A real probe trace, as stored (a fresh copy each call, so tests cannot share mutations). */
export function fixtureTrace(name: FixtureTrace): ProbeTrace {
  return JSON.parse(readFileSync(new URL(`../../fixtures/traces/${name}.json`, import.meta.url), 'utf8')) as ProbeTrace;
}

// Healthy runs with activation statistics, for the activation and loss-level detectors.

export interface SyntheticLayer {
  name: string;
  activation: string;
  units?: number;
  /** Activation statistics per evaluation index (not step). */
  mean?: SeriesInput;
  std?: SeriesInput;
  deadFraction?: SeriesInput;
  saturatedFraction?: SeriesInput;
  nearSaturatedFraction?: SeriesInput;
  /** Per step: the kernel's ‖Δw‖/‖w‖. Default DEFAULT_UPDATE_RATIO; null: a layer without weights. */
  updateRatio?: SeriesInput | null;
}

export interface SyntheticOptions {
  steps?: number;
  evalEvery?: number;
  chanceLoss?: number | null;
  /** Training loss per step. Default: `healthyLoss`. */
  loss?: SeriesInput;
  /** Validation loss, a function of the evaluation's step (an array: per evaluation, as in buildTrace). */
  valLoss?: SeriesInput;
  layers?: SyntheticLayer[];
}

export const DEFAULT_CHANCE = 80;
export const DEFAULT_LAYERS: SyntheticLayer[] = [
  { name: 'dense_1', activation: 'relu', units: 32 },
  { name: 'dense_2', activation: 'relu', units: 32 },
  { name: 'dense_3', activation: 'linear', units: 1 },
];
const RELU_LIKE = new Set(['relu', 'relu6', 'elu', 'selu', 'leakyRelu', 'prelu', 'thresholdedRelu']);
const SATURATING = new Set(['sigmoid', 'tanh', 'hardSigmoid']);

/** Deterministic noise in [-1, 1] for a step: mini-batch losses jump, but tests must not. */
export function jitter(step: number): number {
  const x = Math.sin(step * 12.9898 + 78.233) * 43758.5453;
  return 2 * (x - Math.floor(x)) - 1;
}

/** A healthy regression loss: from the chance level down to a tenth of it, with mini-batch noise. */
function healthyLoss(chance = DEFAULT_CHANCE): (step: number) => number {
  return (step) => chance * (0.1 + 0.9 * Math.exp(-step / 40)) * (1 + 0.2 * jitter(step));
}

/**
 * A buildTrace run with activation statistics at every evaluation: every gradient norm 1 (global
 * norm 1), each kernel and bias moving by its layer's update ratio (a bias's first ratio is NaN: it
 * starts at zero, as in a real probe), and a validation loss that falls to 0.15 × chance.
 */
export function syntheticTrace(options: SyntheticOptions = {}): ProbeTrace {
  const chance = options.chanceLoss === undefined ? DEFAULT_CHANCE : options.chanceLoss;
  const layers = options.layers ?? DEFAULT_LAYERS;
  const weighted = layers.filter((layer) => layer.updateRatio !== null);
  const variables = weighted.flatMap((layer) => [`${layer.name}/kernel`, `${layer.name}/bias`]);
  const ratioOf = (variable: string): SeriesInput => {
    const ratio = weighted.find((layer) => variable.startsWith(`${layer.name}/`))!.updateRatio ?? DEFAULT_UPDATE_RATIO;
    return variable.endsWith('/bias') ? (step) => (step === 0 ? Number.NaN : valueAt(ratio, step)) : ratio;
  };

  const trace = buildTrace({
    loss: options.loss ?? healthyLoss(chance ?? DEFAULT_CHANCE),
    steps: options.steps ?? DEFAULT_STEPS,
    evalEvery: options.evalEvery ?? DEFAULT_EVAL_EVERY,
    chanceLoss: chance,
    valLoss: options.valLoss ?? ((step) => (chance ?? DEFAULT_CHANCE) * (0.15 + 0.85 * Math.exp(-step / 40))),
    gradNorm: Object.fromEntries(variables.map((variable) => [variable, 1])),
    globalGradNorm: 1,
    updateRatio: Object.fromEntries(variables.map((variable) => [variable, ratioOf(variable)])),
    layers: layers.map((layer) => ({
      name: layer.name,
      activation: layer.activation,
      outputShape: [null, layer.units ?? 16],
      params: layer.updateRatio === null ? 0 : 16 * (layer.units ?? 16),
    })),
  });
  const perEvaluation = (series: SeriesInput) => materialize(series, trace.evalStep.length);
  const activations: ActivationTrace[] = layers.map((layer) => ({
    layer: layer.name,
    activation: layer.activation,
    mean: perEvaluation(layer.mean ?? 0.3),
    std: perEvaluation(layer.std ?? 0.5),
    deadFraction: RELU_LIKE.has(layer.activation) ? perEvaluation(layer.deadFraction ?? 0) : null,
    saturatedFraction: SATURATING.has(layer.activation) ? perEvaluation(layer.saturatedFraction ?? 0) : null,
    nearSaturatedFraction: SATURATING.has(layer.activation) ? perEvaluation(layer.nearSaturatedFraction ?? 0) : null,
  }));
  return { ...trace, activations };
}

/** 300 steps at the chance-level loss: nothing learned (a plateau). */
export const atChanceTrace = (): ProbeTrace =>
  syntheticTrace({ loss: (step) => DEFAULT_CHANCE * (1 + 0.01 * Math.sin(step)), valLoss: () => DEFAULT_CHANCE });

/** 300 steps falling to a hundredth of the chance-level loss: learned, whatever else the trace shows. */
export const learnedTrace = (): ProbeTrace =>
  syntheticTrace({
    loss: (step) => DEFAULT_CHANCE * Math.exp(-step / 50),
    valLoss: (step) => DEFAULT_CHANCE * Math.max(0.01, Math.exp(-step / 50)),
  });
