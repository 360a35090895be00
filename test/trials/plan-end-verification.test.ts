import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { Dataset } from '../../src/data/dataset.js';
import { readModelSource } from '../../src/model/model-source.js';
import type { RunPlan } from '../../src/trace/trace.js';
import { runTrials } from '../../src/trials/apply-fixes.js';
import type { JobResult, ProbeExecutor, ProbeJob } from '../../src/trials/probe-jobs.js';
import { buildTrace } from '../symptoms/trace-builder.js';

const CHANCE = 80;

/** A 300-step run whose loss falls as a power law from `start` to `end`, with validation along it. */
function falling(start: number, end: number, plan: RunPlan) {
  const exponent = Math.log(end / start) / Math.log(300);
  const loss = (step: number) => start * (step + 1) ** exponent;
  return { ...buildTrace({ loss, steps: 300, evalEvery: 10, valLoss: loss }), chanceLoss: CHANCE, plan };
}

async function normalizeTrial(plan: RunPlan) {
  const loaded = await loadConfig('examples/boston-unscaled/convdoc.yaml');
  const subject = { loaded, dataset: { summary: { rows: 506 } } as Dataset, model: await readModelSource(loaded) };
  const executor: ProbeExecutor = {
    run: (jobs: readonly ProbeJob[]) =>
      Promise.resolve(
        jobs.map((job): JobResult => ({
          kind: 'probe',
          trace: job.label.startsWith('baseline') ? falling(80, 79, plan) : falling(78, 66, plan),
        })),
      ),
  };
  const { trials } = await runTrials(
    {
      subject,
      config: loaded.config,
      baseline: falling(80, 79, plan),
      seed: 42,
      findings: [],
      recommended: [],
      selection: ['normalize'],
    },
    executor,
  );
  return trials.find((trial) => trial.fixes.join() === 'normalize')!;
}

describe('verified means learned by the end of the planned run', () => {
  it('a fix still above 0.8x chance after 300 steps but projected below it by the end of a 20,000-step plan', async () => {
    const trial = await normalizeTrial({ steps: 20_000, source: 'steps' });
    expect(trial.finalLoss).toBeGreaterThan(0.8 * CHANCE);
    expect(trial.projectedLoss).toBeLessThan(0.8 * CHANCE);
    expect(trial.verified).toBe(true);
  });

  it('the same runs when the 300 steps are the whole plan: measured above the line, not verified', async () => {
    const trial = await normalizeTrial({ steps: 300, source: 'steps' });
    expect(trial.projectedLoss).toBeUndefined();
    expect(trial.verified).toBe(false);
  });
});
