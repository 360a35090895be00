/**
 * The probe: a short, seeded, time-bounded training run of the user's model on the sampled data,
 * recording at every step the loss and, per trainable variable, the gradient norm, the update
 * ratio ‖Δw‖/‖w‖ and non-finite values; and every `evalEvery` steps the validation loss and metric
 * and per-layer activation statistics. A custom loop, not model.fit: it reads what fit hides.
 *
 * Norms are sums in float64 over the values where they lie (squared-sums.ts: on wasm in its heap,
 * without a copy), rather than extra tensor ops: on small models each tfjs op costs more in dispatch
 * than the arithmetic, and on the 784-784-50-10 MLP a float32 reduction on the wasm backend took
 * 2.5 ms per step against 1.4 ms for JavaScript loops and 0.6 ms for wasm SIMD (docs/performance.md).
 */
import tf from '../util/tfjs.cjs';
import type { Config } from '../config/schema.js';
import type { Dataset } from '../data/dataset.js';
import { buildModel, type BuildIO, type BuiltModel } from '../model/build.js';
import type { LayerSpec } from '../model/layer-spec.js';
import type { ModelGraph } from '../model/model-graph.js';
import { comparableLossFactor } from '../trace/loss-units.js';
import type { OutputTrace, ProbeTrace } from '../trace/trace.js';
import { createRandom, shuffleInPlace } from '../util/random.js';
import { createActivationProbe, validate, type ActivationProbe } from './evaluation.js';
import { majorityAccuracy, pickMetric, type MetricName } from './metrics.js';
import type { ModelIO } from './model-io.js';
import { trainingObjective, type HeadRecorder, type Objective } from './objective.js';
import { createOptimizer, setLearningRate } from './optimizer.js';
import type { ProbeData } from './probe-data.js';
import { probeLength, runPlan } from './run-plan.js';
import { createSchedule, type LearningRateSchedule } from './schedule.js';
import { squaredSums, type SquaredSums } from './squared-sums.js';
import { withSeededRandom } from './seeded-random.js';

export interface ProbeInput {
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
  /** The backend chosen by selectBackend, for the trace. */
  backend: string;
  /** The seed of this probe run (the config's, or one of several for repeated probes). */
  seed: number;
  /**
   * Asked after each step with the training losses so far, the factor that takes them to the
   * target's original units and the validation losses so far; true stops the run as a lost trial.
   */
  isLost?: (losses: readonly number[], toOriginalUnits: number, validation: readonly number[]) => boolean;
  /** Told each step's training loss, for a progress line. */
  onStep?: StepListener;
  /**
   * Record only what a trial's score reads: losses and validation, not the per-variable gradient
   * norms, update ratios and activation statistics the symptom checks read (the global gradient
   * norm is still measured when the config clips by it). On the 784-784-50-10 MLP those took
   * a fifth of each --apply-fix run; training itself is the same, step for step.
   */
  scoresOnly?: boolean;
}

/** Hears step `step` of `steps` and its training loss. */
export type StepListener = (step: number, steps: number, loss: number) => void;

/** Shuffling draws from its own stream, so the data order does not depend on how many weights there are. */
const SHUFFLE_SEED_OFFSET = 7;

export function runProbe(input: ProbeInput): ProbeTrace {
  // Synchronous on purpose: the seeded Math.random scope must not be left at an await.
  return withSeededRandom(input.seed, () => {
    const built = buildProbeModel(input);
    try {
      return train(input, built);
    } finally {
      built.model.dispose();
    }
  });
}

/** The model a probe run or an LR sweep trains, built for the probe's flat rows. */
export function buildProbeModel(
  input: Pick<ProbeInput, 'layers' | 'dataset' | 'describeLayer' | 'graph' | 'io'>,
): BuiltModel {
  return buildModel(input.layers, input.dataset.inputShape, input.describeLayer, input.graph, buildIO(input.io));
}

