import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { ConvdocError } from '../../src/errors.js';
import { assertProbeFits, estimateProbeMemory, outOfMemoryError } from '../../src/probe/memory-estimate.js';
import type { LayerSummary } from '../../src/trace/trace.js';

const training = configSchema.parse({
  version: 1,
  data: { train: 'd.csv', target: 'y' },
  model: { layers: [{ type: 'dense' }] },
  training: { optimizer: 'adam', batchSize: 32 },
}).training;
const layer = (outputShape: (number | null)[], params: number): LayerSummary => ({
  name: 'l',
  type: 'conv2d',
  activation: 'relu',
  outputShape,
  params,
});
/** MobileNet-v1's first layers at 224x224x3: 112x112x32 outputs, then 112x112x64. */
const MOBILENET_HEAD = [layer([null, 112, 112, 32], 864), layer([null, 112, 112, 64], 2048)];

describe('the probe memory estimate', () => {
  it('counts parameters with their copies and activations per example and per batch', () => {
    const estimate = estimateProbeMemory(MOBILENET_HEAD, training, 'wasm', 32);
    expect(estimate.parameters).toBe(2912);
    // Adam: weights, gradients, the probe's copy, a read-back, and two optimizer slots.
    expect(estimate.parameterBytes).toBe(2912 * 4 * 6);
    expect(estimate.activationBytesPerRow).toBe(112 * 112 * 96 * 4);
    expect(estimate.batchBytes).toBe(estimate.activationBytesPerRow * 32 * 6);
    expect(estimate.limitBytes).toBe(0.75 * 4 * 2 ** 30);
  });

  it('lets a model that fits through, and refuses one that does not with the numbers and the options', () => {
    expect(() => assertProbeFits(estimateProbeMemory(MOBILENET_HEAD, training, 'wasm', 32), 'wasm')).not.toThrow();
    const wide = [...MOBILENET_HEAD, ...Array.from({ length: 20 }, () => layer([null, 112, 112, 64], 4096))];
    const refuse = () => assertProbeFits(estimateProbeMemory(wide, training, 'wasm', 32), 'wasm');
    expect(refuse).toThrow(ConvdocError);
    expect(refuse).toThrow(
      /too big for this probe on wasm: .* per training step of 32; .* more than the 3.0 GiB available. Options: set probe.batchSize to 7 or less .*; run with --backend node/,
    );
  });

  it.each([
    ['Aborted(). Build with -sASSERTIONS for more info.', true],
    ['RuntimeError: memory access out of bounds', true],
    ['RangeError: Array buffer allocation failed', true],
    ['divide by zero', false],
  ])('%s → exit 2 with the message: %s', (message, outOfMemory) => {
    const error = outOfMemoryError(new Error(message), 'wasm');
    expect(error instanceof ConvdocError).toBe(outOfMemory);
    if (outOfMemory) expect(error!.message).toContain(message.slice(0, 20));
  });
});
