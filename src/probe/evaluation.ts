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
  model: tf.LayersModel,
  lossFunction: LossFunction,
  examples: ProbeExamples,
  width: number,
  metric: MetricName | null,
) {
  if (examples.rows === 0) return { loss: Number.NaN, metric: Number.NaN };
  const features = examples.x.length / examples.rows;
  const inputShape = model.inputs[0]!.shape.slice(1) as number[];
  let lossSum = 0;
  let metricSum = 0;
  for (let start = 0; start < examples.rows; start += VALIDATION_CHUNK_ROWS) {
    const rows = Math.min(VALIDATION_CHUNK_ROWS, examples.rows - start);
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

/**
 * Per-layer statistics on a fixed batch of training rows, read through a model that exposes every
 * layer's output. Layers that only pass values through (flatten, dropout, ...) are skipped: their
 * statistics would repeat the layer before.
 */
export function createActivationProbe(built: BuiltModel, train: ProbeExamples) {
  const { model, layers, layerOutputs } = built;
  const rows = Math.min(PROBE_BATCH_ROWS, train.rows);
  const features = train.x.length / Math.max(1, train.rows);
  const inputShape = model.inputs[0]!.shape.slice(1) as number[];
  const batch = train.x.subarray(0, rows * features);
  const measured = layers
    .map((layer, index) => ({ layer, index }))
    .filter(({ layer }) => !PASS_THROUGH_LAYERS.has(layer.type));
  const exposed = tf.model({
    inputs: model.inputs,
    outputs: measured.map(({ index }) => layerOutputs[index]!),
  });
  const traces: ActivationTrace[] = measured.map(({ layer }) => ({
    layer: layer.name,
    activation: layer.activation,
    mean: [],
    std: [],
    deadFraction: null,
    saturatedFraction: null,
    nearSaturatedFraction: null,
  }));
  return {
    traces,
    measure() {
      if (rows === 0) return;
      const outputs = scoped(() => {
        const result = exposed.apply(tf.tensor(batch, [rows, ...inputShape]), { training: false }) as
          tf.Tensor | tf.Tensor[];
        return (Array.isArray(result) ? result : [result]).map((output) => output.dataSync());
      });
      measured.forEach(({ layer }, position) => {
        const statistics = measureLayer(layer.activation, outputs[position]!, layer.outputShape.at(-1) ?? 1);
        const trace = traces[position]!;
        trace.mean.push(statistics.mean);
        trace.std.push(statistics.std);
        for (const key of ['deadFraction', 'saturatedFraction', 'nearSaturatedFraction'] as const) {
          if (statistics[key] !== null) (trace[key] ??= []).push(statistics[key]);
        }
      });
    },
  };
}
