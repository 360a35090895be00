/**
 * Both logged losses rising and staying up (lr-too-high on a log, losses-rise-together.ts): GL_5 on
 * the training loss's tenths and on the validation loss's evaluations, each over its last three
 * points and beyond its point-to-point noise. It must not fire on overfitting (training still falls),
 * on noisy healthy runs, on a recovered bump, or on a probe; and overfitting stands aside when it fires.
 */
import { describe, expect, it } from 'vitest';
import { lossesRiseTogether } from '../../src/symptoms/losses-rise-together.js';
import { overfitting } from '../../src/symptoms/overfitting.js';
import { notLearning } from '../../src/symptoms/not-learning.js';
import type { ProbeTrace } from '../../src/trace/trace.js';
import { jitter } from './trace-builder.js';

/** A log: training losses at steps 0..n-1, evaluations at `evalSteps`, an optional logged learning rate. */
function log(loss: readonly number[], valLoss: readonly number[], learningRate: readonly number[] = []): ProbeTrace {
  const evalStep = valLoss.map((_, k) => Math.round(((k + 1) * loss.length) / valLoss.length) - 1);
  return {
    backend: 'log',
    tfjsVersion: '0.0.0',
    lossName: 'loss',
    stepsPlanned: loss.length,
    stepsRun: loss.length,
    stoppedEarly: null,
    nanStep: null,
    seconds: 0,
    initialLoss: loss[0]!,
    chanceLoss: null,
    layers: [],
    targetScale: null,
    step: loss.map((_, step) => step),
    loss: [...loss],
    learningRate: [...learningRate],
    globalGradNorm: [],
    globalUpdateNorm: [],
    gradNorm: {},
    updateRatio: {},
    nonFiniteSteps: {},
    evalStep,
    valLoss: [...valLoss],
    valMetric: null,
    activations: [],
  };
}

const range = (length: number, at: (k: number) => number) => Array.from({ length }, (_, k) => at(k));
/** A warmup too high: the training loss falls to 0.12 by step 5, climbs to `peak` x that, and settles at `end` x. */
const warmedUpTooHigh = (peak: number, end: number) =>
  range(60, (s) =>
    s < 5 ? 0.8 - 0.136 * s : 0.12 * (s < 30 ? 1 + ((peak - 1) * (s - 5)) / 25 : s < 45 ? peak : end),
  ).map((loss, s) => loss * (1 + 0.03 * jitter(s)));
const falling = range(60, (s) => 0.1 + 0.7 * Math.exp(-s / 10));
const ramp = range(60, (s) => 1e-6 + (1e-4 * Math.min(s, 20)) / 20);

type Row = [string, ProbeTrace];
const mustTrigger: Row[] = [
  [
    'lr warmed up too high: training 0.12 -> 2.6x, ends 1.5x; validation 0.22 -> 0.40-0.44 (+83%)',
    log(warmedUpTooHigh(2.6, 1.5), [0.219, 0.416, 0.423, 0.41, 0.438, 0.402], ramp),
  ],
  [
    'five training losses rising 1.24 -> 2.16 -> 1.79 beside twenty evaluations all 20%+ above the first',
    log(
      [1.237, 2.028, 2.157, 1.985, 1.787],
      [2.553, 3.615, 3.491, 3.195, 3.959, 3.984, 3.72, 4.457, 4.003, 4.172, 3.639, 3.682, 3.934, 3.546, 3.453],
    ),
  ],
  [
    'both losses climbing steadily from the middle of the run',
    log(
      range(40, (s) => (s < 20 ? 1 - 0.03 * s : 0.4 + 0.02 * (s - 20))),
      range(10, (k) => (k < 5 ? 1 - 0.1 * k : 0.6 + 0.08 * (k - 4))),
    ),
  ],
];
const mustNotTrigger: Row[] = [
  [
    'overfitting: validation up 30% while the training loss keeps falling',
    log(
      falling,
      range(10, (k) => (k < 5 ? 1 - 0.1 * k : 0.6 * (1 + 0.06 * (k - 4)))),
    ),
  ],
  [
    'healthy: both losses fall',
    log(
      falling,
      range(10, (k) => 0.2 + 0.8 * Math.exp(-k / 3)),
    ),
  ],
  [
    'noisy per-batch training loss around a level, validation flat within 3%',
    log(
      range(300, (s) => 0.45 * (1 + 0.5 * jitter(s))),
      range(30, (k) => 0.15 * (1 + 0.03 * jitter(k + 7))),
    ),
  ],
  [
    'training loss up 20% and staying, validation still falling (a regularizer ramped up)',
    log(
      range(40, (s) => (s < 20 ? 1 - 0.02 * s : 0.72)),
      range(10, (k) => 1 - 0.05 * k),
    ),
  ],
  [
    'both losses bump 2x mid-run and come back below their earlier best',
    log(
      range(40, (s) => (s >= 15 && s < 22 ? 1.2 : 1 - 0.015 * s)),
      range(10, (k) => (k === 4 ? 1.4 : 1 - 0.04 * k)),
    ),
  ],
  [
    'validation rises 4% (under GL_5) beside a rising training loss',
    log(
      range(40, (s) => (s < 20 ? 1 - 0.02 * s : 0.6 + 0.01 * (s - 20))),
      range(10, (k) => (k < 5 ? 1 - 0.05 * k : 0.8 * (1 + 0.01 * (k - 4)))),
    ),
  ],
  ['three evaluations only (no best before the last three)', log(warmedUpTooHigh(2.6, 1.5), [0.219, 0.416, 0.423])],
];

describe('both losses rising together (lr-too-high on a log)', () => {
  it.each(mustTrigger)('mustTrigger: %s', (_, trace) => {
    const findings = lossesRiseTogether.detect({ trace, origin: 'log', stepUnit: 'step' });
    expect(findings).toHaveLength(1);
    expect(findings[0]!.severity).toBe('critical');
  });
  it.each(mustNotTrigger)('mustNotTrigger: %s', (_, trace) => {
    expect(lossesRiseTogether.detect({ trace, origin: 'log', stepUnit: 'step' })).toEqual([]);
  });
  it.each(mustTrigger)('does not judge a probe: %s', (_, trace) => {
    expect(lossesRiseTogether.detect({ trace, origin: 'probe', stepUnit: 'step' })).toEqual([]);
  });
  it.each(mustTrigger)('overfitting and not-learning stand aside: %s', (_, trace) => {
    expect(overfitting.detect({ trace, origin: 'log', stepUnit: 'step' })).toEqual([]);
    expect(notLearning.detect({ trace, origin: 'log', stepUnit: 'step' })).toEqual([]);
  });
  it('says when the learning rate was raised into the rise', () => {
    const [finding] = lossesRiseTogether.detect({ trace: mustTrigger[0]![1], origin: 'log', stepUnit: 'step' });
    expect(finding!.message).toMatch(/learning rate had been raised/);
  });
});
