/**
 * One backend of the probe-speed benchmark, in a process of its own (tfjs picks its backend once
 * per process): `node --expose-gc --import tsx bench/probe-worker.ts <wasm|cpu|node> [case ...]`.
 * Prints one line `PROBE_BENCH_RESULT {json}` (a WorkerReport) on stdout; progress goes to stderr.
 *
 * Per model, after a 10-step warm-up of every path (preceded, for the first model of the process,
 * by one full-length probe timed as the cold run of a `convdoc probe` process), each repetition
 * times, from the layer specs to a trained and disposed model (building the model is in every
 * timing, as it is in the probe's; fit's rows are drawn before its clock starts), in wall and CPU time:
 *   fit           plain model.fit on exactly steps × 32 rows (adam 1e-3)
 *   bareLoop      tf.variableGrads + optimizer.applyGradients + reading the loss: the probe minus instrumentation
 *   probeNoEval   runProbe with evalEvery > steps (it still evaluates at step 0 and at the end)
 *   probeFull     runProbe with evalEvery 10
 * Every path trains the same model, built by the probe's own buildModel (the model as written), from
 * the same seeded initial weights on the same batches. Every timing is the median of 3 repetitions;
 * the paths alternate within a repetition so that a slow phase of the machine hits them all alike.
 */
import * as tf from '@tensorflow/tfjs';
import { ConvdocError } from '../src/errors.js';
import type { Dataset } from '../src/data/dataset.js';
import { buildModel, type LayerSpec } from '../src/model/build.js';
import type { LossName } from '../src/config/losses.js';
import { selectBackend, type BackendChoice } from '../src/probe/backend.js';
import { LOSS_FUNCTIONS } from '../src/probe/losses.js';
import { createOptimizer } from '../src/probe/optimizer.js';
import { defaultLoss, prepareProbeData, type ProbeData } from '../src/probe/probe-data.js';
import { createBatcher, runProbe } from '../src/probe/run-probe.js';
import { withSeededRandom } from '../src/probe/seeded-random.js';
import type { ProbeTrace } from '../src/trace/trace.js';
import { mean, median } from '../src/util/stats.js';
import type { LoadedConfig } from '../src/config/load.js';
import { BATCH_SIZE, EVAL_EVERY, PROBE_CASES, type ProbeCase } from './probe-cases.js';
import {
  PROBE_BACKENDS,
  PROBE_PATHS,
  RESULT_MARKER,
  type PathTiming,
  type ProbeBackendChoice,
  type ProbeCaseMeasurement,
  type ProbePath,
  type WorkerReport,
} from './probe-types.js';

const REPETITIONS = 3;
const WARMUP_STEPS = 10;

const log = (message: string) => process.stderr.write(`  [${process.argv[2]}] ${message}\n`);
const collectGarbage = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function main(): Promise<WorkerReport> {
  const choice = process.argv[2] as BackendChoice;
  if (!PROBE_BACKENDS.some((backend) => backend.choice === choice))
    throw new Error(`unknown backend choice ${String(choice)}`);
  const wanted = process.argv.slice(3);
  const cases = PROBE_CASES.filter((probeCase) => wanted.length === 0 || wanted.includes(probeCase.name));
  const loadedCases = [];
  for (const probeCase of cases) {
    const started = performance.now();
    const loaded = await probeCase.load();
    loadedCases.push({ probeCase, ...loaded, datasetSeconds: (performance.now() - started) / 1000 });
  }
  let selection;
  try {
    // Through the product's own selection: tfjs-node when it loads, convdoc's wasm kernels, the PROD flag.
    selection = await selectBackend(
      choice,
      loadedCases.flatMap(({ layers }) => layers.map((layer) => layer.type)),
    );
  } catch (error) {
    if (error instanceof ConvdocError)
      return { available: false, choice: choice as ProbeBackendChoice, reason: error.message };
    throw error;
  }
  log(`backend ${selection.name} (${selection.reason})`);
  const measurements: ProbeCaseMeasurement[] = [];
  for (const [index, loadedCase] of loadedCases.entries())
    measurements.push(await measureCase(loadedCase, selection.name, index === 0));
  return {
    available: true,
    backend: selection.name,
    reason: selection.reason,
    tfjsVersion: tf.version.tfjs,
    nodeVersion: process.version,
    cases: measurements,
  };
}

interface LoadedCase {
  probeCase: ProbeCase;
  loaded: LoadedConfig;
  layers: LayerSpec[];
  dataset: Dataset;
  datasetSeconds: number;
}

