/**
 * `npm run bench:models`: the held-out model files of bench/models (model-zoo-cases.ts), each
 * diagnosed end to end as a user would, with the built CLI, on 8 rows of synthetic NumPy data of the
 * input shape the file declares and the smallest probe that trains (2 steps of batch 2). Scored as
 * issue 17 scores its held-out set: loaded (exit 0 or 1) / total, and crashes (an exit code outside
 * {0, 1, 2}, a signal or the time limit, a stack trace, or "internal error"). A refusal (exit 2) must
 * be one line. Writes bench/models/results.json and prints a table.
 *
 * Usage: npm run bench:models [-- <name filter>]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readModelFile, type ModelFile } from '../src/model/keras-json.js';
import type { LayerSpec } from '../src/model/layer-spec.js';
import { MODEL_ZOO_CASES, type ModelZooCase } from './model-zoo-cases.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const MODELS_DIR = path.join(ROOT, 'bench/models');
const RESULTS_FILE = path.join(MODELS_DIR, 'results.json');
const ROWS = 8;
/** A length the file leaves open (`null`: any number of time steps), given a value to make data. */
const OPEN_LENGTH = 16;
/** The probe's own budget, and the wall time after which a run counts as not bounded (budget + 10 s, issue 17). */
const PROBE_SECONDS = 60;
const KILL_SECONDS = 300;

type Outcome = 'diagnosed' | 'refused' | 'crash';

interface ModelZooResult {
  file: string;
  expect: ModelZooCase['expect'];
  outcome: Outcome;
  exitCode: number | null;
  wallSeconds: number;
  /** The first line of stderr (the refusal or the error). */
  message: string;
}

/** Deterministic values in [0, 1): the data only has to have the model's shape. */
function* pseudoRandom(seed: number): Generator<number, never> {
  let state = seed;
  for (;;) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    yield state / 2 ** 31;
  }
}

/** A NumPy format 1.0 file of little-endian float32 or int32 values (numpy.lib.format). */
function npy(shape: number[], values: Float32Array | Int32Array): Buffer {
  const descr = values instanceof Float32Array ? '<f4' : '<i4';
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  // The preamble (10 bytes), the header and its newline are padded to a multiple of 64 bytes.
  header = `${header.padEnd(Math.ceil((10 + header.length + 1) / 64) * 64 - 10 - 1)}\n`;
  const preamble = Buffer.from([0x93, ...Buffer.from('NUMPY'), 1, 0, header.length & 0xff, header.length >> 8]);
  return Buffer.concat([preamble, Buffer.from(header, 'latin1'), Buffer.from(values.buffer)]);
}

/** What the model's output needs: its layer specs from the output back to the last one with units. */
function outputOf(model: ModelFile): { units: number; activation: string } {
  const outputName = model.graph?.outputs[0]?.layer;
  const layers = model.graph ? model.graph.layers.map(({ spec }) => spec) : model.layers;
  const end = outputName === undefined ? layers.length : layers.findIndex((spec) => spec['name'] === outputName) + 1;
  let activation: string | undefined;
  for (const spec of layers.slice(0, end).reverse()) {
    if (spec.type === 'activation' || spec.type === 'softmax')
      activation ??= spec.type === 'softmax' ? 'softmax' : activationOf(spec);
    const units = spec['units'] ?? spec['filters'];
    if (typeof units === 'number') return { units, activation: activation ?? activationOf(spec) };
  }
  return { units: 1, activation: activation ?? 'linear' };
}

const activationOf = (spec: LayerSpec) => (typeof spec['activation'] === 'string' ? spec['activation'] : 'linear');

/** Token ids for an Embedding first layer, else values in [0, 1). */
function inputData(first: LayerSpec | undefined, shape: number[], random: Generator<number, never>): Buffer {
  const count = shape.reduce((product, size) => product * size, 1);
  if (first?.type === 'embedding') {
    const vocabulary = Math.min(Number(first['inputDim'] ?? 2), 50);
    return npy(
      shape,
      Int32Array.from({ length: count }, () => Math.floor(random.next().value * vocabulary)),
    );
  }
  return npy(
    shape,
    Float32Array.from({ length: count }, () => random.next().value),
  );
}

