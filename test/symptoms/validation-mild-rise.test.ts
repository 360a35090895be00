import { describe, expect, it } from 'vitest';
import { MILD_PATIENCE, mildValidationRise } from '../../src/symptoms/validation-mild-rise.js';
import { LOG_VALIDATION_RISE } from '../../src/symptoms/validation-rise.js';
import { afterBest, evaluations } from './epoch-log.js';

describe('mildValidationRise', () => {
  it.each([
    {
      name: '30 epochs drifting 0.2% an epoch after epoch 10 (+4% at the end)',
      points: evaluations(30, afterBest(0.002)),
    },
    {
      name: 'the same drift with ±0.05% evaluation noise',
      points: evaluations(30, afterBest(0.002, 0.0005)),
    },
    {
      name: `exactly ${MILD_PATIENCE} evaluations after the best, each higher`,
      points: evaluations(13, afterBest(0.01)),
    },
  ])('must trigger: $name', ({ points }) => {
    const rise = mildValidationRise(points);
    expect(rise).not.toBeNull();
    expect(rise!.rise).toBeLessThan(LOG_VALIDATION_RISE);
    expect(rise!.last.loss - rise!.best.loss).toBeGreaterThan(rise!.noise);
    expect(rise!.since).toBeGreaterThanOrEqual(MILD_PATIENCE);
  });

  it.each([
    {
      name: 'a converged run: flat validation loss with ±2% noise for 30 epochs after the fall',
      points: evaluations(40, afterBest(0, 0.02)),
    },
    { name: `fewer than ${MILD_PATIENCE} evaluations after the best`, points: evaluations(12, afterBest(0.01)) },
    { name: 'a rise of GL_5 or more (validation-rise.ts judges it)', points: evaluations(30, afterBest(0.005)) },
    { name: 'a rise no larger than the evaluation noise', points: evaluations(30, afterBest(0.0002, 0.01)) },
    { name: 'still falling at the end', points: evaluations(30, (epoch) => 1 / epoch) },
  ])('must not trigger: $name', ({ points }) => {
    expect(mildValidationRise(points)).toBeNull();
  });
});
