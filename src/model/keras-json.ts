/**
 * Reads the model file a config's `model.file` names and turns it into layer specs, the same shape
 * as `model.layers`, so both forms are built by one code path. Accepted: Keras 2 and Keras 3
 * `model.to_json()` (Sequential, or a functional model whose layers form one chain), and a tfjs
 * layers `model.json`, of which only the topology is used: the probe initializes its own weights.
 * The file is data: it is parsed as JSON and nothing in it is executed.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError, formatPosition } from '../errors.js';
import { errorCode } from '../util/error-code.js';
import { displayPath } from '../util/paths.js';
import type { LayerSpec } from './layer-spec.js';
import { isPlainObject } from '../util/plain-object.js';
import { asKerasObject, convertLayer, MODEL_CLASSES, type KerasObject, type Origin } from './keras-layer.js';

export interface ModelFile {
  layers: LayerSpec[];
  /** Where each layer is in the file, as a JSON path such as `config.layers[1]`, for messages. */
  layerPaths: string[];
  /**
   * The input shape the file declares, without the batch dimension (null: any length). convdoc
   * takes the input shape from the data; this is only for a message when the two disagree.
   */
  declaredInputShape?: (number | null)[];
  /** One line per Keras option the tfjs layers can only approximate (e.g. GRU reset_after=True). */
  approximations: string[];
}

/** A layer of the file with its JSON path. */
interface LayerEntry {
  layer: KerasObject;
  path: string;
}

const HOW_TO_WRITE = 'Write the model with model.to_json() (Keras) or model.save() (tfjs layers model.json).';
const SEQUENTIAL_ONLY =
  'Only sequential models are supported yet: rebuild it as a keras.Sequential stack, or describe its layers under model.layers.';

/**
 * The file's layers as `model.layers` entries, in order, and what else it says: where each layer
 * is, the declared input shape, the approximations made.
 */
export async function readModelFile(file: string): Promise<ModelFile> {
  const shown = displayPath(file);
  const root = parseJson(await readModelBytes(file, shown), shown);
  const { model, path, origin } = findModel(root, shown);
  return convertLayers(modelLayers(model, path, shown), model, { shown, origin });
}

async function readModelBytes(file: string, shown: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new ConfigError([
      `${shown}: cannot read the model file (${errorCode(error)}). Check model.file in the config.`,
    ]);
  }
}

/** The first bytes of the binary files Keras also saves models in, which people point at by mistake. */
const BINARY_FORMATS = [
  { magic: 'PK\u0003\u0004', what: 'a zip archive (a Keras .keras file?)' },
  { magic: '\u0089HDF', what: 'an HDF5 file (a Keras .h5 file?)' },
];

function parseJson(bytes: Buffer, shown: string): unknown {
  const binary = BINARY_FORMATS.find(({ magic }) =>
    bytes.subarray(0, magic.length).equals(Buffer.from(magic, 'latin1')),
  );
  if (binary !== undefined) {
    throw new ConfigError([
      `${shown}: this is ${binary.what}, not JSON. convdoc reads the architecture as JSON: write it with open("model.json", "w").write(model.to_json()).`,
    ]);
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new ConfigError([`${shown}: the model file is empty. ${HOW_TO_WRITE}`]);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError([jsonProblem((error as SyntaxError).message, text, shown)]);
  }
}

/**
 * V8's message, placed at its line and column where it gives the position ("... in JSON at
 * position 98"); an unexpected token comes without one but quotes the text around it.
 */
