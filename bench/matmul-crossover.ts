/**
 * Where materialising a transpose starts to pay on wasm: the source of MATERIALISED_MIN_FLOPS
 * (src/probe/wasm-kernels/batch-mat-mul.ts). The worker times every path of the kernel on the
 * transposed products of dense layers' backward passes; this finds the threshold that minimises
 * their total time when planProduct chooses by it, and compares the constant with it. Fails when
 * the constant costs over MAX_EXCESS_OVER_BEST more than the best threshold of the same run
 * (re-measure and update the constant then).
 */
import type { BenchmarkGroup, GroupEntry } from './benchmark.js';
import { CROSSOVER_MARKER, type ProductTiming } from './matmul-crossover-types.js';
import { runWorker } from './run-worker.js';
import { formatTable } from './table.js';
import {
  MATERIALISED_MIN_FLOPS,
  type ProductPlan,
  planProduct,
  productSizes,
} from '../src/probe/wasm-kernels/batch-mat-mul.js';

const NAME = 'matmul-crossover';
/** Run-to-run noise on the shared machine moves totals by ~10%; more than this is a wrong constant. */
const MAX_EXCESS_OVER_BEST = 0.2;

export interface CrossoverResult extends GroupEntry {
  products: number;
  /** The threshold (FLOPs) with the least total time; ties go to the smallest. */
  bestMinFlops: number;
  constantMinFlops: number;
  /** Total CPU milliseconds of all products: stock kernel only, best threshold, the constant, the fastest path of each. */
  totalMs: { stock: number; best: number; constant: number; fastestEach: number };
  timings: ProductTiming[];
}

function planOf(timing: ProductTiming, minFlops: number): ProductPlan {
  const attrs = { transposeA: timing.kind === 'TN', transposeB: timing.kind === 'NT' };
  const aShape = attrs.transposeA ? [timing.k, timing.m] : [timing.m, timing.k];
  const bShape = attrs.transposeB ? [timing.n, timing.k] : [timing.k, timing.n];
  return planProduct(productSizes(aShape, bShape, attrs), attrs, minFlops);
}

function totalWith(timings: readonly ProductTiming[], minFlops: number): number {
  return timings.reduce((sum, timing) => sum + timing.ms[planOf(timing, minFlops)], 0);
}

function bestMinFlops(timings: readonly ProductTiming[]): number {
  const candidates = [...new Set(timings.map((timing) => timing.flops)), Number.POSITIVE_INFINITY];
  candidates.sort((a, b) => a - b);
  return candidates.reduce((best, candidate) =>
    totalWith(timings, candidate) < totalWith(timings, best) ? candidate : best,
  );
}

function summarise(timings: ProductTiming[]): CrossoverResult {
  const best = bestMinFlops(timings);
  const totalMs = {
    stock: totalWith(timings, Number.POSITIVE_INFINITY),
    best: totalWith(timings, best),
    constant: totalWith(timings, MATERIALISED_MIN_FLOPS),
    fastestEach: timings.reduce((sum, { ms }) => sum + Math.min(ms.stock, ms.operands, ms.product, ms.direct), 0),
  };
  const excess = totalMs.constant / totalMs.best - 1;
  const failures =
    excess > MAX_EXCESS_OVER_BEST
      ? [`MATERIALISED_MIN_FLOPS costs ${(100 * excess).toFixed(0)}% more than the best threshold (${best})`]
      : [];
  const result = { name: NAME, failures, products: timings.length, bestMinFlops: best, totalMs, timings };
  return { ...result, constantMinFlops: MATERIALISED_MIN_FLOPS };
}

function formatCrossover(results: readonly CrossoverResult[]): string {
  const rows = results.flatMap((result) =>
    result.timings.map((timing) => [
      `${timing.kind} ${timing.m}x${timing.k}x${timing.n}`,
      timing.flops.toExponential(1),
      timing.ms.stock.toFixed(3),
      timing.ms.operands.toFixed(3),
      timing.ms.product.toFixed(3),
      timing.ms.direct.toFixed(3),
      planOf(timing, result.constantMinFlops),
    ]),
  );
  const header = ['product m×k×n', 'FLOPs', 'stock ms', 'operands ms', 'product ms', 'direct ms', 'chosen'];
  const notes = results.map(
    ({ bestMinFlops: best, constantMinFlops, totalMs }) =>
      `threshold: best ${best.toExponential(2)} FLOPs, constant ${constantMinFlops.toExponential(2)}; total CPU ms: ` +
      `stock ${totalMs.stock.toFixed(1)}, best ${totalMs.best.toFixed(1)}, constant ${totalMs.constant.toFixed(1)}, ` +
      `fastest path of each ${totalMs.fastestEach.toFixed(1)}`,
  );
  return `${formatTable(header, rows)}\n${notes.join('\n')}`;
}

export function matmulCrossoverGroup(): BenchmarkGroup<CrossoverResult> {
  return {
    key: 'matmul',
    names: [NAME],
    async run() {
      const command = [process.execPath, '--import', 'tsx', 'bench/matmul-crossover-worker.ts'];
      const timings = await runWorker<ProductTiming[]>(command, CROSSOVER_MARKER, 'the matmul crossover worker');
      return { results: [summarise(timings)], errors: [] };
    },
    format: formatCrossover,
  };
}
