import type { LayerSpec } from '../../src/model/layer-spec.js';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { initConfig } from '../../src/commands/init.js';
import { parseConfig } from '../../src/config/load.js';
import type { LossName } from '../../src/config/losses.js';
import type { Task } from '../../src/config/schema.js';
import type { DataSummary } from '../../src/data/summary.js';
import type { ConfigLintInput, OutputLayer } from '../../src/symptoms/config-input.js';
import { configLintInput, normalizeActivation } from '../../src/symptoms/config-lint-input.js';
import { configLossMismatch } from '../../src/symptoms/config-loss-mismatch.js';
import { configOutputActivation } from '../../src/symptoms/config-output-activation.js';
import { configShapeMismatch } from '../../src/symptoms/config-shape-mismatch.js';
import type { Finding } from '../../src/symptoms/finding.js';
import { dense, DIABETES, example, lintConfig, MNIST, modelLayerKey } from './config-lint-fixtures.js';
import { BOSTON_MEDV, column, IRIS_SPECIES, labelColumn, repeat, summary, targetColumns } from './data-summary.js';

const CONFIG_DETECTORS = [configOutputActivation, configLossMismatch, configShapeMismatch];
const lintAll = (input: ConfigLintInput): Finding[] => CONFIG_DETECTORS.flatMap((detector) => detector.detect(input));

function build(
  layers: LayerSpec[],
  data: Partial<DataSummary> = {},
  task: Task = data.task ?? 'regression',
  loss: LossName = 'meanSquaredError',
): ConfigLintInput {
  return configLintInput({
    task,
    taskSource: 'config',
    loss,
    lossFromConfig: true,
    layers,
    layerKey: modelLayerKey,
    data: summary({ ...data, task }),
  });
}

const output = (layers: LayerSpec[], layerKey = modelLayerKey): OutputLayer | null =>
  configLintInput({
    task: 'regression',
    taskSource: 'config',
    loss: 'meanSquaredError',
    lossFromConfig: true,
    layers,
    layerKey,
    data: summary(),
  }).output;

describe('configLintInput: the output layer', () => {
  it.each([
    {
      name: 'the last dense layer; no activation key is linear (tfjs-layers default)',
      layers: [dense(64, 'relu'), dense(1)],
      expected: {
        type: 'dense',
        units: 1,
        activation: 'linear',
        activationKey: 'model.layers.1.activation',
        unitsKey: 'model.layers.1.units',
      },
    },
    {
      name: 'a trailing activation layer wins over the dense layer, edited at its own key',
      layers: [
        dense(64, 'relu'),
        dense(3, 'relu'),
        { type: 'dropout', rate: 0.2 },
        { type: 'activation', activation: 'softmax' },
      ],
      expected: {
        type: 'dense',
        units: 3,
        activation: 'softmax',
        activationKey: 'model.layers.3.activation',
        unitsKey: 'model.layers.1.units',
      },
    },
    {
      name: 'a trailing {type: softmax} layer is edited by its type',
      layers: [dense(3), { type: 'softmax' }],
      expected: {
        type: 'dense',
        units: 3,
        activation: 'softmax',
        activationKey: 'model.layers.1.type',
        unitsKey: 'model.layers.0.units',
      },
    },
    {
      name: 'a trailing leakyReLU layer',
      layers: [dense(1), { type: 'leakyReLU', alpha: 0.1 }],
      expected: {
        type: 'dense',
        units: 1,
        activation: 'leakyRelu',
        activationKey: 'model.layers.1.type',
        unitsKey: 'model.layers.0.units',
      },
    },
    {
      name: 'a recurrent output layer defaults to tanh (tfjs-layers DEFAULT_ACTIVATION)',
      layers: [{ type: 'gru', units: 8 }],
      expected: {
        type: 'gru',
        units: 8,
        activation: 'tanh',
        activationKey: 'model.layers.0.activation',
        unitsKey: 'model.layers.0.units',
      },
    },
    {
      name: 'a convolution counts its filters, and global pooling keeps them',
      layers: [
        { type: 'conv2d', filters: 10, kernelSize: 3, activation: 'softmax' },
        { type: 'globalAveragePooling2d' },
      ],
      expected: {
        type: 'conv2d',
        units: 10,
        activation: 'softmax',
        activationKey: 'model.layers.0.activation',
        unitsKey: 'model.layers.0.filters',
      },
    },
    {
      name: 'a flatten after the convolution hides the output width',
      layers: [{ type: 'conv2d', filters: 10, kernelSize: 3 }, { type: 'flatten' }],
      expected: {
        type: 'conv2d',
        units: null,
        activation: 'linear',
        activationKey: 'model.layers.0.activation',
        unitsKey: 'model.layers.0.filters',
      },
    },
  ])('$name', ({ layers, expected }) => {
    expect(output(layers)).toEqual(expected);
  });

  it('is null when no layer has units or filters', () => {
    expect(output([{ type: 'flatten' }, { type: 'activation', activation: 'relu' }])).toBeNull();
  });

  it('keys follow layerKey, e.g. a path inside a model file', () => {
    const key = (index: number) => `model.json config.layers[${index}].config`;
    expect(output([dense(16, 'relu'), dense(1, 'sigmoid')], key)).toMatchObject({
      activationKey: 'model.json config.layers[1].config.activation',
      unitsKey: 'model.json config.layers[1].config.units',
    });
  });

  it.each([
    ['softmax', 'softmax'],
    ['Softmax', 'softmax'],
    ['SIGMOID', 'sigmoid'],
    ['hard_sigmoid', 'hardSigmoid'],
    ['leaky_relu', 'leakyRelu'],
    ['log_softmax', 'logSoftmax'],
    ['silu', 'swish'],
    ['gelu', 'gelu'],
    ['myCustomActivation', 'myCustomActivation'],
  ])('activation %s reads as %s', (written, canonical) => {
    expect(normalizeActivation(written)).toBe(canonical);
  });
});

