/**
 * Reads the layer graph of a Keras model object: a Sequential's list (a chain), a functional model's
 * `inbound_nodes` (Keras 2 and tfjs: nested lists `[layer, node, tensor, kwargs]`; Keras 3:
 * `{args, kwargs}` holding `__keras_tensor__` objects with a `keras_history`), and nested models,
 * which are flattened: their layers join the outer graph under their own names, and the tensors
 * that referred to the nested model refer to its outputs. Layers stay Keras objects here; converting
 * them to layer specs is keras-layer.ts's part.
 */
import { ConfigError } from '../errors.js';
import { isPlainObject } from '../util/plain-object.js';
import { asKerasObject, MODEL_CLASSES, type KerasObject } from './keras-layer.js';
import type { TensorRef } from './model-graph.js';

/** A Keras layer of the graph, with its JSON path (`config.layers[3]`) for messages. */
interface KerasGraphLayer {
  layer: KerasObject;
  name: string;
  path: string;
  calls: TensorRef[][];
}

export interface KerasGraph {
  /** Input layers, with the shape each declares (batch dimension included, as written). */
  inputs: { name: string; path: string; batchShape: unknown }[];
  layers: KerasGraphLayer[];
  outputs: TensorRef[];
  /** Layers left out, each passing its input on, and why (see PASS_THROUGH_CLASSES). */
  skipped: { name: string; path: string; className: string; reason: string }[];
}

const AUGMENTATION = 'probed without this augmentation layer (tfjs-layers has none; it is the identity at inference)';

/**
 * Keras layers tfjs-layers lacks that compute the identity when the probe runs them, so they are
 * left out and what read them reads their input, with the reason said once per layer. The random
 * augmentation layers are the identity at inference and a random transform of each batch in
 * training: the probe trains without augmentation.
 */
const PASS_THROUGH_CLASSES: Readonly<Record<string, string>> = {
  RandomFlip: AUGMENTATION,
  RandomRotation: AUGMENTATION,
  RandomZoom: AUGMENTATION,
  RandomContrast: AUGMENTATION,
  RandomTranslation: AUGMENTATION,
  RandomCrop: AUGMENTATION,
  RandomBrightness: AUGMENTATION,
  RandomHeight: AUGMENTATION,
  RandomWidth: AUGMENTATION,
  Identity: 'left out: it passes its input on unchanged',
  // The layer is the identity; its penalty is a loss term, and tfjs-layers cannot apply activity penalties.
  ActivityRegularization: 'probed without this activity penalty (tfjs-layers cannot add one to the loss)',
};

const HOW_TO_WRITE = 'Write the model with model.to_json() (Keras) or model.save() (tfjs layers model.json).';

/** A model object as written: `config` may be a list (old Keras 2 Sequential). */
export interface KerasModel {
  class_name: string;
  config: unknown;
}

/** `where` prefixes messages with the file name; `path` is the model's JSON path (`modelTopology.`). */
export function readKerasGraph(model: KerasModel, path: string, where: string): KerasGraph {
  const entries = layerEntries(model, path, where);
  const config = isPlainObject(model.config) ? model.config : {};
  return model.class_name === 'Sequential'
    ? sequentialGraph(config, entries, where)
    : functionalGraph(config, entries, path, where);
}

interface Entry {
  layer: KerasObject;
  /** The layer's config as written, which for a nested old-style Sequential is a list. */
  config: unknown;
  path: string;
}

function layerEntries(model: KerasModel, path: string, where: string): Entry[] {
  // Keras 2 before 2.2.3 wrote a Sequential's config as the bare list of its layers.
  const bare = Array.isArray(model.config);
  const raw = bare ? model.config : isPlainObject(model.config) ? model.config['layers'] : undefined;
  const listPath = bare ? `${path}config` : `${path}config.layers`;
  if (!Array.isArray(raw) || raw.length === 0)
    throw new ConfigError([`${where}: ${listPath}: expected a non-empty list of layers. ${HOW_TO_WRITE}`]);
  return raw.map((item: unknown, index) => {
    const layer = asKerasObject(item);
    if (layer === undefined)
      throw new ConfigError([
        `${where}: ${listPath}[${index}]: expected a layer, {"class_name": ..., "config": {...}}. ${HOW_TO_WRITE}`,
      ]);
    return { layer, config: (item as { config?: unknown }).config, path: `${listPath}[${index}]` };
  });
}

/** A layer's name as tensors refer to it: the functional model's `name` beside its config (a TensorFlowOpLayer's differs), else the config's. */
export function kerasLayerName(layer: KerasObject): string | undefined {
  const name = layer['name'] ?? layer.config['name'];
  return typeof name === 'string' ? name : undefined;
}