interface RunOutcome {
  seconds: number;
  /** CPU seconds of this process over the same span (see PathTiming.cpuSeconds). */
  cpuSeconds: number;
  /** Mean training loss over the steps (what model.fit's history reports for the epoch). */
  meanLoss: number;
  trace?: ProbeTrace;
}

async function measureCase(
  { probeCase, loaded, layers, dataset, datasetSeconds }: LoadedCase,
  backend: string,
  isFirstCase: boolean,
): Promise<ProbeCaseMeasurement> {
  const { config } = loaded;
  const tensorsBefore = tf.memory().numTensors;
  const steps = probeCase.steps(backend);
  const describeLayer = (index: number) => `model.layers.${index}`;
  const buildTrainable = () => buildModel(layers, dataset.inputShape, describeLayer).model;
  const { outputUnits, trainableParams } = withSeededRandom(config.seed, () => {
    const model = buildTrainable();
    const units = model.outputs[0]!.shape.at(-1) ?? 1;
    const count = model.trainableWeights.reduce(
      (sum, weight) => sum + weight.shape.reduce((product: number, size) => product * (size ?? 1), 1),
      0,
    );
    model.dispose();
    return { outputUnits: units, trainableParams: count };
  });
  // The loss and the data exactly as runProbe derives them.
  const lossName: LossName = config.training.loss ?? defaultLoss(dataset.summary.task, dataset);
  const data = prepareProbeData(dataset, config, lossName, outputUnits);

  const probe = (runSteps: number, evalEvery: number): RunOutcome => {
    const probeConfig = { ...config, probe: { ...config.probe, steps: runSteps, evalEvery } };
    const clock = startClock();
    const trace = runProbe({ config: probeConfig, dataset, layers, describeLayer, backend, seed: config.seed });
    const { seconds, cpuSeconds } = clock();
    if (trace.stepsRun !== runSteps)
      throw new Error(
        `${probeCase.name}: the probe ran ${trace.stepsRun} of ${runSteps} steps (stopped: ${trace.stoppedEarly})`,
      );
    return { seconds, cpuSeconds, meanLoss: mean(trace.loss), trace };
  };
  const runners: Record<ProbePath, (runSteps: number) => RunOutcome | Promise<RunOutcome>> = {
    fit: (runSteps) => plainFit(probeCase, buildTrainable, data, runSteps, config.seed),
    bareLoop: (runSteps) => bareLoop(buildTrainable, loaded, lossName, data, runSteps),
    probeNoEval: (runSteps) => probe(runSteps, runSteps + 1),
    probeFull: (runSteps) => probe(runSteps, EVAL_EVERY),
  };
  const order = PROBE_PATHS;

  let first: RunOutcome | undefined;
  if (isFirstCase) {
    log(`${probeCase.name}: first full probe in the process (${steps} steps)`);
    collectGarbage();
    first = probe(steps, EVAL_EVERY);
  }
  log(`${probeCase.name}: warm-up (${WARMUP_STEPS} steps per path)`);
  for (const path of order) await runners[path](WARMUP_STEPS);

  const outcomes = Object.fromEntries(order.map((path) => [path, [] as RunOutcome[]])) as Record<
    ProbePath,
    RunOutcome[]
  >;
  for (let repetition = 1; repetition <= REPETITIONS; repetition++) {
    for (const path of order) {
      collectGarbage();
      outcomes[path].push(await runners[path](steps));
    }
    log(
      `${probeCase.name}: repetition ${repetition}/${REPETITIONS}: ${order.map((path) => `${path} ${outcomes[path].at(-1)!.seconds.toFixed(3)} s (cpu ${outcomes[path].at(-1)!.cpuSeconds.toFixed(3)})`).join(', ')}`,
    );
  }
  const timing = (path: ProbePath): PathTiming => {
    const seconds = outcomes[path].map((outcome) => outcome.seconds);
    const cpuSeconds = outcomes[path].map((outcome) => outcome.cpuSeconds);
    const medianSeconds = median(seconds);
    return {
      seconds,
      medianSeconds,
      stepsPerSecond: steps / medianSeconds,
      cpuSeconds,
      medianCpuSeconds: median(cpuSeconds),
    };
  };
  const lastTrace = (path: 'probeNoEval' | 'probeFull') => outcomes[path].at(-1)!.trace!;
  return {
    case: probeCase.name,
    description: probeCase.describe(dataset),
    steps,
    batchSize: BATCH_SIZE,
    evalEvery: EVAL_EVERY,
    trainRows: dataset.train.rows,
    validationRows: dataset.validation.rows,
    trainableParams,
    timings: Object.fromEntries(order.map((path) => [path, timing(path)])) as Record<ProbePath, PathTiming>,
    evaluations: {
      probeNoEval: lastTrace('probeNoEval').evalStep.length,
      probeFull: lastTrace('probeFull').evalStep.length,
    },
    ...(first === undefined ? {} : { coldProbeSeconds: first.seconds }),
    traceSeconds: median(outcomes.probeFull.map((outcome) => outcome.trace!.seconds)),
    datasetSeconds,
    meanLoss: {
      fit: outcomes.fit.at(-1)!.meanLoss,
      bareLoop: outcomes.bareLoop.at(-1)!.meanLoss,
      probeFull: outcomes.probeFull.at(-1)!.meanLoss,
    },
    leakedTensors: tf.memory().numTensors - tensorsBefore,
  };
}

