/**
 * The sums of squares the probe records every step: a gradient's ‖g‖², and an update's ‖Δw‖² with
 * the new ‖w‖². In float64 over float32 values, in a fixed order of partial sums (four for ‖g‖²,
 * two for the update's sums), so that a run is bitwise repeatable.
 *
 * On wasm the values are in tfjs' own heap, and the sums run there as a small WebAssembly SIMD
 * module: each f64x2 lane is one of the JavaScript loops' partial sums, with the same float64
 * products and additions in the same order, so both give the same bits (test/probe/squared-sums).
 * On the 784-784-50-10 MLP the JavaScript loops took 0.6-1 CPU s of a 300-step probe, a sixth of
 * `diagnose` (issue 14); V8 runs them at a third of the speed the dependent float64 adds allow.
 */
import tf from '../util/tfjs.cjs';
import { WASM, type BackendWasm } from './wasm-kernels/wasm-backend.js';
import { F64, I32, V128, advance, linkedPerMemory, moduleBytes, op, whileBelow } from './wasm-kernels/wasm-module.js';

/** ‖Δw‖² and the new ‖w‖² of one update. */
export interface UpdateSums {
  changeSquares: number;
  newSquares: number;
}

/** Σv² over four partial sums (elements i mod 4), which lets the loop run at memory speed. */
export function sumOfSquares(values: ArrayLike<number>): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const whole = values.length - (values.length % 4);
  for (let i = 0; i < whole; i += 4) {
    s0 += values[i]! * values[i]!;
    s1 += values[i + 1]! * values[i + 1]!;
    s2 += values[i + 2]! * values[i + 2]!;
    s3 += values[i + 3]! * values[i + 3]!;
  }
  for (let i = whole; i < values.length; i++) s0 += values[i]! * values[i]!;
  return s0 + s1 + s2 + s3;
}

/** Σ(after−before)² and Σafter², each over two partial sums (even and odd elements). */
export function updateSums(before: ArrayLike<number>, after: ArrayLike<number>): UpdateSums {
  let change0 = 0;
  let change1 = 0;
  let squares0 = 0;
  let squares1 = 0;
  const pairs = after.length - (after.length % 2);
  for (let i = 0; i < pairs; i += 2) {
    const value0 = after[i]!;
    const value1 = after[i + 1]!;
    const delta0 = value0 - before[i]!;
    const delta1 = value1 - before[i + 1]!;
    change0 += delta0 * delta0;
    change1 += delta1 * delta1;
    squares0 += value0 * value0;
    squares1 += value1 * value1;
  }
  if (pairs < after.length) {
    const value = after[pairs]!;
    const delta = value - before[pairs]!;
    change0 += delta * delta;
    squares0 += value * value;
  }
  return { changeSquares: change0 + change1, newSquares: squares0 + squares1 };
}

/** The sums over tensors' values, wherever the backend keeps them. */
export interface SquaredSums {
  /** Where the sums run: in the wasm heap (SIMD), or in JavaScript over read-back values. */
  where: 'wasm-simd' | 'javascript';
  sumOfSquares(tensor: tf.Tensor): number;
  updateSums(before: tf.Tensor, after: tf.Tensor): UpdateSums;
}

/**
 * The sums for the current backend: in tfjs' wasm heap on wasm (when its memory can be reached and
 * the engine has SIMD), else in JavaScript over `dataSync` (the cpu backend hands back its own array).
 */
export function squaredSums(): SquaredSums {
  const simd = tf.getBackend() === WASM ? wasmSums(tf.backend() as BackendWasm) : undefined;
  if (simd !== undefined) return simd;
  return {
    where: 'javascript',
    sumOfSquares: (tensor) => sumOfSquares(tensor.dataSync()),
    updateSums: (before, after) => updateSums(before.dataSync(), after.dataSync()),
  };
}

interface SimdExports {
  sumOfSquares(pointer: number, length: number): number;
  updateSums(before: number, after: number, length: number): [number, number];
}

const linkedSums = linkedPerMemory<SimdExports>(simdModuleBytes);

function wasmSums(backend: BackendWasm): SquaredSums | undefined {
  const simd = linkedSums(backend.wasm);
  if (simd === undefined) return undefined;
  // A view's byteOffset is the value's address in the heap; no tensor is made between reading and summing.
  const address = (tensor: tf.Tensor) => backend.typedArrayFromHeap(tensor).byteOffset;
  return {
    where: 'wasm-simd',
    sumOfSquares: (tensor) => simd.sumOfSquares(address(tensor), tensor.size),
    updateSums(before, after) {
      const [changeSquares, newSquares] = simd.updateSums(address(before), address(after), after.size);
      return { changeSquares, newSquares };
    },
  };
}

