/**
 * What the probe minimizes, and the rows it minimizes it on. A model with one output: the config's
 * loss (or the task's) on the target columns, as always. A model with several outputs (its outputs
 * joined into one row, build.ts): each output's loss on its own target columns, summed with the
 * loss weights, as Keras trains it (`total = Σ weight_i · loss_i`); each output's loss is also
 * told, so the trace keeps it per output.
 */
import tf from '../util/tfjs.cjs';
import type { LossName } from '../config/losses.js';
import type { Config, Task } from '../config/schema.js';
import type { Dataset, Examples } from '../data/dataset.js';
import type { BuiltModel } from '../model/build.js';
import { chanceLoss } from './chance-loss.js';
import { lossFunction, type LossFunction } from './losses.js';
import type { OutputHead } from './model-io.js';
import { defaultLoss, prepareProbeData, type ProbeData } from './probe-data.js';
import { shapeSize } from '../util/shape.js';

/** Hears each output's loss of a batch, in output order. */
export type HeadRecorder = (losses: readonly number[]) => void;

/** One output as the probe trains it: where its targets and outputs sit in the joined rows. */
interface HeadObjective {
  name: string;
  lossName: LossName;
  /** The task its targets and output units describe, as data/task.ts reads a target. */
  task: Task;
  weight: number;
  chanceLoss: number | null;
  targetOffset: number;
  targetWidth: number;
  outputOffset: number;
  outputShape: number[];
  loss: LossFunction;
}

export interface Objective {
  /** The loss's name; with several outputs, theirs joined by " + ". */
  lossName: string;
  data: ProbeData;
  chanceLoss: number | null;
  /** The (summed) loss of a batch; `record` hears each output's loss. */
  loss: (yTrue: tf.Tensor, yPred: tf.Tensor, record?: HeadRecorder) => tf.Tensor;
  /** Set for a model with several outputs (or mapped by name). */
  heads?: HeadObjective[];
}

export function trainingObjective(
  config: Config,
  dataset: Dataset,
  built: BuiltModel,
  heads: readonly OutputHead[] | undefined,
): Objective {
  if (heads === undefined || built.outputShapes === undefined) return oneOutput(config, dataset, built.model);
  return severalOutputs(config, dataset, built.outputShapes, heads);
}

function oneOutput(config: Config, dataset: Dataset, model: tf.LayersModel): Objective {
  const lossName: LossName = config.training.loss ?? defaultLoss(dataset.summary.task, dataset);
  const outputUnits = model.outputs[0]!.shape.at(-1) ?? 1;
  const data = prepareProbeData(dataset, config, lossName, outputUnits, outputSteps(model.outputs[0]!.shape));
  return {
    lossName,
    data,
    chanceLoss: chanceLoss(lossName, data.train.y, data.targetWidth, outputUnits),
    loss: lossFunction(lossName, config.training.fromLogits),
  };
}

/** The time steps of a sequence output (`[batch, steps, units]`), 1 for a row output. */
function outputSteps(shape: readonly (number | null)[]): number {
  return shapeSize(shape.slice(1, -1));
}

/**
 * Each output's targets prepared as a one-output model's are (class ids one-hot where its loss
 * wants them), then joined row by row. Targets are not scaled (data.normalizeTarget is for a model
 * with one output): each output's loss stays in its target's own units.
 */
function severalOutputs(
  config: Config,
  dataset: Dataset,
  shapes: readonly number[][],
  heads: readonly OutputHead[],
): Objective {
  const features = prepareProbeData(dataset, config, 'meanSquaredError', 1);
  const asIs: Config = { ...config, data: { ...config.data, normalize: 'none', normalizeTarget: 'none' } };
  const offsets = { target: 0, output: 0 };
  const prepared = heads.map((head, index) => {
    const made = headObjective(asIs, dataset, head, shapes[index]!, offsets);
    offsets.target += made.objective.targetWidth;
    offsets.output += shapeSize(shapes[index]!);
    return made;
  });
  const objectives = prepared.map(({ objective }) => objective);
  const join = (pick: (data: ProbeData) => Float32Array) =>
    joinRows(
      prepared.map(({ data }) => pick(data)),
      objectives.map(({ targetWidth }) => targetWidth),
    );
  return {
    lossName: objectives.map(({ lossName }) => lossName).join(' + '),
    data: {
      ...features,
      targetWidth: offsets.target,
      train: { ...features.train, y: join((data) => data.train.y) },
      validation: { ...features.validation, y: join((data) => data.validation.y) },
      targetScale: null,
    },
    chanceLoss: weightedSum(
      objectives.map(({ chanceLoss, weight }) => (chanceLoss === null ? null : chanceLoss * weight)),
    ),
    loss: (yTrue, yPred, record) => summedLoss(objectives, yTrue, yPred, record),
    heads: objectives,
  };
}

