/**
 * BatchMatMul for the wasm backend: transposed products at the speed of plain ones.
 *
 * What was slow: the stock kernel (tfjs-backend-wasm 4.22.0, src/cc/batch_mat_mul_impl.cc) sends a
 * product to XNNPACK only when neither operand is transposed and both have batch 1; everything else
 * goes to a naive blocked loop about ten times slower (2.9 against 28 GFLOP/s for 2000x784 by
 * 784x5000, issue 14). A dense layer's backward pass is exactly such products: dX = dY·Wᵀ
 * (transposeB) and dW = Xᵀ·dY (transposeA), so training spent ~90% of its time there.
 *
 * What this does: where it pays (planProduct: by sizes only), it writes transposed operands out
 * with the wasm Transpose kernel and calls the stock kernel without transposes, which then takes
 * the XNNPACK path; either op(A)·op(B) or (op(B)ᵀ·op(A)ᵀ)ᵀ, whichever copies fewer elements. A
 * batched left operand times a shared right one is flattened to one 2-D product the same way. Other
 * shapes (a batched right operand), and small products, go to the stock kernel unchanged.
 *
 * Why this is correct: transposing is exact (a copy) and the product is the stock kernel's own
 * fast path. The summation order differs from the stock slow path, so results differ from it in
 * the last bits, but the choice depends on shapes only: a run is still bitwise repeatable.
 */
import tf from '../../util/tfjs.cjs';
import { DIRECT_COLUMNS, DIRECT_ROWS, type DirectProduct, directProduct } from './direct-product.js';
import {
  type BackendWasm,
  type WasmKernelArgs,
  disposeIntermediate,
  requireInput,
  runWasmKernel,
  wrapStockKernel,
} from './wasm-backend.js';

const KERNEL = 'BatchMatMul';

/**
 * Products of at least this many floating-point operations (2·batch·m·k·n) take a materialised
 * path. Measured on the 2-core machine of issue 14 by bench/matmul-crossover.ts (`npm run bench --
 * matmul`, bench/results.json under "matmul"): the total time over dense-layer backward products is
 * flat (within 1%) for thresholds from 4e3 to 2.6e5 FLOPs and the materialised paths win by 3-100×
 * above; the bench fails when this is far from the best threshold of its own run.
 */
export const MATERIALISED_MIN_FLOPS = 65_536;

/** Sizes of a product as the stock kernel sees it, after flattening the batch dimensions. */
export interface ProductSizes {
  batchA: number;
  batchB: number;
  /** Rows of the result, columns of the result, shared dimension. */
  m: number;
  n: number;
  k: number;
}

export function productSizes(
  aShape: readonly number[],
  bShape: readonly number[],
  attrs: tf.BatchMatMulAttrs,
): ProductSizes {
  const aRows = aShape[aShape.length - 2] ?? 1;
  const aCols = aShape[aShape.length - 1] ?? 1;
  const bRows = bShape[bShape.length - 2] ?? 1;
  const bCols = bShape[bShape.length - 1] ?? 1;
  return {
    batchA: tf.util.sizeFromShape(aShape.slice(0, -2)),
    batchB: tf.util.sizeFromShape(bShape.slice(0, -2)),
    m: attrs.transposeA ? aCols : aRows,
    k: attrs.transposeA ? aRows : aCols,
    n: attrs.transposeB ? bRows : bCols,
  };
}

/**
 * How a product is computed. `direct`: our own SIMD product (direct-product.ts) on the operands
 * where they lie, a transposed B (and a large transposed A) written out first; for a result whose
 * rows are a multiple of DIRECT_ROWS. `stock`: the stock kernel as asked. `operands`: op(A)·op(B) with each
 * transposed operand written out, so that XNNPACK gets [batch·m, k]·[k, n]. `product`:
 * (op(B)ᵀ·op(A)ᵀ)ᵀ, which transposes the other operands and the [m, n] result instead: cheaper when
 * op(B) is the big one (dY·Wᵀ at a small batch).
 */
export type ProductPlan = 'stock' | 'operands' | 'product' | 'direct';

/** Elements a materialised plan copies (transposes) or XNNPACK packs (its right operand): the cheaper plan moves fewer. */
function movedElements(plan: Exclude<ProductPlan, 'stock'>, sizes: ProductSizes, attrs: tf.BatchMatMulAttrs) {
  const { batchA, m, n, k } = sizes;
  const a = batchA * m * k;
  if (plan === 'operands') return (attrs.transposeA ? a : 0) + (attrs.transposeB ? 2 : 1) * k * n;
  return (attrs.transposeB ? 0 : k * n) + (attrs.transposeA ? 1 : 2) * m * k + m * n;
}

