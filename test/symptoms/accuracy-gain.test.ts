/**
 * A flat loss beside an accuracy that clearly rose is not "learned nothing" (accuracy-gain.ts, used
 * by not-learning.ts on logs): the accuracy must rise by a Mann-Kendall trend (one-sided 5%) and cut
 * the error rate by a tenth. Real plateaus, whose accuracy stays flat, drifts by a hair or scatters,
 * stay findings.
 */
import { describe, expect, it } from 'vitest';
import { accuracyGain, ERROR_CUT, mannKendallZ } from '../../src/symptoms/accuracy-gain.js';
import { notLearning } from '../../src/symptoms/not-learning.js';
import type { ProbeTrace } from '../../src/trace/trace.js';
import { buildTrace, jitter } from './trace-builder.js';

const range = (length: number, at: (k: number) => number) => Array.from({ length }, (_, k) => at(k));

/** 100 logged steps of training loss and 10 evaluations (validation loss and accuracy), optional training accuracy. */
function log(
  loss: readonly number[],
  valLoss: readonly number[],
  valAccuracy?: readonly number[],
  trainAccuracy?: readonly number[],
): ProbeTrace {
  return {
    ...buildTrace({ loss: [...loss] }),
    evalStep: valLoss.map((_, k) => Math.round(((k + 1) * loss.length) / valLoss.length) - 1),
    valLoss: [...valLoss],
    valMetric: valAccuracy === undefined ? null : { name: 'accuracy', values: [...valAccuracy] },
    trainMetric: trainAccuracy === undefined ? null : { name: 'accuracy', values: [...trainAccuracy] },
  };
}

const trainingFalls = range(100, (s) => 1.9 * Math.exp(-s / 10) + 0.7);
/** A validation loss at a floor: within 3% of 1.25 at every evaluation. */
const atFloor = [1.258, 1.256, 1.252, 1.263, 1.253, 1.239, 1.227, 1.229, 1.229, 1.229];
const flat = (level: number, length: number, relative = 0.01) =>
  range(length, (k) => level * (1 + relative * jitter(k + 11)));

type Row = [string, ProbeTrace];
const mustTrigger: Row[] = [
  ['validation loss at a floor, validation accuracy flat around 0.705', log(trainingFalls, atFloor, flat(0.705, 10))],
  [
    'validation accuracy creeping 0.700 -> 0.705 (a trend, but 1.7% of the errors)',
    log(
      trainingFalls,
      atFloor,
      range(10, (k) => 0.7 + 0.0005 * k),
    ),
  ],
  [
    'validation accuracy scattered 0.6-0.8 with no trend',
    log(
      trainingFalls,
      atFloor,
      range(10, (k) => (k % 2 === 0 ? 0.6 : 0.8)),
    ),
  ],
  [
    'only the training accuracy rose (the training loss falls anyway: says nothing of held-out data)',
    log(
      trainingFalls,
      atFloor,
      undefined,
      range(100, (s) => 0.5 + 0.004 * s),
    ),
  ],
  [
    'both losses flat 30 epochs, training accuracy flat (a warning: the log cannot say why)',
    log(flat(1, 30, 0.04), flat(1, 30, 0.04), undefined, flat(0.6, 30)),
  ],
];
const mustNotTrigger: Row[] = [
  [
    'validation loss at a floor while validation accuracy rises 0.971 -> 0.984 (errors cut 45%)',
    log(trainingFalls, atFloor, [0.9709, 0.9754, 0.9754, 0.9715, 0.9761, 0.9786, 0.9825, 0.9819, 0.9832, 0.9838]),
  ],
  [
    'both losses flat 30 epochs while the validation accuracy climbs 0.80 -> 0.90',
    log(
      flat(1, 30, 0.04),
      flat(1, 30, 0.04),
      range(30, (k) => 0.8 + (0.1 * k) / 29 + 0.005 * jitter(k)),
    ),
  ],
  [
    'both losses flat 30 epochs, no validation accuracy, training accuracy 0.6 -> 0.8',
    log(
      flat(1, 30, 0.04),
      flat(1, 30, 0.04),
      undefined,
      range(30, (k) => 0.6 + (0.2 * k) / 29),
    ),
  ],
];

describe('a flat loss beside an accuracy that rose (not-learning on a log)', () => {
  it.each(mustTrigger)('mustTrigger: %s', (_, trace) => {
    expect(notLearning.detect({ trace, origin: 'log', stepUnit: 'epoch' })).toHaveLength(1);
  });
  it.each(mustNotTrigger)('mustNotTrigger: %s', (_, trace) => {
    expect(notLearning.detect({ trace, origin: 'log', stepUnit: 'epoch' })).toEqual([]);
  });
});

describe('accuracyGain', () => {
  it('reads the first split that has an accuracy, and reports the error cut', () => {
    const trace = log(
      trainingFalls,
      atFloor,
      undefined,
      range(100, (s) => 0.5 + 0.004 * s),
    );
    const gain = accuracyGain(trace, ['validation', 'training']);
    expect(gain?.split).toBe('training');
    expect(gain!.errorCut).toBeGreaterThanOrEqual(ERROR_CUT);
    expect(accuracyGain(trace, ['validation'])).toBeNull();
  });
  it('Mann-Kendall z: a perfect rise of 10 is 3.4, a perfect fall -3.4, a constant 0', () => {
    const rise = range(10, (k) => k);
    expect(mannKendallZ(rise)).toBeCloseTo(44 / Math.sqrt(125), 6);
    expect(mannKendallZ([...rise].reverse())).toBeCloseTo(-44 / Math.sqrt(125), 6);
    expect(mannKendallZ(range(10, () => 1))).toBe(0);
  });
});
