import { describe, expect, it } from 'vitest';
import type { ProbeTrace } from '../../src/trace/trace.js';
import type { Severity } from '../../src/symptoms/ids.js';
import {
  DEPTH_SCALE_LIMIT,
  GROWTH_LIMIT,
  SCALE_CRITICAL,
  unstableActivations,
} from '../../src/symptoms/unstable-activations.js';
import { formatNumber } from '../../src/util/format.js';
import { onlyFinding } from './data-summary.js';
import { describeMustNotTrigger, expectFinding, realTraceRows, type TraceRow } from './dynamics-cases.js';
import { FIXTURE_TRACES, HEALTHY_TRACES, syntheticTrace, type SeriesInput } from './trace-builder.js';

const PAST = 1.001;
/** Evaluation index of the last evaluation of a synthetic trace (step 300). */
const LAST = 30;

/** Hidden layers with these output stds (per evaluation index), then a linear output of std `output`. */
function stack(stds: SeriesInput[], output: SeriesInput = 1): ProbeTrace {
  return syntheticTrace({
    layers: [
      ...stds.map((std, k) => ({ name: `dense_${k + 1}`, activation: 'relu', std })),
      { name: `dense_${stds.length + 1}`, activation: 'linear', units: 1, std: output },
    ],
  });
}
/** A std that grows geometrically from `start` at the first evaluation to `start × factor` at the last. */
const growing = (start: number, factor: number) => (evaluation: number) => start * factor ** (evaluation / LAST);

interface TriggerRow extends TraceRow {
  severity: Severity;
  layer: string;
  step: number;
  measured: number;
  threshold: number;
  /** The drift named in the message. */
  mentions: string[];
}

const mustTrigger: TriggerRow[] = [
  {
    name: 'std grows just past 100x from the first hidden layer to the last',
    trace: stack([1, 10, DEPTH_SCALE_LIMIT * PAST]),
    severity: 'warning',
    layer: 'dense_3',
    step: 300,
    measured: DEPTH_SCALE_LIMIT * PAST,
    threshold: DEPTH_SCALE_LIMIT,
    mentions: ['grows', 'dense_1', 'through depth'],
  },
  {
    name: 'std shrinks just past 1/100 through depth',
    trace: stack([1, 0.1, 1 / (DEPTH_SCALE_LIMIT * PAST)]),
    severity: 'warning',
    layer: 'dense_3',
    step: 300,
    measured: 1 / (DEPTH_SCALE_LIMIT * PAST),
    threshold: 1 / DEPTH_SCALE_LIMIT,
    mentions: ['shrinks', 'dense_1'],
  },
  {
    name: 'five layers, each 10x the one before: 1e4x through depth is critical',
    trace: stack([0.01, 0.1, 1, 10, 100]),
    severity: 'critical',
    layer: 'dense_5',
    step: 300,
    measured: SCALE_CRITICAL,
    threshold: DEPTH_SCALE_LIMIT,
    mentions: ['grows'],
  },
  {
    name: "one hidden layer's std grows just past 100x during the probe",
    trace: stack([growing(0.5, GROWTH_LIMIT * PAST)]),
    severity: 'warning',
    layer: 'dense_1',
    step: 300,
    measured: GROWTH_LIMIT * PAST,
    threshold: GROWTH_LIMIT,
    mentions: ['grew', 'step 0'],
  },
  {
    name: 'the faster-growing of two layers is named (both grow by the same ratio through depth)',
    trace: stack([growing(1, 200), growing(1, 5000)]),
    severity: 'warning',
    layer: 'dense_2',
    step: 300,
    measured: 5000,
    threshold: GROWTH_LIMIT,
    mentions: ['dense_1 (200x)'],
  },
];

const otherExamples = FIXTURE_TRACES.filter((name) => !HEALTHY_TRACES.includes(name));

const mustNotTrigger: TraceRow[] = [
  ...realTraceRows([...HEALTHY_TRACES, ...otherExamples]),
  { name: 'exactly 100x through depth', trace: stack([1, DEPTH_SCALE_LIMIT]) },
  { name: 'exactly 1/100 through depth', trace: stack([1, 1 / DEPTH_SCALE_LIMIT]) },
  { name: 'a layer growing exactly 100x during the probe', trace: stack([growing(0.5, GROWTH_LIMIT)]) },
  {
    name: 'the output layer grows 1000x to match a large target (not hidden)',
    trace: stack([0.5, 0.7], growing(0.1, 1000)),
  },
  { name: 'a dead (constant) last hidden layer has no scale: dead-relu reports it', trace: stack([0.5, 0.6, 0]) },
  { name: 'a single hidden layer has no depth to drift through', trace: stack([50]) },
  { name: 'healthy synthetic run', trace: syntheticTrace() },
];

describe('unstable-activations', () => {
  describe('must trigger', () => {
    it.each(mustTrigger)('$name', ({ trace, severity, layer, step, measured, threshold, mentions }) => {
      const finding = onlyFinding(unstableActivations.detect({ trace }));
      expectFinding(finding, {
        symptom: 'unstable-activations',
        severity,
        layer,
        step,
        threshold,
        mentions,
        fixes: ['batchnorm', 'normalize'],
        confidence: [0.6, 0.99],
      });
      expect(finding.evidence.measured).toBeCloseTo(measured, 6);
      const crosses = threshold >= 1 ? finding.evidence.measured > threshold : finding.evidence.measured < threshold;
      expect(crosses).toBe(true);
      const factor = threshold >= 1 ? finding.evidence.measured : 1 / finding.evidence.measured;
      expect(finding.message).toContain(`${formatNumber(factor)}x`);
      expect(finding.message).toContain(
        threshold >= 1 ? `${formatNumber(threshold)}x` : `1/${formatNumber(1 / threshold)}`,
      );
      expect(finding.message).toContain(layer);
      expect(finding.message).toContain(`step ${step}`);
    });
  });

  describeMustNotTrigger(unstableActivations, mustNotTrigger);

  it('reports drift through depth and growth over time as two findings, one per place', () => {
    const findings = unstableActivations.detect({ trace: stack([1, growing(1, 1000)]) });
    expect(findings.map((finding) => [finding.layer, finding.evidence.threshold])).toEqual([
      ['dense_2', DEPTH_SCALE_LIMIT],
      ['dense_2', GROWTH_LIMIT],
    ]);
  });

  it('skips evaluations whose std is not finite', () => {
    const trace = stack([1, growing(1, 50)]);
    trace.activations[1]!.std[LAST] = Number.POSITIVE_INFINITY;
    expect(unstableActivations.detect({ trace })).toEqual([]);
  });
});
