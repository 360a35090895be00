/**
 * Index arithmetic shared by the convolution gradient loops.
 */
import tf from '../../util/tfjs.cjs';

/** Shapes, strides and padding of a convolution's forward pass, as tfjs computes them. */
export type ConvInfo = tf.backend_util.Conv2DInfo;

/** A half-open range of integers [start, end). */
export interface Range {
  start: number;
  end: number;
}

/**
 * The output rows (or columns) y for which filter tap `tap` reads an in-bounds
 * input row, i.e. 0 <= y*stride + tap - padBefore < inSize and 0 <= y < outSize.
 * Out-of-bounds rows are padding zeros and contribute nothing.
 */
export function outputsReachingTap(
  tap: number,
  stride: number,
  padBefore: number,
  inSize: number,
  outSize: number,
): Range {
  return {
    start: Math.max(0, Math.ceil((padBefore - tap) / stride)),
    end: Math.min(outSize, Math.ceil((inSize + padBefore - tap) / stride)),
  };
}

/** The in-bounds input rows (or columns) under the window of output row `outIndex`. */
export function inputsUnderWindow(
  outIndex: number,
  stride: number,
  padBefore: number,
  size: number,
  inSize: number,
): Range {
  const corner = outIndex * stride - padBefore;
  return { start: Math.max(0, corner), end: Math.min(inSize, corner + size) };
}

/**
 * The gradients of tfjs' convolutions are only defined for dilation 1 (tfjs-core
 * asserts it in every conv gradient), so the kernels here support nothing else.
 */
export function assertNoDilation(dilations: number | [number, number] | undefined, kernelName: string): void {
  const [height, width] =
    typeof dilations === 'number' || dilations === undefined ? [dilations ?? 1, dilations ?? 1] : dilations;
  if (height !== 1 || width !== 1) {
    throw new Error(`${kernelName} (wasm training kernel) supports only dilation 1, got [${height}, ${width}]`);
  }
}
