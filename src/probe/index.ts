/**
 * A probe of a loaded config: its data, its model (the layer list or the model file), the backend,
 * then the seeded probe run. The entry the commands use; everything tfjs stays below it.
 */
import { configProblem, type LoadedConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { loadDataset, type Dataset } from '../data/dataset.js';
import { embeddingInput } from '../model/embedding-input.js';
import { readModelSource, type ModelSource } from '../model/model-source.js';
import { selectBackend, type BackendChoice, type BackendSelection } from './backend.js';
import { buildModel } from '../model/build.js';
import { checkModelMaps, resolveModelIO, type ModelIO } from './model-io.js';
import { assertProbeFits, estimateProbeMemory, outOfMemoryError } from './memory-estimate.js';
import { activationRows } from './evaluation.js';
import { planLayerWalk } from './layer-walk.js';
import { probeLength, runPlan } from './run-plan.js';
import { buildIO, runProbe, type ProbeInput, type StepListener } from './run-probe.js';
import { assertProbeInTime, estimateProbeTime } from './step-time.js';
import { withSeededRandom } from './seeded-random.js';
import type { ProbeTrace } from '../trace/trace.js';

export interface ProbeOptions {
  backend: BackendChoice;
  /** Hears each step of the probe, for a progress line. */
  onStep?: StepListener;
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
  /** Which columns feed which input and output of a model with several. */
  io?: ModelIO;
}

export interface ProbeResult {
  backend: BackendSelection;
  trace: ProbeTrace;
}

export async function loadProbeSubject(loaded: LoadedConfig): Promise<ProbeSubject> {
  const { data } = loaded.config;
  const mapped = data.targetsByOutput !== undefined || data.featuresByInput !== undefined;
  // With maps by layer name, the model's names are checked first (checkModelMaps); else data errors come first, as always.
  const early = mapped ? await readModelSource(loaded) : undefined;
  if (early !== undefined) checkModelMaps(loaded, early);
  const dataset = await loadDataset(loaded);
  const model = early ?? (await readModelSource(loaded));
  const subject = { loaded, dataset, model, io: resolveModelIO(loaded, dataset, model) };
  if (loaded.config.data.normalize !== 'none' && embeddingInput(subject.model.layers) !== undefined)
    throw configProblem(
      loaded,
      ['data', 'normalize'],
      `the features feed an Embedding layer, so they are token ids (row indices of its table); ${loaded.config.data.normalize} would turn them into other tokens. Set data.normalize: none.`,
    );
  return subject;
}

export async function probeSubject(subject: ProbeSubject, options: ProbeOptions): Promise<ProbeResult> {
  const { config } = subject.loaded;
  const backend = await selectBackend(
    options.backend,
    subject.model.layers.map((layer) => layer.type),
  );
  const started = performance.now();
  assertSubjectFits(subject, probeTraining(withOverrides(config, options), subject.model), backend.name);
  return {
    backend,
    trace: probeVariant(
      subject,
      backend.name,
      withBudgetSpent(withOverrides(config, options), (performance.now() - started) / 1000),
      options.seed ?? config.seed,
      options.onStep === undefined ? {} : { onStep: options.onStep },
    ),
  };
}

/** The config with what the checks before the probe took taken off probe.maxSeconds: the budget is for the whole run. */
function withBudgetSpent(config: Config, spentSeconds: number): Config {
  const maxSeconds = Math.max(Number.EPSILON, config.probe.maxSeconds - spentSeconds);
  return { ...config, probe: { ...config.probe, maxSeconds } };
}

/** The config as the command line amends it (--steps). */
export function withOverrides(config: Config, options: Pick<ProbeOptions, 'steps'>): Config {
  return options.steps === undefined ? config : { ...config, probe: { ...config.probe, steps: options.steps } };
}

/** The config a probe trains with: probe.batchSize (when set) for the batches, from_logits as the model file says when the config does not. */
function probeTraining(config: Config, model: ModelSource): Config {
  const withLogits = withModelFromLogits(config, model);
  const { batchSize } = config.probe;
  return batchSize === undefined ? withLogits : { ...withLogits, training: { ...withLogits.training, batchSize } };
}

/**
 * Probes the subject's data under another config: a fixed or searched variant of the user's, whose
 * layers (when it changed them) replace the subject's, or whose graph (`hooks.graph`, when a fix
 * edited a graph model) replaces the subject's graph. The backend must already be selected.
 */
export function probeVariant(
  subject: ProbeSubject,
  backend: string,
  config: Config,
  seed: number,
  hooks: Pick<ProbeInput, 'isLost' | 'onStep' | 'graph' | 'scoresOnly'> = {},
): ProbeTrace {
  const graph = hooks.graph ?? (config.model.layers === undefined ? subject.model.graph : undefined);
  try {
    return runProbe({
      config: probeTraining(config, subject.model),
      dataset: subject.dataset,
      layers: graph?.layers.map(({ spec }) => spec) ?? config.model.layers ?? subject.model.layers,
      describeLayer: subject.model.describeLayer,
      ...(subject.io === undefined ? {} : { io: subject.io }),
      backend,
      seed,
      ...hooks,
      ...(graph === undefined ? {} : { graph }),
    });
  } catch (error) {
    throw outOfMemoryError(error, backend) ?? error;
  }
}

/**
 * Before the first probe: the model is built once to estimate its memory and time one step, and
 * refused with numbers when it cannot fit in memory or in probe.maxSeconds.
 */
function assertSubjectFits({ model, dataset, io }: ProbeSubject, config: Config, backend: string): void {
  withSeededRandom(config.seed, () => {
    const built = buildModel(model.layers, dataset.inputShape, model.describeLayer, model.graph, buildIO(io));
    try {
      const batchRows = Math.min(config.training.batchSize, dataset.train.rows);
      assertProbeFits(estimateProbeMemory(built.layers, config.training, backend, batchRows), backend);
      const evaluationRows = dataset.validation.rows + activationRows(planLayerWalk(built.model), dataset.train.rows);
      const estimate = estimateProbeTime(built.model, { backend, batchRows, evaluationRows }, config.probe.maxSeconds);
      const stepsPlanned = probeLength(config, runPlan(config, dataset.summary));
      assertProbeInTime(estimate, { ...config.probe, stepsPlanned });
    } finally {
      built.model.dispose();
    }
  });
}

/** The config with training.fromLogits taken from the model file when the config does not set it. */
export function withModelFromLogits(config: Config, model: ModelSource): Config {
  const fromLogits = config.training.fromLogits ?? model.fromLogits;
  return fromLogits === config.training.fromLogits
    ? config
    : { ...config, training: { ...config.training, fromLogits } };
}

/** Loads the subject and probes it: for callers that need nothing else. */
export async function probeConfig(loaded: LoadedConfig, options: ProbeOptions): Promise<ProbeResult> {
  return probeSubject(await loadProbeSubject(loaded), options);
}
