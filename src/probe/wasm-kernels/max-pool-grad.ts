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
import tf from '../../util/tfjs.cjs';
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
  const dxView = heapView(backend, dx);
  if (windowsOverlap(info)) {
    const sums = new Float64Array(dxView.length);
    routeGradientToMaxima(heapView(backend, input), heapView(backend, dy), info, sums);
    dxView.set(sums);
  } else {
    // Each input element is in one window at most: its gradient is one dy value, exact in float32.
    dxView.fill(0);
    routeGradientToMaxima(heapView(backend, input), heapView(backend, dy), info, dxView);
  }
  return dx;
}

/**
 * Adds every dy element to dx at the first maximum of its window (float64 sums where windows overlap). Windows are
 * visited in the cpu's order (batch, row, column); within one, all channels are scanned together
 * (contiguous in NHWC, which is what makes this fast) but each keeps its own first maximum.
 */
function routeGradientToMaxima(
  x: tf.TypedArray,
  dy: tf.TypedArray,
  info: ConvInfo,
  dx: tf.TypedArray | Float64Array,
): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const window = { maxValue: new Float64Array(inChannels), maxIndex: new Int32Array(inChannels) };
  const xRowStride = inWidth * inChannels;
  const columns = Array.from({ length: outWidth }, (_, outCol) =>
    inputsUnderWindow(outCol, info.strideWidth, info.padInfo.left, info.filterWidth, inWidth),
  );
  let dyIndex = 0;
  for (let b = 0; b < batchSize; ++b) {
    for (let outRow = 0; outRow < outHeight; ++outRow) {
      const rows = inputsUnderWindow(outRow, info.strideHeight, info.padInfo.top, info.filterHeight, inHeight);
      for (const cols of columns) {
        findFirstMaxima(x, b * inHeight * xRowStride, rows, cols, xRowStride, inChannels, window);
        for (let channel = 0; channel < inChannels; ++channel, ++dyIndex) {
          const argmax = window.maxIndex[channel]!;
          if (argmax >= 0) dx[argmax] = dx[argmax]! + dy[dyIndex]!;
        }
      }
    }
  }
}

function windowsOverlap(info: ConvInfo): boolean {
  return info.strideHeight < info.filterHeight || info.strideWidth < info.filterWidth;
}

/**
 * Per channel, the flat index in x of the first strict maximum of the window (row-major), or -1
 * if no element beats -Infinity (empty or all-NaN window), exactly like the cpu backend.
 */
function findFirstMaxima(
  x: tf.TypedArray,
  batchOrigin: number,
  rows: Range,
  cols: Range,
  rowStride: number,
  channels: number,
  { maxValue, maxIndex }: { maxValue: Float64Array; maxIndex: Int32Array },
): void {
  maxValue.fill(Number.NEGATIVE_INFINITY);
  maxIndex.fill(-1);
  for (let row = rows.start; row < rows.end; ++row) {
    for (let col = cols.start; col < cols.end; ++col) {
      const origin = batchOrigin + row * rowStride + col * channels;
      for (let channel = 0; channel < channels; ++channel) {
        const value = x[origin + channel]!;
        if (value > maxValue[channel]!) {
          maxValue[channel] = value;
          maxIndex[channel] = origin + channel;
        }
      }
    }
  }
}

export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: KERNEL,
  backendName: WASM,
  kernelFunc: asKernelFunc(maxPoolGrad),
};
