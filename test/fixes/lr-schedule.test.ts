import { describe, expect, it } from 'vitest';
import { configSchema, DEFAULT_LEARNING_RATE } from '../../src/config/schema.js';
import { buildTrace } from '../symptoms/trace-builder.js';
import { FALLBACK_FACTOR, lrScheduleFix, WARMUP_FRACTION } from '../../src/fixes/lr-schedule.js';
import { contextFor, diagnosedContext, exampleConfig } from './fix-fixtures.js';

const rangeTest = {
  suggested: 0.0456,
  schedule: { type: 'cosine' as const, decaySteps: 800, alpha: 0 as const, warmupSteps: 0 },
};

describe('the lr-schedule fix', () => {
  it('takes the rate an LR range test suggests, rounded to one digit, and decays it by cosine over the run', () => {
    const config = exampleConfig('lr-too-low');
    const { config: fixed, changes } = lrScheduleFix.apply(config, {
      ...diagnosedContext('lr-too-low', config),
      learningRateTest: rangeTest,
      plannedSteps: config.training.epochs * 8,
    });
    expect(fixed.training.learningRate).toBe(0.05);
    expect(fixed.training.schedule).toEqual({ type: 'cosine', decaySteps: 800, alpha: 0, warmupSteps: 0 });
    expect(changes.map((change) => [change.path.join('.'), change.from, change.to])).toEqual([
      ['training.learningRate', 0.00001, 0.05],
      ['training.schedule', null, { type: 'cosine', decaySteps: 800, alpha: 0, warmupSteps: 0 }],
    ]);
    expect(changes[0]!.why).toContain('an LR range test suggests 0.0456');
    expect(() => configSchema.parse({ ...fixed, model: { layers: fixed.model.layers } })).not.toThrow();
  });

  it.each([
    ['lr-too-high', 0.05 / FALLBACK_FACTOR, 'the loss diverged: one decade lower'],
    ['lr-too-low', DEFAULT_LEARNING_RATE.sgd, "up to Keras' default for sgd"],
  ] as const)('without a range test, moves the rate of %s: %s', (example, rate, why) => {
    const config = exampleConfig(example);
    const { config: fixed, changes } = lrScheduleFix.apply(config, {
      ...diagnosedContext(example, config),
      plannedSteps: config.training.epochs * 13,
    });
    expect(fixed.training.learningRate).toBeCloseTo(rate, 12);
    expect(changes[0]!.why).toContain(why);
  });

  // A crawl moves at least one decade and at least to Keras' default: one decade cannot repair a
  // rate five decades low (SGD at 1e-6), and a rate near or above the default still moves a decade.
  it.each([
    { optimizer: 'sgd', rate: 1e-6, expected: 0.01, why: "up to Keras' default for sgd" },
    { optimizer: 'adam', rate: 1e-5, expected: 0.001, why: "up to Keras' default for adam" },
    { optimizer: 'sgd', rate: 0.001, expected: 0.01, why: 'one decade higher' },
    { optimizer: 'sgd', rate: 0.005, expected: 0.05, why: 'one decade higher' },
    { optimizer: 'adam', rate: 0.01, expected: 0.1, why: 'one decade higher' },
  ] as const)('without a range test, raises $optimizer at $rate to $expected', ({ optimizer, rate, expected, why }) => {
    const base = exampleConfig('lr-too-low');
    const config = { ...base, training: { ...base.training, optimizer, learningRate: rate } };
    const { config: fixed, changes } = lrScheduleFix.apply(config, {
      ...diagnosedContext('lr-too-low', base),
      plannedSteps: config.training.epochs * 13,
    });
    expect(fixed.training.learningRate).toBeCloseTo(expected, 12);
    expect(changes[0]!.why).toContain(why);
  });

  it('warms up over 5% of the run when the early steps diverged', () => {
    const config = exampleConfig('lr-too-high');
    const { config: fixed } = lrScheduleFix.apply(config, {
      ...diagnosedContext('lr-too-high', config),
      plannedSteps: config.training.epochs * 13,
    });
    const decaySteps = config.training.epochs * 13;
    expect(fixed.training.schedule).toEqual({
      type: 'cosine',
      decaySteps,
      alpha: 0,
      warmupSteps: Math.round(WARMUP_FRACTION * decaySteps),
    });
  });

  it('keeps the rate of a healthy run and only adds the schedule, once', () => {
    const config = exampleConfig('boston-standardized');
    const context = { ...contextFor(config), plannedSteps: config.training.epochs * 13 };
    const first = lrScheduleFix.apply(config, context);
    expect(first.changes.map((change) => change.path.join('.'))).toEqual(['training.schedule']);
    expect(lrScheduleFix.apply(first.config, context).changes).toEqual([]);
  });

  it.each([
    { rate: 1e300, expected: (optimizer: string) => DEFAULT_LEARNING_RATE[optimizer as 'sgd'] },
    { rate: 0.005, expected: () => 0.0005 },
  ])('after a first update larger than the weights at rate $rate: at most the Keras default', ({ rate, expected }) => {
    const base = exampleConfig('lr-too-high');
    const config = { ...base, training: { ...base.training, learningRate: rate } };
    const trace = buildTrace({
      loss: [554, Number.NaN],
      gradNorm: { 'dense_1/kernel': 3, 'dense_2/kernel': 2 },
      updateRatio: { 'dense_1/kernel': Infinity, 'dense_2/kernel': Infinity },
      learningRate: rate,
    });
    const { config: fixed, changes } = lrScheduleFix.apply(config, { ...contextFor(config), trace });
    expect(fixed.training.learningRate).toBe(expected(config.training.optimizer));
    expect(changes[0]!.why).toContain('the first update was larger than the weights');
  });
});