/* The module, encoded by hand. */

/** Bytes from `pointer` to the end of its whole groups of `group` elements (`length` in local `lengthLocal`). */
const groupEnd = (pointer: number, lengthLocal: number, group: number) => [
  ...op.get(pointer),
  ...op.get(lengthLocal),
  ...op.i32Const(-group & 0x7f),
  ...op.i32And,
  ...op.i32Const(2),
  ...op.i32Shl,
  ...op.i32Add,
];

/** Adds square of the f64x2 on the stack's top to the accumulator local (stack: value). */
const accumulateSquare = (value: number, accumulator: number) => [
  ...op.set(value),
  ...op.get(accumulator),
  ...op.get(value),
  ...op.get(value),
  ...op.f64x2Mul,
  ...op.f64x2Add,
  ...op.set(accumulator),
];

// sumOfSquares(pointer, length): locals 2 end, 3 s01, 4 s23, 5 v (v128), 6 s0, 7 x (f64).
const SUM_OF_SQUARES = {
  locals: [
    [1, I32],
    [3, V128],
    [2, F64],
  ] as const,
  code: [
    ...groupEnd(0, 1, 4),
    ...op.set(2),
    ...whileBelow(0, 2, [
      ...[...op.get(0), ...op.loadPair(0), ...accumulateSquare(5, 3)],
      ...[...op.get(0), ...op.loadPair(8), ...accumulateSquare(5, 4)],
      ...advance(0, 16),
    ]),
    ...[...op.get(3), ...op.f64x2Lane(0), ...op.set(6)],
    // The elements past the last group of four go to s0, one by one.
    ...[...op.get(0), ...op.get(1), ...op.i32Const(3), ...op.i32And, ...op.i32Const(2), ...op.i32Shl],
    ...[...op.i32Add, ...op.set(2)],
    ...whileBelow(0, 2, [
      ...[...op.get(0), ...op.f32Load(0), ...op.f64Promote, ...op.set(7)],
      ...[...op.get(6), ...op.get(7), ...op.get(7), ...op.f64Mul, ...op.f64Add, ...op.set(6)],
      ...advance(0, 4),
    ]),
    // ((s0 + s1) + s2) + s3, as in JavaScript.
    ...[...op.get(6), ...op.get(3), ...op.f64x2Lane(1), ...op.f64Add],
    ...[...op.get(4), ...op.f64x2Lane(0), ...op.f64Add, ...op.get(4), ...op.f64x2Lane(1), ...op.f64Add],
  ],
};

// updateSums(before, after, length): locals 3 end; 4 change, 5 squares, 6 value, 7 delta (v128); 8 x, 9 d, 10 change0, 11 squares0 (f64).
const UPDATE_SUMS = {
  locals: [
    [1, I32],
    [4, V128],
    [4, F64],
  ] as const,
  code: [
    ...groupEnd(1, 2, 2),
    ...op.set(3),
    ...whileBelow(1, 3, [
      ...[...op.get(1), ...op.loadPair(0), ...op.set(6)],
      ...[...op.get(6), ...op.get(0), ...op.loadPair(0), ...op.f64x2Sub, ...accumulateSquare(7, 4)],
      ...[...op.get(6), ...accumulateSquare(6, 5)],
      ...advance(0, 8),
      ...advance(1, 8),
    ]),
    ...[...op.get(4), ...op.f64x2Lane(0), ...op.set(10), ...op.get(5), ...op.f64x2Lane(0), ...op.set(11)],
    // An odd last element goes to the even partial sums.
    ...[...op.get(2), ...op.i32Const(1), ...op.i32And, ...op.if],
    ...[...op.get(1), ...op.f32Load(0), ...op.f64Promote, ...op.set(8)],
    ...[...op.get(8), ...op.get(0), ...op.f32Load(0), ...op.f64Promote, ...op.f64Sub, ...op.set(9)],
    ...[...op.get(10), ...op.get(9), ...op.get(9), ...op.f64Mul, ...op.f64Add, ...op.set(10)],
    ...[...op.get(11), ...op.get(8), ...op.get(8), ...op.f64Mul, ...op.f64Add, ...op.set(11)],
    ...op.end,
    ...[...op.get(10), ...op.get(4), ...op.f64x2Lane(1), ...op.f64Add],
    ...[...op.get(11), ...op.get(5), ...op.f64x2Lane(1), ...op.f64Add],
  ],
};

function simdModuleBytes(): Uint8Array {
  return moduleBytes([
    { name: 'sumOfSquares', params: [I32, I32], results: [F64], ...SUM_OF_SQUARES },
    { name: 'updateSums', params: [I32, I32, I32], results: [F64, F64], ...UPDATE_SUMS },
  ]);
}
