import { FROM_LOGITS_LOSSES, LOSS_FAMILY, type LossFamily, type LossName } from '../config/losses.js';
import { formatNumber, plural } from '../util/format.js';
import type { ConfigLintInput, OutputLayer } from './config-input.js';
import {
  ACTIVATION_RANGES,
  activationEdit,
  constantOutput,
  editSentence,
  formatRange,
  NORMALIZING_LOSSES,
  outputLayerKey,
  outputsProbabilities,
  taskWording,
} from './config-lint-input.js';
import { type ConfigEdit, defineDetector, type Evidence, type Detection } from './finding.js';
import type { Severity } from './ids.js';

/**
 * The loss written in the config does not fit the task, the labels' form or the output
 * activation. Only a loss the user wrote is judged here (`lossFromConfig`): a loss convdoc chose
 * for the task is right for the task by construction, and when the output does not fit it,
 * config-output-activation or config-shape-mismatch says so.
 *
 * Ownership of the rules, so that every edit is made by exactly one detector:
 * - the loss against the task and label form: here (edit `training.loss`);
 * - the loss against the output activation (a probability loss on outputs that are not
 *   probabilities, a normalizing loss without softmax): `lossOutputProblem` decides which side is
 *   wrong, and the finding's id names what its edit changes, as a bug benchmark's fault type does:
 *   here when the edit is to `training.loss`, config-output-activation when it is to the output's
 *   activation (usually, since the loss fits the task);
 * - the output's units: config-shape-mismatch, judged against the loss after these edits.
 */

type Verdict = 'fits' | 'warning' | 'critical';
/** The task and the labels' form, as the losses tell them apart. */
type LabelCase =
  'regression' | 'binary-ids' | 'binary-columns' | 'multilabel-columns' | 'multiclass-ids' | 'multiclass-columns';

/**
 * How each loss family fits each task, as Keras computes the loss:
 * - regression targets are numbers: class losses read them as labels or ids (critical; the one
 *   exception, binaryCrossentropy on soft targets within [0, 1], is handled in `lossVerdict`);
 * - a regression loss on 0/1 labels or one-hot columns learns, but slowly: its gradient vanishes as a
 *   sigmoid/softmax output saturates, which is why Keras' guides pair classifiers with
 *   cross-entropy (warning); on a column of class ids it regresses the ids as numbers (critical);
 * - sparseCategoricalCrossentropy reads one column of ids, categoricalCrossentropy (and KL
 *   divergence, categorical hinge) one 0/1 column per class: the other form is critical (Keras
 *   compares every id with every unit, tfjs-layers rejects the shape);
 * - an exclusive-class loss on multilabel columns assumes one class per row (critical);
 * - binaryCrossentropy and hinge on class ids read ids above 1 as labels past 1 (critical); on
 *   one-hot columns they score each class one-vs-rest, which learns but ignores that exactly one
 *   class is true, and Keras' `accuracy` becomes binary accuracy (warning).
 * A single 0/1 multilabel column is a binary target.
 */
const LOSS_FIT: Readonly<Record<LabelCase, Readonly<Record<LossFamily, Verdict>>>> = {
  regression: {
    regression: 'fits',
    probability: 'critical',
    sparse: 'critical',
    onehot: 'critical',
    margin: 'critical',
  },
  'binary-ids': { regression: 'warning', probability: 'fits', sparse: 'fits', onehot: 'critical', margin: 'fits' },
  'binary-columns': { regression: 'warning', probability: 'fits', sparse: 'critical', onehot: 'fits', margin: 'fits' },
  'multilabel-columns': {
    regression: 'warning',
    probability: 'fits',
    sparse: 'critical',
    onehot: 'critical',
    margin: 'fits',
  },
  'multiclass-ids': {
    regression: 'critical',
    probability: 'critical',
    sparse: 'fits',
    onehot: 'critical',
    margin: 'critical',
  },
  'multiclass-columns': {
    regression: 'warning',
    probability: 'warning',
    sparse: 'critical',
    onehot: 'fits',
    margin: 'warning',
  },
};

/** binaryCrossentropy accepts any target in [0, 1] (soft labels), so it fits a regression target inside it. */
const PROBABILITY_TARGET_RANGE = { min: 0, max: 1 } as const;

