/**
 * The probe: a short, seeded, time-bounded training run of the user's model on the sampled data,
 * recording at every step the loss and, per trainable variable, the gradient norm, the update
 * ratio ‖Δw‖/‖w‖ and non-finite values; and every `evalEvery` steps the validation loss and metric
 * and per-layer activation statistics. A custom loop, not model.fit: it reads what fit hides.
 *
 * Norms are computed in JS from the values tfjs hands back (one read per variable and step)
 * rather than with extra tensor ops: on small models each tfjs op costs more in dispatch than the
 * arithmetic, and reading a few thousand floats is nearly free.
 */
import * as tf from '@tensorflow/tfjs';
import type { LossName } from '../config/losses.js';
import type { Config } from '../config/schema.js';
import type { Dataset } from '../data/dataset.js';
import { buildModel, type BuiltModel } from '../model/build.js';
import { PASS_THROUGH_LAYERS } from '../model/catalog.js';
import type { LayerSpec } from '../model/layer-spec.js';
import { createRandom, shuffleInPlace } from '../util/random.js';
import { measureLayer } from './activation-stats.js';
import { comparableLossFactor } from '../trace/loss-units.js';
import { chanceLoss } from './chance-loss.js';
import { LOSS_FUNCTIONS, type LossFunction } from './losses.js';
import { computeMetric, pickMetric } from './metrics.js';
import { createOptimizer, setLearningRate } from './optimizer.js';
import { defaultLoss, prepareProbeData, type ProbeData, type ProbeExamples } from './probe-data.js';
import { createSchedule } from './schedule.js';
import { withSeededRandom } from './seeded-random.js';
import type { ActivationTrace, ProbeTrace } from '../trace/trace.js';

export interface ProbeInput {
  config: Config;
  dataset: Dataset;
  /** The model's layers: the config's list or a converted model file. */
  layers: readonly LayerSpec[];
  /** Names layer `index` in messages ("model.layers.2"). */
  describeLayer: (index: number) => string;
  /** The backend chosen by selectBackend, for the trace. */
  backend: string;
  /** The seed of this probe run (the config's, or one of several for repeated probes). */
  seed: number;
  /**
   * Asked after each step with the training losses so far and the factor that takes them to the
   * target's original units; true stops the run as a lost trial.
   */
  isLost?: (losses: readonly number[], toOriginalUnits: number) => boolean;
  /** Told each step's training loss, for a progress line. */
  onStep?: StepListener;
}

/** Hears step `step` of `steps` and its training loss. */
export type StepListener = (step: number, steps: number, loss: number) => void;

/** Rows of the fixed batch on which activation statistics are measured. */
const PROBE_BATCH_ROWS = 128;
/** Validation rows per forward pass, to bound memory on large validation sets. */
const VALIDATION_CHUNK_ROWS = 1024;
/** Shuffling draws from its own stream, so the data order does not depend on how many weights there are. */
const SHUFFLE_SEED_OFFSET = 7;

export function runProbe(input: ProbeInput): ProbeTrace {
  // Synchronous on purpose: the seeded Math.random scope must not be left at an await.
  return withSeededRandom(input.seed, () => {
    const built = buildModel(input.layers, input.dataset.inputShape, input.describeLayer);
    try {
      return train(input, built);
    } finally {
      built.model.dispose();
    }
  });
}

