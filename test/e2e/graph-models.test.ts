/**
 * Real published model files that are graphs or wrap other models (fixtures/models/README.md), each
 * diagnosed end to end on a few rows of synthetic data of its input shape, with the smallest probe
 * that still trains and evaluates (2 steps of batch 2): these tests are about loading, building and
 * training the graph, not about what the diagnosis finds.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModelFile } from '../../src/model/keras-json.js';
import { ROOT, runCli } from './run-cli.js';

let scratch: string;

/** Deterministic values in [0, 1): the data only has to have the model's shape. */
function* pseudoRandom(seed: number): Generator<number> {
  let state = seed;
  for (;;) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    yield state / 2 ** 31;
  }
}

/** Images as CSV: one column per pixel value, then a class label alternating 0, 1. */
function imagesCsv(rows: number, pixels: number): string {
  const random = pseudoRandom(7);
  const header = [...Array.from({ length: pixels }, (_, index) => `p${index}`), 'label'].join(',');
  const lines = Array.from({ length: rows }, (_, row) => {
    const values = Array.from({ length: pixels }, () => (random.next().value * 0.5 + 0.5 * (row % 2)).toFixed(2));
    return [...values, String(row % 2)].join(',');
  });
  return `${[header, ...lines].join('\n')}\n`;
}

/** Token ids and one tag id per token, as a part-of-speech tagger trains on. */
function taggingCsv(rows: number, steps: number, tags: number): string {
  const random = pseudoRandom(11);
  const header = [
    ...Array.from({ length: steps }, (_, i) => `t${i}`),
    ...Array.from({ length: steps }, (_, i) => `y${i}`),
  ];
  const lines = Array.from({ length: rows }, () => {
    const tokens = Array.from({ length: steps }, () => 1 + Math.floor(random.next().value * 500));
    return [...tokens, ...tokens.map((token) => token % tags)].join(',');
  });
  return `${[header.join(','), ...lines].join('\n')}\n`;
}

// A budget far above the probe's few steps: on a loaded machine the 11M-parameter ResNet's second step
// may not fit in the default 60 s, and a baseline cut short gets no trials; these tests are not about time.
const PROBE = 'probe: {steps: 2, evalEvery: 2, maxSeconds: 600}';

async function writeConfig(name: string, lines: string[]): Promise<string> {
  const file = path.join(scratch, `${name}.yaml`);
  await writeFile(file, `${['version: 1', 'seed: 1', ...lines, PROBE].join('\n')}\n`);
  return file;
}

const modelFile = (name: string) => path.join(ROOT, 'fixtures/models', name);

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'convdoc-graph-models-'));
  await writeFile(path.join(scratch, 'images.csv'), imagesCsv(12, 32 * 32 * 3));
  await writeFile(path.join(scratch, 'tags.csv'), taggingCsv(12, 20, 27));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const imageData = 'data: {train: images.csv, target: label, inputShape: [32, 32, 3], validationSplit: 0.25}';
const training = (loss: string) => `training: {optimizer: adam, learningRate: 0.001, batchSize: 2, loss: ${loss}}`;

// An 11M-parameter ResNet probed three times (baseline, activation, batchnorm) on a busy machine
// can pass vitest's 60 s default; its budget is the probe's, not this test's.
describe('graph and nested model files, diagnosed end to end', { timeout: 240_000 }, () => {
  it('a ResNet with residual sums (Keras 2): diagnosed, and --apply-fix measures activation and batchnorm on the graph', async () => {
    const config = await writeConfig('resnet', [
      imageData,
      `model: {file: ${modelFile('keras2-resnet18-cats.json')}}`,
      training('sparseCategoricalCrossentropy'),
    ]);
    const { code, stdout, stderr } = runCli(['diagnose', config, '--apply-fix', 'activation,batchnorm', '--json']);
    expect(stderr).not.toMatch(/internal error/);
    expect([0, 1]).toContain(code);
    const report = JSON.parse(stdout);
    const tried = report.trials.map((trial: { fixes: string[] }) => trial.fixes.join('+'));
    expect(tried).toContain('batchnorm');
    // activation changes nothing in an all-ReLU model without dead units: it is measured or said to change nothing.
    const untried = report.untriedFixes.map((entry: { fix: string }) => entry.fix);
    expect([...tried, ...untried]).toContain('activation');
  });

  it('convdoc fix on the ResNet writes the fixed graph as a model file the fixed config names', async () => {
    const config = await writeConfig('resnet-fix', [
      imageData,
      `model: {file: ${modelFile('keras2-resnet18-cats.json')}}`,
      training('sparseCategoricalCrossentropy'),
    ]);
    const output = path.join(scratch, 'fixed', 'convdoc.yaml');
    await mkdir(path.dirname(output));
    const { code, stderr } = runCli(['fix', config, '--apply', 'batchnorm', '-o', output]);
    expect(code, stderr).toBe(0);
    expect(await readFile(output, 'utf8')).toMatch(/file: keras2-resnet18-cats\.fixed\.json\b/);
    const fixed = await readModelFile(path.join(path.dirname(output), 'keras2-resnet18-cats.fixed.json'));
    const original = await readModelFile(modelFile('keras2-resnet18-cats.json'));
    const count = (layers: { type: string }[]) => layers.filter(({ type }) => type === 'batchNormalization').length;
    expect(count(fixed.layers)).toBeGreaterThan(count(original.layers));
    expect(fixed.graph?.layers.some(({ spec }) => spec.type === 'add')).toBe(true);
  });

  it('a Teachable Machine export, Sequential(Sequential(MobileNetV2), Sequential(dense)), in tfjs format', async () => {
    const config = await writeConfig('teachable', [
      imageData,
      `model: {file: ${modelFile('tfjs-teachable-machine.json')}}`,
      training('categoricalCrossentropy'),
    ]);
    const { code, stdout, stderr } = runCli(['diagnose', config, '--json']);
    expect(stderr).not.toMatch(/internal error/);
    expect([0, 1]).toContain(code);
    const report = JSON.parse(stdout);
    const layers = report.findings.map((finding: { layer?: string }) => finding.layer).filter(Boolean);
    expect(layers).not.toContain('?');
  });

  it('Bidirectional(LSTM) + TimeDistributed(Dense): a tagger with one tag per time step', async () => {
    const steps = Array.from({ length: 20 }, (_, index) => `y${index}`).join(', ');
    const config = await writeConfig('tagger', [
      `data: {train: tags.csv, target: [${steps}], validationSplit: 0.25}`,
      `model: {file: ${modelFile('keras2-bilstm-pos-tagger.json')}}`,
      training('sparseCategoricalCrossentropy'),
    ]);
    const { code, stderr } = runCli(['diagnose', config]);
    expect(stderr).not.toMatch(/internal error/);
    expect([0, 1]).toContain(code);
  });
});
