import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { loadDataset } from '../../src/data/dataset.js';
import { ConfigError } from '../../src/errors.js';
import { buildModel } from '../../src/model/build.js';
import { selectBackend } from '../../src/probe/backend.js';
import { loadProbeSubject, probeConfig, probeVariant } from '../../src/probe/index.js';
import { clipGradients } from '../../src/probe/run-probe.js';
import { probeSection } from '../../src/report/report.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** A config beside the repo root, so fixture paths resolve; `body` is YAML after `version: 1`. */
function config(body: string) {
  return parseConfig(`version: 1\nseed: 7\n${body}`, path.join(ROOT, 'probe-test.yaml'));
}

const probe = (body: string) => probeConfig(config(body), { backend: 'wasm' });

beforeAll(async () => {
  await selectBackend('wasm', []);
});

const BOSTON = `data: {train: fixtures/boston/housing.csv, target: medv, normalize: NORMALIZE}
model:
  layers:
    - {type: dense, units: 64, activation: relu}
    - {type: dense, units: 64, activation: relu}
    - {type: dense, units: 1}
`;

describe('the probe', () => {
  it('stops at the first non-finite loss and records its step', async () => {
    const { trace } = await probe(
      `${BOSTON.replace('NORMALIZE', 'none')}training: {optimizer: sgd, learningRate: 0.01, loss: mse}\n`,
    );
    const firstNonFinite = trace.loss.findIndex((loss) => !Number.isFinite(loss));
    expect(firstNonFinite).toBeGreaterThan(0);
    expect(trace).toMatchObject({ stoppedEarly: 'nan-loss', nanStep: firstNonFinite, stepsRun: firstNonFinite + 1 });
    expect(trace.loss).toHaveLength(firstNonFinite + 1);
  });

  it('trains a healthy run to well below the chance-level loss, with every signal recorded', async () => {
    const { trace, backend } = await probe(
      `${BOSTON.replace('NORMALIZE', 'standardize')}training: {optimizer: adam, learningRate: 0.01, loss: mse, metrics: [mae]}\nprobe: {steps: 200, evalEvery: 20}\n`,
    );
    expect(backend.name).toBe('wasm');
    expect(trace).toMatchObject({
      backend: 'wasm',
      tfjsVersion: '4.22.0',
      lossName: 'meanSquaredError',
      stoppedEarly: null,
      stepsRun: 200,
    });
    expect(trace.valLoss.at(-1)!).toBeLessThan(0.5 * trace.chanceLoss!);
    expect(trace.evalStep).toEqual([0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200]);
    expect(Object.keys(trace.gradNorm)).toEqual([
      'dense_1/kernel',
      'dense_1/bias',
      'dense_2/kernel',
      'dense_2/bias',
      'dense_3/kernel',
      'dense_3/bias',
    ]);
    for (const series of [...Object.values(trace.gradNorm), ...Object.values(trace.updateRatio)])
      expect(series).toHaveLength(200);
    expect(trace.valMetric).toMatchObject({ name: 'mae' });
    expect(trace.activations.map((layer) => [layer.layer, layer.activation, layer.mean.length])).toEqual([
      ['dense_1', 'relu', 11],
      ['dense_2', 'relu', 11],
      ['dense_3', 'linear', 11],
    ]);
  });

  it('shows a 10-layer sigmoid stack with a first-layer gradient orders of magnitude below the last', async () => {
    const hidden = Array.from({ length: 10 }, () => '    - {type: dense, units: 16, activation: sigmoid}').join('\n');
    const { trace } = await probe(
      `data: {train: fixtures/circles/circles.csv, target: label, normalize: standardize}\nmodel:\n  layers:\n${hidden}\n    - {type: dense, units: 1, activation: sigmoid}\ntraining: {optimizer: sgd, learningRate: 0.1, loss: binaryCrossentropy}\nprobe: {steps: 20}\n`,
    );
    const first = trace.gradNorm['dense_1/kernel']![0]!;
    const last = trace.gradNorm['dense_11/kernel']![0]!;
    expect(first / last).toBeLessThan(1e-3);
  });

  it('reports a ReLU layer with a large negative bias as dead', async () => {
    const { trace } = await probe(`data: {train: fixtures/circles/circles.csv, target: label, normalize: standardize}
model:
  layers:
    - {type: dense, units: 16, activation: relu}
    - {type: dense, units: 16, activation: relu, biasInitializer: {className: Constant, config: {value: -20}}}
    - {type: dense, units: 1, activation: sigmoid}
training: {optimizer: adam, loss: binaryCrossentropy}
probe: {steps: 10, evalEvery: 5}
`);
    const [alive, dead] = trace.activations;
    expect(dead!.deadFraction).toEqual([1, 1, 1]);
    expect(alive!.deadFraction!.every((fraction) => fraction < 1)).toBe(true);
  });

  it('measures saturated sigmoid inputs', async () => {
    const { trace } = await probe(`data: {train: fixtures/circles/circles.csv, target: label}
model:
  layers:
    - {type: dense, units: 8, activation: sigmoid, kernelInitializer: {className: RandomNormal, config: {stddev: 60}}}
    - {type: dense, units: 1, activation: sigmoid}
training: {optimizer: sgd, loss: binaryCrossentropy}
probe: {steps: 1}
`);
    expect(trace.activations[0]!.saturatedFraction![0]).toBeGreaterThan(0.2);
    expect(trace.activations[0]!.nearSaturatedFraction![0]).toBeGreaterThan(
      trace.activations[0]!.saturatedFraction![0]!,
    );
  });

  it('leaks no tensor and gives a bitwise identical trace for the same config, seed and backend', async () => {
    const body = `${BOSTON.replace('NORMALIZE', 'standardize')}training: {optimizer: adam, loss: mse}\nprobe: {steps: 50}\n`;
    const before = tf.memory().numTensors;
    const traces = [];
    for (let run = 0; run < 3; run++) {
      const { trace } = await probe(body);
      traces.push(JSON.stringify({ ...trace, seconds: 0 }));
      expect(tf.memory().numTensors).toBe(before);
    }
    expect(new Set(traces).size).toBe(1);
    const { trace: otherSeed } = await probeConfig(config(body), { backend: 'wasm', seed: 8 });
    expect(JSON.stringify({ ...otherSeed, seconds: 0 })).not.toBe(traces[0]);
  });
});

