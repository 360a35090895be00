import { describe, expect, it } from 'vitest';
import type { ProbeTrace } from '../../src/trace/trace.js';
import type { FixId, Severity } from '../../src/symptoms/ids.js';
import {
  FIRST_LAST_RATIO_LIMIT,
  FIRST_LAYER_UPDATE_LIMIT,
  MIN_PROGRESS,
  MIN_RATIO_STEPS,
  vanishingGradients,
} from '../../src/symptoms/vanishing-gradients.js';
import { formatNumber } from '../../src/util/format.js';
import { onlyFinding } from './data-summary.js';
import { describeMustNotTrigger, expectFinding, realTraceRows, type TraceRow } from './dynamics-cases.js';
import { buildTrace, decay, fixtureTrace, HEALTHY_TRACES, noisy, switchAt, type SeriesInput } from './trace-builder.js';

const PAST = 1.001;
const SQUASHING_FIRST: FixId[] = ['activation', 'batchnorm'];
const BATCHNORM_FIRST: FixId[] = ['batchnorm', 'activation'];
/** A loss stuck at its start (no progress) and one that falls to a tenth. */
const STALLED: SeriesInput = noisy(0.69, 0.02, 5);
const FALLING: SeriesInput = noisy(decay(1, 0.1, 50), 0.05, 6);

interface Deep {
  /** ‖g_first‖ / ‖g_last‖ per step. */
  ratio: SeriesInput;
  /** The first kernel's update ratio ‖Δw‖/‖w‖. */
  update?: SeriesInput;
  loss?: SeriesInput;
  /** The hidden layers' activation; the output is linear. */
  activation?: string;
  steps?: number;
}

/** Four dense layers whose last kernel's gradient norm is 1 and first kernel's is `ratio`. */
function deep({ ratio, update = 1e-6, loss = STALLED, activation = 'sigmoid', steps = 300 }: Deep): ProbeTrace {
  return buildTrace({
    loss,
    steps,
    gradNorm: { 'dense_1/kernel': ratio, 'dense_2/kernel': 1e-2, 'dense_3/kernel': 1e-1, 'dense_4/kernel': 1 },
    updateRatio: { 'dense_1/kernel': update },
    layers: ['dense_1', 'dense_2', 'dense_3', 'dense_4'].map((name, index) => ({
      name,
      activation: index < 3 ? activation : 'linear',
    })),
  });
}

interface TriggerRow extends TraceRow {
  severity: Severity;
  layer: string;
  step: number;
  fixes: FixId[];
  measured?: number;
  mentions?: string[];
}

const mustTrigger: TriggerRow[] = [
  {
    name: 'deep-sigmoid: 8 sigmoid layers, first/last kernel gradient ratio ~3e-6, first layer frozen, loss at chance',
    trace: fixtureTrace('deep-sigmoid'),
    severity: 'critical',
    layer: 'dense_1',
    step: 0,
    fixes: SQUASHING_FIRST,
    mentions: ['dense_1/kernel', 'dense_9/kernel', '8 hidden layers with sigmoid/tanh', 'validation loss'],
  },
  {
    name: `ratio just under ${FIRST_LAST_RATIO_LIMIT}, first layer frozen, loss stalled: critical`,
    trace: deep({ ratio: FIRST_LAST_RATIO_LIMIT / PAST }),
    severity: 'critical',
    layer: 'dense_1',
    step: 0,
    fixes: SQUASHING_FIRST,
    measured: FIRST_LAST_RATIO_LIMIT / PAST,
  },
  {
    name: 'ReLU network: first layer frozen but the loss still falls (later layers learn): a warning, batchnorm first',
    trace: deep({ ratio: 1e-4, loss: FALLING, activation: 'relu' }),
    severity: 'warning',
    layer: 'dense_1',
    step: 0,
    fixes: BATCHNORM_FIRST,
    measured: 1e-4,
    mentions: ['below the 1e-5 limit', 'Batch normalization'],
  },
  {
    name: 'Adam-like: the first layer still moves (update 1e-3) but the loss is stuck: the loss companion holds',
    trace: deep({ ratio: 1e-5, update: 1e-3, activation: 'tanh' }),
    severity: 'critical',
    layer: 'dense_1',
    step: 0,
    fixes: SQUASHING_FIRST,
    mentions: ['above the 1e-5 limit', 'sigmoid/tanh'],
  },
  {
    name: `first-layer update just under ${FIRST_LAYER_UPDATE_LIMIT}, loss falling: a warning`,
    trace: deep({ ratio: 1e-4, update: FIRST_LAYER_UPDATE_LIMIT / PAST, loss: FALLING }),
    severity: 'warning',
    layer: 'dense_1',
    step: 0,
    fixes: SQUASHING_FIRST,
  },
  {
    name: `loss progress just under ${MIN_PROGRESS * 100}% (10 → 9.6), first layer moving: critical`,
    trace: deep({ ratio: 1e-4, update: 1e-3, loss: switchAt(150, 10, 9.6) }),
    severity: 'critical',
    layer: 'dense_1',
    step: 0,
    fixes: SQUASHING_FIRST,
    mentions: ['fell 4%'],
  },
  {
    name: 'ratio under mini-batch noise (log-normal, sigma 1, median 1e-4), first below the limit at step 0',
    trace: deep({ ratio: noisy(1e-4, 1, 9) }),
    severity: 'critical',
    layer: 'dense_1',
    step: 0,
    fixes: SQUASHING_FIRST,
  },
  {
    name: 'gradients that start healthy and vanish from step 40: first seen at step 40',
    trace: deep({ ratio: switchAt(40, 0.5, 1e-5) }),
    severity: 'critical',
    layer: 'dense_1',
    step: 40,
    fixes: SQUASHING_FIRST,
  },
];

