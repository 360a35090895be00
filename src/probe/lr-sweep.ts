/**
 * The learning-rate range test, the tfjs half: one fresh, seeded model trained with the config's
 * optimizer, loss, batch size and clipping while the learning rate grows exponentially, one rate per
 * step, recording the training loss of every step. It stops at the first non-finite loss (which is
 * recorded) or when the smoothed loss passes 4× its best (createDivergenceMonitor, shared with the
 * analysis in src/trials/lr-range.ts).
 *
 * As in fastai and Lightning, `loss[i]` is the loss of the batch of step i, computed before that
 * step's update, which is made at `learningRate[i]`: the loss at step i shows the effect of the
 * rates up to step i-1.
 */
import tf from '../util/tfjs.cjs';
import type { Config } from '../config/schema.js';
import type { Dataset } from '../data/dataset.js';
import {
  burnInSteps,
  createDivergenceMonitor,
  LR_SWEEP_DEFAULTS,
  sweepLearningRates,
  type SweepStop,
} from './lr-sweep-rules.js';
import type { BuiltModel } from '../model/build.js';
import type { ModelGraph } from '../model/model-graph.js';
import type { LayerSpec } from '../model/layer-spec.js';
import type { ModelIO } from './model-io.js';
import { trainingObjective } from './objective.js';
import { createOptimizer, setLearningRate } from './optimizer.js';
import { buildProbeModel, clipGradients, createBatcher } from './run-probe.js';
import { withSeededRandom } from './seeded-random.js';

export interface LrSweepInput {
  config: Config;
  dataset: Dataset;
  /** The model's layers: the config's list or a converted model file. */
  layers: readonly LayerSpec[];
  /** The model as a graph of those layers, when it is not one chain. */
  graph?: ModelGraph;
  /** Which columns feed which input and output of a model with several (model-io.ts). */
  io?: ModelIO;
  /** Names layer `index` in messages ("model.layers.2"). */
  describeLayer: (index: number) => string;
  seed: number;
}

export interface LrSweepOptions {
  minLr?: number;
  maxLr?: number;
  steps?: number;
}

export interface LrSweep {
  /** The rate of each step that ran. */
  learningRate: number[];
  /** The training loss of each step that ran; the last is non-finite when the sweep stopped on it. */
  loss: number[];
  /** Steps planned: the sweep's burn-in is a fraction of these, not of the steps that ran. */
  stepsPlanned: number;
  /** Why the sweep ended before `maxLr`; null when it ran every step. */
  stoppedEarly: SweepStop | 'time-budget' | null;
  /** The loss's name; with several outputs, theirs joined by " + ". */
  lossName: string;
}

export function runLrSweep(input: LrSweepInput, options: LrSweepOptions = {}): LrSweep {
  const { minLr = LR_SWEEP_DEFAULTS.minLr, maxLr = LR_SWEEP_DEFAULTS.maxLr, steps = LR_SWEEP_DEFAULTS.steps } = options;
  if (!(minLr > 0 && maxLr > minLr && Number.isInteger(steps) && steps >= 2)) {
    throw new RangeError(`an LR sweep needs 0 < minLr < maxLr and at least 2 steps (got ${minLr}, ${maxLr}, ${steps})`);
  }
  // Synchronous on purpose: the seeded Math.random scope must not be left at an await.
  return withSeededRandom(input.seed, () => {
    const built = buildProbeModel(input);
    try {
      return sweep(input, built, sweepLearningRates(minLr, maxLr, steps));
    } finally {
      built.model.dispose();
    }
  });
}

function sweep({ config, dataset, seed, io }: LrSweepInput, built: BuiltModel, rates: readonly number[]): LrSweep {
  const started = performance.now();
  const { training } = config;
  const { model } = built;
  const { data, lossName, loss: computeLoss } = trainingObjective(config, dataset, built, io?.outputs);
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const batches = createBatcher(data, training.batchSize, seed);
  const monitor = createDivergenceMonitor(burnInSteps(rates.length));
  const optimizer = createOptimizer(training);
  const result: LrSweep = { learningRate: [], loss: [], stepsPlanned: rates.length, stoppedEarly: null, lossName };
  try {
    for (const rate of rates) {
      setLearningRate(optimizer, rate);
      const { xs, ys } = batches.next();
      const { value, grads } = tf.variableGrads(
        () => computeLoss(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar,
        variables,
      );
      const loss = value.dataSync()[0]!;
      result.learningRate.push(rate);
      result.loss.push(loss);
      const { stop } = monitor.observe(loss);
      let applied = grads;
      if (stop === null) {
        if (training.clipNorm !== null || training.clipValue !== null)
          applied = clipGradients(grads, globalNorm(grads), training);
        optimizer.applyGradients(applied);
      }
      tf.dispose([xs, ys, value, grads, ...(applied === grads ? [] : [applied])]);
      if (stop !== null) {
        result.stoppedEarly = stop;
        break;
      }
      if (performance.now() - started > config.probe.maxSeconds * 1000) {
        result.stoppedEarly = 'time-budget';
        break;
      }
    }
  } finally {
    optimizer.dispose();
  }
  return result;
}

/** The global gradient norm, read only when the config clips (clipNorm needs it). */
function globalNorm(grads: tf.NamedTensorMap): number {
  let squares = 0;
  for (const gradient of Object.values(grads)) {
    const values = gradient.dataSync();
    for (let i = 0; i < values.length; i++) squares += values[i]! * values[i]!;
  }
  return Math.sqrt(squares);
}
