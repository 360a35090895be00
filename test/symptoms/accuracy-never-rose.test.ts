/**
 * A logged run whose accuracy never rose (accuracy-never-rose.ts, through not-learning.ts): training
 * and validation accuracy both end within a tenth of their first value's errors over ten evaluations
 * or more. Runs whose accuracy rose (even a little past a tenth), runs with one accuracy only, short
 * runs and percentages must not trigger; no rule fires on a probe's trace.
 */
import { describe, expect, it } from 'vitest';
import { notLearning } from '../../src/symptoms/not-learning.js';
import type { ProbeTrace } from '../../src/trace/trace.js';
import { epochLog, settling } from './epoch-log.js';
import { jitter } from './trace-builder.js';

/** `length` values scattered by ±`spread` around `level`. */
const around = (length: number, level: number, spread: number, seed = 0) =>
  Array.from({ length }, (_, e) => level + spread * jitter(e + seed));

/** An epoch log with a training and a validation accuracy beside its losses. */
function withAccuracies(
  loss: readonly number[],
  valLoss: readonly number[],
  train: readonly number[],
  validation: readonly number[],
  firstEpoch = 0,
): ProbeTrace {
  return {
    ...epochLog(loss, valLoss, { accuracy: validation, firstEpoch }),
    trainMetric: { name: 'accuracy', values: [...train] },
  };
}

/** 457's shape: the loss falls from 10.9 to 1.05 in two epochs, then sits at 1.02; both accuracies at 0.57-0.60. */
const shape457 = withAccuracies(
  [10.88, 1.116, ...around(18, 1.022, 0.005)],
  [1.352, 1.05, ...around(18, 1.03, 0.02, 3)],
  [0.566, ...around(19, 0.59, 0.01, 5)],
  [0.542, ...around(19, 0.56, 0.04, 7)],
);
/** 60's shape: an ELBO climbing 0.36 -> 155, the validation loss 0.515 -> 0.48, while both accuracies stay at 0.79-0.80 over 50 epochs. */
const shape60 = withAccuracies(
  Array.from({ length: 50 }, (_, e) => 0.36 + Math.min(e, 25) * 6.2),
  settling(50, 0.515, 0.48, 10, 0.01, 1),
  around(50, 0.792, 0.006, 2),
  around(50, 0.795, 0.008, 4),
);
/** A healthy run: losses settle, accuracies climb from 0.54 / 0.42 to 0.65 / 0.64 (338's shape). */
const rising = withAccuracies(
  settling(40, 1.2, 0.8, 6),
  settling(40, 1.3, 0.85, 6, 0.01, 2),
  settling(40, 0.54, 0.655, 6, 0.005, 3),
  settling(40, 0.42, 0.64, 6, 0.01, 4),
);

type Row = [string, ProbeTrace];
const judge = (trace: ProbeTrace, origin: 'log' | 'probe' = 'log') =>
  notLearning.detect({ trace, origin, stepUnit: 'epoch', lossUnit: 'epoch' });

const mustTrigger: Row[] = [
  ["20 epochs: the loss fell in two, both accuracies flat at 0.57-0.60 (457's shape)", shape457],
  ["50 epochs: a ramped ELBO climbs while both accuracies stay at 0.79 (60's shape)", shape60],
  [
    '13 epochs: the loss falls a quarter, both accuracies drift up 5% of their errors (445’s shape)',
    withAccuracies(
      settling(13, 1.49, 1.13, 2, 0.02),
      [1.181, ...around(12, 1.12, 0.04, 9)],
      [0.52, ...around(12, 0.545, 0.005, 1)],
      [0.566, ...around(12, 0.585, 0.006, 2)],
    ),
  ],
];
const mustNotTrigger: Row[] = [
  ['healthy: both accuracies rose a fifth or more of their errors (338’s shape)', rising],
  [
    'the training accuracy rose a fifth of its errors while the validation one stayed: it fits (overfitting’s to judge)',
    withAccuracies(
      settling(30, 1.2, 0.6, 5),
      around(30, 1.0, 0.02),
      settling(30, 0.6, 0.8, 5, 0.003, 1),
      around(30, 0.62, 0.005, 2),
    ),
  ],
  [
    'a validation accuracy alone, flat: a held-out score one split cannot judge',
    epochLog(settling(30, 1.2, 0.6, 5), around(30, 1.0, 0.02), { accuracy: around(30, 0.62, 0.005, 2) }),
  ],
  [
    'both accuracies fell a fifth of their errors: a divergence or overfitting, not a stall',
    withAccuracies(
      around(20, 1.0, 0.01),
      around(20, 1.1, 0.01),
      settling(20, 0.8, 0.74, 3),
      settling(20, 0.8, 0.74, 3),
    ),
  ],
  [
    '8 epochs, both accuracies flat: too few evaluations to tell a stall from a slow start',
    withAccuracies(around(8, 1.2, 0.005), around(8, 1.12, 0.002), around(8, 0.663, 0.001), Array(8).fill(0.66977)),
  ],
  [
    'a fine-tune that converged in its first epoch: validation accuracy 0.955 from the first, flat (far above any chance level)',
    withAccuracies(
      [0.52, 0.16, ...around(10, 0.12, 0.003)],
      [0.18, 0.15, ...around(10, 0.14, 0.003, 3)],
      [0.945, ...around(11, 0.948, 0.001, 5)],
      [0.955, ...around(11, 0.957, 0.001, 7)],
    ),
  ],
  [
    'accuracies printed as percentages: not fractions, not read',
    withAccuracies(around(20, 1.0, 0.01), around(20, 1.1, 0.01), around(20, 59, 0.5), around(20, 56, 1, 3)),
  ],
];

describe('accuracy never rose (a whole logged run)', () => {
  it.each(mustTrigger)('mustTrigger: %s', (_, trace) => {
    const findings = judge(trace);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.severity).toBe('critical');
    expect(findings[0]!.message).toContain('Neither accuracy moved');
  });
  it.each(mustNotTrigger)('mustNotTrigger: %s', (_, trace) => {
    expect(judge(trace).filter((finding) => finding.message.includes('Neither accuracy moved'))).toEqual([]);
  });
  it.each(mustTrigger)('does not judge a probe: %s', (_, trace) => {
    expect(judge(trace, 'probe')).toEqual([]);
  });
  it('warns only when the log does not begin with its run (its first value may be past the start)', () => {
    const resumed = {
      ...shape457,
      step: shape457.step.map((epoch) => epoch + 200),
      evalStep: shape457.evalStep.map((epoch) => epoch + 200),
    };
    const findings = judge(resumed);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.severity).toBe('warning');
  });
});
