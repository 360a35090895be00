import { describe, expect, it } from 'vitest';
import type { ProbeTrace } from '../../src/trace/trace.js';
import { GRADIENT_GROWTH_LIMIT } from '../../src/symptoms/exploding-gradients.js';
import type { FixId } from '../../src/symptoms/ids.js';
import { DIVERGENCE_RATIO } from '../../src/symptoms/divergence-limits.js';
import { nanLoss, NON_FINITE_LOSS_LIMIT } from '../../src/symptoms/nan-loss.js';
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
} from './trace-builder.js';

const PAST = 1.001;
const RNN_LAYERS: LayerInput[] = [
  { name: 'simple_rnn_1', type: 'simpleRNN', activation: 'relu' },
  { name: 'dense_1', type: 'dense', activation: 'linear' },
];

/**
 * A run whose loss is `losses` (ending in a non-finite value) and whose global gradient norm is
 * `grad`; every kernel follows it, the `leader` faster (it is the one a message names).
 */
function blowUp(
  losses: number[],
  grad: (step: number) => number,
  { recurrent = false, leader }: { recurrent?: boolean; leader?: string } = {},
): ProbeTrace {
  const variables = recurrent
    ? ['simple_rnn_1/kernel', 'simple_rnn_1/recurrent_kernel', 'dense_1/kernel']
    : ['dense_1/kernel', 'dense_2/kernel', 'dense_3/kernel'];
  return buildTrace({
    loss: losses,
    globalGradNorm: grad,
    gradNorm: Object.fromEntries(
      variables.map((name) => [name, (step: number) => grad(step) * (name === leader ? 2 ** step : 1)]),
    ),
    ...(recurrent ? { layers: RNN_LAYERS } : {}),
  });
}

/** 3x per step for `steps` steps, then NaN. */
const rising = (steps: number, factor = 3) => [
  ...Array.from({ length: steps }, (_, k) => 10 * factor ** k),
  Number.NaN,
];
/** Flat at `level`, then NaN. */
const flatThenNaN = (steps: number, level = 10) => [...Array.from({ length: steps }, () => level), Number.NaN];

interface TriggerRow extends TraceRow {
  step: number;
  fixes: FixId[];
  layer?: string;
  /** Strings the message must contain (beyond the step and the measured count). */
  mentions?: string[];
  advice?: boolean;
}