/** How a model with several inputs or outputs is built for the probe's flat rows (build.ts). */
export function buildIO(io: ModelIO | undefined): BuildIO {
  return { ...(io?.inputs === undefined ? {} : { inputs: io.inputs }), joinOutputs: io?.outputs !== undefined };
}

/** What a probe run keeps from step to step. */
interface ProbeRun {
  model: tf.LayersModel;
  training: Config['training'];
  data: ProbeData;
  objective: Objective;
  /** A model with several outputs: appends each output's training loss to the trace. */
  recordHeads?: HeadRecorder;
  optimizer: tf.Optimizer;
  schedule: LearningRateSchedule;
  metric: MetricName | null;
  variables: { name: string; tensor: tf.Variable }[];
  /** Per variable, its weights after the last step. */
  previousWeights: TrackedWeights[];
  sums: SquaredSums;
  activationProbe: ActivationProbe;
  batches: ReturnType<typeof createBatcher>;
  trace: ProbeTrace;
  /** The learning rate the optimizer has: set only when the schedule changes it (NaN before the first step). */
  rate: number;
  scoresOnly: boolean;
}

function train(input: ProbeInput, built: BuiltModel): ProbeTrace {
  const { config, isLost, onStep } = input;
  const { evalEvery } = config.probe;
  const clock = startClock(config.probe.maxSeconds);
  const run = startRun(input, built);
  const { trace } = run;
  const steps = trace.stepsPlanned;
  // Constant over the run: a lost-trial check compares every step's losses in the target's original units.
  const toOriginalUnits = comparableLossFactor({ lossName: trace.lossName, targetScale: run.data.targetScale });
  try {
    for (let step = 0; step < steps && trace.stoppedEarly === null; step++) {
      if (step % evalEvery === 0) clock.evaluationMs = millisecondsOf(() => evaluate(run, step));
      const stepStarted = performance.now();
      const finite = trainStep(run, step, onStep);
      clock.stepMs = performance.now() - stepStarted;
      if (!finite) {
        trace.stoppedEarly = 'nan-loss';
        trace.nanStep = step;
      } else if (step + 1 < steps && !nextStepFits(clock, (step + 1) % evalEvery === 0))
        trace.stoppedEarly = 'time-budget';
      else if (isLost?.(trace.loss, toOriginalUnits, trace.valLoss) === true) trace.stoppedEarly = 'lost-trial';
    }
    if (trace.stoppedEarly !== 'nan-loss') evaluate(run, trace.stepsRun);
  } finally {
    run.optimizer.dispose();
    tf.dispose(run.previousWeights.map(({ values }) => values));
  }
  trace.initialLoss = trace.loss[0] ?? Number.NaN;
  trace.seconds = (performance.now() - clock.started) / 1000;
  return trace;
}

/**
 * The budget and how long the last step and evaluation took. A step cannot be interrupted once
 * started (a 224x224x3 MobileNet step on wasm ran 101 s past a 60 s budget when only finished
 * steps were checked), so one is started only when it, an evaluation due before it and the final
 * evaluation fit in what is left, at the speed of the last ones.
 */
interface ProbeClock {
  started: number;
  budgetMs: number;
  stepMs: number;
  evaluationMs: number;
}

function startClock(maxSeconds: number): ProbeClock {
  return { started: performance.now(), budgetMs: maxSeconds * 1000, stepMs: 0, evaluationMs: 0 };
}

function millisecondsOf(work: () => void): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

function nextStepFits(clock: ProbeClock, evaluationDue: boolean): boolean {
  const needed = (evaluationDue ? clock.evaluationMs : 0) + clock.stepMs + clock.evaluationMs;
  return performance.now() - clock.started + needed <= clock.budgetMs;
}

