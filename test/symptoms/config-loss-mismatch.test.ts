import type { LayerSpec } from '../../src/model/layer-spec.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { LossName } from '../../src/config/losses.js';
import type { Task } from '../../src/config/schema.js';
import { loadDataset } from '../../src/data/dataset.js';
import type { DataSummary } from '../../src/data/summary.js';
import { defaultLoss } from '../../src/probe/probe-data.js';
import type { ConfigLintInput } from '../../src/symptoms/config-input.js';
import { configLintInput} from '../../src/symptoms/config-lint-input.js';
import { configLossMismatch } from '../../src/symptoms/config-loss-mismatch.js';
import type { ConfigEdit } from '../../src/symptoms/finding.js';
import type { Severity } from '../../src/symptoms/ids.js';
import { BOSTON_FEATURES, BOSTON_MEDV, BOSTON_ROWS, column, IRIS_SPECIES, labelColumn, onlyFinding, repeat, targetColumns } from './data-summary.js';

/** A config as the lint sees it: the task, the loss (written or convdoc's), the layers, the data. */
interface Case {
  task: Task;
  loss: LossName;
  lossFromConfig?: boolean;
  /** How the task is known; the config's data.task unless said. */
  taskSource?: ConfigLintInput['taskSource'];
  layers: LayerSpec[];
  data: Partial<DataSummary>;
}

const dense = (units: number, activation?: string): LayerSpec => ({ type: 'dense', units, ...(activation === undefined ? {} : { activation }) });
/** Two ReLU hidden layers, then the output: the shape of every example and of `convdoc init`. */
const mlp = (...output: LayerSpec[]): LayerSpec[] => [dense(64, 'relu'), dense(64, 'relu'), ...output];

const BOSTON: Partial<DataSummary> = { rows: BOSTON_ROWS, featureStats: BOSTON_FEATURES, targetStats: [BOSTON_MEDV] };
/** A min-max scaled target, exactly [0, 1]. */
const MINMAX: Partial<DataSummary> = { targetStats: [column({ name: 'price01', mean: 0.39, std: 0.2, min: 0, max: 1 })] };
const DIABETES = labelColumn({ 0: 500, 1: 268 }, 'Outcome');
const TAGS = targetColumns(['sports', 'politics', 'tech'], [...repeat(50, [1, 0, 1]), ...repeat(30, [0, 1, 0]), ...repeat(20, [1, 1, 1])]);
const ONE_HOT = targetColumns(['cat', 'dog', 'bird'], [...repeat(40, [1, 0, 0]), ...repeat(30, [0, 1, 0]), ...repeat(30, [0, 0, 1])]);
const MNIST = labelColumn({ 0: 5923, 1: 6742, 2: 5958, 3: 6131, 4: 5842, 5: 5421, 6: 5918, 7: 6265, 8: 5851, 9: 5949 }, 'digit');

function lint({ task, loss, lossFromConfig = true, taskSource = 'config', layers, data }: Case): ConfigLintInput {
  return configLintInput({ task, taskSource, loss, lossFromConfig, layers, layerKey: (index) => `model.layers.${index}`, data: summaryOf(task, data) });
}

function summaryOf(task: Task, data: Partial<DataSummary>): DataSummary {
  return {
    file: 'data.csv',
    rows: 100,
    features: 1,
    taskSource: 'config',
    normalize: 'standardize',
    featureStats: [column({ name: 'x', mean: 0, std: 1 })],
    targetStats: [column({ name: 'y', mean: 0, std: 1 })],
    textLabels: false,
    binaryTargetRows: 0,
    oneHotRows: 0,
    ...data,
    task,
  };
}

/** An example config as `diagnose` lints it: the real data, the task as inferred, the loss written or defaulted. */
async function example(name: string): Promise<ConfigLintInput> {
  const file = fileURLToPath(new URL(`../../examples/${name}/convdoc.yaml`, import.meta.url));
  const loaded = parseConfig(readFileSync(file, 'utf8'), file);
  const dataset = await loadDataset(loaded);
  const { summary } = dataset;
  const written = loaded.config.training.loss;
  return configLintInput({
    task: summary.task,
    taskSource: summary.taskSource,
    loss: written ?? defaultLoss(summary.task, dataset),
    lossFromConfig: written !== undefined,
    layers: loaded.config.model.layers ?? [],
    layerKey: (index) => `model.layers.${index}`,
    data: summary,
  });
}

