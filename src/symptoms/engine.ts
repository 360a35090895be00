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
import type { DynamicsInput } from './dynamics-input.js';
import { explodingGradients } from './exploding-gradients.js';
import type { Detector, Finding } from './finding.js';
import { lrTooHigh } from './lr-too-high.js';
import { lrTooLow } from './lr-too-low.js';
import { nanLoss } from './nan-loss.js';
import { oscillatingLoss } from './oscillating-loss.js';
import { overfitting } from './overfitting.js';
import { plateau } from './plateau.js';
import { saturatedActivations } from './saturated-activations.js';
import { unstableActivations } from './unstable-activations.js';
import { vanishingGradients } from './vanishing-gradients.js';

export const CONFIG_DETECTORS: readonly Detector<ConfigLintInput>[] = [configOutputActivation, configLossMismatch, configShapeMismatch];

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
export const ALL_DETECTORS: readonly Detector<never>[] = [...DATA_DETECTORS, ...CONFIG_DETECTORS, ...DYNAMICS_DETECTORS];

export interface EngineInput {
  data: DataCheckInput;
  config?: ConfigLintInput;
  trace?: DynamicsInput['trace'];
}

export function findSymptoms({ data, config, trace }: EngineInput): Finding[] {
  return [
    ...DATA_DETECTORS.flatMap((detector) => detector.detect(data)),
    ...(config === undefined ? [] : CONFIG_DETECTORS.flatMap((detector) => detector.detect(config))),
    ...(trace === undefined ? [] : DYNAMICS_DETECTORS.flatMap((detector) => detector.detect({ trace }))),
  ];
}
