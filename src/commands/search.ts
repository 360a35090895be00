/**
 * `convdoc search <config>`: settles the plan from the options (the trials, the budget and the
 * halving schedule they give), loads the probe subject, selects the backend and runs the search of
 * src/trials/search.ts. Returns plain data; the CLI renders it.
 */
import { loadConfig } from '../config/load.js';
import { startSubject } from './subject-start.js';
import type { PlannedOutput } from '../util/output-check.js';
import type { Config } from '../config/schema.js';
import { UsageError } from '../errors.js';
import type { BackendChoice } from '../probe/backend.js';
import { runSearch, type SearchPlan, type SearchResult } from '../trials/search.js';
import { DEFAULT_ETA, halvingRungs } from '../trials/search-space.js';
import { probeSteps, type StatusLine } from './progress.js';

export interface SearchOptions {
  backend: BackendChoice;
  /** Candidates in the first rung (default 12). */
  trials?: number;
  /** Probe steps in all, for the search and for the random baseline alike (default trials × probe.steps / 2). */
  budget?: number;
  /** Overrides the config's seed: of sampling and of every search run. */
  seed?: number;
  /** Where to say which run is going. */
  status?: StatusLine;
  /** The files the caller will write the result to: checked before the probe runs. */
  outputs?: readonly PlannedOutput[];
}

export const DEFAULT_SEARCH_TRIALS = 12;
/** The default budget, as a share of running every trial at full length. */
export const DEFAULT_BUDGET_FRACTION = 0.5;
/** A first rung shorter than this per trial measures little but the initialisation. */
export const MIN_RUNG_STEPS = 10;

export async function search(configFile: string, options: SearchOptions): Promise<SearchResult> {
  const loaded = await loadConfig(configFile);
  const plan = searchPlan(loaded.config, options);
  const { subject, backend } = await startSubject(loaded, options.outputs, options.backend);
  const { status } = options;
  const progress = status === undefined ? undefined : (label: string) => probeSteps(status, label);
  return {
    command: 'search',
    config: configFile,
    backend: backend.name,
    backendReason: backend.reason,
    ...runSearch(subject, backend.name, plan, progress),
  };
}

/** The options checked and turned into a plan; a budget too small for a useful first rung is a usage error. */
function searchPlan(config: Config, options: SearchOptions): SearchPlan {
  const trials = options.trials ?? DEFAULT_SEARCH_TRIALS;
  const fullSteps = config.probe.steps;
  const budget = options.budget ?? Math.round(trials * fullSteps * DEFAULT_BUDGET_FRACTION);
  if (!Number.isInteger(trials) || trials < 1)
    throw new UsageError(`--trials must be a whole number >= 1 (got ${trials}).`);
  if (!Number.isInteger(budget) || budget < 1)
    throw new UsageError(`--budget must be a whole number of probe steps >= 1 (got ${budget}).`);
  const eta = DEFAULT_ETA;
  const rungs = halvingRungs(trials, budget, eta, fullSteps);
  if (rungs[0]!.steps < MIN_RUNG_STEPS) {
    const needed = rungs.length * trials * MIN_RUNG_STEPS;
    throw new UsageError(
      `--budget ${budget} gives the first rung ${rungs[0]!.steps} steps per trial; ` +
        `at least ${MIN_RUNG_STEPS} are needed: use --budget ${needed} or more, or fewer --trials.`,
    );
  }
  return { seed: options.seed ?? config.seed, eta, budget, fullSteps, rungs };
}