const inputOf = (row: { example?: string; config?: Case }) => (row.example !== undefined ? example(row.example) : Promise.resolve(lint(row.config!)));

interface TriggerRow {
  name: string;
  example?: string;
  config?: Case;
  severity: Severity;
  measured: number;
  threshold: number;
  /** Text the message must contain: the problem, the numbers, the edit. */
  says: string[];
  edit: ConfigEdit;
}

const mustTrigger: TriggerRow[] = [
  {
    name: 'meanSquaredError for a binary task (Pima Outcome 0/1) through a sigmoid: learns, slowly',
    config: { task: 'binary', loss: 'meanSquaredError', layers: mlp(dense(1, 'sigmoid')), data: DIABETES },
    severity: 'warning',
    measured: 2,
    threshold: 1,
    says: ['training.loss is meanSquaredError, but this is a binary task (data.task)', 'gradient vanishes', 'Change training.loss from meanSquaredError to binaryCrossentropy.'],
    edit: { key: 'training.loss', from: 'meanSquaredError', to: 'binaryCrossentropy' },
  },
  {
    name: 'meanSquaredError on ten digit ids through a softmax: regresses the ids',
    config: { task: 'multiclass', loss: 'meanSquaredError', layers: mlp(dense(10, 'softmax')), data: MNIST },
    severity: 'critical',
    measured: 10,
    threshold: 1,
    says: ['regresses the class ids as numbers', '10 unordered classes', 'to sparseCategoricalCrossentropy'],
    edit: { key: 'training.loss', from: 'meanSquaredError', to: 'sparseCategoricalCrossentropy' },
  },
  {
    name: 'binaryCrossentropy for Boston house prices (data.task: regression)',
    config: { task: 'regression', loss: 'binaryCrossentropy', layers: mlp(dense(1)), data: BOSTON },
    severity: 'critical',
    measured: 50,
    threshold: 1,
    says: ['a regression task (data.task)', 'a continuous value from 5 to 50', 'Change training.loss from binaryCrossentropy to meanSquaredError.'],
    edit: { key: 'training.loss', from: 'binaryCrossentropy', to: 'meanSquaredError' },
  },
  {
    name: 'sparseCategoricalCrossentropy for a regression target',
    config: { task: 'regression', loss: 'sparseCategoricalCrossentropy', layers: mlp(dense(1)), data: MINMAX },
    severity: 'critical',
    measured: 0,
    threshold: 2,
    says: ['reads one column of class ids', 'from 0 to 1'],
    edit: { key: 'training.loss', from: 'sparseCategoricalCrossentropy', to: 'meanSquaredError' },
  },
  {
    name: 'sparseCategoricalCrossentropy on one-hot columns (cat, dog, bird)',
    config: { task: 'multiclass', loss: 'sparseCategoricalCrossentropy', taskSource: 'loss', layers: mlp(dense(3, 'softmax')), data: ONE_HOT },
    severity: 'critical',
    measured: 3,
    threshold: 1,
    says: ['reads one column of class ids, but the target is 3 one-hot label columns', 'to categoricalCrossentropy'],
    edit: { key: 'training.loss', from: 'sparseCategoricalCrossentropy', to: 'categoricalCrossentropy' },
  },
  {
    name: 'categoricalCrossentropy on the Iris species column (ids, not one-hot)',
    config: { task: 'multiclass', loss: 'categoricalCrossentropy', taskSource: 'loss', layers: mlp(dense(3, 'softmax')), data: IRIS_SPECIES },
    severity: 'critical',
    measured: 1,
    threshold: 3,
    says: ['(inferred from the loss)', 'one column of class ids', 'to sparseCategoricalCrossentropy'],
    edit: { key: 'training.loss', from: 'categoricalCrossentropy', to: 'sparseCategoricalCrossentropy' },
  },
  {
    name: 'categoricalCrossentropy for tags that co-occur (multilabel)',
    config: { task: 'multilabel', loss: 'categoricalCrossentropy', layers: mlp(dense(3, 'sigmoid')), data: TAGS },
    severity: 'critical',
    measured: 3,
    threshold: 1,
    says: ['exactly one class per row', 'several of its 3 labels', 'to binaryCrossentropy'],
    edit: { key: 'training.loss', from: 'categoricalCrossentropy', to: 'binaryCrossentropy' },
  },
  {
    name: 'binaryCrossentropy for ten digit ids (data.task: multiclass)',
    config: { task: 'multiclass', loss: 'binaryCrossentropy', layers: mlp(dense(10, 'softmax')), data: MNIST },
    severity: 'critical',
    measured: 9,
    threshold: 1,
    says: ['class ids up to 9', 'to sparseCategoricalCrossentropy'],
    edit: { key: 'training.loss', from: 'binaryCrossentropy', to: 'sparseCategoricalCrossentropy' },
  },
  {
    name: 'binaryCrossentropy over a one-hot softmax (data.task: multiclass): one-vs-rest, learns',
    config: { task: 'multiclass', loss: 'binaryCrossentropy', layers: mlp(dense(3, 'softmax')), data: ONE_HOT },
    severity: 'warning',
    measured: 3,
    threshold: 2,
    says: ['one-vs-rest', 'binary accuracy', 'to categoricalCrossentropy'],
    edit: { key: 'training.loss', from: 'binaryCrossentropy', to: 'categoricalCrossentropy' },
  },
  {
    name: 'sparseCategoricalCrossentropy on one sigmoid unit of a binary label: always 1',
    config: { task: 'binary', loss: 'sparseCategoricalCrossentropy', layers: mlp(dense(1, 'sigmoid')), data: DIABETES },
    severity: 'critical',
    measured: 1,
    threshold: 2,
    says: ['over the single output unit that is always 1', 'to binaryCrossentropy'],
    edit: { key: 'training.loss', from: 'sparseCategoricalCrossentropy', to: 'binaryCrossentropy' },
  },
  {
    name: 'binaryCrossentropy on a two-unit softmax for one 0/1 column: the units cannot both be right',
    config: { task: 'binary', loss: 'binaryCrossentropy', taskSource: 'loss', layers: mlp(dense(2, 'softmax')), data: DIABETES },
    severity: 'critical',
    measured: 2,
    threshold: 1,
    says: ['each of the 2 output units toward the one 0/1 label', 'sum to 1', 'Change training.loss from binaryCrossentropy to sparseCategoricalCrossentropy.'],
    edit: { key: 'training.loss', from: 'binaryCrossentropy', to: 'sparseCategoricalCrossentropy' },
  },
  {
    name: 'binaryCrossentropy on a linear output (no activation key)',
    config: { task: 'binary', loss: 'binaryCrossentropy', taskSource: 'loss', layers: mlp(dense(1)), data: DIABETES },
    severity: 'critical',
    measured: 1,
    threshold: 0,
    says: ['the output unit gives linear values in (-∞, ∞)', "Keras' epsilon", 'Add model.layers.2.activation: sigmoid.'],
    edit: { key: 'model.layers.2.activation', from: null, to: 'sigmoid' },
  },
  {
    name: 'categoricalCrossentropy on a linear one-hot output',
    config: { task: 'multiclass', loss: 'categoricalCrossentropy', taskSource: 'loss', layers: mlp(dense(3)), data: ONE_HOT },
    severity: 'critical',
    measured: 3,
    threshold: 0,
    says: ['divides the outputs by their sum', 'negative "probabilities"', 'Add model.layers.2.activation: softmax.'],
    edit: { key: 'model.layers.2.activation', from: null, to: 'softmax' },
  },
  {
    name: 'sparseCategoricalCrossentropy on ten sigmoid digit units: trains, not a distribution',
    config: { task: 'multiclass', loss: 'sparseCategoricalCrossentropy', taskSource: 'loss', layers: mlp(dense(10, 'sigmoid')), data: MNIST },
    severity: 'warning',
    measured: 10,
    threshold: 0,
    says: ['expects a softmax output', 'do not sum to 1', 'Change model.layers.2.activation from sigmoid to softmax.'],
    edit: { key: 'model.layers.2.activation', from: 'sigmoid', to: 'softmax' },
  },
];

