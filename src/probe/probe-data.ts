/**
 * The dataset as the probe feeds it: features scaled as `data.normalize` says (statistics from the
 * training rows), and targets shaped for the loss, with class ids one-hot encoded in JS when the
 * model outputs one unit per class.
 */
import type { LossName } from '../config/losses.js';
import type { Config, Task } from '../config/schema.js';
import type { Dataset, Examples } from '../data/dataset.js';
import { applyScaling, fitScaling } from '../data/normalize.js';

export interface ProbeExamples {
  rows: number;
  x: Float32Array;
  y: Float32Array;
}

export interface ProbeData {
  features: number;
  inputShape: number[];
  /** Values per row of `y`, which is what the model's output is compared with. */
  targetWidth: number;
  train: ProbeExamples;
  validation: ProbeExamples;
  /** The scale each target column was divided by (`data.normalizeTarget`); null when unscaled. */
  targetScale: number[] | null;
}

/** The loss Keras users write for a task when the config names none. */
export function defaultLoss(task: Task, dataset: Dataset): LossName {
  if (task === 'regression') return 'meanSquaredError';
  if (task === 'multiclass')
    return dataset.targetWidth === 1 ? 'sparseCategoricalCrossentropy' : 'categoricalCrossentropy';
  return 'binaryCrossentropy';
}

const CLASS_LOSSES: ReadonlySet<LossName> = new Set([
  'sparseCategoricalCrossentropy',
  'categoricalCrossentropy',
  'categoricalHinge',
  'kullbackLeiblerDivergence',
]);

/** `outputSteps`: the time steps of a sequence output (`[steps, units]` per row), whose class ids are one per step. */
export function prepareProbeData(
  dataset: Dataset,
  config: Config,
  loss: LossName,
  outputUnits: number,
  outputSteps = 1,
): ProbeData {
  const { features } = dataset;
  const method = config.data.normalize;
  // Per feature column, or per channel of image arrays: x is channel-last, so channels repeat along each row.
  const statisticsWidth = dataset.featureNames.length;
  const scaling = method === 'none' ? undefined : fitScaling(dataset.train.x, statisticsWidth, method);
  const targetMethod = dataset.summary.task === 'regression' ? config.data.normalizeTarget : 'none';
  const targetScaling =
    targetMethod === 'none' ? undefined : fitScaling(dataset.train.y, dataset.targetWidth, targetMethod);
  const oneHot = CLASS_LOSSES.has(loss) && dataset.targetWidth === outputSteps && outputUnits > 1;
  const prepare = (examples: Examples): ProbeExamples => ({
    rows: examples.rows,
    x: scaling === undefined ? examples.x : applyScaling(examples.x, statisticsWidth, scaling),
    y: oneHot
      ? oneHotEncode(examples.y, outputUnits)
      : targetScaling === undefined
        ? examples.y
        : applyScaling(examples.y, dataset.targetWidth, targetScaling),
  });
  return {
    features,
    inputShape: dataset.inputShape,
    targetWidth: oneHot ? outputSteps * outputUnits : dataset.targetWidth,
    train: prepare(dataset.train),
    validation: prepare(dataset.validation),
    targetScale: targetScaling === undefined ? null : [...targetScaling.scale],
  };
}

/** Class ids to one-hot rows; an id outside [0, classes) gives a row of zeros (data-label-invalid reports it). */
export function oneHotEncode(ids: Float32Array, classes: number): Float32Array {
  const encoded = new Float32Array(ids.length * classes);
  ids.forEach((id, row) => {
    if (Number.isInteger(id) && id >= 0 && id < classes) encoded[row * classes + id] = 1;
  });
  return encoded;
}
