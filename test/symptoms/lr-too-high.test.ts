import { describe, expect, it } from 'vitest';
import type { ProbeTrace } from '../../src/trace/trace.js';
import type { Severity } from '../../src/symptoms/ids.js';
import { DIVERGENCE_CRITICAL, DIVERGENCE_RATIO, WINDOW_FRACTION } from '../../src/symptoms/divergence-limits.js';
import { FLOOR_FRACTION, LR_RAISED_FACTOR, lrTooHigh } from '../../src/symptoms/lr-too-high.js';
import { OVERSHOOT_UPDATE_RATIO } from '../../src/symptoms/signals.js';
import { formatNumber } from '../../src/util/format.js';
import { onlyFinding } from './data-summary.js';
import { describeMustNotTrigger, expectFinding, realTraceRows, type TraceRow } from './dynamics-cases.js';
import {
  buildTrace,
  decay,
  fixtureTrace,
  geometric,
  HEALTHY_TRACES,
  linear,
  noisy,
  switchAt,
  type SeriesInput,
} from './trace-builder.js';

const PAST = 1.001;
const STEPS = 300;
const WINDOW = STEPS * WINDOW_FRACTION;
const CHANCE = 50;

/** A 300-step loss that holds each level for a window (a tenth of the run): the windowed medians are exactly `levels`. */
function windows(levels: number[], chanceLoss: number | null = CHANCE): ProbeTrace {
  return buildTrace({ loss: (step) => levels[Math.floor(step / WINDOW)]!, steps: STEPS, chanceLoss });
}

/** Falls from 100 to 10 in the first window, stays at 10, and ends (last window) at `end`. */
const endingAt = (end: number) => windows([100, 10, 10, 10, 10, 10, 10, 10, 10, end]);

function run(loss: SeriesInput, chanceLoss: number | null = CHANCE): ProbeTrace {
  return buildTrace({ loss, steps: STEPS, chanceLoss });
}

interface TriggerRow extends TraceRow {
  severity: Severity;
  step: number;
  measured?: number;
  mentions?: string[];
  /** Bounds on the confidence (default 0.6 to 0.99). */
  confidence?: [number, number];
}

const mustTrigger: TriggerRow[] = [
  {
    name: 'lr-too-high: SGD at 5x the usable rate, loss 185 → 5.9e28 in 5 steps, then NaN',
    trace: fixtureTrace('lr-too-high'),
    severity: 'critical',
    step: 2,
    mentions: ['5.94e+28', 'running minimum 185 (step 1)', 'NaN at step 7'],
    confidence: [0.99, 0.99],
  },
  {
    name: 'boston-unscaled: raw features, loss 1.1e4 → 9.3e19 in one step, then NaN',
    trace: fixtureTrace('boston-unscaled'),
    severity: 'critical',
    step: 1,
    mentions: ['9.32e+19', 'NaN at step 2'],
  },
  {
    name: 'exploding-rnn: loss ends 59x its start after a recurrent gradient explosion; recovering: low confidence',
    trace: fixtureTrace('exploding-rnn'),
    severity: 'critical',
    step: 30,
    mentions: ['Less certain', 'come back down from its peak 5.58e+8', 'recurrent layer'],
    confidence: [0.2, 0.5],
  },
  {
    name: `ends at exactly ${DIVERGENCE_RATIO}x its running minimum: a warning`,
    trace: endingAt(10 * DIVERGENCE_RATIO),
    severity: 'warning',
    step: 270,
    measured: DIVERGENCE_RATIO,
    mentions: ['running minimum 10 (step 30)', `last ${WINDOW} steps`],
    confidence: [0.6, 0.6],
  },
  {
    name: `ends just under ${DIVERGENCE_CRITICAL}x: still a warning`,
    trace: endingAt((10 * DIVERGENCE_CRITICAL) / PAST),
    severity: 'warning',
    step: 270,
  },
  {
    name: `ends at ${DIVERGENCE_CRITICAL}x: critical`,
    trace: endingAt(10 * DIVERGENCE_CRITICAL),
    severity: 'critical',
    step: 270,
    measured: DIVERGENCE_CRITICAL,
  },
  {
    name: 'a noisy loss that falls, then climbs from 10 to 40 over the second half',
    trace: run(noisy(switchAt(150, decay(100, 10, 20), linear(-30, 50)), 0.3, 11)),
    severity: 'warning',
    step: 180,
  },
  {
    name: 'grows 3x per step from the start, then NaN (windows of one step)',
    trace: buildTrace({ loss: [...Array.from({ length: 10 }, (_, step) => geometric(10, 3)(step)), Number.NaN] }),
    severity: 'critical',
    step: 1,
    mentions: ['its last finite value', 'NaN at step 10'],
  },
  {
    name: 'cross-entropy falls to 0.08, then jumps to ~0.6 and stays (SGD at 5x the usable rate on Iris): compared with a tenth of chance',
    trace: run(noisy(switchAt(120, decay(1.2, 0.08, 20), 0.6), 0.3, 12), 1.1),
    severity: 'warning',
    step: 120,
    mentions: ['a tenth of the chance-level loss, 0.11'],
  },
  {
    name: 'a 20-epoch log: the epoch loss falls to 1.65, then climbs to 5.8 (windows of two epochs)',
    trace: buildTrace({
      loss: [2.3, 1.9, 1.7, 1.65, 1.8, 2.0, 2.3, 2.6, 2.9, 3.2, 3.5, 3.8, 4.1, 4.4, 4.7, 5.0, 5.2, 5.4, 5.6, 5.8],
    }),
    severity: 'warning',
    step: 10,
    measured: 5.7 / 1.675,
    mentions: ['last 2 steps'],
  },
  {
    name: 'loss rises above its start with the chance level unknown (floor from the starting loss)',
    trace: windows([10, 8, 8, 9, 10, 12, 14, 16, 18, 20], null),
    severity: 'warning',
    step: 210,
    measured: 20 / 8,
  },
];

