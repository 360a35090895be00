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
