/**
 * The config lint's input, built from the layer specs, the loss and the data summary; and the
 * Keras/tfjs facts the three config detectors share (activation names and ranges, loss families,
 * how an edit of the output activation is written). Pure: no tfjs, no file access.
 */
import type { LayerSpec } from '../model/layer-spec.js';
import { embeddingInput } from '../model/embedding-input.js';
import { FROM_LOGITS_LOSSES, LOSS_FAMILY, type LossName } from '../config/losses.js';
import type { Task } from '../config/schema.js';
import type { DataSummary } from '../data/summary.js';
import { ACTIVATION_LAYERS } from '../model/catalog.js';
import { formatNumber } from '../util/format.js';
import type { BatchFit, ConfigLintInput, DeclaredInput, OutputLayer } from './config-input.js';
import type { ConfigEdit } from './finding.js';

export interface ConfigLintParts {
  task: Task;
  taskSource: ConfigLintInput['taskSource'];
  loss: LossName;
  /** Whether training.loss is written in the config (otherwise convdoc chose `loss` for the task). */
  lossFromConfig: boolean;
  /** training.fromLogits, else the model file's from_logits; it matters only for the losses that have that form. */
  fromLogits?: boolean;
  layers: readonly LayerSpec[];
  /** The key path of layer `index`: `model.layers.2`, or a path inside a model file. */
  layerKey: (index: number) => string;
  data: DataSummary;
  /** A model file's declared input shape, with the data's example shape to hold it against. */
  declaredInput?: DeclaredInput;
  batch?: BatchFit;
}

/**
 * The key that sets a layer's output width: `units` for dense and recurrent layers, `filters` for
 * convolutions (tfjs-layers and Keras spell them alike). A layer type not listed here counts as an
 * output layer only when it has one of these keys.
 */
const WIDTH_KEY: Readonly<Record<string, 'units' | 'filters'>> = {
  dense: 'units',
  simpleRNN: 'units',
  lstm: 'units',
  gru: 'units',
  conv1d: 'filters',
  conv2d: 'filters',
  conv2dTranspose: 'filters',
  separableConv2d: 'filters',
};

/**
 * tfjs-layers' activation when a layer's `activation` key is absent: `linear` for dense and
 * convolutions (core.js / convolutional.js call getActivation(undefined)), `tanh` for the
 * recurrent cells (recurrent.js, DEFAULT_ACTIVATION = 'tanh'), as in Keras.
 */
const DEFAULT_ACTIVATION: Readonly<Record<string, string>> = { simpleRNN: 'tanh', lstm: 'tanh', gru: 'tanh' };
const FALLBACK_ACTIVATION = 'linear';

/**
 * Layers after the output layer that change the last axis, so the output layer's units are no longer
 * the model's output width (conv2d then flatten outputs filters × height × width values).
 */
const WIDTH_CHANGING_LAYERS: ReadonlySet<string> = new Set(['flatten', 'reshape', 'permute']);

/**
 * Activation names as tfjs-layers registers them (activations.js class names, plus the advanced
 * activation layers of model/catalog.ts), by their folded spelling: lower case without `_` or `-`,
 * so Keras' snake_case (`hard_sigmoid`, `leaky_relu`, `log_softmax`) and capitalized spellings
 * (`Softmax`) land on the tfjs name. Keras' `silu` is tfjs' `swish`; `exponential` and `hard_silu`
 * exist only in Keras but are kept so that their ranges are known.
 */
const ACTIVATION_NAMES: ReadonlyMap<string, string> = new Map(
  [
    'linear',
    'relu',
    'relu6',
    'elu',
    'selu',
    'sigmoid',
    'hardSigmoid',
    'softplus',
    'softsign',
    'tanh',
    'softmax',
    'logSoftmax',
    'swish',
    'mish',
    'gelu',
    'gelu_new',
    'leakyRelu',
    'prelu',
    'thresholdedRelu',
    'exponential',
    'hardSwish',
  ]
    .map((name) => [fold(name), name] as [string, string])
    .concat([
      ['silu', 'swish'],
      ['hardsilu', 'hardSwish'],
    ]),
);

