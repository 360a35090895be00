/**
 * Builds a tfjs model from layer specs (the config's `model.layers`, or a converted model file), as
 * written: one tfjs layer per spec, each with a stable Keras-style name (`dense_1`). A layer list is
 * built as a Sequential; a graph (merges, shared layers, several outputs) with tfjs-layers'
 * functional API, `tf.model({inputs, outputs})`. Activations stay inside their layers; the probe
 * reads saturation and dead units from the outputs, whose order follows the pre-activations'.
 */
import tf from '../util/tfjs.cjs';
import { ConfigError } from '../errors.js';
import { didYouMean } from '../util/suggest.js';
import type { LayerSummary } from '../trace/trace.js';
import { ACTIVATION_LAYERS, LAYER_TYPES, WRAPPER_LAYERS } from './catalog.js';
import type { LayerSpec } from './layer-spec.js';
import { layerName, type ModelGraph, type TensorRef } from './model-graph.js';
import { subtract } from './subtract-layer.js';
import { joinOutputs, selectColumns } from './io-layers.js';
import { TFJS_ACTIVATIONS } from './keras-layer.js';
// Replaces tfjs' Orthogonal initializer, which takes minutes on an LSTM's recurrent kernel.
import './orthogonal-initializer.js';

export type { LayerSpec } from './layer-spec.js';

export interface BuiltModel {
  model: tf.LayersModel;
  /** One per spec, in order. */
  layers: LayerSummary[];
  /** Per spec, the output of its (first) call: what the activation statistics read. */
  layerOutputs: tf.SymbolicTensor[];
  /** With `io.joinOutputs`: each output's shape (no batch axis), in the order they are joined. */
  outputShapes?: number[][];
}

/**
 * How a graph meets the probe's flat rows: each input's feature columns and shape (a model with
 * several inputs reads them from one flat row of `inputShape`), and whether to join the outputs.
 */
export interface BuildIO {
  inputs?: readonly { name: string; columns: number[]; shape: number[] }[];
  joinOutputs?: boolean;
}

type Factory = (config: Record<string, unknown>) => tf.layers.Layer;
const FACTORIES: Record<string, Factory> = { ...(tf.layers as unknown as Record<string, Factory>), subtract };

/**
 * `describeLayer(i)` names a layer in messages, e.g. "model.layers.2" or "layer 2 of model.json".
 * Call inside a seeded-random scope: weights are initialized from Math.random.
 */
export function buildModel(
  specs: readonly LayerSpec[],
  inputShape: readonly number[],
  describeLayer: (index: number) => string,
  graph?: ModelGraph,
  io: BuildIO = {},
): BuiltModel {
  const built =
    graph === undefined
      ? buildSequential(specs, inputShape, describeLayer)
      : buildGraph(graph, inputShape, describeLayer, io.inputs);
  return io.joinOutputs === true ? withJoinedOutputs(built) : built;
}

/** The model with its outputs joined into one flat row per example (io-layers.ts), and their shapes. */
function withJoinedOutputs(built: BuiltModel): BuiltModel {
  const { model } = built;
  const joined = joinOutputs('convdoc_outputs').apply(model.outputs) as tf.SymbolicTensor;
  return {
    ...built,
    model: tf.model({ inputs: model.inputs, outputs: joined }),
    outputShapes: model.outputs.map((output) => output.shape.slice(1).map((size) => size ?? 1)),
  };
}

function buildSequential(
  specs: readonly LayerSpec[],
  inputShape: readonly number[],
  describeLayer: (index: number) => string,
): BuiltModel {
  const model = tf.sequential();
  const counts = new Map<string, number>();
  const built = specs.map((spec, index) => {
    const count = (counts.get(spec.type) ?? 0) + 1;
    counts.set(spec.type, count);
    const name = typeof spec['name'] === 'string' ? spec['name'] : `${snakeCase(spec.type)}_${count}`;
    const first = index === 0 ? { inputShape: [...inputShape] } : {};
    const layer = construct({ ...spec, ...first, name }, describeLayer(index));
    addLayer(model, layer, describeLayer(index), index === 0 ? inputShape : undefined);
    return { spec, layer, output: layer.output as tf.SymbolicTensor };
  });
  return {
    model,
    layers: built.map(({ spec, layer, output }) => summary(spec, layer, output)),
    layerOutputs: built.map(({ output }) => output),
  };
}

