import { describe, expect, it } from 'vitest';
import type { DynamicsInput } from '../../src/symptoms/dynamics-input.js';
import { overfittingValidationOnly } from '../../src/symptoms/overfitting-validation-only.js';
import { LOG_VALIDATION_RISE } from '../../src/symptoms/validation-rise.js';
import { afterBest } from './epoch-log.js';
import { buildTrace } from './trace-builder.js';

/** Per-epoch validation losses 1..epochs of `loss(epoch)`, as the loss of a validation-only log's trace. */
function validationOnly(epochs: number, loss: (epoch: number) => number): DynamicsInput {
  const losses = Array.from({ length: epochs }, (_, k) => loss(k + 1));
  return { trace: buildTrace({ loss: losses }), origin: 'log', stepUnit: 'epoch', lossCurve: 'validation' };
}

/** Bench log 401 (docs/log-benchmark-12b.md): Keras' `validation` writer, 13 epochs, best at epoch 2. */
const LOG_401 = [0.5547, 0.554, 0.5225, 0.524, 0.5442, 0.5385, 0.5956, 0.59, 0.7231, 0.7192, 0.9506, 0.9515, 0.9146];

describe('overfittingValidationOnly', () => {
  it.each([
    { name: 'rising 2% an epoch for 20 epochs after its best (+40%)', input: validationOnly(30, afterBest(0.02)) },
    { name: 'the same rise with ±1% evaluation noise', input: validationOnly(30, afterBest(0.02, 0.01)) },
    {
      name: "bench log 401's 13 epochs (1.75x its best at the end)",
      input: validationOnly(13, (e) => LOG_401[e - 1]!),
    },
  ])('must trigger: $name', ({ input }) => {
    const [finding] = overfittingValidationOnly.detect(input);
    expect(finding).toMatchObject({ symptom: 'overfitting', severity: 'critical' });
    expect(finding!.evidence.measured).toBeGreaterThanOrEqual(LOG_VALIDATION_RISE);
    expect(finding!.message).toMatch(/^Only a validation loss was logged\./);
    expect(finding!.message).toMatch(/the training loss was not logged/);
  });

  it.each([
    {
      name: 'a converged run: flat validation loss with ±2% noise for 30 epochs after the fall',
      input: validationOnly(40, afterBest(0, 0.02)),
    },
    { name: 'still falling at the end', input: validationOnly(30, (epoch) => 1 / epoch) },
    { name: 'a drift under GL_5 (+3% over 20 epochs)', input: validationOnly(30, afterBest(0.0015)) },
    {
      name: 'only the last evaluation high (a reading that needs a falling training loss)',
      input: validationOnly(20, (epoch) => (epoch < 20 ? afterBest(0, 0.005)(epoch) : 0.6)),
    },
    {
      name: 'the same rise on a log with a training loss (overfitting-on-log.ts judges it)',
      input: { ...validationOnly(30, afterBest(0.02)), lossCurve: 'training' as const },
    },
    { name: 'the same rise in a probe', input: { ...validationOnly(30, afterBest(0.02)), origin: 'probe' as const } },
  ])('must not trigger: $name', ({ input }) => {
    expect(overfittingValidationOnly.detect(input)).toEqual([]);
  });
});