function fold(name: string): string {
  return name.replace(/[_\s-]/g, '').toLowerCase();
}

/** The tfjs name of an activation as written (`Softmax`, `hard_sigmoid`); unknown names are kept as written. */
export function normalizeActivation(name: string): string {
  return ACTIVATION_NAMES.get(fold(name)) ?? name;
}

/** The advanced-activation layer type that applies each activation (inverse of ACTIVATION_LAYERS). */
const ACTIVATION_LAYER_TYPE: Readonly<Record<string, string>> = {
  relu: 'reLU',
  leakyRelu: 'leakyReLU',
  elu: 'elu',
  softmax: 'softmax',
  prelu: 'prelu',
  thresholdedRelu: 'thresholdedReLU',
};

export function configLintInput(parts: ConfigLintParts): ConfigLintInput {
  const { data } = parts;
  const targetColumns = data.targetStats.map((column) => column.name);
  return {
    task: parts.task,
    taskSource: parts.taskSource,
    loss: parts.loss,
    lossFromConfig: parts.lossFromConfig,
    fromLogits: parts.fromLogits === true && FROM_LOGITS_LOSSES.has(parts.loss),
    output: outputLayer(parts.layers, parts.layerKey),
    targetColumns,
    classCount: parts.task === 'regression' ? null : classCount(data),
    labelForm: parts.task === 'regression' ? 'values' : targetColumns.length > 1 ? 'columns' : 'ids',
    targetRange: parts.task === 'regression' ? targetRange(data) : null,
    ...embeddingIds(parts),
    ...(parts.declaredInput === undefined ? {} : { declaredInput: parts.declaredInput }),
    ...(parts.batch === undefined ? {} : { batch: parts.batch }),
  };
}

/** The token-id facts when the model's input feeds an Embedding layer. */
function embeddingIds({ layers, layerKey, data }: ConfigLintParts): Pick<ConfigLintInput, 'embedding'> {
  const embedding = embeddingInput(layers);
  if (embedding === undefined) return {};
  const inputDimKey = `${layerKey(embedding.index)}.inputDim`;
  return { embedding: { inputDim: embedding.inputDim, inputDimKey, columns: data.featureStats } };
}

function outputLayer(layers: readonly LayerSpec[], layerKey: (index: number) => string): OutputLayer | null {
  const index = layers.findLastIndex((layer) => widthKey(layer) !== undefined);
  if (index < 0) return null;
  const layer = layers[index]!;
  const key = widthKey(layer)!;
  const after = layers.slice(index + 1);
  const width = layer[key];
  const units = typeof width === 'number' && !after.some((next) => WIDTH_CHANGING_LAYERS.has(next.type)) ? width : null;
  // The last activation applied wins: a trailing activation layer overrides the layer's own.
  const trailing = after.findLastIndex((next) => ACTIVATION_LAYERS[next.type] !== undefined);
  if (trailing >= 0) {
    const activationLayer = after[trailing]!;
    const activationIndex = index + 1 + trailing;
    return {
      type: layer.type,
      units,
      activation: normalizeActivation(ACTIVATION_LAYERS[activationLayer.type]!(activationLayer)),
      // An `activation` layer is edited at its `activation` key; a softmax/reLU/... layer by its type.
      activationKey: `${layerKey(activationIndex)}.${activationLayer.type === 'activation' ? 'activation' : 'type'}`,
      unitsKey: `${layerKey(index)}.${key}`,
    };
  }
  const own = layer['activation'];
  return {
    type: layer.type,
    units,
    activation:
      typeof own === 'string' ? normalizeActivation(own) : (DEFAULT_ACTIVATION[layer.type] ?? FALLBACK_ACTIVATION),
    activationKey: `${layerKey(index)}.activation`,
    unitsKey: `${layerKey(index)}.${key}`,
  };
}

