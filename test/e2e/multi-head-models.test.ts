/**
 * Functional models with several outputs (an age + gender head, tiny YOLOv3's two detection grids)
 * or several inputs, on data of their shape: the probe trains the whole model on the sum of its
 * outputs' losses, the report keeps each output's loss and a finding about one output names it;
 * a map that names an input or output the model does not have, or leaves one out, is one line, exit 2.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

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

/** Two inputs (a feature vector and a 2x2 grid) joined by a Concatenate, one output. */
const TWO_INPUTS = functional(
  [
    input('left', [3]),
    input('right', [2, 2]),
    layer('Flatten', 'grid', {}, 'right'),
    layer('Concatenate', 'joined', { axis: -1 }, 'left', 'grid'),
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

async function writeRun(name: string, model: unknown, data: string, lines: string[]): Promise<string> {
  const modelPath = typeof model === 'string' ? model : path.join(scratch, `${name}.json`);
  if (typeof model !== 'string') await writeFile(modelPath, JSON.stringify(model));
  await writeFile(path.join(scratch, `${name}.csv`), data);
  const config = path.join(scratch, `${name}.yaml`);
  const text = ['version: 1', `model: {file: ${modelPath}}`, ...lines].join('\n');
  await writeFile(config, `${text.replaceAll('DATA', `train: ${name}.csv`)}\n`);
  return config;
}

const PROBE = 'probe: {steps: 4, evalEvery: 2, maxSeconds: 600}';
const ageGenderData = () => csv(24, 8 * 8 * 3, { age: (row) => 20 + row, gender: (row) => row % 2 });
/** The age head with a sigmoid, a Keras mistake on an unbounded target: the lint must name that output. */
const SIGMOID_AGE = JSON.parse(JSON.stringify(AGE_GENDER).replace('"units":1}', '"units":1,"activation":"sigmoid"}'));

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'convdoc-multi-head-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('models with several outputs or inputs', { timeout: 240_000 }, () => {
  it('an age + gender model: each output trains on its columns and loss, and the finding names its output', async () => {
    const config = await writeRun('age-gender', SIGMOID_AGE, ageGenderData(), [
      'data: {DATA, target: {age: age, gender: gender}, inputShape: [8, 8, 3]}',
      'training: {optimizer: adam, batchSize: 4, loss: {age: mse, gender: binary_crossentropy}, lossWeights: {age: 0.01}}',
      PROBE,
    ]);
    const { code, stdout, stderr } = runCli(['diagnose', config, '--json']);
    expect(stderr).not.toMatch(/internal error/);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    const outputs = report.probe.outputs.map((output: { name: string; lossName: string; weight: number }) => [
      output.name,
      output.lossName,
      output.weight,
    ]);
    expect(outputs).toEqual([
      ['age', 'meanSquaredError', 0.01],
      ['gender', 'binaryCrossentropy', 1],
    ]);
    expect(report.probe.trace.outputs[1].loss).toHaveLength(report.probe.trace.loss.length);
    const finding = report.findings.find((entry: { symptom: string }) => entry.symptom === 'config-output-activation');
    expect(finding).toMatchObject({ output: 'age', severity: 'critical' });
    expect(finding.evidence.what).toMatch(/^output age: /);
  });

  it("Keras' y=[...] form: one target column per output, in output order; --apply-fix runs on the graph", async () => {
    const config = await writeRun('age-gender-list', AGE_GENDER, ageGenderData(), [
      'data: {DATA, target: [age, gender], inputShape: [8, 8, 3]}',
      'training: {optimizer: adam, batchSize: 4}',
      PROBE,
    ]);
    const { code, stdout, stderr } = runCli(['diagnose', config, '--apply-fix', 'activation,batchnorm', '--json']);
    expect(stderr).not.toMatch(/internal error/);
    expect([0, 1]).toContain(code);
    const report = JSON.parse(stdout);
    expect(report.probe.outputs.map((output: { task: string }) => output.task)).toEqual(['regression', 'binary']);
    expect(report.trials.length).toBeGreaterThan(1);
  });

  it('tiny YOLOv3 (a real two-output model file): both detection grids train against targets of their shape', async () => {
    const grid = (prefix: string, count: number) => Array.from({ length: count }, (_, index) => `${prefix}${index}`);
    const [coarse, fine] = [grid('c', 255), grid('g', 2 * 2 * 255)];
    const targets = Object.fromEntries(
      [...coarse, ...fine].map((name, index) => [name, (row: number) => (row + index) % 2]),
    );
    const config = await writeRun(
      'yolo',
      path.join(ROOT, 'fixtures/models/keras2-tiny-yolov3-two-outputs.json'),
      csv(8, 32 * 32 * 3, targets),
      [
        `data: {DATA, inputShape: [32, 32, 3], target: {conv2d_10: [${coarse.join(', ')}], conv2d_13: [${fine.join(', ')}]}}`,
        'training: {optimizer: adam, batchSize: 2, loss: binaryCrossentropy, fromLogits: true}',
        'probe: {steps: 2, evalEvery: 2, maxSeconds: 600}',
      ],
    );
    // 3,072 feature columns make a report larger than spawnSync's stdout buffer: it goes to a file.
    const output = path.join(scratch, 'yolo-report.json');
    const { code, stderr } = runCli(['diagnose', config, '--format', 'json', '-o', output]);
    expect(stderr).not.toMatch(/internal error/);
    expect([0, 1]).toContain(code);
    const report = JSON.parse(await readFile(output, 'utf8'));
    expect(report.probe.outputs.map((output: { name: string }) => output.name)).toEqual(['conv2d_10', 'conv2d_13']);
    expect(report.probe.trace.outputs.map((output: { shape: number[] }) => output.shape)).toEqual([
      [1, 1, 255],
      [2, 2, 255],
    ]);
    // One target column per grid value: the shapes fit, so no output is reported as mismatched.
    expect(report.findings.map((finding: { symptom: string }) => finding.symptom)).not.toContain(
      'config-shape-mismatch',
    );
  });

  it('a model with two inputs: each reads its columns of the row, in its own shape', async () => {
    const config = await writeRun('two-inputs', TWO_INPUTS, csv(24, 7, { y: (row) => row / 24 }), [
      'data: {DATA, target: y, features: {left: [f0, f1, f2], right: [f3, f4, f5, f6]}, inputShape: {right: [2, 2]}}',
      'training: {optimizer: adam, batchSize: 4}',
      PROBE,
    ]);
    const { code, stdout, stderr } = runCli(['diagnose', config, '--json']);
    expect(stderr).not.toMatch(/internal error/);
    expect([0, 1]).toContain(code);
    expect(JSON.parse(stdout).probe.steps).toBe(4);
  });
});