function train({ config, dataset, backend, seed, isLost, onStep }: ProbeInput, built: BuiltModel): ProbeTrace {
  const started = performance.now();
  const { model } = built;
  const lossName: LossName = config.training.loss ?? defaultLoss(dataset.summary.task, dataset);
  const outputUnits = model.outputs[0]!.shape.at(-1) ?? 1;
  const data = prepareProbeData(dataset, config, lossName, outputUnits);
  // Constant over the run: a lost-trial check compares every step's losses in the target's original units.
  const toOriginalUnits = comparableLossFactor({ lossName, targetScale: data.targetScale });
  const lossFunction = LOSS_FUNCTIONS[lossName];
  const optimizer = createOptimizer(config.training);
  const schedule = createSchedule(config.training.learningRate, config.training.schedule);
  const metric = pickMetric(config.training.metrics);
  const variables = model.trainableWeights.map((weight) => ({
    name: weight.originalName,
    tensor: weight.read() as tf.Variable,
  }));
  const previousWeights = variables.map(({ tensor }) => trackWeights(tensor.dataSync() as Float32Array));
  const activationProbe = createActivationProbe(built, data.train);
  const batches = createBatcher(data, config.training.batchSize, seed);

  const trace: ProbeTrace = {
    backend,
    tfjsVersion: tf.version.tfjs,
    lossName,
    stepsPlanned: config.probe.steps,
    stepsRun: 0,
    stoppedEarly: null,
    nanStep: null,
    seconds: 0,
    initialLoss: Number.NaN,
    chanceLoss: chanceLoss(lossName, data.train.y, data.targetWidth, outputUnits),
    layers: built.layers,
    targetScale: data.targetScale,
    step: [],
    loss: [],
    learningRate: [],
    globalGradNorm: [],
    globalUpdateNorm: [],
    gradNorm: Object.fromEntries(variables.map(({ name }) => [name, []])),
    updateRatio: Object.fromEntries(variables.map(({ name }) => [name, []])),
    nonFiniteSteps: Object.fromEntries(variables.map(({ name }) => [name, []])),
    evalStep: [],
    valLoss: [],
    valMetric: metric === null ? null : { name: metric, values: [] },
    activations: activationProbe.traces,
  };
  const evaluate = (step: number) => {
    const validation = validate(model, lossFunction, data.validation, data.targetWidth, metric);
    trace.evalStep.push(step);
    trace.valLoss.push(validation.loss);
    trace.valMetric?.values.push(validation.metric);
    if (Number.isFinite(validation.loss)) schedule.observe(validation.loss);
    activationProbe.measure();
  };

  try {
    let rate = Number.NaN;
    for (let step = 0; step < config.probe.steps; step++) {
      if (step % config.probe.evalEvery === 0) evaluate(step);
      const { xs, ys } = batches.next();
      const { value, grads } = tf.variableGrads(
        () => lossFunction(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar,
        variables.map(({ tensor }) => tensor),
      );
      const loss = value.dataSync()[0]!;
      const gradientSquares = variables.map(({ name, tensor }) => {
        const squares = sumOfSquares(grads[tensor.name]!.dataSync());
        if (!Number.isFinite(squares)) trace.nonFiniteSteps[name]!.push(step);
        trace.gradNorm[name]!.push(Math.sqrt(squares));
        return squares;
      });
      const globalNorm = Math.sqrt(gradientSquares.reduce((sum, squares) => sum + squares, 0));
      const scheduled = schedule.at(step);
      if (scheduled !== rate) setLearningRate(optimizer, (rate = scheduled));
      trace.step.push(step);
      trace.loss.push(loss);
      trace.learningRate.push(rate);
      trace.globalGradNorm.push(globalNorm);
      trace.stepsRun = step + 1;
      onStep?.(step + 1, config.probe.steps, loss);
      if (!Number.isFinite(loss)) {
        trace.stoppedEarly = 'nan-loss';
        trace.nanStep = step;
        tf.dispose([xs, ys, value, grads]);
        break;
      }
      const clipping = config.training.clipNorm !== null || config.training.clipValue !== null;
      const applied = clipping ? clipGradients(grads, globalNorm, config.training) : grads;
      optimizer.applyGradients(applied);
      let updateSquares = 0;
      variables.forEach(({ name, tensor }, index) => {
        const weights = previousWeights[index]!;
        const { changeSquares, newSquares } = advanceWeights(weights, tensor.dataSync() as Float32Array);
        // Undefined (NaN) while the weights are all zero, as a bias is before its first update.
        trace.updateRatio[name]!.push(weights.squares > 0 ? Math.sqrt(changeSquares / weights.squares) : Number.NaN);
        weights.squares = newSquares;
        updateSquares += changeSquares;
      });
      trace.globalUpdateNorm.push(Math.sqrt(updateSquares));
      tf.dispose([xs, ys, value, grads, ...(applied === grads ? [] : [applied])]);
      if (performance.now() - started > config.probe.maxSeconds * 1000) {
        trace.stoppedEarly = 'time-budget';
        break;
      }
      if (isLost?.(trace.loss, toOriginalUnits) === true) {
        trace.stoppedEarly = 'lost-trial';
        break;
      }
    }
    if (trace.stoppedEarly !== 'nan-loss') evaluate(trace.stepsRun);
  } finally {
    // The exposing model owns no weights of its own: disposing the user's model frees them all.
    optimizer.dispose();
  }
  trace.initialLoss = trace.loss[0] ?? Number.NaN;
  trace.seconds = (performance.now() - started) / 1000;
  return trace;
}

/**
 * `clipNorm` scales the whole gradient to at most that global norm (tf.clip_by_global_norm, as
 * Keras' global_clipnorm); `clipValue` clips each value. tfjs optimizers have neither.
 */
export function clipGradients(
  grads: tf.NamedTensorMap,
  globalNorm: number,
  { clipNorm, clipValue }: Config['training'],
): tf.NamedTensorMap {
  return tf.tidy(() => {
    const entries = Object.entries(grads).map(([name, gradient]): [string, tf.Tensor] => {
      let clipped = gradient;
      if (clipNorm !== null && globalNorm > clipNorm) clipped = tf.mul(clipped, clipNorm / globalNorm);
      if (clipValue !== null) clipped = tf.clipByValue(clipped, -clipValue, clipValue);
      // A fresh tensor either way, so the caller can dispose grads and the result alike.
      return [name, clipped === gradient ? tf.clone(gradient) : clipped];
    });
    return Object.fromEntries(entries);
  });
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

function sumOfSquares(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * values[i]!;
  return sum;
}

/** A variable's values at the last step, and their sum of squares, to measure the next update against. */
interface TrackedWeights {
  values: Float32Array;
  squares: number;
}

function trackWeights(values: Float32Array): TrackedWeights {
  return { values: Float32Array.from(values), squares: sumOfSquares(values) };
}

/** One pass over new weights: the squared size of the change, the new sum of squares, and the copy kept for next time. */
function advanceWeights(weights: TrackedWeights, after: Float32Array): { changeSquares: number; newSquares: number } {
  const before = weights.values;
  let changeSquares = 0;
  let newSquares = 0;
  for (let i = 0; i < after.length; i++) {
    const value = after[i]!;
    changeSquares += (value - before[i]!) ** 2;
    newSquares += value * value;
    before[i] = value;
  }
  return { changeSquares, newSquares };
}

/**
 * Shuffled mini-batches, reshuffled every epoch, built in reused typed arrays (a tf.slice per batch
 * is slow on wasm). The same seed gives the same data order wherever a run is trained.
 */
export function createBatcher(data: ProbeData, batchSize: number, seed: number) {
  const random = createRandom(seed + SHUFFLE_SEED_OFFSET);
  const { rows } = data.train;
  const size = Math.min(batchSize, rows);
  const order = Array.from({ length: rows }, (_, index) => index);
  const xBatch = new Float32Array(size * data.features);
  const yBatch = new Float32Array(size * data.targetWidth);
  let cursor = rows;
  return {
    next(): { xs: tf.Tensor; ys: tf.Tensor } {
      for (let slot = 0; slot < size; slot++) {
        if (cursor === rows) {
          shuffleInPlace(order, random);
          cursor = 0;
        }
        const row = order[cursor++]!;
        xBatch.set(data.train.x.subarray(row * data.features, (row + 1) * data.features), slot * data.features);
        yBatch.set(
          data.train.y.subarray(row * data.targetWidth, (row + 1) * data.targetWidth),
          slot * data.targetWidth,
        );
      }
      return { xs: tf.tensor(xBatch, [size, ...data.inputShape]), ys: tf.tensor2d(yBatch, [size, data.targetWidth]) };
    },
  };
}

/** Mean loss and metric over the validation rows, in chunks. NaN when there are none. */
function validate(
  model: tf.Sequential,
  lossFunction: LossFunction,
  examples: ProbeExamples,
  width: number,
  metric: ReturnType<typeof pickMetric>,
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

/**
 * Per-layer statistics on a fixed batch of training rows, read through a model that exposes every
 * layer's output. Layers that only pass values through (flatten, dropout, ...) are skipped: their
 * statistics would repeat the layer before.
 */
function createActivationProbe(built: BuiltModel, train: ProbeExamples) {
  const { model, layers } = built;
  const rows = Math.min(PROBE_BATCH_ROWS, train.rows);
  const features = train.x.length / Math.max(1, train.rows);
  const inputShape = model.inputs[0]!.shape.slice(1) as number[];
  const batch = train.x.subarray(0, rows * features);
  const measured = layers
    .map((layer, index) => ({ layer, index }))
    .filter(({ layer }) => !PASS_THROUGH_LAYERS.has(layer.type));
  const exposed = tf.model({
    inputs: model.inputs,
    outputs: measured.map(({ index }) => model.layers[index]!.output as tf.SymbolicTensor),
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
