/**
 * The three reference models of the probe-speed benchmark and their data: an MLP 13→64→64→1 on
 * Boston (fixtures/boston/housing.csv, standardized), an MLP 784→128→10 and a small CNN on a
 * deterministic synthetic MNIST-sized set (2,000 rows × 784 values in [0, 1], 10 classes).
 * Every config trains with adam 1e-3 and batch size 32, as the plain model.fit it is compared with.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig, type LoadedConfig } from '../src/config/load.js';
import { loadDataset, splitSample, type Dataset, type Examples } from '../src/data/dataset.js';
import type { LayerSpec } from '../src/model/build.js';
import { createRandom, randomInt } from '../src/util/random.js';
import type { ProbeCaseName } from './probe-types.js';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
/** A config "file" in the repo root, so that the relative data paths resolve as in a user's config. */
const CONFIG_FILE = path.join(REPO_ROOT, 'bench-probe.yaml');

export const BATCH_SIZE = 32;
export const EVAL_EVERY = 10;
const SEED = 42;

export interface ProbeCase {
  name: ProbeCaseName;
  /**
   * Steps of every timed run on a backend (all paths of one model and backend run the same steps;
   * batch size 32, so each run sees steps × 32 rows).
   */
  steps(backend: string): number;
  /** The loss of the plain model.fit, the tfjs name of the probe's loss. */
  fitLoss: 'meanSquaredError' | 'categoricalCrossentropy';
  describe(dataset: Dataset): string;
  load(): Promise<{ loaded: LoadedConfig; layers: LayerSpec[]; dataset: Dataset }>;
}

const BOSTON_LAYERS = `
    - {type: dense, units: 64, activation: relu}
    - {type: dense, units: 64, activation: relu}
    - {type: dense, units: 1}`;

const MNIST_MLP_LAYERS = `
    - {type: dense, units: 128, activation: relu}
    - {type: dense, units: 10, activation: softmax}`;

const CNN_LAYERS = `
    - {type: conv2d, filters: 8, kernelSize: 3, activation: relu}
    - {type: maxPooling2d, poolSize: 2}
    - {type: flatten}
    - {type: dense, units: 10, activation: softmax}`;

function configText(data: string, layers: string, loss: string, metric: string, steps: number): string {
  return `version: 1
seed: ${SEED}
data: ${data}
model:
  layers:${layers}
training: {optimizer: adam, learningRate: 0.001, batchSize: ${BATCH_SIZE}, loss: ${loss}, metrics: [${metric}]}
probe: {steps: ${steps}, evalEvery: ${EVAL_EVERY}, maxSeconds: 3600}
`;
}

function parse(text: string): { loaded: LoadedConfig; layers: LayerSpec[] } {
  const loaded = parseConfig(text, CONFIG_FILE);
  return { loaded, layers: loaded.config.model.layers! };
}

/**
 * Steps of the MNIST-sized runs: 150 (runs of about a second on wasm, stable medians). The cpu
 * backend is 10× (MLP) to 50× (CNN: ~240 ms/step, mostly Conv2DBackpropFilter) slower, so fewer
 * steps there keep the whole bench within a few minutes; each cpu run still lasts seconds.
 */
const MNIST_STEPS = 150;
const mnistSteps = (cpuSteps: number) => (backend: string) => (backend === 'cpu' ? cpuSteps : MNIST_STEPS);

