import { describe, expect, it } from 'vitest';
import type { DynamicsInput } from '../../src/symptoms/dynamics-input.js';
import { overfittingOnScore, scoreScale } from '../../src/symptoms/overfitting-on-score.js';
import { buildTrace } from './trace-builder.js';

/**
 * A per-epoch log (epochs 1..n) of `loss` with a held-out score (trace.valScore) at each epoch and,
 * when given, a validation loss beside it (NaN, "not measured", otherwise).
 */
function scoreLog(
  loss: readonly number[],
  score: { name: string; values: readonly number[] },
  valLoss?: readonly number[],
): DynamicsInput {
  const trace = buildTrace({ loss: [...loss] });
  const epochs = score.values.map((_, k) => k + 1);
  return {
    trace: {
      ...trace,
      step: loss.map((_, k) => k + 1),
      evalStep: valLoss === undefined ? [] : epochs,
      valLoss: valLoss === undefined ? [] : [...valLoss],
      valMetric: null,
      valScore: { name: score.name, step: epochs, values: [...score.values] },
    },
    origin: 'log',
    stepUnit: 'epoch',
  };
}

const falling = (epochs: number) => Array.from({ length: epochs }, (_, k) => 1 / (1 + k / 5));
/** Rises to 0.9 at epoch 10, then changes by `perEpoch` each epoch. */
const peaksThen = (epochs: number, perEpoch: number) =>
  Array.from({ length: epochs }, (_, k) => (k < 10 ? 0.5 + 0.04 * (k + 1) : 0.9 + perEpoch * (k - 9)));
/** A PSNR that rises to 27.5 dB at epoch 10, then changes by `perEpoch` dB each epoch. */
const psnrThen = (epochs: number, perEpoch: number) =>
  Array.from({ length: epochs }, (_, k) => (k < 10 ? 20 + 0.75 * (k + 1) : 27.5 + perEpoch * (k - 9)));

describe('overfittingOnScore', () => {
  it.each([
    {
      name: 'an F1 0.9 at epoch 10, then 1 point lower each epoch',
      input: scoreLog(falling(30), { name: 'f1', values: peaksThen(30, -0.01) }),
      score: 'f1',
    },
    {
      name: 'a mIoU falling the same way, its validation loss risen with it',
      input: scoreLog(falling(30), { name: 'miou', values: peaksThen(30, -0.01) }, [
        ...falling(10),
        ...Array.from({ length: 20 }, (_, k) => 0.5 + 0.02 * k),
      ]),
      score: 'miou',
    },
    {
      name: 'a PSNR 27.5 dB at epoch 10, then 0.05 dB lower each epoch (the MSE 1.26x its best)',
      input: scoreLog(falling(30), { name: 'psnr', values: psnrThen(30, -0.05) }),
      score: 'psnr',
    },
  ])('must trigger: $name', ({ input, score }) => {
    const [finding] = overfittingOnScore.detect(input);
    expect(finding).toMatchObject({ symptom: 'overfitting', severity: 'critical' });
    expect(finding!.message).toMatch(new RegExp(`^The validation ${score} was best at`));
    expect(finding!.message).toContain(`val_${score} (mode 'max')`);
  });

  it.each([
    {
      name: 'an F1 still rising at the end',
      input: scoreLog(falling(30), { name: 'f1', values: peaksThen(30, 0.002) }),
    },
    { name: 'an F1 flat at 0.9 for 20 epochs', input: scoreLog(falling(30), { name: 'f1', values: peaksThen(30, 0) }) },
    {
      name: 'a PSNR 0.1 dB under its best (the MSE 2% above it, under GL_5)',
      input: scoreLog(falling(30), { name: 'psnr', values: psnrThen(30, -0.005) }),
    },
    {
      name: 'an AUC near 1: 0.998 to 0.995 loses 0.3% of it (its error 2.5x its best)',
      input: scoreLog(falling(20), {
        name: 'auc',
        values: Array.from({ length: 20 }, (_, k) => (k < 14 ? 0.96 + k * 0.0029 : k < 16 ? 0.998 : 0.995)),
      }),
    },
    {
      name: 'the score falls while the training loss rises with it (a divergence)',
      input: scoreLog([...falling(10), ...Array.from({ length: 20 }, (_, k) => 0.5 + 0.05 * k)], {
        name: 'f1',
        values: peaksThen(30, -0.01),
      }),
    },
    {
      name: 'the score falls while the validation loss beside it ends at its best',
      input: scoreLog(falling(30), { name: 'auc', values: peaksThen(30, -0.01) }, falling(30)),
    },
    {
      name: 'an F1 in percent (a scale not known)',
      input: scoreLog(falling(30), { name: 'f1', values: peaksThen(30, -0.01).map((v) => v * 100) }),
    },
    {
      name: 'the same fall in a probe',
      input: { ...scoreLog(falling(30), { name: 'f1', values: peaksThen(30, -0.01) }), origin: 'probe' as const },
    },
    {
      name: 'a log with a validation accuracy too (judged on the accuracy)',
      input: (() => {
        const input = scoreLog(falling(30), { name: 'f1', values: peaksThen(30, -0.01) });
        return { ...input, trace: { ...input.trace, valMetric: { name: 'accuracy', values: peaksThen(30, 0) } } };
      })(),
    },
  ])('must not trigger: $name', ({ input }) => {
    expect(overfittingOnScore.detect(input)).toEqual([]);
  });

  it.each([
    ['psnr', [27.5], 10 ** -2.75],
    ['ssim', [0.74], 0.26],
    ['dice', [0.8], 0.2],
  ])('reads %s as its error', (name, values, error) => {
    expect(scoreScale(name, values)!.error(values[0]!)).toBeCloseTo(error, 12);
  });
});
