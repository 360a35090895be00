import { describe, expect, it } from 'vitest';
import type { ProbeTrace } from '../../src/trace/trace.js';
import {
  DEAD_FRACTION_CRITICAL,
  DEAD_FRACTION_LIMIT,
  deadRelu,
  LARGE_UPDATE_RATIO,
  LAST_EVALUATIONS,
} from '../../src/symptoms/dead-relu.js';
import type { FixId, Severity } from '../../src/symptoms/ids.js';
import { formatNumber } from '../../src/util/format.js';
import { onlyFinding } from './data-summary.js';
import {
  describeMustNotTrigger,
  expectFinding,
  itCoversEveryFixtureTrace,
  realTraceRows,
  type TraceRow,
} from './dynamics-cases.js';
import {
  fixtureTrace,
  HEALTHY_TRACES,
  switchAt,
  syntheticTrace,
  type FixtureTrace,
  type SeriesInput,
} from './trace-builder.js';

/** Just past a threshold: far enough for floating point, close enough to be a boundary. */
const PAST = 1.001;
const percent = (fraction: number) => `${formatNumber(fraction * 100)}%`;
/** A relu, relu, linear MLP with these dead fractions (per evaluation index) in its two hidden layers. */
const mlp = (first: SeriesInput, second: SeriesInput = 0, activation = 'relu'): ProbeTrace =>
  syntheticTrace({
    layers: [
      { name: 'dense_1', activation, units: 64, deadFraction: first },
      { name: 'dense_2', activation, units: 64, deadFraction: second },
      { name: 'dense_3', activation: 'linear', units: 1 },
    ],
  });
/** The same trace as a convdoc_torch recording reads: activation samples that carry their own training steps. */
const recorded = (trace: ProbeTrace): ProbeTrace => ({
  ...trace,
  activations: trace.activations.map((activations) => ({ ...activations, step: [...trace.evalStep] })),
});
/** Evaluation index of step 100 in a synthetic trace (one evaluation every 10 steps). */
const EVAL_100 = 10;

interface TriggerRow extends TraceRow {
  severity: Severity;
  layer: string;
  step: number;
  measured: number;
  fixes: FixId[];
  /** Other text the message must contain: downstream layers, caveats. */
  mentions?: string[];
  maxConfidence?: number;
}

