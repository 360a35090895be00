/** What matmul-crossover-worker.ts sends back to matmul-crossover.ts; no tfjs here. */

export const CROSSOVER_MARKER = 'MATMUL_CROSSOVER_RESULT ';

/** One transposed product, timed on each path of the wasm BatchMatMul (median CPU milliseconds). */
export interface ProductTiming {
  /** NT: A·Bᵀ (a dense layer's input gradient); TN: Aᵀ·B (its weight gradient). */
  kind: 'NT' | 'TN';
  m: number;
  k: number;
  n: number;
  flops: number;
  /** `direct` is the direct product where the shapes fit it, else the plan taken without it. */
  ms: { stock: number; operands: number; product: number; direct: number };
}
