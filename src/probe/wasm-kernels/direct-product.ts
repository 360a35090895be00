/**
 * A float32 matrix product op(A)·B computed where the wasm backend keeps the tensors, by a small
 * WebAssembly SIMD module of our own: no transposed copy of either operand and no packing of B.
 *
 * Why: the stock fast path (XNNPACK) packs its right operand into a new buffer for every new tensor,
 * and a training step's weights are new every step; with the copies the other plans make around it
 * (batch-mat-mul.ts), X·W₁ of the 784-784-50-10 MLP took 4.4 CPU ms a step for 39 MFLOP and
 * dW₁ = Xᵀ·dY₁ 3.2 ms (kernel timings of one diagnose, docs/performance.md, session 8).
 *
 * Why the bits are XNNPACK's: its wasm SIMD gemm (the only one the stock kernel reaches) starts each
 * output element at zero and adds the float32 product a·b for k = 0, 1, ... in that order, a
 * multiply then an add, no fused multiply-add. This loop does the same, 4 rows × 8 columns at a
 * time (test/probe/batch-mat-mul-plan.test.ts compares the bits with the stock kernel).
 */
import { I32, V128, advance, advanceBy, linkedPerMemory, moduleBytes, op, whileBelow } from './wasm-module.js';

/** The block of the result one pass of the inner loop computes: rows, and columns (two f32x4). */
export const DIRECT_ROWS = 4;
export const DIRECT_COLUMNS = 8;

export interface DirectProduct {
  /**
   * C[m×n] = op(A)[m×k]·B[k×n], all float32 at byte addresses of the heap; B and C row-major, op(A)'s
   * element (i, k) at a + i·aRowBytes + k·aColBytes (so op(A) may be a transposed view). Only the
   * first `columns` columns of C are computed (a multiple of DIRECT_COLUMNS, at most n: the rows of
   * B and C are n long); m must be a multiple of DIRECT_ROWS; `panel` is scratch space of
   * k·DIRECT_COLUMNS float32.
   */
  product(
    a: number,
    b: number,
    c: number,
    m: number,
    n: number,
    k: number,
    aRowBytes: number,
    aColBytes: number,
    panel: number,
    bias: number,
    clamp: number,
    columns: number,
  ): void;
}

/** The product on the memory of tfjs' wasm module `wasm`, or undefined when it cannot link. */
export const directProduct = linkedPerMemory<DirectProduct>(() =>
  moduleBytes([{ name: 'product', params: new Array<number>(12).fill(I32), results: [], ...PRODUCT }]),
);

// Parameters: 0 a, 1 b, 2 c, 3 m, 4 n, 5 k, 6 aRowBytes, 7 aColBytes, 8 panel, 9 bias, 10 clamp, 11 columns.
const [A, B, C, M, N, K, A_ROW, A_COL, PANEL, BIAS, CLAMP, COLUMNS] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
// i32 locals: row bytes of B and C, column block (bytes), row, A's block row, C's block, A's four rows, B's row, k left, store address, end of the columns (bytes).
const [N_BYTES, J, I, A_BLOCK, C_BLOCK, A0, B_ROW, K_LEFT, STORE, COLUMNS_END] = [
  12, 13, 14, 15, 16, 17, 21, 22, 23, 24,
];
// v128 locals: eight accumulators (row r: 25 + 2r, 26 + 2r), B's two vectors, A's element in all lanes, the block's bias.
const [ACC, B_LOW, B_HIGH, A_SPLAT, BIAS_LOW, BIAS_HIGH] = [25, 33, 34, 35, 36, 37];
/** Bytes of one row of the packed panel: DIRECT_COLUMNS float32. */
const PANEL_ROW = 4 * DIRECT_COLUMNS;
const ROWS = [0, 1, 2, 3];

/** `body` k times (counted down in K_LEFT). */
const forEachK = (body: readonly number[]) => [
  ...[...op.get(K), ...op.set(K_LEFT)],
  ...[
    ...op.block,
    ...op.loop,
    ...op.get(K_LEFT),
    ...op.i32Eqz,
    ...op.brIf(1),
    ...body,
    ...op.br(0),
    ...op.end,
    ...op.end,
  ],
];

const countDown = (local: number) => [...op.get(local), ...op.i32Const(1), ...op.i32Sub, ...op.set(local)];

/**
 * Columns J..J+8 of B copied to the panel, row after row: the block loop then reads B contiguously.
 * Read in place, a row stride that is a multiple of 4 KiB (widths 1024, 2048) maps every row of
 * the block to the same L1 cache set: 32×256·256×1024 ran at 3.9 GFLOP/s against 16-19 for 784.
 */
const PACK_PANEL = [
  ...[...op.get(B), ...op.get(J), ...op.i32Add, ...op.set(STORE), ...op.get(PANEL), ...op.set(B_ROW)],
  ...forEachK([
    ...[...op.get(B_ROW), ...op.get(STORE), ...op.v128Load(0), ...op.v128Store(0)],
    ...[...op.get(B_ROW), ...op.get(STORE), ...op.v128Load(16), ...op.v128Store(16)],
    ...advanceBy(STORE, N_BYTES),
    ...advance(B_ROW, PANEL_ROW),
    ...countDown(K_LEFT),
  ]),
];