/** The training section and target array for the model's output. */
function targetData(output: { units: number; activation: string }): { loss: string; target: Buffer } {
  const labels = (classes: number) => Int32Array.from({ length: ROWS }, (_, row) => row % classes);
  if (output.activation === 'softmax' && output.units > 1)
    return { loss: 'sparseCategoricalCrossentropy', target: npy([ROWS], labels(output.units)) };
  if (output.activation === 'sigmoid' && output.units === 1)
    return { loss: 'binaryCrossentropy', target: npy([ROWS], labels(2)) };
  const values = Float32Array.from({ length: ROWS * output.units }, (_, index) => (index % 3) / 2);
  return {
    loss: output.activation === 'sigmoid' ? 'binaryCrossentropy' : 'meanSquaredError',
    target: npy([ROWS, output.units], values),
  };
}

/**
 * A config and data for the model, in `dir`. The shapes come from the file as convdoc reads it;
 * when it cannot read it, any data does: the run is then about the message.
 */
async function writeCase(testCase: ModelZooCase, dir: string): Promise<string> {
  const modelFile = path.join(MODELS_DIR, `${testCase.file}.json`);
  const model = await readModelFile(modelFile).catch(() => undefined);
  const example = (model?.declaredInputShape ?? [4]).map((size) => size ?? OPEN_LENGTH);
  const random = pseudoRandom(7);
  writeFileSync(path.join(dir, 'x.npy'), inputData(model?.layers[0], [ROWS, ...example], random));
  const { loss, target } = targetData(model === undefined ? { units: 1, activation: 'linear' } : outputOf(model));
  writeFileSync(path.join(dir, 'y.npy'), target);
  const config = path.join(dir, 'convdoc.yaml');
  const lines = [
    'version: 1',
    'seed: 1',
    'data: {train: x.npy, target: y.npy, validationSplit: 0.25}',
    `model: {file: ${JSON.stringify(modelFile)}}`,
    `training: {optimizer: adam, learningRate: 0.001, batchSize: 2, loss: ${loss}}`,
    `probe: {steps: 2, evalEvery: 2, maxSeconds: ${PROBE_SECONDS}}`,
  ];
  writeFileSync(config, `${lines.join('\n')}\n`);
  return config;
}

function outcomeOf(code: number | null, stderr: string): Outcome {
  const crashed = /internal error|^\s+at .+:\d+:\d+\)?$/m.test(stderr);
  if (crashed || code === null || ![0, 1, 2].includes(code)) return 'crash';
  return code === 2 ? 'refused' : 'diagnosed';
}

async function runCase(testCase: ModelZooCase): Promise<ModelZooResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'convdoc-model-zoo-'));
  try {
    const config = await writeCase(testCase, dir);
    const started = performance.now();
    const run = spawnSync(process.execPath, [path.join(ROOT, 'bin/convdoc.js'), 'diagnose', config], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: KILL_SECONDS * 1000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const wallSeconds = (performance.now() - started) / 1000;
    const stderr = run.stderr ?? '';
    const outcome = outcomeOf(run.status, stderr);
    const lines = stderr.split('\n').filter((line) => line.trim() !== '');
    const message =
      run.signal !== null ? `killed by ${run.signal} after ${wallSeconds.toFixed(0)} s` : (lines[0] ?? '');
    return { file: testCase.file, expect: testCase.expect, outcome, exitCode: run.status, wallSeconds, message };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function formatResults(results: readonly ModelZooResult[]): string {
  const rows = results.map(
    (result) =>
      `| ${result.file} | ${result.expect} | ${result.outcome} (${result.exitCode ?? '-'}) | ${result.wallSeconds.toFixed(1)} | ${result.message.replace(/\|/g, '\\|').slice(0, 200)} |`,
  );
  const loaded = results.filter((result) => result.outcome === 'diagnosed').length;
  const crashes = results.filter((result) => result.outcome === 'crash').length;
  return [
    '| file | expected | outcome (exit) | wall s | first line of stderr |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `loaded ${loaded} / ${results.length}, crashes ${crashes}`,
  ].join('\n');
}

async function main(): Promise<number> {
  const filter = process.argv[2];
  const cases = MODEL_ZOO_CASES.filter((testCase) => filter === undefined || testCase.file.includes(filter));
  const results: ModelZooResult[] = [];
  for (const testCase of cases) {
    const result = await runCase(testCase);
    console.error(`${result.file}: ${result.outcome} (${result.exitCode}) in ${result.wallSeconds.toFixed(1)} s`);
    results.push(result);
  }
  console.log(formatResults(results));
  if (filter === undefined) writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  return results.some((result) => result.outcome === 'crash') ? 1 : 0;
}

process.exitCode = await main();
