import { describe, expect, it } from 'vitest';
import type { ProbeTrace } from '../../src/trace/trace.js';
import {
  BASELINE_STEPS,
  explodingGradients,
  FIRST_LAST_RATIO_LIMIT,
  GRADIENT_GROWTH_LIMIT,
  GROWTH_WINDOW,
  MIN_RATIO_STEPS,
} from '../../src/symptoms/exploding-gradients.js';
import type { FixId, Severity } from '../../src/symptoms/ids.js';
import { formatNumber } from '../../src/util/format.js';
import { onlyFinding } from './data-summary.js';
import { describeMustNotTrigger, expectFinding, realTraceRows, type TraceRow } from './dynamics-cases.js';
import {
  buildTrace,
  fixtureTrace,
  geometric,
  HEALTHY_TRACES,
  noisy,
  switchAt,
  type LayerInput,
  type SeriesInput,
} from './trace-builder.js';

const PAST = 1.001;
const FEED_FORWARD: FixId[] = ['lr-schedule', 'clip'];
const RECURRENT: FixId[] = ['clip', 'lr-schedule'];
/** Gradients already growing through the stack at step 0: the initialization, which batchnorm rescales. */
const AT_INIT: FixId[] = ['batchnorm', 'clip', 'lr-schedule'];
const RNN_LAYERS: LayerInput[] = [
  { name: 'simple_rnn_1', type: 'simpleRNN', activation: 'tanh' },
  { name: 'dense_1', type: 'dense', activation: 'linear' },
];

/**
 * A 300-step run with a healthy, slowly falling loss whose global gradient norm is `global`;
 * `worst` (a kernel) follows it and the other kernels stay at `global`'s first value.
 */
function gradients(global: SeriesInput, worst = 'dense_2/kernel', steps = 300): ProbeTrace {
  const first = typeof global === 'function' ? global(0) : typeof global === 'number' ? global : global[0]!;
  return buildTrace({
    loss: (step) => 10 * Math.exp(-step / 100),
    steps,
    globalGradNorm: global,
    gradNorm: { 'dense_1/kernel': first, 'dense_2/kernel': first, 'dense_3/kernel': first, [worst]: global },
  });
}

/** First, middle and last kernels at constant norms: the AUTOTRAINER first/last ratio is `first / last`. */
function layered(first: SeriesInput, last: SeriesInput, steps = 300): ProbeTrace {
  return buildTrace({
    loss: (step) => 10 * Math.exp(-step / 100),
    steps,
    gradNorm: { 'dense_1/kernel': first, 'dense_2/kernel': 1, 'dense_3/kernel': last },
  });
}

interface TriggerRow extends TraceRow {
  severity: Severity;
  /** Which reading the evidence reports. */
  by: 'growth' | 'non-finite' | 'ratio' | 'init';
  layer: string;
  step: number;
  fixes: FixId[];
  mentions?: string[];
  measured?: number;
}