/** acc += a·b for the accumulator local `acc` (lanewise float32: a multiply, then an add). */
const accumulate = (acc: number, b: number) => [
  ...[...op.get(acc), ...op.get(A_SPLAT), ...op.get(b), ...op.f32x4Mul, ...op.f32x4Add, ...op.set(acc)],
];

/** One k: B's eight values of row k, then each of the four rows' A(i, k) times them. */
const K_STEP = [
  ...[...op.get(B_ROW), ...op.v128Load(0), ...op.set(B_LOW), ...op.get(B_ROW), ...op.v128Load(16), ...op.set(B_HIGH)],
  ...ROWS.flatMap((r) => [
    ...[...op.get(A0 + r), ...op.load32Splat(0), ...op.set(A_SPLAT)],
    ...accumulate(ACC + 2 * r, B_LOW),
    ...accumulate(ACC + 2 * r + 1, B_HIGH),
    ...advanceBy(A0 + r, A_COL),
  ]),
  ...advance(B_ROW, PANEL_ROW),
  ...countDown(K_LEFT),
];

/** The columns' bias (zero without one): XNNPACK starts each sum at its bias, then adds the products. */
const LOAD_BIAS = [
  ...[...op.v128Zero, ...op.set(BIAS_LOW), ...op.v128Zero, ...op.set(BIAS_HIGH), ...op.get(BIAS), ...op.if],
  ...[...op.get(BIAS), ...op.get(J), ...op.i32Add, ...op.v128Load(0), ...op.set(BIAS_LOW)],
  ...[...op.get(BIAS), ...op.get(J), ...op.i32Add, ...op.v128Load(16), ...op.set(BIAS_HIGH), ...op.end],
];

/** ReLU as XNNPACK's wasm SIMD gemm clamps at its output minimum 0: pmax(0, x), so NaN gives 0. */
const CLAMP_BLOCK = [
  ...[...op.get(CLAMP), ...op.if],
  ...[...ROWS, 4, 5, 6, 7].flatMap((r) => [...op.v128Zero, ...op.get(ACC + r), ...op.f32x4Pmax, ...op.set(ACC + r)]),
  ...op.end,
];

/** The 4×8 block at C_BLOCK: accumulators at the bias, all of k, clamped, then the four rows stored. */
const BLOCK = [
  ...ROWS.flatMap((r) => [
    ...op.get(BIAS_LOW),
    ...op.set(ACC + 2 * r),
    ...op.get(BIAS_HIGH),
    ...op.set(ACC + 2 * r + 1),
  ]),
  ...[...op.get(A_BLOCK), ...op.set(A0)],
  ...[1, 2, 3].flatMap((r) => [...op.get(A0 + r - 1), ...op.get(A_ROW), ...op.i32Add, ...op.set(A0 + r)]),
  ...[...op.get(PANEL), ...op.set(B_ROW)],
  ...forEachK(K_STEP),
  ...CLAMP_BLOCK,
  ...[...op.get(C_BLOCK), ...op.set(STORE)],
  ...ROWS.flatMap((r) => [
    ...[...op.get(STORE), ...op.get(ACC + 2 * r), ...op.v128Store(0)],
    ...[...op.get(STORE), ...op.get(ACC + 2 * r + 1), ...op.v128Store(16)],
    ...advanceBy(STORE, N_BYTES),
  ]),
];

/** 4·local `step`, added to local `local`. */
const advanceFour = (local: number, step: number) => [
  ...[...op.get(local), ...op.get(step), ...op.i32Const(2), ...op.i32Shl, ...op.i32Add, ...op.set(local)],
];

/** Column blocks outside, row blocks inside: B's 8-column panel, packed, stays in L1 while every row block reads it. */
const PRODUCT = {
  locals: [
    [13, I32],
    [13, V128],
  ] as const,
  code: [
    ...[...op.get(N), ...op.i32Const(2), ...op.i32Shl, ...op.set(N_BYTES), ...op.i32Const(0), ...op.set(J)],
    ...[...op.get(COLUMNS), ...op.i32Const(2), ...op.i32Shl, ...op.set(COLUMNS_END)],
    ...whileBelow(J, COLUMNS_END, [
      ...PACK_PANEL,
      ...LOAD_BIAS,
      ...[...op.i32Const(0), ...op.set(I), ...op.get(A), ...op.set(A_BLOCK)],
      ...[...op.get(C), ...op.get(J), ...op.i32Add, ...op.set(C_BLOCK)],
      ...whileBelow(I, M, [
        ...BLOCK,
        ...advanceFour(A_BLOCK, A_ROW),
        ...advanceFour(C_BLOCK, N_BYTES),
        ...[...op.get(I), ...op.i32Const(DIRECT_ROWS), ...op.i32Add, ...op.set(I)],
      ]),
      ...[...op.get(J), ...op.i32Const(4 * DIRECT_COLUMNS), ...op.i32Add, ...op.set(J)],
    ]),
  ],
};