const mustNotTrigger: TraceRow[] = [
  ...realTraceRows(HEALTHY_TRACES, ': a healthy run'),
  {
    name: 'softmax-one-unit: every gradient exactly 0 (0/0 is a config bug, not vanishing)',
    trace: fixtureTrace('softmax-one-unit'),
  },
  { name: 'boston-unscaled: NaN at step 2', trace: fixtureTrace('boston-unscaled') },
  { name: 'lr-too-high: NaN at step 7', trace: fixtureTrace('lr-too-high') },
  { name: 'exploding-rnn: 5 measurable steps, then NaN gradients', trace: fixtureTrace('exploding-rnn') },
  { name: 'lr-too-low: every layer tiny alike, ratio ~1', trace: fixtureTrace('lr-too-low') },
  { name: 'sigmoid-regression: all gradients die together, ratio ~1', trace: fixtureTrace('sigmoid-regression') },
  { name: `ratio exactly ${FIRST_LAST_RATIO_LIMIT}`, trace: deep({ ratio: FIRST_LAST_RATIO_LIMIT }) },
  {
    name: `ratio 1e-4, but the first layer moves (update exactly ${FIRST_LAYER_UPDATE_LIMIT}) and the loss falls: no harm shown`,
    trace: deep({ ratio: 1e-4, update: FIRST_LAYER_UPDATE_LIMIT, loss: FALLING }),
  },
  {
    name: `ratio 1e-4, first layer moving, loss progress exactly ${MIN_PROGRESS * 100}% (10 → 9.5)`,
    trace: deep({ ratio: 1e-4, update: 1e-3, loss: switchAt(150, 10, 9.5) }),
  },
  {
    name: 'first kernel gradient exactly 0 while the last is not: dead units, not vanishing',
    trace: deep({ ratio: 0 }),
  },
  {
    name: `tiny ratio but a NaN loss at step ${MIN_RATIO_STEPS - 1}: too few steps`,
    trace: deep({ ratio: 1e-6, loss: [...Array.from({ length: MIN_RATIO_STEPS - 1 }, () => 1), Number.NaN] }),
  },
  {
    name: 'tiny ratio on only 40% of the steps (the rest exactly 0): under half the run',
    trace: deep({ ratio: (step) => (step % 5 < 2 ? 1e-6 : 0) }),
  },
  {
    name: 'a single kernel',
    trace: buildTrace({
      loss: STALLED,
      gradNorm: { 'dense_1/kernel': 1e-9, 'dense_1/bias': 1 },
      updateRatio: { 'dense_1/kernel': 1e-9 },
    }),
  },
];

describe('vanishing-gradients', () => {
  describe('must trigger', () => {
    it.each(mustTrigger)('$name', ({ trace, severity, layer, step, fixes, measured, mentions = [] }) => {
      const finding = onlyFinding(vanishingGradients.detect({ trace }));

      expectFinding(finding, {
        symptom: 'vanishing-gradients',
        severity,
        layer,
        step,
        threshold: FIRST_LAST_RATIO_LIMIT,
        mentions,
        fixes,
        confidence: [0.5, 0.99],
      });
      expect(finding.evidence.measured).toBeLessThan(FIRST_LAST_RATIO_LIMIT);
      if (measured !== undefined) expect(finding.evidence.measured).toBeCloseTo(measured, 12);
      expect(finding.message).toContain(formatNumber(finding.evidence.measured));
      expect(finding.message).toContain(`limit ${formatNumber(FIRST_LAST_RATIO_LIMIT)}`);
      expect(finding.message).toContain(layer);
      expect(finding.message).toContain(`step ${step}`);
    });
  });

  describeMustNotTrigger(vanishingGradients, mustNotTrigger);

  it('is less confident when only one companion condition holds', () => {
    const both = onlyFinding(vanishingGradients.detect({ trace: deep({ ratio: 1e-5 }) }));
    const lossOnly = onlyFinding(vanishingGradients.detect({ trace: deep({ ratio: 1e-5, update: 1e-3 }) }));
    const updateOnly = onlyFinding(vanishingGradients.detect({ trace: deep({ ratio: 1e-5, loss: FALLING }) }));
    expect(both.confidence).toBe(0.9);
    expect(lossOnly.confidence).toBeLessThan(both.confidence);
    expect(updateOnly.confidence).toBeLessThan(both.confidence);
  });
});
