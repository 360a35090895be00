import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/probe/backend.js';
import { FusedSgd } from '../../src/probe/wasm-kernels/sgd-update.js';

beforeAll(async () => {
  await selectBackend('wasm', []);
});

/** The weights after `steps` updates by `optimizer` from fixed gradients, as raw bits. */
function weightsAfter(optimizer: tf.Optimizer, shape: number[], steps: number): Buffer {
  const weights = tf.variable(tf.randomUniform(shape, -1, 1, 'float32', 11));
  for (let step = 0; step < steps; step++) {
    const gradient = tf.randomUniform(shape, -3, 3, 'float32', step);
    optimizer.applyGradients({ [weights.name]: gradient });
    gradient.dispose();
  }
  const values = weights.dataSync();
  weights.dispose();
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

describe('FusedSgd on wasm', () => {
  it.each([[[784, 784]], [[7]], [[3, 5]], [[1]], [[50]]])('updates %j with the bits of tfjs SGD', (shape) => {
    for (const rate of [0.01, 0.3, 1e-7]) {
      const fused = new FusedSgd(rate);
      const stock = tf.train.sgd(rate);
      expect(weightsAfter(fused, shape, 3).equals(weightsAfter(stock, shape, 3))).toBe(true);
      expect(fused.iterations).toBe(stock.iterations);
      fused.dispose();
      stock.dispose();
    }
  });

  it('runs no Multiply or Add kernel: the update is our module', async () => {
    const fused = new FusedSgd(0.1);
    const weights = tf.variable(tf.ones([16, 16]));
    const gradient = tf.ones([16, 16]);
    const profile = await tf.profile(() => fused.applyGradients({ [weights.name]: gradient }));
    expect(profile.kernelNames).not.toContain('Multiply');
    expect(profile.kernelNames).not.toContain('Add');
    expect(weights.dataSync()[0]).toBeCloseTo(0.9);
    tf.dispose([weights, gradient]);
    fused.dispose();
  });

  it('follows a learning rate set on the live optimizer', () => {
    const fused = new FusedSgd(0.1);
    const stock = tf.train.sgd(0.1);
    fused.setLearningRate(0.025);
    stock.setLearningRate(0.025);
    expect(weightsAfter(fused, [64, 8], 2).equals(weightsAfter(stock, [64, 8], 2))).toBe(true);
    fused.dispose();
    stock.dispose();
  });

  it('keeps NaN and infinite gradients as tfjs does', () => {
    const run = (optimizer: tf.Optimizer) => {
      const weights = tf.variable(tf.tensor1d([1, -1, 0, 2, 3, -0, 5, 6, 7]));
      const gradient = tf.tensor1d([Number.NaN, Number.POSITIVE_INFINITY, 1, -1, 0, 0, 1e38, -1e38, 2]);
      optimizer.applyGradients({ [weights.name]: gradient });
      const values = Array.from(weights.dataSync());
      tf.dispose([weights, gradient]);
      return values;
    };
    expect(run(new FusedSgd(1e10))).toEqual(run(tf.train.sgd(1e10)));
  });
});
