import { formatNumber, plural } from '../util/format.js';
import type { ConfigLintInput, OutputLayer } from './config-input.js';
import { LOSS_FAMILY } from '../config/losses.js';
import {
  ACTIVATION_RANGES,
  activationEdit,
  constantOutput,
  formatRange,
  isPerUnitLoss,
  outputLayerKey,
  taskWording,
} from './config-lint-input.js';
import { intendedLoss, lossOutputProblem, upperFirst } from './config-loss-mismatch.js';
import { defineDetector, type Detection } from './finding.js';

/**
 * The output activation cannot produce the target: a softmax over one unit (constant), a bounded
 * activation for a regression target outside its bounds, a softmax for labels that co-occur; and an
 * output the loss cannot read when the edit goes to the activation (config-loss-mismatch's
 * `lossOutputProblem` decides; when it edits the loss, the finding is config-loss-mismatch's).
 */

/** Exact mathematical rules: the output cannot take the values the target needs. */
export const RULE_CONFIDENCE = 0.99;
/** Rules about what a loss reads, shared with config-loss-mismatch. */
const LOSS_RULE_CONFIDENCE = 0.98;

/**
 * The activation that replaces a constant one-unit output: sigmoid gives a binary or multilabel
 * unit its probability (Keras' binary classifier), linear leaves a regression output unbounded.
 */
const ONE_UNIT_REPLACEMENT = { regression: 'linear', classification: 'sigmoid' } as const;
/** A regression output takes any value: linear, tfjs-layers' default for dense layers. */
const REGRESSION_ACTIVATION = 'linear';
/** Independent labels need independent probabilities: sigmoid per unit (Keras' multilabel recipe). */
const MULTILABEL_ACTIVATION = 'sigmoid';

export const configOutputActivation = defineDetector({
  id: 'config-output-activation',
  description:
    "The output layer's activation cannot produce the target: softmax over one unit is always 1, a sigmoid/tanh/ReLU output cannot reach a regression target outside its range, softmax cannot predict several labels at once.",
  fixes: [],
  needs: ['config'],
  remedy:
    'Give the output layer the activation the task needs: linear for regression, sigmoid for binary and multilabel targets (one unit per label), softmax over one unit per class for multiclass targets.',
  detect(input: ConfigLintInput) {
    const { output } = input;
    if (output === null) return [];
    // Softmax over one unit. With a class loss the missing units are the bug: config-shape-mismatch.
    if (constantOutput(output) !== undefined)
      return isPerUnitLoss(intendedLoss(input)) ? [constantOutputFinding(input, output)] : [];
    return [
      regressionRangeFinding(input, output),
      multilabelSoftmaxFinding(input, output),
      lossReadingFinding(input, output),
    ].filter((finding) => finding !== undefined);
  },
});

type Fields = Pick<Detection, 'severity' | 'confidence' | 'evidence' | 'message' | 'edit' | 'advice'>;

function finding(output: OutputLayer, fields: Fields): Detection {
  return {
    layer: outputLayerKey(output),
    // Here, not after the message: the JSON report has always listed this finding's fixes second.
    fixes: [],
    ...fields,
  };
}

function constantOutputFinding(input: ConfigLintInput, output: OutputLayer): Detection {
  const { edit, sentence } = activationEdit(
    output,
    input.task === 'regression' ? ONE_UNIT_REPLACEMENT.regression : ONE_UNIT_REPLACEMENT.classification,
  );
  return finding(output, {
    severity: 'critical',
    confidence: RULE_CONFIDENCE,
    evidence: {
      measured: 1,
      threshold: 2,
      what: `output units under ${output.activation}, which normalizes over the units (it needs 2 or more to vary)`,
    },
    message: `${upperFirst(output.activation)} over a single output unit always outputs ${constantOutput(output)} (it normalizes the unit by itself), so the prediction never changes and the model cannot learn. ${sentence}`,
    advice: sentence,
    edit,
  });
}

/** A bounded activation under a regression target that leaves its bounds. */
function regressionRangeFinding(input: ConfigLintInput, output: OutputLayer): Detection | undefined {
  const range = ACTIVATION_RANGES[output.activation];
  const target = input.targetRange;
  // A probability loss on soft regression targets wants a sigmoid: config-loss-mismatch's rule.
  if (input.task !== 'regression' || range === undefined || target === null) return undefined;
  if (LOSS_FAMILY[intendedLoss(input)] === 'probability') return undefined;
  const above = target.max > range.max;
  const below = target.min < range.min;
  if (!above && !below) return undefined;
  const { edit, sentence } = activationEdit(output, REGRESSION_ACTIVATION);
  const side = above
    ? { measured: target.max, threshold: range.max, bound: 'upper', words: `above ${formatNumber(range.max)}` }
    : { measured: target.min, threshold: range.min, bound: 'lower', words: `below ${formatNumber(range.min)}` };
  const outside = above && below ? `above ${formatNumber(range.max)} or below ${formatNumber(range.min)}` : side.words;
  return finding(output, {
    severity: 'critical',
    confidence: RULE_CONFIDENCE,
    evidence: {
      measured: side.measured,
      threshold: side.threshold,
      what: `${above ? 'largest' : 'smallest'} target value vs the ${side.bound} bound of the ${output.activation} output`,
    },
    message: `The regression target spans ${formatNumber(target.min)} to ${formatNumber(target.max)}, but a ${output.activation} output only produces values in ${formatRange(range)}: the model cannot predict targets ${outside}. ${sentence}`,
    advice: `${sentence} A regression output is linear (scale the target instead if you want it bounded).`,
    edit,
  });
}

/** Softmax over multilabel columns: it can predict only one label per row. */
function multilabelSoftmaxFinding(input: ConfigLintInput, output: OutputLayer): Detection | undefined {
  const { units } = output;
  if (input.task !== 'multilabel' || input.labelForm !== 'columns' || output.activation !== 'softmax') return undefined;
  if (units === null || units < 2) return undefined;
  const { edit, sentence } = activationEdit(output, MULTILABEL_ACTIVATION);
  return finding(output, {
    severity: 'critical',
    confidence: RULE_CONFIDENCE,
    evidence: {
      measured: input.targetColumns.length,
      threshold: 1,
      what: 'labels a multilabel row may carry vs the one class a softmax output can predict',
    },
    message: `Softmax makes the ${plural(units, 'output unit')} sum to 1, but a multilabel row can carry several of its ${input.targetColumns.length} labels at once: rows with two labels can never be predicted. ${sentence}`,
    advice: `${sentence} Each label then gets its own probability.`,
    edit,
  });
}

/** The loss (written or chosen by convdoc) against the output, when the activation is what must change. */
function lossReadingFinding(input: ConfigLintInput, output: OutputLayer): Detection | undefined {
  const problem = lossOutputProblem(input);
  if (problem === undefined || problem.edit.key === 'training.loss') return undefined;
  const sentence = problem.sentence.replace(/\.$/, '');
  return finding(output, {
    severity: problem.severity,
    confidence: LOSS_RULE_CONFIDENCE,
    evidence: problem.evidence,
    message: input.lossFromConfig
      ? `${upperFirst(problem.reason)}. ${problem.sentence}`
      : `training.loss is not set, so convdoc trains ${taskWording(input)} with ${input.loss}. ${upperFirst(problem.reason)}. ${problem.sentence}`,
    advice: input.lossFromConfig
      ? `${sentence}, or change training.loss if that output is what you meant.`
      : `${sentence}, or write the training.loss your model is built for.`,
    edit: problem.edit,
  });
}