/** What each loss family reads from the target, for messages. */
const READS: Readonly<Record<LossFamily, string>> = {
  regression: 'the target as numbers to approach',
  probability: 'each target column as a 0/1 label (a probability)',
  sparse: 'one column of class ids',
  onehot: 'one 0/1 column per class, with a single 1 in each row',
  margin: 'each target column as a 0/1 label (taken as -1/+1)',
};

const CONFIDENCE = { critical: 0.98, warning: 0.95 } as const;

export interface LossProblem {
  severity: Severity;
  edit: ConfigEdit;
  /** The edit in words ("Change training.loss from ... to ..."). */
  sentence: string;
  evidence: Evidence;
  /** The problem, in a sentence without the edit. */
  reason: string;
}

function lossEdit(from: LossName, to: LossName): Pick<LossProblem, 'edit' | 'sentence'> {
  const edit: ConfigEdit = { key: 'training.loss', from, to };
  return { edit, sentence: editSentence(edit) };
}

function labelCase(input: ConfigLintInput): LabelCase {
  if (input.task === 'regression') return 'regression';
  const form = input.labelForm === 'columns' ? 'columns' : 'ids';
  if (input.task === 'multilabel') return form === 'columns' ? 'multilabel-columns' : 'binary-ids';
  return `${input.task}-${form}`;
}

/** Whether the output is a softmax over two or more units: the model of a 2-class softmax classifier. */
function softmaxOverClasses(input: ConfigLintInput): boolean {
  return input.output !== null && input.output.activation === 'softmax' && (input.output.units ?? 0) >= 2;
}

/** The Keras loss for the task and label form (and, for a binary task, for a softmax output). */
function rightLoss(input: ConfigLintInput): LossName {
  if (input.task === 'regression') return 'meanSquaredError';
  const classLoss: LossName =
    input.labelForm === 'columns' ? 'categoricalCrossentropy' : 'sparseCategoricalCrossentropy';
  if (input.task === 'multiclass') return classLoss;
  return input.task === 'binary' && softmaxOverClasses(input) ? classLoss : 'binaryCrossentropy';
}

/** The written loss against the task and label form; undefined when it fits (or convdoc chose it). */
function taskLossProblem(input: ConfigLintInput): LossProblem | undefined {
  if (!input.lossFromConfig) return undefined;
  const { loss } = input;
  const family = LOSS_FAMILY[loss];
  const labels = labelCase(input);
  let verdict = LOSS_FIT[labels][family];
  const range = input.targetRange;
  if (
    labels === 'regression' &&
    family === 'probability' &&
    range !== null &&
    range.min >= PROBABILITY_TARGET_RANGE.min &&
    range.max <= PROBABILITY_TARGET_RANGE.max
  ) {
    verdict = 'fits';
  }
  // A normalizing loss over one unit divides the output by itself: 1, a constant loss, no gradient.
  const oneUnit =
    input.output?.units === 1 &&
    NORMALIZING_LOSSES.has(loss) &&
    input.task !== 'regression' &&
    input.task !== 'multiclass';
  // ...unless that unit is a softmax: then the missing units are the bug (config-shape-mismatch).
  if (oneUnit && constantOutput(input.output) === undefined) verdict = 'critical';
  if (verdict === 'fits') return undefined;
  const severity: Severity = verdict;
  const edit = lossEdit(loss, rightLoss(input));
  if (oneUnit && constantOutput(input.output) === undefined) {
    return {
      severity,
      ...edit,
      evidence: {
        measured: 1,
        threshold: 2,
        what: `output units under ${loss}, which divides the outputs by their sum`,
      },
      reason: `${loss} divides the outputs by their sum, and over the single output unit that is always 1: the loss never changes and the model learns nothing`,
    };
  }
  return { severity, ...edit, ...taskReason(input, labels, family, range) };
}

type Reason = Pick<LossProblem, 'evidence' | 'reason'>;