/** Names for layers a file leaves unnamed (old Keras 2 Sequentials), as Keras names them: `dense_1`, `dense_2`. */
function nameUnnamed(entries: Entry[]): string[] {
  const counts = new Map<string, number>();
  return entries.map(({ layer }) => {
    const given = kerasLayerName(layer);
    if (given !== undefined) return given;
    const base = layer.class_name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
    const count = (counts.get(base) ?? 0) + 1;
    counts.set(base, count);
    return `${base}_${count}`;
  });
}

/** A Sequential: each layer called once on the one before; a leading InputLayer (Keras 3) is its input. */
function sequentialGraph(config: Record<string, unknown>, entries: Entry[], where: string): KerasGraph {
  const names = nameUnnamed(entries);
  const first = entries[0]!;
  const explicitInput = first.layer.class_name === 'InputLayer';
  const input = {
    name: explicitInput ? names[0]! : `${typeof config['name'] === 'string' ? config['name'] : 'sequential'}_input`,
    path: first.path,
    batchShape:
      first.layer.config['batch_shape'] ??
      first.layer.config['batch_input_shape'] ??
      nestedInputShape(first, where) ??
      config['build_input_shape'],
  };
  let previous: TensorRef = { layer: input.name, call: 0, tensor: 0 };
  const graph: KerasGraph = { inputs: [input], layers: [], outputs: [], skipped: [] };
  entries.forEach((entry, index) => {
    if (index === 0 && explicitInput) return;
    const calls = [[previous]];
    const name = names[index]!;
    // A layer left out passes its input on: the next layer reads `previous`.
    if (skippedLayer(graph, entry, name)) return;
    if (MODEL_CLASSES.has(entry.layer.class_name)) {
      previous = inline(graph, entry, name, calls, where)[0]![0]!;
    } else {
      graph.layers.push({ layer: entry.layer, name, path: entry.path, calls });
      previous = { layer: name, call: 0, tensor: 0 };
    }
  });
  graph.outputs = [previous];
  return graph;
}

/** Records a layer left out (PASS_THROUGH_CLASSES), or says it is not one. */
function skippedLayer(graph: KerasGraph, entry: Entry, name: string): boolean {
  const className = entry.layer.class_name;
  const reason = PASS_THROUGH_CLASSES[className];
  if (reason !== undefined) graph.skipped.push({ name, path: entry.path, className, reason });
  return reason !== undefined;
}

/** The input shape a nested model declares, when a Sequential starts with one (a Teachable Machine export). */
function nestedInputShape(entry: Entry, where: string): unknown {
  if (!MODEL_CLASSES.has(entry.layer.class_name)) return undefined;
  return readKerasGraph({ class_name: entry.layer.class_name, config: entry.config }, `${entry.path}.`, where).inputs[0]
    ?.batchShape;
}

function functionalGraph(config: Record<string, unknown>, entries: Entry[], path: string, where: string): KerasGraph {
  const names = nameUnnamed(entries);
  const graph: KerasGraph = { inputs: [], layers: [], outputs: [], skipped: [] };
  const aliases = new Map<string, TensorRef[][]>();
  entries.forEach((entry, index) => {
    const name = names[index]!;
    const describe = `${where}: ${entry.path} "${name}" (${entry.layer.class_name})`;
    if (entry.layer.class_name === 'InputLayer') {
      const batchShape = entry.layer.config['batch_shape'] ?? entry.layer.config['batch_input_shape'];
      graph.inputs.push({ name, path: entry.path, batchShape });
      return;
    }
    const calls = inboundCalls(entry.layer, describe);
    if (skippedLayer(graph, entry, name)) {
      aliases.set(
        name,
        calls.map((call) => call.slice(0, 1)),
      );
    } else if (MODEL_CLASSES.has(entry.layer.class_name)) aliases.set(name, inline(graph, entry, name, calls, where));
    else graph.layers.push({ layer: entry.layer, name, path: entry.path, calls });
  });
  graph.outputs = tensorRefs(config['output_layers']);
  const inputNames = tensorRefs(config['input_layers']).map((ref) => ref.layer);
  // The model's inputs in the order its config lists them (the order data columns are split in).
  if (inputNames.length === graph.inputs.length)
    graph.inputs.sort((a, b) => inputNames.indexOf(a.name) - inputNames.indexOf(b.name));
  if (graph.outputs.length === 0)
    throw new ConfigError([`${where}: ${path}config.output_layers: the model names no outputs. ${HOW_TO_WRITE}`]);
  return resolveAliases(graph, aliases);
}

/**
 * Adds a nested model's layers to `graph`, called once per outer call of the nested model, and
 * returns, per outer call, the tensors of its outputs. A layer whose name the outer graph already
 * uses is renamed `<model>/<layer>`.
 */
