/** Runs a probe job (probe-jobs.ts) in this process: the worker's loop and the fallback without workers. */
import { lostCheck } from '../fixes/trial-stats.js';
import { probeVariant, type ProbeSubject } from './index.js';
import { learningRateTest } from './lr-test.js';
import type { JobProgress, JobResult, ProbeExecutor, ProbeJob } from './probe-jobs.js';
import type { StepListener } from './run-probe.js';

export function runJob(subject: ProbeSubject, backend: string, job: ProbeJob, onStep?: StepListener): JobResult {
  if (job.kind === 'lr-test') return { kind: 'lr-test', test: learningRateTest(subject, job.seed) };
  return {
    kind: 'probe',
    trace: probeVariant(subject, backend, job.config, job.seed, {
      ...(job.lost === undefined ? {} : { isLost: lostCheck(job.lost, job.config.probe.steps) }),
      ...(onStep === undefined ? {} : { onStep }),
    }),
  };
}

/** Every job here, one after another. */
export function localExecutor(subject: ProbeSubject, backend: string, progress?: JobProgress): ProbeExecutor {
  return {
    run: async (jobs) => {
      progress?.queued(jobs.length);
      return jobs.map((job) => {
        const result = runJob(subject, backend, job, progress && ((step, steps, loss) => progress.step(job, step, steps, loss)));
        progress?.finished(job);
        return result;
      });
    },
  };
}
