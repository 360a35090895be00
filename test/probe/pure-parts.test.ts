import { describe, expect, it } from 'vitest';
import { applyScaling, fitScaling } from '../../src/data/normalize.js';
import { measureLayer } from '../../src/probe/activation-stats.js';
import { chanceLoss } from '../../src/probe/chance-loss.js';
import { computeMetric, majorityAccuracy, pickMetric } from '../../src/probe/metrics.js';
import { oneHotEncode } from '../../src/probe/probe-data.js';
import { createSchedule } from '../../src/probe/schedule.js';

describe('feature scaling with training-set statistics', () => {
  const x = Float32Array.from([1, 10, 3, 10, 5, 10]); // 3 rows × 2 features; the second is constant

  it('standardizes to mean 0 and std 1, leaving a constant feature unscaled rather than dividing by 0', () => {
    const scaling = fitScaling(x, 2, 'standardize');
    expect([...scaling.offset]).toEqual([3, 10]);
    expect(scaling.scale[0]).toBeCloseTo(Math.sqrt(8 / 3));
    expect(scaling.scale[1]).toBe(1);
    const scaled = applyScaling(x, 2, scaling);
    expect([scaled[0]! + scaled[2]! + scaled[4]!, scaled[1], scaled[3]]).toEqual([0, 0, 0]);
  });

  it('min-max scales to [0, 1] and reuses the same statistics on other rows', () => {
    const scaling = fitScaling(x, 2, 'minmax');
    expect([...applyScaling(x, 2, scaling)]).toEqual([0, 0, 0.5, 0, 1, 0]);
    expect([...applyScaling(Float32Array.from([9, 11]), 2, scaling)]).toEqual([2, 1]);
  });
});

describe('learning-rate schedules', () => {
  it.each([
    ['none', null, [1, 1, 1]],
    ['exponential', { type: 'exponential', decaySteps: 10, decayRate: 0.5, warmupSteps: 0 }, [1, 0.5, 0.25]],
    ['step', { type: 'step', stepSize: 10, gamma: 0.1, warmupSteps: 0 }, [1, 0.1, 0.01]],
    ['cosine', { type: 'cosine', decaySteps: 20, alpha: 0, warmupSteps: 0 }, [1, 0.5, 0]],
    ['constant with warmup', { type: 'constant', warmupSteps: 20 }, [0.05, 0.55, 1]],
  ] as const)('%s at steps 0, 10, 20', (_, schedule, expected) => {
    const rates = createSchedule(1, schedule);
    expected.forEach((rate, index) => expect(rates.at(index * 10)).toBeCloseTo(rate, 10));
  });

  it('plateau cuts the rate after `patience` evaluations without improvement', () => {
    const rates = createSchedule(1, {
      type: 'plateau',
      factor: 0.5,
      patience: 1,
      minDelta: 0,
      minLearningRate: 0.2,
      warmupSteps: 0,
    });
    for (const loss of [3, 2, 2, 2]) rates.observe(loss);
    expect(rates.at(0)).toBe(0.5);
    for (const loss of [2, 2, 2, 2, 2, 2]) rates.observe(loss);
    expect(rates.at(0)).toBe(0.2);
  });
});

describe('activation statistics', () => {
  it('counts a ReLU unit as dead only when its output is never positive for the whole batch', () => {
    // 2 rows × 3 units: unit 0 alive in row 2, unit 1 never positive, unit 2 alive.
    const output = [-1, -2, 3, 4, -5, 6].map((value) => Math.max(0, value));
    expect(measureLayer('relu', output, 3)).toMatchObject({ deadFraction: 1 / 3, saturatedFraction: null });
  });

  it('reads a leaky unit as dead when its output is never positive, as its input then is not', () => {
    const output = [-0.01, 0.5, -0.02, -0.03].map(Math.fround);
    expect(measureLayer('leakyRelu', output, 2).deadFraction).toBe(0.5);
  });

  it('measures sigmoid saturation from float32 outputs, at the float32 bounds and at the softer one', () => {
    // Inputs -30 and 20 are past SageMaker's (-23, 17); -10 and 7 only past the softer |x| > 6.
    const output = [-30, -10, 0, 5, 7, 20].map((x) => Math.fround(1 / (1 + Math.exp(-x))));
    expect(measureLayer('sigmoid', output, 1)).toMatchObject({
      saturatedFraction: 2 / 6,
      nearSaturatedFraction: 4 / 6,
      deadFraction: null,
    });
  });

  it('measures tanh saturation the same way', () => {
    const output = [-12, -2, 0, 4, 10].map((x) => Math.fround(Math.tanh(x)));
    expect(measureLayer('tanh', output, 1)).toMatchObject({ saturatedFraction: 2 / 5, nearSaturatedFraction: 3 / 5 });
  });

  it('gives mean and std for any layer', () => {
    expect(measureLayer('linear', [1, 3], 1)).toEqual({
      mean: 2,
      std: 1,
      deadFraction: null,
      saturatedFraction: null,
      nearSaturatedFraction: null,
    });
  });
});