function inline(graph: KerasGraph, entry: Entry, name: string, calls: TensorRef[][], where: string): TensorRef[][] {
  const inner = readKerasGraph({ class_name: entry.layer.class_name, config: entry.config }, `${entry.path}.`, where);
  const used = new Set([...graph.inputs.map((input) => input.name), ...graph.layers.map((layer) => layer.name)]);
  const renamed = new Map(
    inner.layers.map((layer) => [layer.name, used.has(layer.name) ? `${name}/${layer.name}` : layer.name]),
  );
  const callsOf = new Map(inner.layers.map((layer) => [layer.name, layer.calls.length]));
  const mapRef = (outer: number, ref: TensorRef): TensorRef => {
    const input = inner.inputs.findIndex((candidate) => candidate.name === ref.layer);
    if (input >= 0) {
      const source = calls[outer]?.[input];
      if (source === undefined)
        throw new ConfigError([
          `${where}: ${entry.path} "${name}": the nested model has ${inner.inputs.length} inputs but is called on ${calls[outer]?.length ?? 0} tensors. ${HOW_TO_WRITE}`,
        ]);
      return source;
    }
    const count = callsOf.get(ref.layer) ?? 1;
    return { layer: renamed.get(ref.layer) ?? ref.layer, call: outer * count + ref.call, tensor: ref.tensor };
  };
  graph.skipped.push(...inner.skipped);
  calls.forEach((_, outer) => {
    for (const layer of inner.layers) {
      const mapped = layer.calls.map((call) => call.map((ref) => mapRef(outer, ref)));
      const existing = graph.layers.find((candidate) => candidate.name === renamed.get(layer.name));
      if (existing !== undefined) existing.calls.push(...mapped);
      else graph.layers.push({ ...layer, name: renamed.get(layer.name)!, calls: mapped });
    }
  });
  return calls.map((_, outer) => inner.outputs.map((ref) => mapRef(outer, ref)));
}

/**
 * Replaces tensors of nested models (`[model, call, output]`) by the tensors of their layers. Keras 2
 * numbers a nested functional model's calls after the node it made when it was built on its own
 * input, so its first call in the outer model is node 1: a model referred to at a node past its
 * calls is counted from 1.
 */
function resolveAliases(graph: KerasGraph, aliases: Map<string, TensorRef[][]>): KerasGraph {
  if (aliases.size === 0) return graph;
  const refs = [...graph.layers.flatMap((layer) => layer.calls.flat()), ...graph.outputs];
  const offset = new Map(
    [...aliases].map(([name, calls]) => [
      name,
      refs.some((ref) => ref.layer === name && ref.call >= calls.length) ? 1 : 0,
    ]),
  );
  // An alias may name another (an augmentation layer reading a nested model): resolved until it names a layer.
  const resolve = (ref: TensorRef): TensorRef => {
    const target = aliases.get(ref.layer)?.[ref.call - (offset.get(ref.layer) ?? 0)]?.[ref.tensor];
    return target === undefined ? ref : resolve(target);
  };
  return {
    ...graph,
    layers: graph.layers.map((layer) => ({ ...layer, calls: layer.calls.map((call) => call.map(resolve)) })),
    outputs: graph.outputs.map(resolve),
  };
}

function inboundCalls(layer: KerasObject, describe: string): TensorRef[][] {
  const nodes = layer['inbound_nodes'];
  if (!Array.isArray(nodes) || nodes.length === 0)
    throw new ConfigError([
      `${describe}: the layer has no inbound_nodes, so nothing says what it is called on. ${HOW_TO_WRITE}`,
    ]);
  return nodes.map((node) => {
    // Keras 3: {args, kwargs}; positional tensors first, then keyword ones (a mask, an initial state).
    const refs = isPlainObject(node) ? [...tensorRefs(node['args']), ...tensorRefs(node['kwargs'])] : tensorRefs(node);
    if (refs.length === 0)
      throw new ConfigError([`${describe}: an inbound node names no input tensor. ${HOW_TO_WRITE}`]);
    return refs;
  });
}

/**
 * The tensors a structure refers to, in order. Keras 3 writes a tensor as
 * `{"class_name": "__keras_tensor__", "config": {"keras_history": [layer, node, tensor]}}`, Keras 2
 * and tfjs as `[layer, node, tensor, kwargs]`; either may be nested in lists and objects.
 */
function tensorRefs(value: unknown): TensorRef[] {
  if (Array.isArray(value)) {
    if (typeof value[0] === 'string' && typeof value[1] === 'number')
      return [{ layer: value[0], call: value[1], tensor: typeof value[2] === 'number' ? value[2] : 0 }];
    return value.flatMap(tensorRefs);
  }
  if (!isPlainObject(value)) return [];
  if (value['class_name'] === '__keras_tensor__') {
    const history = isPlainObject(value['config']) ? value['config']['keras_history'] : undefined;
    return tensorRefs(Array.isArray(history) ? history : []);
  }
  return Object.values(value).flatMap(tensorRefs);
}
