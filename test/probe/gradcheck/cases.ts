/**
 * The gradient-check cases: one per layer type and loss the probe supports,
 * plus kernel-level cases for attributes tfjs-layers never produces.
 *
 * Every case is deterministic (seeded weights and inputs), so the cpu and
 * the wasm child processes compute gradients of exactly the same function.
 */
import * as tf from '@tensorflow/tfjs';
import type { LossName } from '../../../src/config/losses.js';
import {
  type Loss,
  binaryCrossentropy,
  categoricalCrossentropy,
  huber,
  meanAbsoluteError,
  meanSquaredError,
  probeLoss,
  weightedSum,
} from './losses.js';
import {
  binaryLabels,
  idsTensor,
  oneHotLabels,
  quantizedTensor,
  seedFor,
  setSeededWeights,
  uniformTensor,
} from './seeded.js';

/** Named arrays the case produces: gradients per variable, or a kernel's output. */
export type CaseResult = Record<string, number[]>;

export interface GradientCase {
  name: string;
  run(): CaseResult;
}

interface LayerCaseSpec {
  name: string;
  layers: () => tf.layers.Layer[];
  input: (seed: number) => tf.Tensor;
  target: (seed: number) => tf.Tensor;
  loss: Loss;
  /** Passed to model.apply: true for batch normalization in training mode. */
  training?: boolean;
  /** Also check d(loss)/d(input); false when the input is integer ids. */
  inputGradient?: boolean;
}

const BATCH = 4;

/**
 * A tfjs-layers model with seeded weights; the result holds the gradient of
 * the loss for every trainable weight (keyed `<layer index>.<class>.<weight>`)
 * and, unless disabled, for the input batch (key `input`).
 */
function layerCase(spec: LayerCaseSpec): GradientCase {
  return {
    name: spec.name,
    run: () =>
      tf.tidy(() => {
        const seed = seedFor(spec.name);
        const model = tf.sequential({ layers: spec.layers() });
        setSeededWeights(model, seed);
        const x = spec.input(seed + 1);
        const yTrue = spec.target(seed + 2);
        const named = trainableVariables(model);
        const inputVariable = spec.inputGradient === false ? null : tf.variable(x, true, `${spec.name}/input`);
        if (inputVariable !== null) named.push(['input', inputVariable]);
        const input = inputVariable ?? x;
        const { grads } = tf.variableGrads(
          () => spec.loss(yTrue, model.apply(input, { training: spec.training ?? false }) as tf.Tensor),
          named.map(([, variable]) => variable),
        );
        const result: CaseResult = {};
        for (const [key, variable] of named) {
          result[key] = Array.from(requireGradient(grads, variable).dataSync());
        }
        model.dispose();
        if (input instanceof tf.Variable) {
          input.dispose();
        }
        return result;
      }),
  };
}

function trainableVariables(model: tf.Sequential): Array<[string, tf.Variable]> {
  const named: Array<[string, tf.Variable]> = [];
  model.layers.forEach((layer, index) => {
    for (const weight of layer.trainableWeights) {
      const role = weight.originalName.split('/').pop() ?? weight.originalName;
      // LayerVariable.read() returns the underlying tf.Variable.
      named.push([`${index}.${layer.getClassName()}.${role}`, weight.read() as tf.Variable]);
    }
  });
  return named;
}

function requireGradient(grads: tf.NamedTensorMap, variable: tf.Variable): tf.Tensor {
  const gradient = grads[variable.name];
  if (gradient === undefined) {
    throw new Error(`no gradient for variable ${variable.name}`);
  }
  return gradient;
}

/** A case that runs one kernel directly, for attributes tfjs-layers never produces. */
function kernelCase(name: string, compute: (seed: number) => CaseResult): GradientCase {
  return { name, run: () => tf.tidy(() => compute(seedFor(name))) };
}

