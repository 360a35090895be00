/**
 * The probe runs of --apply-fix as plain data, so that they can run in this process or in a worker
 * process (each with its own tfjs) and give the same traces: a job names a config variant and a
 * seed, never a closure.
 */
import type { Config } from '../config/schema.js';
import { lostCheck, type LostRule } from '../fixes/trial-stats.js';
import { probeVariant, type ProbeSubject } from './index.js';
import { learningRateTest, type LrTest } from './lr-test.js';
import type { ProbeTrace } from './trace.js';

export type ProbeJob =
  /** A probe of a config variant; a screening run carries the rule that stops it once clearly lost. */
  | { kind: 'probe'; config: Config; seed: number; lost?: LostRule }
  /** The LR range test of the subject as the user wrote it. */
  | { kind: 'lr-test'; seed: number };

export type JobResult = { kind: 'probe'; trace: ProbeTrace } | { kind: 'lr-test'; test: LrTest };

/** Runs jobs and returns their results in the jobs' order, wherever they ran. */
export interface ProbeExecutor {
  run(jobs: readonly ProbeJob[]): Promise<JobResult[]>;
}

export function runJob(subject: ProbeSubject, backend: string, job: ProbeJob): JobResult {
  if (job.kind === 'lr-test') return { kind: 'lr-test', test: learningRateTest(subject, job.seed) };
  const isLost = job.lost === undefined ? undefined : lostCheck(job.lost, job.config.probe.steps);
  return { kind: 'probe', trace: probeVariant(subject, backend, job.config, job.seed, isLost) };
}

/** Every job here, one after another. */
export function localExecutor(subject: ProbeSubject, backend: string): ProbeExecutor {
  return { run: async (jobs) => jobs.map((job) => runJob(subject, backend, job)) };
}
