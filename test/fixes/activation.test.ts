import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { activationFix, layerNames, outputStart } from '../../src/fixes/activation.js';
import type { ConfigChange } from '../../src/config/writer/config-change.js';
import type { FixContext } from '../../src/fixes/transform.js';
import type { LayerSpec } from '../../src/model/layer-spec.js';
import type { Finding } from '../../src/symptoms/finding.js';
import {
  applyTwice,
  contextFor,
  exampleConfig,
  exampleDiagnosis,
  outputPart,
  snapshot,
  withModelFile,
} from './fix-fixtures.js';

/** A dead-relu finding as the detector writes it, for a layer and a dead fraction. */
function deadRelu(layer: string, fraction = 0.95): Finding {
  return {
    symptom: 'dead-relu',
    severity: fraction >= 0.9 ? 'critical' : 'warning',
    confidence: 0.9,
    layer,
    step: 20,
    evidence: {
      measured: fraction,
      threshold: 0.5,
      what: `fraction of ${layer}'s units whose input is never positive on the probe batch, lowest of the last 3 evaluations`,
    },
    message: `${fraction * 100}% of the units of ${layer} (relu) are dead.`,
    fixes: ['activation', 'lr-schedule'],
  };
}

function withLayers(config: Config, layers: LayerSpec[]): Config {
  return { ...config, model: { layers } };
}

const iris = exampleConfig('iris-healthy');
const deepSigmoid = exampleConfig('deep-sigmoid');
const relu32 = { type: 'dense', units: 32, activation: 'relu', kernelInitializer: 'heNormal' };
const leaky = { type: 'leakyReLU', alpha: 0.01 };

/** The per-key changes for hidden layer `index` going from `from` to relu with He initialization. */
function reluKeys(index: number, from = 'sigmoid', initializer: unknown = null): ConfigChange[] {
  return [
    { path: ['model', 'layers', index, 'activation'], from, to: 'relu', why: expect.any(String) as string },
    {
      path: ['model', 'layers', index, 'kernelInitializer'],
      from: initializer,
      to: 'heNormal',
      why: expect.any(String) as string,
    },
  ];
}

interface Row {
  name: string;
  config: Config;
  context?: (config: Config) => FixContext;
  /** The new layer list, or null when the fix changes nothing. */
  layers: LayerSpec[] | null;
  /** The changes expected (when the list changes length: one ['model', 'layers'] change, built here). */
  changes?: ConfigChange[];
  why?: RegExp[];
}

