/**
 * DepthwiseConv2dNativeBackpropInput for the wasm backend: the gradient of a
 * depthwise convolution with respect to its input.
 *
 * What was wrong: tfjs-backend-wasm 4.22.0 registers no such kernel, so
 * training DepthwiseConv2D and SeparableConv2D layers on wasm throws (the input
 * gradient is needed as soon as any layer sits below the depthwise one).
 *
 * Why this is correct: it is the cpu backend's loop
 * (tfjs-backend-cpu kernels/DepthwiseConv2dNativeBackpropInput.js) over
 * typed-array views of the wasm heap: every input position collects
 * dy[b, y, x, i*mult + m] * W[r, c, i, m] over the outputs (y, x) and taps (r, c)
 * that read it, i.e. xRow = y*sh + r - top. Each element is summed in float64
 * in the cpu's order (y, x, m ascending) and rounded once, so results equal
 * the cpu's bit for bit. Dilation 1 only: tfjs' depthwise gradient asserts it.
 */
import tf from '../../util/tfjs.cjs';
import { assertNoDilation, type ConvInfo, type Range } from './conv-geometry.js';
import { type WasmKernelArgs, WASM, asKernelFunc, heapView, requireInput, shape4D } from './wasm-backend.js';

const KERNEL = 'DepthwiseConv2dNativeBackpropInput';

function depthwiseConv2dBackpropInput({ inputs, attrs, backend }: WasmKernelArgs): tf.TensorInfo {
  const dy = requireInput(inputs, 'dy', KERNEL);
  const filter = requireInput(inputs, 'filter', KERNEL);
  const { strides, dilations, pad, dimRoundingMode, inputShape } =
    attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  assertNoDilation(dilations, KERNEL);
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    shape4D(filter, KERNEL),
    strides,
    /* dilations= */ 1,
    pad,
    dimRoundingMode,
    /* depthwise= */ true,
  );

  // Allocate before taking heap views: an allocation can grow (and detach) the heap.
  const dx = backend.makeOutput(info.inShape, 'float32');
  const sums = inputGradient(heapView(backend, dy), heapView(backend, filter), info);
  heapView(backend, dx).set(sums);
  return dx;
}

/** The output rows y whose window covers input row `inIndex`: 0 <= inIndex + padBefore - y*stride < size. */
function outputsCovering(inIndex: number, stride: number, padBefore: number, size: number, outSize: number): Range {
  return {
    start: Math.max(0, Math.floor((inIndex + padBefore - size) / stride) + 1),
    end: Math.min(outSize, Math.floor((inIndex + padBefore) / stride) + 1),
  };
}

function inputGradient(dy: tf.TypedArray, filter: tf.TypedArray, info: ConvInfo): Float64Array {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const multiplier = outChannels / inChannels;
  const [dyS0, dyS1, dyS2] = tf.util.computeStrides(info.outShape) as [number, number, number];
  const [wS0, wS1, wS2] = tf.util.computeStrides(info.filterShape) as [number, number, number];
  const dx = new Float64Array(batchSize * inHeight * inWidth * inChannels);

  let dxIndex = 0;
  for (let b = 0; b < batchSize; ++b) {
    for (let xRow = 0; xRow < inHeight; ++xRow) {
      const rows = outputsCovering(xRow, strideHeight, info.padInfo.top, filterHeight, outHeight);
      for (let xCol = 0; xCol < inWidth; ++xCol) {
        const cols = outputsCovering(xCol, strideWidth, info.padInfo.left, filterWidth, outWidth);
        for (let inChannel = 0; inChannel < inChannels; ++inChannel, ++dxIndex) {
          let sum = 0;
          for (let yRow = rows.start; yRow < rows.end; ++yRow) {
            const r = xRow + info.padInfo.top - yRow * strideHeight;
            for (let yCol = cols.start; yCol < cols.end; ++yCol) {
              const c = xCol + info.padInfo.left - yCol * strideWidth;
              const dyOffset = b * dyS0 + yRow * dyS1 + yCol * dyS2 + inChannel * multiplier;
              const wOffset = r * wS0 + c * wS1 + inChannel * wS2;
              for (let m = 0; m < multiplier; ++m) {
                sum += (dy[dyOffset + m] ?? 0) * (filter[wOffset + m] ?? 0);
              }
            }
          }
          dx[dxIndex] = sum;
        }
      }
    }
  }
  return dx;
}

export const depthwiseConv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: KERNEL,
  backendName: WASM,
  kernelFunc: asKernelFunc(depthwiseConv2dBackpropInput),
};