/**
 * What XNNPACK's packing of a right operand costs, in elements copied by the Transpose kernel. The
 * stock kernel packs the right operand B once per tensor (its operator cache is keyed by B's id),
 * but a training step's weights are new tensors every step, so X·W repacks W each time. CPU time
 * on the 2-core machine of issue 14: packing 784×784 took 2.7 ms (4.4 ns an element; 6-11 ns for
 * 392×784, 784×50 and 2000×2000), against 0.24 ms to copy it (0.4 ns an element). 4 is the low
 * end, so that (Wᵀ·Xᵀ)ᵀ is taken only where it clearly pays: 32×784·784×784 1.6× faster, while
 * 32×784·784×50, 64×128·128×128 and 2000×784·784×5000 were 0.7-0.9× as fast and stay stock.
 */
const PACKING_COST_IN_COPIES = 4;

/**
 * An untransposed 2-D product A·B as (Bᵀ·Aᵀ)ᵀ: XNNPACK then packs Aᵀ instead of B, at the price of
 * three copies. Bitwise the same values: every output element is the same float32 products summed
 * in the same order of k from zero (XNNPACK's wasm SIMD gemm adds a·b per k, no fused multiply-add).
 */
function packsLessTransposed({ m, n, k }: ProductSizes): boolean {
  const stock = PACKING_COST_IN_COPIES * k * n;
  return PACKING_COST_IN_COPIES * m * k + k * n + m * k + m * n < stock;
}

/**
 * The direct product's shapes: whole blocks of rows (columns past the last whole block go through a
 * padded block, productDirect), and a left operand that is one matrix as laid out (a transposed
 * batched one is left to the other plans).
 */
function fitsDirect({ batchA, m }: ProductSizes, attrs: tf.BatchMatMulAttrs): boolean {
  return (batchA === 1 || !attrs.transposeA) && (batchA * m) % DIRECT_ROWS === 0;
}

/**
 * The plan for a product's sizes. `direct` is false where our SIMD module is not available. Below
 * `minFlops` the stock kernel's own loop stays, so that small products keep their bits.
 */
export function planProduct(
  sizes: ProductSizes,
  attrs: tf.BatchMatMulAttrs,
  minFlops: number = MATERIALISED_MIN_FLOPS,
  direct = true,
): ProductPlan {
  const { batchA, batchB, m, n, k } = sizes;
  // The stock kernel is the only path for a batched right operand.
  if (batchB !== 1 || 2 * batchA * m * k * n < minFlops) return 'stock';
  if (direct && fitsDirect(sizes, attrs)) return 'direct';
  // An untransposed 2-D product is on the fast path already; only its repacked right operand can cost more.
  if (!attrs.transposeA && !attrs.transposeB && batchA === 1) return packsLessTransposed(sizes) ? 'product' : 'stock';
  return batchA === 1 && movedElements('product', sizes, attrs) < movedElements('operands', sizes, attrs)
    ? 'product'
    : 'operands';
}

function batchMatMul(args: WasmKernelArgs): tf.TensorInfo {
  const { inputs, backend } = args;
  const a = requireInput(inputs, 'a', KERNEL);
  const b = requireInput(inputs, 'b', KERNEL);
  const attrs = args.attrs as unknown as tf.BatchMatMulAttrs;
  const sizes = productSizes(a.shape, b.shape, attrs);
  const plan =
    a.dtype === 'float32' && b.dtype === 'float32'
      ? planProduct(sizes, attrs, MATERIALISED_MIN_FLOPS, directProduct(backend.wasm) !== undefined)
      : 'stock';
  return runPlan(plan, { a, b, attrs, sizes, backend });
}

export interface Product {
  a: tf.TensorInfo;
  b: tf.TensorInfo;
  attrs: tf.BatchMatMulAttrs;
  sizes: ProductSizes;
  backend: BackendWasm;
}

