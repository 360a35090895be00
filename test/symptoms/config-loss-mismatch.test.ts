import { describe, expect, it } from 'vitest';
import { configLossMismatch } from '../../src/symptoms/config-loss-mismatch.js';
import { configOutputActivation } from '../../src/symptoms/config-output-activation.js';
import type { ConfigEdit } from '../../src/symptoms/finding.js';
import type { Severity } from '../../src/symptoms/ids.js';
import {
  BOSTON,
  dense,
  describeMustNotTrigger,
  DIABETES,
  exampleRows,
  expectConfigFinding,
  inputOf,
  lint,
  MINMAX,
  mlp,
  MNIST,
  ONE_HOT,
  TAGS,
  type ConfigRow,
} from './config-lint-fixtures.js';
import { IRIS_SPECIES, onlyFinding } from './data-summary.js';

interface TriggerRow extends ConfigRow {
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
    says: [
      'training.loss is meanSquaredError, but this is a binary task (data.task)',
      'gradient vanishes',
      'Change training.loss from meanSquaredError to binaryCrossentropy.',
    ],
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
    says: [
      'a regression task (data.task)',
      'a continuous value from 5 to 50',
      'Change training.loss from binaryCrossentropy to meanSquaredError.',
    ],
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
    config: {
      task: 'multiclass',
      loss: 'sparseCategoricalCrossentropy',
      taskSource: 'loss',
      layers: mlp(dense(3, 'softmax')),
      data: ONE_HOT,
    },
    severity: 'critical',
    measured: 3,
    threshold: 1,
    says: ['reads one column of class ids, but the target is 3 one-hot label columns', 'to categoricalCrossentropy'],
    edit: { key: 'training.loss', from: 'sparseCategoricalCrossentropy', to: 'categoricalCrossentropy' },
  },
  {
    name: 'categoricalCrossentropy on the Iris species column (ids, not one-hot)',
    config: {
      task: 'multiclass',
      loss: 'categoricalCrossentropy',
      taskSource: 'loss',
      layers: mlp(dense(3, 'softmax')),
      data: IRIS_SPECIES,
    },
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
    config: {
      task: 'binary',
      loss: 'binaryCrossentropy',
      taskSource: 'loss',
      layers: mlp(dense(2, 'softmax')),
      data: DIABETES,
    },
    severity: 'critical',
    measured: 2,
    threshold: 1,
    says: [
      'each of the 2 output units toward the one 0/1 label',
      'sum to 1',
      'Change training.loss from binaryCrossentropy to sparseCategoricalCrossentropy.',
    ],
    edit: { key: 'training.loss', from: 'binaryCrossentropy', to: 'sparseCategoricalCrossentropy' },
  },
];

const mustNotTrigger: ConfigRow[] = [
  {
    name: 'a written binaryCrossentropy on a linear output: the activation is the edit (config-output-activation)',
    config: { task: 'binary', loss: 'binaryCrossentropy', layers: mlp(dense(1)), data: DIABETES },
  },
  ...exampleRows('boston-standardized', 'iris-healthy', 'deep-sigmoid', 'exploding-rnn', 'lr-too-low'),
  {
    name: 'examples/softmax-one-unit: its loss is right, its output is not (config-output-activation)',
    example: 'softmax-one-unit',
  },
  { name: 'examples/sigmoid-regression: its loss is right, its output is not', example: 'sigmoid-regression' },
  {
    name: 'no training.loss: convdoc chose the loss, so it is never blamed',
    config: {
      task: 'binary',
      loss: 'binaryCrossentropy',
      lossFromConfig: false,
      layers: mlp(dense(1)),
      data: DIABETES,
    },
  },
  {
    name: 'binaryCrossentropy on soft regression targets within [0, 1] through a sigmoid',
    config: { task: 'regression', loss: 'binaryCrossentropy', layers: mlp(dense(1, 'sigmoid')), data: MINMAX },
  },
  {
    name: 'hinge on a binary label through tanh (an SVM-style classifier)',
    config: { task: 'binary', loss: 'hinge', layers: mlp(dense(1, 'tanh')), data: DIABETES },
  },
  {
    name: 'categoricalCrossentropy on one-hot columns through softmax',
    config: { task: 'multiclass', loss: 'categoricalCrossentropy', layers: mlp(dense(3, 'softmax')), data: ONE_HOT },
  },
  {
    name: 'sparseCategoricalCrossentropy on a binary label through a two-unit softmax',
    config: { task: 'binary', loss: 'sparseCategoricalCrossentropy', layers: mlp(dense(2, 'softmax')), data: DIABETES },
  },
  {
    name: 'binaryCrossentropy per tag through sigmoids (multilabel)',
    config: { task: 'multilabel', loss: 'binaryCrossentropy', layers: mlp(dense(3, 'sigmoid')), data: TAGS },
  },
  {
    name: 'huber for house prices, linear output',
    config: { task: 'regression', loss: 'huber', layers: mlp(dense(1)), data: BOSTON },
  },
  {
    name: 'fromLogits: sparse cross-entropy on a linear output (logits)',
    config: {
      task: 'multiclass',
      loss: 'sparseCategoricalCrossentropy',
      fromLogits: true,
      layers: mlp(dense(10)),
      data: MNIST,
    },
  },
  {
    name: 'fromLogits: binary cross-entropy on a linear output unit',
    config: { task: 'binary', loss: 'binaryCrossentropy', fromLogits: true, layers: mlp(dense(1)), data: DIABETES },
  },
  {
    name: 'fromLogits: categorical cross-entropy on one-hot columns, linear output',
    config: {
      task: 'multiclass',
      loss: 'categoricalCrossentropy',
      fromLogits: true,
      layers: mlp(dense(3)),
      data: ONE_HOT,
    },
  },
  {
    name: 'sparse cross-entropy through a trailing {type: softmax} layer',
    config: {
      task: 'multiclass',
      loss: 'sparseCategoricalCrossentropy',
      layers: mlp(dense(3), { type: 'softmax' }),
      data: IRIS_SPECIES,
    },
  },
];

describe('config-loss-mismatch', () => {
  describe('must trigger', () => {
    it.each(mustTrigger)('$name', async (row) => {
      const finding = onlyFinding(configLossMismatch.detect(await inputOf(row)));
      expectConfigFinding(finding, { ...row, symptom: 'config-loss-mismatch', layer: 'model.layers.2' });
    });

    it('a loss against data.task also offers to correct data.task', () => {
      const finding = onlyFinding(
        configLossMismatch.detect(
          lint({ task: 'regression', loss: 'binaryCrossentropy', layers: mlp(dense(1)), data: BOSTON }),
        ),
      );
      expect(finding.advice).toBe(
        'Change training.loss from binaryCrossentropy to meanSquaredError, or correct data.task if the loss is what you meant.',
      );
    });

    it('a wrong loss and the output it implies are two edits: the loss here, the activation in config-output-activation', () => {
      const input = lint({ task: 'binary', loss: 'meanSquaredError', layers: mlp(dense(1)), data: DIABETES });
      expect(configLossMismatch.detect(input).map((finding) => finding.edit)).toEqual([
        { key: 'training.loss', from: 'meanSquaredError', to: 'binaryCrossentropy' },
      ]);
      expect(configOutputActivation.detect(input).map((finding) => finding.edit)).toEqual([
        { key: 'model.layers.2.activation', from: null, to: 'sigmoid' },
      ]);
    });
  });

  describeMustNotTrigger(configLossMismatch, mustNotTrigger);
});
