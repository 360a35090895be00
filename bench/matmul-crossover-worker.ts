/**
 * Times each path of the wasm BatchMatMul (src/probe/wasm-kernels/batch-mat-mul.ts: stock,
 * transposed operands, transposed product, direct) on the transposed products of dense layers' backward
 * passes, and prints one JSON line (after RESULT_MARKER) for matmul-crossover.ts.
 * Usage: `node --import tsx bench/matmul-crossover-worker.ts`.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { type ProductPlan, productSizes, runPlan } from '../src/probe/wasm-kernels/batch-mat-mul.js';
import { registerWasmTrainingKernels } from '../src/probe/wasm-kernels/index.js';
import type { BackendWasm } from '../src/probe/wasm-kernels/wasm-backend.js';
import { CROSSOVER_MARKER, type ProductTiming } from './matmul-crossover-types.js';

/** Batch sizes and layer widths of the products timed: dense layers from tiny to the MNIST MLP. */
const BATCHES = [8, 32, 128];
const WIDTHS = [16, 64, 200, 784, 1024];
/** Enough repetitions for ~30 ms of CPU per round, far above the clock's resolution (µs) and a page fault. */
const TARGET_SECONDS = 0.03;
const ROUNDS = 3;

type Product = (a: tf.TensorInfo, b: tf.TensorInfo) => tf.TensorInfo;
const PLANS: readonly ProductPlan[] = ['stock', 'operands', 'product', 'direct'];

/**
 * Median over ROUNDS of the process CPU milliseconds per product, each round `reps` products. CPU
 * time, not wall time: the machine is shared, and wasm runs on this one thread.
 */
function cpuMsPerProduct(product: Product, a: tf.Tensor, b: tf.Tensor, backend: BackendWasm, reps: number): number {
  const rounds: number[] = [];
  for (let round = 0; round < ROUNDS; ++round) {
    const start = process.cpuUsage();
    for (let rep = 0; rep < reps; ++rep) backend.disposeData(product(a, b).dataId);
    const { user, system } = process.cpuUsage(start);
    rounds.push((user + system) / 1000 / reps);
  }
  rounds.sort((x, y) => x - y);
  return rounds[Math.floor(rounds.length / 2)] ?? Number.NaN;
}

function timeProduct(kind: 'NT' | 'TN', m: number, k: number, n: number): ProductTiming {
  const backend = tf.backend() as BackendWasm;
  const attrs = { transposeA: kind === 'TN', transposeB: kind === 'NT' };
  const a = tf.randomUniform(attrs.transposeA ? [k, m] : [m, k]);
  const b = tf.randomUniform(attrs.transposeB ? [n, k] : [k, n]);
  const sizes = productSizes(a.shape, b.shape, attrs);
  const via =
    (plan: ProductPlan): Product =>
    (x, y) =>
      runPlan(plan, { a: x, b: y, attrs, sizes, backend });
  // One call per path first: the first calls allocate and create XNNPACK operators. Then size the repetitions.
  const warm = Math.max(...PLANS.map((plan) => cpuMsPerProduct(via(plan), a, b, backend, 1)), 0.01);
  const reps = Math.max(1, Math.min(500, Math.round((TARGET_SECONDS * 1000) / warm)));
  const ms = {
    stock: cpuMsPerProduct(via('stock'), a, b, backend, reps),
    operands: cpuMsPerProduct(via('operands'), a, b, backend, reps),
    product: cpuMsPerProduct(via('product'), a, b, backend, reps),
    direct: cpuMsPerProduct(via('direct'), a, b, backend, reps),
  };
  tf.dispose([a, b]);
  return { kind, m, k, n, flops: 2 * m * k * n, ms };
}

async function main(): Promise<void> {
  tf.env().set('PROD', true);
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
  await tf.ready();
  const timings: ProductTiming[] = [];
  for (const batch of BATCHES)
    for (const input of WIDTHS)
      for (const output of WIDTHS) {
        // A dense layer input→output at this batch: dX = dY·Wᵀ and dW = Xᵀ·dY.
        timings.push(timeProduct('NT', batch, output, input));
        timings.push(timeProduct('TN', input, batch, output));
      }
  console.log(`${CROSSOVER_MARKER}${JSON.stringify(timings)}`);
}

await main();
