/**
 * UnsortedSegmentSum for the wasm backend: out[segmentIds[i]] += x[i].
 *
 * What was wrong: tfjs-backend-wasm 4.22.0 registers no UnsortedSegmentSum
 * kernel. It is the gradient of Gather (tfjs-core gradients/GatherV2_grad.js),
 * so training an Embedding layer on wasm throws
 * "'UnsortedSegmentSum' not registered for backend 'wasm'".
 *
 * Why this is correct: it is the definition of the op (TensorFlow's
 * UnsortedSegmentSum): the output has shape [numSegments, ...x.shape after the
 * segmentIds dims], every slice x[i] is added to row segmentIds[i], ids outside
 * [0, numSegments) are dropped, and rows nobody maps to are zero. Sums are
 * taken in float64 in ascending i and rounded once, which is what the cpu
 * backend computes for the 1-D segment ids the Gather gradient uses (it masks
 * and sums along axis 0), so the results agree bit for bit.
 */
import tf from '../../util/tfjs.cjs';
import { type WasmKernelArgs, WASM, asKernelFunc, heapView, requireInput } from './wasm-backend.js';

const KERNEL = 'UnsortedSegmentSum';

function unsortedSegmentSum({ inputs, attrs, backend }: WasmKernelArgs): tf.TensorInfo {
  const x = requireInput(inputs, 'x', KERNEL);
  const segmentIds = requireInput(inputs, 'segmentIds', KERNEL);
  const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  const sliceShape = x.shape.slice(segmentIds.shape.length);

  // Allocate before taking heap views: an allocation can grow (and detach) the heap.
  const out = backend.makeOutput([numSegments, ...sliceShape], x.dtype);
  const sums = sumSlicesBySegment(
    heapView(backend, x),
    heapView(backend, segmentIds),
    numSegments,
    tf.util.sizeFromShape(sliceShape),
  );
  heapView(backend, out).set(sums);
  return out;
}

function sumSlicesBySegment(
  x: tf.TypedArray,
  segmentIds: tf.TypedArray,
  numSegments: number,
  sliceSize: number,
): Float64Array {
  const sums = new Float64Array(numSegments * sliceSize);
  for (let i = 0; i < segmentIds.length; ++i) {
    const segment = segmentIds[i] ?? -1;
    if (segment < 0 || segment >= numSegments) {
      continue;
    }
    const from = i * sliceSize;
    const to = segment * sliceSize;
    for (let k = 0; k < sliceSize; ++k) {
      sums[to + k] = (sums[to + k] ?? 0) + (x[from + k] ?? 0);
    }
  }
  return sums;
}

export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: KERNEL,
  backendName: WASM,
  kernelFunc: asKernelFunc(unsortedSegmentSum),
};