describe('a trial run, which records only what its score reads', () => {
  it.each([
    ['without clipping', 'learningRate: 0.01'],
    ['clipping by the global norm', 'learningRate: 0.05, clipNorm: 1'],
  ])('trains %s step for step as the full probe, without the gradient and activation series', async (_, training) => {
    const loaded = config(
      `${BOSTON.replace('NORMALIZE', 'standardize')}training: {optimizer: sgd, ${training}, loss: mse}\nprobe: {steps: 40, evalEvery: 10}\n`,
    );
    const subject = await loadProbeSubject(loaded);
    const full = probeVariant(subject, 'wasm', loaded.config, 7);
    const scored = probeVariant(subject, 'wasm', loaded.config, 7, { scoresOnly: true });
    for (const key of ['loss', 'valLoss', 'evalStep', 'learningRate'] as const) expect(scored[key]).toEqual(full[key]);
    expect(Object.values(scored.updateRatio).flat()).toEqual([]);
    expect(scored.activations.flatMap((layer) => layer.mean)).toEqual([]);
  });
});

describe('target scaling', () => {
  it('starts no step that would not fit in what is left of probe.maxSeconds: one step, then the final evaluation', async () => {
    const loaded = config(
      `${BOSTON.replace('NORMALIZE', 'standardize')}training: {optimizer: adam, loss: mse}\nprobe: {steps: 100, evalEvery: 10, maxSeconds: 0.000001}\n`,
    );
    const trace = probeVariant(await loadProbeSubject(loaded), 'wasm', loaded.config, 7);
    expect(trace).toMatchObject({ stoppedEarly: 'time-budget', stepsRun: 1 });
    expect(trace.evalStep).toEqual([0, 1]);
  });

  it('standardizes a regression target with training-set statistics and says how to convert the loss back', async () => {
    const { trace } = await probe(
      `${BOSTON.replace('NORMALIZE', 'standardize').replace('normalize: standardize}', 'normalize: standardize, normalizeTarget: standardize}')}training: {optimizer: adam, loss: mse}\nprobe: {steps: 30}\n`,
    );
    expect(trace.targetScale).toHaveLength(1);
    expect(trace.targetScale![0]).toBeGreaterThan(8);
    expect(trace.targetScale![0]).toBeLessThan(10.5);
    // The chance level of a standardized target is its variance over the training rows: 1.
    expect(trace.chanceLoss).toBeCloseTo(1, 5);
    const section = probeSection(trace, 'test', []);
    expect(section.loss.originalUnitsFactor).toBeCloseTo(trace.targetScale![0]! ** 2, 6);
  });
});

