/**
 * Functional models with several outputs (an age + gender head) or several inputs, on data of
 * their shape: the probe trains one input against one output, so each is refused before training
 * with one line that names the heads and says what is supported (exit 2), never a crash.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

let scratch: string;

/** A Keras 2 functional layer called once on `sources` (`model.to_json()`'s form). */
const layer = (className: string, name: string, config: Record<string, unknown>, ...sources: string[]) => ({
  class_name: className,
  name,
  config: { name, ...config },
  inbound_nodes: sources.length === 0 ? [] : [sources.map((source) => [source, 0, 0, {}])],
});
const input = (name: string, shape: number[]) => layer('InputLayer', name, { batch_input_shape: [null, ...shape] });
const functional = (layers: unknown[], inputs: string[], outputs: string[]) => ({
  class_name: 'Functional',
  config: {
    name: 'heads',
    layers,
    input_layers: inputs.map((name) => [name, 0, 0]),
    output_layers: outputs.map((name) => [name, 0, 0]),
  },
  keras_version: '2.15.0',
  backend: 'tensorflow',
});

/** The age + gender model of face datasets (UTKFace), shrunk to 8x8x3 images: one trunk, two heads. */
const AGE_GENDER = functional(
  [
    input('image', [8, 8, 3]),
    layer('Conv2D', 'conv', { filters: 4, kernel_size: [3, 3], activation: 'relu' }, 'image'),
    layer('Flatten', 'flatten', {}, 'conv'),
    layer('Dense', 'age', { units: 1 }, 'flatten'),
    layer('Dense', 'gender', { units: 1, activation: 'sigmoid' }, 'flatten'),
  ],
  ['image'],
  ['age', 'gender'],
);

/** Two inputs (e.g. a product and a user feature vector) joined by a Concatenate, one output. */
const TWO_INPUTS = functional(
  [
    input('left', [3]),
    input('right', [3]),
    layer('Concatenate', 'joined', { axis: -1 }, 'left', 'right'),
    layer('Dense', 'out', { units: 1 }, 'joined'),
  ],
  ['left', 'right'],
  ['out'],
);

/** `rows` rows of `features` columns f0.. and the targets, deterministic. */
function csv(rows: number, features: number, targets: Record<string, (row: number) => number>): string {
  const header = [...Array.from({ length: features }, (_, index) => `f${index}`), ...Object.keys(targets)];
  const lines = Array.from({ length: rows }, (_, row) => [
    ...Array.from({ length: features }, (_, column) => ((row * 7 + column * 3) % 11) / 10),
    ...Object.values(targets).map((target) => target(row)),
  ]);
  return `${[header, ...lines].map((line) => line.join(',')).join('\n')}\n`;
}

async function diagnose(name: string, model: unknown, data: string, dataKeys: string) {
  await writeFile(path.join(scratch, `${name}.json`), JSON.stringify(model));
  await writeFile(path.join(scratch, `${name}.csv`), data);
  const config = path.join(scratch, `${name}.yaml`);
  await writeFile(
    config,
    `version: 1\ndata: {train: ${name}.csv, ${dataKeys}}\nmodel: {file: ${name}.json}\ntraining: {optimizer: adam, loss: meanSquaredError, batchSize: 4}\nprobe: {steps: 2, evalEvery: 1}\n`,
  );
  return runCli(['diagnose', config, '--json']);
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'convdoc-multi-head-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('models with several outputs or inputs', () => {
  it('an age + gender model on images with both targets: one line naming both heads, exit 2', async () => {
    const data = csv(16, 8 * 8 * 3, { age: (row) => 20 + row, gender: (row) => row % 2 });
    const { code, stdout, stderr } = await diagnose(
      'age-gender',
      AGE_GENDER,
      data,
      'target: [age, gender], inputShape: [8, 8, 3]',
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^[^\n]*: the model has 2 outputs \(age, gender\); convdoc probes models with one output/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a model with two inputs: one line naming them and what is supported, exit 2', async () => {
    const data = csv(16, 6, { y: (row) => row / 16 });
    const { code, stdout, stderr } = await diagnose('two-inputs', TWO_INPUTS, data, 'target: y');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/the model has 2 inputs \(left, right\); convdoc feeds one input/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