function widthKey(layer: LayerSpec): 'units' | 'filters' | undefined {
  return WIDTH_KEY[layer.type] ?? ('units' in layer ? 'units' : 'filters' in layer ? 'filters' : undefined);
}

/**
 * Class ids index the output (sparseCategoricalCrossentropy picks unit `id`), so numeric ids 0..max
 * address max + 1 classes, as `convdoc init` sizes the output; text labels are numbered 0..C-1.
 * Ids spread far apart (more than twice as many ids as labels, the task inference's contiguity rule)
 * are counted as distinct labels: data-label-invalid reports the gaps and the ids out of range.
 */
const CONTIGUOUS_IDS_FACTOR = 2;

function classCount(data: DataSummary): number | null {
  if (data.targetStats.length > 1) return data.targetStats.length;
  const distinct = data.classes?.length ?? 0;
  const [column] = data.targetStats;
  if (
    !data.textLabels &&
    column !== undefined &&
    column.count > 0 &&
    column.integer &&
    column.min >= 0 &&
    column.max + 1 <= CONTIGUOUS_IDS_FACTOR * distinct
  ) {
    return column.max + 1;
  }
  return distinct > 0 ? distinct : null;
}

function targetRange(data: DataSummary): { min: number; max: number } | null {
  const columns = data.targetStats.filter(
    (column) => column.count > 0 && Number.isFinite(column.min) && Number.isFinite(column.max),
  );
  if (columns.length === 0) return null;
  return {
    min: Math.min(...columns.map((column) => column.min)),
    max: Math.max(...columns.map((column) => column.max)),
  };
}

// ---------------------------------------------------------------------------------------------
// Facts the three config detectors share.

/** The output layer's key (`model.layers.2`), for a finding's `layer`. */
export function outputLayerKey(output: OutputLayer): string {
  return output.unitsKey.replace(/\.(units|filters)$/, '');
}

/** The values an activation can output; `minReached`/`maxReached` say whether the bound itself is attained. */
export interface ActivationRange {
  min: number;
  max: number;
  minReached: boolean;
  maxReached: boolean;
}

const range = (min: number, max: number, minReached: boolean, maxReached: boolean): ActivationRange => ({
  min,
  max,
  minReached,
  maxReached,
});
const INF = Number.POSITIVE_INFINITY;

/**
 * The output range of each activation with tfjs-layers' (and Keras') default parameters: elu's
 * alpha 1; selu's fixed scale·alpha = 1.0507·1.6733; swish, mish and gelu have their minimum at a
 * negative input. leakyRelu and prelu are unbounded (a negative slope), so they have no entry:
 * an activation without an entry is never blamed for a target's range.
 */
export const ACTIVATION_RANGES: Readonly<Record<string, ActivationRange>> = {
  linear: range(-INF, INF, false, false),
  relu: range(0, INF, true, false),
  relu6: range(0, 6, true, true),
  thresholdedRelu: range(0, INF, true, false),
  elu: range(-1, INF, false, false),
  selu: range(-1.7581, INF, false, false),
  softplus: range(0, INF, false, false),
  exponential: range(0, INF, false, false),
  sigmoid: range(0, 1, false, false),
  hardSigmoid: range(0, 1, true, true),
  softmax: range(0, 1, false, false),
  logSoftmax: range(-INF, 0, false, true),
  tanh: range(-1, 1, false, false),
  softsign: range(-1, 1, false, false),
  swish: range(-0.2785, INF, true, false),
  hardSwish: range(-0.375, INF, true, false),
  mish: range(-0.3088, INF, true, false),
  gelu: range(-0.17, INF, true, false),
  gelu_new: range(-0.17, INF, true, false),
};