const mustTrigger: TriggerRow[] = [
  {
    name: 'exploding-rnn: the recurrent ReLU layer is dead from step 10 on (at its last time step)',
    trace: fixtureTrace('exploding-rnn'),
    severity: 'critical',
    layer: 'simple_rnn_1',
    step: 10,
    measured: 1,
    // Alive at step 0, dead after the exploding gradients' updates: the step size first.
    fixes: ['lr-schedule', 'activation'],
    mentions: ['dense_1', 'input never positive', 'last time step', 'Less certain', 'large updates killed them'],
    maxConfidence: 0.9,
  },
  {
    name: 'sigmoid-regression: 35 of 64 units of dense_2 died once the output saturated',
    trace: fixtureTrace('sigmoid-regression'),
    severity: 'warning',
    layer: 'dense_2',
    step: 20,
    measured: 35 / 64,
    fixes: ['activation', 'lr-schedule'],
  },
  {
    name: 'just past the 50% limit: a warning',
    trace: mlp(DEAD_FRACTION_LIMIT * PAST),
    severity: 'warning',
    layer: 'dense_1',
    step: 0,
    measured: DEAD_FRACTION_LIMIT * PAST,
    fixes: ['activation', 'lr-schedule'],
    maxConfidence: 0.61,
  },
  {
    name: 'just under the critical level: still a warning',
    trace: mlp(DEAD_FRACTION_CRITICAL / PAST),
    severity: 'warning',
    layer: 'dense_1',
    step: 0,
    measured: DEAD_FRACTION_CRITICAL / PAST,
    fixes: ['activation', 'lr-schedule'],
  },
  {
    name: 'exactly at the critical level',
    trace: mlp(DEAD_FRACTION_CRITICAL),
    severity: 'critical',
    layer: 'dense_1',
    step: 0,
    measured: DEAD_FRACTION_CRITICAL,
    fixes: ['activation', 'lr-schedule'],
  },
  {
    name: 'units die at step 100 (a learning-rate spike): the step is where they stayed dead from',
    trace: mlp(switchAt(EVAL_100, 0.05, 0.75)),
    severity: 'warning',
    layer: 'dense_1',
    step: 100,
    measured: 0.75,
    fixes: ['activation', 'lr-schedule'],
  },
  {
    name: 'a fully dead first layer is the cause; the layers after it are named in the same finding',
    trace: mlp(1, 1),
    severity: 'critical',
    layer: 'dense_1',
    step: 0,
    measured: 1,
    fixes: ['activation', 'lr-schedule'],
    mentions: ['dense_2 (100%)', 'constant input', 'dense_3'],
  },
  {
    name: 'first layer 60% dead, second fully dead: one finding at the first, critical for the second',
    trace: mlp(0.6, 1),
    severity: 'critical',
    layer: 'dense_1',
    step: 0,
    measured: 0.6,
    fixes: ['activation', 'lr-schedule'],
    mentions: ['dense_2 (100%)'],
  },
  {
    name: 'alive at step 0, dead after updates of half the weights: the learning rate first',
    trace: syntheticTrace({
      layers: [
        {
          name: 'dense_1',
          activation: 'relu',
          units: 64,
          deadFraction: switchAt(EVAL_100, 0.05, 0.95),
          updateRatio: (step) => (step === 95 ? 5 * LARGE_UPDATE_RATIO : 1e-3),
        },
        { name: 'dense_2', activation: 'relu', units: 64, deadFraction: 0 },
        { name: 'dense_3', activation: 'linear', units: 1 },
      ],
    }),
    severity: 'critical',
    layer: 'dense_1',
    step: 100,
    measured: 0.95,
    fixes: ['lr-schedule', 'activation'],
    mentions: [
      '5% were dead at step 0; the rest died',
      'update of 0.5x',
      'at step 95',
      'lower the learning rate first',
    ],
  },
  {
    name: 'past the limit at step 0 (60%), critical only after a large update: the learning rate first',
    trace: syntheticTrace({
      layers: [
        {
          name: 'dense_1',
          activation: 'relu',
          units: 64,
          deadFraction: switchAt(EVAL_100, 0.6, 1),
          updateRatio: (step) => (step === 0 ? 3 : 1e-3),
        },
        { name: 'dense_2', activation: 'relu', units: 64, deadFraction: 0 },
        { name: 'dense_3', activation: 'linear', units: 1 },
      ],
    }),
    severity: 'critical',
    layer: 'dense_1',
    step: 0,
    measured: 1,
    fixes: ['lr-schedule', 'activation'],
    mentions: ['60% were dead at step 0; the rest died after an update of 3x'],
  },
  {
    name: `dead at step 0, before any update: the activation or the initialization first`,
    trace: mlp(0.95),
    severity: 'critical',
    layer: 'dense_1',
    step: 0,
    measured: 0.95,
    fixes: ['activation', 'lr-schedule'],
    mentions: ['95% were dead at step 0', 'the initialization or the activation'],
  },
  {
    name: 'only the second layer dies',
    trace: mlp(0.1, 0.8),
    severity: 'warning',
    layer: 'dense_2',
    step: 0,
    measured: 0.8,
    fixes: ['activation', 'lr-schedule'],
  },
  {
    name: 'leakyRelu units below zero everywhere: a warning only, and LeakyReLU is no fix for it',
    trace: mlp(0.95, 0, 'leakyRelu'),
    severity: 'warning',
    layer: 'dense_1',
    step: 0,
    measured: 0.95,
    fixes: ['lr-schedule'],
    mentions: ['small gradient'],
    maxConfidence: 0.8,
  },
  {
    name: 'a recurrent ReLU layer, dead at its last time step: the caveat and a lower confidence',
    trace: (() => {
      const trace = mlp(0);
      Object.assign(trace.layers[0]!, { type: 'simpleRNN' });
      Object.assign(trace.activations[0]!, { deadFraction: trace.activations[0]!.mean.map(() => 1) });
      return trace;
    })(),
    severity: 'critical',
    layer: 'dense_1',
    step: 0,
    measured: 1,
    fixes: ['activation', 'lr-schedule'],
    mentions: ['last time step'],
    maxConfidence: 0.9,
  },
];

const recordedRows: TriggerRow[] = [
  {
    name: 'a recorded run: measured on the training batch of each recorded step, not on a probe batch',
    trace: recorded(mlp(0.95)),
    severity: 'critical',
    layer: 'dense_1',
    step: 0,
    measured: 0.95,
    fixes: ['activation', 'lr-schedule'],
    mentions: ["input never positive on each recorded step's training batch"],
  },
  {
    name: 'a recorded run whose units died at step 100',
    trace: recorded(mlp(switchAt(EVAL_100, 0.05, 0.75))),
    severity: 'warning',
    layer: 'dense_1',
    step: 100,
    measured: 0.75,
    fixes: ['activation', 'lr-schedule'],
    mentions: ["each recorded step's training batch"],
  },
];

