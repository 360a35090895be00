/**
 * A probe of a loaded config: its data, its model (the layer list or the model file), the backend,
 * then the seeded probe run. The one entry the commands use; everything tfjs stays below it.
 */
import { locateKey, type LoadedConfig } from '../config/load.js';
import { loadDataset, type Dataset } from '../data/dataset.js';
import type { LayerSpec } from '../model/build.js';
import { readModelFile } from '../model/keras-json.js';
import { displayPath } from '../util/paths.js';
import { selectBackend, type BackendChoice, type BackendSelection } from './backend.js';
import { runProbe } from './run-probe.js';
import type { ProbeTrace } from './trace.js';

export interface ProbeOptions {
  backend: BackendChoice;
  /** Overrides `probe.steps`. */
  steps?: number;
  /** Overrides the config's seed. */
  seed?: number;
}

export interface ProbeResult {
  dataset: Dataset;
  backend: BackendSelection;
  trace: ProbeTrace;
  /** Where the probe can only approximate the user's model (Keras options tfjs lacks), one line each. */
  approximations: string[];
}

export async function probeConfig(loaded: LoadedConfig, options: ProbeOptions): Promise<ProbeResult> {
  const { config } = loaded;
  const dataset = await loadDataset(loaded);
  const { layers, describeLayer, approximations } = await modelLayers(loaded);
  const backend = await selectBackend(options.backend, layers.map((layer) => layer.type));
  const probeConfigured = options.steps === undefined ? config : { ...config, probe: { ...config.probe, steps: options.steps } };
  const trace = runProbe({ config: probeConfigured, dataset, layers, describeLayer, backend: backend.name, seed: options.seed ?? config.seed });
  return { dataset, backend, trace, approximations };
}

/** The layer specs and how to name layer `index` in messages: by its config key, or by its place in the model file. */
async function modelLayers(loaded: LoadedConfig): Promise<{ layers: LayerSpec[]; describeLayer: (index: number) => string; approximations: string[] }> {
  const { model } = loaded.config;
  if (model.layers !== undefined) return { layers: model.layers, describeLayer: (index) => locateKey(loaded, ['model', 'layers', index]), approximations: [] };
  const file = await readModelFile(model.file!);
  return { ...file, describeLayer: (index) => `${displayPath(model.file!)}: ${file.layerPaths[index]}` };
}
