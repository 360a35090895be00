import { describe, expect, it } from 'vitest';
import { firstLayer, standardizesInputs } from '../../src/model/first-layer.js';
import type { LayerSpec } from '../../src/model/layer-spec.js';

const dense: LayerSpec = { type: 'dense', units: 4 };

describe('the layer that reads the input', () => {
  it.each<[string, LayerSpec[], boolean]>([
    ['BatchNormalization first', [{ type: 'batchNormalization' }, dense], true],
    ['BatchNormalization after an input layer', [{ type: 'inputLayer' }, { type: 'batchNormalization' }, dense], true],
    ['BatchNormalization after a dense layer', [dense, { type: 'batchNormalization' }], false],
    ['LayerNormalization first: scales rows, not features', [{ type: 'layerNormalization' }, dense], false],
    ['a dense layer first', [dense], false],
    ['no layers', [], false],
  ])('%s', (_name, layers, standardizes) => {
    expect(standardizesInputs(layers)).toBe(standardizes);
  });

  it('skips the input layer and gives the index in the whole list', () => {
    expect(firstLayer([{ type: 'inputLayer' }, dense])).toEqual({ index: 1, layer: dense });
    expect(firstLayer([{ type: 'inputLayer' }])).toBeUndefined();
  });
});
