import { describe, expect, it } from 'vitest';
import {
  budgetSteps,
  CHEAP_TRIAL_SEEDS,
  DEFAULT_TRIAL_SEEDS,
  fitsBudget,
  planTrials,
  runMultiplyAdds,
  runSteps,
  trialSeeds,
} from '../../src/trials/trial-budget.js';
import type { FixId } from '../../src/symptoms/ids.js';
import type { Config } from '../../src/config/schema.js';

const CANDIDATES: FixId[][] = [['normalize'], ['clip'], ['batchnorm'], ['normalize', 'clip', 'batchnorm']];
const SHAPE = { otherSeeds: 2, finalists: 3, rangeTestSteps: () => 0 };

describe('planTrials', () => {
  it.each([
    // [budget in runs of 300 steps, candidates kept, estimated runs]: 2 baseline seeds + screening + up to 3 finalists × 2 seeds.
    { runs: 12, kept: 4, estimated: 2 + 4 + 6 },
    { runs: 11, kept: 3, estimated: 2 + 3 + 6 },
    { runs: 10, kept: 2, estimated: 2 + 2 + 4 },
    { runs: 7, kept: 1, estimated: 2 + 1 + 2 },
    { runs: 4, kept: 0, estimated: 2 },
  ])('in $runs runs keeps $kept', ({ runs, kept, estimated }) => {
    const plan = planTrials(CANDIDATES, 300, SHAPE, runs * 300);
    expect(plan.kept).toEqual(CANDIDATES.slice(0, kept));
    expect(plan.budget).toMatchObject({ steps: runs * 300, estimatedSteps: estimated * 300 });
    expect(plan.budget.skipped.map(({ fixes }) => fixes)).toEqual(CANDIDATES.slice(kept));
  });

  it('counts the LR range test only when a kept candidate needs it', () => {
    const rangeTestSteps = (kept: readonly FixId[][]) => (kept.some((fixes) => fixes.includes('clip')) ? 100 : 0);
    const plan = planTrials([['normalize'], ['clip']], 10, { ...SHAPE, rangeTestSteps }, 1000);
    expect(plan.budget.estimatedSteps).toBe(10 * (2 + 2 + 4) + 100);
  });

  it('keeps every candidate of a default plan, whatever the run length', () => {
    for (const steps of [50, 300, 5000])
      expect(planTrials(CANDIDATES, steps, { ...SHAPE, rangeTestSteps: () => 100 }).kept).toEqual(CANDIDATES);
  });
});

describe('fitsBudget', () => {
  it('adds steps that fit to the estimate and names the ones that do not', () => {
    const budget = { steps: 100, estimatedSteps: 60, skipped: [] };
    expect(fitsBudget(budget, ['normalize', 'clip'], 30, 10)).toBe(true);
    expect(fitsBudget(budget, ['normalize', 'batchnorm'], 30, 10)).toBe(false);
    expect(budget).toMatchObject({
      estimatedSteps: 90,
      skipped: [{ fixes: ['normalize', 'batchnorm'], why: expect.stringMatching(/^not measured: 3 runs of 10 steps/) }],
    });
  });
});

describe('runSteps and budgetSteps', () => {
  it.each([
    { probeSteps: 300, plan: 1000, steps: 300 },
    { probeSteps: 300, plan: 120, steps: 120 },
    { probeSteps: 300, plan: undefined, steps: 300 },
  ])('probe.steps $probeSteps and a plan of $plan steps: $steps', ({ probeSteps, plan, steps }) => {
    const config = { probe: { steps: probeSteps } } as Config;
    expect(runSteps(config, plan === undefined ? {} : { plan: { steps: plan, source: 'steps' } })).toBe(steps);
  });

  it('gives 16 runs', () => {
    expect(budgetSteps(300)).toBe(16 * 300);
  });
});

describe('trialSeeds: more paired seeds only where runs are cheap', () => {
  const dense = (units: number, inputs: number) => ({
    name: `dense_${units}`,
    type: 'dense',
    activation: 'relu',
    outputShape: [null, units],
    params: units * (inputs + 1),
  });
  const mlp = [dense(784, 784), dense(50, 784), dense(10, 50)];
  const tiny = [dense(12, 3), dense(3, 12), dense(1, 3)];
  const config = (batchSize: number, seeds?: number) =>
    ({ probe: { steps: 300, ...(seeds === undefined ? {} : { seeds }) }, training: { batchSize } }) as Config;
  it.each([
    {
      name: 'the 784-784-50-10 MLP, batch 32: 3 seeds',
      layers: mlp,
      batch: 32,
      seeds: DEFAULT_TRIAL_SEEDS,
      extraRuns: 0,
    },
    { name: 'a 3-12-3-1 network, batch 1: 5 seeds', layers: tiny, batch: 1, seeds: CHEAP_TRIAL_SEEDS, extraRuns: 8 },
    { name: 'layers unknown: 3 seeds', layers: [], batch: 1, seeds: DEFAULT_TRIAL_SEEDS, extraRuns: 0 },
  ])('$name', ({ layers, batch, seeds, extraRuns }) => {
    const chosen = trialSeeds(config(batch), { layers }, 3);
    expect(chosen).toMatchObject({ seeds, extraRuns });
    expect(chosen.reason === undefined).toBe(extraRuns === 0);
  });

  it('probe.seeds set by the user wins, with no extra budget', () => {
    expect(trialSeeds(config(1, 2), { layers: tiny }, 3)).toEqual({ seeds: 2, extraRuns: 0 });
  });

  it('counts a convolution at each output position', () => {
    const conv = { name: 'c', type: 'conv2d', activation: 'relu', outputShape: [null, 26, 26, 8], params: 80 };
    expect(runMultiplyAdds(config(1), { layers: [conv] })).toBe(300 * 80 * 26 * 26);
  });
});
