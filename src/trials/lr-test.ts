/**
 * An LR range test of a probe subject: the sweep, its analysis and the schedule to decay from the
 * suggested rate over the full run. Shared by `convdoc lr-find` and the lr-schedule trial.
 */
import type { Config } from '../config/schema.js';
import type { ModelGraph } from '../model/model-graph.js';
import { analyzeLrRange, type LrRangeAnalysis } from './lr-range.js';
import { recommendSchedule, type ScheduleRecommendation } from '../fixes/lr-schedule.js';
import { withModelFromLogits, type ProbeSubject } from '../probe/index.js';
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

/** A config variant to test instead of the subject's own: a fix's edits, with its graph when it edited a graph model. */
interface LrTestVariant {
  config: Config;
  graph?: ModelGraph | undefined;
}

export function learningRateTest(
  { loaded, dataset, model, io }: ProbeSubject,
  seed: number,
  steps?: number,
  variant?: LrTestVariant,
): LrTest {
  const config = variant?.config ?? loaded.config;
  const sweep = runLrSweep(
    {
      config: withModelFromLogits(config, model),
      dataset,
      ...sweptModel(model, variant),
      ...(io === undefined ? {} : { io }),
      seed,
    },
    steps === undefined ? {} : { steps },
  );
  const run = runLength(config, dataset.summary.rows);
  const analysis = analyzeLrRange({ ...sweep, runSteps: run.steps });
  return { sweep, analysis, schedule: recommendSchedule(analysis, run), run };
}

/** The model to sweep: the subject's, or as probeVariant builds a variant (its graph, else its layer list). */
function sweptModel(model: ProbeSubject['model'], variant: LrTestVariant | undefined) {
  const { describeLayer } = model;
  const graph =
    variant === undefined
      ? model.graph
      : (variant.graph ?? (variant.config.model.layers === undefined ? model.graph : undefined));
  const layers =
    variant === undefined
      ? model.layers
      : (graph?.layers.map(({ spec }) => spec) ?? variant.config.model.layers ?? model.layers);
  return { layers, describeLayer, ...(graph === undefined ? {} : { graph }) };
}
