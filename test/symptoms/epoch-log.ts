import type { ProbeTrace } from '../../src/trace/trace.js';
import { buildTrace, jitter } from './trace-builder.js';

/**
 * A log of one training loss per epoch, its first at `firstEpoch`, with `valLoss` at the same epochs
 * when given and a validation accuracy beside it when given.
 */
export function epochLog(
  loss: readonly number[],
  valLoss: readonly number[] = [],
  { accuracy, firstEpoch = 0 }: { accuracy?: readonly number[]; firstEpoch?: number } = {},
): ProbeTrace {
  const trace = buildTrace({ loss: [...loss] });
  return {
    ...trace,
    step: trace.step.map((epoch) => epoch + firstEpoch),
    evalStep: valLoss.map((_, e) => e + firstEpoch),
    valLoss: [...valLoss],
    ...(accuracy === undefined ? {} : { valMetric: { name: 'accuracy', values: [...accuracy] } }),
  };
}

/** `length` values from `from` towards `to`, an e-fold every `fold` epochs, with `noise` relative scatter. */
export const settling = (length: number, from: number, to: number, fold: number, noise = 0.01, seed = 0) =>
  Array.from({ length }, (_, e) => (to + (from - to) * Math.exp(-e / fold)) * (1 + noise * jitter(e + seed)));

/** Per-epoch evaluations 1..epochs of `loss(epoch)`. */
export function evaluations(epochs: number, loss: (epoch: number) => number): { step: number; loss: number }[] {
  return Array.from({ length: epochs }, (_, k) => ({ step: k + 1, loss: loss(k + 1) }));
}

/** Falls to 0.5 at epoch 10, then changes by `perEpoch` of it each epoch, with ±`noise` of it. */
export const afterBest =
  (perEpoch: number, noise = 0) =>
  (epoch: number) =>
    (epoch <= 10 ? 1 - epoch / 20 : 0.5 * (1 + perEpoch * (epoch - 10))) * (1 + noise * jitter(epoch));