/** Why the written loss does not fit the task and label form, one rule per kind of mismatch. */
function taskReason(
  input: ConfigLintInput,
  labels: LabelCase,
  family: LossFamily,
  range: ConfigLintInput['targetRange'],
): Reason {
  const classes = input.classCount ?? input.targetColumns.length;
  if (labels === 'regression') return classLossOnNumbers(input.loss, family, range);
  if (family === 'regression') return numberLossOnClasses(input.loss, labels, classes);
  if (family === 'sparse') return idLossOnColumns(input.loss, labels, input.targetColumns.length);
  if (family === 'onehot') return columnLossOnOtherLabels(input.loss, labels, input.targetColumns.length, classes);
  if (labels === 'multiclass-ids') {
    return {
      evidence: {
        measured: classes - 1,
        threshold: 1,
        what: `largest class id vs the largest label ${input.loss} reads`,
      },
      reason: `${input.loss} reads ${READS[family]}, but the target holds class ids up to ${classes - 1}`,
    };
  }
  return {
    evidence: { measured: classes, threshold: 2, what: `classes ${input.loss} scores one-vs-rest` },
    reason: `${input.loss} scores each of the ${classes} classes as a separate yes/no (one-vs-rest), ignoring that exactly one is true: it learns, but worse than categoricalCrossentropy, and Keras' accuracy metric becomes binary accuracy, which looks far better than the model is`,
  };
}

/** A class loss on a regression target; binaryCrossentropy only past [0, 1]. */
function classLossOnNumbers(loss: LossName, family: LossFamily, range: ConfigLintInput['targetRange']): Reason {
  const spans =
    range === null
      ? 'a continuous value'
      : `a continuous value from ${formatNumber(range.min)} to ${formatNumber(range.max)}`;
  const evidence: Evidence =
    family !== 'probability' || range === null
      ? { measured: 0, threshold: 2, what: `classes in a regression target vs the 2 or more ${loss} needs` }
      : range.max > PROBABILITY_TARGET_RANGE.max
        ? {
            measured: range.max,
            threshold: PROBABILITY_TARGET_RANGE.max,
            what: `largest target value vs the largest label ${loss} reads`,
          }
        : {
            measured: range.min,
            threshold: PROBABILITY_TARGET_RANGE.min,
            what: `smallest target value vs the smallest label ${loss} reads`,
          };
  return { evidence, reason: `${loss} reads ${READS[family]}, but the target is ${spans}` };
}

/** A regression loss on class ids (critical) or on 0/1 label columns (slow). */
function numberLossOnClasses(loss: LossName, labels: LabelCase, classes: number): Reason {
  if (labels === 'multiclass-ids') {
    return {
      evidence: { measured: classes, threshold: 1, what: `classes whose ids ${loss} regresses as one number` },
      reason: `${loss} regresses the class ids as numbers, as if class 1 lay between classes 0 and 2: it cannot learn ${classes} unordered classes`,
    };
  }
  return {
    evidence: {
      measured: classes,
      threshold: 1,
      what: `classes whose 0/1 labels ${loss} treats as numbers to approach`,
    },
    reason: `${loss} treats the 0/1 labels as numbers to approach: it learns, but its gradient vanishes as a sigmoid or softmax output saturates, so it trains far slower than cross-entropy and does not estimate probabilities`,
  };
}

/** sparseCategoricalCrossentropy on label columns. */
function idLossOnColumns(loss: LossName, labels: LabelCase, columns: number): Reason {
  const what =
    labels === 'multilabel-columns' ? '0/1 label columns (several may be 1 in a row)' : 'one-hot label columns';
  return {
    evidence: { measured: columns, threshold: 1, what: `target columns vs the one column of class ids ${loss} reads` },
    reason: `${loss} reads ${READS.sparse}, but the target is ${columns} ${what}`,
  };
}

/** A one-hot loss on multilabel columns or on one column of class ids. */
function columnLossOnOtherLabels(loss: LossName, labels: LabelCase, columns: number, classes: number): Reason {
  if (labels === 'multilabel-columns') {
    return {
      evidence: {
        measured: columns,
        threshold: 1,
        what: `labels a multilabel row may carry vs the one class ${loss} assumes`,
      },
      reason: `${loss} assumes exactly one class per row, but a multilabel row can carry several of its ${columns} labels: the loss rewards spreading one unit of probability over them`,
    };
  }
  return {
    evidence: {
      measured: 1,
      threshold: classes,
      what: `label columns vs the one-hot columns ${loss} reads (one per class)`,
    },
    reason: `${loss} reads ${READS.onehot}, but the target is one column of class ids: Keras compares each id with every unit, and tfjs-layers rejects the shape`,
  };
}

/** The loss the other rules judge the output against: the written one after this detector's edit. */
function lossAfterTaskRule(input: ConfigLintInput): LossName {
  const problem = taskLossProblem(input);
  return problem === undefined ? input.loss : (problem.edit.to as LossName);
}