const otherExamples: FixtureTrace[] = [
  'boston-unscaled',
  'deep-sigmoid',
  'lr-too-high',
  'lr-too-low',
  'softmax-one-unit',
];

const mustNotTrigger: TraceRow[] = [
  ...realTraceRows([...HEALTHY_TRACES, ...otherExamples]),
  { name: 'exactly at the 50% limit', trace: mlp(DEAD_FRACTION_LIMIT, DEAD_FRACTION_LIMIT) },
  { name: 'healthy synthetic run (no dead units)', trace: syntheticTrace() },
  { name: 'units that died early and revived before the end', trace: mlp(switchAt(EVAL_100, 0.9, 0.1)) },
  {
    name: `past the limit at the last evaluation only (the lowest of the last ${LAST_EVALUATIONS} counts)`,
    trace: mlp((evaluation) => (evaluation === 30 ? 1 : 0.2)),
  },
  {
    name: 'every unit "dead" only because the output is NaN (nan-loss reports it)',
    trace: (() => {
      const trace = mlp(1);
      trace.activations[0]!.mean = trace.activations[0]!.mean.map(() => Number.NaN);
      return trace;
    })(),
  },
  {
    name: 'a constant tanh layer is not a dead ReLU',
    trace: syntheticTrace({
      layers: [
        { name: 'dense_1', activation: 'tanh', mean: 0, std: 0 },
        { name: 'dense_2', activation: 'linear' },
      ],
    }),
  },
];

describe('dead-relu', () => {
  describe('must trigger', () => {
    it.each(mustTrigger)(
      '$name',
      ({ trace, severity, layer, step, measured, fixes, mentions = [], maxConfidence = 0.99 }) => {
        const finding = onlyFinding(deadRelu.detect({ trace }));
        expectFinding(finding, {
          symptom: 'dead-relu',
          severity,
          layer,
          step,
          threshold: DEAD_FRACTION_LIMIT,
          mentions,
          fixes,
          confidence: [0.5, maxConfidence],
        });
        expect(finding.evidence.measured).toBeCloseTo(measured, 9);
        expect(finding.evidence.measured).toBeGreaterThan(finding.evidence.threshold);
        expect(finding.message).toContain(percent(finding.evidence.measured));
        expect(finding.message).toContain(percent(DEAD_FRACTION_LIMIT));
        expect(finding.message).toContain(layer);
        expect(finding.message).toContain(`step ${step}`);
        expect(deadRelu.fixes).toEqual(expect.arrayContaining(fixes));
      },
    );
  });

  describe('on a recording', () => {
    it.each(recordedRows)('$name', ({ trace, severity, layer, step, measured, fixes, mentions = [] }) => {
      const finding = onlyFinding(deadRelu.detect({ trace }));
      expectFinding(finding, {
        symptom: 'dead-relu',
        severity,
        layer,
        step,
        threshold: DEAD_FRACTION_LIMIT,
        mentions,
        fixes,
        confidence: [0.5, 0.99],
      });
      expect(finding.evidence.measured).toBeCloseTo(measured, 9);
      expect(finding.evidence.what).toContain(`lowest of the last ${LAST_EVALUATIONS} recorded steps`);
      // A recording has no probe batch and no evaluations of activations.
      expect(`${finding.message} ${finding.evidence.what}`).not.toMatch(/probe|evaluation/);
    });
  });

  describeMustNotTrigger(deadRelu, mustNotTrigger);

  it('is more confident the more units are dead', () => {
    const confidence = (fraction: number) => onlyFinding(deadRelu.detect({ trace: mlp(fraction) })).confidence;
    expect(confidence(0.6)).toBeLessThan(confidence(0.8));
    expect(confidence(0.8)).toBeLessThan(confidence(1));
    expect(confidence(1)).toBe(0.99);
  });

  it('is less confident, and says so, when the layer was measured fewer times than it needs', () => {
    const trace = mlp(1);
    for (const activations of trace.activations) {
      activations.mean = activations.mean.slice(0, 1);
      activations.std = activations.std.slice(0, 1);
      activations.deadFraction = activations.deadFraction?.slice(0, 1) ?? null;
    }
    trace.evalStep = [0];
    const finding = onlyFinding(deadRelu.detect({ trace }));
    expect(finding.confidence).toBeLessThan(0.85);
    expect(finding.message).toContain('only 1 evaluation');
    expect(onlyFinding(deadRelu.detect({ trace: recorded(trace) })).message).toContain('only 1 recorded step');
  });

  itCoversEveryFixtureTrace([...mustTrigger, ...mustNotTrigger]);
});
