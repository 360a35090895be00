/**
 * Feature scaling with training-set statistics, the way a careful Keras pipeline does it: the
 * statistics come from the training rows only and are reused, unchanged, on validation rows.
 */
import type { Normalization } from '../config/schema.js';

export interface FeatureScaling {
  /** Subtracted from each feature. */
  offset: Float64Array;
  /** Each feature is divided by this (1 where the feature does not vary, so nothing divides by 0). */
  scale: Float64Array;
}

/** Per-feature statistics of row-major `x` (rows × features), for `standardize` or `minmax`. */
export function fitScaling(x: Float32Array, features: number, method: Exclude<Normalization, 'none'>): FeatureScaling {
  const rows = x.length / features;
  const offset = new Float64Array(features);
  const scale = new Float64Array(features).fill(1);
  for (let j = 0; j < features; j++) {
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let r = 0; r < rows; r++) {
      const value = x[r * features + j]!;
      sum += value;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    if (method === 'minmax') {
      offset[j] = min;
      if (max > min) scale[j] = max - min;
      continue;
    }
    const mean = sum / rows;
    let squares = 0;
    for (let r = 0; r < rows; r++) squares += (x[r * features + j]! - mean) ** 2;
    offset[j] = mean;
    const std = Math.sqrt(squares / rows);
    if (std > 0) scale[j] = std;
  }
  return { offset, scale };
}

/** A scaled copy of `x`. */
export function applyScaling(x: Float32Array, features: number, { offset, scale }: FeatureScaling): Float32Array {
  const scaled = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const j = i % features;
    scaled[i] = (x[i]! - offset[j]!) / scale[j]!;
  }
  return scaled;
}
