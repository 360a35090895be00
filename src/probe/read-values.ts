/**
 * A tensor's values for reading in JavaScript, without a copy where the backend allows. On wasm,
 * `dataSync` copies the heap into a freshly allocated buffer: reading a 784×784 kernel and its
 * gradient that way every step cost the probe more CPU than the training step itself
 * (docs/performance.md, "What the probe reads back"). There the values are a view of the heap;
 * elsewhere `dataSync` (the cpu backend hands back its own array).
 *
 * A wasm view is valid only until the next tensor is allocated (the heap may grow and detach it):
 * read it at once, and make no tensor while holding it.
 */
import tf from '../util/tfjs.cjs';
import { heapView, WASM, type BackendWasm } from './wasm-kernels/wasm-backend.js';

export function readValues(tensor: tf.Tensor): tf.TypedArray {
  return tf.getBackend() === WASM ? heapView(tf.backend() as BackendWasm, tensor) : tensor.dataSync();
}
