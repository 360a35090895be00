/**
 * The end-to-end case of issue 14: `diagnose` of a 784-784-50-10 MLP at batch 32 on 1,000 rows of
 * MNIST-shaped data, 300 probe steps. The data is written once to bench/data/ (git-ignored) from a
 * fixed seed: raw pixels as MNIST ships them (whole numbers 0-255, a quarter of them 0), each row
 * its class's fixed random prototype mixed with noise, so the classes are learnable. Unscaled
 * inputs, as in the public reports this case stands for, give `--apply-fix suggested` a fix to try.
 *
 * Usage: npx tsx bench/mnist-mlp-case.ts   (writes the data and the config, prints the config path)
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRandom, randomInt } from '../src/util/random.js';

const BENCH_DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url));
const ROWS = 1_000;
const PIXELS = 784;
const CLASSES = 10;
const SEED = 14;
/** Bump when the generated content changes, so stale files under old names are not reused. */
const VERSION = 1;
const NAME = `mnist-mlp-${ROWS}x${PIXELS}-seed${SEED}-v${VERSION}`;

/** The config, beside its data so that the relative path resolves as in a user's config. */
const MNIST_MLP_CONFIG = `${BENCH_DATA_DIR}${NAME}.yaml`;

const CONFIG_TEXT = `version: 1
name: mnist-mlp-784-784-50-10
seed: 42
data:
  train: ${NAME}.csv
  target: label
  task: multiclass
model:
  layers:
    - {type: dense, units: 784, activation: relu}
    - {type: dense, units: 50, activation: relu}
    - {type: dense, units: 10, activation: softmax}
training:
  optimizer: sgd
  learningRate: 0.01
  batchSize: 32
  epochs: 20
  loss: sparseCategoricalCrossentropy
  metrics: [accuracy]
probe:
  steps: 300
`;

function csvText(): string {
  const random = createRandom(SEED);
  const prototypes = Array.from({ length: CLASSES }, () => Float64Array.from({ length: PIXELS }, () => random()));
  const header = [...Array.from({ length: PIXELS }, (_, index) => `pixel${index}`), 'label'].join(',');
  const lines = [header];
  for (let row = 0; row < ROWS; row++) {
    const label = randomInt(random, CLASSES);
    const prototype = prototypes[label]!;
    const pixels = Array.from(prototype, (value) => {
      const level = 0.7 * value + 0.3 * random();
      // Dark background as in MNIST: the lowest levels are exactly 0.
      return level < 0.25 ? 0 : Math.round(255 * level);
    });
    lines.push(`${pixels.join(',')},${label}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes the data and config when absent (under a temporary name first, so a file is never half there). */
export function ensureMnistMlpCase(): string {
  const csv = `${BENCH_DATA_DIR}${NAME}.csv`;
  mkdirSync(BENCH_DATA_DIR, { recursive: true });
  if (!existsSync(csv)) {
    writeFileSync(`${csv}.tmp`, csvText());
    renameSync(`${csv}.tmp`, csv);
  }
  if (!existsSync(MNIST_MLP_CONFIG)) writeFileSync(MNIST_MLP_CONFIG, CONFIG_TEXT);
  return MNIST_MLP_CONFIG;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.log(ensureMnistMlpCase());