function startRun({ config, dataset, backend, seed, io, scoresOnly = false }: ProbeInput, built: BuiltModel): ProbeRun {
  const { model } = built;
  const objective = trainingObjective(config, dataset, built, io?.outputs);
  const { data } = objective;
  const metric = objective.heads === undefined ? pickMetric(config.training.metrics) : null;
  const variables = model.trainableWeights.map((weight) => ({
    name: weight.originalName,
    tensor: weight.read() as tf.Variable,
  }));
  const activationProbe = createActivationProbe(built, data.train);
  const plan = runPlan(config, dataset.summary);
  const sums = squaredSums();
  const trace = emptyTrace(
    {
      backend,
      lossName: objective.lossName,
      stepsPlanned: probeLength(config, plan),
      plan,
      chanceLoss: objective.chanceLoss,
      layers: built.layers,
      targetScale: data.targetScale,
      activations: activationProbe.traces,
    },
    variables.map(({ name }) => name),
    metric,
    metric === 'accuracy' ? majorityAccuracy(data.validation.y, data.targetWidth) : null,
  );
  const outputs = outputTraces(objective);
  if (outputs !== undefined) trace.outputs = outputs;
  return {
    model,
    training: config.training,
    data,
    objective,
    ...(outputs === undefined
      ? {}
      : { recordHeads: (losses) => losses.forEach((loss, index) => outputs[index]!.loss.push(loss)) }),
    optimizer: createOptimizer(config.training),
    schedule: createSchedule(config.training.learningRate, config.training.schedule),
    metric,
    variables,
    previousWeights: scoresOnly ? [] : variables.map(({ tensor }) => trackWeights(tensor, sums)),
    sums,
    activationProbe,
    batches: createBatcher(data, config.training.batchSize, seed),
    trace,
    rate: Number.NaN,
    scoresOnly,
  };
}

/** A model with several outputs: each output's empty series, to fill step by step. */
function outputTraces(objective: Objective): OutputTrace[] | undefined {
  return objective.heads?.map((head) => ({
    name: head.name,
    lossName: head.lossName,
    task: head.task,
    weight: head.weight,
    chanceLoss: head.chanceLoss,
    shape: head.outputShape,
    loss: [],
    valLoss: [],
  }));
}

/** The trace before the first step: what the run is, and an empty series for everything it records. */
function emptyTrace(
  run: Pick<
    ProbeTrace,
    'backend' | 'lossName' | 'stepsPlanned' | 'plan' | 'chanceLoss' | 'layers' | 'targetScale' | 'activations'
  >,
  variables: readonly string[],
  metric: MetricName | null,
  chanceAccuracy: number | null,
): ProbeTrace {
  const perVariable = () => Object.fromEntries(variables.map((name) => [name, []]));
  return {
    backend: run.backend,
    tfjsVersion: tf.version.tfjs,
    lossName: run.lossName,
    stepsPlanned: run.stepsPlanned,
    ...(run.plan === undefined ? {} : { plan: run.plan }),
    stepsRun: 0,
    stoppedEarly: null,
    nanStep: null,
    seconds: 0,
    initialLoss: Number.NaN,
    chanceLoss: run.chanceLoss,
    layers: run.layers,
    targetScale: run.targetScale,
    step: [],
    loss: [],
    learningRate: [],
    globalGradNorm: [],
    globalUpdateNorm: [],
    gradNorm: perVariable(),
    updateRatio: perVariable(),
    nonFiniteSteps: perVariable(),
    evalStep: [],
    valLoss: [],
    valMetric:
      metric === null
        ? null
        : { name: metric, values: [], ...(chanceAccuracy === null ? {} : { chance: chanceAccuracy }) },
    activations: run.activations,
  };
}

/** The validation loss and metric, and the activation statistics, at `step`. */
function evaluate(run: ProbeRun, step: number): void {
  const { trace } = run;
  const perOutput = run.trace.outputs?.map(() => 0);
  // Each output's validation loss, summed over the chunks validate() makes, weighted by their rows.
  const record = (yTrue: tf.Tensor) => (losses: readonly number[]) =>
    losses.forEach((loss, index) => (perOutput![index]! += loss * yTrue.shape[0]));
  const loss = (yTrue: tf.Tensor, yPred: tf.Tensor) =>
    run.objective.loss(yTrue, yPred, perOutput === undefined ? undefined : record(yTrue));
  const validation = validate(run.model, loss, run.data.validation, run.data.targetWidth, run.metric);
  const rows = run.data.validation.rows;
  trace.outputs?.forEach((output, index) => output.valLoss.push(rows > 0 ? perOutput![index]! / rows : Number.NaN));
  trace.evalStep.push(step);
  trace.valLoss.push(validation.loss);
  trace.valMetric?.values.push(validation.metric);
  if (Number.isFinite(validation.loss)) run.schedule.observe(validation.loss);
  if (!run.scoresOnly) run.activationProbe.measure();
}