const mustTrigger: TriggerRow[] = [
  {
    name: 'lr-too-high: SGD at 5x the usable rate, loss 185 → 5.9e28 in 5 steps, gradient norm to 1.3e26, then NaN at step 7',
    trace: fixtureTrace('lr-too-high'),
    step: 7,
    fixes: ['lr-schedule', 'clip'],
    layer: 'dense_3',
    mentions: ['3.21e+26x in 5 steps', '1.32e+26', 'dense_3/kernel'],
  },
  {
    name: 'boston-unscaled: raw features, the loss grows 8.8e15x in one step, NaN at step 2',
    trace: fixtureTrace('boston-unscaled'),
    step: 2,
    fixes: ['lr-schedule', 'clip'],
    layer: 'dense_2',
    mentions: ['8.79e+15x in 1 step', '2.43e+18'],
  },
  {
    name: 'feed-forward: gradient norm grows 10x per step, then NaN: lower the learning rate first',
    trace: blowUp(rising(8, 10), geometric(1, 10), { leader: 'dense_2/kernel' }),
    step: 8,
    fixes: ['lr-schedule', 'clip'],
    layer: 'dense_2',
    mentions: ['gradient norm grew', 'dense_2/kernel', 'blew the weights up'],
  },
  {
    name: 'recurrent: the same blow-up in a simpleRNN: clip first (Pascanu et al. 2013)',
    trace: blowUp(rising(8, 10), geometric(1, 10), { recurrent: true, leader: 'simple_rnn_1/recurrent_kernel' }),
    step: 8,
    fixes: ['clip', 'lr-schedule'],
    layer: 'simple_rnn_1',
    mentions: ['recurrent', 'simple_rnn_1/recurrent_kernel'],
  },
  {
    name: `recurrent, gradient growth just past ${GRADIENT_GROWTH_LIMIT}x before the NaN: clip first`,
    trace: blowUp(rising(7), switchAt(6, 1, GRADIENT_GROWTH_LIMIT * PAST), { recurrent: true }),
    step: 7,
    fixes: ['clip', 'lr-schedule'],
    layer: 'simple_rnn_1',
  },
  {
    name: `recurrent, gradient growth exactly ${GRADIENT_GROWTH_LIMIT}x while the loss diverged: not an explosion, lower the learning rate first`,
    trace: blowUp(rising(7), switchAt(6, 1, GRADIENT_GROWTH_LIMIT), { recurrent: true }),
    step: 7,
    fixes: ['lr-schedule', 'clip'],
    mentions: [`within ${formatNumber(GRADIENT_GROWTH_LIMIT)}x`, 'learning rate is too high'],
  },
  {
    name: 'recurrent, no growth but non-finite gradients before the NaN loss: an explosion, clip first',
    trace: buildTrace({
      loss: flatThenNaN(20),
      gradNorm: {
        'simple_rnn_1/kernel': 1,
        'simple_rnn_1/recurrent_kernel': switchAt(15, 1, Number.POSITIVE_INFINITY),
        'dense_1/kernel': 1,
      },
      layers: RNN_LAYERS,
    }),
    step: 20,
    fixes: ['clip', 'lr-schedule'],
    layer: 'simple_rnn_1',
    mentions: ['non-finite values from step 15'],
  },
  {
    name: 'a NaN out of nowhere (flat loss, flat gradients): the fixes stay, with advice to check the data and the loss',
    trace: buildTrace({ loss: [...Array.from({ length: 100 }, (_, step) => noisy(10, 0.1)(step)), Number.NaN] }),
    step: 100,
    fixes: ['lr-schedule', 'clip'],
    mentions: ['no warning', `${formatNumber(DIVERGENCE_RATIO)}x of its minimum`],
    advice: true,
  },
  {
    name: 'a NaN on the very first batch, before any update: no training fix applies',
    trace: buildTrace({ loss: [Number.NaN] }),
    step: 0,
    fixes: [],
    mentions: ['before any update'],
    advice: true,
  },
  {
    name: 'an infinite loss is named as such',
    trace: buildTrace({ loss: [...rising(5).slice(0, 5), Number.POSITIVE_INFINITY] }),
    step: 5,
    fixes: ['lr-schedule', 'clip'],
    mentions: ['became Infinity at step 5'],
  },
  {
    name: 'a loss that doubles exactly (the divergence limit) before the NaN is named as a rise',
    trace: buildTrace({ loss: [10, 10, 10 * DIVERGENCE_RATIO, Number.NaN] }),
    step: 3,
    fixes: ['lr-schedule', 'clip'],
    mentions: [`loss grew ${formatNumber(DIVERGENCE_RATIO)}x`],
  },
];

const mustNotTrigger: TraceRow[] = [
  ...realTraceRows(HEALTHY_TRACES, ': a healthy run'),
  {
    name: 'exploding-rnn: gradients are NaN from step 5, but the loss stays finite',
    trace: fixtureTrace('exploding-rnn'),
  },
  { name: 'deep-sigmoid: stuck at chance, finite', trace: fixtureTrace('deep-sigmoid') },
  { name: 'softmax-one-unit: zero gradients, finite loss', trace: fixtureTrace('softmax-one-unit') },
  { name: 'lr-too-low', trace: fixtureTrace('lr-too-low') },
  { name: 'sigmoid-regression', trace: fixtureTrace('sigmoid-regression') },
  {
    name: 'a huge but finite loss (1e30) is not NaN',
    trace: buildTrace({ loss: geometric(1, 10 ** 0.1), steps: 300 }),
  },
  {
    name: 'a run stopped by the time budget',
    trace: buildTrace({ loss: noisy(10, 0.2), steps: 40, stoppedEarly: 'time-budget' }),
  },
];

