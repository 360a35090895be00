/**
 * Conv2DBackpropFilter for the wasm backend: the gradient of a 2-D
 * convolution with respect to its filter.
 *
 * What was wrong: tfjs-backend-wasm 4.22.0 registers no Conv2DBackpropFilter
 * kernel, so training any conv2d or conv1d layer on wasm throws
 * "'Conv2DBackpropFilter' not registered for backend 'wasm'".
 *
 * Why this is correct: the filter gradient is itself a convolution,
 *
 *   dW[r, c, i, o] = sum over b, y, x of  xPadded[b, y*sh + r, x*sw + c, i] * dy[b, y, x, o]
 *
 * which is the wasm backend's own (XNNPACK) Conv2D applied with the roles
 * swapped: input channels act as the batch and the batch acts as the input
 * channels (x transposed to [inC, H, W, batch]), dy acts as the filter
 * (transposed to [outH, outW, batch, outC]), and the forward stride becomes a
 * dilation of that "filter" (stride 1 over x). The result is [inC, fH, fW, outC]
 * (possibly with extra rows/columns past the filter when the stride skipped the
 * last input rows), which is cropped and transposed to [fH, fW, inC, outC].
 *
 * Dilation: the forward conv's dilation is not an attribute of this kernel;
 * tfjs' conv2d gradient only supports dilation 1 on every backend, and so does
 * this kernel. Only NHWC is supported, like the wasm Conv2D kernel
 * (tfjs-layers always calls conv2d in NHWC).
 *
 * Accuracy: XNNPACK accumulates each filter tap's sum in float32, while the
 * cpu backend accumulates in float64, so long sums drift apart. The batch is
 * therefore processed in chunks (see MAX_SUM_LENGTH) whose results are added in
 * float64; results agree with a float64 reference to ~1e-6 relative, not bit
 * for bit.
 */
import tf from '../../util/tfjs.cjs';
import { type ConvInfo } from './conv-geometry.js';
import {
  type BackendWasm,
  type WasmKernelArgs,
  WASM,
  asKernelFunc,
  disposeIntermediate,
  heapView,
  requireInput,
  runWasmKernel,
  shape4D,
} from './wasm-backend.js';

const KERNEL = 'Conv2DBackpropFilter';

/** NHWC [b, h, w, c] to [c, h, w, b]: channels become the batch and the batch becomes the channels. */
const SWAP_BATCH_AND_CHANNELS = [3, 1, 2, 0];
/** dy [b, outH, outW, outC] to a filter [outH, outW, b, outC]. */
const DY_AS_FILTER = [1, 2, 0, 3];
/** Convolution result [inC, fH, fW, outC] to the filter layout [fH, fW, inC, outC]. */
const TO_FILTER_LAYOUT = [1, 2, 0, 3];

