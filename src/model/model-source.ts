/**
 * The model a config describes, as layer specs: its `model.layers`, or the layers of its
 * `model.file`. Also how to name a layer in messages and which key to edit for it. No tfjs.
 */
import { locateKey, type LoadedConfig } from '../config/load.js';
import { displayPath } from '../util/paths.js';
import type { LayerSpec } from './layer-spec.js';
import { readModelFile } from './keras-json.js';
import { checkConfigLayers } from './layer-check.js';
import type { ModelGraph } from './model-graph.js';
import { readFileLosses, readFromLogits, type FileLosses } from './training-config.js';

export interface ModelSource {
  layers: LayerSpec[];
  /** Names layer `index` with its position for error messages ("convdoc.yaml:9:7: model.layers.2"). */
  describeLayer: (index: number) => string;
  /** The key path of layer `index` for config edits ("model.layers.2", or a path in the model file). */
  layerKey: (index: number) => string;
  /** Where the probe can only approximate the user's model (Keras options tfjs lacks), one line each. */
  approximations: string[];
  /** Keras' from_logits as the model file's training config has it; undefined when it does not say. */
  fromLogits?: boolean;
  /** The losses the model file was compiled with (Keras' `loss`, a dict or list per output); undefined when it names none. */
  losses?: FileLosses;
  /** The model as a graph of `layers`, when the model file's model is not one chain. */
  graph?: ModelGraph;
  /** The input shape the model file declares (no batch axis; null: any length), for config-shape-mismatch. */
  declaredInputShape?: (number | null)[];
}

export async function readModelSource(loaded: LoadedConfig): Promise<ModelSource> {
  const { model } = loaded.config;
  if (model.layers !== undefined) {
    checkConfigLayers(loaded);
    return {
      layers: model.layers,
      describeLayer: (index) => locateKey(loaded, ['model', 'layers', index]),
      layerKey: (index) => `model.layers.${index}`,
      approximations: [],
    };
  }
  const file = await readModelFile(model.file!);
  const shown = displayPath(model.file!);
  return {
    layers: file.layers,
    describeLayer: (index) => `${shown}: ${file.layerPaths[index]}`,
    layerKey: (index) => `${shown} ${file.layerPaths[index]}`,
    approximations: file.approximations,
    ...optionalFromLogits(await readFromLogits(model.file!)),
    ...optionalLosses(await readFileLosses(model.file!)),
    ...(file.graph === undefined ? {} : { graph: file.graph }),
    ...(file.declaredInputShape === undefined ? {} : { declaredInputShape: file.declaredInputShape }),
  };
}

function optionalFromLogits(fromLogits: boolean | undefined): Pick<ModelSource, 'fromLogits'> {
  return fromLogits === undefined ? {} : { fromLogits };
}

function optionalLosses(losses: FileLosses | undefined): Pick<ModelSource, 'losses'> {
  return losses === undefined ? {} : { losses };
}
