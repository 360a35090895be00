/**
 * Where a training step's time goes, kernel by kernel: one step of the bare loop (variableGrads +
 * applyGradients + loss read) on the model as the probe builds it (buildModel: activations split
 * into layers of their own) and on the model as written, profiled with tf.profile and averaged
 * over 40 steps. Kernels are keyed by name and input shapes, so a kernel that only one model runs
 * (e.g. a gradient nobody needs) stands out in the difference column.
 *
 * Usage: npx tsx bench/probe-kernels.ts [boston-mlp|mnist-mlp|cnn] [wasm|cpu|node]   (not part of npm run bench)
 */
import * as tf from '@tensorflow/tfjs';
import { buildModel, type LayerSpec } from '../src/model/build.js';
import { selectBackend, type BackendChoice } from '../src/probe/backend.js';
import { LOSS_FUNCTIONS } from '../src/probe/losses.js';
import { createOptimizer } from '../src/probe/optimizer.js';
import { prepareProbeData } from '../src/probe/probe-data.js';
import { withSeededRandom } from '../src/probe/seeded-random.js';
import { BATCH_SIZE, PROBE_CASES } from './probe-cases.js';
import { formatTable } from './table.js';

const WARMUP_STEPS = 20;
const PROFILED_STEPS = 40;
const SHOWN_KERNELS = 14;

type Factory = (config: Record<string, unknown>) => tf.layers.Layer;
const LAYER_FACTORIES = tf.layers as unknown as Record<string, Factory>;

const caseName = process.argv[2] ?? 'mnist-mlp';
const probeCase = PROBE_CASES.find((candidate) => candidate.name === caseName);
if (probeCase === undefined) throw new Error(`unknown case ${caseName}; there are ${PROBE_CASES.map((candidate) => candidate.name).join(', ')}`);
const { loaded, layers, dataset } = await probeCase.load();
const selection = await selectBackend((process.argv[3] ?? 'wasm') as BackendChoice, layers.map((layer) => layer.type));
const { config } = loaded;

const asWritten = (specs: readonly LayerSpec[]) => {
  const model = tf.sequential();
  specs.forEach(({ type, ...layerConfig }, index) => model.add(LAYER_FACTORIES[type]!({ ...layerConfig, ...(index === 0 ? { inputShape: [...dataset.inputShape] } : {}) })));
  return model;
};
const models = withSeededRandom(config.seed, () => ({
  'probe model (split)': buildModel(layers, dataset.inputShape, String).model,
  'as written': asWritten(layers),
}));
const outputUnits = models['as written'].outputs[0]!.shape.at(-1) ?? 1;
const data = prepareProbeData(dataset, config, config.training.loss!, outputUnits);
const xs = tf.tensor(data.train.x.subarray(0, BATCH_SIZE * data.features), [BATCH_SIZE, ...data.inputShape]);
const ys = tf.tensor2d(data.train.y.subarray(0, BATCH_SIZE * data.targetWidth), [BATCH_SIZE, data.targetWidth]);
const lossFunction = LOSS_FUNCTIONS[config.training.loss!];

const profiles = new Map<string, Map<string, number>>();
const wallPerStep = new Map<string, number>();
for (const [label, model] of Object.entries(models)) {
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const optimizer = createOptimizer(config.training);
  const step = () => {
    const { value, grads } = tf.variableGrads(() => lossFunction(ys, model.apply(xs, { training: true }) as tf.Tensor) as tf.Scalar, variables);
    value.dataSync();
    optimizer.applyGradients(grads);
    tf.dispose([value, grads]);
  };
  for (let i = 0; i < WARMUP_STEPS; i++) step();
  const started = performance.now();
  for (let i = 0; i < PROFILED_STEPS; i++) step();
  wallPerStep.set(label, (performance.now() - started) / PROFILED_STEPS);
  const kernels = new Map<string, number>();
  for (let i = 0; i < PROFILED_STEPS; i++) {
    const info = await tf.profile(() => step());
    for (const kernel of info.kernels) {
      // `…__op` entries are ops wrapping the kernels listed beside them: counting both would count twice.
      if (kernel.name.endsWith('__op')) continue;
      const key = `${kernel.name} ${kernel.inputShapes.map((shape) => JSON.stringify(shape)).join(' ')}`;
      kernels.set(key, (kernels.get(key) ?? 0) + (kernel.kernelTimeMs as number) / PROFILED_STEPS);
    }
  }
  profiles.set(label, kernels);
  optimizer.dispose();
}

const [splitLabel, writtenLabel] = Object.keys(models) as [string, string];
const split = profiles.get(splitLabel)!;
const written = profiles.get(writtenLabel)!;
const keys = [...new Set([...split.keys(), ...written.keys()])];
const total = (kernels: Map<string, number>) => [...kernels.values()].reduce((sum, ms) => sum + ms, 0);
const rows = keys
  .map((key) => ({ key, split: split.get(key) ?? 0, written: written.get(key) ?? 0 }))
  .sort((a, b) => Math.max(b.split, b.written) - Math.max(a.split, a.written))
  .slice(0, SHOWN_KERNELS)
  .map(({ key, split: s, written: w }) => [key, s.toFixed(3), w.toFixed(3), (s - w).toFixed(3)]);
console.log(`${probeCase.describe(dataset)} on ${selection.name}: ms per training step (batch ${BATCH_SIZE}), kernel time from tf.profile over ${PROFILED_STEPS} steps`);
console.log(
  formatTable(
    ['kernel and input shapes', splitLabel, writtenLabel, 'difference'],
    [
      ...rows,
      ['all kernels', total(split).toFixed(3), total(written).toFixed(3), (total(split) - total(written)).toFixed(3)],
      ['wall per step (unprofiled)', wallPerStep.get(splitLabel)!.toFixed(3), wallPerStep.get(writtenLabel)!.toFixed(3), (wallPerStep.get(splitLabel)! - wallPerStep.get(writtenLabel)!).toFixed(3)],
    ],
  ),
);
tf.dispose([xs, ys]);
for (const model of Object.values(models)) model.dispose();
