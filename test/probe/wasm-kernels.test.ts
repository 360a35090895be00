/**
 * The wasm training kernels (src/probe/wasm-kernels) checked against the cpu
 * backend: gradients of every layer type and loss the probe supports, computed
 * in child processes (one backend per process), must agree to a relative error
 * below 1e-5 per variable.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { registerWasmTrainingKernels, WASM_UNSUPPORTED_FOR_TRAINING } from '../../src/probe/wasm-kernels/index.js';
import { BROKEN_ON_WASM_CASES, GRADIENT_CASES, NEGATIVE_MAX_POOL_CASES } from './gradcheck/cases.js';
import { type Results, compareResults, maxErrorPerCase } from './gradcheck/relative-error.js';
import { runChild } from './gradcheck/run-child.js';

const TOLERANCE = 1e-5;
/** A kernel bug moves gradients by tens of percent; rounding moves them by 1e-7. */
const CLEARLY_WRONG = 1e-2;

interface TrainingRun {
  losses: number[];
  stepMs: number[];
}

let cpu: Results;
let wasm: Results;
let stockMaxPoolGrad: Results;
let training: TrainingRun;

beforeAll(async () => {
  // The four processes are independent; running them together keeps the file fast.
  [cpu, wasm, stockMaxPoolGrad, training] = await Promise.all([
    runChild<Results>('compute-gradients.ts', ['cpu']),
    runChild<Results>('compute-gradients.ts', ['wasm']),
    runChild<Results>('compute-gradients.ts', [
      'wasm',
      '--stock-max-pool-grad',
      `--only=${NEGATIVE_MAX_POOL_CASES.join(',')}`,
    ]),
    runChild<TrainingRun>('train-small-cnn.ts', ['wasm', '--steps=5', '--batch=32']),
  ]);
  // Four tfjs processes on two shared cores: each loads tfjs and wasm (~10 s alone, several times that under load).
}, 180_000);

describe('wasm gradients agree with the cpu backend', () => {
  it.each(GRADIENT_CASES.map((gradientCase) => gradientCase.name))('%s', (caseName) => {
    const errors = compareResults(wasm, { [caseName]: cpu[caseName] ?? {} });
    expect(errors.length).toBeGreaterThan(0);
    for (const { variable, error } of errors) {
      // A variable missing from the wasm results counts as an infinite error.
      expect(error, `${caseName} ${variable}`).toBeLessThan(TOLERANCE);
    }
  });

  it('prints the largest relative error per case', () => {
    const perCase = maxErrorPerCase(compareResults(wasm, cpu));
    const lines = [...perCase].map(([caseName, error]) => `${caseName.padEnd(52)} ${error.toExponential(2)}`);
    console.log(`max relative error per case (wasm vs cpu):\n${lines.join('\n')}`);
    expect(perCase.size).toBe(GRADIENT_CASES.length + BROKEN_ON_WASM_CASES.size);
  });
});

describe('the check detects wrong kernels', () => {
  it.each(NEGATIVE_MAX_POOL_CASES)(
    '%s: the stock wasm MaxPoolGrad differs from cpu when a window maximum is negative',
    (caseName) => {
      const errors = compareResults(stockMaxPoolGrad, { [caseName]: cpu[caseName] ?? {} });
      const worst = Math.max(...errors.map(({ error }) => error));
      expect(worst).toBeGreaterThan(CLEARLY_WRONG);
    },
  );

  it.each([...WASM_UNSUPPORTED_FOR_TRAINING.keys()])(
    '%s, listed as unsupported on wasm, still trains wrongly there',
    (layerClass) => {
      const caseName = BROKEN_ON_WASM_CASES.get(layerClass)?.name;
      expect(caseName, `no case in BROKEN_ON_WASM_CASES for ${layerClass}`).toBeDefined();
      const errors = compareResults(wasm, { [caseName ?? '']: cpu[caseName ?? ''] ?? {} });
      const worst = Math.max(...errors.map(({ error }) => error));
      // If this fails, tfjs fixed the kernel: drop the layer from WASM_UNSUPPORTED_FOR_TRAINING.
      expect(worst).toBeGreaterThan(CLEARLY_WRONG);
    },
  );
});

describe('training on wasm', () => {
  it('trains the small CNN (conv2d 8 3x3 relu, max pool, dense 10 softmax) for 5 steps with finite, decreasing loss', () => {
    const { losses } = training;
    expect(losses).toHaveLength(5);
    for (const loss of losses) {
      expect(Number.isFinite(loss)).toBe(true);
    }
    for (let step = 1; step < losses.length; ++step) {
      expect(losses[step]).toBeLessThan(losses[step - 1] ?? Number.NaN);
    }
  });
});

describe('registerWasmTrainingKernels', () => {
  const NAMES = [
    'Conv2DBackpropFilter',
    'MaxPoolGrad',
    'UnsortedSegmentSum',
    'DepthwiseConv2dNativeBackpropFilter',
    'DepthwiseConv2dNativeBackpropInput',
    'BatchMatMul',
  ];

  it('replaces the stock MaxPoolGrad and BatchMatMul, adds the missing kernels, and is idempotent (no re-registration warning)', () => {
    const stockMaxPoolGrad = tf.getKernel('MaxPoolGrad', 'wasm').kernelFunc;
    const stockBatchMatMul = tf.getKernel('BatchMatMul', 'wasm').kernelFunc;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      registerWasmTrainingKernels();
      const registered = NAMES.map((name) => tf.getKernel(name, 'wasm') as tf.KernelConfig | undefined);
      registerWasmTrainingKernels();
      const again = NAMES.map((name) => tf.getKernel(name, 'wasm')?.kernelFunc);

      expect(registered.every((config) => config !== undefined)).toBe(true);
      expect(again).toEqual(registered.map((config) => config?.kernelFunc));
      expect(tf.getKernel('MaxPoolGrad', 'wasm').kernelFunc).not.toBe(stockMaxPoolGrad);
      expect(tf.getKernel('BatchMatMul', 'wasm').kernelFunc).not.toBe(stockBatchMatMul);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});
