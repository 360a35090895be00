/** Runs a probe job (probe-jobs.ts) in this process: in a worker, or in the command's own process. */
import type { Config } from '../config/schema.js';
import { lostCheck } from './trial-stats.js';
import { probeVariant, type ProbeSubject } from '../probe/index.js';
import { learningRateTest } from './lr-test.js';
import type { JobResult, ProbeJob } from './probe-jobs.js';
import type { StepListener } from '../probe/run-probe.js';

export function runJob(subject: ProbeSubject, backend: string, job: ProbeJob, onStep?: StepListener): JobResult {
  if (job.kind === 'lr-test') {
    const variant = job.config === undefined ? undefined : { config: job.config, graph: job.graph };
    return { kind: 'lr-test', test: learningRateTest(subject, job.seed, undefined, variant) };
  }
  return {
    kind: 'probe',
    trace: probeVariant(subject, backend, unclocked(job.config), job.seed, {
      ...(job.lost === undefined ? {} : { isLost: lostCheck(job.lost, job.config.probe.steps) }),
      ...(onStep === undefined ? {} : { onStep }),
      ...(job.graph === undefined ? {} : { graph: job.graph }),
      ...(job.scoresOnly === true ? { scoresOnly: true } : {}),
    }),
  };
}

/**
 * A trial runs every step its job plans, however long they take: its steps were fixed from the
 * baseline's (the trials' budget counts them), and a run stopped by the clock would be scored on
 * fewer steps on a busier machine, so the same config and seed could give another report.
 */
function unclocked(config: Config): Config {
  return { ...config, probe: { ...config.probe, maxSeconds: Number.POSITIVE_INFINITY } };
}