describe('chance-level losses and metrics', () => {
  it.each([
    ['binaryCrossentropy', [0, 1], 1, 2, Math.log(2)],
    ['sparseCategoricalCrossentropy', [0, 1, 2], 1, 3, Math.log(3)],
    ['meanSquaredError', [1, 3], 1, 1, 1],
    ['meanAbsoluteError', [1, 2, 10], 1, 1, 3],
    ['hinge', [0, 1], 1, 1, null],
  ] as const)('%s', (loss, y, width, classes, expected) => {
    const value = chanceLoss(loss, Float32Array.from(y), width, classes);
    if (expected === null) expect(value).toBeNull();
    else expect(value).toBeCloseTo(expected, 6);
  });

  it('picks the first metric it computes, by Keras name', () => {
    expect(pickMetric(['auc', 'acc', 'mae'])).toBe('accuracy');
    expect(pickMetric(['mean_absolute_error'])).toBe('mae');
    expect(pickMetric(['auc'])).toBeNull();
  });

  it('computes binary and categorical accuracy and errors', () => {
    expect(computeMetric('accuracy', [0.9, 0.2, 0.6], [1, 0, 0], 1)).toBeCloseTo(2 / 3);
    expect(computeMetric('accuracy', [0.1, 0.9, 0.8, 0.2], [0, 1, 0, 1], 2)).toBe(0.5);
    expect(computeMetric('mae', [1, 2], [2, 4], 1)).toBe(1.5);
    expect(computeMetric('mse', [1, 2], [2, 4], 1)).toBe(2.5);
  });

  it('one-hot encodes class ids, leaving an out-of-range id as a zero row', () => {
    expect([...oneHotEncode(Float32Array.from([2, 0, 5]), 3)]).toEqual([0, 0, 1, 1, 0, 0, 0, 0, 0]);
  });
});

describe('majorityAccuracy: the accuracy of always answering the most common class', () => {
  it.each([
    { name: 'balanced 0/1 labels', targets: [0, 1, 0, 1], width: 1, chance: 0.5 },
    { name: 'imbalanced 0/1 labels', targets: [0, 0, 0, 1], width: 1, chance: 0.75 },
    { name: 'one-hot rows, three classes', targets: [1, 0, 0, 0, 1, 0, 0, 1, 0], width: 3, chance: 2 / 3 },
    { name: 'one class only', targets: [1, 1], width: 1, chance: 1 },
    { name: 'regression targets', targets: [0.2, 1.5], width: 1, chance: null },
    { name: 'smoothed one-hot rows', targets: [0.9, 0.1, 0.1, 0.9], width: 2, chance: null },
    { name: 'a row with no class', targets: [0, 0, 1, 0], width: 2, chance: null },
    { name: 'no rows', targets: [], width: 1, chance: null },
  ])('$name', ({ targets, width, chance }) => {
    const measured = majorityAccuracy(targets, width);
    if (chance === null) expect(measured).toBeNull();
    else expect(measured).toBeCloseTo(chance);
  });

  it('is what computeMetric gives a constant answer of that class', () => {
    const targets = [1, 0, 0, 0, 1, 0, 0, 1, 0];
    const constant = [0.1, 0.8, 0.1, 0.1, 0.8, 0.1, 0.1, 0.8, 0.1];
    expect(computeMetric('accuracy', constant, targets, 3)).toBeCloseTo(majorityAccuracy(targets, 3)!);
  });
});