/**
 * A graph: each layer is made once, then called as often as the graph calls it (a shared layer
 * more than once), each call as soon as the tensors it takes exist. The data gives the one input's shape.
 */
function buildGraph(
  graph: ModelGraph,
  inputShape: readonly number[],
  describeLayer: (index: number) => string,
  parts: BuildIO['inputs'],
) {
  const { input, tensors } = graphInputs(graph, inputShape, describeLayer, parts);
  const layers = graph.layers.map((node, index) => construct(node.spec, describeLayer(index)));
  callAll(graph, layers, tensors, describeLayer);
  const firstOutputs = graph.layers.map((node) => tensors.get(key({ layer: layerName(node), call: 0, tensor: 0 }))!);
  const outputs = graph.outputs.map((ref) => tensors.get(key(ref))!);
  const model = tf.model({ inputs: [input], outputs });
  return {
    model,
    layers: graph.layers.map((node, index) => summary(node.spec, layers[index]!, firstOutputs[index]!)),
    layerOutputs: firstOutputs,
  };
}

/**
 * The model's one tensor input (the data's rows) and the graph's input tensors made from it: itself
 * for a graph with one input; with several, each input's columns of one flat row (`parts`).
 */
function graphInputs(
  graph: ModelGraph,
  inputShape: readonly number[],
  describeLayer: (index: number) => string,
  parts: BuildIO['inputs'],
): { input: tf.SymbolicTensor; tensors: Map<string, tf.SymbolicTensor> } {
  const inputKey = (name: string) => key({ layer: name, call: 0, tensor: 0 });
  if (parts === undefined) {
    if (graph.inputs.length !== 1)
      throw new ConfigError([
        `${describeLayer(0)}: the model has ${graph.inputs.length} inputs (${graph.inputs.join(', ')}): give data.features as a map from each input to its columns.`,
      ]);
    const input = tf.input({ shape: [...inputShape], name: graph.inputs[0]! });
    return { input, tensors: new Map([[inputKey(graph.inputs[0]!), input]]) };
  }
  const input = tf.input({ shape: [...inputShape], name: 'convdoc_features' });
  const selected = parts.map(({ name, columns, shape }): [string, tf.SymbolicTensor] => [
    inputKey(name),
    selectColumns({ name, columns, shape }).apply(input) as tf.SymbolicTensor,
  ]);
  return { input, tensors: new Map(selected) };
}

/** Calls every layer on its inputs, in passes, until every call is made; a call whose inputs never appear is an error. */
function callAll(
  graph: ModelGraph,
  layers: tf.layers.Layer[],
  tensors: Map<string, tf.SymbolicTensor>,
  describeLayer: (index: number) => string,
): void {
  const pending = graph.layers.flatMap((node, index) => node.calls.map((inputs, call) => ({ index, call, inputs })));
  while (pending.length > 0) {
    const ready = pending.findIndex(({ inputs }) => inputs.every((ref) => tensors.has(key(ref))));
    if (ready < 0) {
      const { index, inputs } = pending[0]!;
      const missing = inputs.find((ref) => !tensors.has(key(ref)))!;
      throw new ConfigError([
        `${describeLayer(index)}: its input "${missing.layer}" (call ${missing.call}, output ${missing.tensor}) is never computed: the graph has a loop or refers to a missing output.`,
      ]);
    }
    const [{ index, call, inputs }] = pending.splice(ready, 1) as [(typeof pending)[number]];
    const args = inputs.map((ref) => tensors.get(key(ref))!);
    const result = callLayer(layers[index]!, args.length === 1 ? args[0]! : args, describeLayer(index));
    const name = layerName(graph.layers[index]!);
    (Array.isArray(result) ? result : [result]).forEach((tensor, position) =>
      tensors.set(key({ layer: name, call, tensor: position }), tensor),
    );
  }
}

