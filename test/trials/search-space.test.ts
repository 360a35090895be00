import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import {
  applyCandidate,
  BATCH_SIZES,
  halvingRungs,
  LEARNING_RATE_RANGE,
  sampleCandidates,
  scheduleSteps,
  SEARCH_MOMENTUM,
  SEARCH_OPTIMIZERS,
} from '../../src/trials/search-space.js';

describe('sampleCandidates', () => {
  it('is deterministic per seed and differs between seeds', () => {
    expect(sampleCandidates(20, 7)).toEqual(sampleCandidates(20, 7));
    expect(sampleCandidates(20, 7)).not.toEqual(sampleCandidates(20, 8));
    // A longer draw starts with the shorter one: the same stream.
    expect(sampleCandidates(30, 7).slice(0, 20)).toEqual(sampleCandidates(20, 7));
  });

  it('draws rates in [1e-5, 1e-1] spread over the decades, batch sizes powers of 2 in 8..128, momentum 0.9 only for momentum', () => {
    const candidates = sampleCandidates(400, 1);
    for (const candidate of candidates) {
      expect(SEARCH_OPTIMIZERS).toContain(candidate.optimizer);
      expect(candidate.learningRate).toBeGreaterThanOrEqual(LEARNING_RATE_RANGE.min);
      expect(candidate.learningRate).toBeLessThanOrEqual(LEARNING_RATE_RANGE.max);
      expect(BATCH_SIZES).toContain(candidate.batchSize);
      expect(Math.log2(candidate.batchSize) % 1).toBe(0);
      expect(candidate.momentum).toBe(candidate.optimizer === 'momentum' ? SEARCH_MOMENTUM : undefined);
    }
    // Log-uniform: each of the four decades gets roughly a quarter of the draws.
    const decades = [0, 0, 0, 0];
    for (const { learningRate } of candidates) decades[Math.min(3, Math.floor(Math.log10(learningRate) + 5))]! += 1;
    for (const count of decades) expect(count).toBeGreaterThan(60);
    for (const optimizer of SEARCH_OPTIMIZERS)
      expect(candidates.filter((candidate) => candidate.optimizer === optimizer).length).toBeGreaterThan(80);
    for (const size of BATCH_SIZES)
      expect(candidates.filter((candidate) => candidate.batchSize === size).length).toBeGreaterThan(40);
  });
});

describe('halvingRungs', () => {
  it('12 trials, 1800 steps, eta 3: 12×50 → 4×150 → 1×300 (capped at the full length)', () => {
    expect(halvingRungs(12, 1800, 3, 300)).toEqual([
      { trials: 12, steps: 50 },
      { trials: 4, steps: 150 },
      { trials: 1, steps: 300 },
    ]);
    expect(halvingRungs(6, 600)).toEqual([
      { trials: 6, steps: 50 },
      { trials: 2, steps: 150 },
    ]);
  });

  it.each([
    [1, 100, 3],
    [2, 100, 3],
    [6, 600, 3],
    [12, 1800, 3],
    [27, 5000, 3],
    [81, 10_000, 3],
    [100, 12_345, 2],
    [50, 999, 4],
  ])('%i trials, %i steps, eta %i: within budget, survivors shrink by eta, steps grow', (trials, budget, eta) => {
    const rungs = halvingRungs(trials, budget, eta);
    expect(scheduleSteps(rungs)).toBeLessThanOrEqual(budget);
    expect(rungs[0]!.trials).toBe(trials);
    expect(rungs.at(-1)!.trials).toBeGreaterThanOrEqual(1);
    expect(rungs.at(-1)!.trials).toBeLessThan(eta);
    for (let k = 1; k < rungs.length; k++) {
      expect(rungs[k]!.trials).toBe(Math.floor(rungs[k - 1]!.trials / eta));
      expect(rungs[k]!.steps).toBeGreaterThanOrEqual(rungs[k - 1]!.steps);
    }
  });

  it('caps steps per trial at maxSteps and stays within budget', () => {
    const rungs = halvingRungs(9, 100_000, 3, 300);
    expect(rungs.every((rung) => rung.steps === 300)).toBe(true);
    expect(scheduleSteps(rungs)).toBeLessThanOrEqual(100_000);
  });

  it('rejects nonsense', () => {
    expect(() => halvingRungs(0, 100)).toThrow(RangeError);
    expect(() => halvingRungs(5, 100, 1)).toThrow(RangeError);
  });
});

describe('applyCandidate', () => {
  const config = configSchema.parse({
    version: 1,
    data: { train: 'x.csv', target: 'y' },
    model: { layers: [{ type: 'dense', units: 1 }] },
    training: { optimizer: 'sgd', learningRate: 0.5, momentum: 0.5, batchSize: 16 },
  });

  it('sets optimizer, rate, batch size and momentum, and leaves the rest', () => {
    const next = applyCandidate(config, { optimizer: 'momentum', learningRate: 0.01, batchSize: 64, momentum: 0.9 });
    expect(next.training).toMatchObject({
      optimizer: 'momentum',
      learningRate: 0.01,
      batchSize: 64,
      momentum: 0.9,
      epochs: config.training.epochs,
    });
    expect(next.model).toBe(config.model);
    expect(config.training.optimizer).toBe('sgd');
  });

  it('drops a momentum the new optimizer should not inherit', () => {
    const next = applyCandidate(config, { optimizer: 'rmsprop', learningRate: 0.001, batchSize: 8 });
    expect(next.training.momentum).toBeUndefined();
    expect('momentum' in next.training).toBe(false);
  });
});