function jsonProblem(message: string, text: string, shown: string): string {
  const position = / in JSON at position (\d+)/.exec(message)?.[1];
  const offset =
    position !== undefined
      ? Number(position)
      : message.startsWith('Unexpected end')
        ? text.trimEnd().length
        : undefined;
  const reason = message.replace(/ in JSON at position \d+.*$/, '');
  return `${offset === undefined ? shown : formatPosition({ file: shown, ...lineAndColumn(text, offset) })}: not valid JSON: ${reason}. ${HOW_TO_WRITE}`;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** The model object of the file, as written: `config` may be a list (old Keras 2 Sequential). */
interface ModelTopology {
  class_name: string;
  config: unknown;
  module?: unknown;
}

/**
 * The Keras model object inside the file: the root of a to_json() file, or `modelTopology` of a
 * tfjs model.json; either may wrap it in `model_config`, as files converted from Keras .h5 do.
 */
function findModel(root: unknown, shown: string): { model: ModelTopology; path: string; origin: Origin } {
  if (isPlainObject(root) && root['format'] === 'graph-model') {
    throw new ConfigError([
      `${shown}: a tfjs graph model holds a TensorFlow graph, not layers, so it cannot be rebuilt for probe-training. Convert the Keras model with tensorflowjs_converter --output_format tfjs_layers_model, or write it with model.to_json().`,
    ]);
  }
  let topology = root;
  let path = '';
  let kerasVersion: unknown;
  for (const wrapper of ['modelTopology', 'model_config']) {
    if (isPlainObject(topology) && isPlainObject(topology[wrapper])) {
      kerasVersion ??= topology['keras_version'];
      topology = topology[wrapper];
      path += `${wrapper}.`;
    }
  }
  const className = isPlainObject(topology) ? topology['class_name'] : undefined;
  if (!isPlainObject(topology) || typeof className !== 'string' || !MODEL_CLASSES.has(className)) {
    const found =
      typeof className === 'string' ? `a top-level "class_name" of "${className}"` : 'no "class_name" at the top';
    throw new ConfigError([
      `${shown}: not a Keras model: expected a Sequential or Functional model, found ${found}. ${HOW_TO_WRITE}`,
    ]);
  }
  const model = { ...topology, class_name: className, config: topology['config'] };
  return { model, path, origin: originOf(kerasVersion ?? topology['keras_version'], model) };
}

/** Keras 2 and tfjs write `keras_version` ("2.15.0", "tfjs-layers 4.22.0"); Keras 3's to_json() does not, but adds `module`. */
function originOf(kerasVersion: unknown, model: ModelTopology): Origin {
  if (typeof kerasVersion === 'string') {
    if (kerasVersion.startsWith('tfjs')) return 'tfjs';
    return kerasVersion.startsWith('3.') ? 'keras3' : 'keras2';
  }
  return model.module === undefined ? 'keras2' : 'keras3';
}

function modelLayers(model: ModelTopology, path: string, shown: string): LayerEntry[] {
  // Keras 2 before 2.2.3 wrote a Sequential's config as the bare list of its layers.
  const bareList = Array.isArray(model.config);
  const raw = bareList ? model.config : isPlainObject(model.config) ? model.config['layers'] : undefined;
  const listPath = bareList ? `${path}config` : `${path}config.layers`;
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new ConfigError([`${shown}: ${listPath}: expected a non-empty list of layers. ${HOW_TO_WRITE}`]);
  }
  const entries = raw.map((item: unknown, index) => {
    const layer = asKerasObject(item);
    if (layer === undefined)
      throw new ConfigError([
        `${shown}: ${listPath}[${index}]: expected a layer, {"class_name": ..., "config": {...}}. ${HOW_TO_WRITE}`,
      ]);
    return { layer, path: `${listPath}[${index}]` };
  });
  return model.class_name === 'Sequential' ? entries : functionalChain(entries, outputLayers(model), shown);
}

function outputLayers(model: ModelTopology): string[] {
  return isPlainObject(model.config) ? tensorSources(model.config['output_layers']) : [];
}

function layerName(layer: KerasObject): string {
  const name = layer.config['name'] ?? layer['name'];
  return typeof name === 'string' ? name : '?';
}

function describeLayer({ layer, path }: LayerEntry, shown: string): string {
  return `${shown}: ${path} "${layerName(layer)}" (${layer.class_name})`;
}

/**
 * The layers of a functional model in call order, when they form one chain from one input to one
 * output; a branch, a merge, a shared layer or a second input or output is refused.
 */
function functionalChain(entries: LayerEntry[], outputs: string[], shown: string): LayerEntry[] {
  const branched = (entry: LayerEntry, what: string) =>
    new ConfigError([
      `${describeLayer(entry, shown)}: the model is a functional model with branches: ${what}. ${SEQUENTIAL_ONLY}`,
    ]);
  const inputs = entries.filter(({ layer }) => layer.class_name === 'InputLayer');
  if (inputs.length !== 1 || outputs.length !== 1) {
    const counts = `${inputs.length} inputs and ${outputs.length} outputs`;
    throw new ConfigError([`${shown}: the model is a functional model with ${counts}. ${SEQUENTIAL_ONLY}`]);
  }
  const consumers = new Map<string, LayerEntry[]>();
  for (const entry of entries) {
    if (entry.layer.class_name === 'InputLayer') continue;
    const nodes = inboundNodes(entry.layer);
    if (nodes.length !== 1) throw branched(entry, `this layer is called ${nodes.length} times (a shared layer)`);
    const sources = tensorSources(nodes[0]);
    if (sources.length !== 1)
      throw branched(
        entry,
        `this layer takes ${sources.length} inputs (${sources.map((source) => `"${source}"`).join(', ')})`,
      );
    consumers.set(sources[0]!, [...(consumers.get(sources[0]!) ?? []), entry]);
  }
  const chain = [inputs[0]!];
  for (;;) {
    const last = chain.at(-1)!;
    const next = consumers.get(layerName(last.layer)) ?? [];
    if (next.length === 0) break;
    if (next.length > 1)
      throw branched(
        last,
        `its output feeds ${next.length} layers (${next.map(({ layer }) => `"${layerName(layer)}"`).join(', ')})`,
      );
    // Only layers sharing a name can lead back into the chain.
    if (chain.includes(next[0]!)) throw branched(next[0]!, 'the layers form a loop (two layers share a name?)');
    chain.push(next[0]!);
  }
  const offChain = entries.find((entry) => !chain.includes(entry));
  if (offChain !== undefined) throw branched(offChain, 'this layer is not on the path from the input to the output');
  return chain;
}

