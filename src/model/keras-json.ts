/**
 * Reads the model file a config's `model.file` names and turns it into layer specs, the same shape
 * as `model.layers`, so both forms are built by one code path; a model that is not one chain
 * (merges, several inputs or outputs, shared layers) also comes as a graph of those specs. Accepted:
 * Keras 2 and Keras 3 `model.to_json()` (Sequential or functional, nested models flattened), and a
 * tfjs layers `model.json`, of which only the topology is used: the probe initializes its own weights.
 * The file is data: it is parsed as JSON and nothing in it is executed.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError, formatPosition } from '../errors.js';
import { errorCode } from '../util/error-code.js';
import { displayPath } from '../util/paths.js';
import type { LayerSpec } from './layer-spec.js';
import { isPlainObject } from '../util/plain-object.js';
import { convertLayer, MODEL_CLASSES, type KerasObject, type Origin } from './keras-layer.js';
import { kerasLayerName, readKerasGraph, type KerasGraph } from './keras-graph.js';
import { chainOrder, layerName, type ModelGraph, type TensorRef } from './model-graph.js';

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
  /** The model as a graph of `layers` (named), when it is not one chain. */
  graph?: ModelGraph;
}

const HOW_TO_WRITE = 'Write the model with model.to_json() (Keras) or model.save() (tfjs layers model.json).';

/**
 * The file's layers as `model.layers` entries, in order, and what else it says: where each layer
 * is, the declared input shape, the approximations made.
 */
export async function readModelFile(file: string): Promise<ModelFile> {
  const shown = displayPath(file);
  const root = parseJson(await readModelBytes(file, shown), shown);
  const { model, path, origin } = findModel(root, shown);
  return convertGraph(readKerasGraph(model, path, shown), { shown, origin });
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

/**
 * The file's graph as layer specs: the layer list alone when the graph is one chain (a Sequential,
 * or a functional model without branches), else the graph too.
 */
function convertGraph(keras: KerasGraph, { shown, origin }: { shown: string; origin: Origin }): ModelFile {
  const approximations: string[] = [];
  const layers = keras.layers.map(({ layer, name, path, calls }) => ({
    spec: {
      ...convertLayer(layer, { where: `${shown}: ${path} "${name}" (${layer.class_name})`, origin, approximations }),
      name,
    },
    calls,
  }));
  if (layers.length === 0)
    throw new ConfigError([`${shown}: the model has no layers besides its input. ${HOW_TO_WRITE}`]);
  const graph: ModelGraph = { inputs: keras.inputs.map((input) => input.name), layers, outputs: keras.outputs };
  checkReferences(graph, keras, shown);
  approximations.push(...precisionNotes(keras, shown));
  approximations.push(
    ...keras.skipped.map(
      ({ name, path, className, reason }) => `${shown}: ${path} "${name}" (${className}): ${reason}.`,
    ),
  );
  const declaredInputShape = withoutBatch(keras.inputs[0]?.batchShape);
  const chain = chainOrder(graph) !== undefined;
  return {
    layers: layers.map(({ spec }, index) => (chain ? withFileName(spec, keras.layers[index]!.layer) : spec)),
    layerPaths: keras.layers.map(({ path }) => path),
    ...(chain ? {} : { graph }),
    ...(declaredInputShape === undefined ? {} : { declaredInputShape }),
    approximations,
  };
}

/** A chain's layers keep the name the file gives them, or none (the builder then names them as Keras would). */
function withFileName(spec: LayerSpec, layer: KerasObject): LayerSpec {
  if (kerasLayerName(layer) !== undefined) return spec;
  const { name: _generated, ...unnamed } = spec;
  return { ...unnamed, type: spec.type };
}

/** Every tensor the graph uses is made by an input or a layer call the file has, and names one layer. */
function checkReferences(graph: ModelGraph, keras: KerasGraph, shown: string): void {
  checkUniqueNames(keras, shown);
  const calls = new Map<string, number>([
    ...graph.inputs.map((name) => [name, 1] as const),
    ...graph.layers.map((layer) => [layerName(layer), layer.calls.length] as const),
  ]);
  const missing = (ref: TensorRef) => (calls.get(ref.layer) ?? 0) <= ref.call;
  for (const [index, layer] of graph.layers.entries()) {
    const ref = layer.calls.flat().find(missing);
    if (ref === undefined) continue;
    const { path, name } = keras.layers[index]!;
    throw new ConfigError([
      `${shown}: ${path} "${name}": inbound_nodes refers to call ${ref.call} of "${ref.layer}", which the model does not have. ${HOW_TO_WRITE}`,
    ]);
  }
  const output = graph.outputs.find(missing);
  if (output !== undefined)
    throw new ConfigError([
      `${shown}: output_layers names "${output.layer}", which the model does not have. ${HOW_TO_WRITE}`,
    ]);
}

/** Keras never writes two layers of one name (a nested model's are renamed), and tensors name layers. */
function checkUniqueNames(keras: KerasGraph, shown: string): void {
  const seen = new Set<string>();
  for (const { name, path } of [...keras.inputs, ...keras.layers]) {
    if (seen.has(name))
      throw new ConfigError([
        `${shown}: ${path}: a second layer named "${name}"; layer names must be unique. Rename one, or ${HOW_TO_WRITE.charAt(0).toLowerCase()}${HOW_TO_WRITE.slice(1)}`,
      ]);
    seen.add(name);
  }
}

/**
 * tfjs-layers trains in float32, so a float16 or mixed-precision policy is probed in float32: said
 * once per policy, because float16 overflow is a cause of NaN losses the probe will not reproduce.
 */
function precisionNotes(keras: KerasGraph, shown: string): string[] {
  // Input layers are not in keras.layers: their dtype is the input's (int32 token ids), not a compute policy.
  const policies = new Set(keras.layers.map(({ layer }) => dtypePolicyName(layer.config['dtype'])));
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

function withoutBatch(shape: unknown): (number | null)[] | undefined {
  const valid =
    Array.isArray(shape) &&
    shape.length > 1 &&
    shape.every((dimension) => dimension === null || typeof dimension === 'number');
  return valid ? (shape.slice(1) as (number | null)[]) : undefined;
}
