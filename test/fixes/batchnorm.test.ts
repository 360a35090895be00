import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { activationFix } from '../../src/fixes/activation.js';
import { batchnormFix } from '../../src/fixes/batchnorm.js';
import type { FixContext } from '../../src/fixes/transform.js';
import type { LayerSpec } from '../../src/model/layer-spec.js';
import {
  applyTwice,
  contextFor,
  exampleConfig,
  exampleDiagnosis,
  outputPart,
  snapshot,
  withModelFile,
  type Example,
} from './fix-fixtures.js';

const bn: LayerSpec = { type: 'batchNormalization', momentum: 0.9 };
const act = (activation: string): LayerSpec => ({ type: 'activation', activation });
const dense = (units: number): LayerSpec => ({ type: 'dense', units, useBias: false });

function withLayers(config: Config, layers: LayerSpec[]): Config {
  return { ...config, model: { layers } };
}

const iris = exampleConfig('iris-healthy');
/** The Boston MLP (boston-unscaled, boston-standardized, lr-too-high) after the fix. */
const bostonFixed: LayerSpec[] = [dense(64), bn, act('relu'), dense(64), bn, act('relu'), { type: 'dense', units: 1 }];

interface Row {
  name: string;
  config: Config;
  context?: (config: Config) => FixContext;
  /** The new layer list, or null when the fix changes nothing. */
  layers: LayerSpec[] | null;
  why?: RegExp[];
}

const diagnosed = (name: Example) => (config: Config) => contextFor(config, exampleDiagnosis(name));