/**
 * The loss against the output activation; undefined when they fit. When the loss is convdoc's
 * choice, the edit always goes to the output (the user wrote no loss to blame).
 * - binaryCrossentropy reads every output as a probability: outputs outside [0, 1] are clipped to
 *   Keras' epsilon, where the gradient is zero (critical, edit → sigmoid);
 * - binaryCrossentropy on a softmax over several units with one 0/1 label column pushes every unit
 *   toward the same label while softmax makes them sum to 1: it cannot fit (critical; edit → the
 *   sparse categorical loss, which is what a softmax classifier needs);
 * - normalizing losses divide the outputs by their sum: outputs that can be negative or all zero
 *   give negative "probabilities" or 0/0 = NaN (critical); strictly positive ones (sigmoid,
 *   softplus) are normalized into a distribution and train, but predictions do not sum to 1 and the
 *   gradient is not softmax cross-entropy's (warning). Edit → softmax.
 * - with from_logits the loss applies the sigmoid or softmax itself: any unbounded output is a
 *   logit and fits; an output that already is a probability is squashed twice (see logitsProblem).
 * A constant one-unit output (softmax over one unit) is config-output-activation's alone.
 */
export function lossOutputProblem(input: ConfigLintInput): LossProblem | undefined {
  const { output } = input;
  if (output === null || constantOutput(output) !== undefined) return undefined;
  const loss = lossAfterTaskRule(input);
  const words = outputWords(output);
  if (input.fromLogits === true && FROM_LOGITS_LOSSES.has(loss)) return logitsProblem(output, loss, words);
  if (LOSS_FAMILY[loss] === 'probability') return probabilityLossProblem(input, output, words);
  if (NORMALIZING_LOSSES.has(loss) && output.units !== 1 && output.activation !== 'softmax')
    return normalizingLossProblem(output, loss, words);
  return undefined;
}

/** How messages name the output and its values ("the 3 output units give sigmoid values in (0, 1)"). */
function outputWords({ units, activation }: OutputLayer) {
  const range = ACTIVATION_RANGES[activation];
  return {
    range,
    shown: units === null ? 'the output' : units === 1 ? 'the output unit' : `the ${plural(units, 'output unit')}`,
    gives: units === null || units === 1 ? 'gives' : 'give',
    valued: range === undefined ? `${activation} values` : `${activation} values in ${formatRange(range)}`,
  };
}

type OutputWords = ReturnType<typeof outputWords>;

function probabilityLossProblem(
  input: ConfigLintInput,
  output: OutputLayer,
  words: OutputWords,
): LossProblem | undefined {
  const { activation, units } = output;
  if (activation === 'softmax' && units !== null && units >= 2 && input.labelForm === 'ids') {
    const evidence: Evidence = {
      measured: units,
      threshold: 1,
      what: 'softmax output units for one 0/1 label column under binaryCrossentropy',
    };
    const reason = `binaryCrossentropy pushes each of ${words.shown} toward the one 0/1 label, but softmax makes them sum to 1: they cannot all be right`;
    if (input.lossFromConfig)
      return { severity: 'critical', ...lossEdit(input.loss, 'sparseCategoricalCrossentropy'), evidence, reason };
    return { severity: 'critical', ...activationEdit(output, 'sigmoid'), evidence, reason };
  }
  if (outputsProbabilities(activation)) return undefined;
  return {
    severity: 'critical',
    ...activationEdit(output, 'sigmoid'),
    evidence: {
      measured: units ?? 1,
      threshold: 0,
      what: 'output units not bounded to [0, 1] under binaryCrossentropy, which reads each as a probability',
    },
    reason: `binaryCrossentropy takes the log of each output as a probability, but ${words.shown} ${words.gives} ${words.valued}: outside [0, 1] the loss clips them to Keras' epsilon, where the gradient is zero${logitsHint(output, 'binaryCrossentropy')}`,
  };
}