const mustNotTrigger: TraceRow[] = [
  ...realTraceRows(HEALTHY_TRACES, ': a healthy run (mini-batch noise up to 4x per step)'),
  { name: 'deep-sigmoid: flat at chance', trace: fixtureTrace('deep-sigmoid') },
  { name: 'lr-too-low: flat', trace: fixtureTrace('lr-too-low') },
  { name: 'softmax-one-unit: flat, noisy', trace: fixtureTrace('softmax-one-unit') },
  { name: 'sigmoid-regression: flat above chance', trace: fixtureTrace('sigmoid-regression') },
  { name: `ends just under ${DIVERGENCE_RATIO}x its running minimum`, trace: endingAt((10 * DIVERGENCE_RATIO) / PAST) },
  {
    name: 'one window at 3x in the middle, then back down: a passing rise is not divergence',
    trace: windows([100, 10, 10, 10, 30, 10, 10, 10, 10, 10]),
  },
  {
    name: `a cross-entropy near its floor doubles on hard batches (0.005 → 0.04, under ${DIVERGENCE_RATIO}x a tenth of chance)`,
    trace: windows([1.1, 0.3, 0.1, 0.02, 0.01, 0.005, 0.01, 0.02, 0.03, 0.04], 1.1),
  },
  {
    name: `ends at ${DIVERGENCE_RATIO}x a minimum below the floor, but under ${DIVERGENCE_RATIO}x the floor (${FLOOR_FRACTION} of chance)`,
    trace: windows([100, 20, 10, 4, 4, 4, 4, 4, 4, (2 * FLOOR_FRACTION * 100) / PAST], 100),
  },
  { name: 'a healthy noisy loss (log-normal noise, sigma 0.5)', trace: run(noisy(decay(100, 5, 40), 0.5, 13)) },
  {
    name: 'a healthy 30-epoch log: epoch means falling and flattening (2% noise)',
    trace: buildTrace({ loss: noisy(decay(90, 8, 4), 0.02, 3), steps: 30 }),
  },
  { name: 'only one finite loss before the NaN', trace: buildTrace({ loss: [10, Number.NaN] }) },
  {
    name: 'a flat loss that suddenly becomes NaN has not risen',
    trace: buildTrace({ loss: [...Array.from({ length: 50 }, () => 10), Number.NaN] }),
  },
  { name: 'a negative loss (cosine similarity) has no ratio to its minimum', trace: run(linear(-1, -0.5)) },
];

