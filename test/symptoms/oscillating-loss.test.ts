import { describe, expect, it } from 'vitest';
import type { ProbeTrace } from '../../src/trace/trace.js';
import {
  AMPLITUDE_LIMIT,
  JUDGED_FROM,
  MIN_PROGRESS,
  MIN_STEPS,
  oscillatingLoss,
  REVERSAL_LIMIT,
  WINDOWS_PER_PROBE,
} from '../../src/symptoms/oscillating-loss.js';
import { formatNumber } from '../../src/util/format.js';
import { onlyFinding } from './data-summary.js';
import { describeMustNotTrigger, expectFinding, realTraceRows, type TraceRow } from './dynamics-cases.js';
import { buildTrace, decay, fixtureTrace, HEALTHY_TRACES, noisy, switchAt, type SeriesInput } from './trace-builder.js';

const PAST = 1.001;
const STEPS = 300;
/** The detector's smoothing window for a 300-step probe. */
const WINDOW = STEPS / WINDOWS_PER_PROBE;
const HALF = STEPS * JUDGED_FROM;

/**
 * A loss that alternates between `low` and `high` every window (a period of two windows), low in
 * the window that starts the judged half: its windowed medians there are exactly low, high, low, ...
 * (8 lows and 7 highs in 15 windows), so the 10th and 90th percentiles are low and high and the
 * median is low.
 */
function square(low: number, high: number): (step: number) => number {
  return (step) => (Math.floor((step - HALF) / WINDOW) % 2 === 0 ? low : high);
}

function run(loss: SeriesInput, chanceLoss: number | null, steps = STEPS): ProbeTrace {
  return buildTrace({ loss, steps, chanceLoss });
}

/** A relative drift down by `fraction` over the judged half (1 before it). */
const drift = (fraction: number) => (step: number) =>
  step < HALF ? 1 : 1 - (fraction * (step - HALF)) / (STEPS - HALF);
const times = (a: (step: number) => number, b: (step: number) => number) => (step: number) => a(step) * b(step);

interface TriggerRow extends TraceRow {
  measured?: number;
  mentions?: string[];
}

const mustTrigger: TriggerRow[] = [
  {
    name: 'cross-entropy bouncing between 0.4 and 1.0 (chance 1.1) with mini-batch noise',
    trace: run(noisy(switchAt(HALF / 2, decay(1.2, 0.5, 20), square(0.4, 1)), 0.05, 21), 1.1),
    mentions: ['chance-level loss 1.1'],
  },
  {
    name: `swing just past ${AMPLITUDE_LIMIT} of the chance level (5 ↔ 8.003, chance 10)`,
    trace: run(square(5, 5 + 10 * AMPLITUDE_LIMIT * PAST), 10),
    measured: AMPLITUDE_LIMIT * PAST,
    mentions: ['between 5 and 8', 'reverse direction in 100% of moves', 'fell 0%'],
  },
  {
    name: 'a loss above chance swinging 20 ↔ 40: measured against its own median',
    trace: run(square(20, 40), 10),
    measured: 1,
    mentions: ['its median level 20'],
  },
  {
    name: 'chance level unknown: measured against the starting loss (10), swinging 4 ↔ 8',
    trace: run(switchAt(HALF, 10, square(4, 8)), null),
    measured: 0.4,
    mentions: ['starting loss 10'],
  },
  {
    name: `a slight downward drift (about 3% from the first to the last third, under ${MIN_PROGRESS * 100}%) is no progress`,
    trace: run(times(square(0.4, 1), drift(0.04)), 1.1),
  },
  {
    name: 'heavier mini-batch noise on the swing (log-normal, sigma 0.2)',
    trace: run(noisy(square(0.3, 1), 0.2, 22), 1.1),
  },
];