describe("maps that do not fit the model: one line at the key, naming the model's layers, exit 2", () => {
  const cases: [string, unknown, string, string, RegExp][] = [
    [
      'unknown-output',
      AGE_GENDER,
      'data: {DATA, target: {age: age, sex: gender}, inputShape: [8, 8, 3]}',
      '',
      /:3:\d+: data\.target\.sex: the model has no output layer "sex": the model's outputs are age, gender\.$/,
    ],
    [
      'missing-output',
      AGE_GENDER,
      'data: {DATA, target: {age: age}, inputShape: [8, 8, 3]}',
      '',
      /data\.target: output "gender" is missing from the map: the model's outputs are age, gender/,
    ],
    [
      'no-map',
      AGE_GENDER,
      'data: {DATA, target: age, inputShape: [8, 8, 3]}',
      '',
      /data\.target: the model has 2 outputs \(age, gender\) and the data 1 target column\(s\): give data\.target as a map/,
    ],
    [
      'unknown-loss-key',
      AGE_GENDER,
      'data: {DATA, target: [age, gender], inputShape: [8, 8, 3]}',
      'training: {loss: {age: mse, gendr: binary_crossentropy}}',
      /training\.loss\.gendr: the model has no output layer "gendr"/,
    ],
    [
      'unknown-loss-name',
      AGE_GENDER,
      'data: {DATA, target: [age, gender], inputShape: [8, 8, 3]}',
      'training: {loss: {age: mse, gender: binary_crossentropi}}',
      /training\.loss\.gender: unknown loss "binary_crossentropi"/,
    ],
    [
      'unknown-weight-key',
      AGE_GENDER,
      'data: {DATA, target: [age, gender], inputShape: [8, 8, 3]}',
      'training: {lossWeights: {agee: 0.5}}',
      /training\.lossWeights\.agee: the model has no output layer "agee"/,
    ],
    [
      'inputs-no-map',
      TWO_INPUTS,
      'data: {DATA, target: gender}',
      '',
      /data\.features: the model has 2 inputs \(left, right\): give data\.features as a map/,
    ],
    [
      'unknown-input',
      TWO_INPUTS,
      'data: {DATA, target: gender, features: {left: [f0, f1, f2], rigth: [f3, f4, f5, f6]}}',
      '',
      /data\.features\.rigth: the model has no input layer "rigth": the model's inputs are left, right\./,
    ],
    [
      'input-shape',
      TWO_INPUTS,
      'data: {DATA, target: gender, features: {left: [f0, f1, f2], right: [f3, f4, f5, f6]}, inputShape: {right: [3, 2]}}',
      '',
      /data\.inputShape\.right: \[3, 2\] holds 6 values, but input "right" has 4 feature columns/,
    ],
  ];
  it.each(cases)('%s', async (name, model, data, training, message) => {
    const rows = name.includes('input')
      ? csv(8, 7, { gender: (row) => row % 2 })
      : name === 'no-map'
        ? csv(24, 8 * 8 * 3, { age: (row) => 20 + row })
        : ageGenderData();
    const config = await writeRun(name, model, rows, [data, ...(training === '' ? [] : [training])]);
    const { code, stdout, stderr } = runCli(['diagnose', config]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr.trim()).toMatch(message);
  });
});
