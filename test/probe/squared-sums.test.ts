import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/probe/backend.js';
import { squaredSums, sumOfSquares, updateSums } from '../../src/probe/squared-sums.js';
import { createRandom } from '../../src/util/random.js';

beforeAll(async () => {
  await selectBackend('wasm', []);
});

/** Float32 values of one of several kinds, from a fixed seed. */
function values(length: number, kind: 'normal' | 'wide' | 'tiny' | 'non-finite', seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length }, (_, index) => {
    const value = random() * 2 - 1;
    if (kind === 'wide') return value * 10 ** Math.floor(random() * 60 - 30);
    if (kind === 'tiny') return value * 1e-40; // subnormal in float32
    if (kind === 'non-finite' && index === length >> 1) return index % 2 === 0 ? Number.NaN : Number.POSITIVE_INFINITY;
    return value;
  });
}

// Lengths around the groups of two and four the partial sums take, and a kernel's size.
const LENGTHS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 31, 1001, 614_657];
const KINDS = ['normal', 'wide', 'tiny', 'non-finite'] as const;

describe('squared sums in the wasm heap', () => {
  it('run as WebAssembly SIMD on the wasm backend', () => {
    expect(squaredSums().where).toBe('wasm-simd');
  });

  describe.each(KINDS)('%s values', (kind) => {
    it.each(LENGTHS)('are the bits of the JavaScript loops for %i values', (length) => {
      const sums = squaredSums();
      const before = values(length, kind, length + 1);
      const after = values(length, kind, length + 2);
      const [beforeTensor, afterTensor] = [tf.tensor1d(before), tf.tensor1d(after)];
      try {
        expect(Object.is(sums.sumOfSquares(afterTensor), sumOfSquares(after))).toBe(true);
        const simd = sums.updateSums(beforeTensor, afterTensor);
        const loops = updateSums(before, after);
        expect(Object.is(simd.changeSquares, loops.changeSquares)).toBe(true);
        expect(Object.is(simd.newSquares, loops.newSquares)).toBe(true);
      } finally {
        tf.dispose([beforeTensor, afterTensor]);
      }
    });
  });

  it('reads each tensor where it lies, also after the heap grew', () => {
    const sums = squaredSums();
    const small = tf.tensor1d([3, 4]);
    // 64 MB more: the wasm memory grows, and a view taken before it would be detached.
    const big = tf.zeros([16 * 2 ** 20]);
    const head = big.slice(0, 2);
    try {
      expect(sums.sumOfSquares(small)).toBe(25);
      expect(sums.updateSums(small, head)).toEqual({ changeSquares: 25, newSquares: 0 });
    } finally {
      tf.dispose([small, big, head]);
    }
  });
});
