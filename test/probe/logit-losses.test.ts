import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { LOSS_FUNCTIONS, lossFunction } from '../../src/probe/losses.js';

/** On logits, each from_logits loss equals its probability form on sigmoid/softmax of them (where both are exact). */
describe('from_logits losses', () => {
  const logits = tf.tensor2d([
    [2, -1, 0.5],
    [-3, 4, 1],
  ]);
  const oneHot = tf.tensor2d([
    [1, 0, 0],
    [0, 0, 1],
  ]);
  const value = (loss: tf.Tensor) => loss.dataSync()[0]!;

  it.each(['categoricalCrossentropy', 'sparseCategoricalCrossentropy'] as const)(
    '%s: softmax cross-entropy',
    (name) => {
      const expected = value(LOSS_FUNCTIONS[name](oneHot, tf.softmax(logits)));
      expect(value(lossFunction(name, true)(oneHot, logits))).toBeCloseTo(expected, 5);
    },
  );

  it('binaryCrossentropy: sigmoid cross-entropy, and stable where the probability form clips', () => {
    const labels = tf.tensor2d([[1, 0, 1]]);
    const moderate = tf.tensor2d([[2, -1, 0.5]]);
    const expected = value(LOSS_FUNCTIONS.binaryCrossentropy(labels, tf.sigmoid(moderate)));
    expect(value(lossFunction('binaryCrossentropy', true)(labels, moderate))).toBeCloseTo(expected, 5);
    // A logit of -40 for a true label: the exact loss is 40; the clipped probability form stops at -ln(1e-7) ≈ 16.
    expect(value(lossFunction('binaryCrossentropy', true)(tf.tensor2d([[1]]), tf.tensor2d([[-40]])))).toBeCloseTo(
      40,
      3,
    );
  });

  it('leaves the other losses and fromLogits: false as they are', () => {
    expect(lossFunction('meanSquaredError', true)).toBe(LOSS_FUNCTIONS.meanSquaredError);
    expect(lossFunction('categoricalCrossentropy', false)).toBe(LOSS_FUNCTIONS.categoricalCrossentropy);
  });
});
