/**
 * An LR range test of a probe subject: the sweep, its analysis and the schedule to decay from the
 * suggested rate over the full run. Shared by `convdoc lr-find` and the lr-schedule trial.
 */
import type { Config } from '../config/schema.js';
import { analyzeLrRange, type LrRangeAnalysis } from './lr-range.js';
import { recommendSchedule, type ScheduleRecommendation } from '../fixes/lr-schedule.js';
import type { ProbeSubject } from '../probe/index.js';
import { runLrSweep, type LrSweep } from '../probe/lr-sweep.js';
import { runPlan, trainRows } from '../probe/run-plan.js';

export interface RunLength {
  epochs: number;
  /** Optimizer steps per epoch of the full run: its training rows over the batch size. */
  stepsPerEpoch: number;
  trainRows: number;
  /** The planned run's optimizer steps: `training.steps` when set, else epochs × stepsPerEpoch. */
  steps: number;
}

export interface LrTest {
  sweep: LrSweep;
  analysis: LrRangeAnalysis;
  schedule: ScheduleRecommendation | null;
  run: RunLength;
}

/** The full run's length, in epochs and in the optimizer steps the schedule spans. */
function runLength(config: Config, rows: number): RunLength {
  const trainingRows = trainRows(config, rows);
  return {
    epochs: config.training.epochs,
    stepsPerEpoch: Math.max(1, Math.ceil(trainingRows / config.training.batchSize)),
    trainRows: trainingRows,
    steps: runPlan(config, { rows }).steps,
  };
}

export function learningRateTest({ loaded, dataset, model }: ProbeSubject, seed: number, steps?: number): LrTest {
  const { config } = loaded;
  const sweep = runLrSweep(
    {
      config,
      dataset,
      layers: model.layers,
      ...(model.graph === undefined ? {} : { graph: model.graph }),
      describeLayer: model.describeLayer,
      seed,
    },
    steps === undefined ? {} : { steps },
  );
  const analysis = analyzeLrRange(sweep);
  const run = runLength(config, dataset.summary.rows);
  return { sweep, analysis, schedule: recommendSchedule(analysis, run), run };
}
