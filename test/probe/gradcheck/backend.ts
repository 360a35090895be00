/**
 * Selects the backend of a gradient-check child process. A process uses ONE
 * backend for its whole life: switching backends while tensors are alive
 * corrupts int32->float32 casts in tfjs 4.22.0, so the cpu reference and the
 * wasm run happen in separate processes.
 */
import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from '../../../src/probe/wasm-kernels/index.js';

export type BackendName = 'cpu' | 'wasm';

export interface BackendOptions {
  /** Keep the stock (buggy) wasm MaxPoolGrad, to prove the check detects its bug. */
  stockMaxPoolGrad?: boolean;
}

export function parseBackendName(value: string | undefined): BackendName {
  if (value === 'cpu' || value === 'wasm') {
    return value;
  }
  throw new Error(`expected the backend 'cpu' or 'wasm' as first argument, got '${value ?? ''}'`);
}

export async function useBackend(name: BackendName, options: BackendOptions = {}): Promise<void> {
  tf.env().set('PROD', true);
  if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    const stockMaxPoolGrad = tf.getKernel('MaxPoolGrad', 'wasm');
    registerWasmTrainingKernels();
    if (options.stockMaxPoolGrad === true) {
      // Put the stock kernel back before setBackend, so that its setup (which binds the wasm function) runs.
      tf.unregisterKernel('MaxPoolGrad', 'wasm');
      tf.registerKernel(stockMaxPoolGrad);
    }
  }
  // setBackend reports a backend that failed to initialise by returning false, not by throwing.
  if (!(await tf.setBackend(name))) {
    throw new Error(`tf.setBackend('${name}') failed`);
  }
  await tf.ready();
}
