/**
 * `convdoc init <data>`: a starter config for the task the data describes, every key commented,
 * that validates as written. The model is a plain two-layer ReLU MLP with the output layer and loss
 * the task calls for: the Keras tutorial defaults, which train on well-scaled tabular data.
 */
import path from 'node:path';
import { parseConfig } from '../config/load.js';
import { DEFAULT_SEED, type Task } from '../config/schema.js';
import { scanTable } from '../data/scan.js';
import { inferTask } from '../data/task.js';
import { readHeader } from '../data/table.js';

export interface InitOptions {
  /** The target column; default the last column. */
  target?: string;
  /** Where the config will live; its data path is written relative to it. */
  output: string;
}

interface OutputSpec {
  units: number;
  activation: string;
  loss: string;
  metric: string;
}

export async function initConfig(dataFile: string, options: InitOptions): Promise<string> {
  const target = options.target ?? (await readHeader(dataFile)).at(-1)!;
  const scan = await scanTable(dataFile, { target: [target], sampleRows: 1, seed: DEFAULT_SEED });
  const { task } = inferTask(scan);
  const relativeData = path
    .relative(path.dirname(path.resolve(options.output)), path.resolve(dataFile))
    .split(path.sep)
    .join('/');
  // Text labels are numbered 0..C-1; numeric ids are used as written, so they need max + 1 units.
  const classCount = scan.textLabels ? (scan.labelCounts?.size ?? 1) : scan.targets[0]!.max + 1;
  const output = outputFor(task, classCount);
  const name = path.basename(dataFile, path.extname(dataFile));
  const activation = output.activation === 'linear' ? '' : `, activation: ${output.activation}`;
  const outputLayer = `{type: dense, units: ${output.units}${activation}}`;
  const lines: Array<[code: string, comment?: string]> = [
    [`# convdoc config: run \`convdoc diagnose ${path.basename(options.output)}\` to probe-train this model.`],
    ["# Reference: the README's config section, or `convdoc schema config`."],
    ['version: 1', 'the config format version'],
    [`name: ${JSON.stringify(name)}`, 'shown in reports'],
    [`seed: ${DEFAULT_SEED}`, 'every random choice (init, sampling, split) follows it'],
    ['data:', 'the dataset and how the run reads it'],
    [`  train: ${JSON.stringify(relativeData)}`, 'relative to this file'],
    [`  target: ${JSON.stringify(target)}`, 'the column to predict'],
    [`  task: ${task}`, "inferred from the target's values: regression | binary | multiclass | multilabel"],
    ['  validationSplit: 0.2', 'fraction of rows held out for validation (0 disables)'],
    ['  normalize: standardize', 'standardize features with training-set statistics (none | standardize | minmax)'],
    ['model:', 'the network, layer by layer'],
    ['  layers:', 'tfjs-layers class names in camelCase and their config; input shape comes from the data'],
    ['    - {type: dense, units: 64, activation: relu}', 'hidden layer'],
    ['    - {type: dense, units: 64, activation: relu}', 'hidden layer'],
    [`    - ${outputLayer}`, `output layer for ${task}`],
    ['training:', 'how the full run trains'],
    ['  optimizer: adam', 'sgd | momentum | adam | rmsprop | adagrad | adadelta | adamax'],
    ['  learningRate: 0.001', "Adam's usual default"],
    ['  batchSize: 32', 'examples per optimizer step'],
    ['  epochs: 100', 'the full run you intend; probes use their own budget'],
    [`  loss: ${output.loss}`, `the Keras/tfjs loss for ${task}`],
    [`  metrics: [${output.metric}]`, 'reported beside the loss'],
    ['probe:', 'the short instrumented runs convdoc makes'],
    ['  steps: 300', 'optimizer steps per probe run'],
    ['  evalEvery: 10', 'validation loss every N steps'],
  ];
  const width = Math.max(...lines.filter(([, comment]) => comment !== undefined).map(([code]) => code.length)) + 2;
  const text =
    lines.map(([code, comment]) => (comment === undefined ? code : `${code.padEnd(width)}# ${comment}`)).join('\n') +
    '\n';
  parseConfig(text, options.output);
  return text;
}

/** The output layer and loss a Keras user would write for each task. */
function outputFor(task: Task, classCount: number): OutputSpec {
  switch (task) {
    case 'regression':
      return { units: 1, activation: 'linear', loss: 'meanSquaredError', metric: 'mae' };
    case 'binary':
    case 'multilabel':
      return { units: 1, activation: 'sigmoid', loss: 'binaryCrossentropy', metric: 'accuracy' };
    case 'multiclass':
      return { units: classCount, activation: 'softmax', loss: 'sparseCategoricalCrossentropy', metric: 'accuracy' };
  }
}