interface QuietRow {
  name: string;
  example?: string;
  config?: Case;
}

const mustNotTrigger: QuietRow[] = [
  { name: 'examples/boston-standardized', example: 'boston-standardized' },
  { name: 'examples/iris-healthy', example: 'iris-healthy' },
  { name: 'examples/deep-sigmoid', example: 'deep-sigmoid' },
  { name: 'examples/exploding-rnn', example: 'exploding-rnn' },
  { name: 'examples/lr-too-low', example: 'lr-too-low' },
  { name: 'examples/softmax-one-unit: its loss is right, its output is not (config-output-activation)', example: 'softmax-one-unit' },
  { name: 'examples/sigmoid-regression: its loss is right, its output is not', example: 'sigmoid-regression' },
  { name: 'no training.loss: convdoc chose the loss, so it is never blamed', config: { task: 'binary', loss: 'binaryCrossentropy', lossFromConfig: false, layers: mlp(dense(1)), data: DIABETES } },
  { name: 'binaryCrossentropy on soft regression targets within [0, 1] through a sigmoid', config: { task: 'regression', loss: 'binaryCrossentropy', layers: mlp(dense(1, 'sigmoid')), data: MINMAX } },
  { name: 'hinge on a binary label through tanh (an SVM-style classifier)', config: { task: 'binary', loss: 'hinge', layers: mlp(dense(1, 'tanh')), data: DIABETES } },
  { name: 'categoricalCrossentropy on one-hot columns through softmax', config: { task: 'multiclass', loss: 'categoricalCrossentropy', layers: mlp(dense(3, 'softmax')), data: ONE_HOT } },
  { name: 'sparseCategoricalCrossentropy on a binary label through a two-unit softmax', config: { task: 'binary', loss: 'sparseCategoricalCrossentropy', layers: mlp(dense(2, 'softmax')), data: DIABETES } },
  { name: 'binaryCrossentropy per tag through sigmoids (multilabel)', config: { task: 'multilabel', loss: 'binaryCrossentropy', layers: mlp(dense(3, 'sigmoid')), data: TAGS } },
  { name: 'huber for house prices, linear output', config: { task: 'regression', loss: 'huber', layers: mlp(dense(1)), data: BOSTON } },
  {
    name: 'sparse cross-entropy through a trailing {type: softmax} layer',
    config: { task: 'multiclass', loss: 'sparseCategoricalCrossentropy', layers: mlp(dense(3), { type: 'softmax' }), data: IRIS_SPECIES },
  },
];