const uniform = (shape: number[]) => (seed: number) => uniformTensor(shape, seed);
const regressionTarget =
  (shape: number[], scale = 1) =>
  (seed: number) =>
    uniformTensor(shape, seed, -scale, scale);
const classes = (count: number) => (seed: number) => oneHotLabels(BATCH, count, seed);

const DENSE_CASES: GradientCase[] = [
  layerCase({
    name: 'dense_relu_mse',
    layers: () => [tf.layers.dense({ units: 8, activation: 'relu', inputShape: [5] }), tf.layers.dense({ units: 3 })],
    input: uniform([BATCH, 5]),
    target: regressionTarget([BATCH, 3]),
    loss: meanSquaredError,
  }),
  layerCase({
    name: 'dense_sigmoid_binary_crossentropy',
    layers: () => [
      tf.layers.dense({ units: 6, activation: 'relu', inputShape: [5] }),
      tf.layers.dense({ units: 1, activation: 'sigmoid' }),
    ],
    input: uniform([BATCH, 5]),
    target: (seed) => binaryLabels([BATCH, 1], seed),
    loss: binaryCrossentropy,
  }),
  layerCase({
    name: 'dense_tanh_mae',
    layers: () => [tf.layers.dense({ units: 6, activation: 'tanh', inputShape: [5] }), tf.layers.dense({ units: 2 })],
    input: uniform([BATCH, 5]),
    target: regressionTarget([BATCH, 2]),
    loss: meanAbsoluteError,
  }),
  layerCase({
    name: 'dense_softmax_categorical_crossentropy',
    layers: () => [
      tf.layers.dense({ units: 6, activation: 'relu', inputShape: [5] }),
      tf.layers.dense({ units: 4, activation: 'softmax' }),
    ],
    input: uniform([BATCH, 5]),
    target: classes(4),
    loss: categoricalCrossentropy,
  }),
  layerCase({
    name: 'dense_sigmoid_huber',
    // Targets up to +-3 put some errors past delta=1, so both branches of the huber loss are used.
    layers: () => [
      tf.layers.dense({ units: 6, activation: 'sigmoid', inputShape: [5] }),
      tf.layers.dense({ units: 2 }),
    ],
    input: uniform([BATCH, 5]),
    target: regressionTarget([BATCH, 2], 3),
    loss: huber,
  }),
  layerCase({
    name: 'leaky_relu',
    layers: () => [
      tf.layers.dense({ units: 6, inputShape: [5] }),
      tf.layers.leakyReLU({ alpha: 0.2 }),
      tf.layers.dense({ units: 2 }),
    ],
    input: uniform([BATCH, 5]),
    target: regressionTarget([BATCH, 2]),
    loss: meanSquaredError,
  }),
  layerCase({
    name: 'dropout_inference',
    // Dropout is random when training; in inference mode it is the identity on both backends.
    layers: () => [
      tf.layers.dense({ units: 8, activation: 'relu', inputShape: [5] }),
      tf.layers.dropout({ rate: 0.5 }),
      tf.layers.dense({ units: 2 }),
    ],
    input: uniform([BATCH, 5]),
    target: regressionTarget([BATCH, 2]),
    loss: meanSquaredError,
  }),
  layerCase({
    name: 'batch_normalization_dense_training',
    // No bias before batch norm: in training mode its gradient is exactly zero in exact arithmetic,
    // so both backends return float32 rounding noise (~1e-9) that no relative error can compare.
    layers: () => [
      tf.layers.dense({ units: 6, useBias: false, inputShape: [5] }),
      tf.layers.batchNormalization(),
      tf.layers.activation({ activation: 'relu' }),
      tf.layers.dense({ units: 2 }),
    ],
    input: uniform([BATCH, 5]),
    target: regressionTarget([BATCH, 2]),
    loss: meanSquaredError,
    training: true,
  }),
  layerCase({
    name: 'flatten',
    layers: () => [tf.layers.flatten({ inputShape: [3, 4, 2] }), tf.layers.dense({ units: 2 })],
    input: uniform([BATCH, 3, 4, 2]),
    target: regressionTarget([BATCH, 2]),
    loss: meanSquaredError,
  }),
];

