import { describe, expect, it } from 'vitest';
import { MILD_PATIENCE, mildValidationRise } from '../../src/symptoms/validation-mild-rise.js';
import { LOG_VALIDATION_RISE } from '../../src/symptoms/validation-rise.js';
import { jitter } from './trace-builder.js';

/** Per-epoch evaluations 1..epochs of `loss(epoch)`. */
function evaluations(epochs: number, loss: (epoch: number) => number) {
  return Array.from({ length: epochs }, (_, k) => ({ step: k + 1, loss: loss(k + 1) }));
}

/** Falls to 0.5 at epoch 10, then drifts up by `perEpoch` of it each epoch, with ±`noise` of it. */
const drift =
  (perEpoch: number, noise = 0) =>
  (epoch: number) =>
    (epoch <= 10 ? 1 - epoch / 20 : 0.5 * (1 + perEpoch * (epoch - 10))) * (1 + noise * jitter(epoch));

describe('mildValidationRise', () => {
  it.each([
    { name: '30 epochs drifting 0.2% an epoch after epoch 10 (+4% at the end)', points: evaluations(30, drift(0.002)) },
    {
      name: 'the same drift with ±0.05% evaluation noise',
      points: evaluations(30, drift(0.002, 0.0005)),
    },
    { name: `exactly ${MILD_PATIENCE} evaluations after the best, each higher`, points: evaluations(13, drift(0.01)) },
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
      points: evaluations(40, (epoch) => (epoch <= 10 ? 1 - epoch / 20 : 0.5) * (1 + 0.02 * jitter(epoch))),
    },
    { name: `fewer than ${MILD_PATIENCE} evaluations after the best`, points: evaluations(12, drift(0.01)) },
    { name: 'a rise of GL_5 or more (validation-rise.ts judges it)', points: evaluations(30, drift(0.005)) },
    { name: 'a rise no larger than the evaluation noise', points: evaluations(30, drift(0.0002, 0.01)) },
    { name: 'still falling at the end', points: evaluations(30, (epoch) => 1 / epoch) },
  ])('must not trigger: $name', ({ points }) => {
    expect(mildValidationRise(points)).toBeNull();
  });
});
