import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import {
  ceilOneDigit,
  clipFix,
  clipNormFor,
  DEFAULT_CLIP_NORM,
  gradientEvidence,
  healthyNorms,
} from '../../src/fixes/clip.js';
import type { FixContext } from '../../src/fixes/transform.js';
import type { ProbeTrace } from '../../src/trace/trace.js';
import type { Finding } from '../../src/symptoms/finding.js';
import { fixtureTrace } from '../symptoms/trace-builder.js';
import {
  applyTwice,
  contextFor,
  diagnosedContext,
  exampleConfig,
  exampleDiagnosis,
  snapshot,
  type Example,
} from './fix-fixtures.js';

/** A real trace whose global gradient norms are replaced, e.g. by a model with tiny gradients. */
function withNorms(name: Example, norms: number[]): ProbeTrace {
  const trace = fixtureTrace(name);
  return { ...trace, globalGradNorm: [...norms, ...trace.globalGradNorm.slice(norms.length)] };
}

function withClip(
  config: Config,
  clipNorm: number | null,
  clipValue: number | null = config.training.clipValue,
): Config {
  return { ...config, training: { ...config.training, clipNorm, clipValue } };
}

describe('healthy gradient norms: the first steps before a blow-up', () => {
  it.each([
    // The ReLU RNN: 79, 63, then 10532 (148x their median) at step 2.
    { example: 'exploding-rnn', healthy: [79.24913315408659, 63.02256861019194] },
    // Raw Boston features: 1.38e5 at step 0, then 2.43e18 at step 1.
    { example: 'boston-unscaled', healthy: [138_000] },
    { example: 'lr-too-high', healthy: [108, 211] },
    // Deep sigmoid: noisy but healthy, so the first 10 steps.
    { example: 'deep-sigmoid', healthy: [0.718, 0.105, 0.0759, 0.263, 0.19, 0.0707, 0.363, 0.0496, 0.276, 0.00823] },
  ] as const)('$example', ({ example, healthy }) => {
    const measured = healthyNorms(fixtureTrace(example));
    expect(measured).toHaveLength(healthy.length);
    measured.forEach((norm, index) =>
      expect(norm).toBeCloseTo(healthy[index]!, -Math.floor(Math.log10(healthy[index]!)) + 2),
    );
  });

  it('finds the peak and the first non-finite norm of the exploding RNN', () => {
    const evidence = gradientEvidence(fixtureTrace('exploding-rnn'));
    expect(evidence.median).toBeCloseTo(71.136, 3);
    expect(evidence.peak!.step).toBe(4);
    expect(evidence.peak!.value).toBeCloseTo(1.8724e14, -10);
    expect(evidence.nonFiniteStep).toBe(5);
  });

  it('rounds up to one significant digit', () => {
    expect([0.0312, 0.03, 0.3, 0.7, 1.475, 7, 71.1, 0.00823].map(ceilOneDigit)).toEqual([
      0.04, 0.03, 0.3, 0.7, 2, 7, 80, 0.009,
    ]);
  });

  it('the rule: min(1.0, 10 × healthy median rounded up); 1.0 without evidence', () => {
    expect(clipNormFor(null)).toBe(DEFAULT_CLIP_NORM);
    expect(clipNormFor(gradientEvidence(fixtureTrace('exploding-rnn')))).toBe(1);
    expect(clipNormFor(gradientEvidence(fixtureTrace('deep-sigmoid')))).toBe(1);
    expect(clipNormFor(gradientEvidence(withNorms('iris-healthy', Array(10).fill(0.0043))))).toBe(0.05);
    // softmax over one unit: every gradient is exactly 0, which says nothing about a threshold.
    expect(clipNormFor(gradientEvidence(fixtureTrace('softmax-one-unit')))).toBe(1);
  });
});

interface Row {
  name: string;
  example: Example;
  /** training.clipNorm before the fix. */
  clipNorm?: number | null;
  context: (config: Config) => FixContext;
  /** The new clipNorm; null when the fix changes nothing. */
  to: number | null;
  why?: RegExp[];
}

const explodingRnn = (config: Config) => diagnosedContext('exploding-rnn', config);

