/**
 * A probe of a loaded config: its data, its model (the layer list or the model file), the backend,
 * then the seeded probe run. The entry the commands use; everything tfjs stays below it.
 */
import type { LoadedConfig } from '../config/load.js';
import { loadDataset, type Dataset } from '../data/dataset.js';
import { readModelSource, type ModelSource } from '../model/model-source.js';
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

/** What a probe trains: the config, its dataset and its model. */
export interface ProbeSubject {
  loaded: LoadedConfig;
  dataset: Dataset;
  model: ModelSource;
}

export interface ProbeResult {
  backend: BackendSelection;
  trace: ProbeTrace;
}

export async function loadProbeSubject(loaded: LoadedConfig): Promise<ProbeSubject> {
  return { loaded, dataset: await loadDataset(loaded), model: await readModelSource(loaded) };
}

export async function probeSubject({ loaded, dataset, model }: ProbeSubject, options: ProbeOptions): Promise<ProbeResult> {
  const { config } = loaded;
  const backend = await selectBackend(options.backend, model.layers.map((layer) => layer.type));
  const configured = options.steps === undefined ? config : { ...config, probe: { ...config.probe, steps: options.steps } };
  const trace = runProbe({
    config: configured,
    dataset,
    layers: model.layers,
    describeLayer: model.describeLayer,
    backend: backend.name,
    seed: options.seed ?? config.seed,
  });
  return { backend, trace };
}

/** Loads the subject and probes it: for callers that need nothing else. */
export async function probeConfig(loaded: LoadedConfig, options: ProbeOptions): Promise<ProbeResult> {
  return probeSubject(await loadProbeSubject(loaded), options);
}