/**
 * n batches of the probe's own batcher in one array, drawn before the clock starts: model.fit
 * then sees exactly the rows the probe trains on, in the same order.
 */
function probeRows(data: ProbeData, seed: number, batches: number): { x: Float32Array; y: Float32Array } {
  const batcher = createBatcher(data, BATCH_SIZE, seed);
  const x = new Float32Array(batches * BATCH_SIZE * data.features);
  const y = new Float32Array(batches * BATCH_SIZE * data.targetWidth);
  for (let batch = 0; batch < batches; batch++) {
    const { xs, ys } = batcher.next();
    x.set(xs.dataSync(), batch * BATCH_SIZE * data.features);
    y.set(ys.dataSync(), batch * BATCH_SIZE * data.targetWidth);
    tf.dispose([xs, ys]);
  }
  return { x, y };
}

/** model.fit over exactly steps × 32 rows (drawn as the probe draws its batches, before the clock starts). */
async function plainFit(
  probeCase: ProbeCase,
  build: () => tf.LayersModel,
  data: ProbeData,
  steps: number,
  seed: number,
): Promise<RunOutcome> {
  const rows = steps * BATCH_SIZE;
  const { x, y } = probeRows(data, seed, steps);
  const clock = startClock();
  const model = withSeededRandom(seed, build);
  const optimizer = tf.train.adam(1e-3);
  model.compile({ optimizer, loss: probeCase.fitLoss });
  const xs = tf.tensor(x, [rows, ...data.inputShape]);
  const ys = tf.tensor2d(y, [rows, data.targetWidth]);
  const history = await model.fit(xs, ys, { batchSize: BATCH_SIZE, epochs: 1, shuffle: false, verbose: 0 });
  tf.dispose([xs, ys]);
  model.dispose();
  optimizer.dispose();
  return { ...clock(), meanLoss: Number(history.history['loss']?.at(-1)) };
}

/**
 * What the probe does per step minus its instrumentation: gradients, the update, the loss read
 * back. These lines repeat runProbe's step on purpose: runProbe cannot run without its
 * read-backs, norms and evaluations, and this loop is the baseline they are measured against.
 */
function bareLoop(
  build: () => tf.LayersModel,
  { config }: LoadedConfig,
  lossName: LossName,
  data: ProbeData,
  steps: number,
): RunOutcome {
  const clock = startClock();
  let lossSum = 0;
  withSeededRandom(config.seed, () => {
    const model = build();
    const optimizer = createOptimizer(config.training);
    const lossFunction = LOSS_FUNCTIONS[lossName];
    const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
    const batches = createBatcher(data, BATCH_SIZE, config.seed);
    for (let step = 0; step < steps; step++) {
      const { xs, ys } = batches.next();
      const { value, grads } = tf.variableGrads(
        () => lossFunction(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar,
        variables,
      );
      lossSum += value.dataSync()[0]!;
      optimizer.applyGradients(grads);
      tf.dispose([xs, ys, value, grads]);
    }
    optimizer.dispose();
    model.dispose();
  });
  return { ...clock(), meanLoss: lossSum / steps };
}

/** Starts a wall and a CPU-time clock; calling the result reads both, in seconds. */
function startClock(): () => { seconds: number; cpuSeconds: number } {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { seconds: (performance.now() - wall) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
  };
}

const report = await main();
process.stdout.write(`${RESULT_MARKER}${JSON.stringify(report)}\n`);
