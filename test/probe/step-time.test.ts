import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConvdocError } from '../../src/errors.js';
import { buildModel } from '../../src/model/build.js';
import { assertProbeInTime, estimateProbeTime, type TimeEstimate } from '../../src/probe/step-time.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The numbers of the case: a 224x224x3 MobileNet on wasm, batch 4, under load. */
const MOBILENET: TimeEstimate = {
  backend: 'wasm',
  batchRows: 4,
  evaluationRows: 18,
  rowStepSeconds: 12,
  stepTimed: true,
  stepSeconds: 47,
  evaluationSeconds: 4.5,
  measuredSeconds: 13,
};
const SCHEDULE = { maxSeconds: 60, stepsPlanned: 300, evalEvery: 10 };

describe('the probe time estimate', () => {
  it('lets a probe through when an evaluation, a step and the final evaluation fit in what is left', () => {
    expect(() => assertProbeInTime({ ...MOBILENET, stepSeconds: 30 }, SCHEDULE)).not.toThrow();
  });

  it('refuses one that does not, with the numbers and the options', () => {
    const refuse = () => assertProbeInTime(MOBILENET, SCHEDULE);
    expect(refuse).toThrow(ConvdocError);
    expect(refuse).toThrow(
      "the model is too big for this probe's time budget on wasm: one training step of 4 rows takes about 47 s here (12 s measured for one row) and each evaluation of 18 rows about 4.5 s, so the shortest probe (an evaluation, a step, the final evaluation) needs 56 s, more than the 47 s left of probe.maxSeconds (60 s). Options: probe.maxSeconds: 14253 for the 300 planned steps (fewer probe.steps need less: 47 s a step, 4.5 s an evaluation every 10 steps); set probe.batchSize to 3 or less (the probe trains with batches of 4 now); smaller examples (data.inputShape: the time grows with the values per example); run with --backend node (native TensorFlow, usually several times faster).",
    );
  });

  it('offers no smaller batch when the evaluations alone do not fit, and no other backend on native TensorFlow', () => {
    const slow = { ...MOBILENET, backend: 'tensorflow', evaluationSeconds: 30 };
    let message = '';
    try {
      assertProbeInTime(slow, SCHEDULE);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^the model is too big for this probe's time budget on tensorflow: /);
    expect(message).not.toMatch(/probe\.batchSize|--backend/);
  });

  it('times a step and a forward pass of a built model without changing its weights or leaking tensors', () => {
    const built = buildModel(
      [
        { type: 'dense', units: 8, activation: 'relu' },
        { type: 'dense', units: 1 },
      ],
      [4],
      (i) => `layer ${i}`,
    );
    const before = built.model.getWeights().map((weight) => Array.from(weight.dataSync()));
    const tensors = tf.memory().numTensors;
    const estimate = estimateProbeTime(built.model, { backend: 'cpu', batchRows: 32, evaluationRows: 100 }, 60);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(built.model.getWeights().map((weight) => Array.from(weight.dataSync()))).toEqual(before);
    expect(estimate).toMatchObject({ backend: 'cpu', batchRows: 32, evaluationRows: 100 });
    for (const key of ['rowStepSeconds', 'stepSeconds', 'evaluationSeconds', 'measuredSeconds'] as const)
      expect(estimate[key]).toBeGreaterThan(0);
    built.model.dispose();
  });
});

describe('a model too slow to time one step', () => {
  it('is refused from its forward passes, without running the step', () => {
    const refuse = () =>
      assertProbeInTime({ ...MOBILENET, stepTimed: false, rowStepSeconds: 15, stepSeconds: 60 }, SCHEDULE);
    expect(refuse).toThrow(
      /one training step of 4 rows takes at least 60 s here \(3 timed forward passes; too slow to time one\)/,
    );
  });

  it('skips the step when three forward passes of the batch and two evaluations exceed the budget', () => {
    const built = buildModel([{ type: 'dense', units: 8 }], [4], (i) => `layer ${i}`);
    const estimate = estimateProbeTime(built.model, { backend: 'cpu', batchRows: 32, evaluationRows: 100 }, 1e-9);
    expect(estimate.stepTimed).toBe(false);
    expect(estimate.stepSeconds).toBeCloseTo(32 * estimate.rowStepSeconds, 12);
    built.model.dispose();
  });
});
