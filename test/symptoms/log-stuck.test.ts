/**
 * A logged run stuck without a chance level given (thresholds for logs): an accuracy that is the
 * same number at every evaluation (frozen-accuracy.ts), and a loss that starts at ln C for a small
 * C and never leaves that band (not-learning.ts with not-learning-signals.ts' lossChance). Each
 * table holds runs that must and must not trigger; neither fires on a probe's trace.
 */
import { describe, expect, it } from 'vitest';
import { frozenAccuracyRun } from '../../src/symptoms/frozen-accuracy.js';
import { notLearning } from '../../src/symptoms/not-learning.js';
import { lossChance } from '../../src/symptoms/not-learning-signals.js';
import type { DynamicsInput } from '../../src/symptoms/dynamics-input.js';
import type { Detector } from '../../src/symptoms/finding.js';
import type { ProbeTrace } from '../../src/trace/trace.js';
import { buildTrace, jitter } from './trace-builder.js';

/** A per-epoch log: training and validation losses, and the validation (else training) accuracy. */
function epochLog(
  loss: readonly number[],
  valLoss: readonly number[],
  accuracy?: { split: 'validation' | 'training'; values: readonly number[] },
): ProbeTrace {
  const trace = { ...buildTrace({ loss: [...loss] }), evalStep: valLoss.map((_, e) => e), valLoss: [...valLoss] };
  if (accuracy === undefined) return trace;
  const metric = { name: 'accuracy', values: [...accuracy.values] };
  return accuracy.split === 'validation' ? { ...trace, valMetric: metric } : { ...trace, trainMetric: metric };
}

/** `length` values from `from` towards `to` exponentially (a tenth of the run per e-fold), with 1% noise. */
const settling = (length: number, from: number, to: number, seed = 0) =>
  Array.from({ length }, (_, e) => (to + (from - to) * Math.exp(-e / (length / 10))) * (1 + 0.01 * jitter(e + seed)));
/** 31 epochs of 219's shape: training 0.64 → 0.57, validation 0.52 → 0.45. */
const training219 = settling(31, 0.64, 0.57);
const validation219 = settling(31, 0.52, 0.45, 3);
const constant = (value: number, length = 31) => Array.from({ length }, () => value);
const validationAccuracy = (values: readonly number[]) => ({ split: 'validation' as const, values });

type Row = [string, ProbeTrace];
const judge = (detector: Detector<DynamicsInput>, trace: ProbeTrace, origin: 'log' | 'probe' = 'log') =>
  detector.detect({ trace, origin, stepUnit: 'epoch' });

describe.each([
  {
    name: 'frozen accuracy (the same number at every one of 10 or more evaluations)',
    detector: frozenAccuracyRun,
    mustTrigger: [
      [
        "validation accuracy 0.72414 at 31 epochs while the losses move (219's shape, one class predicted)",
        epochLog(training219, validation219, validationAccuracy(constant(0.72414))),
      ],
      [
        'no validation accuracy: the training accuracy 0.6667 at 12 epochs',
        epochLog(training219.slice(0, 12), [], { split: 'training', values: constant(0.6667, 12) }),
      ],
      ['exactly 10 evaluations', epochLog(training219, validation219, validationAccuracy(constant(0.5125, 10)))],
    ],
    mustNotTrigger: [
      ['9 evaluations only', epochLog(training219, validation219, validationAccuracy(constant(0.72414, 9)))],
      [
        'a perfect 1.0 at every evaluation (solved)',
        epochLog(training219, validation219, validationAccuracy(constant(1))),
      ],
      [
        'printed to two decimals: a change of one prediction in a hundred may hide',
        epochLog(training219, validation219, validationAccuracy(constant(0.72))),
      ],
      [
        'one evaluation differs',
        epochLog(training219, validation219, validationAccuracy([...constant(0.72414, 30), 0.75862])),
      ],
      [
        'a validation accuracy that moves, beside a constant training accuracy (validation decides)',
        {
          ...epochLog(training219, validation219, validationAccuracy(settling(31, 0.6, 0.9))),
          trainMetric: { name: 'accuracy', values: constant(0.6667) },
        },
      ],
      ['no accuracy logged', epochLog(training219, validation219)],
    ],
  },
  {
    name: 'stuck at the ln C its starting loss reads as (no accuracy, C <= 5)',
    detector: notLearning,
    mustTrigger: [
      [
        "69 evaluations from 0.70 (first tenth 0.67, near ln 2) to 0.61 (0.88x), training falling 33% (240's shape)",
        epochLog(settling(69, 0.78, 0.52), settling(69, 0.7, 0.61, 5)),
      ],
      ['10 epochs at ln 3, training falling', epochLog(settling(10, 1.5, 0.9), constant(Math.log(3), 10))],
    ],
    mustNotTrigger: [
      ['from ln 2 to 0.3: learned', epochLog(settling(30, 0.75, 0.2), settling(30, 0.69, 0.3, 5))],
      [
        'from ln 2 down to 0.5 and back up to 0.6: learned, then overfits',
        epochLog(
          settling(30, 0.75, 0.2),
          Array.from({ length: 30 }, (_, e) => 0.5 + 0.19 * Math.exp(-e / 2) + 0.004 * e),
        ),
      ],
      [
        'from ln 2 rising to 1.2 while training falls: left chance upwards',
        epochLog(
          settling(30, 0.75, 0.2),
          Array.from({ length: 30 }, (_, e) => 0.69 + (0.51 * e) / 29),
        ),
      ],
      [
        "240's shape beside a validation accuracy of 0.8 to 0.9: the accuracy says it learned, no C is read from the loss",
        epochLog(settling(69, 0.78, 0.52), settling(69, 0.7, 0.61, 5), validationAccuracy(settling(69, 0.8, 0.9, 2))),
      ],
      [
        'from 1.62 (near ln 5) falling slowly to 1.35 (0.84x), still falling in its second half: a slow run, not stuck',
        epochLog(
          settling(40, 2, 1.2),
          Array.from({ length: 40 }, (_, e) => (1.62 - (0.27 * e) / 39) * (1 + 0.003 * jitter(e))),
        ),
      ],
      [
        'a chance level given: plateau.ts judges',
        { ...epochLog(settling(69, 0.78, 0.52), settling(69, 0.7, 0.61, 5)), chanceLoss: 1 },
      ],
    ],
  },
])('$name', ({ detector, mustTrigger, mustNotTrigger }) => {
  it.each(mustTrigger as Row[])('mustTrigger: %s', (_, trace) => {
    const findings = judge(detector, trace);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.severity).toBe('critical');
  });
  it.each(mustNotTrigger as Row[])('mustNotTrigger: %s', (_, trace) => {
    expect(judge(detector, trace)).toEqual([]);
  });
  it.each(mustTrigger as Row[])('does not judge a probe: %s', (_, trace) => {
    expect(judge(detector, trace, 'probe')).toEqual([]);
  });
});

