import { describe, expect, it } from 'vitest';
import type { ProbeTrace } from '../../src/trace/trace.js';
import type { FixId, Severity } from '../../src/symptoms/ids.js';
import {
  LAST_EVALUATIONS,
  NEAR_SATURATED_CRITICAL,
  NEAR_SATURATED_FRACTION_LIMIT,
  OUTPUT_STUCK_FRACTION_OF_CHANCE,
  SATURATED_FRACTION_LIMIT,
  saturatedActivations,
} from '../../src/symptoms/saturated-activations.js';
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
  DEFAULT_CHANCE,
  fixtureTrace,
  HEALTHY_TRACES,
  switchAt,
  syntheticTrace,
  type FixtureTrace,
  type SyntheticLayer,
} from './trace-builder.js';

const PAST = 1.001;
const percent = (fraction: number) => `${formatNumber(fraction * 100)}%`;
const HIDDEN_FIXES: FixId[] = ['activation', 'batchnorm'];
const OUTPUT_FIXES: FixId[] = ['normalize', 'batchnorm'];

/** A relu input layer, two hidden layers of `activation` with these statistics, and a linear output. */
function hidden(second: Partial<SyntheticLayer>, third: Partial<SyntheticLayer> = {}, activation = 'tanh'): ProbeTrace {
  return syntheticTrace({
    layers: [
      { name: 'dense_1', activation: 'relu' },
      { name: 'dense_2', activation, ...second },
      { name: 'dense_3', activation, ...third },
      { name: 'dense_4', activation: 'linear', units: 1 },
    ],
  });
}

/** A sigmoid output layer with these statistics; the validation loss drops from chance to `end` × chance at step 150. */
function sigmoidOutput(output: Partial<SyntheticLayer>, end: number): ProbeTrace {
  return syntheticTrace({
    valLoss: switchAt(150, DEFAULT_CHANCE, end * DEFAULT_CHANCE),
    layers: [
      { name: 'dense_1', activation: 'relu' },
      { name: 'dense_2', activation: 'sigmoid', units: 1, ...output },
    ],
  });
}

interface TriggerRow extends TraceRow {
  severity: Severity;
  layer: string;
  step: number;
  measured: number;
  threshold: number;
  fixes: FixId[];
  mentions?: string[];
}

const mustTrigger: TriggerRow[] = [
  {
    name: 'sigmoid-regression: the sigmoid output of house prices is pinned at 1 (float32 bound)',
    trace: fixtureTrace('sigmoid-regression'),
    severity: 'critical',
    layer: 'dense_3',
    step: 20,
    measured: 0.9140625,
    threshold: SATURATED_FRACTION_LIMIT,
    fixes: OUTPUT_FIXES,
    mentions: ['output layer', 'config-output-activation'],
  },
  {
    name: 'hidden tanh just past the float32-bound limit: critical (zero gradient)',
    trace: hidden({ saturatedFraction: SATURATED_FRACTION_LIMIT * PAST, nearSaturatedFraction: 0.6 }),
    severity: 'critical',
    layer: 'dense_2',
    step: 0,
    measured: SATURATED_FRACTION_LIMIT * PAST,
    threshold: SATURATED_FRACTION_LIMIT,
    fixes: HIDDEN_FIXES,
    mentions: ['|x| > 9.5'],
  },
  {
    name: 'hidden tanh just past the softer limit: a warning',
    trace: hidden({ nearSaturatedFraction: NEAR_SATURATED_FRACTION_LIMIT * PAST }),
    severity: 'warning',
    layer: 'dense_2',
    step: 0,
    measured: NEAR_SATURATED_FRACTION_LIMIT * PAST,
    threshold: NEAR_SATURATED_FRACTION_LIMIT,
    fixes: HIDDEN_FIXES,
    mentions: ['|x| > 3'],
  },
  {
    name: 'hidden sigmoid at the near-saturation critical level',
    trace: hidden({ nearSaturatedFraction: NEAR_SATURATED_CRITICAL }, {}, 'sigmoid'),
    severity: 'critical',
    layer: 'dense_2',
    step: 0,
    measured: NEAR_SATURATED_CRITICAL,
    threshold: NEAR_SATURATED_FRACTION_LIMIT,
    fixes: HIDDEN_FIXES,
    mentions: ['|x| > 6'],
  },
  {
    name: 'two hidden layers saturate from step 100: one finding at the first, naming the second',
    trace: hidden(
      { nearSaturatedFraction: switchAt(10, 0.1, 0.7) },
      { nearSaturatedFraction: switchAt(10, 0.1, 0.95) },
    ),
    severity: 'critical',
    layer: 'dense_2',
    step: 100,
    measured: 0.7,
    threshold: NEAR_SATURATED_FRACTION_LIMIT,
    fixes: HIDDEN_FIXES,
    mentions: ['dense_3 (95%)'],
  },
  {
    name: 'the first layer saturates: the inputs may be the cause, so normalize joins the fixes',
    trace: syntheticTrace({
      layers: [
        { name: 'dense_1', activation: 'tanh', nearSaturatedFraction: 0.8 },
        { name: 'dense_2', activation: 'linear', units: 1 },
      ],
    }),
    severity: 'warning',
    layer: 'dense_1',
    step: 0,
    measured: 0.8,
    threshold: NEAR_SATURATED_FRACTION_LIMIT,
    fixes: ['activation', 'batchnorm', 'normalize'],
  },
  {
    name: 'a sigmoid output saturated while the loss stays at the chance level',
    trace: sigmoidOutput({ nearSaturatedFraction: 0.7 }, 1),
    severity: 'warning',
    layer: 'dense_2',
    step: 0,
    measured: 0.7,
    threshold: NEAR_SATURATED_FRACTION_LIMIT,
    fixes: OUTPUT_FIXES,
  },
  {
    name: 'a saturated output with the loss just at the stuck level',
    trace: sigmoidOutput({ saturatedFraction: 0.8 }, OUTPUT_STUCK_FRACTION_OF_CHANCE),
    severity: 'critical',
    layer: 'dense_2',
    step: 0,
    measured: 0.8,
    threshold: SATURATED_FRACTION_LIMIT,
    fixes: OUTPUT_FIXES,
  },
];

