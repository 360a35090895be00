/**
 * model.layers checked before tfjs sees them: unknown keys per layer type, activations and
 * initializers, each problem one line at its key with a did-you-mean. Before, `activaton` and
 * `unitz` were ignored or reported by tfjs as a missing `units`, and an unknown initializer leaked
 * tfjs' Python advice with a literal "\n".
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { checkConfigLayers } from '../../src/model/layer-check.js';
import { BASE_LAYER_KEYS, OWN_LAYER_KEYS } from '../../src/model/layer-keys.js';
import { layerKeysFromDeclarations } from '../../scripts/layer-keys-from-declarations.js';

const FILE = 'c.yaml';

function problems(layers: string): string[] {
  const text = `version: 1\ndata: {train: d.csv, target: y}\nmodel:\n  layers:\n${layers}`;
  try {
    checkConfigLayers(parseConfig(text, FILE));
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  return [];
}

describe('checkConfigLayers', () => {
  it.each([
    [
      '    - {type: dense, units: 8, activaton: relu}\n',
      'c.yaml:5:31: model.layers.0.activaton: unknown key "activaton" in this dense layer. Did you mean "activation"?',
    ],
    [
      '    - {type: dense, unitz: 8}\n',
      'c.yaml:5:21: model.layers.0.unitz: unknown key "unitz" in this dense layer. Did you mean "units"?',
    ],
    [
      '    - {type: conv2d, filters: 4, kernelSize: 3, stride: 2}\n',
      'model.layers.0.stride: unknown key "stride" in this conv2d layer. Did you mean "strides"?',
    ],
    [
      '    - {type: bidirectional, layer: {type: lstm, unit: 3}}\n',
      'model.layers.0.layer.unit: unknown key "unit" in this lstm layer. Did you mean "units"?',
    ],
    [
      '    - {type: dense, units: 8, activation: rleu}\n',
      'c.yaml:5:43: model.layers.0.activation: unknown activation "rleu". Did you mean "relu"? Use one of:',
    ],
    [
      '    - {type: lstm, units: 8, recurrentActivation: sigmod}\n',
      'model.layers.0.recurrentActivation: unknown activation "sigmod". Did you mean "sigmoid"?',
    ],
    [
      '    - {type: dense, units: 8, activation: 3}\n',
      'model.layers.0.activation: expected an activation name. Use one of:',
    ],
    [
      '    - {type: dense, units: 8, kernelInitializer: heNormall}\n',
      'model.layers.0.kernelInitializer: unknown initializer "heNormall". Did you mean "heNormal"?',
    ],
    [
      '    - {type: dense, units: 8, biasInitializer: {className: RandomNormall}}\n',
      'model.layers.0.biasInitializer: unknown initializer "RandomNormall". Did you mean "RandomNormal"?',
    ],
    [
      '    - {type: dense, units: 8, kernelInitializer: [1]}\n',
      'model.layers.0.kernelInitializer: expected an initializer.',
    ],
  ])('%j: one line at the key', (layers, expected) => {
    const found = problems(layers);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(expected);
    expect(found[0]).not.toMatch(/\\n|Python/);
  });

  it('one line per problem, in every layer', () => {
    const found = problems(
      '    - {type: dense, unitz: 8, activaton: relu}\n    - {type: dense, units: 1, activation: lineer}\n',
    );
    expect(found.map((line) => line.split(': ')[1])).toEqual([
      'model.layers.0.unitz',
      'model.layers.0.activaton',
      'model.layers.1.activation',
    ]);
  });

  it.each([
    '    - {type: dense, units: 8, activation: relu, kernelInitializer: heNormal, useBias: false, name: hidden}\n',
    '    - {type: dense, units: 8, kernelInitializer: {className: RandomNormal, config: {stddev: 0.5, seed: 3}}}\n',
    '    - {type: dense, units: 8, kernelInitializer: HeNormal}\n',
    '    - {type: flatten, inputShape: [4]}\n',
    '    - {type: bidirectional, layer: {type: lstm, units: 3, recurrentActivation: hardSigmoid}, mergeMode: concat}\n',
    '    - {type: notALayer, anything: 1}\n',
  ])('accepts %j', (layers) => {
    expect(problems(layers)).toEqual([]);
  });
});

describe('the layer key table', () => {
  it('matches the installed tfjs-layers declarations (rerun scripts/write-layer-keys.ts)', () => {
    const base = BASE_LAYER_KEYS.split(' ');
    const declared = Object.entries(layerKeysFromDeclarations()).map(([type, keys]) => [
      type,
      keys.filter((key) => !base.includes(key)).join(' '),
    ]);
    expect(OWN_LAYER_KEYS).toEqual(Object.fromEntries(declared));
  });
});
