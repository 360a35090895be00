/**
 * DepthwiseConv2dNativeBackpropFilter for the wasm backend: the gradient of a
 * depthwise convolution with respect to its filter.
 *
 * What was wrong: tfjs-backend-wasm 4.22.0 registers no such kernel, so
 * training DepthwiseConv2D and SeparableConv2D layers on wasm throws.
 *
 * Why this is correct: it is the cpu backend's loop
 * (tfjs-backend-cpu kernels/DepthwiseConv2dNativeBackpropFilter.js) over
 * typed-array views of the wasm heap:
 *
 *   dW[r, c, i, m] = sum over b, y, x of  x[b, y*sh + r - top, x*sw + c - left, i] * dy[b, y, x, i*mult + m]
 *
 * with out-of-bounds input positions (padding) skipped. Each tap is summed in
 * float64 in the cpu's order and rounded once, so results equal the cpu's bit
 * for bit. Dilation 1 only: tfjs' depthwise gradient asserts it.
 */
import tf from '../../util/tfjs.cjs';
import { assertNoDilation, outputsReachingTap, type ConvInfo } from './conv-geometry.js';
import { type WasmKernelArgs, WASM, asKernelFunc, heapView, requireInput, shape4D } from './wasm-backend.js';

const KERNEL = 'DepthwiseConv2dNativeBackpropFilter';

function depthwiseConv2dBackpropFilter({ inputs, attrs, backend }: WasmKernelArgs): tf.TensorInfo {
  const x = requireInput(inputs, 'x', KERNEL);
  const dy = requireInput(inputs, 'dy', KERNEL);
  const { strides, dilations, pad, dimRoundingMode, filterShape } =
    attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  assertNoDilation(dilations, KERNEL);
  const info = tf.backend_util.computeConv2DInfo(
    shape4D(x, KERNEL),
    filterShape,
    strides,
    /* dilations= */ 1,
    pad,
    dimRoundingMode,
    /* depthwise= */ true,
  );

  // Allocate before taking heap views: an allocation can grow (and detach) the heap.
  const dW = backend.makeOutput(info.filterShape, 'float32');
  const sums = filterGradient(heapView(backend, x), heapView(backend, dy), info);
  heapView(backend, dW).set(sums);
  return dW;
}

function filterGradient(x: tf.TypedArray, dy: tf.TypedArray, info: ConvInfo): Float64Array {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const multiplier = outChannels / inChannels;
  const [xS0, xS1, xS2] = tf.util.computeStrides(info.inShape) as [number, number, number];
  const [dyS0, dyS1, dyS2] = tf.util.computeStrides(info.outShape) as [number, number, number];
  const dW = new Float64Array(filterHeight * filterWidth * outChannels);

  for (let r = 0; r < filterHeight; ++r) {
    const rows = outputsReachingTap(r, strideHeight, info.padInfo.top, inHeight, outHeight);
    for (let c = 0; c < filterWidth; ++c) {
      const cols = outputsReachingTap(c, strideWidth, info.padInfo.left, inWidth, outWidth);
      for (let outChannel = 0; outChannel < outChannels; ++outChannel) {
        const inChannel = Math.trunc(outChannel / multiplier);
        let sum = 0;
        for (let b = 0; b < batchSize; ++b) {
          for (let yRow = rows.start; yRow < rows.end; ++yRow) {
            const xRow = r + yRow * strideHeight - info.padInfo.top;
            for (let yCol = cols.start; yCol < cols.end; ++yCol) {
              const xCol = c + yCol * strideWidth - info.padInfo.left;
              const xValue = x[b * xS0 + xRow * xS1 + xCol * xS2 + inChannel] ?? 0;
              const dyValue = dy[b * dyS0 + yRow * dyS1 + yCol * dyS2 + outChannel] ?? 0;
              sum += xValue * dyValue;
            }
          }
        }
        // Filter layout [fH, fW, inC, multiplier] flattens outChannel = inChannel*multiplier + m in place.
        dW[(r * filterWidth + c) * outChannels + outChannel] = sum;
      }
    }
  }
  return dW;
}

export const depthwiseConv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: KERNEL,
  backendName: WASM,
  kernelFunc: asKernelFunc(depthwiseConv2dBackpropFilter),
};
