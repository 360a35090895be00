/**
 * MaxPoolGrad for the wasm backend: routes each pooled gradient back to the
 * input element that was the maximum of its window.
 *
 * What was wrong: the stock wasm kernel (tfjs-backend-wasm 4.22.0) picks the
 * wrong element when a window's maximum is negative; it sends the gradient to
 * the first element of the window instead. No error is raised, so a model
 * with max pooling over negative activations (e.g. without a ReLU before the
 * pool) trains on wrong gradients.
 *
 * Why this is correct: it is the cpu backend's algorithm (tfjs-backend-cpu
 * utils/pool_utils.js `maxPoolPositions` and kernels/MaxPoolGrad.js): the
 * argmax of a window is searched with a strict `>` starting from -Infinity,
 * over the in-bounds elements only, so the first maximum in row-major order
 * wins ties and a window of NaNs sends its gradient nowhere. A gradient that
 * reaches one input element from several overlapping windows is summed in
 * float64 in the cpu's order (windows by row, then column) and rounded to
 * float32 once, so the result equals the cpu backend's bit for bit.
 */
import * as tf from '@tensorflow/tfjs';
import { type ConvInfo, inputsUnderWindow, type Range } from './conv-geometry.js';
import { type WasmKernelArgs, WASM, asKernelFunc, heapView, requireInput, shape4D } from './wasm-backend.js';

const KERNEL = 'MaxPoolGrad';

function maxPoolGrad({ inputs, attrs, backend }: WasmKernelArgs): tf.TensorInfo {
  const dy = requireInput(inputs, 'dy', KERNEL);
  const input = requireInput(inputs, 'input', KERNEL);
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    shape4D(input, KERNEL),
    filterSize,
    strides,
    /* dilations= */ 1,
    pad,
    dimRoundingMode,
  );

  // Allocate before taking heap views: an allocation can grow (and detach) the heap.
  const dx = backend.makeOutput(input.shape, 'float32');
  const dxSums = routeGradientToMaxima(heapView(backend, input), heapView(backend, dy), info);
  heapView(backend, dx).set(dxSums);
  return dx;
}

/** dx as float64 sums: every dy element added to the first maximum of its window. */
function routeGradientToMaxima(x: tf.TypedArray, dy: tf.TypedArray, info: ConvInfo): Float64Array {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const dx = new Float64Array(batchSize * inHeight * inWidth * inChannels);
  const xRowStride = inWidth * inChannels;
  const xBatchStride = inHeight * xRowStride;
  let dyIndex = 0;
  for (let b = 0; b < batchSize; ++b) {
    for (let outRow = 0; outRow < outHeight; ++outRow) {
      const rows = inputsUnderWindow(outRow, info.strideHeight, info.padInfo.top, info.filterHeight, inHeight);
      for (let outCol = 0; outCol < outWidth; ++outCol) {
        const cols = inputsUnderWindow(outCol, info.strideWidth, info.padInfo.left, info.filterWidth, inWidth);
        for (let channel = 0; channel < inChannels; ++channel, ++dyIndex) {
          const windowOrigin = b * xBatchStride + channel;
          const argmax = firstMaximum(x, windowOrigin, rows, cols, xRowStride, inChannels);
          if (argmax >= 0) {
            dx[argmax] = (dx[argmax] ?? 0) + (dy[dyIndex] ?? 0);
          }
        }
      }
    }
  }
  return dx;
}

/**
 * Flat index in x of the first strict maximum of a window, or -1 if no element
 * beats -Infinity (empty or all-NaN window), exactly like the cpu backend.
 */
function firstMaximum(
  x: tf.TypedArray,
  windowOrigin: number,
  rows: Range,
  cols: Range,
  rowStride: number,
  colStride: number,
): number {
  let maxValue = Number.NEGATIVE_INFINITY;
  let maxIndex = -1;
  for (let row = rows.start; row < rows.end; ++row) {
    for (let col = cols.start; col < cols.end; ++col) {
      const index = windowOrigin + row * rowStride + col * colStride;
      const value = x[index] ?? Number.NaN;
      if (value > maxValue) {
        maxValue = value;
        maxIndex = index;
      }
    }
  }
  return maxIndex;
}

export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: KERNEL,
  backendName: WASM,
  kernelFunc: asKernelFunc(maxPoolGrad),
};