/** conv2d(filters, kernel, stride, padding) -> flatten -> dense(2), MSE. */
function conv2dCase(
  name: string,
  inputShape: [number, number, number],
  conv: {
    filters: number;
    kernelSize: number | [number, number];
    strides: number | [number, number];
    padding: 'valid' | 'same';
    activation?: 'relu' | 'linear';
  },
): GradientCase {
  return layerCase({
    name,
    layers: () => [
      tf.layers.conv2d({ ...conv, activation: conv.activation ?? 'relu', inputShape }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2 }),
    ],
    input: uniform([BATCH, ...inputShape]),
    target: regressionTarget([BATCH, 2]),
    loss: meanSquaredError,
  });
}

const CONV_CASES: GradientCase[] = [
  conv2dCase('conv2d_valid_stride1', [7, 7, 2], { filters: 4, kernelSize: 3, strides: 1, padding: 'valid' }),
  conv2dCase('conv2d_same_stride1', [7, 7, 2], { filters: 4, kernelSize: 3, strides: 1, padding: 'same' }),
  // 8 rows, kernel 3, stride 2, valid: the last input row is never read (the kernel must crop).
  conv2dCase('conv2d_valid_stride2', [8, 8, 2], { filters: 4, kernelSize: 3, strides: 2, padding: 'valid' }),
  // 8 rows, kernel 3, stride 2, same: padding is asymmetric (0 before, 1 after).
  conv2dCase('conv2d_same_stride2', [8, 8, 2], { filters: 4, kernelSize: 3, strides: 2, padding: 'same' }),
  conv2dCase('conv2d_rect_kernel_stride2x1_same', [7, 6, 3], {
    filters: 3,
    kernelSize: [3, 2],
    strides: [2, 1],
    padding: 'same',
    activation: 'linear',
  }),
  layerCase({
    name: 'conv1d_valid_stride1',
    layers: () => [
      tf.layers.conv1d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [10, 3] }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2 }),
    ],
    input: uniform([BATCH, 10, 3]),
    target: regressionTarget([BATCH, 2]),
    loss: meanSquaredError,
  }),
  layerCase({
    name: 'conv1d_same_stride2',
    layers: () => [
      tf.layers.conv1d({
        filters: 4,
        kernelSize: 4,
        strides: 2,
        padding: 'same',
        activation: 'tanh',
        inputShape: [11, 3],
      }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2 }),
    ],
    input: uniform([BATCH, 11, 3]),
    target: regressionTarget([BATCH, 2]),
    loss: meanSquaredError,
  }),
  layerCase({
    name: 'conv2d_transpose',
    layers: () => [
      tf.layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, padding: 'same', inputShape: [4, 4, 2] }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2 }),
    ],
    input: uniform([BATCH, 4, 4, 2]),
    target: regressionTarget([BATCH, 2]),
    loss: meanSquaredError,
  }),
  layerCase({
    name: 'batch_normalization_conv_training',
    // No bias before batch norm (see batch_normalization_dense_training).
    layers: () => [
      tf.layers.conv2d({ filters: 3, kernelSize: 3, useBias: false, inputShape: [6, 6, 2] }),
      tf.layers.batchNormalization(),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2 }),
    ],
    input: uniform([BATCH, 6, 6, 2]),
    target: regressionTarget([BATCH, 2]),
    loss: meanSquaredError,
    training: true,
  }),
  layerCase({
    name: 'depthwise_conv2d',
    layers: () => [
      tf.layers.depthwiseConv2d({
        kernelSize: 3,
        depthMultiplier: 2,
        strides: 2,
        padding: 'same',
        inputShape: [8, 7, 3],
      }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2 }),
    ],
    input: uniform([BATCH, 8, 7, 3]),
    target: regressionTarget([BATCH, 2]),
    loss: meanSquaredError,
  }),
  layerCase({
    name: 'separable_conv2d',
    layers: () => [
      tf.layers.separableConv2d({
        filters: 4,
        kernelSize: 3,
        depthMultiplier: 1,
        activation: 'relu',
        inputShape: [7, 7, 3],
      }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2 }),
    ],
    input: uniform([BATCH, 7, 7, 3]),
    target: regressionTarget([BATCH, 2]),
    loss: meanSquaredError,
  }),
];

