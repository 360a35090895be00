import { describe, expect, it } from 'vitest';
import type { DataSummary } from '../../src/data/summary.js';
import { configOutputActivation, RULE_CONFIDENCE } from '../../src/symptoms/config-output-activation.js';
import type { ConfigEdit } from '../../src/symptoms/finding.js';
import type { Severity } from '../../src/symptoms/ids.js';
import {
  BOSTON,
  dense,
  describeMustNotTrigger,
  DIABETES,
  example,
  exampleRows,
  expectConfigFinding,
  inputOf,
  MINMAX,
  mlp,
  MNIST,
  ONE_HOT,
  TAGS,
  type ConfigRow,
} from './config-lint-fixtures.js';
import { column, IRIS_SPECIES, onlyFinding } from './data-summary.js';

/** A standardized target: mean 0, std 1, from -2 to 2. */
const STANDARDIZED: Partial<DataSummary> = { targetStats: [column({ name: 'price_z', mean: 0, std: 1 })] };

interface TriggerRow extends ConfigRow {
  severity: Severity;
  measured: number;
  threshold: number;
  layer: string;
  /** Text the message must contain: the problem, the numbers, the edit. */
  says: string[];
  edit: ConfigEdit;
}

const mustTrigger: TriggerRow[] = [
  {
    name: 'examples/softmax-one-unit: softmax over the single unit of a binary classifier',
    example: 'softmax-one-unit',
    severity: 'critical',
    measured: 1,
    threshold: 2,
    layer: 'model.layers.2',
    says: [
      'Softmax over a single output unit always outputs 1',
      'cannot learn',
      'Change model.layers.2.activation from softmax to sigmoid.',
    ],
    edit: { key: 'model.layers.2.activation', from: 'softmax', to: 'sigmoid' },
  },
  {
    name: 'examples/sigmoid-regression: house prices 5..50 through a sigmoid',
    example: 'sigmoid-regression',
    severity: 'critical',
    measured: 50,
    threshold: 1,
    layer: 'model.layers.2',
    says: [
      'target spans 5 to 50',
      'a sigmoid output only produces values in (0, 1)',
      'cannot predict targets above 1',
      'Change model.layers.2.activation from sigmoid to linear.',
    ],
    edit: { key: 'model.layers.2.activation', from: 'sigmoid', to: 'linear' },
  },
  {
    name: 'ReLU output for a standardized target (half of it negative)',
    config: { task: 'regression', loss: 'meanSquaredError', layers: mlp(dense(1, 'relu')), data: STANDARDIZED },
    severity: 'critical',
    measured: -2,
    threshold: 0,
    layer: 'model.layers.2',
    says: ['spans -2 to 2', 'relu output only produces values in [0, ∞)', 'below 0'],
    edit: { key: 'model.layers.2.activation', from: 'relu', to: 'linear' },
  },
  {
    name: 'tanh output for a target from -3 to 3: out on both sides, the upper one measured',
    config: {
      task: 'regression',
      loss: 'huber',
      layers: mlp(dense(1, 'tanh')),
      data: { targetStats: [column({ name: 'y', mean: 0, std: 1.5 })] },
    },
    severity: 'critical',
    measured: 3,
    threshold: 1,
    layer: 'model.layers.2',
    says: ['(-1, 1)', 'above 1 or below -1'],
    edit: { key: 'model.layers.2.activation', from: 'tanh', to: 'linear' },
  },
  {
    name: 'hardSigmoid (Keras snake_case hard_sigmoid) for a target reaching 1.5',
    config: {
      task: 'regression',
      loss: 'meanSquaredError',
      layers: mlp(dense(1, 'hard_sigmoid')),
      data: { targetStats: [column({ name: 'y', mean: 0.7, std: 0.3, min: 0, max: 1.5 })] },
    },
    severity: 'critical',
    measured: 1.5,
    threshold: 1,
    layer: 'model.layers.2',
    says: ['hardSigmoid output only produces values in [0, 1]'],
    edit: { key: 'model.layers.2.activation', from: 'hardSigmoid', to: 'linear' },
  },
  {
    name: 'an LSTM as the output layer keeps its default tanh for Boston prices',
    config: { task: 'regression', loss: 'meanSquaredError', layers: [{ type: 'lstm', units: 1 }], data: BOSTON },
    severity: 'critical',
    measured: 50,
    threshold: 1,
    layer: 'model.layers.0',
    says: ['a tanh output only produces values in (-1, 1)'],
    edit: { key: 'model.layers.0.activation', from: 'tanh', to: 'linear' },
  },
  {
    name: "softmax over one regression unit, spelled 'Softmax': always 1, edit to linear",
    config: { task: 'regression', loss: 'meanSquaredError', layers: mlp(dense(1, 'Softmax')), data: BOSTON },
    severity: 'critical',
    measured: 1,
    threshold: 2,
    layer: 'model.layers.2',
    says: ['always outputs 1'],
    edit: { key: 'model.layers.2.activation', from: 'softmax', to: 'linear' },
  },
  {
    name: 'a trailing {type: softmax} layer after one binary unit: edited by its type',
    config: { task: 'binary', loss: 'binaryCrossentropy', layers: mlp(dense(1), { type: 'softmax' }), data: DIABETES },
    severity: 'critical',
    measured: 1,
    threshold: 2,
    layer: 'model.layers.2',
    says: [
      'always outputs 1',
      'Change model.layers.3.type from softmax to activation and add activation: sigmoid to that layer.',
    ],
    edit: { key: 'model.layers.3.type', from: 'softmax', to: 'activation' },
  },
  {
    name: 'softmax for three tags that co-occur (multilabel)',
    config: { task: 'multilabel', loss: 'binaryCrossentropy', layers: mlp(dense(3, 'softmax')), data: TAGS },
    severity: 'critical',
    measured: 3,
    threshold: 1,
    layer: 'model.layers.2',
    says: ['sum to 1', 'several of its 3 labels', 'Change model.layers.2.activation from softmax to sigmoid.'],
    edit: { key: 'model.layers.2.activation', from: 'softmax', to: 'sigmoid' },
  },
  {
    name: "no training.loss, binary task, linear output: convdoc's binaryCrossentropy reads probabilities",
    config: {
      task: 'binary',
      loss: 'binaryCrossentropy',
      lossFromConfig: false,
      layers: mlp(dense(1)),
      data: DIABETES,
    },
    severity: 'critical',
    measured: 1,
    threshold: 0,
    layer: 'model.layers.2',
    says: [
      'training.loss is not set, so convdoc trains a binary task (data.task) with binaryCrossentropy.',
      'the output unit gives linear values in (-∞, ∞)',
      'Add model.layers.2.activation: sigmoid.',
    ],
    edit: { key: 'model.layers.2.activation', from: null, to: 'sigmoid' },
  },
  {
    name: "no training.loss, Iris through three ReLU units: convdoc's sparse cross-entropy divides by their sum",
    config: {
      task: 'multiclass',
      loss: 'sparseCategoricalCrossentropy',
      lossFromConfig: false,
      layers: mlp(dense(3, 'relu')),
      data: IRIS_SPECIES,
    },
    severity: 'critical',
    measured: 3,
    threshold: 0,
    layer: 'model.layers.2',
    says: [
      'convdoc trains a multiclass task (data.task) with sparseCategoricalCrossentropy',
      '0/0 = NaN',
      'Change model.layers.2.activation from relu to softmax.',
    ],
    edit: { key: 'model.layers.2.activation', from: 'relu', to: 'softmax' },
  },
  {
    name: 'no training.loss, one-hot target through three sigmoid units: trains, but not a distribution',
    config: {
      task: 'multiclass',
      loss: 'categoricalCrossentropy',
      lossFromConfig: false,
      layers: mlp(dense(3, 'sigmoid')),
      data: ONE_HOT,
    },
    severity: 'warning',
    measured: 3,
    threshold: 0,
    layer: 'model.layers.2',
    says: ['sigmoid values in (0, 1)', 'do not sum to 1', 'Change model.layers.2.activation from sigmoid to softmax.'],
    edit: { key: 'model.layers.2.activation', from: 'sigmoid', to: 'softmax' },
  },
  {
    name: 'binaryCrossentropy on a linear output (no activation key)',
    config: { task: 'binary', loss: 'binaryCrossentropy', taskSource: 'loss', layers: mlp(dense(1)), data: DIABETES },
    severity: 'critical',
    measured: 1,
    threshold: 0,
    says: [
      'the output unit gives linear values in (-∞, ∞)',
      "Keras' epsilon",
      'Add model.layers.2.activation: sigmoid.',
    ],
    layer: 'model.layers.2',
    edit: { key: 'model.layers.2.activation', from: null, to: 'sigmoid' },
  },
  {
    name: 'categoricalCrossentropy on a linear one-hot output',
    config: {
      task: 'multiclass',
      loss: 'categoricalCrossentropy',
      taskSource: 'loss',
      layers: mlp(dense(3)),
      data: ONE_HOT,
    },
    severity: 'critical',
    measured: 3,
    threshold: 0,
    says: ['divides the outputs by their sum', 'negative "probabilities"', 'Add model.layers.2.activation: softmax.'],
    layer: 'model.layers.2',
    edit: { key: 'model.layers.2.activation', from: null, to: 'softmax' },
  },
  {
    name: 'sparseCategoricalCrossentropy on ten sigmoid digit units: trains, not a distribution',
    config: {
      task: 'multiclass',
      loss: 'sparseCategoricalCrossentropy',
      taskSource: 'loss',
      layers: mlp(dense(10, 'sigmoid')),
      data: MNIST,
    },
    severity: 'warning',
    measured: 10,
    threshold: 0,
    says: ['expects a softmax output', 'do not sum to 1', 'Change model.layers.2.activation from sigmoid to softmax.'],
    layer: 'model.layers.2',
    edit: { key: 'model.layers.2.activation', from: 'sigmoid', to: 'softmax' },
  },
  {
    name: 'fromLogits with a softmax output: softmax applied twice',
    config: {
      task: 'multiclass',
      loss: 'sparseCategoricalCrossentropy',
      fromLogits: true,
      layers: mlp(dense(10, 'softmax')),
      data: MNIST,
    },
    severity: 'critical',
    measured: 10,
    threshold: 0,
    says: [
      'With training.fromLogits: true,',
      'applies a softmax to the outputs itself',
      'squashed twice',
      'from softmax to linear',
    ],
    layer: 'model.layers.2',
    edit: { key: 'model.layers.2.activation', from: 'softmax', to: 'linear' },
  },
  {
    name: 'fromLogits with a sigmoid output under binaryCrossentropy: sigmoid applied twice',
    config: {
      task: 'binary',
      loss: 'binaryCrossentropy',
      fromLogits: true,
      layers: mlp(dense(1, 'sigmoid')),
      data: DIABETES,
    },
    severity: 'critical',
    measured: 1,
    threshold: 0,
    says: ['applies a sigmoid to the outputs itself', 'from sigmoid to linear'],
    layer: 'model.layers.2',
    edit: { key: 'model.layers.2.activation', from: 'sigmoid', to: 'linear' },
  },
  {
    name: 'a linear output under sparse cross-entropy without fromLogits: the message offers fromLogits',
    config: { task: 'multiclass', loss: 'sparseCategoricalCrossentropy', layers: mlp(dense(10)), data: MNIST },
    severity: 'critical',
    measured: 10,
    threshold: 0,
    says: ['set training.fromLogits: true instead', 'activation: softmax.'],
    layer: 'model.layers.2',
    edit: { key: 'model.layers.2.activation', from: null, to: 'softmax' },
  },
];