/** One output's targets prepared for its loss, and where they and its values sit in the joined rows. */
function headObjective(
  config: Config,
  dataset: Dataset,
  head: OutputHead,
  outputShape: number[],
  offsets: { target: number; output: number },
): { objective: HeadObjective; data: ProbeData } {
  const units = outputShape.at(-1) ?? 1;
  const own = headDataset(dataset, head.columns);
  const task = headTask(own.train.y, head.columns.length, units);
  const lossName = head.loss ?? defaultLoss(task, own);
  const data = prepareProbeData(own, config, lossName, units, outputSteps([null, ...outputShape]));
  const objective: HeadObjective = {
    name: head.name,
    lossName,
    task,
    weight: head.weight,
    chanceLoss: chanceLoss(lossName, data.train.y, data.targetWidth, units),
    targetOffset: offsets.target,
    targetWidth: data.targetWidth,
    outputOffset: offsets.output,
    outputShape,
    loss: lossFunction(lossName, config.training.fromLogits),
  };
  return { objective, data };
}

function summedLoss(heads: readonly HeadObjective[], yTrue: tf.Tensor, yPred: tf.Tensor, record?: HeadRecorder) {
  const losses = heads.map((head) => {
    const targets = tf.slice(yTrue, [0, head.targetOffset], [-1, head.targetWidth]);
    const size = shapeSize(head.outputShape);
    const outputs = tf.reshape(tf.slice(yPred, [0, head.outputOffset], [-1, size]), [-1, ...head.outputShape]);
    return head.loss(targets, outputs);
  });
  // One read for all outputs: each read waits for the backend.
  if (record !== undefined) record(Array.from(tf.stack(losses).dataSync()));
  return tf.addN(losses.map((loss, index) => tf.mul(loss, heads[index]!.weight)));
}

/** The sum, or null when one part has no value. */
function weightedSum(parts: readonly (number | null)[]): number | null {
  return parts.some((part) => part === null) ? null : parts.reduce<number>((sum, part) => sum + part!, 0);
}

/** The dataset with only `columns` of its targets: what one output trains on. */
function headDataset(dataset: Dataset, columns: readonly number[]): Dataset {
  const pick = (examples: Examples): Examples => ({
    ...examples,
    y: pickColumns(examples.y, dataset.targetWidth, columns),
  });
  return {
    ...dataset,
    targetNames: columns.map((column) => dataset.targetNames[column]!),
    targetWidth: columns.length,
    train: pick(dataset.train),
    validation: pick(dataset.validation),
  };
}

function pickColumns(values: Float32Array, width: number, columns: readonly number[]): Float32Array {
  const rows = values.length / width;
  const picked = new Float32Array(rows * columns.length);
  for (let row = 0; row < rows; row++)
    columns.forEach((column, position) => (picked[row * columns.length + position] = values[row * width + column]!));
  return picked;
}

/** Rows of several arrays side by side: row r is each part's row r in turn. */
function joinRows(parts: readonly Float32Array[], widths: readonly number[]): Float32Array {
  const total = widths.reduce((sum, width) => sum + width, 0);
  const rows = total === 0 ? 0 : parts[0]!.length / widths[0]!;
  const joined = new Float32Array(rows * total);
  for (let row = 0; row < rows; row++) {
    let offset = row * total;
    parts.forEach((part, index) => {
      const width = widths[index]!;
      joined.set(part.subarray(row * width, (row + 1) * width), offset);
      offset += width;
    });
  }
  return joined;
}

/**
 * One output's task from its target values and output units, as data/task.ts reads a single
 * target: 0/1 values on one unit are binary labels, integer ids below the unit count (several
 * units) class ids, 0/1 columns one-hot (one 1 per row) or multi-label, anything else regression.
 */
export function headTask(y: Float32Array, width: number, units: number): Task {
  const binary = y.every((value) => value === 0 || value === 1);
  if (width > 1) {
    if (!binary) return 'regression';
    return oneHotRows(y, width) ? 'multiclass' : 'multilabel';
  }
  if (units > 1 && y.every((value) => Number.isInteger(value) && value >= 0 && value < units)) return 'multiclass';
  return binary ? 'binary' : 'regression';
}

function oneHotRows(y: Float32Array, width: number): boolean {
  for (let row = 0; row < y.length / width; row++) {
    let ones = 0;
    for (let column = 0; column < width; column++) ones += y[row * width + column]!;
    if (ones !== 1) return false;
  }
  return true;
}
