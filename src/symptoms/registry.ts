/**
 * The detector registry: every detector once, by what it judges. Within a group, the order is the
 * order findings of equal rank and `notEvaluated` list them. A symptom id of ids.ts without a
 * detector here does not compile.
 */
import { classImbalance } from './class-imbalance.js';
import type { ConfigLintInput } from './config-input.js';
import { configLossMismatch } from './config-loss-mismatch.js';
import { configOutputActivation } from './config-output-activation.js';
import { configShapeMismatch } from './config-shape-mismatch.js';
import { dataConstantColumn } from './data-constant-column.js';
import type { DataCheckInput } from './data-input.js';
import { dataLabelInvalid } from './data-label-invalid.js';
import { dataNan } from './data-nan.js';
import { deadRelu } from './dead-relu.js';
import type { DynamicsInput } from './dynamics-input.js';
import { explodingGradients } from './exploding-gradients.js';
import { frozenAccuracyRun } from './frozen-accuracy.js';
import { frozenRun } from './frozen-run.js';
import type { Detector } from './finding.js';
import type { SymptomId } from './ids.js';
import { lrTooHigh } from './lr-too-high.js';
import { lrTooLow } from './lr-too-low.js';
import { lossSpikes } from './loss-spikes.js';
import { lossesRiseTogether } from './losses-rise-together.js';
import { nanLoss } from './nan-loss.js';
import { notLearning } from './not-learning.js';
import { oscillatingLoss } from './oscillating-loss.js';
import { overfitting } from './overfitting.js';
import { overfittingValidationOnly } from './overfitting-validation-only.js';
import { overfittingOnAccuracy } from './overfitting-on-accuracy.js';
import { overfittingOnScore } from './overfitting-on-score.js';
import { plateau } from './plateau.js';
import { saturatedActivations } from './saturated-activations.js';
import { stuckAtChance } from './stuck-at-chance.js';
import { unscaledInputs } from './unscaled-inputs.js';
import { unscaledTarget } from './unscaled-target.js';
import { unstableActivations } from './unstable-activations.js';
import { vanishingGradients } from './vanishing-gradients.js';

export interface DetectorRegistry {
  /** Judge a dataset's statistics, before any training. */
  data: readonly Detector<DataCheckInput>[];
  /** Judge the model and training config. */
  config: readonly Detector<ConfigLintInput>[];
  /** Judge a run record: a probe's trace or a log. */
  dynamics: readonly Detector<DynamicsInput>[];
}

type Registered<Registry extends DetectorRegistry> = Registry[keyof DetectorRegistry][number]['id'];
/** A registry of every symptom compiles; one that leaves a symptom out names it (`unregistered: 'plateau'`). */
type NamesEverySymptom<Registry extends DetectorRegistry> = [Exclude<SymptomId, Registered<Registry>>] extends [never]
  ? unknown
  : { unregistered: Exclude<SymptomId, Registered<Registry>> };

function everySymptom<const Registry extends DetectorRegistry>(
  registry: Registry & NamesEverySymptom<Registry>,
): DetectorRegistry {
  return registry;
}

export const DETECTORS = everySymptom({
  data: [dataNan, dataLabelInvalid, dataConstantColumn, unscaledInputs, unscaledTarget, classImbalance],
  config: [configOutputActivation, configLossMismatch, configShapeMismatch],
  dynamics: [
    nanLoss,
    explodingGradients,
    vanishingGradients,
    deadRelu,
    saturatedActivations,
    lrTooHigh,
    lossesRiseTogether,
    lossSpikes,
    oscillatingLoss,
    lrTooLow,
    plateau,
    frozenRun,
    stuckAtChance,
    frozenAccuracyRun,
    notLearning,
    unstableActivations,
    overfitting,
    overfittingValidationOnly,
    overfittingOnAccuracy,
    overfittingOnScore,
  ],
});

/** Every detector, data first, then config, then dynamics: the docs, the meta-test and `notEvaluated` list them so. */
export function allDetectors(registry: DetectorRegistry = DETECTORS): readonly Detector<never>[] {
  return [...registry.data, ...registry.config, ...registry.dynamics];
}