/** Computes the product by `plan`, shaped as the op's output. */
export function runPlan(plan: ProductPlan, product: Product): tf.TensorInfo {
  const { a, b, attrs, backend } = product;
  if (plan === 'stock') return stock({ inputs: { a, b }, attrs: { ...attrs }, backend });
  const direct = plan === 'direct' ? directProduct(backend.wasm) : undefined;
  if (plan === 'direct' && (direct === undefined || !fitsDirect(product.sizes, attrs)))
    return runPlan(planProduct(product.sizes, attrs, 0, false), product);
  const out =
    direct !== undefined
      ? productDirect(product, direct)
      : plan === 'operands'
        ? productOfOperands(product)
        : productTransposed(product);
  return shaped(product, out);
}

/** [batch·m, k]·[k, n] through the stock fast path: op(A) flattened times op(B). */
function productOfOperands({ a, b, attrs, sizes, backend }: Product): tf.TensorInfo {
  const { batchA, m, n, k } = sizes;
  const rows = attrs.transposeA ? transposedLastTwo(a, [batchA, k, m], backend) : reshaped(a, [batchA, m, k], backend);
  const cols = attrs.transposeB ? transposedLastTwo(b, [1, n, k], backend) : reshaped(b, [1, k, n], backend);
  const flatRows = reshaped(rows, [1, batchA * m, k], backend);
  try {
    return plainProduct(flatRows, cols, backend);
  } finally {
    for (const intermediate of [rows, cols, flatRows]) disposeIntermediate(backend, intermediate);
  }
}

/** (op(B)ᵀ·op(A)ᵀ)ᵀ for batch 1: [n, k]·[k, m] through the stock fast path, then the [n, m] result transposed. */
function productTransposed({ a, b, attrs, sizes, backend }: Product): tf.TensorInfo {
  const { m, n, k } = sizes;
  const rows = attrs.transposeB ? reshaped(b, [1, n, k], backend) : transposedLastTwo(b, [1, k, n], backend);
  const cols = attrs.transposeA ? reshaped(a, [1, k, m], backend) : transposedLastTwo(a, [1, m, k], backend);
  let transposedOut: tf.TensorInfo | undefined;
  try {
    transposedOut = plainProduct(rows, cols, backend);
    return transposedLastTwo(transposedOut, [1, n, m], backend);
  } finally {
    for (const intermediate of [rows, cols, transposedOut])
      if (intermediate) disposeIntermediate(backend, intermediate);
  }
}

/**
 * A transposed left operand up to this size is read in place, strided (four adjacent values per k);
 * a larger one is written out first. CPU time on the 2-core machine of issue 14 (session 8):
 * Xᵀ·dY for X 32×784 (100 KB) ran at 21 GFLOP/s in place, 400×784 (1.25 MB) at 16 in place
 * against 22 untransposed, 2000×784 at 12: beyond the core's L2 the strided reads stall.
 */
const STRIDED_LEFT_MAX_BYTES = 256 * 1024;

/** What the fused kernel adds to a product: a bias per column, and ReLU. */
export interface Epilogue {
  bias: tf.TensorInfo | undefined;
  relu: boolean;
}

/** op(A)·op(B) by our SIMD product (plus the epilogue), into a new [batch·m, n] tensor. */
function productDirect(
  { a, b, attrs, sizes, backend }: Product,
  direct: DirectProduct,
  epilogue: Epilogue = { bias: undefined, relu: false },
): tf.TensorInfo {
  const { batchA, m, n, k } = sizes;
  const rows = batchA * m;
  const whole = n - (n % DIRECT_COLUMNS);
  const strided = attrs.transposeA && 4 * m * k <= STRIDED_LEFT_MAX_BYTES;
  const left = attrs.transposeA && !strided ? transposedLastTwo(a, [1, k, m], backend) : a;
  const right = attrs.transposeB ? transposedLastTwo(b, [1, n, k], backend) : b;
  const out = backend.makeOutput([rows, n], 'float32');
  const panel = backend.makeOutput([k * DIRECT_COLUMNS], 'float32');
  const edge = whole < n ? edgeBlock(backend, k, rows) : undefined;
  try {
    // Addresses only after the last allocation: an allocation may move the views (not the addresses).
    const address = (info: tf.TensorInfo) => backend.typedArrayFromHeap(info).byteOffset;
    const [rowBytes, columnBytes] = strided ? [4, 4 * m] : [4 * k, 4];
    const relu = epilogue.relu ? 1 : 0;
    const product = (bAt: number, cAt: number, stride: number, biasAt: number, columns: number) =>
      direct.product(
        address(left),
        bAt,
        cAt,
        rows,
        stride,
        k,
        rowBytes,
        columnBytes,
        address(panel),
        biasAt,
        relu,
        columns,
      );
    const bias = epilogue.bias === undefined ? 0 : address(epilogue.bias);
    if (whole > 0) product(address(right), address(out), n, bias, whole);
    if (edge !== undefined) {
      const view = (info: tf.TensorInfo) => backend.typedArrayFromHeap(info) as Float32Array;
      padColumns(view(right), n, whole, view(edge.b));
      if (epilogue.bias !== undefined) padColumns(view(epilogue.bias), n, whole, view(edge.bias));
      product(address(edge.b), address(edge.c), DIRECT_COLUMNS, bias === 0 ? 0 : address(edge.bias), DIRECT_COLUMNS);
      copyColumns(view(edge.c), n, whole, view(out));
    }
    return out;
  } finally {
    for (const scratch of [panel, ...(left === a ? [] : [left]), ...(right === b ? [] : [right])])
      disposeIntermediate(backend, scratch);
    if (edge !== undefined) for (const scratch of Object.values(edge)) disposeIntermediate(backend, scratch);
  }
}