function normalizingLossProblem(output: OutputLayer, loss: LossName, words: OutputWords): LossProblem {
  const { range, shown, gives, valued } = words;
  const evidence: Evidence = {
    measured: output.units ?? 1,
    threshold: 0,
    what: `output units without softmax under ${loss}, which reads them as one distribution`,
  };
  const edit = activationEdit(output, 'softmax');
  if (range !== undefined && range.min >= 0 && !range.minReached) {
    return {
      severity: 'warning',
      ...edit,
      evidence,
      reason: `${loss} expects a softmax output; ${shown} ${gives} ${valued}, which Keras divides by their sum: it trains, but the predictions do not sum to 1 and the gradient is not softmax cross-entropy's`,
    };
  }
  const why =
    range === undefined || range.min < 0
      ? 'they can be negative, which makes negative "probabilities", or sum to 0, which makes 0/0 = NaN'
      : 'they can all be 0, which makes 0/0 = NaN';
  return {
    severity: 'critical',
    ...edit,
    evidence,
    reason: `${loss} divides the outputs by their sum and takes the log, but ${shown} ${gives} ${valued}: ${why}${logitsHint(output, loss)}`,
  };
}

/** A linear output under a loss with a logits form may be meant as logits: say how to tell convdoc so. */
function logitsHint(output: OutputLayer, loss: LossName): string {
  return output.activation === 'linear' && FROM_LOGITS_LOSSES.has(loss)
    ? ' (if the outputs are meant as logits, set training.fromLogits: true instead)'
    : '';
}

/**
 * With from_logits the loss applies sigmoid (binary) or softmax itself. An output that is already a
 * probability in [0, 1] is squashed a second time: softmax over values in [0, 1] gives each class at
 * most e/(e + C - 1) (0.23 for 10 classes), so the loss can never approach 0 and its gradient
 * shrinks; Keras warns about exactly this ("does not represent logits"). Edit → linear.
 */
function logitsProblem(output: OutputLayer, loss: LossName, words: OutputWords): LossProblem | undefined {
  if (!outputsProbabilities(output.activation)) return undefined;
  const squash = LOSS_FAMILY[loss] === 'probability' ? 'a sigmoid' : 'a softmax';
  return {
    severity: 'critical',
    ...activationEdit(output, 'linear'),
    evidence: {
      measured: output.units ?? 1,
      threshold: 0,
      what: `output units that are already probabilities under ${loss} with fromLogits, which applies ${squash} to them again`,
    },
    reason: `with training.fromLogits: true, ${loss} applies ${squash} to the outputs itself, but ${words.shown} ${words.gives} ${words.valued} already: squashed twice, the predictions can never approach 0 or 1 and the gradient shrinks`,
  };
}

/** The loss the run will train with once the written loss's problems are fixed. */
export function intendedLoss(input: ConfigLintInput): LossName {
  const pairing = lossOutputProblem(input);
  if (pairing?.edit.key === 'training.loss') return pairing.edit.to as LossName;
  return lossAfterTaskRule(input);
}

export const configLossMismatch = defineDetector({
  id: 'config-loss-mismatch',
  description:
    'The loss does not fit the task, the form of the labels or the output activation: a regression loss for classes, a class loss for numbers, sparse vs one-hot labels, cross-entropy on outputs that are not probabilities.',
  fixes: [],
  needs: ['config'],
  remedy:
    'Change training.loss to the loss for the task (meanSquaredError, binaryCrossentropy, sparseCategoricalCrossentropy for class ids, categoricalCrossentropy for one-hot columns), or give the output the activation the loss reads (sigmoid, softmax).',
  detect(input: ConfigLintInput) {
    if (!input.lossFromConfig) return [];
    const findings: Detection[] = [];
    const task = taskLossProblem(input);
    if (task !== undefined) {
      const taskNote = input.taskSource === 'config' ? ', or correct data.task if the loss is what you meant' : '';
      findings.push(
        finding(
          input,
          task,
          `training.loss is ${input.loss}, but this is ${taskWording(input)}: ${task.reason}. ${task.sentence}`,
          taskNote,
        ),
      );
    }
    const pairing = lossOutputProblem(input);
    if (pairing?.edit.key === 'training.loss')
      findings.push(finding(input, pairing, `${upperFirst(pairing.reason)}. ${pairing.sentence}`, ''));
    return findings;
  },
});

function finding(input: ConfigLintInput, problem: LossProblem, message: string, alternative: string): Detection {
  return {
    severity: problem.severity,
    confidence: CONFIDENCE[problem.severity === 'critical' ? 'critical' : 'warning'],
    ...(input.output === null ? {} : { layer: outputLayerKey(input.output) }),
    evidence: problem.evidence,
    message,
    advice: `${problem.sentence.replace(/\.$/, '')}${alternative}.`,
    edit: problem.edit,
  };
}

export function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