const rows: Row[] = [
  {
    name: 'boston-unscaled: BN between each hidden dense layer and its ReLU, naming the explosion',
    config: exampleConfig('boston-unscaled'),
    context: diagnosed('boston-unscaled'),
    layers: bostonFixed,
    why: [
      /^Batch normalization after dense_1, dense_2, before their activations, keeps each pre-activation at zero mean and unit variance per batch/,
      /Ioffe & Szegedy 2015/,
      /measured: global gradient norm growth over at most 20 steps \(peak over the median of the first 5\) 1\.76e\+13, limit 1000/,
      /the learning rate stays for lr-schedule to raise\.$/,
    ],
  },
  {
    name: 'boston-standardized, healthy: the same layers, no measurement to name',
    config: exampleConfig('boston-standardized'),
    layers: bostonFixed,
    why: [/per batch, so gradients keep their scale through depth \(Ioffe & Szegedy 2015\); the biases go/],
  },
  {
    name: 'deep-sigmoid: eight sigmoid layers, the sigmoid output stays',
    config: exampleConfig('deep-sigmoid'),
    context: diagnosed('deep-sigmoid'),
    layers: [
      ...Array.from({ length: 8 }, () => [dense(32), bn, act('sigmoid')]).flat(),
      { type: 'dense', units: 1, activation: 'sigmoid' },
    ],
    why: [
      /after dense_1, dense_2, dense_3, dense_4, dense_5, dense_6, dense_7, dense_8,/,
      /measured: median gradient norm of dense_1\/kernel over dense_9\/kernel 2\.83e-6/,
    ],
  },
  {
    // Its saturated sigmoid output (dense_3) is a config bug, no evidence for normalizing hidden layers.
    name: 'sigmoid-regression: a finding about the output layer is not cited',
    config: exampleConfig('sigmoid-regression'),
    context: diagnosed('sigmoid-regression'),
    layers: [
      dense(64),
      bn,
      act('relu'),
      dense(64),
      bn,
      act('relu'),
      { type: 'dense', units: 1, activation: 'sigmoid' },
    ],
    why: [/measured: fraction of dense_2's units whose input is never positive/],
  },
  {
    name: 'iris-healthy: one hidden layer, the softmax output stays',
    config: iris,
    layers: [dense(16), bn, act('relu'), { type: 'dense', units: 3, activation: 'softmax' }],
    why: [/^Batch normalization after dense_1, before its activation,/],
  },
  // A recurrent layer's activation is inside its cell; the only dense layer is the output.
  {
    name: 'exploding-rnn: nothing to normalize',
    config: exampleConfig('exploding-rnn'),
    context: diagnosed('exploding-rnn'),
    layers: null,
  },
  {
    name: 'already normalized after the activation: left as it is',
    config: withLayers(iris, [
      { type: 'dense', units: 16, activation: 'relu' },
      { type: 'batchNormalization' },
      { type: 'dense', units: 3, activation: 'softmax' },
    ]),
    layers: null,
  },
  {
    name: 'layer normalization counts as normalized',
    config: withLayers(iris, [
      { type: 'dense', units: 16 },
      { type: 'layerNormalization' },
      act('relu'),
      { type: 'dense', units: 3, activation: 'softmax' },
    ]),
    layers: null,
  },
  {
    name: 'a linear dense layer followed by an activation layer: BN goes between them',
    config: withLayers(iris, [{ type: 'dense', units: 32 }, act('tanh'), { type: 'dense', units: 3 }, act('softmax')]),
    layers: [dense(32), bn, act('tanh'), { type: 'dense', units: 3 }, act('softmax')],
  },
  {
    name: 'the bias, its initializer, regularizer and constraint go; other keys stay',
    config: withLayers(iris, [
      {
        type: 'dense',
        units: 16,
        activation: 'relu',
        kernelInitializer: 'heNormal',
        biasInitializer: 'zeros',
        biasRegularizer: { className: 'L2', config: { l2: 0.01 } },
        biasConstraint: 'nonNeg',
        name: 'trunk',
      },
      { type: 'dense', units: 3, activation: 'softmax' },
    ]),
    layers: [
      { type: 'dense', units: 16, kernelInitializer: 'heNormal', name: 'trunk', useBias: false },
      bn,
      act('relu'),
      { type: 'dense', units: 3, activation: 'softmax' },
    ],
    why: [/after trunk, before its activation/],
  },
  {
    name: 'a CNN: channels-first convolutions normalize axis 1, linear ones get no activation layer',
    config: withLayers(iris, [
      { type: 'conv2d', filters: 8, kernelSize: 3, activation: 'relu', dataFormat: 'channelsFirst' },
      { type: 'maxPooling2d', poolSize: 2, dataFormat: 'channelsFirst' },
      { type: 'conv2d', filters: 16, kernelSize: 3 },
      { type: 'flatten' },
      { type: 'dropout', rate: 0.5 },
      { type: 'dense', units: 10, activation: 'softmax' },
    ]),
    layers: [
      { type: 'conv2d', filters: 8, kernelSize: 3, dataFormat: 'channelsFirst', useBias: false },
      { ...bn, axis: 1 },
      act('relu'),
      { type: 'maxPooling2d', poolSize: 2, dataFormat: 'channelsFirst' },
      { type: 'conv2d', filters: 16, kernelSize: 3, useBias: false },
      bn,
      { type: 'flatten' },
      { type: 'dropout', rate: 0.5 },
      { type: 'dense', units: 10, activation: 'softmax' },
    ],
    why: [/after conv2d_1, conv2d_2, before their activations/],
  },
];

describe('batchnorm fix', () => {
  it.each(rows)('$name', ({ config, context: makeContext, layers, why }) => {
    const context = makeContext?.(config) ?? contextFor(config);
    const before = snapshot(config);
    const { first, second } = applyTwice(batchnormFix, config, context);
    expect(config).toEqual(before);
    // Idempotent: every hidden dense/conv layer is normalized now.
    expect(second.changes).toEqual([]);
    expect(second.config).toBe(first.config);

    if (layers === null) {
      expect(first).toEqual({ config, changes: [] });
      expect(first.config).toBe(config);
      return;
    }
    expect(first.config).toEqual({ ...config, model: { layers } });
    expect(first.changes).toEqual([
      { path: ['model', 'layers'], from: config.model.layers, to: layers, why: expect.any(String) },
    ]);
    for (const pattern of why ?? []) expect(first.changes[0]!.why).toMatch(pattern);
    // The learning rate (and everything else outside the model) stays.
    expect(first.config.training).toBe(config.training);
    expect(outputPart(layers)).toEqual(outputPart(config.model.layers!));
  });

  it('a model file: the layers move into the config, and a ["model"] change says so', () => {
    const boston = exampleConfig('boston-unscaled');
    const config = withModelFile(boston);
    const result = batchnormFix.apply(config, contextFor(config, { layers: boston.model.layers! }));
    expect(result.config).toEqual({ ...config, model: { layers: bostonFixed } });
    expect(result.changes).toEqual([
      {
        path: ['model'],
        from: { file: '/project/model.json' },
        to: { layers: bostonFixed },
        why: expect.stringMatching(/^The fix changes the model's layers, so they now live in the config/),
      },
      {
        path: ['model', 'layers'],
        from: boston.model.layers,
        to: bostonFixed,
        why: expect.stringMatching(/^Batch normalization after dense_1, dense_2/),
      },
    ]);
  });

  describe('composes with the activation fix', () => {
    // apply-fixes passes each fix the layers the one before wrote, in the registry's order.
    const chain = (config: Config, context: FixContext, fixes: (typeof activationFix)[]) =>
      fixes.reduce(
        (current, fix) => fix.apply(current, { ...context, layers: current.model.layers ?? context.layers }).config,
        config,
      );

    it.each([
      ['activation, then batchnorm', [activationFix, batchnormFix]],
      ['batchnorm, then activation', [batchnormFix, activationFix]],
    ] as const)('deep-sigmoid, %s: dense (He, no bias) → BN → relu', (_, fixes) => {
      const config = exampleConfig('deep-sigmoid');
      const fixed = chain(config, contextFor(config, exampleDiagnosis('deep-sigmoid')), [...fixes]);
      const hidden = [{ type: 'dense', units: 32, useBias: false, kernelInitializer: 'heNormal' }, bn, act('relu')];
      expect(fixed.model.layers).toEqual([
        ...Array.from({ length: 8 }, () => hidden).flat(),
        { type: 'dense', units: 1, activation: 'sigmoid' },
      ]);
    });

    it.each([
      ['activation, then batchnorm', [activationFix, batchnormFix]],
      ['batchnorm, then activation', [batchnormFix, activationFix]],
    ] as const)('sigmoid-regression with dense_2 dead, %s: BN goes before the LeakyReLU', (_, fixes) => {
      const config = exampleConfig('sigmoid-regression');
      const fixed = chain(config, contextFor(config, exampleDiagnosis('sigmoid-regression')), [...fixes]);
      expect(fixed.model.layers).toEqual([
        dense(64),
        bn,
        act('relu'),
        dense(64),
        bn,
        { type: 'leakyReLU', alpha: 0.01 },
        { type: 'dense', units: 1, activation: 'sigmoid' },
      ]);
    });
  });
});