describe('configLintInput: the target', () => {
  it.each([
    {
      name: 'regression: values, the range over every target column',
      task: 'regression' as const,
      data: { targetStats: [BOSTON_MEDV, column({ name: 'crim', mean: 3.6, std: 8.6, min: 0.006, max: 89 })] },
      classCount: null,
      labelForm: 'values',
      targetRange: { min: 0.006, max: 89 },
    },
    {
      name: 'Iris species as text: 3 classes in one id column',
      task: 'multiclass' as const,
      data: IRIS_SPECIES,
      classCount: 3,
      labelForm: 'ids',
      targetRange: null,
    },
    {
      name: 'digits 0..9: 10 classes',
      task: 'multiclass' as const,
      data: MNIST,
      classCount: 10,
      labelForm: 'ids',
      targetRange: null,
    },
    {
      name: 'wine quality 3..8: ids address 9 units',
      task: 'multiclass' as const,
      data: labelColumn({ 3: 10, 4: 53, 5: 681, 6: 638, 7: 199, 8: 18 }, 'quality'),
      classCount: 9,
      labelForm: 'ids',
      targetRange: null,
    },
    {
      name: 'ids far apart (0, 1, 100): the distinct labels',
      task: 'multiclass' as const,
      data: labelColumn({ 0: 5, 1: 5, 100: 5 }, 'code'),
      classCount: 3,
      labelForm: 'ids',
      targetRange: null,
    },
    {
      name: 'binary 0/1',
      task: 'binary' as const,
      data: labelColumn({ 0: 500, 1: 268 }, 'Outcome'),
      classCount: 2,
      labelForm: 'ids',
      targetRange: null,
    },
    {
      name: 'one-hot columns: one class per column',
      task: 'multiclass' as const,
      data: targetColumns(
        ['cat', 'dog', 'bird'],
        [...repeat(4, [1, 0, 0]), ...repeat(3, [0, 1, 0]), ...repeat(3, [0, 0, 1])],
      ),
      classCount: 3,
      labelForm: 'columns',
      targetRange: null,
    },
  ])('$name', ({ task, data, classCount, labelForm, targetRange }) => {
    const input = build([dense(1)], data, task);
    expect(input).toMatchObject({
      task,
      classCount,
      labelForm,
      targetRange,
      targetColumns: data.targetStats.map((stats) => stats.name),
    });
  });
});

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

/** What the config lint says about each example: the two config bugs, one finding each; nothing on the others. */
const EXAMPLE_FINDINGS: Record<string, Array<Pick<Finding, 'symptom' | 'severity' | 'edit'>>> = {
  'boston-standardized': [],
  'boston-unscaled': [],
  'deep-sigmoid': [],
  'exploding-rnn': [],
  'iris-healthy': [],
  'lr-too-high': [],
  'lr-too-low': [],
  'sigmoid-regression': [
    {
      symptom: 'config-output-activation',
      severity: 'critical',
      edit: { key: 'model.layers.2.activation', from: 'sigmoid', to: 'linear' },
    },
  ],
  'softmax-one-unit': [
    {
      symptom: 'config-output-activation',
      severity: 'critical',
      edit: { key: 'model.layers.2.activation', from: 'softmax', to: 'sigmoid' },
    },
  ],
};