/** A per-step log: training losses per step, and `valLoss` at `evalSteps` (a few evaluations). */
function stepLog(loss: readonly number[], valLoss: readonly number[] = [], evalSteps?: readonly number[]): ProbeTrace {
  const every = Math.floor(loss.length / Math.max(1, valLoss.length));
  const evalStep = evalSteps ?? valLoss.map((_, k) => (k + 1) * every - 1);
  return { ...buildTrace({ loss: [...loss] }), evalStep: [...evalStep], valLoss: [...valLoss] };
}
/** `length` values scattered ±`noise` (relative) around `level`, with no trend. */
const around = (level: number, length: number, noise: number, seed = 0) =>
  Array.from({ length }, (_, k) => level * (1 + noise * jitter(k + seed)));
/** 100 epoch means of a run that fell 43% in its first epoch, then 2% over 98 more (301's shape). */
const warmUpThenFlat = Array.from({ length: 100 }, (_, e) => (e === 0 ? 0.1749 : 0.1003 - (0.002 * e) / 99));

type UnitRow = [string, ProbeTrace, 'step' | 'epoch'];
const judgeSteps = (trace: ProbeTrace, lossUnit: 'step' | 'epoch', origin: 'log' | 'probe' = 'log') =>
  notLearning.detect({ trace, origin, stepUnit: 'step', lossUnit });

