/**
 * A model as a graph of layer calls, for models that are not one chain: merges (a ResNet's `Add`),
 * several inputs or outputs, shared layers, nested models (flattened into their layers, which keep
 * their own names). Each layer is a layer spec, as in `model.layers`, plus the inputs of each call,
 * as Keras' functional API records them. Plain data, free of tfjs, so fixes can edit it.
 */
import type { LayerSpec } from './layer-spec.js';

/** A tensor of the graph: output `tensor` of call `call` of layer `layer` (Keras' `[layer, node, tensor]`). */
export interface TensorRef {
  layer: string;
  call: number;
  tensor: number;
}

/** A layer (its spec carries its `name`) and, per call, the tensors it is called on. */
export interface GraphLayer {
  spec: LayerSpec;
  calls: TensorRef[][];
}

export interface ModelGraph {
  /** The input layers' names; each gives one tensor, `{layer: name, call: 0, tensor: 0}`. */
  inputs: string[];
  /** The layers, in an order where each call's inputs come from inputs or earlier calls (shared layers may be called again later). */
  layers: GraphLayer[];
  outputs: TensorRef[];
}

export function layerName(layer: GraphLayer): string {
  return layer.spec['name'] as string;
}

function sameTensor(a: TensorRef, b: TensorRef): boolean {
  return a.layer === b.layer && a.call === b.call && a.tensor === b.tensor;
}

/** The layers that call `name`'s output (any call), in graph order. */
export function consumersOf(graph: ModelGraph, name: string): GraphLayer[] {
  return graph.layers.filter((layer) => layer.calls.some((call) => call.some((ref) => ref.layer === name)));
}

/** Whether a graph is one chain: one input, one output, each layer called once on the layer before. */
export function chainOrder(graph: ModelGraph): GraphLayer[] | undefined {
  if (graph.inputs.length !== 1 || graph.outputs.length !== 1) return undefined;
  let previous = graph.inputs[0]!;
  for (const layer of graph.layers) {
    const [call, ...more] = layer.calls;
    if (more.length > 0 || call?.length !== 1 || !sameTensor(call[0]!, { layer: previous, call: 0, tensor: 0 }))
      return undefined;
    previous = layerName(layer);
  }
  return sameTensor(graph.outputs[0]!, { layer: previous, call: 0, tensor: 0 }) ? graph.layers : undefined;
}

/** A name not yet used in the graph: `base`, else `base_2`, `base_3`, ... */
function freeName(graph: ModelGraph, base: string): string {
  const used = new Set([...graph.inputs, ...graph.layers.map(layerName)]);
  if (!used.has(base)) return base;
  let count = 2;
  while (used.has(`${base}_${count}`)) count++;
  return `${base}_${count}`;
}

/**
 * The graph with `added` layers chained after the first call of layer `name`: every tensor that read
 * that call's output (a consumer's input, a model output) reads the last added layer instead.
 * Each added spec is named with `freeName` from its `name` (or its type).
 */
export function insertAfter(graph: ModelGraph, name: string, added: readonly LayerSpec[]): ModelGraph {
  let result = graph;
  let source: TensorRef = { layer: name, call: 0, tensor: 0 };
  const fresh: GraphLayer[] = [];
  for (const spec of added) {
    const newName = freeName(result, typeof spec['name'] === 'string' ? spec['name'] : spec.type);
    const layer: GraphLayer = { spec: { ...spec, name: newName }, calls: [[source]] };
    fresh.push(layer);
    result = { ...result, layers: [...result.layers, layer] };
    source = { layer: newName, call: 0, tensor: 0 };
  }
  const from: TensorRef = { layer: name, call: 0, tensor: 0 };
  const rewire = (ref: TensorRef) => (sameTensor(ref, from) ? source : ref);
  const at = graph.layers.findIndex((layer) => layerName(layer) === name);
  const rewired = graph.layers.map((layer) => ({ ...layer, calls: layer.calls.map((call) => call.map(rewire)) }));
  return {
    inputs: graph.inputs,
    layers: [...rewired.slice(0, at + 1), ...fresh, ...rewired.slice(at + 1)],
    outputs: graph.outputs.map(rewire),
  };
}

/** The graph with layer `name`'s spec replaced (its name is kept, so tensors that refer to it stay valid). */
export function replaceSpec(graph: ModelGraph, name: string, spec: LayerSpec): ModelGraph {
  return {
    ...graph,
    layers: graph.layers.map((layer) => (layerName(layer) === name ? { ...layer, spec: { ...spec, name } } : layer)),
  };
}