describe('lr-too-high', () => {
  describe('must trigger', () => {
    it.each(mustTrigger)('$name', ({ trace, severity, step, measured, mentions = [], confidence = [0.6, 0.99] }) => {
      const finding = onlyFinding(lrTooHigh.detect({ trace }));

      expectFinding(finding, {
        symptom: 'lr-too-high',
        severity,
        layer: undefined,
        step,
        threshold: DIVERGENCE_RATIO,
        mentions,
        fixes: ['lr-schedule'],
        confidence,
      });
      expect(finding.evidence.measured).toBeGreaterThanOrEqual(DIVERGENCE_RATIO);
      if (measured !== undefined) expect(finding.evidence.measured).toBeCloseTo(measured, 9);
      expect(finding.message).toContain(`${formatNumber(finding.evidence.measured)}x`);
      expect(finding.message).toContain(`${formatNumber(DIVERGENCE_RATIO)}x divergence limit`);
      expect(finding.message).toContain(`from step ${step}`);
    });
  });

  describeMustNotTrigger(lrTooHigh, mustNotTrigger);

  it('is less confident when a recurrent gradient explosion explains the rise, and keeps its fix', () => {
    const loss = noisy(switchAt(20, 10, 200), 0.1, 14);
    const gradNorm = {
      'simple_rnn_1/kernel': 1,
      'simple_rnn_1/recurrent_kernel': switchAt(19, 1, 1e6),
      'dense_1/kernel': 1,
    };
    const feedForward = onlyFinding(lrTooHigh.detect({ trace: buildTrace({ loss, gradNorm }) }));
    const recurrent = onlyFinding(
      lrTooHigh.detect({
        trace: buildTrace({
          loss,
          gradNorm,
          layers: [{ name: 'simple_rnn_1', type: 'simpleRNN' }, { name: 'dense_1' }],
        }),
      }),
    );
    expect(recurrent.confidence).toBeCloseTo(feedForward.confidence / 2, 1);
    expect(recurrent.message).toContain('gradient explosion in a recurrent layer');
    expect(feedForward.message).not.toContain('Less certain');
    expect(recurrent.fixes).toEqual(['lr-schedule']);
  });
});

describe('lr-too-high: what the learning rate did', () => {
  const diverging = endingAt(10 * DIVERGENCE_CRITICAL);
  const message = (learningRate: number[]) =>
    onlyFinding(lrTooHigh.detect({ trace: { ...diverging, learningRate } })).message;
  const ramp = (to: number) => Array.from({ length: STEPS }, (_, step) => 0.01 + ((to - 0.01) * step) / (STEPS - 1));

  it.each([
    {
      name: 'raised into the divergence (a warmup that ends too high)',
      rates: ramp(0.1),
      says: 'had been raised from 0.019 (step 30) to 0.0913 (step 270)',
    },
    {
      name: 'constant',
      rates: Array.from({ length: STEPS }, () => 0.01),
      says: 'The learning rate was 0.01 throughout.',
    },
  ])('$name', ({ rates, says }) => {
    expect(message(rates)).toContain(says);
  });

  it.each([
    { name: `raised by less than ${LR_RAISED_FACTOR}x`, rates: ramp(0.0145) },
    { name: 'not recorded (a log without lr)', rates: [] },
    { name: 'decayed', rates: ramp(0.001) },
  ])('says nothing about it when $name', ({ rates }) => {
    expect(message(rates)).not.toMatch(/learning rate (had been raised|was)/);
  });
});

describe('lr-too-high: a first update larger than the weights', () => {
  /** Two kernels whose first update moved them by `first` of their norm; the loss goes from 1.24 to `after`. */
  const overshot = (first: number, after: number, learningRate = 0.01) =>
    buildTrace({
      loss: [1.24, ...Array.from({ length: 20 }, () => after)],
      gradNorm: { 'dense_1/kernel': 0.58, 'dense_2/kernel': 0.57 },
      updateRatio: { 'dense_1/kernel': (step) => (step === 0 ? first : 0.001), 'dense_2/kernel': first },
      learningRate,
    });

  it.each([
    {
      name: 'learningRate 1e300: the new weights overflowed, the loss jumped and stayed (no rise in windows)',
      trace: overshot(Number.POSITIVE_INFINITY, 16.1, 1e300),
      mentions: ['past what float32 holds', 'The learning rate 1e+300 is far too high'],
    },
    {
      name: 'an update 5x the weights at a rate of 0.01: the step, rate or gradients',
      trace: overshot(5, 16.1),
      mentions: ['dense_1/kernel by 5x its own size', 'the median kernel by 5x', 'the gradients too large'],
    },
  ])('$name', ({ trace, mentions }) => {
    const finding = onlyFinding(lrTooHigh.detect({ trace }));
    expectFinding(finding, {
      symptom: 'lr-too-high',
      severity: 'critical',
      layer: 'dense_1',
      step: 0,
      threshold: OVERSHOOT_UPDATE_RATIO,
      mentions,
      fixes: ['lr-schedule'],
      confidence: [0.6, 0.99],
    });
  });

  // The jumps stay under twice the loss before any update (2.4 from 1.24): a jump to 16.1 that stays
  // is an early divergence whatever the update ratio (lr-too-high-early-divergence.test.ts).
  it.each([
    { name: 'an update just under the weights (0.9x)', trace: overshot(0.9, 2.4) },
    { name: 'a zero-initialized kernel (infinite ratio) whose loss falls', trace: overshot(Infinity, 1.1) },
    {
      name: 'a log without update ratios whose loss jumps',
      trace: { ...overshot(Infinity, 2.4), updateRatio: {} },
    },
  ])('$name: no finding', ({ trace }) => {
    expect(lrTooHigh.detect({ trace })).toEqual([]);
  });
});
