/**
 * Identity for the wasm backend: the output shares the input's buffer, as the cpu backend's does.
 *
 * What was slow: the stock kernel copies the input into a new buffer. tfjs-core calls Identity to
 * save every tensor a gradient needs (Engine.saveTensorsForBackwardMode clones them), and
 * `tf.clone` is the probe's copy of the weights before an update, so a training step of the
 * 784-784-50-10 MLP copied the 784×784 kernel twice, its input batch and each layer's output: the
 * stock Identity was 2.7% of a profiled `diagnose` (self time), with the allocations around it.
 *
 * Why this is correct: tfjs tensors are immutable and no wasm kernel writes into its inputs; an
 * assigned variable takes a new buffer rather than overwriting its old one. The wasm backend counts
 * references per buffer and frees it with the last one, which is how its own Reshape shares a
 * buffer. The values are the same, so results are bit for bit those of the stock kernel.
 */
import type tf from '../../util/tfjs.cjs';
import { type WasmKernelArgs, WASM, asKernelFunc, requireInput } from './wasm-backend.js';

const KERNEL = 'Identity';

function identity({ inputs, backend }: WasmKernelArgs): tf.TensorInfo {
  const x = requireInput(inputs, 'x', KERNEL);
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export const identityConfig: tf.KernelConfig = {
  kernelName: KERNEL,
  backendName: WASM,
  kernelFunc: asKernelFunc(identity),
};
