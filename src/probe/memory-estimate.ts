/**
 * Whether a probe fits in memory, estimated before it trains: parameters and their copies, and the
 * activations one training step keeps for backprop. A model too big for the probe ends in a clear
 * message with the numbers and what to change (exit 2), not in a crash of the backend; a crash
 * that still happens (wasm "Aborted()", out of memory) becomes the same kind of message.
 */
import { totalmem } from 'node:os';
import type { Config } from '../config/schema.js';
import { ConvdocError } from '../errors.js';
import type { LayerSummary } from '../trace/trace.js';
import { shapeSize } from '../util/shape.js';

const FLOAT_BYTES = 4;
/**
 * The wasm backend's heap stops growing at 4 GiB (wasm32): measured with tfjs-backend-wasm 4.22,
 * which failed with "memory access out of bounds" past 4,096 MB of tensors.
 */
const WASM_HEAP_BYTES = 4 * 2 ** 30;
/** cpu and native TensorFlow share the machine: the probe may use half of it. */
const SHARE_OF_MACHINE = 0.5;

/** Optimizer state per weight, in weight-sized slots (tfjs optimizers: Adam keeps m and v, ...). */
const OPTIMIZER_SLOTS: Record<Config['training']['optimizer'], number> = {
  sgd: 0,
  momentum: 1,
  adagrad: 1,
  rmsprop: 2,
  adadelta: 2,
  adam: 2,
  adamax: 2,
};
/**
 * Weight-sized copies besides the optimizer's: the weights, their gradients, the probe's copy of
 * the last weights (update ratios) and one read-back of a gradient or weight array at a time.
 */
const WEIGHT_COPIES = 4;
/**
 * A training step keeps every layer's output for backprop, the op intermediates inside a layer
 * (batch normalization keeps several, convolutions their padded inputs) and a gradient of each.
 * Measured on wasm with a MobileNet-v1-size stack (60 MB of layer outputs per 224x224x3 image):
 * batch 32 and batch 16 both aborted at the 4 GiB heap, i.e. more than 4 copies per example.
 */
const ACTIVATION_COPIES = 6;
/** Of the wasm heap, what tensors can use: the rest goes to fragmentation and the module itself. */
const USABLE_WASM_HEAP = 0.75;

export interface MemoryEstimate {
  batchRows: number;
  parameters: number;
  parameterBytes: number;
  /** Float32 outputs of every layer for one example. */
  activationBytesPerRow: number;
  /** Activations of one training step at the batch size, with their gradients. */
  batchBytes: number;
  totalBytes: number;
  limitBytes: number;
}

/** Values one example produces in a layer's output (its shape without the batch axis). */
function outputValuesPerRow(layer: LayerSummary): number {
  return shapeSize(layer.outputShape.slice(1));
}

/** `batchRows`: the rows of one training batch (the batch size, or fewer when the sample is smaller). */
export function estimateProbeMemory(
  layers: readonly LayerSummary[],
  training: Config['training'],
  backend: string,
  batchRows: number,
): MemoryEstimate {
  const parameters = layers.reduce((sum, layer) => sum + layer.params, 0);
  const parameterBytes = parameters * FLOAT_BYTES * (WEIGHT_COPIES + OPTIMIZER_SLOTS[training.optimizer]);
  const activationBytesPerRow = layers.reduce((sum, layer) => sum + outputValuesPerRow(layer), 0) * FLOAT_BYTES;
  const batchBytes = activationBytesPerRow * batchRows * ACTIVATION_COPIES;
  return {
    batchRows,
    parameters,
    parameterBytes,
    activationBytesPerRow,
    batchBytes,
    totalBytes: parameterBytes + batchBytes,
    limitBytes: backend === 'wasm' ? WASM_HEAP_BYTES * USABLE_WASM_HEAP : totalmem() * SHARE_OF_MACHINE,
  };
}

/** Throws the "too big for this probe" message when the estimate exceeds the backend's memory. */
export function assertProbeFits(estimate: MemoryEstimate, backend: string): void {
  if (estimate.totalBytes <= estimate.limitBytes) return;
  const room = estimate.limitBytes - estimate.parameterBytes;
  const batch = Math.floor(room / (estimate.activationBytesPerRow * ACTIVATION_COPIES));
  const options = [
    batch >= 1
      ? `set probe.batchSize to ${batch} or less (the probe trains with batches of ${estimate.batchRows} now)`
      : 'the weights alone do not fit: use a smaller model',
    ...(backend === 'tensorflow' ? [] : ['run with --backend node (native TensorFlow, not bound by the wasm heap)']),
  ];
  throw new ConvdocError(
    `the model is too big for this probe on ${backend}: ${formatCount(estimate.parameters)} parameters (${formatBytes(estimate.parameterBytes)} with gradients and optimizer state) and ${formatBytes(estimate.activationBytesPerRow)} of activations per example, ${formatBytes(estimate.batchBytes)} per training step of ${estimate.batchRows}; ${formatBytes(estimate.totalBytes)} in all, more than the ${formatBytes(estimate.limitBytes)} available. Options: ${options.join('; ')}.`,
  );
}

/**
 * A backend crash for lack of memory as a ConvdocError: wasm aborts ("Aborted()", "memory access
 * out of bounds", "Cannot enlarge memory") and V8's failed allocations. Anything else: undefined.
 */
export function outOfMemoryError(error: unknown, backend: string): ConvdocError | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const outOfMemory =
    /Aborted\(|out of memory|memory access out of bounds|Cannot enlarge memory|Array buffer allocation failed|Invalid typed array length/i;
  if (!outOfMemory.test(message)) return undefined;
  return new ConvdocError(
    `the probe ran out of memory on the ${backend} backend (${message.split('\n')[0]!.slice(0, 200)}): the model is too big for this probe. Options: a smaller probe.batchSize, fewer probe.steps, or --backend node.`,
  );
}

function formatBytes(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${Math.ceil(bytes / 2 ** 20)} MiB`;
}

function formatCount(count: number): string {
  return count >= 1e6 ? `${(count / 1e6).toFixed(1)}M` : count.toLocaleString('en-US');
}
