import { describe, expect, it } from 'vitest';
import type { DynamicsInput } from '../../src/symptoms/dynamics-input.js';
import { overfittingOnAccuracy } from '../../src/symptoms/overfitting-on-accuracy.js';
import { buildTrace } from './trace-builder.js';

/**
 * A per-epoch log (epochs 1..n) of `loss` with a validation accuracy at each epoch and, when given, a
 * validation loss beside it; without one the validation loss is NaN, "not measured", as log-trace.ts
 * writes it for a log that records only the accuracy.
 */
function accuracyLog(loss: readonly number[], accuracy: readonly number[], valLoss?: readonly number[]): DynamicsInput {
  const trace = buildTrace({ loss: [...loss] });
  return {
    trace: {
      ...trace,
      step: loss.map((_, k) => k + 1),
      evalStep: accuracy.map((_, k) => k + 1),
      valLoss: valLoss === undefined ? accuracy.map(() => Number.NaN) : [...valLoss],
      valMetric: { name: 'accuracy', values: [...accuracy] },
    },
    origin: 'log',
    stepUnit: 'epoch',
  };
}

const falling = (epochs: number) => Array.from({ length: epochs }, (_, k) => 1 / (1 + k / 5));
/** Rises to 0.9 at epoch 10, then changes by `perEpoch` (accuracy points) each epoch. */
const peaksThen = (epochs: number, perEpoch: number) =>
  Array.from({ length: epochs }, (_, k) => (k < 10 ? 0.5 + 0.04 * (k + 1) : 0.9 + perEpoch * (k - 9)));

/** Bench log 558 (docs/log-benchmark-15a.md): 9 epochs of a Keras CSVLogger file, val_loss noisy. */
const LOG_558 = {
  loss: [0.2537, 0.1343, 0.1053, 0.0861, 0.0794, 0.0721, 0.066, 0.0612, 0.0583],
  accuracy: [0.7484, 0.7471, 0.7412, 0.757, 0.7456, 0.7215, 0.71, 0.7451, 0.7049],
  valLoss: [1.6293, 2.0308, 1.3445, 1.2965, 1.7519, 1.6128, 2.5503, 1.7304, 2.1258],
};

describe('overfittingOnAccuracy', () => {
  it.each([
    {
      name: 'accuracy 0.9 at epoch 10, then 1 point lower each epoch for 20 (no validation loss)',
      input: accuracyLog(falling(30), peaksThen(30, -0.01)),
    },
    {
      name: "bench log 558's 9 epochs: the accuracy 0.757 to 0.705, the validation loss's rise inside its noise",
      input: accuracyLog(LOG_558.loss, LOG_558.accuracy, LOG_558.valLoss),
    },
  ])('must trigger: $name', ({ input }) => {
    const [finding] = overfittingOnAccuracy.detect(input);
    expect(finding).toMatchObject({ symptom: 'overfitting', severity: 'critical' });
    expect(finding!.message).toMatch(/^The validation accuracy was best at/);
    expect(finding!.message).toMatch(/val_accuracy \(mode 'max'\)/);
  });

  it.each([
    { name: 'still rising at the end', input: accuracyLog(falling(30), peaksThen(30, 0.002)) },
    { name: 'converged: flat at 0.9 for 20 epochs', input: accuracyLog(falling(30), peaksThen(30, 0)) },
    {
      name: 'near 100%: 0.9965 to 0.993 doubles the error rate but loses 0.35% of the accuracy (bench log 108)',
      input: accuracyLog(falling(20), [
        ...Array.from({ length: 14 }, (_, k) => 0.95 + k * 0.0035),
        0.9965,
        0.9965,
        0.993,
        0.993,
        0.993,
        0.993,
      ]),
    },
    {
      name: 'the accuracy falls while the training loss rises with it (a divergence)',
      input: accuracyLog(
        [...falling(10), ...Array.from({ length: 20 }, (_, k) => 0.5 + 0.05 * k)],
        peaksThen(30, -0.01),
      ),
    },
    {
      name: 'the accuracy falls while the validation loss logged beside it ends at its best (bench log 336)',
      input: accuracyLog(falling(30), peaksThen(30, -0.01), falling(30)),
    },
    {
      name: 'the same fall in a probe',
      input: { ...accuracyLog(falling(30), peaksThen(30, -0.01)), origin: 'probe' as const },
    },
    {
      name: 'the same fall in a validation metric that is not an accuracy (an MAE falls as a model learns)',
      input: (() => {
        const input = accuracyLog(falling(30), peaksThen(30, -0.01));
        return {
          ...input,
          trace: { ...input.trace, valMetric: { name: 'mae', values: input.trace.valMetric!.values } },
        };
      })(),
    },
  ])('must not trigger: $name', ({ input }) => {
    expect(overfittingOnAccuracy.detect(input)).toEqual([]);
  });
});
