import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { activationFix } from '../../src/fixes/activation.js';
import { batchnormFix } from '../../src/fixes/batchnorm.js';
import { FIXES } from '../../src/fixes/registry.js';
import type { FixContext } from '../../src/fixes/transform.js';
import { layerName, type ModelGraph } from '../../src/model/model-graph.js';
import type { Finding } from '../../src/symptoms/finding.js';
import { exampleConfig } from './fix-fixtures.js';

const ref = (layer: string) => ({ layer, call: 0, tensor: 0 });
/** A residual block: x → a (sigmoid) → b (relu), a + b → head. */
const residual: ModelGraph = {
  inputs: ['x'],
  layers: [
    { spec: { type: 'dense', name: 'a', units: 4, activation: 'sigmoid' }, calls: [[ref('x')]] },
    { spec: { type: 'dense', name: 'b', units: 4, activation: 'relu', useBias: true }, calls: [[ref('a')]] },
    { spec: { type: 'add', name: 'sum' }, calls: [[ref('a'), ref('b')]] },
    { spec: { type: 'dense', name: 'head', units: 1, activation: 'sigmoid' }, calls: [[ref('sum')]] },
  ],
  outputs: [ref('head')],
};

const config: Config = { ...exampleConfig('iris-healthy'), model: { file: '/models/residual.json' } };
const context = (findings: Finding[] = []): FixContext => ({
  layers: residual.layers.map(({ spec }) => spec),
  graph: residual,
  findings,
});
const deadRelu = (layer: string): Finding =>
  ({
    symptom: 'dead-relu',
    layer,
    evidence: { what: 'dead units', measured: 0.8, threshold: 0.5 },
  }) as unknown as Finding;

describe('layer fixes on a graph model', () => {
  it('activation: a hidden sigmoid becomes relu with He initialization; the output head stays', () => {
    const { graph, changes, config: fixed } = activationFix.apply(config, context());
    const a = graph!.layers.find((layer) => layerName(layer) === 'a')!;
    expect(a.spec).toMatchObject({ activation: 'relu', kernelInitializer: 'heNormal' });
    expect(graph!.layers.at(-1)!.spec['activation']).toBe('sigmoid');
    expect(fixed.model.file).toBe('/models/residual.fixed.json');
    expect(changes).toEqual([
      expect.objectContaining({
        path: ['model', 'file'],
        from: '/models/residual.json',
        to: '/models/residual.fixed.json',
      }),
    ]);
  });

  it('activation: a dead in-layer ReLU becomes a leakyReLU layer that every reader of the layer now reads', () => {
    const { graph } = activationFix.apply(config, context([deadRelu('b')]));
    expect(graph!.layers.map(layerName)).toEqual(['a', 'b', 'b_leaky_relu', 'sum', 'head']);
    expect(graph!.layers[1]!.spec['activation']).toBeUndefined();
    expect(graph!.layers[3]!.calls).toEqual([[ref('a'), ref('b_leaky_relu')]]);
  });

  it('batchnorm: inserted after each hidden dense layer, before its activation, with the merge rewired', () => {
    const { graph } = batchnormFix.apply(config, context());
    expect(graph!.layers.map(layerName)).toEqual(['a', 'a_bn', 'a_sigmoid', 'b', 'b_bn', 'b_relu', 'sum', 'head']);
    expect(graph!.layers[3]!.spec).toMatchObject({ useBias: false });
    expect(graph!.layers[3]!.spec['activation']).toBeUndefined();
    expect(graph!.layers[6]!.calls).toEqual([[ref('a_sigmoid'), ref('b_relu')]]);
    // Applied again, nothing changes: every hidden dense layer is normalized.
    const again = batchnormFix.apply(config, { ...context(), graph: graph!, layers: graph!.layers.map((l) => l.spec) });
    expect(again.changes).toEqual([]);
  });

  it('both, in priority order, each on the graph the one before wrote', () => {
    const { graph, applied } = FIXES.apply(config, ['batchnorm', 'activation'], context());
    expect(applied.map(({ fix, changes }) => [fix, changes.length])).toEqual([
      ['activation', 1],
      ['batchnorm', 1],
    ]);
    // activation first turned a's sigmoid into relu; batchnorm then moved it into a layer after a's normalization.
    expect(graph!.layers.map(layerName)).toEqual(['a', 'a_bn', 'a_relu', 'b', 'b_bn', 'b_relu', 'sum', 'head']);
    expect(graph!.layers[0]!.spec).toMatchObject({ kernelInitializer: 'heNormal', useBias: false });
  });
});