const mustNotTrigger: ConfigRow[] = [
  ...exampleRows('boston-standardized', 'boston-unscaled', 'iris-healthy'),
  { name: 'examples/deep-sigmoid (its trouble is dynamics, not the output)', example: 'deep-sigmoid' },
  ...exampleRows('exploding-rnn', 'lr-too-high', 'lr-too-low'),
  {
    name: 'no training.loss, fromLogits: convdoc trains sparse cross-entropy on the linear outputs as logits',
    config: {
      task: 'multiclass',
      loss: 'sparseCategoricalCrossentropy',
      lossFromConfig: false,
      fromLogits: true,
      layers: mlp(dense(10)),
      data: MNIST,
    },
  },
  {
    name: 'sigmoid output for a min-max scaled target in [0, 1]',
    config: { task: 'regression', loss: 'meanSquaredError', layers: mlp(dense(1, 'sigmoid')), data: MINMAX },
  },
  {
    name: 'ReLU output for house prices, all positive',
    config: { task: 'regression', loss: 'meanSquaredError', layers: mlp(dense(1, 'relu')), data: BOSTON },
  },
  {
    name: 'leakyReLU output layer after a linear unit: unbounded',
    config: {
      task: 'regression',
      loss: 'meanSquaredError',
      layers: mlp(dense(1), { type: 'leakyReLU' }),
      data: STANDARDIZED,
    },
  },
  {
    name: 'softmax over one unit for ten digit classes: the missing units are config-shape-mismatch',
    config: {
      task: 'multiclass',
      loss: 'sparseCategoricalCrossentropy',
      layers: mlp(dense(1, 'softmax')),
      data: MNIST,
    },
  },
  {
    name: 'two-unit softmax for a binary label with sparse cross-entropy',
    config: { task: 'binary', loss: 'sparseCategoricalCrossentropy', layers: mlp(dense(2, 'softmax')), data: DIABETES },
  },
  {
    name: 'sigmoid per tag for a multilabel target',
    config: { task: 'multilabel', loss: 'binaryCrossentropy', layers: mlp(dense(3, 'sigmoid')), data: TAGS },
  },
  {
    name: 'a written binaryCrossentropy on a two-unit softmax with one label column: the loss is the edit (config-loss-mismatch)',
    config: { task: 'binary', loss: 'binaryCrossentropy', layers: mlp(dense(2, 'softmax')), data: DIABETES },
  },
  {
    name: 'no training.loss, binary task, sigmoid output',
    config: {
      task: 'binary',
      loss: 'binaryCrossentropy',
      lossFromConfig: false,
      layers: mlp(dense(1, 'sigmoid')),
      data: DIABETES,
    },
  },
  {
    name: 'no layer with units: nothing to judge',
    config: {
      task: 'regression',
      loss: 'meanSquaredError',
      layers: [{ type: 'activation', activation: 'sigmoid' }],
      data: BOSTON,
    },
  },
];

describe('config-output-activation', () => {
  describe('must trigger', () => {
    it.each(mustTrigger)('$name', async (row) => {
      const finding = onlyFinding(configOutputActivation.detect(await inputOf(row)));
      expectConfigFinding(finding, { ...row, symptom: 'config-output-activation' });
    });

    it('rules of exact arithmetic are near certain', async () => {
      expect(onlyFinding(configOutputActivation.detect(await example('softmax-one-unit'))).confidence).toBe(
        RULE_CONFIDENCE,
      );
    });
  });

  describeMustNotTrigger(configOutputActivation, mustNotTrigger);
});
