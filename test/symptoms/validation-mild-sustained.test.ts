import { describe, expect, it } from 'vitest';
import { MILD_PATIENCE } from '../../src/symptoms/validation-mild-rise.js';
import { mildSustainedRise } from '../../src/symptoms/validation-mild-sustained.js';
import { LOG_VALIDATION_RISE } from '../../src/symptoms/validation-rise.js';
import { afterBest, evaluations } from './epoch-log.js';
import { jitter } from './trace-builder.js';

/** Falls to 0.5 at epoch 10, rises by `rise` of it over the next three epochs, then stays there (±`noise`). */
const levelsOff =
  (rise: number, noise = 0) =>
  (epoch: number) =>
    (epoch <= 10 ? 1 - epoch / 20 : 0.5 * (1 + (rise * Math.min(epoch - 10, 3)) / 3)) * (1 + noise * jitter(epoch));

/** Bench log 411's eval loss (docs/log-benchmark-12b.md), every 500 steps: best at step 2500, +1.2% at the end. */
const LOG_411 = [1.9394, 1.9079, 1.894, 1.8913, 1.8792, 1.8886, 1.8998, 1.9075, 1.9048, 1.9053, 1.9017];

describe('mildSustainedRise', () => {
  it.each([
    {
      name: 'rises 3% in three epochs after its best, then levels off for 17',
      points: evaluations(30, levelsOff(0.03)),
    },
    { name: 'the same with ±0.2% evaluation noise', points: evaluations(30, levelsOff(0.03, 0.002)) },
    {
      name: "bench log 411's eval loss: up 1.2%, falling back a little at the end",
      points: LOG_411.map((loss, k) => ({ step: 500 * (k + 1), loss })),
    },
  ])('must trigger: $name', ({ points }) => {
    const rise = mildSustainedRise(points);
    expect(rise).not.toBeNull();
    expect(rise!.rise).toBeLessThan(LOG_VALIDATION_RISE);
    expect(rise!.level - rise!.best.loss).toBeGreaterThan(rise!.noise);
    expect(rise!.since).toBeGreaterThanOrEqual(MILD_PATIENCE);
  });

  it.each([
    {
      name: 'a converged run: flat validation loss with ±2% noise for 30 epochs after the fall',
      points: evaluations(40, afterBest(0, 0.02)),
    },
    { name: `fewer than ${MILD_PATIENCE} evaluations after the best`, points: evaluations(12, levelsOff(0.03)) },
    { name: 'a rise to GL_5 or more (validation-rise.ts judges it)', points: evaluations(30, levelsOff(0.08)) },
    {
      name: 'one of the last three evaluations back at the best',
      points: evaluations(30, (epoch) => (epoch === 29 ? 0.5 : levelsOff(0.03)(epoch))),
    },
    { name: 'a rise no larger than the evaluation noise', points: evaluations(30, levelsOff(0.005, 0.01)) },
    { name: 'still falling at the end', points: evaluations(30, (epoch) => 1 / epoch) },
  ])('must not trigger: $name', ({ points }) => {
    expect(mildSustainedRise(points)).toBeNull();
  });
});
