import { describe, expect, it } from 'vitest';
import type { DataSummary } from '../../src/data/summary.js';
import { configShapeMismatch, EXTRA_CLASS_UNITS_SEVERITY } from '../../src/symptoms/config-shape-mismatch.js';
import type { ConfigEdit } from '../../src/symptoms/finding.js';
import type { Severity } from '../../src/symptoms/ids.js';
import {
  dense,
  describeMustNotTrigger,
  DIABETES,
  exampleRows,
  expectConfigFinding,
  inputOf,
  mlp,
  MNIST,
  ONE_HOT,
  TAGS,
  type ConfigRow,
} from './config-lint-fixtures.js';
import { column, IRIS_SPECIES, labelColumn, onlyFinding } from './data-summary.js';

/** Three regression targets from one row (multi-output regression). */
const THREE_TARGETS: Partial<DataSummary> = {
  targetStats: [
    column({ name: 'x', mean: 0, std: 1 }),
    column({ name: 'y', mean: 5, std: 2 }),
    column({ name: 'z', mean: -1, std: 0.5 }),
  ],
};
/** Red wine quality 3..8 (Cortez et al. 2009): ids address 9 output units, as `convdoc init` sizes them. */
const WINE = labelColumn({ 3: 10, 4: 53, 5: 681, 6: 638, 7: 199, 8: 18 }, 'quality');

interface TriggerRow extends ConfigRow {
  severity: Severity;
  /** The output units today and the count the target needs: the evidence and the edit. */
  units: number;
  expected: number;
  /** Text the message must contain: the problem, the numbers, the edit. */
  says: string[];
  edit?: ConfigEdit;
}

const mustTrigger: TriggerRow[] = [
  {
    name: 'one linear unit for three regression targets',
    config: { task: 'regression', loss: 'meanSquaredError', layers: mlp(dense(1)), data: THREE_TARGETS },
    severity: 'critical',
    units: 1,
    expected: 3,
    says: [
      'The output layer has 1 unit, but the target is 3 target columns (x, y, z)',
      'only fit their mean',
      'Change model.layers.2.units from 1 to 3.',
    ],
  },
  {
    name: 'one sigmoid unit for three tags (multilabel)',
    config: { task: 'multilabel', loss: 'binaryCrossentropy', layers: mlp(dense(1, 'sigmoid')), data: TAGS },
    severity: 'critical',
    units: 1,
    expected: 3,
    says: ['3 target columns (sports, politics, tech)', 'Change model.layers.2.units from 1 to 3.'],
  },
  {
    name: 'four softmax units for a three-column one-hot target',
    config: { task: 'multiclass', loss: 'categoricalCrossentropy', layers: mlp(dense(4, 'softmax')), data: ONE_HOT },
    severity: 'critical',
    units: 4,
    expected: 3,
    says: ['4 outputs cannot be compared with 3 columns'],
  },
  {
    name: 'two sigmoid units for one binary label under binaryCrossentropy',
    config: { task: 'binary', loss: 'binaryCrossentropy', layers: mlp(dense(2, 'sigmoid')), data: DIABETES },
    severity: 'critical',
    units: 2,
    expected: 1,
    says: [
      'The output layer has 2 units, but the target is one label column',
      'all 2 units fit the same label',
      'Change model.layers.2.units from 2 to 1.',
    ],
  },
  {
    name: "no training.loss, two softmax units for a binary label: convdoc's binaryCrossentropy wants one",
    config: {
      task: 'binary',
      loss: 'binaryCrossentropy',
      lossFromConfig: false,
      layers: mlp(dense(2, 'softmax')),
      data: DIABETES,
    },
    severity: 'critical',
    units: 2,
    expected: 1,
    says: ["binaryCrossentropy (convdoc's loss for a binary task; training.loss is not set)"],
  },
  {
    name: 'two softmax units for the three Iris species',
    config: {
      task: 'multiclass',
      loss: 'sparseCategoricalCrossentropy',
      layers: mlp(dense(2, 'softmax')),
      data: IRIS_SPECIES,
    },
    severity: 'critical',
    units: 2,
    expected: 3,
    says: [
      '2 units, but the labels hold 3 classes',
      'class id 2 points past the last unit',
      'Change model.layers.2.units from 2 to 3.',
    ],
  },
  {
    name: 'softmax over one unit for ten digits: the units are the bug, not the softmax',
    config: {
      task: 'multiclass',
      loss: 'sparseCategoricalCrossentropy',
      layers: mlp(dense(1, 'softmax')),
      data: MNIST,
    },
    severity: 'critical',
    units: 1,
    expected: 10,
    says: ['class ids 1 to 9 point past the last unit'],
  },
  {
    name: 'six units for wine quality ids 3..8 (ids index the units: 9 needed)',
    config: { task: 'multiclass', loss: 'sparseCategoricalCrossentropy', layers: mlp(dense(6, 'softmax')), data: WINE },
    severity: 'critical',
    units: 6,
    expected: 9,
    says: ['class ids 6 to 8 point past the last unit'],
  },
  {
    name: 'an MNIST-sized output of 10 units on Iris: trains, wastes 7 units',
    config: {
      task: 'multiclass',
      loss: 'sparseCategoricalCrossentropy',
      layers: mlp(dense(10, 'softmax')),
      data: IRIS_SPECIES,
    },
    severity: EXTRA_CLASS_UNITS_SEVERITY,
    units: 10,
    expected: 3,
    says: [
      '10 units for 3 classes: 7 units are never the target',
      'It trains',
      'Change model.layers.2.units from 10 to 3.',
    ],
  },
  {
    name: 'a conv1d output of 2 filters, globally pooled, for one binary label: edited at filters',
    config: {
      task: 'binary',
      loss: 'binaryCrossentropy',
      layers: [
        { type: 'conv1d', filters: 16, kernelSize: 3, activation: 'relu' },
        { type: 'conv1d', filters: 2, kernelSize: 3, activation: 'sigmoid' },
        { type: 'globalAveragePooling1d' },
      ],
      data: DIABETES,
    },
    severity: 'critical',
    units: 2,
    expected: 1,
    says: ['Change model.layers.1.filters from 2 to 1.'],
    edit: { key: 'model.layers.1.filters', from: 2, to: 1 },
  },
];

