/**
 * _FusedMatMul (X·W + b, then an activation) for the wasm backend: the direct SIMD product where it
 * fits, the stock kernel elsewhere.
 *
 * What was slow: every evaluation of a probe runs the dense layers through this kernel (tfjs-layers
 * fuses the bias and ReLU), on new weights each time, so XNNPACK packs W again: in a diagnose of
 * the 784-784-50-10 MLP its 31 validation passes (200 rows) and activation statistics (128 rows)
 * took 875 CPU ms in the 784×784 layer, 13 GFLOP/s (docs/performance.md, session 8).
 *
 * Why the bits are the stock kernel's: only untransposed products of a batch of one are taken,
 * which the stock kernel sends to XNNPACK, and direct-product.ts reproduces XNNPACK's sums (from the
 * bias, in order of k) and its ReLU (a clamp at 0 that turns NaN into 0). Other activations, PReLU
 * weights and transposed or batched operands stay with the stock kernel.
 */
import type tf from '../../util/tfjs.cjs';
import { directWithEpilogue, productSizes } from './batch-mat-mul.js';
import { type WasmKernelArgs, requireInput, wrapStockKernel } from './wasm-backend.js';

const KERNEL = '_FusedMatMul';

function fusedMatMul(args: WasmKernelArgs): tf.TensorInfo {
  const { inputs, backend } = args;
  const a = requireInput(inputs, 'a', KERNEL);
  const b = requireInput(inputs, 'b', KERNEL);
  const attrs = args.attrs as unknown as tf._FusedMatMulAttrs;
  const { bias, preluActivationWeights } = inputs;
  const sizes = productSizes(a.shape, b.shape, attrs);
  const fits =
    a.dtype === 'float32' &&
    b.dtype === 'float32' &&
    !attrs.transposeA &&
    !attrs.transposeB &&
    sizes.batchA === 1 &&
    (attrs.activation === 'linear' || attrs.activation === 'relu') &&
    preluActivationWeights === undefined &&
    (bias === undefined || (bias.shape.length === 1 && bias.shape[0] === sizes.n && bias.dtype === 'float32'));
  const out = fits
    ? directWithEpilogue({ a, b, attrs, sizes, backend }, { bias, relu: attrs.activation === 'relu' })
    : undefined;
  return out ?? fusedMatMulKernel.stock(args);
}

/** Ours in front of the stock kernel (whose `stock` the tests compare ours with). */
export const fusedMatMulKernel = wrapStockKernel(KERNEL, fusedMatMul);
