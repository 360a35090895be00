import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import type { Dataset } from '../../src/data/dataset.js';
import { readModelSource } from '../../src/model/model-source.js';
import { runPlan } from '../../src/probe/run-plan.js';
import { runTrials } from '../../src/trials/apply-fixes.js';
import { compressSchedule } from '../../src/trials/compress-schedule.js';
import type { LrTest } from '../../src/trials/lr-test.js';
import type { JobResult, ProbeExecutor, ProbeJob } from '../../src/trials/probe-jobs.js';
import { buildTrace, decay } from '../symptoms/trace-builder.js';

type Schedule = NonNullable<Config['training']['schedule']>;

async function exampleConfig(): Promise<Config> {
  return (await loadConfig('examples/boston-unscaled/convdoc.yaml')).config;
}

const withSchedule = (config: Config, schedule: Schedule | null): Config => ({
  ...config,
  training: { ...config.training, schedule },
});

describe('compressSchedule: a schedule written for the plan, run in a shorter trial', () => {
  const cosine: Schedule = { type: 'cosine', decaySteps: 140_000, alpha: 0, warmupSteps: 7000 };
  it.each<{ name: string; schedule: Schedule; trial: number; plan: number; measured: Schedule | null }>([
    {
      name: 'cosine with warmup: both scaled by trial / plan',
      schedule: cosine,
      trial: 300,
      plan: 140_000,
      measured: { type: 'cosine', decaySteps: 300, alpha: 0, warmupSteps: 15 },
    },
    {
      name: 'exponential: its decay steps, at least one step',
      schedule: { type: 'exponential', decaySteps: 100, decayRate: 0.9, warmupSteps: 0 },
      trial: 300,
      plan: 100_000,
      measured: { type: 'exponential', decaySteps: 1, decayRate: 0.9, warmupSteps: 0 },
    },
    {
      name: 'step: its step size',
      schedule: { type: 'step', stepSize: 3000, gamma: 0.5, warmupSteps: 0 },
      trial: 300,
      plan: 9000,
      measured: { type: 'step', stepSize: 100, gamma: 0.5, warmupSteps: 0 },
    },
    {
      name: 'a plan no longer than the trial: as written',
      schedule: { type: 'cosine', decaySteps: 25, alpha: 0, warmupSteps: 0 },
      trial: 25,
      plan: 25,
      measured: null,
    },
    {
      name: 'plateau without warmup counts evaluations: as written',
      schedule: {
        type: 'plateau',
        factor: 0.1,
        patience: 10,
        minDelta: 1e-4,
        minLearningRate: 0,
        warmupSteps: 0,
      },
      trial: 300,
      plan: 30_000,
      measured: null,
    },
  ])('$name', async ({ schedule, trial, plan, measured }) => {
    const baseline = withSchedule(await exampleConfig(), null);
    const variant = withSchedule(baseline, schedule);
    const { config, compressed } = compressSchedule(variant, baseline, trial, plan);
    expect(compressed?.measured ?? null).toEqual(measured);
    expect(config.training.schedule).toEqual(measured ?? schedule);
    if (measured !== null) expect(compressed).toMatchObject({ trialSteps: trial, plannedSteps: plan });
  });

  it("leaves the user's own schedule as the user will run it", async () => {
    const baseline = withSchedule(await exampleConfig(), cosine);
    const variant = { ...baseline, training: { ...baseline.training, learningRate: 0.5 } };
    expect(compressSchedule(variant, baseline, 300, 140_000)).toEqual({ config: variant });
  });
});

describe('runTrials: the lr-schedule trial runs its schedule compressed, the report says so', () => {
  it('probes the planned cosine schedule in 300 steps and records what it measured', async () => {
    const loaded = await loadConfig('examples/boston-unscaled/convdoc.yaml');
    const config = loaded.config;
    const plan = runPlan(config, { rows: 506 });
    expect(plan.steps).toBeGreaterThan(config.probe.steps);
    const suggestion = {
      analysis: {
        suggested: 0.01,
        spike: 3,
        smoothed: [],
        window: { burnIn: 0 },
        steepest: null,
        valley: null,
      },
      schedule: { type: 'cosine', decaySteps: plan.steps, alpha: 0, warmupSteps: Math.round(plan.steps / 20) },
      sweep: { learningRate: [], loss: [] },
    } as unknown as LrTest;
    const scheduled: Schedule[] = [];
    const executor: ProbeExecutor = {
      run: (jobs: readonly ProbeJob[]) =>
        Promise.resolve(
          jobs.map((job): JobResult => {
            if (job.kind === 'lr-test') return { kind: 'lr-test', test: suggestion };
            if (job.config.training.schedule !== null) scheduled.push(job.config.training.schedule);
            const trace = buildTrace({
              loss: decay(100, 10, 30),
              steps: 300,
              evalEvery: 100,
              valLoss: [90, 50, 20, 10],
            });
            return { kind: 'probe', trace: { ...trace, plan } };
          }),
        ),
    };
    const subject = { loaded, dataset: { summary: { rows: 506 } } as Dataset, model: await readModelSource(loaded) };
    const baseline = { ...buildTrace({ loss: decay(100, 50, 30), steps: 300 }), chanceLoss: 80, plan };
    const { trials } = await runTrials(
      { subject, config, baseline, seed: 42, findings: [], recommended: [], selection: ['lr-schedule'] },
      executor,
    );
    const warmup = Math.round((Math.round(plan.steps / 20) * 300) / plan.steps);
    const measured = { type: 'cosine', decaySteps: 300, alpha: 0, warmupSteps: warmup };
    expect(scheduled.length).toBeGreaterThan(0);
    for (const schedule of scheduled) expect(schedule).toEqual(measured);
    const trial = trials.find((entry) => entry.fixes.join() === 'lr-schedule')!;
    expect(trial.compressedSchedule).toEqual({ trialSteps: 300, plannedSteps: plan.steps, measured });
  });
});