const mustNotTrigger: ConfigRow[] = [
  ...exampleRows('boston-standardized', 'iris-healthy', 'deep-sigmoid', 'exploding-rnn'),
  {
    name: 'examples/softmax-one-unit: one unit is right, softmax is not (config-output-activation)',
    example: 'softmax-one-unit',
  },
  ...exampleRows('sigmoid-regression'),
  {
    name: 'ten softmax units for ten digits',
    config: {
      task: 'multiclass',
      loss: 'sparseCategoricalCrossentropy',
      layers: mlp(dense(10, 'softmax')),
      data: MNIST,
    },
  },
  {
    name: 'nine units for wine quality 3..8, as convdoc init writes it',
    config: { task: 'multiclass', loss: 'sparseCategoricalCrossentropy', layers: mlp(dense(9, 'softmax')), data: WINE },
  },
  {
    name: 'two softmax units for a binary label with sparse cross-entropy',
    config: { task: 'binary', loss: 'sparseCategoricalCrossentropy', layers: mlp(dense(2, 'softmax')), data: DIABETES },
  },
  {
    name: 'three linear units for three regression targets',
    config: { task: 'regression', loss: 'meanSquaredError', layers: mlp(dense(3)), data: THREE_TARGETS },
  },
  {
    name: 'three sigmoid units for three tags',
    config: { task: 'multilabel', loss: 'binaryCrossentropy', layers: mlp(dense(3, 'sigmoid')), data: TAGS },
  },
  {
    name: 'a dropout and a trailing activation layer after the output keep its width',
    config: {
      task: 'multiclass',
      loss: 'categoricalCrossentropy',
      layers: mlp(dense(3), { type: 'dropout', rate: 0.1 }, { type: 'activation', activation: 'softmax' }),
      data: ONE_HOT,
    },
  },
  {
    name: 'a flatten after the last conv: the output width is not known, so not judged',
    config: {
      task: 'binary',
      loss: 'binaryCrossentropy',
      layers: [{ type: 'conv1d', filters: 4, kernelSize: 3, activation: 'sigmoid' }, { type: 'flatten' }],
      data: DIABETES,
    },
  },
  {
    name: 'a wrong loss is config-loss-mismatch: units judged against the loss it should be (MSE on 3 Iris units → sparse)',
    config: { task: 'multiclass', loss: 'meanSquaredError', layers: mlp(dense(3, 'softmax')), data: IRIS_SPECIES },
  },
];

