/**
 * The `activation` fix on a graph model: the same change as on a layer list (activation.ts), made
 * in any layer of the graph outside its output part. A hidden sigmoid/tanh becomes relu with He
 * initialization of the kernel feeding it; a ReLU reported dead becomes LeakyReLU(0.01), as a
 * leakyReLU layer in place of a reLU layer, or inserted after a dense/conv layer whose relu it
 * replaces, with that layer's consumers rewired to it.
 */
import type { Config } from '../config/schema.js';
import { RECURRENT_LAYERS } from '../model/catalog.js';
import type { LayerSpec } from '../model/layer-spec.js';
import { insertAfter, layerName, replaceSpec, type GraphLayer, type ModelGraph } from '../model/model-graph.js';
import type { Finding } from '../symptoms/finding.js';
import {
  activationOf,
  kernelInitializerKeys,
  LEAKY_ALPHA,
  RELU_INITIALIZER,
  SQUASHING,
  TRANSPARENT_LAYERS,
  WEIGHTED_LAYERS,
  isReluLayer,
  without,
} from './layer-kinds.js';
import { graphResult, outputPart, soleConsumer, soleInput } from './graph-fix.js';
import type { FixResult } from './transform.js';

export function activationGraphFix(
  config: Config,
  graph: ModelGraph,
  findings: readonly Finding[],
  explain: (squashed: string[], dead: { name: string; finding: Finding }[]) => string,
): FixResult {
  const output = outputPart(graph);
  const hidden = (name: string) => !output.has(name);
  const squashed = replaceSquashing(graph, hidden);
  const dead = replaceDeadRelu(squashed.graph, hidden, findings);
  return graphResult(config, graph, dead.graph, explain(squashed.names, dead.dead));
}

function replaceSquashing(graph: ModelGraph, hidden: (name: string) => boolean) {
  let result = graph;
  const names: string[] = [];
  for (const layer of graph.layers) {
    const name = layerName(layer);
    const weighted = WEIGHTED_LAYERS.has(layer.spec.type);
    if (!hidden(name) || !(weighted || layer.spec.type === 'activation')) continue;
    if (!SQUASHING.has(activationOf(layer.spec))) continue;
    names.push(`${name} (${activationOf(layer.spec)})`);
    result = replaceSpec(result, name, { ...layer.spec, activation: 'relu' });
    const current = result.layers.find((candidate) => layerName(candidate) === name)!;
    const kernel = weighted ? current : feedingLayer(result, current);
    if (kernel !== undefined) result = replaceSpec(result, layerName(kernel), withHeInitializer(kernel.spec));
  }
  return { graph: result, names };
}

function withHeInitializer(spec: LayerSpec): LayerSpec {
  return Object.fromEntries([
    ...Object.entries(spec),
    ...kernelInitializerKeys(spec.type).map((key) => [key, RELU_INITIALIZER]),
  ]) as LayerSpec;
}

/** The linear dense/conv layer an activation layer applies to, through transparent layers. */
function feedingLayer(graph: ModelGraph, layer: GraphLayer): GraphLayer | undefined {
  for (let source = soleInput(graph, layer); source !== undefined; source = soleInput(graph, source)) {
    if (WEIGHTED_LAYERS.has(source.spec.type)) return activationOf(source.spec) === 'linear' ? source : undefined;
    if (!TRANSPARENT_LAYERS.has(source.spec.type)) return undefined;
  }
  return undefined;
}

function replaceDeadRelu(graph: ModelGraph, hidden: (name: string) => boolean, findings: readonly Finding[]) {
  let result = graph;
  const dead: { name: string; finding: Finding }[] = [];
  for (const finding of findings) {
    const layer = result.layers.find((candidate) => layerName(candidate) === finding.layer);
    if (finding.symptom !== 'dead-relu' || layer === undefined || dead.some(({ name }) => name === finding.layer))
      continue;
    if (!hidden(layerName(layer)) || RECURRENT_LAYERS.has(layer.spec.type)) continue;
    const relu = reluOf(result, layer);
    if (relu === undefined || !hidden(layerName(relu.layer))) continue;
    dead.push({ name: layerName(layer), finding });
    const leaky: LayerSpec = { type: 'leakyReLU', alpha: LEAKY_ALPHA };
    const name = layerName(relu.layer);
    // tfjs has no 'leakyRelu' activation identifier: the layer turns linear and a leakyReLU layer follows it.
    result = relu.inLayer
      ? insertAfter(replaceSpec(result, name, without(relu.layer.spec, 'activation')), name, [
          { ...leaky, name: `${name}_leaky_relu` },
        ])
      : replaceSpec(result, name, leaky);
  }
  return { graph: result, dead };
}

/** Where a dead layer's ReLU is: in the layer, a reLU layer, or the ReLU after a linear dense/conv layer. */
function reluOf(graph: ModelGraph, layer: GraphLayer): { layer: GraphLayer; inLayer: boolean } | undefined {
  if (!WEIGHTED_LAYERS.has(layer.spec.type)) return isReluLayer(layer.spec) ? { layer, inLayer: false } : undefined;
  if (activationOf(layer.spec) === 'relu') return layer.calls.length === 1 ? { layer, inLayer: true } : undefined;
  if (activationOf(layer.spec) !== 'linear') return undefined;
  for (let next = soleConsumer(graph, layer); next !== undefined; next = soleConsumer(graph, next)) {
    if (isReluLayer(next.spec)) return { layer: next, inLayer: false };
    if (!TRANSPARENT_LAYERS.has(next.spec.type)) return undefined;
  }
  return undefined;
}
