/** tfjs optimizers for the config's names, with Keras' defaults for what the config leaves out. */
import tf from '../util/tfjs.cjs';
import type { Config } from '../config/schema.js';
import { FusedSgd } from './wasm-kernels/sgd-update.js';

type Training = Config['training'];

export function createOptimizer(training: Training): tf.Optimizer {
  const rate = training.learningRate;
  switch (training.optimizer) {
    case 'sgd':
      // tf.train.sgd's optimizer, with its update in one pass on wasm (the same bits).
      return new FusedSgd(rate);
    case 'momentum':
      return tf.train.momentum(rate, training.momentum ?? 0.9);
    case 'adam':
      return tf.train.adam(rate);
    case 'rmsprop':
      // Keras: rho 0.9, momentum 0, epsilon 1e-7.
      return tf.train.rmsprop(rate, 0.9, training.momentum ?? 0, 1e-7);
    case 'adagrad':
      return tf.train.adagrad(rate);
    case 'adadelta':
      // Keras' rho is 0.95.
      return tf.train.adadelta(rate, 0.95);
    case 'adamax':
      return tf.train.adamax(rate);
  }
}

/**
 * Changes the rate of a live optimizer: SGD and momentum keep it in a scalar tensor, the others in a
 * field read at each step. (tfjs' `instanceof` matches any optimizer against SGDOptimizer, so the
 * method itself is what is tested for.)
 */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  const withSetter = optimizer as unknown as { setLearningRate?: (rate: number) => void; learningRate: number };
  if (typeof withSetter.setLearningRate === 'function') withSetter.setLearningRate(rate);
  else withSetter.learningRate = rate;
}
