/**
 * Child process: trains the probe's small CNN (28x28x1 -> conv2d 8 3x3 relu ->
 * maxPooling2d 2 -> flatten -> dense 10 softmax) on one fixed batch and prints
 * JSON {backend, batchSize, losses, stepMs}.
 *
 *   node --import tsx test/probe/gradcheck/train-small-cnn.ts <cpu|wasm> [--steps=5] [--batch=32]
 *
 * stepMs[i] is the wall time of training step i (forward, backward, update and
 * reading the loss); step 0 includes one-off warm-up work.
 */
import * as tf from '@tensorflow/tfjs';
import { parseBackendName, useBackend } from './backend.js';
import { smallCnnLayers } from './cases.js';
import { oneHotLabels, seedFor, setSeededWeights, uniformTensor } from './seeded.js';

function numericFlag(argv: string[], name: string, fallback: number): number {
  const flag = argv.find((arg) => arg.startsWith(`--${name}=`));
  const value = flag === undefined ? fallback : Number(flag.slice(name.length + 3));
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`--${name} must be a positive integer`);
  }
  return value;
}

async function main(): Promise<void> {
  const [backendArg, ...flags] = process.argv.slice(2);
  const backend = parseBackendName(backendArg);
  const steps = numericFlag(flags, 'steps', 5);
  const batchSize = numericFlag(flags, 'batch', 32);
  await useBackend(backend);

  const seed = seedFor('train-small-cnn');
  const model = tf.sequential({ layers: smallCnnLayers() });
  setSeededWeights(model, seed);
  model.compile({ optimizer: tf.train.sgd(0.002), loss: 'categoricalCrossentropy' });
  const images = uniformTensor([batchSize, 28, 28, 1], seed + 1, 0, 1);
  const labels = oneHotLabels(batchSize, 10, seed + 2);

  const losses: number[] = [];
  const stepMs: number[] = [];
  for (let step = 0; step < steps; ++step) {
    const start = performance.now();
    const loss = await model.trainOnBatch(images, labels);
    stepMs.push(performance.now() - start);
    losses.push(typeof loss === 'number' ? loss : Number(loss[0]));
  }
  process.stdout.write(JSON.stringify({ backend, batchSize, losses, stepMs }));
}

await main();
