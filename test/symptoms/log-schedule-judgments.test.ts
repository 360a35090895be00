/**
 * Logged runs whose numbers look unhealthy to one reading and are not (held-out set 12, post hoc): a
 * loss that jumps where the logged learning rate restarts its schedule (schedule-restart.ts), a
 * training loss that ends above its minimum beside a validation loss still at its best
 * (validation-ends-best.ts), and an accuracy 10% or more below the 1/C it was rounded to
 * (stuck-at-chance.ts). Each table holds runs that must and must not trigger on a log.
 */
import { describe, expect, it } from 'vitest';
import { lrTooHigh } from '../../src/symptoms/lr-too-high.js';
import { stuckAtChance } from '../../src/symptoms/stuck-at-chance.js';
import type { DynamicsInput } from '../../src/symptoms/dynamics-input.js';
import type { Detector } from '../../src/symptoms/finding.js';
import type { ProbeTrace } from '../../src/trace/trace.js';
import { buildTrace, jitter } from './trace-builder.js';

type Row = [string, ProbeTrace];
const judge = (detector: Detector<DynamicsInput>, trace: ProbeTrace) =>
  detector.detect({ trace, origin: 'log', stepUnit: 'step' });

/** A loss settling from `from` to `to` over `length` steps, with 1% noise. */
const settling = (length: number, from: number, to: number, seed = 0) =>
  Array.from({ length }, (_, k) => (to + (from - to) * Math.exp(-k / (length / 10))) * (1 + 0.01 * jitter(k + seed)));
/** 410's shape: a first cycle settles at 0.009, the loss jumps to 3 at step 200 and a second cycle brings it to 0.06. */
const twoCycles = [...settling(200, 1.7, 0.009), ...settling(100, 3, 0.06, 7)];
/** A linear warm-up over a tenth of `length` steps to `peak`, then a linear decay to 0. */
const warmUpDecay = (length: number, peak: number) =>
  Array.from({ length }, (_, k) =>
    k < length / 10 ? (peak * k) / (length / 10) : (peak * (length - k)) / (length - length / 10),
  );
const withRate = (learningRate: readonly number[]) => buildTrace({ loss: twoCycles, learningRate: [...learningRate] });

/** 378's shape: eight per-batch training losses that end above their minimum, and `valLoss` at ten evaluations. */
const batches = [0.126, 0.021, 0.123, 0.135, 0.067, 0.033, 0.0103, 0.0864];
const withValidation = (valLoss: readonly number[]): ProbeTrace => ({
  ...buildTrace({ loss: batches }),
  evalStep: valLoss.map((_, k) => Math.round(((k + 1) * (batches.length - 1)) / valLoss.length)),
  valLoss: [...valLoss],
});

/** A per-epoch log with only a validation accuracy (and the chance loss the user gave, if any). */
const accuracyLog = (values: readonly number[], chanceLoss: number | null = null): ProbeTrace => ({
  ...buildTrace({ loss: settling(values.length, 2, 1.4) }),
  chanceLoss,
  valMetric: { name: 'accuracy', values: [...values] },
});
/** `length` accuracies scattered ±`spread` around `level`. */
const around = (level: number, spread: number, length = 20) =>
  Array.from({ length }, (_, k) => level + spread * jitter(k + 3));

describe.each([
  {
    name: 'lr-too-high: a blow-up where the logged rate restarts its schedule is the new cycle',
    detector: lrTooHigh,
    mustTrigger: [
      ['no rate logged: a constant default', buildTrace({ loss: twoCycles })],
      [
        'the rate only steps down at the jump (1e-3 to 1e-4)',
        withRate(twoCycles.map((_, k) => (k < 200 ? 1e-3 : 1e-4))),
      ],
      [
        'the rate raised at the jump above every rate before it (2e-4 decayed, then 4e-4)',
        withRate([...warmUpDecay(200, 2e-4), ...warmUpDecay(100, 4e-4)]),
      ],
    ],
    mustNotTrigger: [
      [
        "two warm-up-and-decay cycles, the second from a rate of 0 to 4e-5 after a peak of 2e-4 (410's shape)",
        withRate([...warmUpDecay(200, 2e-4), ...warmUpDecay(100, 4e-5)]),
      ],
      [
        'a cosine cycle to 0 and a warm restart straight back to its top (SGDR)',
        withRate(twoCycles.map((_, k) => (k < 200 ? 5e-4 * (1 + Math.cos((Math.PI * k) / 200)) : 1e-3))),
      ],
    ],
  },
  {
    name: 'lr-too-high: a training loss ending above its minimum beside a validation loss still at its best',
    detector: lrTooHigh,
    mustTrigger: [
      ['no validation loss', buildTrace({ loss: batches })],
      [
        'a validation loss that rose from its best in the middle',
        withValidation([0.16, 0.09, 0.07, 0.06, 0.055, 0.06, 0.07, 0.08, 0.09, 0.1]),
      ],
    ],
    mustNotTrigger: [
      [
        "a validation loss at its best at the last of ten evaluations (378's shape)",
        withValidation([0.16, 0.084, 0.089, 0.069, 0.069, 0.064, 0.062, 0.056, 0.066, 0.0427]),
      ],
    ],
  },
  {
    name: 'stuck at chance: the class count is read only from an accuracy that sits at 1/C',
    detector: stuckAtChance,
    mustTrigger: [
      ['20 evaluations at 0.47-0.53 (two classes)', accuracyLog(around(0.5, 0.03))],
      ['20 evaluations at 0.44-0.48, median 7% below 0.5', accuracyLog(around(0.46, 0.02))],
      ["403's accuracies with two classes given (--classes 2)", accuracyLog(around(0.44, 0.045), Math.log(2))],
    ],
    mustNotTrigger: [
      [
        "20 evaluations at 0.395-0.485, median 12% below 0.5 and 32% above 1/3 (403's shape)",
        accuracyLog(around(0.44, 0.045)),
      ],
    ],
  },
])('$name', ({ detector, mustTrigger, mustNotTrigger }) => {
  it.each(mustTrigger as Row[])('mustTrigger: %s', (_, trace) => {
    expect(judge(detector, trace).length).toBeGreaterThan(0);
  });
  it.each(mustNotTrigger as Row[])('mustNotTrigger: %s', (_, trace) => {
    expect(judge(detector, trace)).toEqual([]);
  });
});