function inboundNodes(layer: KerasObject): unknown[] {
  const nodes = layer['inbound_nodes'];
  return Array.isArray(nodes) ? nodes : [];
}

/**
 * The layers whose outputs a structure refers to. Keras 3 refers to a tensor as
 * `{"class_name": "__keras_tensor__", "config": {"keras_history": [layer, node, tensor]}}`, Keras 2
 * and tfjs as `[layer, node, tensor, kwargs]`; either may be nested in lists and objects.
 */
function tensorSources(value: unknown): string[] {
  if (Array.isArray(value)) {
    if (typeof value[0] === 'string' && typeof value[1] === 'number') return [value[0]];
    return value.flatMap(tensorSources);
  }
  if (!isPlainObject(value)) return [];
  if (value['class_name'] === '__keras_tensor__') {
    const history = isPlainObject(value['config']) ? value['config']['keras_history'] : undefined;
    return Array.isArray(history) && typeof history[0] === 'string' ? [history[0]] : [];
  }
  return Object.values(value).flatMap(tensorSources);
}

function convertLayers(
  entries: LayerEntry[],
  model: ModelTopology,
  { shown, origin }: { shown: string; origin: Origin },
): ModelFile {
  const layers: LayerSpec[] = [];
  const layerPaths: string[] = [];
  const approximations: string[] = [];
  let declaredInputShape: (number | null)[] | undefined;
  for (const entry of entries) {
    // An InputLayer, or the first layer's batch_input_shape, declares the input shape.
    if (layers.length === 0) declaredInputShape ??= declaredShape(entry.layer.config);
    if (entry.layer.class_name === 'InputLayer') continue;
    layers.push(convertLayer(entry.layer, { where: describeLayer(entry, shown), origin, approximations }));
    layerPaths.push(entry.path);
  }
  if (layers.length === 0)
    throw new ConfigError([`${shown}: the model has no layers besides its input. ${HOW_TO_WRITE}`]);
  declaredInputShape ??= isPlainObject(model.config) ? withoutBatch(model.config['build_input_shape']) : undefined;
  approximations.push(...precisionNotes(entries, shown));
  return { layers, layerPaths, ...(declaredInputShape === undefined ? {} : { declaredInputShape }), approximations };
}

/**
 * tfjs-layers trains in float32, so a float16 or mixed-precision policy is probed in float32: said
 * once per policy, because float16 overflow is a cause of NaN losses the probe will not reproduce.
 */
function precisionNotes(entries: LayerEntry[], shown: string): string[] {
  // An InputLayer's dtype is the input's (int32 token ids for an Embedding), not a compute policy.
  const layers = entries.filter(({ layer }) => layer.class_name !== 'InputLayer');
  const policies = new Set(layers.map(({ layer }) => dtypePolicyName(layer.config['dtype'])));
  return [...policies]
    .filter((policy) => policy !== undefined && policy !== 'float32')
    .map((policy) => `${shown}: dtype policy "${policy}": probed in float32.`);
}

/** Keras 2 writes "float32" or {"class_name": "Policy", "config": {"name": "mixed_float16"}}; Keras 3 a DTypePolicy object. */
function dtypePolicyName(dtype: unknown): string | undefined {
  if (typeof dtype === 'string') return dtype;
  const name = isPlainObject(dtype) && isPlainObject(dtype['config']) ? dtype['config']['name'] : undefined;
  return typeof name === 'string' ? name : undefined;
}

function declaredShape(config: Record<string, unknown>): (number | null)[] | undefined {
  return withoutBatch(config['batch_shape'] ?? config['batch_input_shape']);
}

function withoutBatch(shape: unknown): (number | null)[] | undefined {
  const valid =
    Array.isArray(shape) &&
    shape.length > 1 &&
    shape.every((dimension) => dimension === null || typeof dimension === 'number');
  return valid ? (shape.slice(1) as (number | null)[]) : undefined;
}