const rows: Row[] = [
  {
    name: 'deep-sigmoid: eight hidden sigmoid layers → relu + He, the sigmoid output stays (key by key)',
    config: deepSigmoid,
    context: (config) => contextFor(config, exampleDiagnosis('deep-sigmoid')),
    layers: [...Array(8).fill(relu32), { type: 'dense', units: 1, activation: 'sigmoid' }],
    changes: Array.from({ length: 8 }, (_, index) => reluKeys(index)).flat(),
    why: [
      /^Layer dense_1: sigmoid → relu, because sigmoid passes back at most 1\/4 of the gradient/,
      /measured: median gradient norm of dense_1\/kernel over dense_9\/kernel 2\.83e-6, limit 0\.001/,
    ],
  },
  {
    name: 'sigmoid-regression: the dead-relu finding on dense_2 → linear dense + LeakyReLU(0.01); the output is not this fix’s business',
    config: exampleConfig('sigmoid-regression'),
    context: (config) => contextFor(config, exampleDiagnosis('sigmoid-regression')),
    layers: [
      { type: 'dense', units: 64, activation: 'relu' },
      { type: 'dense', units: 64 },
      leaky,
      { type: 'dense', units: 1, activation: 'sigmoid' },
    ],
    why: [
      /^54\.7% of dense_2's units never activate on the probe batch \(limit 50%\), so its ReLU becomes LeakyReLU\(alpha 0\.01\)/,
      /Maas, Hannun & Ng 2013/,
    ],
  },
  {
    // Dead units in a recurrent layer are for clip and lr-schedule: its activation is inside the cell.
    name: 'exploding-rnn: dead-relu in simple_rnn_1 leaves the recurrent layer as it is',
    config: exampleConfig('exploding-rnn'),
    context: (config) => contextFor(config, exampleDiagnosis('exploding-rnn')),
    layers: null,
  },
  {
    name: 'a tanh simpleRNN is not a hidden dense/conv layer: untouched',
    config: withLayers(iris, [
      { type: 'simpleRNN', units: 16, activation: 'tanh' },
      { type: 'dense', units: 3, activation: 'softmax' },
    ]),
    layers: null,
  },
  {
    name: 'boston-standardized: ReLU already, nothing dead',
    config: exampleConfig('boston-standardized'),
    layers: null,
  },
  {
    name: 'iris-healthy: a dead-relu finding on the output layer is ignored',
    config: iris,
    context: (config) => contextFor(config, { findings: [deadRelu('dense_2')] }),
    layers: null,
  },
  {
    name: 'a dead-relu finding naming no layer of the model is ignored',
    config: iris,
    context: (config) => contextFor(config, { findings: [deadRelu('dense_7')] }),
    layers: null,
  },
  {
    name: 'iris-healthy with dense_1 dead (95%)',
    config: iris,
    context: (config) => contextFor(config, { findings: [deadRelu('dense_1')] }),
    layers: [{ type: 'dense', units: 16 }, leaky, { type: 'dense', units: 3, activation: 'softmax' }],
    why: [/^95% of dense_1's units/],
  },
  {
    name: 'a CNN: conv2d and dense tanh → relu + He; pooling, flatten and the softmax output stay',
    config: withLayers(iris, [
      { type: 'conv2d', filters: 8, kernelSize: 3, activation: 'tanh' },
      { type: 'maxPooling2d', poolSize: 2 },
      { type: 'conv2d', filters: 16, kernelSize: 3, activation: 'tanh' },
      { type: 'flatten' },
      { type: 'dense', units: 64, activation: 'tanh' },
      { type: 'dense', units: 10, activation: 'softmax' },
    ]),
    layers: [
      { type: 'conv2d', filters: 8, kernelSize: 3, activation: 'relu', kernelInitializer: 'heNormal' },
      { type: 'maxPooling2d', poolSize: 2 },
      { type: 'conv2d', filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: 'heNormal' },
      { type: 'flatten' },
      { type: 'dense', units: 64, activation: 'relu', kernelInitializer: 'heNormal' },
      { type: 'dense', units: 10, activation: 'softmax' },
    ],
    changes: [...reluKeys(0, 'tanh'), ...reluKeys(2, 'tanh'), ...reluKeys(4, 'tanh')],
  },
  {
    name: 'an activation layer with tanh → relu, He initialization on the dense layer that feeds it',
    config: withLayers(iris, [
      { type: 'dense', units: 32 },
      { type: 'activation', activation: 'tanh' },
      { type: 'dense', units: 3 },
      { type: 'activation', activation: 'softmax' },
    ]),
    layers: [
      { type: 'dense', units: 32, kernelInitializer: 'heNormal' },
      { type: 'activation', activation: 'relu' },
      { type: 'dense', units: 3 },
      { type: 'activation', activation: 'softmax' },
    ],
    changes: [
      { path: ['model', 'layers', 1, 'activation'], from: 'tanh', to: 'relu', why: expect.any(String) as string },
      {
        path: ['model', 'layers', 0, 'kernelInitializer'],
        from: null,
        to: 'heNormal',
        why: expect.any(String) as string,
      },
    ],
  },
  {
    name: 'a Keras initializer object is replaced by He initialization',
    config: withLayers(iris, [
      {
        type: 'dense',
        units: 16,
        activation: 'sigmoid',
        kernelInitializer: { className: 'GlorotUniform', config: { seed: 3 } },
      },
      { type: 'dense', units: 3, activation: 'softmax' },
    ]),
    layers: [
      { type: 'dense', units: 16, activation: 'relu', kernelInitializer: 'heNormal' },
      { type: 'dense', units: 3, activation: 'softmax' },
    ],
    changes: reluKeys(0, 'sigmoid', { className: 'GlorotUniform', config: { seed: 3 } }),
  },
  {
    name: 'the batchnorm fix’s form: a dead dense_1 → its activation layer becomes LeakyReLU',
    config: withLayers(iris, [
      { type: 'dense', units: 16, useBias: false },
      { type: 'batchNormalization', momentum: 0.9 },
      { type: 'activation', activation: 'relu' },
      { type: 'dense', units: 3, activation: 'softmax' },
    ]),
    context: (config) => contextFor(config, { findings: [deadRelu('dense_1', 0.6)] }),
    layers: [
      { type: 'dense', units: 16, useBias: false },
      { type: 'batchNormalization', momentum: 0.9 },
      leaky,
      { type: 'dense', units: 3, activation: 'softmax' },
    ],
  },
  {
    name: 'a layer named in the config is found by its own name; sigmoid and dead layers in one change',
    config: withLayers(iris, [
      { type: 'dense', units: 16, activation: 'sigmoid' },
      { type: 'dense', units: 16, activation: 'relu', name: 'trunk' },
      { type: 'dense', units: 3, activation: 'softmax' },
    ]),
    context: (config) => contextFor(config, { findings: [deadRelu('trunk', 1)] }),
    layers: [
      { type: 'dense', units: 16, activation: 'relu', kernelInitializer: 'heNormal' },
      { type: 'dense', units: 16, name: 'trunk' },
      leaky,
      { type: 'dense', units: 3, activation: 'softmax' },
    ],
    why: [
      /^Hidden layer dense_1 \(sigmoid\) → relu with He initialization, because .*; and 100% of trunk's units never activate/,
    ],
  },
];

describe('activation fix', () => {
  it('names layers as the model builder does', () => {
    expect(
      layerNames([
        { type: 'dense' },
        { type: 'simpleRNN' },
        { type: 'dense', name: 'head' },
        { type: 'maxPooling2d' },
        { type: 'dense' },
      ]),
    ).toEqual(['dense_1', 'simple_rnn_1', 'head', 'max_pooling2d_1', 'dense_3']);
  });

  it('the output part starts at the last layer with units or filters', () => {
    expect(outputStart(deepSigmoid.model.layers!)).toBe(8);
    expect(outputStart([{ type: 'dense', units: 8 }, { type: 'dense', units: 3 }, { type: 'softmax' }])).toBe(1);
    expect(outputStart([{ type: 'flatten' }])).toBe(0);
  });

  it.each(rows)('$name', ({ config, context: makeContext, layers, changes, why }) => {
    const context = makeContext?.(config) ?? contextFor(config);
    const before = snapshot(config);
    const { first, second } = applyTwice(activationFix, config, context);
    expect(config).toEqual(before);
    // Idempotent: the fixed layers have no sigmoid/tanh left and no plain ReLU where units died.
    expect(second.changes).toEqual([]);
    expect(second.config).toBe(first.config);

    if (layers === null) {
      expect(first.changes).toEqual([]);
      expect(first.config).toBe(config);
      return;
    }
    expect(first.config).toEqual({ ...config, model: { layers } });
    const expected = changes ?? [
      { path: ['model', 'layers'], from: config.model.layers, to: layers, why: expect.any(String) as string },
    ];
    expect(first.changes).toEqual(expected);
    for (const pattern of why ?? []) expect(first.changes[0]!.why).toMatch(pattern);
    // The output layer (and what follows it) is never changed.
    expect(outputPart(layers)).toEqual(outputPart(config.model.layers!));
  });

  it('a model file: the fixed layers move into the config, and a ["model"] change says so', () => {
    const config = withModelFile(deepSigmoid);
    const context = contextFor(config, { layers: deepSigmoid.model.layers!, ...exampleDiagnosis('deep-sigmoid') });
    const { first, second } = applyTwice(activationFix, config, context);
    const layers = [...Array(8).fill(relu32), { type: 'dense', units: 1, activation: 'sigmoid' }];
    expect(first.config.model).toEqual({ layers });
    expect(first.changes).toEqual([
      {
        path: ['model'],
        from: { file: '/project/model.json' },
        to: { layers },
        why: expect.stringMatching(
          /now live in the config as model\.layers and \/project\/model\.json is no longer read\.$/,
        ),
      },
      {
        path: ['model', 'layers'],
        from: deepSigmoid.model.layers,
        to: layers,
        why: expect.stringMatching(
          /^Hidden layers dense_1 \(sigmoid\), dense_2 \(sigmoid\), .*dense_8 \(sigmoid\) → relu with He initialization/,
        ),
      },
    ]);
    expect(second.changes).toEqual([]);
  });

  it('a model file that needs no change stays a model file', () => {
    const boston = exampleConfig('boston-standardized');
    const config = withModelFile(boston);
    const result = activationFix.apply(config, contextFor(config, { layers: boston.model.layers! }));
    expect(result).toEqual({ config, changes: [] });
  });

  it('writes only tfjs activation identifiers (tfjs has no "leakyRelu" activation string)', () => {
    const config = exampleConfig('sigmoid-regression');
    const { config: fixed } = activationFix.apply(config, contextFor(config, exampleDiagnosis('sigmoid-regression')));
    const identifiers = [
      'elu',
      'hardSigmoid',
      'linear',
      'relu',
      'relu6',
      'selu',
      'sigmoid',
      'softmax',
      'softplus',
      'softsign',
      'tanh',
      'swish',
      'mish',
      'gelu',
      'gelu_new',
    ];
    for (const layer of fixed.model.layers!)
      if ('activation' in layer) expect(identifiers).toContain(layer['activation']);
  });
});
