/**
 * What the probe measures every `evalEvery` steps besides training: the validation loss and metric,
 * and per-layer activation statistics on a fixed batch of training rows.
 */
import tf from '../util/tfjs.cjs';
import type { BuiltModel } from '../model/build.js';
import { PASS_THROUGH_LAYERS } from '../model/catalog.js';
import type { ActivationTrace } from '../trace/trace.js';
import { measureLayer } from './activation-stats.js';
import type { LossFunction } from './losses.js';
import { computeMetric, type MetricName } from './metrics.js';
import type { ProbeExamples } from './probe-data.js';
import { planLayerWalk, walkLayers, type LayerWalk } from './layer-walk.js';

/** Rows of the fixed batch on which activation statistics are measured. */
const PROBE_BATCH_ROWS = 128;
/** Validation rows per forward pass, to bound memory on large validation sets. */
const VALIDATION_CHUNK_ROWS = 1024;
/**
 * Float32 bytes the activation check and a validation pass may hold in layer outputs at once. Both
 * free an output once no later layer reads it (the check in layer-walk.ts, validation in tfjs'
 * executor when not training), so what they hold at most is the walk's peak. Small models keep 128
 * and 1,024 rows; a 224x224x3 MobileNet (~4.8 MB per image at its peak, a 112x112x64 output and the
 * one it reads) gets fewer rows instead of the 4 GB that once crashed wasm.
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
  model: tf.LayersModel,
  lossFunction: LossFunction,
  examples: ProbeExamples,
  width: number,
  metric: MetricName | null,
) {
  if (examples.rows === 0) return { loss: Number.NaN, metric: Number.NaN };
  const features = examples.x.length / examples.rows;
  const inputShape = model.inputs[0]!.shape.slice(1) as number[];
  const chunkRows = rowsWithin(VALIDATION_BUDGET_BYTES, planLayerWalk(model).peakValuesPerRow, VALIDATION_CHUNK_ROWS);
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

/** Rows of the activation check's fixed batch: as many of the training rows as its peak fits in its memory budget. */
export function activationRows(walk: LayerWalk, trainRows: number): number {
  return Math.min(trainRows, rowsWithin(ACTIVATION_BUDGET_BYTES, walk.peakValuesPerRow, PROBE_BATCH_ROWS));
}

/**
 * Per-layer statistics on a fixed batch of training rows, for chains and graphs alike. The batch
 * goes through the model one layer call at a time (layer-walk.ts): each output's statistics are
 * read as it is made and it is disposed once no later call reads it, so memory holds the outputs
 * still waiting for a reader, not all of them; the batch is as many rows (up to 128) as that peak
 * fits in ACTIVATION_BUDGET_BYTES. Layers that only pass values through (flatten, dropout, ...) are
 * not measured: their statistics would repeat the layer before. A shared layer is measured on its
 * first call.
 */
export function createActivationProbe(built: BuiltModel, train: ProbeExamples) {
  const { model, layers, layerOutputs } = built;
  const walk = planLayerWalk(model);
  const rows = activationRows(walk, train.rows);
  const features = train.x.length / Math.max(1, train.rows);
  const input = model.inputs[0]!;
  const batch = train.x.subarray(0, rows * features);
  const measured = layers
    .map((layer, index) => ({ layer, output: layerOutputs[index]! }))
    .filter(({ layer }) => !PASS_THROUGH_LAYERS.has(layer.type));
  const traces: ActivationTrace[] = measured.map(({ layer }) => ({
    layer: layer.name,
    activation: layer.activation,
    mean: [],
    std: [],
    deadFraction: null,
    saturatedFraction: null,
    nearSaturatedFraction: null,
  }));
  const positions = new Map(measured.map(({ output }, position) => [output.id, position]));
  const record = (position: number, output: tf.Tensor) => {
    const { layer } = measured[position]!;
    const statistics = measureLayer(layer.activation, output.dataSync(), layer.outputShape.at(-1) ?? 1);
    const trace = traces[position]!;
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
      const xs = tf.tensor(batch, [rows, ...(input.shape.slice(1) as number[])]);
      walkLayers(walk, input, xs, (output, value) => {
        const position = positions.get(output.id);
        if (position !== undefined) record(position, value);
      });
    },
  };
}
