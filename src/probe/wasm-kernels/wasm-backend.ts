/**
 * Shared plumbing for the training kernels we add to the wasm backend.
 *
 * Kernels here follow the wasm backend's own calling convention (see
 * node_modules/@tensorflow/tfjs-backend-wasm/dist/kernels/*.js): tensors live
 * on the wasm heap, outputs are allocated with `backend.makeOutput`, and data is
 * read and written through typed-array views of the heap.
 */
import tf from '../../util/tfjs.cjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type { BackendWasm };

export const WASM = 'wasm';

/** What tfjs passes to a kernel function, with the backend typed as wasm. */
export interface WasmKernelArgs {
  inputs: tf.NamedTensorInfoMap;
  attrs?: tf.NamedAttrMap;
  backend: BackendWasm;
}

/** Adapts a wasm kernel function to tfjs' untyped `KernelFunc` signature. */
export function asKernelFunc(kernel: (args: WasmKernelArgs) => tf.TensorInfo): tf.KernelFunc {
  return (args) => kernel(args as WasmKernelArgs);
}

/** A kernel of ours registered in front of the stock wasm kernel of the same name, which it may call. */
export interface StockWrapper {
  config: tf.KernelConfig;
  /** Remembers the registered kernel as the fallback, unless it is already ours. */
  keepStock(registered: tf.KernelConfig | undefined): void;
  /** The stock kernel, as kept. */
  stock(args: WasmKernelArgs): tf.TensorInfo;
}

/** Wraps the stock `kernelName` with `kernel`, which falls back to it through `stock`. */
export function wrapStockKernel(kernelName: string, kernel: (args: WasmKernelArgs) => tf.TensorInfo): StockWrapper {
  let kept: tf.KernelConfig | undefined;
  const config: tf.KernelConfig = {
    kernelName,
    backendName: WASM,
    // The stock kernel binds its wasm function in its setup; ours may call that kernel, so runs its setup.
    setupFunc: (backend) => kept?.setupFunc?.(backend),
    kernelFunc: asKernelFunc(kernel),
  };
  return {
    config,
    keepStock(registered) {
      if (registered !== undefined && registered.kernelFunc !== config.kernelFunc) kept = registered;
    },
    stock(args) {
      if (kept === undefined) throw new Error(`${kernelName} (wasm training kernel): the stock kernel was not kept`);
      return kept.kernelFunc(args) as tf.TensorInfo;
    },
  };
}

/** A named input of a kernel; tfjs guarantees it, so a missing one is a programming error. */
export function requireInput(inputs: tf.NamedTensorInfoMap, name: string, kernelName: string): tf.TensorInfo {
  const input = inputs[name];
  if (input === undefined) {
    throw new Error(`${kernelName} (wasm training kernel): missing input '${name}'`);
  }
  return input;
}

/** Shape of a rank-4 tensor, checked, as the tuple type tfjs' conv helpers want. */
export function shape4D(info: tf.TensorInfo, kernelName: string): [number, number, number, number] {
  const [a, b, c, d] = info.shape;
  if (info.shape.length !== 4 || a === undefined || b === undefined || c === undefined || d === undefined) {
    throw new Error(
      `${kernelName} (wasm training kernel): expected a rank-4 tensor, got shape [${info.shape.join(', ')}]`,
    );
  }
  return [a, b, c, d];
}

/**
 * Runs one of the wasm backend's own registered kernels (e.g. 'Transpose',
 * 'Conv2D') on tensors that already live on the wasm heap. The caller owns
 * the result and must release it with `disposeIntermediate` unless it is
 * returned to tfjs.
 */
export function runWasmKernel(
  kernelName: string,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
  backend: BackendWasm,
): tf.TensorInfo {
  // getKernel is typed as always returning a config but returns undefined when none is registered.
  const kernel = tf.getKernel(kernelName, WASM) as tf.KernelConfig | undefined;
  if (kernel === undefined) {
    throw new Error(`the wasm backend has no '${kernelName}' kernel`);
  }
  const result = kernel.kernelFunc({ inputs, attrs, backend });
  if (Array.isArray(result)) {
    throw new Error(`the wasm '${kernelName}' kernel returned several tensors; expected one`);
  }
  return result;
}

/** Frees a tensor created inside a kernel that tfjs never saw (so its engine will not free it). */
export function disposeIntermediate(backend: BackendWasm, info: tf.TensorInfo): void {
  backend.disposeData(info.dataId);
}

/**
 * A Float32Array/Int32Array view of a tensor's bytes on the wasm heap.
 *
 * Views become detached (length 0) when the heap grows, and any allocation may
 * grow it. So a kernel must allocate its output with `makeOutput` FIRST and
 * only then take views, and allocate nothing while it holds them.
 */
export function heapView(backend: BackendWasm, info: tf.TensorInfo): tf.TypedArray {
  return backend.typedArrayFromHeap(info);
}
