/**
 * Scale-free readings of a training trace shared by the dynamics detectors, so that each detector
 * says what it looks at rather than how to smooth a series. Pure functions of number arrays.
 */
import type { ProbeTrace } from '../probe/trace.js';

/** The finite values of a series, in order. */
export function finite(values: readonly number[]): number[] {
  return values.filter(Number.isFinite);
}

export function median(values: readonly number[]): number {
  const sorted = finite(values).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Means of consecutive windows of `size` values (the last, shorter window included). */
export function windowMeans(values: readonly number[], size: number): number[] {
  const means: number[] = [];
  for (let start = 0; start < values.length; start += size) {
    const window = values.slice(start, start + size);
    means.push(window.reduce((sum, value) => sum + value, 0) / window.length);
  }
  return means;
}

/**
 * A robust start and end level of a noisy series: the medians of its first and last `fraction`
 * (mini-batch losses jump from batch to batch; a median of a tenth of the run does not).
 */
export function startAndEnd(values: readonly number[], fraction = 0.1): { start: number; end: number } {
  const span = Math.max(1, Math.round(values.length * fraction));
  return { start: median(values.slice(0, span)), end: median(values.slice(-span)) };
}

/** The trainable kernels (weight matrices, not biases) in layer order: `dense_1/kernel`, ... */
export function kernelNames(trace: ProbeTrace): string[] {
  return Object.keys(trace.gradNorm).filter((name) => /kernel$/i.test(name));
}

/** The layer a variable belongs to: `dense_1/kernel` → `dense_1`. */
export function layerOf(variable: string): string {
  return variable.slice(0, variable.lastIndexOf('/'));
}
