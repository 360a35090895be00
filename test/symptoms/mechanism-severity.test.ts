import { describe, expect, it } from 'vitest';
import { findSymptoms } from '../../src/symptoms/engine.js';
import type { Finding } from '../../src/symptoms/finding.js';
import type { Severity, SymptomId } from '../../src/symptoms/ids.js';
import { MECHANISM_SYMPTOMS, mechanismSeverity } from '../../src/symptoms/mechanism-severity.js';
import type { ProbeTrace } from '../../src/trace/trace.js';
import { BOSTON_FEATURES, summary } from './data-summary.js';
import { DEFAULT_CHANCE, syntheticTrace, atChanceTrace as atChance, learnedTrace as learned } from './trace-builder.js';
import { finding as mechanismFinding } from './finding-builder.js';

/** Falling from chance to 0.9x of it: not learned by the end (measured: the trace has no longer plan). */
const barely = () =>
  syntheticTrace({
    loss: (step) => DEFAULT_CHANCE * (1 - (0.1 * step) / 300),
    valLoss: (step) => DEFAULT_CHANCE * (1 - (0.1 * step) / 300),
  });
/** No finite loss at all: no end to judge, so no evidence that the run learned. */
const noLoss = (): ProbeTrace => ({ ...learned(), loss: learned().loss.map(() => Number.NaN), valLoss: [] });

const finding = (symptom: SymptomId, severity: Severity) => mechanismFinding(symptom, severity, ['activation']);

interface Row {
  name: string;
  trace: () => ProbeTrace;
  mechanism: SymptomId;
  beside?: Finding;
  severity: Severity;
}

const rows: Row[] = [
  ...[...MECHANISM_SYMPTOMS].map((mechanism): Row => ({
    name: `${mechanism} in a run that learned, alone: a warning`,
    trace: learned,
    mechanism,
    severity: 'warning',
  })),
  ...[...MECHANISM_SYMPTOMS].map((mechanism): Row => ({
    name: `${mechanism} in a run at chance: critical`,
    trace: atChance,
    mechanism,
    severity: 'critical',
  })),
  {
    name: 'a run that fell only to 0.9x chance has not learned',
    trace: barely,
    mechanism: 'dead-relu',
    severity: 'critical',
  },
  { name: 'no loss to judge: critical, as detected', trace: noLoss, mechanism: 'dead-relu', severity: 'critical' },
  {
    name: 'a learned run with a critical lr-too-high beside: critical',
    trace: learned,
    mechanism: 'saturated-activations',
    beside: finding('lr-too-high', 'critical'),
    severity: 'critical',
  },
  {
    name: 'a learned run with a critical nan-loss beside: critical',
    trace: learned,
    mechanism: 'unstable-activations',
    beside: finding('nan-loss', 'critical'),
    severity: 'critical',
  },
  {
    name: 'a learned run with a plateau warning beside: a warning (a warning shows no harm)',
    trace: learned,
    mechanism: 'saturated-activations',
    beside: finding('plateau', 'warning'),
    severity: 'warning',
  },
  {
    name: 'a learned run with critical exploding gradients beside: a mechanism, not loss harm',
    trace: learned,
    mechanism: 'dead-relu',
    beside: finding('exploding-gradients', 'critical'),
    severity: 'warning',
  },
  {
    name: 'a learned run with critical overfitting beside: not what the units explain',
    trace: learned,
    mechanism: 'dead-relu',
    beside: finding('overfitting', 'critical'),
    severity: 'warning',
  },
];

describe('mechanismSeverity: units and gradients are critical only beside the harm the loss shows', () => {
  it.each(rows)('$name', ({ trace, mechanism, beside, severity }) => {
    const given = [finding(mechanism, 'critical'), ...(beside === undefined ? [] : [beside])];
    const [judged, other] = mechanismSeverity(given, trace());
    expect(judged!.severity).toBe(severity);
    expect(judged!.fixes).toEqual(['activation']);
    if (severity === 'warning') expect(judged!.message).toMatch(/no harm from it.*The run learns \(below 0\.8x\)/);
    if (beside !== undefined) expect(other).toBe(beside);
  });

  it('leaves every other finding, and a warning, as they are', () => {
    const given = [finding('exploding-gradients', 'critical'), finding('saturated-activations', 'warning')];
    expect(mechanismSeverity(given, learned())).toEqual(given);
  });
});

describe('in the engine', () => {
  const saturatedLearned = () =>
    syntheticTrace({
      layers: [
        { name: 'dense_1', activation: 'sigmoid', units: 8, saturatedFraction: 0.9, nearSaturatedFraction: 1 },
        { name: 'dense_2', activation: 'linear', units: 1 },
      ],
    });

  it('a saturated layer of a run that learned is a warning, and no harm that keeps raw inputs critical', () => {
    const findings = findSymptoms({
      data: { data: summary({ featureStats: BOSTON_FEATURES }) },
      trace: saturatedLearned(),
    });
    const severities = Object.fromEntries(findings.map((found) => [found.symptom, found.severity]));
    expect(severities).toMatchObject({ 'saturated-activations': 'warning', 'unscaled-inputs': 'warning' });
  });

  it('without a judged trace (inspect) nothing is lowered', () => {
    const findings = findSymptoms({ data: { data: summary({ featureStats: BOSTON_FEATURES }) } });
    expect(findings.find((found) => found.symptom === 'unscaled-inputs')?.severity).toBe('critical');
  });
});