/** `(0, 1)`, `[0, ∞)`: an activation's range as a mathematician writes it. */
export function formatRange(r: ActivationRange): string {
  const bound = (value: number) => (value === INF ? '∞' : value === -INF ? '-∞' : formatNumber(value));
  return `${r.minReached ? '[' : '('}${bound(r.min)}, ${bound(r.max)}${r.maxReached ? ']' : ')'}`;
}

/**
 * Activations that normalize over the units: over a single unit, softmax is e^x / e^x = 1 and
 * logSoftmax is 0, whatever the input, so the output never changes and nothing can be learned.
 */
const CONSTANT_ON_ONE_UNIT: Readonly<Record<string, number>> = { softmax: 1, logSoftmax: 0 };

/** The constant a one-unit output always produces, or undefined when the output can vary. */
export function constantOutput(output: OutputLayer | null): number | undefined {
  return output !== null && output.units === 1 ? CONSTANT_ON_ONE_UNIT[output.activation] : undefined;
}

/**
 * Losses that divide the outputs by their sum before the log (Keras' categorical_crossentropy with
 * from_logits=False, tfjs-layers' categoricalCrossentropy): they need non-negative outputs with a
 * positive sum, which softmax guarantees.
 */
export const NORMALIZING_LOSSES: ReadonlySet<LossName> = new Set([
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
  'kullbackLeiblerDivergence',
]);

/** Losses that score each unit on its own, so the output needs one unit per target column. */
export function isPerUnitLoss(loss: LossName): boolean {
  const family = LOSS_FAMILY[loss];
  return family === 'regression' || family === 'probability' || family === 'margin';
}

/** Whether every output value lies in [0, 1], as binaryCrossentropy's probabilities must. */
export function outputsProbabilities(activation: string): boolean {
  const r = ACTIVATION_RANGES[activation];
  return r !== undefined && r.min >= 0 && r.max <= 1;
}

/** How the task is known, for messages: the user wrote it, or convdoc inferred it. */
export function taskWording(input: Pick<ConfigLintInput, 'task' | 'taskSource'>): string {
  const source = { config: 'data.task', loss: 'inferred from the loss', data: 'inferred from the target values' }[
    input.taskSource
  ];
  return `a ${input.task} task (${source})`;
}

/**
 * The edit that gives the output the activation `to`. A trailing softmax/reLU/elu layer is edited
 * by its type; an activation with no layer type of its own is reached through `{type: activation}`,
 * which is linear without an `activation` key (tfjs getActivation(undefined)): the sentence then
 * names the key to add as well.
 */
export function activationEdit(output: OutputLayer, to: string): { edit: ConfigEdit; sentence: string } {
  if (output.activationKey.endsWith('.type')) {
    const from = ACTIVATION_LAYER_TYPE[output.activation] ?? output.activation;
    const type = to === 'linear' ? 'activation' : (ACTIVATION_LAYER_TYPE[to] ?? 'activation');
    const edit: ConfigEdit = { key: output.activationKey, from, to: type };
    const extra = type === 'activation' && to !== 'linear' ? ` and add activation: ${to} to that layer` : '';
    const sentence = editSentence(edit);
    return { edit, sentence: extra === '' ? sentence : sentence.replace(/\.$/, `${extra}.`) };
  }
  // The value written today is not part of OutputLayer: `linear` is taken as the absent default.
  const edit: ConfigEdit = {
    key: output.activationKey,
    from: output.activation === FALLBACK_ACTIVATION ? null : output.activation,
    to,
  };
  return { edit, sentence: editSentence(edit) };
}

/** "Change model.layers.2.activation from softmax to sigmoid." / "Add model.layers.2.activation: softmax." */
export function editSentence(edit: ConfigEdit): string {
  return edit.from === null ? `Add ${edit.key}: ${edit.to}.` : `Change ${edit.key} from ${edit.from} to ${edit.to}.`;
}
