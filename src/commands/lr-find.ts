/**
 * `convdoc lr-find <config>`: checks the options, loads the probe subject, selects the backend and
 * runs the LR range test of src/trials/lr-find.ts. Returns plain data; the CLI renders it.
 */
import { loadConfig } from '../config/load.js';
import { startSubject } from './subject-start.js';
import type { PlannedOutput } from '../util/output-check.js';
import { UsageError } from '../errors.js';
import type { BackendChoice } from '../probe/backend.js';
import { LR_SWEEP_DEFAULTS } from '../probe/lr-sweep-rules.js';
import { findLearningRate, type LrFindResult } from '../trials/lr-find.js';

export interface LrFindOptions {
  backend: BackendChoice;
  /** Overrides the config's seed. */
  seed?: number;
  /** Steps of the sweep (default 100). */
  steps?: number;
  /** The files the caller will write the result to: checked before the probe runs. */
  outputs?: readonly PlannedOutput[];
}

/** Fewer steps leave the burn-in, the warm-up and the slope window (10% + 10% + 13 of 100) too little to work with. */
export const MIN_LR_FIND_STEPS = 30;

export async function lrFind(configFile: string, options: LrFindOptions): Promise<LrFindResult> {
  const steps = options.steps ?? LR_SWEEP_DEFAULTS.steps;
  if (!Number.isInteger(steps) || steps < MIN_LR_FIND_STEPS)
    throw new UsageError(
      `--steps must be a whole number of at least ${MIN_LR_FIND_STEPS} for an LR range test (got ` +
        `${steps}); the default is ${LR_SWEEP_DEFAULTS.steps}.`,
    );
  const loaded = await loadConfig(configFile);
  const { subject, backend } = await startSubject(loaded, options.outputs, options.backend);
  return {
    command: 'lr-find',
    config: configFile,
    backend: backend.name,
    backendReason: backend.reason,
    ...findLearningRate(subject, options.seed ?? loaded.config.seed, steps),
  };
}
