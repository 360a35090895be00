import { describe, expect, it } from 'vitest';
import { fitsBudget, planTrials, secondsPerStep } from '../../src/trials/trial-budget.js';
import type { FixId } from '../../src/symptoms/ids.js';

const CANDIDATES: FixId[][] = [['normalize'], ['clip'], ['batchnorm'], ['normalize', 'clip', 'batchnorm']];
const SHAPE = { otherSeeds: 2, finalists: 3, rangeTestSteps: () => 0 };

describe('planTrials', () => {
  it.each([
    // [seconds per run, candidates kept, estimated seconds]: 2 baseline seeds + screening + up to 3 finalists × 2 seeds.
    { runSeconds: 0, kept: 4, estimated: 0 },
    { runSeconds: 10, kept: 4, estimated: 10 * (2 + 4 + 6) },
    { runSeconds: 27, kept: 3, estimated: 27 * (2 + 3 + 6) },
    { runSeconds: 30, kept: 2, estimated: 30 * (2 + 2 + 4) },
    { runSeconds: 50, kept: 1, estimated: 50 * (2 + 1 + 2) },
    { runSeconds: 61, kept: 0, estimated: 61 * 2 },
  ])('at $runSeconds s per run keeps $kept', ({ runSeconds, kept, estimated }) => {
    const plan = planTrials(CANDIDATES, runSeconds, runSeconds / 300, SHAPE, 300);
    expect(plan.kept).toEqual(CANDIDATES.slice(0, kept));
    expect(plan.budget.estimatedSeconds).toBeCloseTo(estimated, 9);
    expect(plan.budget.skipped.map(({ fixes }) => fixes)).toEqual(CANDIDATES.slice(kept));
  });

  it('counts the LR range test only when a kept candidate needs it', () => {
    const rangeTestSteps = (kept: readonly FixId[][]) => (kept.some((fixes) => fixes.includes('clip')) ? 100 : 0);
    const plan = planTrials([['normalize'], ['clip']], 10, 1, { ...SHAPE, rangeTestSteps }, 1000);
    expect(plan.budget.estimatedSeconds).toBe(10 * (2 + 2 + 4) + 100);
  });
});

describe('fitsBudget', () => {
  it('adds runs that fit to the estimate and names the ones that do not', () => {
    const budget = { seconds: 100, estimatedSeconds: 60, skipped: [] };
    expect(fitsBudget(budget, ['normalize', 'clip'], 3, 10)).toBe(true);
    expect(fitsBudget(budget, ['normalize', 'batchnorm'], 3, 10)).toBe(false);
    expect(budget).toMatchObject({ estimatedSeconds: 90, skipped: [{ fixes: ['normalize', 'batchnorm'] }] });
  });
});

describe('secondsPerStep', () => {
  it('divides by the steps run, at least one', () => {
    expect(secondsPerStep({ seconds: 3, stepsRun: 300 })).toBe(0.01);
    expect(secondsPerStep({ seconds: 3, stepsRun: 0 })).toBe(3);
  });
});