const mustTrigger: TriggerRow[] = [
  {
    name: 'exploding-rnn: ReLU RNN, gradient norm 79 → 1.9e14 in 4 steps, then NaN gradients for 295 steps',
    trace: fixtureTrace('exploding-rnn'),
    severity: 'critical',
    by: 'growth',
    layer: 'simple_rnn_1',
    step: 4,
    fixes: RECURRENT,
    mentions: ['simple_rnn_1/recurrent_kernel', 'non-finite values (Inf/NaN) at 295 steps from step 5', 'Pascanu'],
  },
  {
    name: 'lr-too-high: SGD at 5x the usable rate, gradient norm to 1.3e26, then NaN loss at step 7',
    trace: fixtureTrace('lr-too-high'),
    severity: 'critical',
    by: 'growth',
    layer: 'dense_3',
    step: 4,
    fixes: FEED_FORWARD,
    mentions: ['dense_3/kernel', 'then the loss became NaN at step 7'],
  },
  {
    name: 'boston-unscaled: raw features, gradient norm 1.4e5 → 2.4e18 in one step',
    trace: fixtureTrace('boston-unscaled'),
    severity: 'critical',
    by: 'growth',
    layer: 'dense_2',
    step: 1,
    fixes: FEED_FORWARD,
    mentions: ['in 1 step', 'NaN at step 2'],
  },
  {
    name: `a jump just past ${GRADIENT_GROWTH_LIMIT}x that stays up`,
    trace: gradients(switchAt(100, 1, GRADIENT_GROWTH_LIMIT * PAST)),
    severity: 'critical',
    by: 'growth',
    layer: 'dense_2',
    step: 100,
    fixes: FEED_FORWARD,
    measured: GRADIENT_GROWTH_LIMIT * PAST,
  },
  {
    name: '1.5x per step from step 100: past the limit at step 118 (1.5^18 = 1478), named in the first layer',
    trace: gradients(
      switchAt(100, 1, (step) => 1.5 ** (step - 100)),
      'dense_1/kernel',
      130,
    ),
    severity: 'critical',
    by: 'growth',
    layer: 'dense_1',
    step: 118,
    fixes: FEED_FORWARD,
    mentions: ['dense_1/kernel', `in ${GROWTH_WINDOW} steps`],
  },
  {
    name: 'a late blow-up, measured against the level just before it (the norm had fallen 2000x from its start)',
    trace: gradients(switchAt(250, geometric(100, 0.97), 100)),
    severity: 'critical',
    by: 'growth',
    layer: 'dense_2',
    step: 250,
    fixes: FEED_FORWARD,
  },
  {
    name: 'a recurrent model: clip first',
    trace: buildTrace({
      loss: (step) => 10 * Math.exp(-step / 100),
      gradNorm: {
        'simple_rnn_1/kernel': 1,
        'simple_rnn_1/recurrent_kernel': switchAt(50, 1, 1e5),
        'dense_1/kernel': 1,
      },
      layers: RNN_LAYERS,
    }),
    severity: 'critical',
    by: 'growth',
    layer: 'simple_rnn_1',
    step: 50,
    fixes: RECURRENT,
    mentions: ['recurrent'],
  },
  {
    name: 'non-finite gradients while the loss stays finite, without growth first',
    trace: buildTrace({
      loss: (step) => 10 * Math.exp(-step / 100),
      gradNorm: { 'dense_1/kernel': 1, 'dense_2/kernel': switchAt(100, 1, Number.NaN), 'dense_3/kernel': 1 },
    }),
    severity: 'critical',
    by: 'non-finite',
    layer: 'dense_2',
    step: 100,
    fixes: FEED_FORWARD,
    mentions: ['200 steps of 300', 'dense_2/kernel'],
    measured: 200,
  },
  {
    name: `AUTOTRAINER: first kernel's gradient norm just past ${FIRST_LAST_RATIO_LIMIT}x the last one's at every step`,
    trace: layered(FIRST_LAST_RATIO_LIMIT * PAST, 1),
    severity: 'warning',
    by: 'ratio',
    layer: 'dense_1',
    step: 0,
    fixes: FEED_FORWARD,
    mentions: ['dense_1/kernel', 'dense_3/kernel', 'Less certain'],
    measured: FIRST_LAST_RATIO_LIMIT * PAST,
  },
  {
    name: 'AUTOTRAINER ratio 200x sustained under mini-batch noise (median), first past it at step 0',
    trace: layered(noisy(200, 0.5, 7), noisy(1, 0.5, 8)),
    severity: 'warning',
    by: 'ratio',
    layer: 'dense_1',
    step: 0,
    // Past the limit and growing through the stack from step 0, before any update: the init's doing.
    fixes: AT_INIT,
  },
  {
    name: 'growing 10x per layer through four kernels before any update, then NaN at step 3: critical, init first',
    trace: buildTrace({
      loss: [2.3, 2.4, 9, Number.NaN],
      gradNorm: { 'dense_1/kernel': 1000, 'dense_2/kernel': 100, 'dense_3/kernel': 10, 'dense_4/kernel': 1 },
    }),
    severity: 'critical',
    by: 'init',
    layer: 'dense_1',
    step: 0,
    fixes: AT_INIT,
    mentions: ['Before any update', 'through 4 kernels', 'batch normalization'],
    measured: 1000,
  },
];

