/**
 * What the probe measures every `evalEvery` steps besides training: the validation loss and metric,
 * and per-layer activation statistics on a fixed batch of training rows.
 */
import * as tf from '@tensorflow/tfjs';
import type { BuiltModel } from '../model/build.js';
import { PASS_THROUGH_LAYERS } from '../model/catalog.js';
import type { ActivationTrace } from '../trace/trace.js';
import { measureLayer } from './activation-stats.js';
import type { LossFunction } from './losses.js';
import { computeMetric, type MetricName } from './metrics.js';
import type { ProbeExamples } from './probe-data.js';

/** Rows of the fixed batch on which activation statistics are measured. */
const PROBE_BATCH_ROWS = 128;
/** Validation rows per forward pass, to bound memory on large validation sets. */
const VALIDATION_CHUNK_ROWS = 1024;
/**
 * Float32 bytes the activation check may hold in one layer's output, and a validation pass in all
 * its layers' outputs (a scope keeps them until it ends). Small models keep 128 and 1,024 rows; a
 * 224x224x3 MobileNet (~1.6 MB in its first conv's output, ~30 MB in all layers per image) gets
 * fewer rows instead of the 4 GB that once crashed wasm.
 */
const ACTIVATION_BUDGET_BYTES = 64 * 2 ** 20;
const VALIDATION_BUDGET_BYTES = 256 * 2 ** 20;

/** Rows whose float32 values of `valuesPerRow` fit in `budget` bytes: at least 1, at most `cap`. */
function rowsWithin(budget: number, valuesPerRow: number, cap: number): number {
  return Math.max(1, Math.min(cap, Math.floor(budget / (4 * Math.max(1, valuesPerRow)))));
}

/** Like tf.tidy, but `work` may return plain values: every tensor made inside is disposed. */
function scoped<T>(work: () => T): T {
  tf.engine().startScope();
  try {
    return work();
  } finally {
    tf.engine().endScope();
  }
}

/** Mean loss and metric over the validation rows, in chunks. NaN when there are none. */
export function validate(
  model: tf.Sequential,
  lossFunction: LossFunction,
  examples: ProbeExamples,
  width: number,
  metric: MetricName | null,
) {
  if (examples.rows === 0) return { loss: Number.NaN, metric: Number.NaN };
  const features = examples.x.length / examples.rows;
  const inputShape = model.inputs[0]!.shape.slice(1) as number[];
  const valuesPerRow = model.layers.reduce((sum, layer) => sum + outputValues(layer), 0);
  const chunkRows = rowsWithin(VALIDATION_BUDGET_BYTES, valuesPerRow, VALIDATION_CHUNK_ROWS);
  let lossSum = 0;
  let metricSum = 0;
  for (let start = 0; start < examples.rows; start += chunkRows) {
    const rows = Math.min(chunkRows, examples.rows - start);
    const targets = examples.y.subarray(start * width, (start + rows) * width);
    const [loss, predictions] = scoped(() => {
      const xs = tf.tensor(examples.x.subarray(start * features, (start + rows) * features), [rows, ...inputShape]);
      const output = model.apply(xs, { training: false }) as tf.Tensor;
      return [
        lossFunction(tf.tensor2d(targets, [rows, width]), output).dataSync()[0]!,
        metric === null ? null : output.dataSync(),
      ];
    });
    lossSum += loss * rows;
    if (metric !== null) metricSum += computeMetric(metric, predictions!, targets, width) * rows;
  }
  return { loss: lossSum / examples.rows, metric: metricSum / examples.rows };
}

export type ActivationProbe = ReturnType<typeof createActivationProbe>;

/** Values one example makes in a layer's output. */
function outputValues(layer: tf.layers.Layer): number {
  const shape = layer.outputShape as (number | null)[];
  return shape.slice(1).reduce<number>((product, dimension) => product * (dimension ?? 1), 1);
}

/**
 * Per-layer statistics on a fixed batch of training rows. The batch goes through the model one
 * layer at a time, each output disposed once the next is computed and its statistics read, so
 * memory holds two layers' outputs, not all of them; the batch is as many rows (up to 128) as the
 * largest output fits in ACTIVATION_BUDGET_BYTES. Layers that only pass values through (flatten,
 * dropout, ...) are not measured: their statistics would repeat the layer before.
 */
export function createActivationProbe(built: BuiltModel, train: ProbeExamples) {
  const { model, layers } = built;
  const largest = Math.max(...model.layers.map(outputValues));
  const rows = Math.min(train.rows, rowsWithin(ACTIVATION_BUDGET_BYTES, largest, PROBE_BATCH_ROWS));
  const features = train.x.length / Math.max(1, train.rows);
  const inputShape = model.inputs[0]!.shape.slice(1) as number[];
  const batch = train.x.subarray(0, rows * features);
  const measured = layers.map((layer) => !PASS_THROUGH_LAYERS.has(layer.type));
  const traces: ActivationTrace[] = layers
    .filter((_, index) => measured[index])
    .map((layer) => ({
      layer: layer.name,
      activation: layer.activation,
      mean: [],
      std: [],
      deadFraction: null,
      saturatedFraction: null,
      nearSaturatedFraction: null,
    }));
  const record = (index: number, trace: ActivationTrace, output: tf.Tensor) => {
    const layer = layers[index]!;
    const statistics = measureLayer(layer.activation, output.dataSync(), layer.outputShape.at(-1) ?? 1);
    trace.mean.push(statistics.mean);
    trace.std.push(statistics.std);
    for (const key of ['deadFraction', 'saturatedFraction', 'nearSaturatedFraction'] as const) {
      if (statistics[key] !== null) (trace[key] ??= []).push(statistics[key]);
    }
  };
  return {
    traces,
    measure() {
      if (rows === 0) return;
      let output = tf.tensor(batch, [rows, ...inputShape]);
      let position = 0;
      model.layers.forEach((layer, index) => {
        const next = tf.tidy(() => layer.apply(output, { training: false }) as tf.Tensor);
        output.dispose();
        output = next;
        if (measured[index]) record(index, traces[position++]!, output);
      });
      output.dispose();
    },
  };
}
