/**
 * Training kernels that tfjs-backend-wasm 4.22.0 lacks or gets wrong.
 *
 * Usage: import '@tensorflow/tfjs-backend-wasm', call
 * registerWasmTrainingKernels(), then `await tf.setBackend('wasm')`.
 *
 * Every kernel here is checked against the cpu backend by
 * test/probe/wasm-kernels.test.ts (gradients of every layer type and loss the
 * probe supports agree to a relative error below 1e-5).
 */
import tf from '../../util/tfjs.cjs';
import { batchMatMulKernel } from './batch-mat-mul.js';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { depthwiseConv2dBackpropFilterConfig } from './depthwise-conv2d-backprop-filter.js';
import { depthwiseConv2dBackpropInputConfig } from './depthwise-conv2d-backprop-input.js';
import { fusedMatMulKernel } from './fused-mat-mul.js';
import { identityConfig } from './identity.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';
import { WASM } from './wasm-backend.js';

/** Kernels the wasm backend does not register at all. */
const MISSING_KERNELS: readonly tf.KernelConfig[] = [
  conv2DBackpropFilterConfig,
  unsortedSegmentSumConfig,
  depthwiseConv2dBackpropFilterConfig,
  depthwiseConv2dBackpropInputConfig,
];

/** Kernels the wasm backend registers but computes wrongly; ours replace them. */
const CORRECTED_KERNELS: readonly tf.KernelConfig[] = [maxPoolGradConfig];

/** Kernels the wasm backend computes correctly but far below its own speed (or with needless copies); ours wrap or replace them. */
const FASTER_KERNELS: readonly tf.KernelConfig[] = [batchMatMulKernel.config, fusedMatMulKernel.config, identityConfig];

/**
 * Registers the kernels above for the 'wasm' backend, replacing the stock
 * MaxPoolGrad and Identity and wrapping the stock BatchMatMul and _FusedMatMul. Idempotent: a kernel already registered by us is left alone.
 *
 * Call it after '@tensorflow/tfjs-backend-wasm' is imported (its import
 * registers the stock kernels, which would otherwise overwrite ours; it throws
 * if the wasm backend is not registered yet) and before tf.setBackend('wasm').
 */
export function registerWasmTrainingKernels(): void {
  // Typed as always returning a factory; returns null for a backend nobody registered.
  if ((tf.findBackendFactory(WASM) as unknown) === null) {
    throw new Error(
      "registerWasmTrainingKernels: import '@tensorflow/tfjs-backend-wasm' first, or its stock kernels will replace these",
    );
  }
  for (const wrapper of [batchMatMulKernel, fusedMatMulKernel])
    wrapper.keepStock(tf.getKernel(wrapper.config.kernelName, WASM));
  for (const config of [...MISSING_KERNELS, ...CORRECTED_KERNELS, ...FASTER_KERNELS]) {
    registerReplacing(config);
  }
}

function registerReplacing(config: tf.KernelConfig): void {
  // getKernel is typed as always returning a config but returns undefined when none is registered.
  const registered = tf.getKernel(config.kernelName, WASM) as tf.KernelConfig | undefined;
  if (registered?.kernelFunc === config.kernelFunc) {
    return;
  }
  if (registered !== undefined) {
    // registerKernel would only warn and keep going; unregistering first makes the replacement explicit and quiet.
    tf.unregisterKernel(config.kernelName, WASM);
  }
  tf.registerKernel(config);
}

/**
 * tfjs-layers class names of layers that still cannot be trained correctly on
 * wasm after registerWasmTrainingKernels(), with the reason; a model using one
 * of them must be probe-trained on the cpu backend. These are stock wasm
 * kernels found wrong by comparison with the cpu backend (the test
 * test/probe/wasm-kernels.test.ts checks that each entry is still wrong, so an
 * upgrade that fixes one shows up). Layers the probe supports are all trainable
 * on wasm; DepthwiseConv2D and SeparableConv2D are too, with the depthwise
 * kernels registered here.
 */
export const WASM_UNSUPPORTED_FOR_TRAINING: ReadonlyMap<string, string> = new Map<string, string>([
  [
    'MaxPooling3D',
    'the wasm MaxPool3D kernel returns 1.2e-38 instead of the maximum of a window whose values are all negative, ' +
      'and its MaxPool3DGrad sends that gradient to the first element of the window (tfjs-backend-wasm 4.22.0)',
  ],
  [
    'Conv3D',
    'the wasm Conv3DBackpropInputV2 kernel computes wrong input gradients and Conv3DBackpropFilterV2 wrong filter ' +
      'gradients when strides exceed 1 (tfjs-backend-wasm 4.22.0)',
  ],
  [
    'UpSampling2D',
    "the wasm ResizeNearestNeighborGrad kernel (interpolation 'nearest', the default) computes wrong gradients for " +
      'batches of more than one image (tfjs-backend-wasm 4.22.0)',
  ],
]);