const mustNotTrigger: TraceRow[] = [
  ...realTraceRows(HEALTHY_TRACES, ': a healthy run with mini-batch noise'),
  { name: 'deep-sigmoid: flat at chance, small ripples', trace: fixtureTrace('deep-sigmoid') },
  { name: 'exploding-rnn: a steady decline after the blow-up', trace: fixtureTrace('exploding-rnn') },
  { name: 'lr-too-low: flat', trace: fixtureTrace('lr-too-low') },
  { name: 'sigmoid-regression: flat above chance, noisy batches', trace: fixtureTrace('sigmoid-regression') },
  {
    name: 'softmax-one-unit: constant prediction, batch noise only (swing 0.08 of its level)',
    trace: fixtureTrace('softmax-one-unit'),
  },
  { name: 'boston-unscaled: NaN at step 2', trace: fixtureTrace('boston-unscaled') },
  { name: 'lr-too-high: NaN at step 7', trace: fixtureTrace('lr-too-high') },
  {
    name: `swing just under ${AMPLITUDE_LIMIT} of the chance level`,
    trace: run(square(5, 5 + (10 * AMPLITUDE_LIMIT) / PAST), 10),
  },
  {
    name: 'a converged cross-entropy near 0.02 that doubles on hard batches: huge relative to itself, tiny relative to chance',
    trace: run(noisy(0.02, 1, 23), 1.1),
  },
  { name: 'a constant prediction with batch noise, far above chance', trace: run(noisy(8, 0.1, 24), 0.69) },
  {
    name: 'a large swing while still falling 20% from the first to the last third',
    trace: run(times(square(0.4, 1), drift(0.3)), 1.1),
  },
  {
    name: 'a large noisy swing (log-normal, sigma 0.2) while truly falling by half over the half',
    trace: run(noisy(times(square(0.4, 1), drift(0.5)), 0.2, 25), 1.1),
  },
  {
    name: `a loss climbing through the half with one reset (reversals under ${REVERSAL_LIMIT * 100}%): a trend, not an oscillation`,
    trace: run((step) => (step < HALF ? 1 : 0.5 + ((step - HALF) % 100) / 50), 1.1),
  },
  {
    name: 'a swing that ends in a NaN is nan-loss and lr-too-high territory',
    trace: run([...Array.from({ length: 299 }, (_, step) => square(0.4, 1)(step)), Number.NaN], 1.1),
  },
  { name: `fewer than ${MIN_STEPS} steps`, trace: run(square(0.4, 1), 1.1, MIN_STEPS - 1) },
];

describe('oscillating-loss', () => {
  describe('must trigger', () => {
    it.each(mustTrigger)('$name', ({ trace, measured, mentions = [] }) => {
      const finding = onlyFinding(oscillatingLoss.detect({ trace }));

      expectFinding(finding, {
        symptom: 'oscillating-loss',
        severity: 'warning',
        layer: undefined,
        step: HALF,
        threshold: AMPLITUDE_LIMIT,
        mentions,
        fixes: ['lr-schedule', 'search'],
        confidence: [0.45, 0.99],
      });
      expect(finding.evidence.measured).toBeGreaterThanOrEqual(AMPLITUDE_LIMIT);
      if (measured !== undefined) expect(finding.evidence.measured).toBeCloseTo(measured, 9);
      expect(finding.message).toContain(formatNumber(finding.evidence.measured));
      expect(finding.message).toContain(`limit ${formatNumber(AMPLITUDE_LIMIT)}`);
      expect(finding.message).toContain(`from step ${HALF} to ${STEPS - 1}`);
    });
  });

  describeMustNotTrigger(oscillatingLoss, mustNotTrigger);

  it(`smooths the loss over ${WINDOW}-step windows: a zigzag from batch to batch alone is noise`, () => {
    // Every other step 0.4 or 1.0: each 10-step window holds five of each, so every window median is the same.
    expect(oscillatingLoss.detect({ trace: run((step) => (step % 2 === 0 ? 0.4 : 1), 1.1) })).toEqual([]);
  });
});