describe('config-loss-mismatch', () => {
  describe('must trigger', () => {
    it.each(mustTrigger)('$name', async (row) => {
      const finding = onlyFinding(configLossMismatch.detect(await inputOf(row)));

      expect(finding.symptom).toBe('config-loss-mismatch');
      expect(finding.severity).toBe(row.severity);
      expect(finding.confidence).toBeGreaterThanOrEqual(0.95);
      expect(finding.layer).toBe('model.layers.2');
      expect(finding.evidence).toMatchObject({ measured: row.measured, threshold: row.threshold });
      expect(finding.edit).toEqual(row.edit);
      for (const text of row.says) expect(finding.message).toContain(text);
      expect(finding.fixes).toEqual([]);
    });

    it('a loss against data.task also offers to correct data.task', () => {
      const finding = onlyFinding(configLossMismatch.detect(lint({ task: 'regression', loss: 'binaryCrossentropy', layers: mlp(dense(1)), data: BOSTON })));
      expect(finding.advice).toBe('Change training.loss from binaryCrossentropy to meanSquaredError, or correct data.task if the loss is what you meant.');
    });

    it('a wrong loss and the output it implies are two edits, one finding each', () => {
      const findings = configLossMismatch.detect(lint({ task: 'binary', loss: 'meanSquaredError', layers: mlp(dense(1)), data: DIABETES }));
      expect(findings.map((finding) => finding.edit)).toEqual([
        { key: 'training.loss', from: 'meanSquaredError', to: 'binaryCrossentropy' },
        { key: 'model.layers.2.activation', from: null, to: 'sigmoid' },
      ]);
    });
  });

  describe('must not trigger', () => {
    it.each(mustNotTrigger)('$name', async (row) => {
      expect(configLossMismatch.detect(await inputOf(row))).toEqual([]);
    });
  });
});