/** One step: the batch's loss and gradients recorded, then the update; false (and no update) when the loss is not finite. */
function trainStep(run: ProbeRun, step: number, onStep: StepListener | undefined): boolean {
  const { model, objective, optimizer, trace, training } = run;
  const { xs, ys } = run.batches.next();
  const { value, grads } = tf.variableGrads(
    () => objective.loss(ys, model.apply(xs, { training: true }) as tf.Tensor, run.recordHeads) as tf.Scalar,
    run.variables.map(({ tensor }) => tensor),
  );
  const loss = value.dataSync()[0]!;
  const clipping = training.clipNorm !== null || training.clipValue !== null;
  const globalNorm = run.scoresOnly && !clipping ? Number.NaN : recordGradients(run, step, grads);
  const scheduled = run.schedule.at(step);
  if (scheduled !== run.rate) setLearningRate(optimizer, (run.rate = scheduled));
  trace.step.push(step);
  trace.loss.push(loss);
  trace.learningRate.push(run.rate);
  trace.globalGradNorm.push(globalNorm);
  trace.stepsRun = step + 1;
  onStep?.(step + 1, trace.stepsPlanned, loss);
  if (!Number.isFinite(loss)) {
    tf.dispose([xs, ys, value, grads]);
    return false;
  }
  const applied = clipping ? clipGradients(grads, globalNorm, training) : grads;
  optimizer.applyGradients(applied);
  if (!run.scoresOnly) recordUpdates(run);
  tf.dispose([xs, ys, value, grads, ...(applied === grads ? [] : [applied])]);
  return true;
}

/** Each variable's gradient norm and non-finite steps; returns the global norm. */
function recordGradients({ variables, trace, sums }: ProbeRun, step: number, grads: tf.NamedTensorMap): number {
  const gradientSquares = variables.map(({ name, tensor }) => {
    const squares = sums.sumOfSquares(grads[tensor.name]!);
    if (!Number.isFinite(squares)) trace.nonFiniteSteps[name]!.push(step);
    trace.gradNorm[name]!.push(Math.sqrt(squares));
    return squares;
  });
  return Math.sqrt(gradientSquares.reduce((sum, squares) => sum + squares, 0));
}

/** Each variable's update ratio ‖Δw‖/‖w‖ and the global update norm of the step just applied. */
function recordUpdates({ variables, previousWeights, trace, sums }: ProbeRun): void {
  let updateSquares = 0;
  variables.forEach(({ name, tensor }, index) => {
    const weights = previousWeights[index]!;
    const { changeSquares, newSquares } = sums.updateSums(weights.values, tensor);
    weights.values.dispose();
    weights.values = tf.clone(tensor);
    // Undefined (NaN) while the weights are all zero, as a bias is before its first update.
    trace.updateRatio[name]!.push(weights.squares > 0 ? Math.sqrt(changeSquares / weights.squares) : Number.NaN);
    weights.squares = newSquares;
    updateSquares += changeSquares;
  });
  trace.globalUpdateNorm.push(Math.sqrt(updateSquares));
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

/** A variable's values at the last step (a copy: the optimizer replaces the variable's), and their sum of squares. */
interface TrackedWeights {
  values: tf.Tensor;
  squares: number;
}

function trackWeights(tensor: tf.Variable, sums: SquaredSums): TrackedWeights {
  return { values: tf.clone(tensor), squares: sums.sumOfSquares(tensor) };
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