describe('the config lint on real configs', () => {
  it('covers every example', () => {
    expect(readdirSync(EXAMPLES).sort()).toEqual(Object.keys(EXAMPLE_FINDINGS).sort());
  });

  it.each(Object.entries(EXAMPLE_FINDINGS))('examples/%s', async (name, expected) => {
    const input = await example(name);
    expect(lintAll(input).map(({ symptom, severity, edit }) => ({ symptom, severity, edit }))).toEqual(expected);
  });

  it.each([
    ['boston/housing.csv', undefined],
    ['iris/iris.csv', undefined],
    ['circles/circles.csv', undefined],
    ['spirals/spirals.csv', undefined],
    ['blobs/blobs.csv', undefined],
    ['xor/xor.csv', undefined],
    ['sequences/adding.csv', undefined],
    ['boston/housing.csv', 'chas'],
    ['boston/housing.csv', 'rad'],
  ])('a config `convdoc init %s` writes (target %s) is clean', async (data, target) => {
    const output = path.join(FIXTURES, path.dirname(data), 'convdoc.yaml');
    const text = await initConfig(path.join(FIXTURES, data), { output, ...(target === undefined ? {} : { target }) });
    expect(lintAll(await lintConfig(parseConfig(text, output)))).toEqual([]);
  });
});

describe('one bug, one finding', () => {
  const TAGS = targetColumns(['sports', 'politics', 'tech'], [...repeat(5, [1, 0, 1]), ...repeat(3, [0, 1, 0])]);
  const mlp = (out: LayerSpec) => [dense(32, 'relu'), out];
  const buggy: Array<{ name: string; input: ConfigLintInput; symptoms: string[] }> = [
    {
      name: 'softmax on one unit with BCE',
      input: build(mlp(dense(1, 'softmax')), DIABETES, 'binary', 'binaryCrossentropy'),
      symptoms: ['config-output-activation'],
    },
    {
      name: 'MSE for a binary label through a linear unit',
      input: build(mlp(dense(1)), DIABETES, 'binary', 'meanSquaredError'),
      symptoms: ['config-output-activation', 'config-loss-mismatch'],
    },
    {
      name: 'categoricalCrossentropy and softmax for multilabel tags',
      input: build(mlp(dense(3, 'softmax')), TAGS, 'multilabel', 'categoricalCrossentropy'),
      symptoms: ['config-output-activation', 'config-loss-mismatch'],
    },
    {
      name: 'CCE for a regression target through one softmax unit',
      input: build(mlp(dense(1, 'softmax')), {}, 'regression', 'categoricalCrossentropy'),
      symptoms: ['config-output-activation', 'config-loss-mismatch'],
    },
    {
      name: 'no loss, binary label, two softmax units',
      input: configLintInput({
        task: 'binary',
        taskSource: 'data',
        loss: 'binaryCrossentropy',
        lossFromConfig: false,
        layers: mlp(dense(2, 'softmax')),
        layerKey: modelLayerKey,
        data: summary({ task: 'binary', ...DIABETES }),
      }),
      symptoms: ['config-output-activation', 'config-shape-mismatch'],
    },
    {
      name: 'sparse loss on 1 softmax unit for Iris',
      input: build(mlp(dense(1, 'softmax')), IRIS_SPECIES, 'multiclass', 'sparseCategoricalCrossentropy'),
      symptoms: ['config-shape-mismatch'],
    },
    {
      name: 'BCE on 2 softmax units for a binary label',
      input: build(mlp(dense(2, 'softmax')), DIABETES, 'binary', 'binaryCrossentropy'),
      symptoms: ['config-loss-mismatch'],
    },
    {
      name: 'relu6 output, BCE on soft targets: the activation edit is made once (sigmoid, not linear)',
      input: build(
        mlp(dense(1, 'relu6')),
        { targetStats: [column({ name: 'p', mean: 0.5, std: 0.2, min: 0, max: 1 })] },
        'regression',
        'binaryCrossentropy',
      ),
      symptoms: ['config-output-activation'],
    },
  ];

  it.each(buggy)('$name', ({ input, symptoms }) => {
    const findings = lintAll(input);
    expect(findings.map((finding) => finding.symptom)).toEqual(symptoms);
    const keys = findings.map((finding) => finding.edit?.key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
