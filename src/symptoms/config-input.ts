/**
 * What the config lint judges, before any training: the task and target as the data shows them,
 * the loss, and the model's output layer as written. Plain data, so the lint is a pure function.
 */
import type { LossName } from '../config/losses.js';
import type { Task } from '../config/schema.js';
import type { ColumnStats } from '../data/column-stats.js';

export interface OutputLayer {
  /** tfjs-layers type in camelCase (`dense`, `simpleRNN`, ...). */
  type: string;
  /** Output units (dense `units`, conv `filters`); null when the layer does not say. */
  units: number | null;
  /** The activation applied to the output, including a trailing activation layer; 'linear' when none. */
  activation: string;
  /** Key path to edit to change that activation, e.g. `model.layers.2.activation`. */
  activationKey: string;
  /** Key path of the units, e.g. `model.layers.2.units`. */
  unitsKey: string;
}

export interface ConfigLintInput {
  task: Task;
  /** Where the task came from: the config's data.task, the loss, or the target values. */
  taskSource: 'config' | 'loss' | 'data';
  loss: LossName;
  /** Whether training.loss is written in the config (otherwise convdoc chose it for the task). */
  lossFromConfig: boolean;
  /** The cross-entropy loss reads logits (training.fromLogits, or the model file's from_logits); absent: false. */
  fromLogits?: boolean;
  /** The last layer that produces the output; null when the model has no layer with units. */
  output: OutputLayer | null;
  targetColumns: string[];
  /** Classification: how many classes the labels hold (distinct labels, or target columns). */
  classCount: number | null;
  /** `ids`: one column of class ids or labels; `columns`: one 0/1 column per class; `values`: regression values. */
  labelForm: 'ids' | 'columns' | 'values';
  /** Regression: the smallest and largest target value over all target columns. */
  targetRange: { min: number; max: number } | null;
  /** Set when the features feed an Embedding layer: they are token ids, rows of its table. */
  embedding?: EmbeddingIds;
  /** Set when a model file declares the input shape it was built for. */
  declaredInput?: DeclaredInput;
  /** training.batchSize and the rows an epoch trains on; absent when unknown. */
  batch?: BatchFit;
}

export interface BatchFit {
  size: number;
  trainRows: number;
}

export interface DeclaredInput {
  /** The model file, as messages name it. */
  file: string;
  /** Its input shape without the batch axis; null where any length fits. */
  declared: (number | null)[];
  /** The shape of one example of the data (data.inputShape, or the feature count). */
  data: number[];
}

export interface EmbeddingIds {
  /** Rows of the Embedding's table: valid ids are 0 .. inputDim - 1. */
  inputDim: number;
  /** The key of its inputDim, e.g. `model.layers.0.inputDim`. */
  inputDimKey: string;
  /** The feature columns: the ids as the data holds them. */
  columns: ColumnStats[];
}
