/**
 * The probe runs of --apply-fix as plain data, so that they can run in this process or in a worker
 * process (each with its own tfjs) and give the same traces: a job names a config variant and a
 * seed, never a closure. No tfjs here: the pool that hands jobs out loads before it.
 */
import type { Config } from '../config/schema.js';
import type { ModelGraph } from '../model/model-graph.js';
import type { LostRule } from './trial-stats.js';
import type { LrTest } from './lr-test.js';
import type { ProbeTrace } from '../trace/trace.js';

/**
 * `cost` orders the jobs of a batch, longest first: steps times layers (a fix that inserts
 * batchNormalization layers costs more per step). `label` names the job in progress lines.
 */
export type ProbeJob =
  /** A probe of a config variant; a screening run carries the rule that stops it once clearly lost. */
  | {
      kind: 'probe';
      label: string;
      cost: number;
      config: Config;
      seed: number;
      lost?: LostRule;
      /** The variant's model graph, when a fix edited a graph model. */
      graph?: ModelGraph;
      /** Only the trace a score reads (run-probe.ts): a trial's run, not a baseline whose gradients size a fix. */
      scoresOnly?: boolean;
    }
  /**
   * The LR range test of the subject as the user wrote it, or of a variant (`config`, and `graph`
   * when a fix edited a graph model): the rate a combination starts from is measured on the model
   * and data it trains.
   */
  | { kind: 'lr-test'; label: string; cost: number; seed: number; config?: Config; graph?: ModelGraph };

export type JobResult = { kind: 'probe'; trace: ProbeTrace } | { kind: 'lr-test'; test: LrTest };

/** Runs jobs and returns their results in the jobs' order, wherever they ran. */
export interface ProbeExecutor {
  run(jobs: readonly ProbeJob[]): Promise<JobResult[]>;
}

/** What an executor tells a progress line. Steps are heard only from jobs in this process. */
export interface JobProgress {
  queued(count: number): void;
  step(job: ProbeJob, step: number, steps: number, loss: number): void;
  finished(job: ProbeJob): void;
}

/** Runs one job in this process, telling `onStep` its steps. */
export type RunHere = (job: ProbeJob, onStep?: (step: number, steps: number, loss: number) => void) => JobResult;

/** Runs a job here, telling `progress` its steps and its end. */
export function runTracked(runHere: RunHere, job: ProbeJob, progress?: JobProgress): JobResult {
  const result = runHere(job, progress && ((step, steps, loss) => progress.step(job, step, steps, loss)));
  progress?.finished(job);
  return result;
}

/** Every job in this process, one after another: without worker processes. */
export function inProcess(runHere: RunHere, progress?: JobProgress): ProbeExecutor {
  return {
    // A Promise's executor: the jobs run now, and a job that throws rejects the batch, as in the pool.
    run: (jobs) =>
      new Promise((resolve) => {
        progress?.queued(jobs.length);
        resolve(jobs.map((job) => runTracked(runHere, job, progress)));
      }),
  };
}
