import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/probe/backend.js';
import { type ProductPlan, planProduct, productSizes, runPlan } from '../../src/probe/wasm-kernels/batch-mat-mul.js';
import { fusedMatMulKernel } from '../../src/probe/wasm-kernels/fused-mat-mul.js';
import type { BackendWasm } from '../../src/probe/wasm-kernels/wasm-backend.js';

beforeAll(async () => {
  await selectBackend('wasm', []);
});

const plan = (aShape: number[], bShape: number[], transposeA = false, transposeB = false) =>
  planProduct(productSizes(aShape, bShape, { transposeA, transposeB }), { transposeA, transposeB });

function bits(tensor: tf.Tensor): Buffer {
  const values = tensor.dataSync();
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

describe('planProduct', () => {
  it.each<[string, number[], number[], boolean, boolean, ProductPlan]>([
    // Whole 4×8 blocks of the result: our SIMD product, with no packing of the new weights.
    ['X·W, batch 32, 784→784', [32, 784], [784, 784], false, false, 'direct'],
    ['X·W, batch 2000, 784→5000', [2000, 784], [784, 5000], false, false, 'direct'],
    ['X·W, batch 64, 128→128', [64, 128], [128, 128], false, false, 'direct'],
    ['Xᵀ·dY, batch 32', [32, 784], [32, 784], true, false, 'direct'],
    ['dY·Wᵀ, batch 32', [32, 50], [784, 50], false, true, 'direct'],
    ['batched left operand', [2, 3, 20, 40], [40, 64], false, false, 'direct'],
    // Columns not in blocks of 8: the last ones as a block padded with zeros.
    ['X·W, batch 32, 256→1020', [32, 256], [256, 1020], false, false, 'direct'],
    ['X·W, batch 32, 784→50', [32, 784], [784, 50], false, false, 'direct'],
    ['Xᵀ·dY, 50 outputs', [32, 784], [32, 50], true, false, 'direct'],
    ['X·W below the FLOPs threshold', [4, 8], [8, 64], false, false, 'stock'],
    // Rows not in blocks of 4: the other plans. W is new every step, and packing it costs more than three copies.
    ['X·W, batch 30, 256→1020', [30, 256], [256, 1020], false, false, 'product'],
    ['dY·Wᵀ, batch 30', [30, 50], [780, 50], false, true, 'product'],
    ['Xᵀ·dY, 783 inputs, 50 outputs', [32, 783], [32, 50], true, false, 'operands'],
    ['batched transposed left operand', [3, 40, 20], [1, 50, 40], true, true, 'operands'],
    ['batched right operand', [3, 20, 40], [3, 40, 56], false, false, 'stock'],
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
      expect(bits(transposed!).equals(bits(stock!))).toBe(true);
    } finally {
      tf.dispose([a, b, stock!, transposed!]);
    }
  });
});

describe('the direct product', () => {
  it.each<[number, number, number, boolean, boolean]>([
    [32, 784, 784, false, false],
    [32, 784, 784, true, false],
    [32, 50, 784, false, true],
    [400, 784, 64, true, false],
    [8, 300, 48, true, true],
    [12, 1024, 16, false, false],
    [32, 784, 50, false, false],
    [32, 784, 50, true, false],
    [4, 64, 3, false, true],
    [16, 200, 1020, false, false],
    // An odd k: the last k after the loop's pairs.
    [8, 301, 48, true, false],
    [4, 33, 515, false, false],
  ])('has the bits of the XNNPACK path for m=%i, k=%i, n=%i, transposeA %s, transposeB %s', (m, k, n, tA, tB) => {
    const backend = tf.backend() as BackendWasm;
    const a = tf.randomUniform(tA ? [k, m] : [m, k], -1, 1, 'float32', m);
    const b = tf.randomUniform(tB ? [n, k] : [k, n], -1, 1, 'float32', n);
    const attrs = { transposeA: tA, transposeB: tB };
    const product = { a, b, attrs, sizes: productSizes(a.shape, b.shape, attrs), backend };
    const [xnnpack, direct] = (['operands', 'direct'] as const).map((which) =>
      tf.engine().makeTensorFromTensorInfo(runPlan(which, product)),
    );
    try {
      expect(direct!.shape).toEqual([m, n]);
      expect(bits(direct!).equals(bits(xnnpack!))).toBe(true);
    } finally {
      tf.dispose([a, b, xnnpack!, direct!]);
    }
  });

  it('propagates NaN, infinities and signed zeros as XNNPACK does', () => {
    const backend = tf.backend() as BackendWasm;
    const values = tf.randomUniform([8, 200], -1, 1, 'float32', 3).arraySync() as number[][];
    values[0]![3] = Number.NaN;
    values[1]![7] = Number.POSITIVE_INFINITY;
    values[2]![1] = Number.NEGATIVE_INFINITY;
    values[3]![0] = 3e38;
    values[4] = values[4]!.map(() => -0);
    const a = tf.tensor2d(values);
    const b = tf.randomUniform([200, 21], -1, 1, 'float32', 4);
    const attrs = { transposeA: false, transposeB: false };
    const product = { a, b, attrs, sizes: productSizes(a.shape, b.shape, attrs), backend };
    const [xnnpack, direct] = (['operands', 'direct'] as const).map((which) =>
      tf.engine().makeTensorFromTensorInfo(runPlan(which, product)),
    );
    try {
      expect(bits(direct!).equals(bits(xnnpack!))).toBe(true);
    } finally {
      tf.dispose([a, b, xnnpack!, direct!]);
    }
  });
});

describe('_FusedMatMul', () => {
  /** A batch whose rows hold NaN, infinities, a huge value and negative zeros, as a [1, m, k] tensor. */
  function specialRows(m: number, k: number): tf.Tensor {
    const values = tf.randomUniform([m, k], -1, 1, 'float32', 5).arraySync() as number[][];
    values[0]![3] = Number.NaN;
    values[1]![7] = Number.POSITIVE_INFINITY;
    values[2]![1] = Number.NEGATIVE_INFINITY;
    values[3]![0] = 3e38;
    values[4] = values[4]!.map(() => -0);
    return tf.tensor3d([values]);
  }

  it.each<[number, number, number, 'relu' | 'linear', boolean]>([
    [200, 784, 784, 'relu', true],
    [128, 784, 64, 'linear', true],
    [32, 100, 48, 'relu', false],
    [200, 784, 50, 'relu', true],
    [128, 784, 50, 'linear', true],
    [32, 100, 13, 'relu', false],
  ])('has the bits of the stock kernel for m=%i, k=%i, n=%i, %s, bias %s', (m, k, n, activation, withBias) => {
    const backend = tf.backend() as BackendWasm;
    const a = specialRows(m, k);
    const b = tf.randomUniform([1, k, n], -1, 1, 'float32', 6);
    const bias = withBias ? tf.randomUniform([n], -1, 1, 'float32', 7) : undefined;
    const ours = tf.fused.matMul({ a, b, ...(bias === undefined ? {} : { bias }), activation });
    const inputs = { a, b, ...(bias === undefined ? {} : { bias }) };
    const attrs = { transposeA: false, transposeB: false, activation, leakyreluAlpha: 0 };
    const stock = tf.engine().makeTensorFromTensorInfo(fusedMatMulKernel.stock({ inputs, attrs, backend }));
    try {
      expect(ours.shape).toEqual([1, m, n]);
      expect(bits(ours).equals(bits(stock))).toBe(true);
    } finally {
      tf.dispose([a, b, ours, stock, ...(bias === undefined ? [] : [bias])]);
    }
  });
});