const mustNotTrigger: TraceRow[] = [
  ...realTraceRows(HEALTHY_TRACES, ': a healthy run (gradient norm noise under 10x)'),
  { name: 'deep-sigmoid: vanishing, not exploding', trace: fixtureTrace('deep-sigmoid') },
  { name: 'softmax-one-unit: every gradient exactly 0', trace: fixtureTrace('softmax-one-unit') },
  { name: 'lr-too-low', trace: fixtureTrace('lr-too-low') },
  {
    name: 'gradients growing with depth at step 0 for only three steps, no NaN: too few steps for the ratio rule',
    trace: buildTrace({
      loss: [2.3, 2.2, 2.1],
      gradNorm: { 'dense_1/kernel': 1000, 'dense_2/kernel': 100, 'dense_3/kernel': 10, 'dense_4/kernel': 1 },
    }),
  },
  { name: 'sigmoid-regression: gradients die out', trace: fixtureTrace('sigmoid-regression') },
  {
    name: `a jump of exactly ${GRADIENT_GROWTH_LIMIT}x that stays up`,
    trace: gradients(switchAt(100, 1, GRADIENT_GROWTH_LIMIT)),
  },
  {
    name: `a one-step spike of ${GRADIENT_GROWTH_LIMIT * 10}x that comes straight back down: one hard batch, not a blow-up`,
    trace: gradients((step) => (step === 100 ? GRADIENT_GROWTH_LIMIT * 10 : 1)),
  },
  {
    name: 'batch size 1: the norm follows each example, 1e-6 on easy ones and 1 on a hard one after them',
    trace: gradients((step) => (step % 7 === 6 ? 1 : 1e-6)),
  },
  { name: 'heavy mini-batch noise on the gradient norm (log-normal, sigma 1)', trace: gradients(noisy(5, 1, 3)) },
  {
    name: 'a slow drift up by 1000x over 300 steps is not a blow-up (1.6x per 20 steps)',
    trace: gradients((step) => 1000 ** (step / 300)),
  },
  {
    name: `a rise to ${GRADIENT_GROWTH_LIMIT * 2}x spread over ${GROWTH_WINDOW * 3} steps (each window grows < ${GRADIENT_GROWTH_LIMIT}x)`,
    trace: gradients(switchAt(100, 1, (step) => Math.min(2000, 2000 ** ((step - 100) / (GROWTH_WINDOW * 3))))),
  },
  { name: 'a gradient that starts at exactly 0 has no growth factor', trace: gradients(switchAt(10, 0, 1)) },
  {
    name: 'NaN gradients only at the NaN-loss step follow from the loss; they are nan-loss evidence',
    trace: buildTrace({
      loss: [...Array.from({ length: 50 }, () => 10), Number.NaN],
      gradNorm: { 'dense_1/kernel': switchAt(50, 1, Number.NaN), 'dense_2/kernel': 1 },
    }),
  },
  { name: `AUTOTRAINER ratio exactly ${FIRST_LAST_RATIO_LIMIT}`, trace: layered(FIRST_LAST_RATIO_LIMIT, 1) },
  { name: `AUTOTRAINER ratio 200 but only ${MIN_RATIO_STEPS - 1} steps`, trace: layered(200, 1, MIN_RATIO_STEPS - 1) },
  {
    name: 'AUTOTRAINER ratio 200 in a third of the steps only (median 1)',
    trace: layered((step) => (step % 3 === 0 ? 200 : 1), 1),
  },
  {
    name: 'a single kernel has no first/last ratio',
    trace: buildTrace({ loss: 1, gradNorm: { 'dense_1/kernel': 1, 'dense_1/bias': 500 } }),
  },
];

describe('exploding-gradients', () => {
  describe('must trigger', () => {
    it.each(mustTrigger)('$name', ({ trace, severity, by, layer, step, fixes, mentions = [], measured }) => {
      const finding = onlyFinding(explodingGradients.detect({ trace }));
      const threshold = {
        growth: GRADIENT_GROWTH_LIMIT,
        'non-finite': 0,
        ratio: FIRST_LAST_RATIO_LIMIT,
        init: FIRST_LAST_RATIO_LIMIT,
      }[by];

      expectFinding(finding, {
        symptom: 'exploding-gradients',
        severity,
        layer,
        step,
        threshold,
        mentions,
        fixes,
        confidence: [0.6, by === 'ratio' ? 0.7 : 0.99],
      });
      expect(finding.evidence.measured).toBeGreaterThan(threshold);
      if (measured !== undefined) expect(finding.evidence.measured).toBeCloseTo(measured, 6);
      expect(finding.message).toContain(formatNumber(finding.evidence.measured));
      expect(finding.message).toContain(by === 'non-finite' ? 'limit 0' : `${formatNumber(threshold)}x`);
    });
  });

  describeMustNotTrigger(explodingGradients, mustNotTrigger);

  it(`measures growth against the median of the first ${BASELINE_STEPS} steps, so one low step does not inflate it`, () => {
    // Step 2 is 1e4x below the others: against it, step 3 would be a 1e4x growth; against the median it is 1x.
    const finding = explodingGradients.detect({
      trace: gradients([1, 1, 1e-4, 1, 1, 1, 1, 1, 1, 1, 1, 1], 'dense_2/kernel', 12),
    });
    expect(finding).toEqual([]);
  });

  it('is more confident the further the growth passes the limit', () => {
    const confidence = (factor: number) =>
      onlyFinding(explodingGradients.detect({ trace: gradients(switchAt(100, 1, factor)) })).confidence;
    expect(confidence(GRADIENT_GROWTH_LIMIT * PAST)).toBe(0.6);
    expect(confidence(GRADIENT_GROWTH_LIMIT * 1e2)).toBeCloseTo(0.9, 9);
    expect(confidence(GRADIENT_GROWTH_LIMIT * 1e6)).toBe(0.99);
  });
});
