/**
 * The run the user planned, in optimizer steps: what the probe is judged against. Keras' fit takes
 * `ceil(rows / batchSize)` steps per epoch (its last batch is partial), over the training rows left
 * after the validation split.
 */
import type { Config } from '../config/schema.js';
import type { DataSummary } from '../data/summary.js';
import type { RunPlan } from '../trace/trace.js';

export function runPlan(config: Config, summary: Pick<DataSummary, 'rows'>): RunPlan {
  const { training } = config;
  if (training.steps !== undefined) return { steps: training.steps, source: 'steps' };
  const stepsPerEpoch = Math.ceil(Math.max(1, trainRows(config, summary.rows)) / training.batchSize);
  return { steps: training.epochs * stepsPerEpoch, source: 'epochs', epochs: training.epochs, stepsPerEpoch };
}

/** The rows an epoch trains on: every row but the validation split (a validation file leaves all rows to training). */
export function trainRows({ data }: Config, rows: number): number {
  return data.validation === undefined ? rows - Math.floor(rows * data.validationSplit) : rows;
}

/** The steps a probe runs: its budget, or the whole plan when the plan is shorter (then its end is measured). */
export function probeLength(config: Config, plan: RunPlan): number {
  return Math.min(config.probe.steps, plan.steps);
}