function conv2DBackpropFilter({ inputs, attrs, backend }: WasmKernelArgs): tf.TensorInfo {
  const x = requireInput(inputs, 'x', KERNEL);
  const dy = requireInput(inputs, 'dy', KERNEL);
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (dataFormat !== 'NHWC') {
    throw new Error(`${KERNEL} (wasm training kernel) supports only dataFormat 'NHWC', got '${dataFormat}'`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    shape4D(x, KERNEL),
    filterShape,
    strides,
    /* dilations= */ 1,
    pad,
    dimRoundingMode,
    /* depthwise= */ false,
    'channelsLast',
  );
  const chunkSize = batchChunkSize(info);
  if (chunkSize >= info.batchSize) {
    return filterGradientByConvolution(x, dy, info, backend);
  }
  return sumOverBatchChunks(x, dy, info, chunkSize, backend);
}

/**
 * Longest float32 sum per filter tap we let XNNPACK compute in one call. Each
 * tap sums batch x outHeight x outWidth products; in one call the relative
 * error against a float64 reference was 2.5e-6 for 32x28x28x1 with a 3x3
 * filter and 5.7e-6 for 128x28x28x1 with 5x5 'same'. With chunks of at most
 * 2048 products added in float64 it was 9e-7 and 6e-7, in the same time
 * (a sample with more than 2048 products per tap gets a chunk of its own).
 */
const MAX_SUM_LENGTH = 2048;

function batchChunkSize(info: ConvInfo): number {
  return Math.max(1, Math.floor(MAX_SUM_LENGTH / (info.outHeight * info.outWidth)));
}

function sumOverBatchChunks(
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: ConvInfo,
  chunkSize: number,
  backend: BackendWasm,
): tf.TensorInfo {
  const sums = new Float64Array(tf.util.sizeFromShape(info.filterShape));
  for (let start = 0; start < info.batchSize; start += chunkSize) {
    const count = Math.min(chunkSize, info.batchSize - start);
    const xChunk = batchSlice(x, start, count, backend);
    const dyChunk = batchSlice(dy, start, count, backend);
    // info describes only batch-independent geometry from here on, so it serves the chunk as well.
    const partial = filterGradientByConvolution(xChunk, dyChunk, info, backend);
    addInto(sums, heapView(backend, partial));
    for (const intermediate of [xChunk, dyChunk, partial]) {
      disposeIntermediate(backend, intermediate);
    }
  }
  const dW = backend.makeOutput(info.filterShape, 'float32');
  heapView(backend, dW).set(sums);
  return dW;
}

/** Samples [start, start + count) of an NHWC tensor: a contiguous block, copied within the heap. */
function batchSlice(t: tf.TensorInfo, start: number, count: number, backend: BackendWasm): tf.TensorInfo {
  const [, height, width, channels] = shape4D(t, KERNEL);
  const sampleSize = height * width * channels;
  // Allocate before taking heap views: an allocation can grow (and detach) the heap.
  const chunk = backend.makeOutput([count, height, width, channels], t.dtype);
  heapView(backend, chunk).set(heapView(backend, t).subarray(start * sampleSize, (start + count) * sampleSize));
  return chunk;
}

function addInto(sums: Float64Array, values: tf.TypedArray): void {
  for (let i = 0; i < sums.length; ++i) {
    sums[i] = (sums[i] ?? 0) + (values[i] ?? 0);
  }
}

/** dW for x and dy as one convolution on the wasm backend's own kernels (see the file comment). */
function filterGradientByConvolution(
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: ConvInfo,
  backend: BackendWasm,
): tf.TensorInfo {
  const xT = runWasmKernel('Transpose', { x }, { perm: SWAP_BATCH_AND_CHANNELS }, backend);
  const dyT = runWasmKernel('Transpose', { x: dy }, { perm: DY_AS_FILTER }, backend);
  const correlation = runWasmKernel(
    'Conv2D',
    { x: xT, filter: dyT },
    {
      strides: [1, 1],
      dilations: [info.strideHeight, info.strideWidth],
      pad: paddingThatCoversEveryOutput(info),
      dataFormat: 'NHWC',
    },
    backend,
  );
  disposeIntermediate(backend, xT);
  disposeIntermediate(backend, dyT);

  const cropped = cropToFilter(correlation, info, backend);
  const dW = runWasmKernel('Transpose', { x: cropped }, { perm: TO_FILTER_LAYOUT }, backend);
  disposeIntermediate(backend, cropped);
  return dW;
}

/**
 * Explicit padding of x for the swapped convolution. It is the forward pass'
 * padding, except that bottom/right padding is grown when needed so that the
 * last output row/column of the forward pass (which may hang past the padded
 * input with 'ceil' rounding) reads zeros instead of making the result shorter
 * than the filter, as the cpu kernel does by skipping out-of-range rows.
 */
function paddingThatCoversEveryOutput(info: ConvInfo): tf.backend_util.ExplicitPadding {
  const { top, bottom, left, right } = info.padInfo;
  const rowsRead = (info.outHeight - 1) * info.strideHeight + info.filterHeight;
  const colsRead = (info.outWidth - 1) * info.strideWidth + info.filterWidth;
  const padBottom = Math.max(bottom, rowsRead - info.inHeight - top);
  const padRight = Math.max(right, colsRead - info.inWidth - left);
  return [
    [0, 0],
    [top, padBottom],
    [left, padRight],
    [0, 0],
  ];
}

/**
 * Keeps the first fH x fW positions of the correlation: further positions pair
 * x rows the forward pass never reached with dy, and are not filter taps.
 */
function cropToFilter(correlation: tf.TensorInfo, info: ConvInfo, backend: BackendWasm): tf.TensorInfo {
  const [inChannels, height, width, outChannels] = shape4D(correlation, KERNEL);
  if (height === info.filterHeight && width === info.filterWidth) {
    return correlation;
  }
  const cropped = runWasmKernel(
    'Slice',
    { x: correlation },
    {
      begin: [0, 0, 0, 0],
      size: [inChannels, info.filterHeight, info.filterWidth, outChannels],
    },
    backend,
  );
  disposeIntermediate(backend, correlation);
  return cropped;
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: KERNEL,
  backendName: WASM,
  kernelFunc: asKernelFunc(conv2DBackpropFilter),
};
