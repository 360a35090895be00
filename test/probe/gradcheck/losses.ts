/**
 * The probe's own losses (src/probe/losses.ts), so the gradient check covers exactly what the
 * probe computes, plus a weighted sum for cases that have no natural target.
 */
import * as tf from '@tensorflow/tfjs';
import { LOSS_FUNCTIONS } from '../../../src/probe/losses.js';

export type Loss = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

const probeLoss =
  (name: keyof typeof LOSS_FUNCTIONS): Loss =>
  (yTrue, yPred) =>
    LOSS_FUNCTIONS[name](yTrue, yPred) as tf.Scalar;

export const meanSquaredError = probeLoss('meanSquaredError');
export const meanAbsoluteError = probeLoss('meanAbsoluteError');
export const binaryCrossentropy = probeLoss('binaryCrossentropy');
export const categoricalCrossentropy = probeLoss('categoricalCrossentropy');
export const huber = probeLoss('huber');
export { probeLoss };

/** A loss that weighs every output element differently, for cases that have no natural target. */
export function weightedSum(weights: tf.Tensor): (output: tf.Tensor) => tf.Scalar {
  return (output) => tf.sum<tf.Scalar>(tf.mul(output, weights));
}
