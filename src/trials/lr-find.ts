/**
 * The trial of `convdoc lr-find`: one seeded sweep of the config's model, optimizer and data with
 * the rate growing from 1e-7 to 10, the analysis of ./lr-range.ts (steepest descent, fastai's
 * valley, whether they agree), and the config edits that follow: the initial rate and a cosine
 * schedule over the run.
 */
import { keyPosition, type LoadedConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { roundRate, type ScheduleRecommendation } from '../fixes/lr-schedule.js';
import type { ProbeSubject } from '../probe/index.js';
import { LR_SWEEP_DEFAULTS } from '../probe/lr-sweep-rules.js';
import type { LrSweep } from '../probe/lr-sweep.js';
import { withinSuggestedBand, type LrRangeAnalysis } from './lr-range.js';
import { learningRateTest, type RunLength } from './lr-test.js';

/** One config key to change, placed in the config file. */
export interface LrFindEdit {
  key: 'training.learningRate' | 'training.schedule';
  from: unknown;
  to: unknown;
  file: string;
  line: number;
  column: number;
}

/** The trial's part of the result: the sweep, its analysis and the edits. */
export interface LrFindRun extends Omit<LrRangeAnalysis, 'spike'> {
  seed: number;
  optimizer: Config['training']['optimizer'];
  /** The loss's name; with several outputs, theirs joined by " + ". */
  lossName: string;
  sweep: {
    minLr: number;
    maxLr: number;
    stepsPlanned: number;
    stepsRun: number;
    stoppedEarly: LrSweep['stoppedEarly'];
    seconds: number;
  };
  /** The rate of every step that ran. */
  learningRate: number[];
  /** The training loss of every step that ran (a non-finite last value is null in JSON). */
  loss: number[];
  /** The step of a loss spike before the suggested rate (the reason for a warmup), or null. */
  spike: number | null;
  /**
   * What the config has now, and whether its rate lies between the valley and the steepest descent
   * (then it is kept).
   */
  current: { learningRate: number; schedule: Config['training']['schedule']; withinBand: boolean };
  /** The schedule to train with from the suggestion; null without a suggestion. */
  schedule: ScheduleRecommendation | null;
  /** Optimizer steps per epoch of the full training set, and epochs: the run the schedule spans. */
  run: RunLength;
  /**
   * The config edits, in order: the rate (the suggestion rounded to one digit) and the schedule, each
   * left out when the config has it already (a configured rate within the band counts); empty
   * without a suggestion.
   */
  edits: LrFindEdit[];
}

export interface LrFindResult extends LrFindRun {
  command: 'lr-find';
  config: string;
  backend: string;
  backendReason: string;
}

/** Sweeps the subject for `steps` on `seed` and reads the suggestion off it. The backend must already be selected. */
export function findLearningRate(subject: ProbeSubject, seed: number, steps: number): LrFindRun {
  const { loaded } = subject;
  const { config } = loaded;
  const started = performance.now();
  const { sweep, analysis, schedule, run } = learningRateTest(subject, seed, steps);
  const seconds = (performance.now() - started) / 1000;
  // A configured rate already between the two suggestions is kept: only the schedule changes.
  const withinBand = withinSuggestedBand(analysis, config.training.learningRate);
  return {
    seed,
    optimizer: config.training.optimizer,
    lossName: sweep.lossName,
    sweep: {
      minLr: LR_SWEEP_DEFAULTS.minLr,
      maxLr: LR_SWEEP_DEFAULTS.maxLr,
      stepsPlanned: sweep.stepsPlanned,
      stepsRun: sweep.loss.length,
      stoppedEarly: sweep.stoppedEarly,
      seconds,
    },
    learningRate: sweep.learningRate,
    loss: sweep.loss,
    ...analysis,
    current: { learningRate: config.training.learningRate, schedule: config.training.schedule, withinBand },
    schedule,
    run,
    edits:
      analysis.suggested === null || schedule === null
        ? []
        : lrFindEdits(loaded, withinBand ? config.training.learningRate : roundRate(analysis.suggested), schedule),
  };
}

function lrFindEdits(loaded: LoadedConfig, rate: number, schedule: ScheduleRecommendation): LrFindEdit[] {
  const { training } = loaded.config;
  const to = {
    type: schedule.type,
    decaySteps: schedule.decaySteps,
    ...(schedule.warmupSteps > 0 ? { warmupSteps: schedule.warmupSteps } : {}),
  };
  // A key the file leaves out is placed at its parent's first key, or the top of the file.
  const place = (path: string[]) => keyPosition(loaded, path);
  const current = training.schedule;
  const sameSchedule =
    current?.type === 'cosine' &&
    current.decaySteps === to.decaySteps &&
    current.alpha === 0 &&
    current.warmupSteps === schedule.warmupSteps;
  return [
    ...(training.learningRate === rate
      ? []
      : [
          {
            key: 'training.learningRate' as const,
            from: training.learningRate,
            to: rate,
            ...place(['training', 'learningRate']),
          },
        ]),
    ...(sameSchedule
      ? []
      : [{ key: 'training.schedule' as const, from: current, to, ...place(['training', 'schedule']) }]),
  ];
}
