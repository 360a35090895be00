import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/probe/backend.js';
import { type ProductPlan, planProduct, productSizes, runPlan } from '../../src/probe/wasm-kernels/batch-mat-mul.js';
import type { BackendWasm } from '../../src/probe/wasm-kernels/wasm-backend.js';

beforeAll(async () => {
  await selectBackend('wasm', []);
});

const plan = (aShape: number[], bShape: number[], transposeA = false, transposeB = false) =>
  planProduct(productSizes(aShape, bShape, { transposeA, transposeB }), { transposeA, transposeB });

describe('planProduct', () => {
  it.each<[string, number[], number[], boolean, boolean, ProductPlan]>([
    // X·W of a training step: W is new every step, and packing it costs more than three copies.
    ['X·W, batch 32, 784→784', [32, 784], [784, 784], false, false, 'product'],
    ['X·W, batch 32, 256→1024', [32, 256], [256, 1024], false, false, 'product'],
    // Measured slower transposed (docs/performance.md): kept on the stock path.
    ['X·W, batch 32, 784→50', [32, 784], [784, 50], false, false, 'stock'],
    ['X·W, batch 64, 128→128', [64, 128], [128, 128], false, false, 'stock'],
    ['X·W, batch 2000, 784→5000', [2000, 784], [784, 5000], false, false, 'stock'],
    ['X·W below the FLOPs threshold', [4, 8], [8, 64], false, false, 'stock'],
    // The backward products keep their plans.
    ['dY·Wᵀ, batch 32', [32, 50], [784, 50], false, true, 'product'],
    ['Xᵀ·dY, batch 32', [32, 784], [32, 784], true, false, 'operands'],
    ['batched right operand', [3, 20, 40], [3, 40, 50], false, false, 'stock'],
  ])('%s: %s', (_, aShape, bShape, transposeA, transposeB, expected) => {
    expect(plan(aShape, bShape, transposeA, transposeB)).toBe(expected);
  });
});

describe('an untransposed product computed as (Bᵀ·Aᵀ)ᵀ', () => {
  it.each([
    [32, 784, 784],
    [7, 13, 29],
    [33, 100, 65],
    [1, 300, 200],
  ])('has the bits of the stock kernel for m=%i, k=%i, n=%i', (m, k, n) => {
    const backend = tf.backend() as BackendWasm;
    const a = tf.randomUniform([m, k], -1, 1, 'float32', m);
    const b = tf.randomUniform([k, n], -1, 1, 'float32', n);
    const attrs = { transposeA: false, transposeB: false };
    const product = { a, b, attrs, sizes: productSizes(a.shape, b.shape, attrs), backend };
    const [stock, transposed] = (['stock', 'product'] as const).map((which) =>
      tf.engine().makeTensorFromTensorInfo(runPlan(which, product)),
    );
    try {
      expect(transposed!.shape).toEqual(stock!.shape);
      const bits = (tensor: tf.Tensor) => {
        const values = tensor.dataSync();
        return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
      };
      expect(bits(transposed!).equals(bits(stock!))).toBe(true);
    } finally {
      tf.dispose([a, b, stock!, transposed!]);
    }
  });
});