/** The probe's small CNN at a realistic size, where float32 rounding in long sums shows. */
export function smallCnnLayers(): tf.layers.Layer[] {
  return [
    tf.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ];
}

const POOLING_CASES: GradientCase[] = [
  layerCase({
    // The input gradient here IS the MaxPoolGrad output. Quantised negative inputs give windows whose
    // maximum is negative and windows with tied maxima (the first one must win, as on cpu).
    name: 'max_pooling_negative_maxima',
    layers: () => [
      tf.layers.maxPooling2d({ poolSize: 2, inputShape: [6, 6, 2] }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3 }),
    ],
    input: (seed) => quantizedTensor([BATCH, 6, 6, 2], seed, 0.1),
    target: regressionTarget([BATCH, 3]),
    loss: meanSquaredError,
  }),
  layerCase({
    // Overlapping 3x3 windows with stride 2 and 'same' padding: an element can be the maximum of
    // several windows (its gradients add up) and border windows are partly padding.
    name: 'max_pooling_same_overlapping',
    layers: () => [
      tf.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same', inputShape: [7, 6, 2] }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3 }),
    ],
    input: (seed) => quantizedTensor([BATCH, 7, 6, 2], seed, 0.3),
    target: regressionTarget([BATCH, 3]),
    loss: meanSquaredError,
  }),
  layerCase({
    // ReLU zeros before the pool: windows of tied zeros.
    name: 'conv2d_relu_max_pooling',
    layers: () => [
      tf.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 1] }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
    input: uniform([BATCH, 8, 8, 1]),
    target: classes(3),
    loss: categoricalCrossentropy,
  }),
  layerCase({
    name: 'average_pooling_valid',
    layers: () => [
      tf.layers.conv2d({ filters: 3, kernelSize: 3, inputShape: [8, 8, 2] }),
      tf.layers.averagePooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2 }),
    ],
    input: uniform([BATCH, 8, 8, 2]),
    target: regressionTarget([BATCH, 2]),
    loss: meanSquaredError,
  }),
  layerCase({
    name: 'average_pooling_same_overlapping',
    layers: () => [
      tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same', inputShape: [7, 6, 2] }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2 }),
    ],
    input: uniform([BATCH, 7, 6, 2]),
    target: regressionTarget([BATCH, 2]),
    loss: meanSquaredError,
  }),
  layerCase({
    name: 'global_average_pooling',
    layers: () => [
      tf.layers.conv2d({ filters: 5, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 2] }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 3, activation: 'softmax' }),
    ],
    input: uniform([BATCH, 6, 6, 2]),
    target: classes(3),
    loss: categoricalCrossentropy,
  }),
  layerCase({
    name: 'small_cnn_batch32',
    layers: smallCnnLayers,
    input: (seed) => uniformTensor([32, 28, 28, 1], seed, 0, 1),
    target: (seed) => oneHotLabels(32, 10, seed),
    loss: categoricalCrossentropy,
  }),
];