function key({ layer, call, tensor }: TensorRef): string {
  return JSON.stringify([layer, call, tensor]);
}

function callLayer(
  layer: tf.layers.Layer,
  inputs: tf.SymbolicTensor | tf.SymbolicTensor[],
  where: string,
): tf.SymbolicTensor | tf.SymbolicTensor[] {
  try {
    return layer.apply(inputs) as tf.SymbolicTensor | tf.SymbolicTensor[];
  } catch (error) {
    throw new ConfigError([
      `${where}: this ${layer.getClassName()} layer does not fit its inputs: ${(error as Error).message}`,
    ]);
  }
}

function summary(spec: LayerSpec, layer: tf.layers.Layer, output: tf.SymbolicTensor): LayerSummary {
  return {
    name: layer.name,
    type: spec.type,
    activation:
      ACTIVATION_LAYERS[spec.type]?.(spec) ?? (typeof spec['activation'] === 'string' ? spec['activation'] : 'linear'),
    outputShape: [...output.shape],
    params: layer.countParams(),
  };
}

/**
 * Adding a layer infers its output shape: a layer that does not fit its input fails here. The first
 * layer's input is the data's example shape, which data.inputShape sets, so that is what to change.
 */
function addLayer(model: tf.Sequential, layer: tf.layers.Layer, where: string, dataShape?: readonly number[]): void {
  try {
    model.add(layer);
  } catch (error) {
    const { message } = error as Error;
    throw new ConfigError([
      dataShape === undefined
        ? `${where}: this ${layer.getClassName()} layer does not fit the output of the layer before it: ${message}`
        : `${where}: this ${layer.getClassName()} layer does not fit the data's examples of shape [${dataShape.join(', ')}]${axesNeeded(message)}. Set data.inputShape to the shape it takes (e.g. [height, width, channels] for images), with the same number of values.`,
    ]);
  }
}

/** tfjs' "expected ndim=4, found ndim=2" counts the batch axis; the user's shapes do not. */
function axesNeeded(message: string): string {
  const ndim = /expected (?:min_)?ndim=(\d+)/.exec(message)?.[1];
  return ndim === undefined ? `: ${message}` : `: it takes examples with ${Number(ndim) - 1} axes`;
}

/** The tfjs layer of a spec; a wrapper's `layer` is built first. */
function construct(spec: LayerSpec, where: string): tf.layers.Layer {
  const { type, ...config } = spec;
  if (!(LAYER_TYPES as readonly string[]).includes(type)) {
    throw new ConfigError([
      `${where}: layer type "${type}" is not supported.${didYouMean(type, LAYER_TYPES)} convdoc builds these tfjs-layers types: ${LAYER_TYPES.join(', ')}.`,
    ]);
  }
  if (WRAPPER_LAYERS.has(type)) config['layer'] = construct(config['layer'] as LayerSpec, `${where} > layer`);
  checkActivations(config, where);
  try {
    return FACTORIES[type]!(config);
  } catch (error) {
    throw new ConfigError([`${where}: tfjs cannot build this ${type} layer: ${(error as Error).message}`]);
  }
}

/**
 * An unknown activation name, checked before tfjs sees it: tfjs' own error is several lines of
 * Python advice ("Did you forget to register the class?") with no suggestion.
 */
function checkActivations(config: Record<string, unknown>, where: string): void {
  for (const key of ['activation', 'recurrentActivation']) {
    const value = config[key];
    if (typeof value === 'string' && !TFJS_ACTIVATIONS.includes(value))
      throw new ConfigError([
        `${where}: ${key} "${value}" is not a tfjs activation.${didYouMean(value, TFJS_ACTIVATIONS)} Use one of: ${TFJS_ACTIVATIONS.join(', ')}.`,
      ]);
  }
}

/** `maxPooling2d` → `max_pooling2d`, `simpleRNN` → `simple_rnn`, as Keras names layers. */
function snakeCase(type: string): string {
  return type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
