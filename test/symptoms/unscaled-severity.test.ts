import { describe, expect, it } from 'vitest';
import type { ColumnStats } from '../../src/data/column-stats.js';
import type { DataSummary } from '../../src/data/summary.js';
import { findSymptoms } from '../../src/symptoms/engine.js';
import type { Severity, SymptomId } from '../../src/symptoms/ids.js';
import { severityFromHarm } from '../../src/symptoms/unscaled-severity.js';
import type { ProbeTrace } from '../../src/trace/trace.js';
import { BOSTON_FEATURES, column, summary } from './data-summary.js';
import {
  fixtureTrace,
  syntheticTrace,
  atChanceTrace as flatAtChance,
  learnedTrace as learned,
} from './trace-builder.js';
import { finding } from './finding-builder.js';

/** A pixel column of images: `std` around `mean` within [0, max]. */
const pixel = (name: string, mean: number, std: number, max: number) =>
  ({ ...column({ name, mean, std }), min: 0, max }) satisfies ColumnStats;

const RAW_PIXELS = [pixel('border', 0.003, 0.03, 128), pixel('stroke', 80, 110, 255)];
const SCALED_PIXELS = [pixel('border', 1e-5, 1e-4, 0.5), pixel('stroke', 0.3, 0.4, 1)];
/** A regression target around 1e5 (house prices in dollars): critical by its magnitude. */
const PRICE = column({ name: 'price', mean: 2e5, std: 8e4 });

/** The same run cut by its time budget after 2 steps: no evidence about training either way. */
const cutShort = (): ProbeTrace => ({
  ...fixtureTrace('boston-unscaled'),
  stoppedEarly: 'time-budget',
  stepsRun: 2,
  stepsPlanned: 300,
});

interface Row {
  name: string;
  data: Partial<DataSummary>;
  trace?: () => ProbeTrace;
  symptom: SymptomId;
  /** The scale finding's severity; null: none. */
  severity: Severity | null;
  /** What its message must say about the probe's evidence. */
  says?: RegExp;
}

const rows: Row[] = [
  {
    name: 'Boston raw features + a loss flat at chance: critical, naming the plateau',
    data: { featureStats: BOSTON_FEATURES },
    trace: flatAtChance,
    symptom: 'unscaled-inputs',
    severity: 'critical',
    says: /The probe shows the harm: .*plateau/,
  },
  {
    name: 'Boston raw features + a healthy falling loss: a warning',
    data: { featureStats: BOSTON_FEATURES },
    trace: () => syntheticTrace(),
    symptom: 'unscaled-inputs',
    severity: 'warning',
    says: /probe learned without a training problem.*consider standardizing/,
  },
  {
    name: 'Boston raw features + the real unscaled probe (NaN at step 2): critical',
    data: { featureStats: BOSTON_FEATURES },
    trace: () => fixtureTrace('boston-unscaled'),
    symptom: 'unscaled-inputs',
    severity: 'critical',
    says: /The probe shows the harm: .*nan-loss/,
  },
  {
    name: 'Boston raw features without a trace (inspect): the magnitude decides, as before',
    data: { featureStats: BOSTON_FEATURES },
    symptom: 'unscaled-inputs',
    severity: 'critical',
  },
  {
    name: 'Boston raw features + a probe its time budget cut short: no evidence, as before',
    data: { featureStats: BOSTON_FEATURES },
    trace: cutShort,
    symptom: 'unscaled-inputs',
    severity: 'critical',
  },
  {
    name: 'raw 0..255 pixels + a healthy run: still reported, as a warning',
    data: { featureStats: RAW_PIXELS },
    trace: () => syntheticTrace(),
    symptom: 'unscaled-inputs',
    severity: 'warning',
  },
  {
    name: 'raw 0..255 pixels + a plateau: critical',
    data: { featureStats: RAW_PIXELS },
    trace: flatAtChance,
    symptom: 'unscaled-inputs',
    severity: 'critical',
  },
  {
    name: '[0, 1] pixels with constant borders + a plateau: not unscaled',
    data: { featureStats: SCALED_PIXELS },
    trace: flatAtChance,
    symptom: 'unscaled-inputs',
    severity: null,
  },
  {
    name: 'a price target + a healthy falling loss: a warning',
    data: { targetStats: [PRICE] },
    trace: () => syntheticTrace(),
    symptom: 'unscaled-target',
    severity: 'warning',
  },
  {
    name: 'a price target + a plateau: critical',
    data: { targetStats: [PRICE] },
    trace: flatAtChance,
    symptom: 'unscaled-target',
    severity: 'critical',
    says: /The probe shows the harm: .*plateau/,
  },
];

describe('the severity of badly scaled data follows the harm the probe shows', () => {
  it.each(rows)('$name', ({ data, trace, symptom, severity, says }) => {
    const findings = findSymptoms({
      data: { data: summary(data) },
      ...(trace === undefined ? {} : { trace: trace() }),
    });
    const scale = findings.filter((finding) => finding.symptom === symptom);
    expect(scale.map((finding) => finding.severity)).toEqual(severity === null ? [] : [severity]);
    if (says !== undefined) expect(scale[0]!.message).toMatch(says);
  });
});

describe('severityFromHarm', () => {
  it.each([
    { name: 'a critical lr-too-low is harm', beside: finding('lr-too-low', 'critical'), severity: 'critical' },
    {
      name: 'a warning-level lr-too-high is harm too',
      beside: finding('lr-too-high', 'warning'),
      severity: 'critical',
    },
    { name: 'an info-level plateau is not', beside: finding('plateau', 'info'), severity: 'warning' },
    { name: 'overfitting is not what scale explains', beside: finding('overfitting', 'critical'), severity: 'warning' },
  ] as const)('$name', ({ beside, severity }) => {
    const [scale, other] = severityFromHarm([finding('unscaled-inputs', 'critical'), beside], flatAtChance());
    expect(scale!.severity).toBe(severity);
    expect(other).toBe(beside);
  });

  it.each([
    { name: 'beside a run at chance, a warning is harm', trace: flatAtChance, beside: 'warning', severity: 'critical' },
    { name: 'beside a run that learned, a warning is not', trace: learned, beside: 'warning', severity: 'warning' },
    {
      name: 'beside a run that learned, a critical finding still is',
      trace: learned,
      beside: 'critical',
      severity: 'critical',
    },
  ] as const)('$name', ({ trace, beside, severity }) => {
    const [scale] = severityFromHarm([finding('unscaled-inputs', 'critical'), finding('dead-relu', beside)], trace());
    expect(scale!.severity).toBe(severity);
  });

  it('leaves a warning a warning, whatever the harm: it is never raised', () => {
    const warning = finding('unscaled-target', 'warning');
    expect(severityFromHarm([warning, finding('nan-loss', 'critical')], flatAtChance())[0]).toBe(warning);
  });
});
