import type { LossName } from '../config/losses.js';
import { plural } from '../util/format.js';
import type { ConfigLintInput } from './config-input.js';
import { editSentence, isPerUnitLoss, outputLayerKey } from './config-lint-input.js';
import { intendedLoss } from './config-loss-mismatch.js';
import { batchSizeFindings } from './batch-size.js';
import { declaredInputFindings } from './declared-input-shape.js';
import { embeddingIdFindings } from './embedding-ids.js';
import { type ConfigEdit, defineDetector, type Detection } from './finding.js';
import type { Severity } from './ids.js';

/**
 * The output layer's width does not fit the target, judged against the loss the run trains with
 * once config-loss-mismatch's edit is made (so one wrong loss is not reported twice):
 * - per-unit losses (regression losses, binaryCrossentropy, hinge) compare unit k with target column
 *   k, so the output needs exactly one unit per target column. Any other width is critical:
 *   tfjs-layers' fit() rejects targets whose width differs from the output's, and Keras broadcasts a
 *   width of 1 against the other side, so one unit fits the mean of several targets, or several
 *   units all fit the same one;
 * - one-hot class losses (categoricalCrossentropy, ...) with one-hot columns: one unit per column,
 *   critical otherwise for the same reason;
 * - sparseCategoricalCrossentropy picks unit `id` of the output: fewer units than classes leaves ids
 *   past the last unit (critical: NaN in Keras, an error in tfjs); more units than classes trains
 *   fine, the extra units are simply never the target, so it is only worth knowing (info).
 */
export const EXTRA_CLASS_UNITS_SEVERITY: Severity = 'info';
const CONFIDENCE: Readonly<Record<Severity, number>> = { critical: 0.99, warning: 0.95, info: 0.95 };
/** Columns named in a message. */
const SHOWN_COLUMNS = 4;

export const configShapeMismatch = defineDetector({
  id: 'config-shape-mismatch',
  description:
    "The output layer's units do not fit the target: not one unit per target column for a per-column loss, " +
    'fewer units than classes for class ids, or a width the loss cannot compare with the labels; or the token ids ' +
    'fed to an Embedding layer are not integers in [0, inputDim); a model file declares an input shape the data does not have; or the batch is larger than the training rows.',
  fixes: [],
  needs: ['config'],
  remedy:
    'Give the output layer one unit per target column (regression, multilabel, one-hot labels, a binary label), ' +
    'or one unit per class for class ids under sparseCategoricalCrossentropy. ' +
    'Feed an Embedding integer token ids in [0, inputDim): map the vocabulary to ids 0..V-1 and set inputDim to V.',
  detect(input: ConfigLintInput) {
    return [
      ...outputFindings(input),
      ...embeddingIdFindings(input.embedding),
      ...declaredInputFindings(input.declaredInput),
      ...batchSizeFindings(input.batch),
    ];
  },
});

function outputFindings(input: ConfigLintInput): Detection[] {
  const { output } = input;
  if (output === null || output.units === null) return [];
  const shape: OutputShape = { input, output, units: output.units, loss: intendedLoss(input) };
  const finding =
    isPerUnitLoss(shape.loss) || input.labelForm === 'columns' ? perColumnFinding(shape) : classIdFinding(shape);
  return finding === undefined ? [] : [finding];
}

/** What the checks compare: the output layer, its width and the loss it will train with. */
interface OutputShape {
  input: ConfigLintInput;
  output: NonNullable<ConfigLintInput['output']>;
  units: number;
  loss: LossName;
}

/** Per-unit losses and one-hot columns: one unit per target column. */
function perColumnFinding(shape: OutputShape): Detection | undefined {
  const { input, units } = shape;
  const columns = input.targetColumns.length;
  if (units === columns) return undefined;
  const target =
    input.labelForm === 'ids'
      ? 'one label column'
      : `${plural(columns, 'target column')} (${shownColumns(input.targetColumns)})`;
  const label = input.task === 'regression' ? 'target' : 'label';
  const consequence =
    units === 1
      ? "Keras broadcasts the one unit over every column, so it can only fit their mean, and tfjs-layers' fit() " +
        'rejects the shape'
      : columns === 1
        ? `Keras broadcasts the one column over every unit, so all ${units} units fit the same ${label}, ` +
          "and tfjs-layers' fit() rejects the shape"
        : `${units} outputs cannot be compared with ${columns} columns: the run fails on the shapes`;
  return shapeFinding(
    shape,
    'critical',
    columns,
    'output units vs target columns (one unit per column)',
    `The output layer has ${plural(units, 'unit')}, but the target is ${target}, ` +
      `and ${lossWords(shape)} compares unit k with column k: ${consequence}.`,
  );
}

/** Class ids under sparseCategoricalCrossentropy: at least one unit per class. */
function classIdFinding(shape: OutputShape): Detection | undefined {
  const { units } = shape;
  const classes = shape.input.classCount;
  if (classes === null || units === classes) return undefined;
  if (units < classes) {
    const past = classes - units === 1 ? `class id ${units} points` : `class ids ${units} to ${classes - 1} point`;
    return shapeFinding(
      shape,
      'critical',
      classes,
      'output units vs classes in the labels (ids 0..C-1 index the units)',
      `The output layer has ${plural(units, 'unit')}, but the labels hold ${classes} classes, ` +
        `and ${lossWords(shape)} picks unit \`id\` of the output: ${past} past the last unit ` +
        '(NaN in Keras, an error in tfjs).',
    );
  }
  const extra = units - classes;
  return shapeFinding(
    shape,
    EXTRA_CLASS_UNITS_SEVERITY,
    classes,
    'output units vs classes in the labels',
    `The output layer has ${plural(units, 'unit')} for ${classes} classes: ` +
      `${plural(extra, 'unit')} ${extra === 1 ? 'is' : 'are'} never the target. ` +
      `It trains (${lossWords(shape)} pushes ${extra === 1 ? 'it' : 'them'} toward 0), ` +
      'but the model spends outputs on classes that do not exist.',
  );
}

/** The loss as the message names it: said to be convdoc's default when the config sets none. */
function lossWords({ input, loss }: OutputShape): string {
  return input.lossFromConfig || loss !== input.loss
    ? loss
    : `${loss} (convdoc's loss for a ${input.task} task; training.loss is not set)`;
}

/** A finding whose edit sets the output layer's units to the expected width. */
function shapeFinding(
  { output, units }: OutputShape,
  severity: Severity,
  expected: number,
  what: string,
  problem: string,
): Detection {
  const edit: ConfigEdit = { key: output.unitsKey, from: units, to: expected };
  const sentence = editSentence(edit);
  return {
    severity,
    confidence: CONFIDENCE[severity],
    layer: outputLayerKey(output),
    evidence: { measured: units, threshold: expected, what },
    message: `${problem} ${sentence}`,
    advice: sentence,
    edit,
  };
}

function shownColumns(names: readonly string[]): string {
  return names.slice(0, SHOWN_COLUMNS).join(', ') + (names.length > SHOWN_COLUMNS ? ', ...' : '');
}