export const PROBE_CASES: readonly ProbeCase[] = [
  {
    name: 'boston-mlp',
    steps: () => 300,
    fitLoss: 'meanSquaredError',
    describe: (dataset) => `MLP 13→64→64→1 on Boston (${dataset.train.rows} training rows, standardized)`,
    async load() {
      const parsed = parse(
        configText(
          '{train: fixtures/boston/housing.csv, target: medv, normalize: standardize}',
          BOSTON_LAYERS,
          'meanSquaredError',
          'mae',
          300,
        ),
      );
      return { ...parsed, dataset: await loadDataset(parsed.loaded) };
    },
  },
  {
    name: 'mnist-mlp',
    steps: mnistSteps(60),
    fitLoss: 'categoricalCrossentropy',
    describe: (dataset) => `MLP 784→128→10 on synthetic MNIST-sized data (${dataset.train.rows} training rows)`,
    load() {
      const parsed = parse(
        configText(
          '{train: bench/data/synthetic-mnist.csv, target: label, task: multiclass}',
          MNIST_MLP_LAYERS,
          'categoricalCrossentropy',
          'accuracy',
          MNIST_STEPS,
        ),
      );
      return Promise.resolve({ ...parsed, dataset: syntheticMnist([784]) });
    },
  },
  {
    name: 'cnn',
    steps: mnistSteps(24),
    fitLoss: 'categoricalCrossentropy',
    describe: (dataset) =>
      `CNN 28×28×1 → conv2d(8, 3×3, relu) → maxPool(2) → flatten → dense(10, softmax) (${dataset.train.rows} training rows)`,
    load() {
      const parsed = parse(
        configText(
          '{train: bench/data/synthetic-mnist.csv, target: label, task: multiclass, inputShape: [28, 28, 1]}',
          CNN_LAYERS,
          'categoricalCrossentropy',
          'accuracy',
          MNIST_STEPS,
        ),
      );
      return Promise.resolve({ ...parsed, dataset: syntheticMnist([28, 28, 1]) });
    },
  },
];

const SYNTHETIC_ROWS = 2_000;
const PIXELS = 784;
const CLASSES = 10;
/** The validation fraction loadDataset uses by default (data.validationSplit). */
const VALIDATION_SPLIT = 0.2;

/**
 * 2,000 rows of 784 values in [0, 1], 10 classes: each row mixes its class's fixed random
 * prototype with uniform noise, so the classes are learnable and the probe's signals meaningful.
 * Never written to disk: the config's `data.train` names a file that is not read. Class ids in a
 * single target column, as loadDataset encodes them; the probe one-hot encodes them for the loss.
 */
function syntheticMnist(inputShape: number[]): Dataset {
  const random = createRandom(SEED);
  const prototypes = Array.from({ length: CLASSES }, () => Float32Array.from({ length: PIXELS }, () => random()));
  const rows = Array.from({ length: SYNTHETIC_ROWS }, () => {
    const label = randomInt(random, CLASSES);
    const prototype = prototypes[label]!;
    const x = Float32Array.from(prototype, (value) => 0.6 * value + 0.4 * random());
    return { x, label };
  });
  const [train, validation] = splitSample(rows, VALIDATION_SPLIT, SEED + 2);
  const encode = (part: typeof rows): Examples => {
    const x = new Float32Array(part.length * PIXELS);
    const y = new Float32Array(part.length);
    part.forEach((row, index) => {
      x.set(row.x, index * PIXELS);
      y[index] = row.label;
    });
    return { rows: part.length, x, y };
  };
  const counts = new Array<number>(CLASSES).fill(0);
  for (const row of rows) counts[row.label]! += 1;
  return {
    summary: {
      file: 'synthetic-mnist (in memory)',
      rows: SYNTHETIC_ROWS,
      features: PIXELS,
      task: 'multiclass',
      taskSource: 'config',
      normalize: 'none',
      normalizeTarget: 'none',
      featureStats: [],
      targetStats: [],
      classes: counts.map((count, label) => ({ label: String(label), count })),
      textLabels: false,
      binaryTargetRows: 0,
      oneHotRows: 0,
    },
    featureNames: Array.from({ length: PIXELS }, (_, index) => `pixel_${index}`),
    features: PIXELS,
    targetNames: ['label'],
    inputShape,
    classes: Array.from({ length: CLASSES }, (_, label) => String(label)),
    targetWidth: 1,
    train: encode(train),
    validation: encode(validation),
  };
}
