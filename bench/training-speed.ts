/**
 * Training-step speed (issue 14): for each model of training-speed-types.ts, convdoc's wasm step
 * (with its kernels) in steps/s and GFLOP/s against the forward matMul rate of the same backend at
 * the model's largest product, against Debian's PyTorch with 1 and 2 threads, and against numpy's
 * matmul (the machine's ceiling), all in the same run: the machine is shared and noisy, so only the
 * ratios within one run mean much. Single-threaded figures use process CPU time (other processes
 * hardly move it); PyTorch with 2 threads and numpy use wall time (CPU time would count both cores).
 *
 * Acceptance: the 784-5000-600-10 batch-2000 MLP's step at >= 60% of the forward matMul rate.
 */
import type { BenchmarkGroup, GroupEntry } from './benchmark.js';
import { runWorker } from './run-worker.js';
import { formatTable } from './table.js';
import {
  TFJS_MARKER,
  TORCH_MARKER,
  TRAINING_MODELS,
  forwardFlops,
  type TfjsReport,
  type TorchReport,
} from './training-speed-types.js';

const ACCEPTANCE_MODEL = 'mlp-784-5000-600-10-b2000';
const MIN_STEP_TO_FORWARD_RATE = 0.6;
const PYTHON = '/usr/bin/python3';

export interface TrainingSpeedResult extends GroupEntry {
  backend: string;
  stepsPerSecond: number;
  /** 3 × forward FLOPs per step over CPU seconds per step. */
  stepGflops: number;
  forwardMatMulGflops: number;
  stepToForwardRate: number;
  wallSecondsPerStep: number;
  cpuSecondsPerStep: number;
  /** PyTorch seconds per step: 1 thread in CPU time, 2 threads in wall time; null without torch. */
  torch: { version: string; oneThreadSeconds: number; twoThreadsSeconds: number } | null;
  /** convdoc's step time over PyTorch's (below 1: convdoc is faster). */
  versusTorch: { oneThread: number; twoThreads: number } | null;
  numpyMatmulGflops: number;
  stepToNumpyRate: number;
}

function results(tfjs: TfjsReport, torch: TorchReport): TrainingSpeedResult[] {
  return TRAINING_MODELS.map((model) => {
    const timing = tfjs.models[model.name]!;
    const stepGflops = (3 * forwardFlops(model)) / timing.cpuSecondsPerStep / 1e9;
    const stepToForwardRate = stepGflops / timing.forwardMatMulGflops;
    const ours = torch.torch?.models[model.name];
    const torchTimes =
      ours === undefined
        ? null
        : { oneThreadSeconds: ours['1'].cpuSecondsPerStep, twoThreadsSeconds: ours['2'].wallSecondsPerStep };
    const failures =
      model.name === ACCEPTANCE_MODEL && stepToForwardRate < MIN_STEP_TO_FORWARD_RATE
        ? [`step at ${(100 * stepToForwardRate).toFixed(0)}% of the forward matMul rate (acceptance: >= 60%)`]
        : [];
    return {
      name: model.name,
      failures,
      backend: tfjs.backend,
      stepsPerSecond: 1 / timing.cpuSecondsPerStep,
      stepGflops,
      forwardMatMulGflops: timing.forwardMatMulGflops,
      stepToForwardRate,
      wallSecondsPerStep: timing.wallSecondsPerStep,
      cpuSecondsPerStep: timing.cpuSecondsPerStep,
      torch: torchTimes === null ? null : { version: torch.torch!.version, ...torchTimes },
      versusTorch:
        torchTimes === null
          ? null
          : {
              oneThread: timing.cpuSecondsPerStep / torchTimes.oneThreadSeconds,
              twoThreads: timing.cpuSecondsPerStep / torchTimes.twoThreadsSeconds,
            },
      numpyMatmulGflops: torch.numpyMatmulGflops,
      stepToNumpyRate: stepGflops / torch.numpyMatmulGflops,
    };
  });
}

function formatTrainingSpeed(rows: readonly TrainingSpeedResult[]): string {
  const ratio = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(2));
  const table = formatTable(
    [
      'model',
      'steps/s',
      'step GFLOP/s',
      'fwd matMul GFLOP/s',
      'step/fwd',
      'torch×1 s',
      'torch×2 s',
      'ours/torch×1',
      'ours/torch×2',
      'step/numpy',
    ],
    rows.map((row) => [
      row.name,
      row.stepsPerSecond.toPrecision(3),
      row.stepGflops.toFixed(1),
      row.forwardMatMulGflops.toFixed(1),
      `${(100 * row.stepToForwardRate).toFixed(0)}%`,
      row.torch === null ? '-' : row.torch.oneThreadSeconds.toPrecision(3),
      row.torch === null ? '-' : row.torch.twoThreadsSeconds.toPrecision(3),
      ratio(row.versusTorch?.oneThread),
      ratio(row.versusTorch?.twoThreads),
      `${(100 * row.stepToNumpyRate).toFixed(0)}%`,
    ]),
  );
  const first = rows[0];
  const notes = [
    `convdoc on ${first?.backend ?? '?'}, CPU time; numpy float32 2000x784·784x5000: ${first?.numpyMatmulGflops.toFixed(1) ?? '?'} GFLOP/s (wall)`,
    first?.torch === null
      ? 'PyTorch missing: apt-get install -y python3-torch'
      : `PyTorch ${first?.torch.version ?? ''}`,
  ];
  return `${table}\n${notes.join('\n')}`;
}

export function trainingSpeedGroup(): BenchmarkGroup<TrainingSpeedResult> {
  return {
    key: 'training',
    names: TRAINING_MODELS.map((model) => model.name),
    async run(names) {
      const tfjsCommand = [process.execPath, '--import', 'tsx', 'bench/training-speed-worker.ts'];
      const tfjs = await runWorker<TfjsReport>(tfjsCommand, TFJS_MARKER, 'the tfjs training-speed worker');
      // After the tfjs worker, not beside it: both would compete for the two cores.
      const torchCommand = [PYTHON, 'bench/training-speed-torch.py', JSON.stringify(TRAINING_MODELS)];
      const torch = await runWorker<TorchReport>(torchCommand, TORCH_MARKER, 'the PyTorch training-speed script');
      return { results: results(tfjs, torch).filter((row) => names.includes(row.name)), errors: [] };
    },
    format: formatTrainingSpeed,
  };
}
