/**
 * Losses as Keras defines them (keras.losses, default reductions), written with plain tf ops so
 * every backend computes the same thing. Sparse labels are one-hot encoded in JS before they
 * reach a tensor: wasm's tf.oneHot(..., 'float32') returns int32 bit patterns.
 */
import tf from '../util/tfjs.cjs';
import { FROM_LOGITS_LOSSES, type LossName } from '../config/losses.js';

/** Keras' backend epsilon, used to clip probabilities away from 0 and 1. */
const EPSILON = 1e-7;

/** Returns a scalar: the mean loss over the batch. */
export type LossFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

const meanOverLastAxis = (values: tf.Tensor) => tf.mean(tf.mean(values, -1));
const clipped = (p: tf.Tensor) => tf.clipByValue(p, EPSILON, 1 - EPSILON);

const ROW_LOSSES: Record<LossName, LossFunction> = {
  meanSquaredError: (y, p) => meanOverLastAxis(tf.squaredDifference(y, p)),
  meanAbsoluteError: (y, p) => meanOverLastAxis(tf.abs(tf.sub(y, p))),
  meanAbsolutePercentageError: (y, p) =>
    tf.mul(100, meanOverLastAxis(tf.abs(tf.div(tf.sub(y, p), tf.maximum(tf.abs(y), EPSILON))))),
  meanSquaredLogarithmicError: (y, p) =>
    meanOverLastAxis(tf.squaredDifference(tf.log1p(tf.maximum(y, EPSILON)), tf.log1p(tf.maximum(p, EPSILON)))),
  huber: (y, p) => {
    const error = tf.abs(tf.sub(y, p));
    const quadratic = tf.minimum(error, 1);
    return meanOverLastAxis(tf.add(tf.mul(0.5, tf.square(quadratic)), tf.sub(error, quadratic)));
  },
  logCosh: (y, p) => {
    const x = tf.sub(p, y);
    return meanOverLastAxis(tf.sub(tf.add(x, tf.softplus(tf.mul(-2, x))), Math.log(2)));
  },
  binaryCrossentropy: (y, p) => {
    const q = clipped(p);
    return meanOverLastAxis(tf.neg(tf.add(tf.mul(y, tf.log(q)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, q))))));
  },
  categoricalCrossentropy: (y, p) => {
    const q = clipped(tf.div(p, tf.sum(p, -1, true)));
    return tf.mean(tf.neg(tf.sum(tf.mul(y, tf.log(q)), -1)));
  },
  // Labels arrive one-hot (see sparse handling in the probe data), so this is the categorical loss.
  sparseCategoricalCrossentropy: (y, p) => ROW_LOSSES.categoricalCrossentropy(y, p),
  hinge: (y, p) => meanOverLastAxis(tf.relu(tf.sub(1, tf.mul(toSigned(y), p)))),
  squaredHinge: (y, p) => meanOverLastAxis(tf.square(tf.relu(tf.sub(1, tf.mul(toSigned(y), p))))),
  categoricalHinge: (y, p) => {
    const positive = tf.sum(tf.mul(y, p), -1);
    const negative = tf.max(tf.mul(tf.sub(1, y), p), -1);
    return tf.mean(tf.relu(tf.add(tf.sub(negative, positive), 1)));
  },
  kullbackLeiblerDivergence: (y, p) => {
    const yc = clipped(y);
    return tf.mean(tf.sum(tf.mul(yc, tf.log(tf.div(yc, clipped(p)))), -1));
  },
  poisson: (y, p) => meanOverLastAxis(tf.sub(p, tf.mul(y, tf.log(tf.add(p, EPSILON))))),
  cosineProximity: (y, p) =>
    tf.neg(
      tf.mean(
        tf.sum(
          tf.mul(
            tf.div(y, tf.add(tf.norm(y, 2, -1, true), EPSILON)),
            tf.div(p, tf.add(tf.norm(p, 2, -1, true), EPSILON)),
          ),
          -1,
        ),
      ),
    ),
};

/** Keras' hinge losses take 0/1 labels as -1/+1. */
function toSigned(y: tf.Tensor): tf.Tensor {
  return tf.sub(tf.mul(y, 2), 1);
}

/**
 * Keras' from_logits=True forms, on raw outputs x, written the numerically stable way Keras and
 * TensorFlow compute them: sigmoid cross-entropy as max(x, 0) - x·y + log(1 + e^-|x|)
 * (tf.nn.sigmoid_cross_entropy_with_logits), softmax cross-entropy through logSoftmax.
 */
const ROW_LOGIT_LOSSES: Partial<Record<LossName, LossFunction>> = {
  binaryCrossentropy: (y, x) =>
    meanOverLastAxis(tf.add(tf.sub(tf.relu(x), tf.mul(x, y)), tf.log1p(tf.exp(tf.neg(tf.abs(x)))))),
  categoricalCrossentropy: (y, x) => tf.mean(tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(x)), -1))),
  // Labels arrive one-hot, as for the probability form.
  sparseCategoricalCrossentropy: (y, x) => ROW_LOGIT_LOSSES.categoricalCrossentropy!(y, x),
};

/**
 * A loss for outputs of any shape: targets arrive as rows, so a sequence output (`[steps, units]`
 * per row, a TimeDistributed tagger's) gets them reshaped to its own shape first.
 */
function forOutputShape(loss: LossFunction): LossFunction {
  return (y, p) => loss(p.rank > 2 && y.size === p.size ? tf.reshape(y, p.shape) : y, p);
}

function forEachOutputShape(losses: Partial<Record<LossName, LossFunction>>): Partial<Record<LossName, LossFunction>> {
  return Object.fromEntries(Object.entries(losses).map(([name, loss]) => [name, forOutputShape(loss)]));
}

export const LOSS_FUNCTIONS = forEachOutputShape(ROW_LOSSES) as Record<LossName, LossFunction>;
const LOGIT_LOSS_FUNCTIONS = forEachOutputShape(ROW_LOGIT_LOSSES);

/** The loss as the run computes it: on logits when `fromLogits` and the loss has that form (FROM_LOGITS_LOSSES). */
export function lossFunction(name: LossName, fromLogits: boolean | undefined): LossFunction {
  return fromLogits === true && FROM_LOGITS_LOSSES.has(name) ? LOGIT_LOSS_FUNCTIONS[name]! : LOSS_FUNCTIONS[name];
}
