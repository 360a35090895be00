/**
 * The training-speed benchmark's models on tfjs wasm with convdoc's kernels, as the probe trains:
 * seconds per SGD step (after one warm-up step) and the forward matMul rate at the model's largest
 * product. `node --import tsx bench/training-speed-worker.ts` prints TFJS_MARKER and a TfjsReport.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/probe/backend.js';
import {
  TFJS_MARKER,
  TRAINING_MODELS,
  largestForwardProduct,
  type TfjsModelTiming,
  type TfjsReport,
  type TrainingModel,
} from './training-speed-types.js';

function layersOf(model: TrainingModel): tf.layers.Layer[] {
  if (model.kind === 'mlp')
    return model.units.map((units, i) =>
      tf.layers.dense({
        units,
        activation: i === model.units.length - 1 ? 'softmax' : 'relu',
        ...(i === 0 ? { inputShape: [model.inputs] } : {}),
      }),
    );
  if (model.kind === 'cnn')
    return [
      tf.layers.conv2d({
        filters: model.filters[0],
        kernelSize: 3,
        activation: 'relu',
        inputShape: [model.side, model.side, 1],
      }),
      tf.layers.conv2d({ filters: model.filters[1], kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: model.classes, activation: 'softmax' }),
    ];
  return [
    tf.layers.lstm({ units: model.units, inputShape: [model.sequence, model.features] }),
    tf.layers.dense({ units: model.classes, activation: 'softmax' }),
  ];
}

function inputShape(model: TrainingModel): number[] {
  if (model.kind === 'mlp') return [model.batch, model.inputs];
  if (model.kind === 'cnn') return [model.batch, model.side, model.side, 1];
  return [model.batch, model.sequence, model.features];
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1e6;
}

function timeSteps(spec: TrainingModel): TfjsModelTiming {
  const model = tf.sequential({ layers: layersOf(spec) });
  const classes = spec.kind === 'mlp' ? spec.units.at(-1)! : spec.classes;
  const x = tf.randomUniform(inputShape(spec));
  const y = tf.oneHot(tf.randomUniform([spec.batch], 0, classes, 'int32'), classes).toFloat();
  const optimizer = tf.train.sgd(0.01);
  const step = () => {
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x) as tf.Tensor), true);
    loss?.dataSync();
    loss?.dispose();
  };
  step();
  const wall = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < spec.steps; i++) step();
  const timing = {
    cpuSecondsPerStep: cpuSeconds(cpu) / spec.steps,
    wallSecondsPerStep: (performance.now() - wall) / 1000 / spec.steps,
    forwardMatMulGflops: forwardMatMulGflops(spec),
  };
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
  return timing;
}

/** GFLOP/s of CPU time of tf.matMul at the model's largest forward product (~0.3 s of work). */
function forwardMatMulGflops(spec: TrainingModel): number {
  const [m, k, n] = largestForwardProduct(spec);
  const a = tf.randomUniform([m, k]);
  const b = tf.randomUniform([k, n]);
  tf.matMul(a, b).dispose();
  const reps = Math.max(3, Math.min(200, Math.round(3e9 / (2 * m * k * n))));
  const cpu = process.cpuUsage();
  for (let i = 0; i < reps; i++) tf.matMul(a, b).dispose();
  const seconds = cpuSeconds(cpu);
  tf.dispose([a, b]);
  return (2 * m * k * n * reps) / seconds / 1e9;
}

async function main(): Promise<void> {
  const { name } = await selectBackend('wasm', []);
  const models: Record<string, TfjsModelTiming> = {};
  for (const spec of TRAINING_MODELS) {
    process.stderr.write(`  [training-speed] ${spec.name} on ${name}\n`);
    models[spec.name] = timeSteps(spec);
  }
  const report: TfjsReport = { backend: name, models };
  console.log(`${TFJS_MARKER}${JSON.stringify(report)}`);
}

await main();