/**
 * Scratch for the last n mod 8 columns: B's and the bias's columns padded with zeros to a whole
 * block, and the block's result. The padding only adds lanes that are not copied out; each copied
 * value is the same sum as in a whole block (and as XNNPACK's, which pads its last block too).
 */
function edgeBlock(backend: BackendWasm, k: number, rows: number) {
  return {
    b: backend.makeOutput([k, DIRECT_COLUMNS], 'float32'),
    c: backend.makeOutput([rows, DIRECT_COLUMNS], 'float32'),
    bias: backend.makeOutput([DIRECT_COLUMNS], 'float32'),
  };
}

/**
 * Columns `whole`..n of the row-major matrix `from` (rows of n) into `to` (rows of DIRECT_COLUMNS),
 * zeros after them. Value by value: a subarray per row of a 784-row B cost more than the product.
 */
function padColumns(from: Float32Array, n: number, whole: number, to: Float32Array): void {
  to.fill(0);
  const width = n - whole;
  for (let row = 0, at = whole; at < from.length; row += DIRECT_COLUMNS, at += n)
    for (let column = 0; column < width; column++) to[row + column] = from[at + column]!;
}

/** The first n - `whole` columns of `from` (rows of DIRECT_COLUMNS) into columns `whole`..n of `to` (rows of n). */
function copyColumns(from: Float32Array, n: number, whole: number, to: Float32Array): void {
  const width = n - whole;
  for (let row = 0, at = whole; at < to.length; row += DIRECT_COLUMNS, at += n)
    for (let column = 0; column < width; column++) to[at + column] = from[row + column]!;
}

/** The direct product with an epilogue, shaped as the op's output; undefined where it does not fit. */
export function directWithEpilogue(product: Product, epilogue: Epilogue): tf.TensorInfo | undefined {
  const direct = directProduct(product.backend.wasm);
  if (direct === undefined || planProduct(product.sizes, product.attrs) !== 'direct') return undefined;
  return shaped(product, productDirect(product, direct, epilogue));
}

function shaped({ a, b, sizes }: Product, out: tf.TensorInfo): tf.TensorInfo {
  const outerDims = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  return { ...out, shape: [...outerDims, sizes.m, sizes.n] };
}

function plainProduct(a: tf.TensorInfo, b: tf.TensorInfo, backend: BackendWasm): tf.TensorInfo {
  return stock({ inputs: { a, b }, attrs: { transposeA: false, transposeB: false }, backend });
}

/** x viewed as `shape` (rank 3), with its last two axes swapped and written out. */
function transposedLastTwo(x: tf.TensorInfo, shape: number[], backend: BackendWasm): tf.TensorInfo {
  const view = reshaped(x, shape, backend);
  try {
    return runWasmKernel('Transpose', { x: view }, { perm: [0, 2, 1] }, backend);
  } finally {
    disposeIntermediate(backend, view);
  }
}

/** The same data under another shape (shares the buffer; the caller disposes the view). */
function reshaped(x: tf.TensorInfo, shape: number[], backend: BackendWasm): tf.TensorInfo {
  return runWasmKernel('Reshape', { x }, { shape }, backend);
}

/** Ours in front of the stock kernel, which `stock` calls. */
export const batchMatMulKernel = wrapStockKernel(KERNEL, batchMatMul);
const stock = (args: WasmKernelArgs) => batchMatMulKernel.stock(args);
