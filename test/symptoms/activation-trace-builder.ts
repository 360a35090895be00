/**
 * Synthetic probe traces for the dynamics detectors (dead-relu, saturated-activations,
 * unstable-activations, lr-too-low, plateau, overfitting), and the real example traces of
 * fixtures/traces. A synthetic trace is a healthy run unless overridden: a three-layer ReLU MLP on a
 * regression target whose loss falls from the chance level to a tenth of it.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { ActivationTrace, ProbeTrace } from '../../src/probe/trace.js';
import type { Finding } from '../../src/symptoms/finding.js';

/** The examples whose probe traces are stored in fixtures/traces. */
export const EXAMPLES = [
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
export type Example = (typeof EXAMPLES)[number];
/** The runs that train well: no dynamics detector may fire on them. */
export const HEALTHY_EXAMPLES: readonly Example[] = ['boston-standardized', 'iris-healthy'];

const cache = new Map<Example, string>();

/** A real probe trace (a fresh copy: detectors and tests may not share mutations). */
export function exampleTrace(name: Example): ProbeTrace {
  if (!cache.has(name)) cache.set(name, readFileSync(new URL(`../../fixtures/traces/${name}.json`, import.meta.url), 'utf8'));
  // Read as stored: JSON has no NaN, so the probe's NaN values (a bias's first update ratio) are null here, as in any saved trace.
  return JSON.parse(cache.get(name)!) as ProbeTrace;
}

/**
 * A value per step or evaluation: a constant, or a function of the step for the per-step series
 * (loss, updateRatio) and the validation loss, of the evaluation's index for activation statistics.
 */
export type Series = number | ((at: number) => number);

export interface LayerOptions {
  name: string;
  activation: string;
  units?: number;
  mean?: Series;
  std?: Series;
  deadFraction?: Series;
  saturatedFraction?: Series;
  nearSaturatedFraction?: Series;
  /** Per step: the kernel's ‖Δw‖/‖w‖. Default DEFAULT_UPDATE_RATIO; null: a layer without weights. */
  updateRatio?: Series | null;
}

export interface TraceOptions {
  steps?: number;
  evalEvery?: number;
  chanceLoss?: number | null;
  learningRate?: number;
  /** Training loss per step. */
  loss?: Series;
  /** Validation loss per evaluation step (the step, not the index). */
  valLoss?: Series;
  layers?: LayerOptions[];
}

export const DEFAULT_CHANCE = 80;
export const DEFAULT_UPDATE_RATIO = 1e-3;
const RELU_LIKE = new Set(['relu', 'relu6', 'elu', 'selu', 'leakyRelu', 'prelu', 'thresholdedRelu']);
const SATURATING = new Set(['sigmoid', 'tanh', 'hardSigmoid']);

/** A healthy regression loss: from the chance level down to a tenth of it, with mini-batch noise. */
export function healthyLoss(chance = DEFAULT_CHANCE): (step: number) => number {
  return (step) => chance * (0.1 + 0.9 * Math.exp(-step / 40)) * (1 + 0.2 * jitter(step));
}

/** Deterministic noise in [-1, 1] for a step: mini-batch losses jump, but tests must not. */
export function jitter(step: number): number {
  const x = Math.sin(step * 12.9898 + 78.233) * 43758.5453;
  return 2 * (x - Math.floor(x)) - 1;
}

/** A series that is `before` until `step` and `after` from it on: a jump in a per-step or per-evaluation series. */
export function from(step: number, before: number, after: number): (at: number) => number {
  return (at) => (at < step ? before : after);
}

export const DEFAULT_LAYERS: LayerOptions[] = [
  { name: 'dense_1', activation: 'relu', units: 32 },
  { name: 'dense_2', activation: 'relu', units: 32 },
  { name: 'dense_3', activation: 'linear', units: 1 },
];

export function syntheticTrace(options: TraceOptions = {}): ProbeTrace {
  const steps = options.steps ?? 300;
  const evalEvery = options.evalEvery ?? 10;
  const chance = options.chanceLoss === undefined ? DEFAULT_CHANCE : options.chanceLoss;
  const loss = options.loss ?? healthyLoss(chance ?? DEFAULT_CHANCE);
  const valLoss = options.valLoss ?? ((step: number) => (chance ?? DEFAULT_CHANCE) * (0.15 + 0.85 * Math.exp(-step / 40)));
  const layers = options.layers ?? DEFAULT_LAYERS;
  const step = Array.from({ length: steps }, (_, k) => k);
  const evalStep = [...step.filter((k) => k % evalEvery === 0), steps];
  const at = (series: Series, x: number) => (typeof series === 'number' ? series : series(x));
  const perEvaluation = (series: Series) => evalStep.map((_, index) => at(series, index));
  const weighted = layers.filter((layer) => layer.updateRatio !== null);
  const variables = weighted.flatMap((layer) => [`${layer.name}/kernel`, `${layer.name}/bias`]);
  const perVariable = <T>(value: (variable: string) => T) => Object.fromEntries(variables.map((variable) => [variable, value(variable)]));
  const layerOf = (variable: string) => layers.find((layer) => variable.startsWith(`${layer.name}/`))!;

  const activations: ActivationTrace[] = layers.map((layer) => ({
    layer: layer.name,
    activation: layer.activation,
    mean: perEvaluation(layer.mean ?? 0.3),
    std: perEvaluation(layer.std ?? 0.5),
    deadFraction: RELU_LIKE.has(layer.activation) ? perEvaluation(layer.deadFraction ?? 0) : null,
    saturatedFraction: SATURATING.has(layer.activation) ? perEvaluation(layer.saturatedFraction ?? 0) : null,
    nearSaturatedFraction: SATURATING.has(layer.activation) ? perEvaluation(layer.nearSaturatedFraction ?? 0) : null,
  }));
  return {
    backend: 'cpu',
    tfjsVersion: '4.22.0',
    lossName: 'meanSquaredError',
    stepsPlanned: steps,
    stepsRun: steps,
    stoppedEarly: null,
    nanStep: null,
    seconds: 0,
    initialLoss: at(loss, 0),
    chanceLoss: chance,
    layers: layers.map((layer) => ({
      name: layer.name,
      type: 'dense',
      activation: layer.activation,
      outputShape: [null, layer.units ?? 16],
      params: layer.updateRatio === null ? 0 : 16 * (layer.units ?? 16),
    })),
    step,
    loss: step.map((k) => at(loss, k)),
    learningRate: step.map(() => options.learningRate ?? 0.01),
    globalGradNorm: step.map(() => 1),
    globalUpdateNorm: step.map(() => 0.01),
    gradNorm: perVariable(() => step.map(() => 1)),
    updateRatio: perVariable((variable) => {
      const ratio = layerOf(variable).updateRatio ?? DEFAULT_UPDATE_RATIO;
      // A bias starts at zero: its first ratio is undefined, as in a real probe.
      return step.map((k) => (variable.endsWith('/bias') && k === 0 ? Number.NaN : at(ratio, k)));
    }),
    nonFiniteSteps: perVariable(() => []),
    evalStep,
    valLoss: evalStep.map((k) => at(valLoss, k)),
    valMetric: null,
    activations,
  };
}

/** The one finding a detector returned. */
export function onlyFinding(findings: Finding[]): Finding {
  expect(findings).toHaveLength(1);
  return findings[0]!;
}