describe('nan-loss', () => {
  describe('must trigger', () => {
    it.each(mustTrigger)('$name', ({ trace, step, fixes, layer, mentions = [], advice = false }) => {
      const finding = onlyFinding(nanLoss.detect({ trace }));

      expectFinding(finding, {
        symptom: 'nan-loss',
        severity: 'critical',
        layer,
        step,
        threshold: NON_FINITE_LOSS_LIMIT,
        mentions,
        fixes,
        confidence: [0.99, 0.99],
      });
      expect(finding.evidence.measured).toBeGreaterThan(finding.evidence.threshold);
      expect(finding.message).toContain(`at step ${step}`);
      expect(finding.message).toContain(`${finding.evidence.measured} non-finite loss`);
      expect(finding.message).toContain(`limit ${NON_FINITE_LOSS_LIMIT}`);
      expect(finding.fixes.every((fix) => nanLoss.fixes.includes(fix))).toBe(true);
      expect(finding.advice !== undefined).toBe(advice);
    });
  });

  describeMustNotTrigger(nanLoss, mustNotTrigger);

  it('on a log, a NaN in the first row blames no optimizer step and claims no gradient evidence', () => {
    const first = onlyFinding(nanLoss.detect({ trace: buildTrace({ loss: [Number.NaN] }), origin: 'log' }));
    expect(first.message).toContain('in the first logged row');
    expect(first.message).not.toContain('before any update');
    const lossOnly = { ...buildTrace({ loss: [10, 10, 40, 160, Number.NaN] }), globalGradNorm: [], gradNorm: {} };
    const diverged = onlyFinding(nanLoss.detect({ trace: lossOnly, origin: 'log' }));
    expect(diverged.message).not.toContain('gradient');
    expect(diverged.evidence.what).toBe('non-finite training losses in the log');
  });

  /** Training losses at steps 1-4; evaluations at `evalStep`. */
  const evaluated = (evalStep: number[], valLoss: number[]) => ({
    ...buildTrace({ loss: [10, 9, 8, 7] }),
    step: [1, 2, 3, 4],
    evalStep,
    valLoss,
  });

  it('a log that ends on a non-finite validation loss, no training loss after it, diverged', () => {
    const finding = onlyFinding(nanLoss.detect({ trace: evaluated([2, 4, 5], [6, 5, Number.NaN]), origin: 'log' }));
    expect(finding.severity).toBe('critical');
    expect(finding.step).toBe(5);
    expect(finding.message).toContain('The validation loss became NaN at step 5');
    expect(finding.evidence.what).toBe('non-finite validation losses');
  });

  it.each([
    ['a run that trains past its NaN validation loss', [1, 2], [6, Number.NaN]],
    ['a stand-in: no finite validation loss at all', [2, 4], [Number.NaN, Number.NaN]],
    ['a last validation loss that is finite', [1, 2, 4], [6, Number.NaN, 4]],
  ])('no validation nan-loss: %s', (_name, evalStep, valLoss) => {
    expect(nanLoss.detect({ trace: evaluated(evalStep, valLoss), origin: 'log' })).toEqual([]);
  });

  it('judges a trace whose stop reason says NaN even when the NaN itself was not kept', () => {
    const trace = buildTrace({ loss: [10, 20, 40] });
    const finding = onlyFinding(nanLoss.detect({ trace: { ...trace, stoppedEarly: 'nan-loss', nanStep: 3 } }));
    expect(finding.step).toBe(3);
  });
});

describe('nan-loss after a first update larger than the weights', () => {
  const overshot = (learningRate: number) =>
    buildTrace({
      loss: [554, Number.NaN],
      gradNorm: { 'dense_1/kernel': 3, 'dense_2/kernel': 2, 'dense_3/kernel': 1 },
      updateRatio: { 'dense_1/kernel': Infinity, 'dense_2/kernel': Infinity, 'dense_3/kernel': 40 },
      learningRate,
    });

  it.each([
    { rate: 1e300, mentions: ['past what float32 holds', 'The learning rate 1e+300 is far too high'] },
    { rate: 0.01, mentions: ['The step (learning rate × gradient) is far too large', 'unscaled inputs'] },
  ])('at rate $rate: the update, not the data', ({ rate, mentions }) => {
    const finding = onlyFinding(nanLoss.detect({ trace: overshot(rate) }));
    expectFinding(finding, {
      symptom: 'nan-loss',
      severity: 'critical',
      layer: 'dense_1',
      step: 1,
      threshold: NON_FINITE_LOSS_LIMIT,
      mentions: ['The first update moved dense_1/kernel', ...mentions],
      fixes: ['lr-schedule', 'clip'],
      confidence: [0.99, 0.99],
    });
    expect(finding.message).not.toContain('data');
    expect(finding.advice).toBeUndefined();
  });
});