const SEQUENCE_CASES: GradientCase[] = [
  layerCase({
    // Ids repeat within and across rows, so embedding rows receive several gradients (UnsortedSegmentSum).
    name: 'embedding',
    layers: () => [
      tf.layers.embedding({ inputDim: 10, outputDim: 4, inputLength: 6 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2 }),
    ],
    input: (seed) => idsTensor([BATCH, 6], seed, 10),
    target: regressionTarget([BATCH, 2]),
    loss: meanSquaredError,
    inputGradient: false,
  }),
  layerCase({
    name: 'simple_rnn',
    layers: () => [tf.layers.simpleRNN({ units: 5, inputShape: [4, 3] }), tf.layers.dense({ units: 2 })],
    input: uniform([BATCH, 4, 3]),
    target: regressionTarget([BATCH, 2]),
    loss: meanSquaredError,
  }),
  layerCase({
    name: 'lstm',
    layers: () => [tf.layers.lstm({ units: 5, inputShape: [4, 3] }), tf.layers.dense({ units: 2 })],
    input: uniform([BATCH, 4, 3]),
    target: regressionTarget([BATCH, 2]),
    loss: meanSquaredError,
  }),
  layerCase({
    name: 'gru',
    layers: () => [tf.layers.gru({ units: 5, inputShape: [4, 3] }), tf.layers.dense({ units: 2 })],
    input: uniform([BATCH, 4, 3]),
    target: regressionTarget([BATCH, 2]),
    loss: meanSquaredError,
  }),
];

/** Conv2DBackpropFilter run directly on x and dy, for paddings tfjs-layers never uses. */
function conv2dBackpropFilterCase(
  name: string,
  xShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  attrs: {
    strides: [number, number];
    pad: number | tf.backend_util.ExplicitPadding;
    dimRoundingMode?: 'floor' | 'round' | 'ceil';
  },
): GradientCase {
  return kernelCase(name, (seed) => {
    const info = tf.backend_util.computeConv2DInfo(
      xShape,
      filterShape,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      'channelsLast',
    );
    const x = uniformTensor(xShape, seed);
    const dy = uniformTensor(info.outShape, seed + 1);
    const dW = tf.engine().runKernel<tf.Tensor>(
      'Conv2DBackpropFilter',
      { x, dy },
      {
        ...attrs,
        dataFormat: 'NHWC',
        filterShape,
      },
    );
    return { dW: Array.from(dW.dataSync()) };
  });
}

const KERNEL_CASES: GradientCase[] = [
  // 48x48 outputs per sample exceed the kernel's longest single sum: one sample per chunk, float64 total.
  conv2dBackpropFilterCase('kernel_conv2d_backprop_filter_one_sample_per_chunk', [3, 48, 48, 2], [3, 3, 2, 2], {
    strides: [1, 1],
    pad: [
      [0, 0],
      [1, 1],
      [1, 1],
      [0, 0],
    ],
  }),
  // Numeric pad with 'ceil' rounding: the last output row reads past the padded input.
  conv2dBackpropFilterCase('kernel_conv2d_backprop_filter_ceil', [2, 6, 6, 3], [3, 3, 3, 5], {
    strides: [2, 2],
    pad: 1,
    dimRoundingMode: 'ceil',
  }),
  conv2dBackpropFilterCase('kernel_conv2d_backprop_filter_explicit_pad', [2, 7, 8, 2], [3, 2, 2, 3], {
    strides: [2, 3],
    pad: [
      [0, 0],
      [2, 0],
      [1, 3],
      [0, 0],
    ],
  }),
  kernelCase('kernel_unsorted_segment_sum_out_of_range_ids', (seed) => {
    const x = uniformTensor([7, 3], seed);
    const ids = tf.tensor1d([2, 0, 2, -1, 5, 4, 0], 'int32');
    const sums = tf.unsortedSegmentSum(x, ids, 5);
    return { sums: Array.from(sums.dataSync()) };
  }),
  kernelCase('kernel_max_pool_grad_weighted', (seed) => {
    // Through tf.grad with a non-uniform dy, so every routed value is distinguishable.
    const x = quantizedTensor([2, 5, 5, 3], seed, 0.2);
    const loss = weightedSum(uniformTensor([2, 3, 3, 3], seed + 1));
    const dx = tf.grad((input: tf.Tensor) => loss(tf.maxPool(input as tf.Tensor4D, 3, 2, 'same')))(x);
    return { dx: Array.from(dx.dataSync()) };
  }),
];

