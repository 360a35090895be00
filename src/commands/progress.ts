/**
 * What a long command tells the user while it works: one status text at a time, which the CLI
 * may draw as a redrawn line on a terminal (src/cli/progress.ts) or not at all.
 */
import type { JobProgress } from '../trials/probe-jobs.js';
import type { StepListener } from '../probe/run-probe.js';
import { formatNumber } from '../util/format.js';

export interface StatusLine {
  update(text: string): void;
}

/** The steps of one probe: "baseline probe: step 120/300, loss 23.4". */
export function probeSteps(status: StatusLine, label: string): StepListener {
  return (step, steps, loss) => status.update(`${label}: step ${step}/${steps}, loss ${formatNumber(loss)}`);
}

/**
 * The probes of --apply-fix: how many are done of those handed out so far (later stages add
 * more), and the steps of the one running in this process.
 */
export function trialProbes(status: StatusLine): JobProgress {
  let queued = 0;
  let done = 0;
  const counts = () => `probe ${Math.min(done + 1, queued)}/${queued}`;
  return {
    queued: (count) => {
      queued += count;
    },
    step: (job, step, steps, loss) =>
      status.update(`${counts()} ${job.label}: step ${step}/${steps}, loss ${formatNumber(loss)}`),
    finished: () => {
      done++;
      status.update(`${counts()}`);
    },
  };
}
