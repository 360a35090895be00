/**
 * Plain SGD's update on the wasm backend in one pass: w' = c·g + w with c = −rate, where tfjs'
 * SGDOptimizer runs a Multiply and an Add kernel, each a pass over the weights and a new buffer.
 * For the 784×784 kernel of the 784-784-50-10 MLP the two took 1.1-1.3 CPU ms a step, 335 ms of a
 * diagnose (docs/performance.md, session 8).
 *
 * Why the bits are the same: the two kernels round c·g to float32, then c·g + w; so does this loop,
 * lane by lane (a multiply, then an add, no fused multiply-add). test/probe/sgd-update.test.ts
 * compares the weights after several steps with tfjs' optimizer.
 */
import tf from '../../util/tfjs.cjs';
import { WASM, type BackendWasm } from './wasm-backend.js';
import { F32, I32, V128, advance, linkedPerMemory, moduleBytes, op, whileBelow } from './wasm-module.js';

interface UpdateExports {
  update(out: number, value: number, gradient: number, length: number, c: number): void;
}

/** SGD whose update runs in our wasm module where it links; tfjs' own elsewhere. */
export class FusedSgd extends tf.SGDOptimizer {
  override applyGradients(variableGradients: Parameters<tf.SGDOptimizer['applyGradients']>[0]): void {
    const simd = tf.getBackend() === WASM ? linkedUpdate((tf.backend() as BackendWasm).wasm) : undefined;
    const named = Array.isArray(variableGradients)
      ? variableGradients
      : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    if (simd === undefined || named.some(({ tensor }) => tensor.dtype !== 'float32')) {
      super.applyGradients(variableGradients);
      return;
    }
    const backend = tf.backend() as BackendWasm;
    const c = Math.fround(-this.learningRate);
    for (const { name, tensor: gradient } of named) {
      const value = tf.engine().registeredVariables[name]!;
      const out = backend.makeOutput(value.shape, 'float32');
      const address = (info: tf.TensorInfo) => backend.typedArrayFromHeap(info).byteOffset;
      simd.update(address(out), address(value), address(gradient), value.size, c);
      tf.tidy(() => value.assign(tf.engine().makeTensorFromTensorInfo(out)));
    }
    this.incrementIterations();
  }
}

/** The update linked to tfjs' memory, once per memory; undefined where it does not link. */
const linkedUpdate = linkedPerMemory<UpdateExports>(() =>
  moduleBytes([{ name: 'update', params: [I32, I32, I32, I32, F32], results: [], ...UPDATE }]),
);

// Parameters: 0 out, 1 value, 2 gradient, 3 length, 4 c (f32). Locals: 5 end of the groups of four, 6 end; 7 c in all lanes.
const [OUT, VALUE, GRADIENT, LENGTH, C, GROUPS_END, END, C_SPLAT] = [0, 1, 2, 3, 4, 5, 6, 7];

/** out[i] = c·g[i] + w[i] for the element(s) at the three pointers, then all three advanced. */
const step = (bytes: 4 | 16) => [
  ...op.get(OUT),
  ...(bytes === 16
    ? [...op.get(C_SPLAT), ...op.get(GRADIENT), ...op.v128Load(0), ...op.f32x4Mul, ...op.get(VALUE), ...op.v128Load(0)]
    : [...op.get(C), ...op.get(GRADIENT), ...op.f32Load(0), ...op.f32Mul, ...op.get(VALUE), ...op.f32Load(0)]),
  ...(bytes === 16 ? [...op.f32x4Add, ...op.v128Store(0)] : [...op.f32Add, ...op.f32Store(0)]),
  ...advance(OUT, bytes),
  ...advance(VALUE, bytes),
  ...advance(GRADIENT, bytes),
];

const UPDATE = {
  locals: [
    [2, I32],
    [1, V128],
  ] as const,
  code: [
    ...[...op.get(C), ...op.f32x4Splat, ...op.set(C_SPLAT)],
    ...[...op.get(OUT), ...op.get(LENGTH), ...op.i32Const(2), ...op.i32Shl, ...op.i32Add, ...op.set(END)],
    ...[...op.get(OUT), ...op.get(LENGTH), ...op.i32Const(-4), ...op.i32And, ...op.i32Const(2), ...op.i32Shl],
    ...[...op.i32Add, ...op.set(GROUPS_END)],
    ...whileBelow(OUT, GROUPS_END, step(16)),
    ...whileBelow(OUT, END, step(4)),
  ],
};