const otherExamples: FixtureTrace[] = [
  'boston-unscaled',
  'deep-sigmoid',
  'exploding-rnn',
  'lr-too-high',
  'lr-too-low',
  'softmax-one-unit',
];

const mustNotTrigger: TraceRow[] = [
  ...realTraceRows([...HEALTHY_TRACES, ...otherExamples]),
  {
    name: 'both fractions exactly at their limits',
    trace: hidden({
      saturatedFraction: SATURATED_FRACTION_LIMIT,
      nearSaturatedFraction: NEAR_SATURATED_FRACTION_LIMIT,
    }),
  },
  { name: 'healthy tanh layers', trace: hidden({ nearSaturatedFraction: 0.05 }, { nearSaturatedFraction: 0.1 }) },
  { name: 'saturated early, recovered by the end', trace: hidden({ nearSaturatedFraction: switchAt(10, 0.9, 0.2) }) },
  {
    name: `past the limit at the last evaluation only (the lowest of the last ${LAST_EVALUATIONS} counts)`,
    trace: hidden({ nearSaturatedFraction: (evaluation) => (evaluation === 30 ? 1 : 0.1) }),
  },
  {
    name: 'a confident classifier: sigmoid output saturated, loss a tenth of chance',
    trace: sigmoidOutput({ saturatedFraction: 0.9, nearSaturatedFraction: 1 }, 0.1),
  },
  {
    name: 'a saturated output with the loss just under the stuck level',
    trace: sigmoidOutput({ saturatedFraction: 0.9 }, OUTPUT_STUCK_FRACTION_OF_CHANCE / PAST),
  },
  { name: 'relu layers have no saturation to measure', trace: syntheticTrace() },
];

describe('saturated-activations', () => {
  describe('must trigger', () => {
    it.each(mustTrigger)('$name', ({ trace, severity, layer, step, measured, threshold, fixes, mentions = [] }) => {
      const finding = onlyFinding(saturatedActivations.detect({ trace }));
      expectFinding(finding, {
        symptom: 'saturated-activations',
        severity,
        layer,
        step,
        threshold,
        mentions,
        fixes,
        confidence: [0.5, 0.99],
      });
      expect(finding.evidence.measured).toBeCloseTo(measured, 9);
      expect(finding.evidence.measured).toBeGreaterThan(finding.evidence.threshold);
      expect(finding.message).toContain(percent(finding.evidence.measured));
      expect(finding.message).toContain(`${percent(threshold)} limit`);
      expect(finding.message).toContain(layer);
      expect(finding.message).toContain(`step ${step}`);
      expect(saturatedActivations.fixes).toEqual(expect.arrayContaining(fixes));
    });
  });

  describeMustNotTrigger(saturatedActivations, mustNotTrigger);

  it('reports saturated hidden layers and a saturated output apart; the output never gets the activation fix', () => {
    const trace = syntheticTrace({
      valLoss: DEFAULT_CHANCE,
      layers: [
        { name: 'dense_1', activation: 'tanh', saturatedFraction: 0.7 },
        { name: 'dense_2', activation: 'sigmoid', units: 1, saturatedFraction: 0.9 },
      ],
    });
    const findings = saturatedActivations.detect({ trace });
    expect(findings.map((finding) => [finding.layer, finding.fixes])).toEqual([
      ['dense_1', ['activation', 'batchnorm', 'normalize']],
      ['dense_2', OUTPUT_FIXES],
    ]);
  });

  it('is less confident about the softer bound than the float32 one, and about an output without a chance level', () => {
    const hard = onlyFinding(saturatedActivations.detect({ trace: hidden({ saturatedFraction: 0.8 }) }));
    const soft = onlyFinding(saturatedActivations.detect({ trace: hidden({ nearSaturatedFraction: 0.8 }) }));
    expect(soft.confidence).toBeLessThan(hard.confidence);
    const unknown = sigmoidOutput({ saturatedFraction: 0.8 }, 1);
    unknown.chanceLoss = null;
    const finding = onlyFinding(saturatedActivations.detect({ trace: unknown }));
    expect(finding.confidence).toBeLessThan(hard.confidence);
    expect(finding.message).toContain('Less certain');
  });

  itCoversEveryFixtureTrace([...mustTrigger, ...mustNotTrigger]);
});