const rows: Row[] = [
  {
    name: 'the exploding ReLU RNN with its probe: 1.0, naming the healthy median and the explosion',
    example: 'exploding-rnn',
    context: explodingRnn,
    to: 1,
    why: [
      /at 1 \(convdoc's default; Pascanu, Mikolov & Bengio 2013\)/,
      /median gradient norm of the first 2 steps was 71\.1/,
      /peaked at 1\.87e\+14 at step 4 and turned non-finite at step 5/,
      /learningRate × 1 = 0\.01\./,
    ],
  },
  {
    name: 'raw Boston features blowing up at step 1',
    example: 'boston-unscaled',
    context: (config) => diagnosedContext('boston-unscaled', config),
    to: 1,
    why: [
      /gradient norm of the first step was 138000/,
      /peaked at 2\.43e\+18 at step 1 and turned non-finite at step 2/,
    ],
  },
  {
    name: 'SGD at 5x the right rate',
    example: 'lr-too-high',
    context: (config) => diagnosedContext('lr-too-high', config),
    to: 1,
    why: [/median gradient norm of the first 2 steps was 160/, /learningRate × 1 = 0\.05/],
  },
  {
    name: 'Adam (sigmoid-regression): the clip bounds the gradient Adam is fed, not the update',
    example: 'sigmoid-regression',
    context: (config) => diagnosedContext('sigmoid-regression', config),
    to: 1,
    why: [
      /median gradient norm of the first 10 steps was 5\.98, it peaked at 27\.1 at step 1, so adam is never fed a gradient of norm above 1\.$/,
    ],
  },
  {
    name: 'tiny gradients (median 0.0043): ten times the healthy level, rounded up',
    example: 'iris-healthy',
    context: (config) => contextFor(config, { trace: withNorms('iris-healthy', Array(10).fill(0.0043)) }),
    to: 0.05,
    why: [
      /at 0\.05 \(ten times the healthy median gradient norm, rounded up;/,
      /median gradient norm of the first 10 steps was 0\.0043/,
    ],
  },
  {
    name: 'no probe trace: the default 1.0',
    example: 'exploding-rnn',
    context: (config) => contextFor(config),
    to: 1,
    why: [
      /^Clip the global gradient norm at 1 \(convdoc's default; Pascanu, Mikolov & Bengio 2013\), so no update exceeds learningRate × 1 = 0\.01\.$/,
    ],
  },
  {
    name: 'clipNorm 1 set and the run still explodes: halved',
    example: 'exploding-rnn',
    clipNorm: 1,
    context: explodingRnn,
    to: 0.5,
    why: [
      /^The run still exploded with clipNorm 1: /,
      /so it is halved to 0\.5 and no update exceeds learningRate × 0\.5 = 0\.005\.$/,
      /peaked at 1\.87e\+14 at step 4/,
    ],
  },
  {
    name: 'clipNorm 50 set and the run still explodes: the rule’s 1.0, below half of it',
    example: 'exploding-rnn',
    clipNorm: 50,
    context: explodingRnn,
    to: 1,
    why: [
      /so it is lowered to 1, the rule's value, below half of it and no update exceeds learningRate × 1 = 0\.01\.$/,
    ],
  },
  {
    name: 'clipNorm set, no trace, a nan-loss finding: halved',
    example: 'boston-unscaled',
    clipNorm: 2,
    context: (config) =>
      contextFor(config, {
        findings: exampleDiagnosis('boston-unscaled').findings.filter((finding) => finding.symptom === 'nan-loss'),
      }),
    to: 1,
    why: [
      /^The run still exploded with clipNorm 2, so it is halved to 1 and no update exceeds learningRate × 1 = 0\.01\.$/,
    ],
  },
  {
    name: 'clipNorm set and the run is healthy: nothing to change',
    example: 'iris-healthy',
    clipNorm: 1,
    context: (config) => diagnosedContext('iris-healthy', config),
    to: null,
  },
  {
    name: 'clipNorm set, explosion seen only as other symptoms (dead ReLU): nothing to change',
    example: 'sigmoid-regression',
    clipNorm: 1,
    context: (config) => diagnosedContext('sigmoid-regression', config),
    to: null,
  },
];

describe('clip fix', () => {
  it.each(rows)('$name', ({ example, clipNorm, context: makeContext, to, why }) => {
    const loaded = exampleConfig(example);
    const config = clipNorm === undefined ? loaded : withClip(loaded, clipNorm);
    const context = makeContext(config);
    const before = snapshot(config);
    const result = clipFix.apply(config, context);
    const { first } = applyTwice(clipFix, config, context);
    expect(first).toEqual(result);
    expect(config).toEqual(before);

    if (to === null) {
      expect(result.changes).toEqual([]);
      expect(result.config).toBe(config);
      return;
    }
    expect(result.config).toEqual(withClip(config, to));
    expect(result.changes).toEqual([
      { path: ['training', 'clipNorm'], from: config.training.clipNorm, to, why: expect.any(String) },
    ]);
    for (const pattern of why ?? []) expect(result.changes[0]!.why).toMatch(pattern);
    // The model is not touched.
    expect(result.config.model).toBe(config.model);
  });

  it('is idempotent once the fixed run is diagnosed healthy (no explosion left to halve for)', () => {
    const config = exampleConfig('exploding-rnn');
    const first = clipFix.apply(config, explodingRnn(config));
    const second = clipFix.apply(first.config, contextFor(first.config));
    expect(second.changes).toEqual([]);
    expect(second.config).toBe(first.config);
  });

  it('keeps clipValue: the probe applies it after the norm clip', () => {
    const config = withClip(exampleConfig('exploding-rnn'), null, 5);
    const result = clipFix.apply(config, explodingRnn(config));
    expect(result.config.training).toMatchObject({ clipNorm: 1, clipValue: 5 });
  });

  it('the exploding RNN diagnosis recommends clip first, as the fix expects', () => {
    const findings: Finding[] = exampleDiagnosis('exploding-rnn').findings;
    expect(findings.find((finding) => finding.symptom === 'exploding-gradients')?.fixes[0]).toBe('clip');
  });
});
