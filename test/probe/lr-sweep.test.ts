import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { analyzeLrRange } from '../../src/trials/lr-range.js';
import { selectBackend } from '../../src/probe/backend.js';
import { loadProbeSubject, type ProbeSubject } from '../../src/probe/index.js';
import { runLrSweep, type LrSweepOptions } from '../../src/probe/lr-sweep.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
let boston: ProbeSubject;

beforeAll(async () => {
  await selectBackend('wasm', []);
  boston = await loadProbeSubject(await loadConfig(path.join(ROOT, 'examples/boston-standardized/convdoc.yaml')));
});

const sweep = (options: LrSweepOptions = {}, seed = 42) =>
  runLrSweep(
    {
      config: boston.loaded.config,
      dataset: boston.dataset,
      layers: boston.model.layers,
      describeLayer: boston.model.describeLayer,
      seed,
    },
    options,
  );

describe('runLrSweep on the standardized Boston MLP (SGD)', () => {
  it('grows the rate exponentially, one rate per step, from 1e-7', () => {
    const { learningRate } = sweep();
    expect(learningRate[0]).toBe(1e-7);
    const ratio = 1e8 ** (1 / 99);
    learningRate.slice(1).forEach((rate, index) => expect(rate / learningRate[index]!).toBeCloseTo(ratio, 9));
  });

  it('stops early when the smoothed loss passes 4× its best, with the loss of every step run', () => {
    const result = sweep();
    expect(result).toMatchObject({ stepsPlanned: 100, stoppedEarly: 'diverged', lossName: 'meanSquaredError' });
    expect(result.loss.length).toBeLessThan(100);
    expect(result.loss).toHaveLength(result.learningRate.length);
    expect(result.loss.every(Number.isFinite)).toBe(true);
    // It diverges past the rate that trains (0.01) and before 1; the analysis cuts at the same step.
    expect(result.learningRate.at(-1)!).toBeGreaterThan(0.01);
    expect(result.learningRate.at(-1)!).toBeLessThan(1);
    expect(analyzeLrRange(result).divergence).toMatchObject({ index: result.loss.length - 1, cause: 'diverged' });
  });

  it('records the first non-finite loss and stops there', () => {
    // From rate 1000 up, SGD overflows float32 in 3 steps, inside the burn-in where only a non-finite loss stops it.
    const result = sweep({ minLr: 1e3, maxLr: 1e9, steps: 40 });
    expect(result.stoppedEarly).toBe('non-finite');
    expect(Number.isFinite(result.loss.at(-1)!)).toBe(false);
    expect(result.loss.slice(0, -1).every(Number.isFinite)).toBe(true);
  });

  it('is reproducible from its seed, and another seed gives another run', () => {
    expect(sweep({ steps: 30 })).toEqual(sweep({ steps: 30 }));
    expect(sweep({ steps: 30 }, 7).loss).not.toEqual(sweep({ steps: 30 }).loss);
  });

  it('leaks no tensors, whether it runs to the end, diverges or overflows', () => {
    sweep({ steps: 30 });
    const before = tf.memory().numTensors;
    sweep({ steps: 30, maxLr: 1e-3 });
    sweep();
    sweep({ minLr: 1e3, maxLr: 1e9, steps: 40 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a sweep that cannot grow', () => {
    expect(() => sweep({ minLr: 1, maxLr: 1 })).toThrow(RangeError);
    expect(() => sweep({ steps: 1 })).toThrow(RangeError);
  });
});