describe('gradient clipping', () => {
  it('scales the gradient to the clip norm when it is larger, and leaves it alone when not', () => {
    const grads = { a: tf.tensor([3, 4]), b: tf.tensor([0, 0, 0]) };
    const training = { clipNorm: 1, clipValue: null } as Parameters<typeof clipGradients>[2];
    const clipped = clipGradients(grads, 5, training);
    const norm = tf.tidy(() => Math.hypot(...Object.values(clipped).flatMap((tensor) => [...tensor.dataSync()])));
    expect(norm).toBeCloseTo(1, 6);
    const untouched = clipGradients(grads, 5, { ...training, clipNorm: 10 });
    expect([...untouched['a']!.dataSync()]).toEqual([3, 4]);
    tf.dispose([grads, clipped, untouched]);
  });

  it('bounds every applied update by the clip norm in a probe (SGD, learning rate 1)', async () => {
    const { trace } = await probe(
      `${BOSTON.replace('NORMALIZE', 'none')}training: {optimizer: sgd, learningRate: 1, clipNorm: 1, loss: mse}\nprobe: {steps: 20}\n`,
    );
    expect(Math.max(...trace.globalGradNorm)).toBeGreaterThan(100);
    // SGD moves the weights by -lr × the applied gradient, so with lr 1 the measured update is the applied gradient.
    expect(Math.max(...trace.globalUpdateNorm)).toBeLessThanOrEqual(1 + 1e-4);
    expect(Math.max(...trace.globalUpdateNorm)).toBeGreaterThan(0.99);
  });
});

describe('building models', () => {
  it.each(['keras2-mlp.json', 'keras3-mlp.json'])('builds and trains a Keras %s from model.file', async (file) => {
    const { trace } = await probe(
      `data: {train: fixtures/boston/housing.csv, target: medv, normalize: standardize}\nmodel: {file: fixtures/models/${file}}\ntraining: {optimizer: adam, learningRate: 0.01, loss: mse}\nprobe: {steps: 50}\n`,
    );
    expect(trace.layers.map((layer) => [layer.type, layer.outputShape])).toEqual(
      expect.arrayContaining([['dense', [null, 1]]]),
    );
    expect(trace.stoppedEarly).toBeNull();
    expect(trace.loss.at(-1)!).toBeLessThan(trace.initialLoss / 10);
  });

  it('names the file and the layer when a model file holds one it cannot build', async () => {
    const loaded = config(
      `data: {train: fixtures/boston/housing.csv, target: medv}\nmodel: {file: fixtures/models/keras-lambda.json}\n`,
    );
    await expect(probeConfig(loaded, { backend: 'wasm' })).rejects.toThrow(/keras-lambda\.json.*Lambda/);
  });

  it('refuses an unsupported layer, naming it and its config key', () => {
    const loaded = config(
      `data: {train: fixtures/xor/xor.csv, target: label}\nmodel:\n  layers:\n    - {type: lambda, function: x}\n`,
    );
    const build = () =>
      buildModel(loaded.config.model.layers!, [2], (index) => `probe-test.yaml:5:7: model.layers.${index}`);
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(
      /^probe-test\.yaml:5:7: model\.layers\.0: layer type "lambda" is not supported\. convdoc builds these tfjs-layers types: dense, conv1d/,
    );
  });

  it('a first layer that does not fit the flat rows points at data.inputShape, with the axes it takes', async () => {
    const loaded = config(
      `data: {train: fixtures/xor/xor.csv, target: label, validationSplit: 0}\nmodel:\n  layers:\n    - {type: conv2d, filters: 2, kernelSize: 3}\n`,
    );
    await expect(probeConfig(loaded, { backend: 'wasm' })).rejects.toThrow(
      /^probe-test\.yaml:6:7: model\.layers\.0: this Conv2D layer does not fit the data's examples of shape \[2\]: it takes examples with 3 axes\. Set data\.inputShape to the shape it takes/,
    );
  });

  it('names a later layer that does not fit the layer before it', async () => {
    const loaded = config(
      `data: {train: fixtures/xor/xor.csv, target: label, validationSplit: 0}\nmodel:\n  layers:\n    - {type: dense, units: 4}\n    - {type: conv2d, filters: 2, kernelSize: 3}\n`,
    );
    await expect(probeConfig(loaded, { backend: 'wasm' })).rejects.toThrow(
      /probe-test\.yaml:7:7: model\.layers\.1: this Conv2D layer does not fit the output of the layer before it/,
    );
  });

  it('uses the data for the input shape, keeps user names and numbers the others by their place among their type', async () => {
    const loaded = config(
      `data: {train: fixtures/iris/iris.csv, target: species}\nmodel:\n  layers:\n    - {type: dense, units: 4, activation: tanh, name: hidden}\n    - {type: dense, units: 3, activation: softmax}\n`,
    );
    const dataset = await loadDataset(loaded);
    const built = buildModel(loaded.config.model.layers!, dataset.inputShape, String);
    expect(built.layers).toEqual([
      { name: 'hidden', type: 'dense', activation: 'tanh', outputShape: [null, 4], params: 20 },
      { name: 'dense_2', type: 'dense', activation: 'softmax', outputShape: [null, 3], params: 15 },
    ]);
    built.model.dispose();
  });
});
