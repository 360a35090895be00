/**
 * Which data columns feed which input of a model with several inputs, and which target columns and
 * loss go to which output of a model with several outputs, as the config's maps say (`data.features`,
 * `data.target`, `data.inputShape`, `training.loss`, `training.lossWeights`, keyed by layer name as
 * Keras' `fit(x={...}, y={...})` and `compile(loss={...})` are). Checked against the model before
 * anything is built: a name the model does not have, or an input or output left out, is a config
 * error at its key that lists the model's names. No tfjs.
 */
import { configProblem, type LoadedConfig } from '../config/load.js';
import type { LossName } from '../config/losses.js';
import type { Dataset } from '../data/dataset.js';
import type { ModelSource } from '../model/model-source.js';
import { shapeSize } from '../util/shape.js';

/** One input of the model: the feature columns (positions in the data's feature list) and their shape. */
interface InputPart {
  name: string;
  columns: number[];
  shape: number[];
}

/** One output of the model: its target columns (positions in the data's target list), its declared loss and weight. */
export interface OutputHead {
  name: string;
  columns: number[];
  /** The loss the config or the model file names for it; undefined: the one its targets suggest. */
  loss?: LossName;
  weight: number;
}

/** Set only where the model has several inputs or outputs, or the config maps them by name. */
export interface ModelIO {
  inputs?: InputPart[];
  outputs?: OutputHead[];
}

type Located = readonly (string | number)[];

/**
 * The maps' names against the model's, before the data is read: an output left out of the target
 * map would otherwise be read as a feature column, and the error would be about the data's shape.
 */
export function checkModelMaps(loaded: LoadedConfig, model: ModelSource): void {
  const { data } = loaded.config;
  if (data.targetsByOutput !== undefined)
    checkKeys(loaded, ['data', 'target'], data.targetsByOutput, outputNames(model), 'output', true);
  if (data.featuresByInput !== undefined)
    checkKeys(loaded, ['data', 'features'], data.featuresByInput, inputNames(model), 'input', true);
}

export function resolveModelIO(loaded: LoadedConfig, dataset: Dataset, model: ModelSource): ModelIO {
  const inputs = resolveInputs(loaded, dataset, model);
  const outputs = resolveOutputs(loaded, dataset, model);
  return { ...(inputs === undefined ? {} : { inputs }), ...(outputs === undefined ? {} : { outputs }) };
}

/** The model's output layer names: a graph's outputs, else its last layer's name when it has one. */
function outputNames(model: ModelSource): string[] {
  if (model.graph !== undefined) return model.graph.outputs.map(({ layer }) => layer);
  const name = model.layers.at(-1)?.['name'];
  return typeof name === 'string' ? [name] : [];
}

function inputNames(model: ModelSource): string[] {
  return model.graph?.inputs ?? [];
}

/** Keys of a map that the model does not have, and names of the model the map leaves out. */
function checkKeys(
  loaded: LoadedConfig,
  key: Located,
  map: Record<string, unknown>,
  names: readonly string[],
  what: 'output' | 'input',
  complete: boolean,
): void {
  const known = `the model's ${what}s are ${names.join(', ') || '(unnamed)'}`;
  const unknown = Object.keys(map).find((name) => !names.includes(name));
  if (unknown !== undefined)
    throw configProblem(loaded, [...key, unknown], `the model has no ${what} layer "${unknown}": ${known}.`);
  const missing = names.find((name) => !(name in map));
  if (complete && missing !== undefined)
    throw configProblem(
      loaded,
      key,
      `${what} "${missing}" is missing from the map: ${known}; give each its column(s).`,
    );
}

function resolveOutputs(loaded: LoadedConfig, dataset: Dataset, model: ModelSource): OutputHead[] | undefined {
  const { data, training } = loaded.config;
  const names = outputNames(model);
  const byName = data.targetsByOutput;
  const mapped = byName !== undefined || training.lossByOutput !== undefined || training.lossWeights !== undefined;
  if (names.length <= 1 && !mapped) return undefined;
  if (byName !== undefined) checkKeys(loaded, ['data', 'target'], byName, names, 'output', true);
  if (training.lossByOutput !== undefined)
    checkKeys(loaded, ['training', 'loss'], training.lossByOutput, names, 'output', false);
  if (training.lossWeights !== undefined)
    checkKeys(loaded, ['training', 'lossWeights'], training.lossWeights, names, 'output', false);
  const columns = byName ?? columnsInOrder(loaded, dataset.targetNames, names);
  return names.map((name, index) => {
    const loss = training.lossByOutput?.[name] ?? training.loss ?? fileLoss(model, name, index);
    return {
      name,
      columns: columns[name]!.map((column) => dataset.targetNames.indexOf(column)),
      ...(loss === undefined ? {} : { loss }),
      weight: training.lossWeights?.[name] ?? 1,
    };
  });
}

/** Without a map, Keras' `y=[...]` form: one target column per output, in the model's output order. */
function columnsInOrder(loaded: LoadedConfig, targets: readonly string[], names: readonly string[]) {
  if (targets.length !== names.length)
    throw configProblem(
      loaded,
      ['data', 'target'],
      `the model has ${names.length} outputs (${names.join(', ')}) and the data ${targets.length} target column(s): give data.target as a map from each output to its column(s), e.g. {${names.map((name) => `${name}: <column>`).join(', ')}}.`,
    );
  return Object.fromEntries(names.map((name, index) => [name, [targets[index]!]]));
}

/** The model file's loss for an output: its entry in the file's loss dict or list, or the one loss of all. */
function fileLoss(model: ModelSource, name: string, index: number): LossName | undefined {
  const { losses } = model;
  if (losses === undefined || typeof losses === 'string') return losses;
  return Array.isArray(losses) ? losses[index] : losses[name];
}

function resolveInputs(loaded: LoadedConfig, dataset: Dataset, model: ModelSource): InputPart[] | undefined {
  const { featuresByInput, inputShapeByInput } = loaded.config.data;
  const names = inputNames(model);
  if (names.length <= 1 && featuresByInput === undefined && inputShapeByInput === undefined) return undefined;
  if (featuresByInput === undefined)
    throw configProblem(
      loaded,
      ['data', inputShapeByInput === undefined ? 'features' : 'inputShape'],
      `the model has ${names.length} inputs (${names.join(', ')}): give data.features as a map from each input to its columns, e.g. {${names.map((name) => `${name}: [<columns>]`).join(', ')}}.`,
    );
  checkKeys(loaded, ['data', 'features'], featuresByInput, names, 'input', true);
  if (inputShapeByInput !== undefined)
    checkKeys(loaded, ['data', 'inputShape'], inputShapeByInput, names, 'input', false);
  return names.map((name) => {
    const columns = featuresByInput[name]!;
    const shape = inputShapeByInput?.[name] ?? [columns.length];
    const size = shapeSize(shape);
    if (size !== columns.length)
      throw configProblem(
        loaded,
        ['data', 'inputShape', name],
        `[${shape.join(', ')}] holds ${size} values, but input "${name}" has ${columns.length} feature columns. Make the product of the dimensions ${columns.length}.`,
      );
    return { name, columns: columns.map((column) => dataset.featureNames.indexOf(column)), shape };
  });
}
