/**
 * The models of the training-speed benchmark (issue 14), shared by the tfjs worker, the PyTorch
 * script (as JSON) and the table; no tfjs here. Step FLOPs are 3× the forward pass (the forward
 * products, and the two backward products of each), the usual count.
 */

export type TrainingModel = { name: string; batch: number; steps: number } & (
  | { kind: 'mlp'; inputs: number; units: number[] }
  | { kind: 'cnn'; side: number; filters: [number, number]; classes: number }
  | { kind: 'lstm'; sequence: number; features: number; units: number; classes: number }
);

export const TRAINING_MODELS: readonly TrainingModel[] = [
  // The MNIST MLP of issue 14's public bug report; the acceptance: a step at >= 60% of the forward matMul rate.
  { name: 'mlp-784-5000-600-10-b2000', kind: 'mlp', inputs: 784, units: [5000, 600, 10], batch: 2000, steps: 2 },
  { name: 'mlp-784-784-50-10-b32', kind: 'mlp', inputs: 784, units: [784, 50, 10], batch: 32, steps: 40 },
  { name: 'cnn-28x28x1-conv32-conv64-b64', kind: 'cnn', side: 28, filters: [32, 64], classes: 10, batch: 64, steps: 4 },
  {
    name: 'lstm-seq50-64units-b32',
    kind: 'lstm',
    sequence: 50,
    features: 32,
    units: 64,
    classes: 10,
    batch: 32,
    steps: 4,
  },
];

/** Multiply-adds ×2 of one forward pass of the batch. */
export function forwardFlops(model: TrainingModel): number {
  const { batch } = model;
  if (model.kind === 'mlp') {
    const widths = [model.inputs, ...model.units];
    return 2 * batch * widths.slice(1).reduce((sum, width, i) => sum + widths[i]! * width, 0);
  }
  if (model.kind === 'cnn') {
    const [first, second] = model.filters;
    const side1 = model.side - 2;
    const side2 = side1 - 2;
    const pooled = Math.floor(side2 / 2);
    return (
      2 *
      batch *
      (side1 * side1 * 9 * first + side2 * side2 * 9 * first * second + pooled * pooled * second * model.classes)
    );
  }
  const gates = 4 * model.units;
  return 2 * batch * (model.sequence * (model.features + model.units) * gates + model.units * model.classes);
}

/** The model's largest forward product as one matMul [m, k]·[k, n] (a convolution as its im2col product). */
export function largestForwardProduct(model: TrainingModel): [number, number, number] {
  if (model.kind === 'mlp') return [model.batch, model.inputs, model.units[0]!];
  if (model.kind === 'cnn') {
    const side2 = model.side - 4;
    return [model.batch * side2 * side2, 9 * model.filters[0], model.filters[1]];
  }
  return [model.batch, model.features + model.units, 4 * model.units];
}

export const TFJS_MARKER = 'TRAINING_SPEED_RESULT ';
export const TORCH_MARKER = 'TORCH_RESULT ';

/** Seconds per training step, in wall and process CPU time. */
interface StepSeconds {
  wallSecondsPerStep: number;
  cpuSecondsPerStep: number;
}

export interface TfjsModelTiming extends StepSeconds {
  /** tf.matMul of largestForwardProduct, GFLOP/s of CPU time. */
  forwardMatMulGflops: number;
}

export interface TfjsReport {
  backend: string;
  models: Record<string, TfjsModelTiming>;
}

export interface TorchReport {
  numpyMatmulGflops: number;
  torch: { version: string; models: Record<string, Record<'1' | '2', StepSeconds>> } | null;
  torchMissing?: string;
}
