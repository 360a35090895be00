import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { Dataset } from '../../src/data/dataset.js';
import { readModelSource } from '../../src/model/model-source.js';
import type { Config } from '../../src/config/schema.js';
import type { FixId } from '../../src/symptoms/ids.js';
import type { RunPlan } from '../../src/trace/trace.js';
import type { LrTest } from '../../src/trials/lr-test.js';
import { runTrials } from '../../src/trials/apply-fixes.js';
import type { JobResult, ProbeExecutor, ProbeJob } from '../../src/trials/probe-jobs.js';
import { buildTrace } from '../symptoms/trace-builder.js';
import { CHEAP_LAYERS } from './cheap-layers.js';

const CHANCE = 80;

/** A run of `steps` steps whose loss falls as a power law from `start` to `end`, with validation along it. */
function falling(start: number, end: number, plan: RunPlan, steps = 300) {
  const exponent = Math.log(end / start) / Math.log(steps);
  const loss = (step: number) => start * (step + 1) ** exponent;
  return { ...buildTrace({ loss, steps, evalEvery: 10, valLoss: loss }), chanceLoss: CHANCE, plan };
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

/** The loss a fix's run of `steps` steps ends at, by fix: its runs fall from 78 to it (the baseline's from 80 to 79). */
type EndsBySteps = Record<string, (steps: number) => number>;

/**
 * Trials of `selection` on a cheap run (5 seeds, a second look) of a `planSteps`-step plan, each
 * fix's runs ending at what `ends` gives for their steps. Returns the probe jobs that ran with
 * their steps and schedule.
 */
async function cheapTrials(planSteps: number, selection: FixId[], ends: EndsBySteps) {
  const loaded = await loadConfig('examples/boston-unscaled/convdoc.yaml');
  const subject = { loaded, dataset: { summary: { rows: 506 } } as Dataset, model: await readModelSource(loaded) };
  const plan: RunPlan = { steps: planSteps, source: 'steps' };
  const rangeTest = {
    analysis: { suggested: 0.01, spike: 3, smoothed: [], window: { burnIn: 0 }, steepest: null, valley: null },
    schedule: { type: 'cosine', decaySteps: planSteps, alpha: 0, warmupSteps: 0 },
    sweep: { learningRate: [], loss: [] },
  } as unknown as LrTest;
  const ran: { label: string; steps: number; schedule: Config['training']['schedule'] }[] = [];
  const executor: ProbeExecutor = {
    run: (jobs: readonly ProbeJob[]) =>
      Promise.resolve(
        jobs.map((job): JobResult => {
          if (job.kind === 'lr-test') return { kind: 'lr-test', test: rangeTest };
          const steps = job.config.probe.steps;
          ran.push({ label: job.label, steps, schedule: job.config.training.schedule });
          if (job.label.startsWith('baseline')) return { kind: 'probe', trace: falling(80, 79, plan, steps) };
          const end = ends[job.label.split(' ')[0]!]!;
          return { kind: 'probe', trace: falling(78, end(steps), plan, steps) };
        }),
      ),
  };
  const baseline = { ...falling(80, 79, plan), layers: CHEAP_LAYERS };
  const common = { subject, config: loaded.config, baseline, seed: 42, findings: [], recommended: [] };
  const { trials, trialBudget } = await runTrials({ ...common, selection }, executor);
  const trialOf = (fixes: string) => trials.find((entry) => entry.fixes.join('+') === fixes)!;
  return { trials, trialOf, trialBudget, ran };
}

/**
 * `normalize` on a cheap run of an 8000-step plan: 300 steps leave it just below the baseline (74
 * against 79, chance 80, the learned line 64), and a run of `learnedBy` steps or more ends at 30.
 */
async function slowFixTrials(learnedBy: number) {
  const { trialOf, trialBudget, ran } = await cheapTrials(8000, ['normalize'], {
    normalize: (steps) => (steps >= learnedBy ? 30 : 74),
  });
  return { trial: trialOf('normalize'), trialBudget, horizons: ran.map(({ steps }) => steps) };
}
describe('a fix better but still at chance where the trial stopped, on a plan longer than the trial', () => {
  it('runs again with the baseline on the same seeds over a longer horizon, and is verified there at 1/32', async () => {
    const { trial, trialBudget, horizons } = await slowFixTrials(700);
    // 16 + 8 runs of 300 steps of budget: one more holds the trial and the baseline on 5 seeds over 720 steps.
    expect(horizons.filter((steps) => steps === 720)).toHaveLength(10);
    expect(trial).toMatchObject({ horizonSteps: 720, seeds: 5, betterSeeds: 5, testLevel: 1 / 32, verified: true });
    expect(trial.finalLoss).toBeLessThan(0.8 * CHANCE);
    expect(trialBudget?.longerLook).toEqual({ horizon: 720, fixes: ['normalize'], level: 1 / 32, steps: 7200 });
    expect(trialBudget?.steps).toBe(2 * 7200);
  });

  it('stays unverified when the fix has not learned by the longer horizon either', async () => {
    const { trial } = await slowFixTrials(1000);
    expect(trial).toMatchObject({ horizonSteps: 720, verified: false });
  });
});

describe('the longer look runs only when no finalist is verified at the first look', () => {
  it("a fix verified in the trial's 300 steps: the slow one is not run again over 720 (the advice would not change)", async () => {
    const { trialOf, trialBudget, ran } = await cheapTrials(8000, ['normalize', 'clip'], {
      normalize: (steps) => (steps >= 700 ? 20 : 60),
      clip: (steps) => (steps >= 700 ? 30 : 74),
      'normalize+clip': () => 76,
    });
    expect(trialOf('normalize')).toMatchObject({ verified: true });
    expect(trialOf('clip').horizonSteps).toBeUndefined();
    expect(trialBudget?.longerLook).toBeUndefined();
    expect(ran.filter(({ steps }) => steps !== 300)).toEqual([]);
  });
});

describe('the schedule a longer look reports is the one its runs used', () => {
  const slowSchedule: EndsBySteps = { 'lr-schedule': (steps) => (steps >= 450 ? 30 : 74) };
  const longerRuns = (ran: Awaited<ReturnType<typeof cheapTrials>>['ran'], steps: number) =>
    ran.filter((entry) => entry.label.startsWith('lr-schedule') && entry.steps === steps);

  it("over the whole plan nothing is compressed: no compressedSchedule, the runs used the plan's schedule", async () => {
    const { trialOf, ran } = await cheapTrials(500, ['lr-schedule'], slowSchedule);
    const trial = trialOf('lr-schedule');
    expect(trial).toMatchObject({ horizonSteps: 500, verified: true });
    expect(trial.compressedSchedule).toBeUndefined();
    // The trial's 300-step runs ran the plan's cosine compressed by 300/500; the 500-step runs ran it whole.
    const whole = longerRuns(ran, 500)[0]?.schedule;
    const compressed = longerRuns(ran, 300)[0]?.schedule;
    expect(whole?.type === 'cosine' && compressed?.type === 'cosine').toBe(true);
    if (whole?.type === 'cosine' && compressed?.type === 'cosine')
      expect(whole.decaySteps).toBe((compressed.decaySteps * 500) / 300);
  });

  it('short of the plan: compressed to the longer horizon, as its runs used it', async () => {
    const { trialOf, ran } = await cheapTrials(8000, ['lr-schedule'], slowSchedule);
    const trial = trialOf('lr-schedule');
    expect(trial.horizonSteps).toBe(720);
    expect(trial.compressedSchedule).toMatchObject({ trialSteps: 720, plannedSteps: 8000 });
    expect(trial.compressedSchedule?.measured).toEqual(longerRuns(ran, 720)[0]?.schedule);
  });
});
