/**
 * Deterministic numbers for the gradient check: both backends must see
 * bit-identical weights and inputs, so nothing here touches tfjs' random ops.
 */
import * as tf from '@tensorflow/tfjs';

/** A 32-bit linear congruential generator (Numerical Recipes constants); uniform in [0, 1). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** A stable seed for a name, so adding a case does not change the numbers of the others (FNV-1a). */
export function seedFor(name: string): number {
  let hash = 2166136261;
  for (let i = 0; i < name.length; ++i) {
    hash = Math.imul(hash ^ name.charCodeAt(i), 16777619) >>> 0;
  }
  return hash;
}

function uniformValues(size: number, random: () => number, low: number, high: number): Float32Array {
  const values = new Float32Array(size);
  for (let i = 0; i < size; ++i) {
    values[i] = low + (high - low) * random();
  }
  return values;
}

export function uniformTensor(shape: number[], seed: number, low = -1, high = 1): tf.Tensor {
  return tf.tensor(uniformValues(tf.util.sizeFromShape(shape), lcg(seed), low, high), shape, 'float32');
}

/**
 * Values drawn from a few negative levels (and a few positive ones where
 * `positiveShare` > 0): many pooling windows then have a negative maximum,
 * and many have it tied between several elements.
 */
export function quantizedTensor(shape: number[], seed: number, positiveShare: number): tf.Tensor {
  const random = lcg(seed);
  const levels = [-1, -0.75, -0.5, -0.25];
  const size = tf.util.sizeFromShape(shape);
  const values = new Float32Array(size);
  for (let i = 0; i < size; ++i) {
    const level = levels[Math.floor(random() * levels.length)] ?? -1;
    values[i] = random() < positiveShare ? -level : level;
  }
  return tf.tensor(values, shape, 'float32');
}

/** Integer class ids in [0, classes), as float32 (what an Embedding layer is fed). */
export function idsTensor(shape: number[], seed: number, classes: number): tf.Tensor {
  const random = lcg(seed);
  const values = Float32Array.from({ length: tf.util.sizeFromShape(shape) }, () => Math.floor(random() * classes));
  return tf.tensor(values, shape, 'float32');
}

/**
 * One-hot labels built in JS as float32 (tf.oneHot(..., 'float32') returns
 * int32 bit patterns on wasm in tfjs 4.22.0).
 */
export function oneHotLabels(batch: number, classes: number, seed: number): tf.Tensor {
  const random = lcg(seed);
  const values = new Float32Array(batch * classes);
  for (let row = 0; row < batch; ++row) {
    values[row * classes + Math.floor(random() * classes)] = 1;
  }
  return tf.tensor(values, [batch, classes], 'float32');
}

/** 0/1 labels for binary cross-entropy. */
export function binaryLabels(shape: number[], seed: number): tf.Tensor {
  const random = lcg(seed);
  const values = Float32Array.from({ length: tf.util.sizeFromShape(shape) }, () => (random() < 0.5 ? 0 : 1));
  return tf.tensor(values, shape, 'float32');
}

/**
 * Overwrites every weight of every layer with seeded values instead of tfjs'
 * random initialisers. Scales follow the weight's role so activations stay in
 * a useful range; a batch-norm moving variance stays positive.
 */
export function setSeededWeights(model: tf.LayersModel, seed: number): void {
  const random = lcg(seed);
  for (const layer of model.layers) {
    const weights = layer.weights.map((weight) => {
      const role = weight.originalName.split('/').pop() ?? '';
      const shape = weight.read().shape;
      const [low, high] = weightRange(role, shape);
      return tf.tensor(uniformValues(tf.util.sizeFromShape(shape), random, low, high), shape, 'float32');
    });
    if (weights.length > 0) {
      layer.setWeights(weights);
      tf.dispose(weights);
    }
  }
}

function weightRange(role: string, shape: number[]): [number, number] {
  switch (role) {
    case 'gamma':
      return [0.8, 1.2];
    case 'moving_variance':
      return [0.5, 1.5];
    case 'bias':
    case 'beta':
    case 'moving_mean':
      return [-0.1, 0.1];
    default: {
      // Kernels: Glorot-like scale from the fan-in (all dims but the last).
      const fanIn = shape.slice(0, -1).reduce((product, size) => product * size, 1);
      const limit = Math.sqrt(3 / Math.max(1, fanIn));
      return [-limit, limit];
    }
  }
}
