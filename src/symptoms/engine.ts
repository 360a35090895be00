/**
 * The diagnostic engine: every detector, and one pure function from what is known about a run
 * (data statistics, the config's shape, a training trace when there is one) to findings.
 */
import { configLossMismatch } from './config-loss-mismatch.js';
import type { ConfigLintInput } from './config-input.js';
import { configOutputActivation } from './config-output-activation.js';
import { configShapeMismatch } from './config-shape-mismatch.js';
import { DATA_DETECTORS } from './data-checks.js';
import type { DataCheckInput } from './data-input.js';
import { deadRelu } from './dead-relu.js';
import type { DynamicsInput, TraceOrigin } from './dynamics-input.js';
import { explodingGradients } from './exploding-gradients.js';
import type { Detector, Finding } from './finding.js';
import { lrTooHigh } from './lr-too-high.js';
import { lrTooLow } from './lr-too-low.js';
import { nanLoss } from './nan-loss.js';
import { oscillatingLoss } from './oscillating-loss.js';
import { overfitting } from './overfitting.js';
import { plateau } from './plateau.js';
import { saturatedActivations } from './saturated-activations.js';
import { traceSignals, type Signal } from './signal-needs.js';
import type { SymptomId } from './ids.js';
import { unstableActivations } from './unstable-activations.js';
import { vanishingGradients } from './vanishing-gradients.js';

const CONFIG_DETECTORS: readonly Detector<ConfigLintInput>[] = [
  configOutputActivation,
  configLossMismatch,
  configShapeMismatch,
];

export const DYNAMICS_DETECTORS: readonly Detector<DynamicsInput>[] = [
  nanLoss,
  explodingGradients,
  vanishingGradients,
  deadRelu,
  saturatedActivations,
  lrTooHigh,
  oscillatingLoss,
  lrTooLow,
  plateau,
  unstableActivations,
  overfitting,
];

/** Every detector, for the docs and the meta-test. */
export const ALL_DETECTORS: readonly Detector<never>[] = [
  ...DATA_DETECTORS,
  ...CONFIG_DETECTORS,
  ...DYNAMICS_DETECTORS,
];

export interface EngineInput {
  /** The dataset's statistics; absent when judging a log alone. */
  data?: DataCheckInput;
  config?: ConfigLintInput;
  trace?: DynamicsInput['trace'];
  /** Where the trace comes from (default `probe`). */
  origin?: TraceOrigin;
}

export interface NotEvaluated {
  symptom: SymptomId;
  /** The signals it needs that the input lacks. */
  needs: Signal[];
}

/** The signals an engine input holds: the trace's series, and the data and config when given. */
export function availableSignals({ data, config, trace }: EngineInput): Set<Signal> {
  const signals = trace === undefined ? new Set<Signal>() : traceSignals(trace);
  if (data !== undefined) signals.add('data');
  if (config !== undefined) signals.add('config');
  return signals;
}

/** Every detector that cannot run on these signals, with the signals it lacks, in ALL_DETECTORS order. */
export function notEvaluated(available: ReadonlySet<Signal>): NotEvaluated[] {
  return ALL_DETECTORS.flatMap((detector) => {
    const missing = detector.needs.filter((signal) => !available.has(signal));
    return missing.length === 0 ? [] : [{ symptom: detector.id, needs: missing }];
  });
}

/** Runs every detector whose signals the input holds; the others are left out (see notEvaluated). */
export function findSymptoms(input: EngineInput): Finding[] {
  const available = availableSignals(input);
  const evaluated = <Input>(detectors: readonly Detector<Input>[]) =>
    detectors.filter((detector) => detector.needs.every((signal) => available.has(signal)));
  const { data, config, trace, origin = 'probe' } = input;
  return [
    ...(data === undefined ? [] : evaluated(DATA_DETECTORS).flatMap((detector) => detector.detect(data))),
    ...(config === undefined ? [] : evaluated(CONFIG_DETECTORS).flatMap((detector) => detector.detect(config))),
    ...(trace === undefined
      ? []
      : evaluated(DYNAMICS_DETECTORS).flatMap((detector) => detector.detect({ trace, origin }))),
  ];
}