/**
 * d(weighted sum of op(A)·op(B))/dA and /dB (unless B is broadcast), and the product itself, for products large enough
 * (over MATERIALISED_MIN_FLOPS) that the wasm BatchMatMul takes its materialised paths.
 */
function matMulCase(
  name: string,
  aShape: number[],
  bShape: number[],
  transposeA: boolean,
  transposeB: boolean,
): GradientCase {
  return kernelCase(name, (seed) => {
    const a = uniformTensor(aShape, seed);
    const b = uniformTensor(bShape, seed + 1);
    const product = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, transposeA, transposeB);
    const out = product(a, b);
    const loss = weightedSum(uniformTensor(out.shape, seed + 2));
    const result: CaseResult = { product: Array.from(out.dataSync()) };
    result.dA = Array.from(
      tf
        .grad((x: tf.Tensor) => loss(product(x, b)))(a)
        .dataSync(),
    );
    // tfjs-core's BatchMatMul gradient does not sum over broadcast dimensions: no dB for a broadcast B.
    if (bShape.slice(0, -2).join() === out.shape.slice(0, -2).join())
      result.dB = Array.from(
        tf
          .grad((y: tf.Tensor) => loss(product(a, y)))(b)
          .dataSync(),
      );
    return result;
  });
}

const MATMUL_CASES: GradientCase[] = [
  layerCase({
    // Batch 32, 64→128→10: the backward products (dY·Wᵀ, Xᵀ·dY) are big enough to be materialised.
    name: 'dense_mlp_batch32_materialised_transposes',
    layers: () => [
      tf.layers.dense({ units: 128, activation: 'relu', inputShape: [64] }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
    input: uniform([32, 64]),
    target: (seed) => oneHotLabels(32, 10, seed),
    loss: categoricalCrossentropy,
  }),
  // A·Bᵀ with few rows: the transposed-product path, (B·Aᵀ)ᵀ.
  matMulCase('kernel_batch_mat_mul_transpose_b_few_rows', [4, 300], [200, 300], false, true),
  // Aᵀ·B: the transposed-operands path.
  matMulCase('kernel_batch_mat_mul_transpose_a', [100, 60], [100, 70], true, false),
  matMulCase('kernel_batch_mat_mul_transpose_both', [50, 40], [30, 50], true, true),
  // A·B with a right operand much wider than A is tall (X·W in a training step): computed as (Bᵀ·Aᵀ)ᵀ.
  matMulCase('kernel_batch_mat_mul_wide_right', [8, 100], [100, 400], false, false),
  // A batched left operand times a shared right one: flattened to one 2-D product.
  matMulCase('kernel_batch_mat_mul_batched_left', [2, 3, 20, 40], [40, 50], false, false),
  matMulCase('kernel_batch_mat_mul_batched_left_transposed_broadcast', [3, 40, 20], [1, 50, 40], true, true),
  // The direct SIMD product: a transposed left operand too big to read in place (written out first), a batched left one.
  matMulCase('kernel_batch_mat_mul_direct_large_transposed_left', [128, 640], [128, 64], true, false),
  matMulCase('kernel_batch_mat_mul_direct_batched_left', [2, 8, 20, 40], [40, 64], false, false),
  // Both batched: the stock kernel, kept.
  matMulCase('kernel_batch_mat_mul_both_batched', [3, 20, 40], [3, 50, 40], false, true),
];

/**
 * Every loss the probe supports, on a small dense model whose output suits it: probabilities for
 * the cross-entropies and hinges, positive values where the loss takes logarithms.
 */
type LossOutput = { activation: string; target: (seed: number) => tf.Tensor };
const PROBABILITY: LossOutput = { activation: 'softmax', target: classes(3) };
const BINARY: LossOutput = { activation: 'sigmoid', target: (seed) => binaryLabels([BATCH, 3], seed) };
const POSITIVE: LossOutput = { activation: 'softplus', target: (seed) => uniformTensor([BATCH, 3], seed, 0.5, 2) };
const REAL: LossOutput = { activation: 'linear', target: regressionTarget([BATCH, 3], 3) };
const OUTPUT_OF_LOSS: Record<LossName, LossOutput> = {
  meanSquaredError: REAL,
  meanAbsoluteError: REAL,
  meanAbsolutePercentageError: POSITIVE,
  meanSquaredLogarithmicError: POSITIVE,
  huber: REAL,
  logCosh: REAL,
  binaryCrossentropy: BINARY,
  categoricalCrossentropy: PROBABILITY,
  sparseCategoricalCrossentropy: PROBABILITY,
  hinge: BINARY,
  squaredHinge: BINARY,
  categoricalHinge: PROBABILITY,
  kullbackLeiblerDivergence: PROBABILITY,
  poisson: POSITIVE,
  cosineProximity: REAL,
};
const LOSS_CASES: GradientCase[] = Object.entries(OUTPUT_OF_LOSS).map(([loss, output]) =>
  layerCase({
    name: `loss_${loss}`,
    layers: () => [
      tf.layers.dense({ units: 6, activation: 'tanh', inputShape: [5] }),
      tf.layers.dense({ units: 3, activation: output.activation as never }),
    ],
    input: uniform([BATCH, 5]),
    target: output.target,
    loss: probeLoss(loss as LossName),
  }),
);

export const GRADIENT_CASES: readonly GradientCase[] = [
  ...DENSE_CASES,
  ...LOSS_CASES,
  ...CONV_CASES,
  ...POOLING_CASES,
  ...SEQUENCE_CASES,
  ...KERNEL_CASES,
  ...MATMUL_CASES,
];

/**
 * One case per layer of WASM_UNSUPPORTED_FOR_TRAINING (keyed by its class
 * name), built so that the stock wasm kernel's bug shows: these are expected
 * to DIFFER between cpu and wasm.
 */
export const BROKEN_ON_WASM_CASES: ReadonlyMap<string, GradientCase> = new Map([
  [
    'MaxPooling3D',
    layerCase({
      name: 'broken_on_wasm_max_pooling3d',
      layers: () => [
        tf.layers.maxPooling3d({ poolSize: 2, inputShape: [4, 4, 4, 2] }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2 }),
      ],
      input: (seed) => quantizedTensor([BATCH, 4, 4, 4, 2], seed, 0.1),
      target: regressionTarget([BATCH, 2]),
      loss: meanSquaredError,
    }),
  ],
  [
    'Conv3D',
    layerCase({
      name: 'broken_on_wasm_conv3d',
      layers: () => [
        tf.layers.conv3d({ filters: 3, kernelSize: 2, strides: 2, inputShape: [5, 5, 5, 2] }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2 }),
      ],
      input: uniform([BATCH, 5, 5, 5, 2]),
      target: regressionTarget([BATCH, 2]),
      loss: meanSquaredError,
    }),
  ],
  [
    'UpSampling2D',
    layerCase({
      name: 'broken_on_wasm_up_sampling2d',
      layers: () => [
        tf.layers.upSampling2d({ size: [2, 2], inputShape: [3, 3, 2] }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2 }),
      ],
      input: uniform([BATCH, 3, 3, 2]),
      target: regressionTarget([BATCH, 2]),
      loss: meanSquaredError,
    }),
  ],
]);

/** Cases whose results depend on MaxPoolGrad with a negative window maximum. */
export const NEGATIVE_MAX_POOL_CASES: readonly string[] = [
  'max_pooling_negative_maxima',
  'kernel_max_pool_grad_weighted',
];