describe.each([
  {
    name: 'a per-step log with a few evaluations whose loss never left the ln C it began at (no accuracy, C <= 5)',
    mustTrigger: [
      [
        "133 steps and 5 evaluations at ln 2 (training 0.696 → 0.689, validation 0.694-0.702: 272's shape)",
        stepLog(
          around(0.692, 133, 0.004).map((loss, step) => loss - (0.004 * step) / 132),
          [0.6958, 0.702, 0.6975, 0.6944, 0.6969],
        ),
        'step',
      ],
      ['400 training steps at ln 3, no evaluation', stepLog(around(Math.log(3), 400, 0.02)), 'step'],
    ],
    mustNotTrigger: [
      [
        '5 evaluations from ln 2 down to 0.45: learned',
        stepLog(settling(133, 0.7, 0.3), [0.69, 0.6, 0.52, 0.47, 0.45]),
        'step',
      ],
      [
        'converged: training from 0.6 settling at 0.31, validation flat at 0.3-0.31, far from any ln C',
        stepLog(settling(133, 0.6, 0.31), [0.3, 0.31, 0.3, 0.31, 0.3]),
        'step',
      ],
      [
        'at ln 2 beside a validation accuracy of 0.9: the accuracy says it learned',
        {
          ...stepLog(settling(133, 0.9, 0.69), [0.6958, 0.702, 0.6975, 0.6944, 0.6969]),
          valMetric: { name: 'accuracy', values: [0.88, 0.9, 0.91, 0.9, 0.92] },
        },
        'step',
      ],
    ],
  },
  {
    name: 'the epoch means of a per-step log count epochs (Lightning train_loss_epoch)',
    mustTrigger: [
      ["100 epoch means, 43% in the first, then 2% over 98 (301's shape)", stepLog(warmUpThenFlat), 'epoch'],
    ],
    mustNotTrigger: [
      ['the same 100 values read as per-step losses: too few epochs known', stepLog(warmUpThenFlat), 'step'],
      [
        '100 epoch means of a healthy run that converged (falling over its first third, then flat)',
        stepLog(Array.from({ length: 100 }, (_, e) => 0.1 + 0.4 * Math.exp(-e / 10))),
        'epoch',
      ],
      [
        '100 epoch means falling steadily 40%',
        stepLog(Array.from({ length: 100 }, (_, e) => 0.5 - 0.002 * e)),
        'epoch',
      ],
    ],
  },
])('$name', ({ mustTrigger, mustNotTrigger }) => {
  it.each(mustTrigger as UnitRow[])('mustTrigger: %s', (_, trace, lossUnit) => {
    const findings = judgeSteps(trace, lossUnit);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.severity).toBe('critical');
  });
  it.each(mustNotTrigger as UnitRow[])('mustNotTrigger: %s', (_, trace, lossUnit) => {
    expect(judgeSteps(trace, lossUnit)).toEqual([]);
  });
  it.each(mustTrigger as UnitRow[])('does not judge a probe: %s', (_, trace, lossUnit) => {
    expect(judgeSteps(trace, lossUnit, 'probe')).toEqual([]);
  });
});

/** 100 losses logged every 10 steps of a fine-tune whose rate decays linearly from 2e-4 to `last` (HF Trainer's `linear`). */
const linearDecay = (last: number) => Array.from({ length: 100 }, (_, k) => 2e-4 + ((last - 2e-4) * k) / 99);
/** ±4% mini-batch noise around 2.15 with a 3% drift down: a Mann-Kendall fall, but no tenth 5% below the first (308's shape). */
const driftingFlat = around(2.15, 100, 0.04, 7).map((loss, k) => loss * (1 - (0.03 * k) / 99));
/** A per-step log of `loss` with its logged learning rate. */
const withRate = (loss: readonly number[], rate: readonly number[]): ProbeTrace => ({
  ...stepLog(loss),
  learningRate: [...rate],
});

describe('a per-step log whose learning-rate schedule ran to its end (the whole run, however few epochs)', () => {
  it.each([
    ["308's shape: flat within 5% over 100 logs while the rate decays to 0", withRate(driftingFlat, linearDecay(0))],
    ['the same, the rate ending at 1e-7', withRate(driftingFlat, linearDecay(1e-7))],
  ] as Row[])('mustTrigger: %s', (_, trace) => {
    const findings = judgeSteps(trace, 'step');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.evidence.what).toContain('medians of tenths');
  });
  it.each([
    [
      'the same loss while the rate ends at 2e-5: the schedule is not over, too few epochs',
      withRate(driftingFlat, linearDecay(2e-5)),
    ],
    ['the same loss at a constant rate of 2e-4', withRate(driftingFlat, linearDecay(2e-4))],
    [
      'a fine-tune converged and flat at its end as its rate decays to 0 (2.2 settling at 1.4)',
      withRate(settling(100, 2.2, 1.4), linearDecay(0)),
    ],
    [
      'a fine-tune that fell within its first logs, then flat as its rate decays to 0',
      withRate(
        Array.from({ length: 100 }, (_, k) => 1.2 + 1.0 * Math.exp(-k) + 0.02 * jitter(k)),
        linearDecay(0),
      ),
    ],
  ] as Row[])('mustNotTrigger: %s', (_, trace) => {
    expect(judgeSteps(trace, 'step')).toEqual([]);
  });
});

it('says a run that fell within its first tenth, then stopped, stalled after a warm-up', () => {
  const [finding] = judgeSteps(stepLog(warmUpThenFlat), 'epoch');
  expect(finding!.message).toContain('first fall is the warm-up');
});

describe('the class count a loss level reads as', () => {
  it.each([
    [Math.log(2), 2],
    [0.68, 2],
    [Math.log(3), 3],
    [Math.log(4), 4],
    [Math.log(5) * 1.04, 5],
    // ln 7 = 1.95 and ln 8 = 2.08 are within 5% of each other's band: no unique C.
    [Math.log(7), null],
    [Math.log(10), null],
    // Between the bands of ln 2 and ln 3, and below ln 2: no C.
    [0.9, null],
    [0.25, null],
  ])('%f reads as %s', (level, classes) => {
    expect(lossChance(level)).toBe(classes);
  });
});