describe('config-shape-mismatch', () => {
  describe('must trigger', () => {
    it.each(mustTrigger)('$name', async (row) => {
      const finding = onlyFinding(configShapeMismatch.detect(await inputOf(row)));
      const key = row.edit?.key ?? 'model.layers.2.units';
      expectConfigFinding(finding, {
        symptom: 'config-shape-mismatch',
        severity: row.severity,
        layer: key.replace(/\.(units|filters)$/, ''),
        measured: row.units,
        threshold: row.expected,
        edit: row.edit ?? { key, from: row.units, to: row.expected },
        says: row.says,
      });
    });
  });

  describeMustNotTrigger(configShapeMismatch, mustNotTrigger);
});

describe('config-shape-mismatch: a model file declaring another input shape than the data has', () => {
  // keras2-mlp.json (fixtures/models) is Boston housing's MLP: batch_input_shape [null, 13].
  const withDeclared = async (declared: (number | null)[], data: number[]) => ({
    ...(await inputOf({
      name: 'declared',
      config: { task: 'regression', loss: 'meanSquaredError', layers: mlp(dense(1)), data: {} },
    })),
    declaredInput: { file: 'keras2-mlp.json', declared, data },
  });

  it.each([
    [
      '13 features declared, 4 in the data',
      [13],
      [4],
      ['keras2-mlp.json declares an input of shape [13]', 'shape [4]'],
      'data.features',
    ],
    ['an image shape declared, flat rows in the data', [28, 28, 1], [784], ['[28, 28, 1]', '[784]'], 'data.inputShape'],
    ['a sequence with another feature count', [null, 6], [20, 3], ['[None, 6]', '[20, 3]'], 'data.inputShape'],
  ])('%s: critical', async (_, declared, data, says, advises) => {
    const finding = onlyFinding(configShapeMismatch.detect(await withDeclared(declared, data)));
    expect(finding.severity).toBe('critical');
    for (const text of says) expect(finding.message).toContain(text);
    expect(finding.advice).toContain(advises);
  });

  it.each([
    ['the same shape', [13], [13]],
    ['a sequence of any length', [null, 6], [20, 6]],
    ['a fully convolutional model probed on smaller images', [224, 224, 3], [32, 32, 3]],
  ])('%s: nothing', async (_, declared, data) => {
    expect(configShapeMismatch.detect(await withDeclared(declared, data))).toEqual([]);
  });
});

describe('config-shape-mismatch: a batch larger than the training rows', () => {
  const withBatch = async (size: number, trainRows: number) => ({
    ...(await inputOf({
      name: 'batch',
      config: { task: 'regression', loss: 'meanSquaredError', layers: mlp(dense(1)), data: {} },
    })),
    batch: { size, trainRows },
  });

  // Iris with a validation file: 120 training rows; XOR: 4 rows under the default batch of 32.
  it.each([
    [500, 120],
    [32, 4],
  ])(
    'batchSize %i over %i rows: an info finding (Keras and tfjs train one batch of every row) that states the effective batch',
    async (size, rows) => {
      const finding = onlyFinding(configShapeMismatch.detect(await withBatch(size, rows)));
      expect(finding.severity).toBe('info');
      expect(finding.evidence).toMatchObject({ measured: size, threshold: rows });
      expect(finding.message).toContain(`training.batchSize is ${size}`);
      expect(finding.message).toContain(`the effective batch is ${rows}`);
    },
  );

  it.each([
    [32, 404],
    [120, 120],
  ])('batchSize %i over %i rows: nothing', async (size, rows) => {
    expect(configShapeMismatch.detect(await withBatch(size, rows))).toEqual([]);
  });
});
