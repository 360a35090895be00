import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { logTrace } from '../../src/logs/log-trace.js';
import { readLog } from '../../src/logs/read-log.js';
import { kernelNames, layerOf } from '../../src/symptoms/signals.js';

const directory = mkdtempSync(path.join(tmpdir(), 'convdoc-torch-recording-'));

const HEADER = {
  convdoc_recording: 1,
  framework: 'pytorch',
  layers: [
    { name: 'net.0', type: 'dense', activation: 'linear', outputShape: [null, 8], params: 40 },
    { name: 'net.1', type: 'activation', activation: 'relu', outputShape: [], params: 0 },
    { name: 'net.2', type: 'batchNormalization', activation: 'linear', outputShape: [null, 8], params: 16 },
    { name: 'net.3', type: 'dense', activation: 'linear', outputShape: [null, 1], params: 9 },
  ],
};

function stepLine(step: number, dead: number | string): object {
  return {
    step,
    loss: 1 / (step + 1),
    time: 1000 + step,
    lr: 0.1,
    'grad_norm/net.0.weight': 0.5,
    'grad_norm/net.0.bias': 0.1,
    'grad_norm/net.2.weight': 0.2,
    'grad_norm/net.3.weight': 1,
    'update_ratio/net.0.weight': 1e-3,
    activations: { 'net.1': { activation: 'relu', mean: 0.3, std: 0.2, dead_fraction: dead } },
  };
}

function recording(name: string, lines: readonly object[]): string {
  const file = path.join(directory, name);
  writeFileSync(file, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  return file;
}

describe('convdoc_torch recordings', () => {
  it('reads layers, per-parameter series and activation samples on their own steps', async () => {
    const file = recording('run.jsonl', [
      HEADER,
      stepLine(0, 0.25),
      stepLine(10, 'nan'),
      { step: 14, val_loss: 0.4 },
      stepLine(20, 0.5),
    ]);
    const log = await readLog(file);
    expect(log.format).toBe('convdoc-torch');
    const trace = logTrace(log.file, log.rows, null, log.layers);
    expect(trace.layers.map((layer) => layer.name)).toEqual(['net.0', 'net.1', 'net.2', 'net.3']);
    expect(trace.step).toEqual([0, 10, 20]);
    expect(trace.evalStep).toEqual([14]);
    expect(trace.seconds).toBe(20);
    expect(trace.gradNorm['net.0.weight']).toEqual([0.5, 0.5, 0.5]);
    expect(trace.activations).toEqual([
      {
        layer: 'net.1',
        activation: 'relu',
        mean: [0.3, 0.3, 0.3],
        std: [0.2, 0.2, 0.2],
        deadFraction: [0.25, Number.NaN, 0.5],
        saturatedFraction: null,
        nearSaturatedFraction: null,
        step: [0, 10, 20],
      },
    ]);
    // A normalization's scale is named `weight` too, but it is no kernel.
    expect(kernelNames(trace)).toEqual(['net.0.weight', 'net.3.weight']);
    expect(layerOf('net.0.weight')).toBe('net.0');
    expect(layerOf('dense_1/kernel')).toBe('dense_1');
  });

  it.each([
    [[{ ...HEADER, convdoc_recording: 2 }, stepLine(0, 0)], /:1: .*format version 2; this convdoc reads version 1/],
    [[{ convdoc_recording: 1, layers: [{ name: 'x' }] }, stepLine(0, 0)], /:1: .*header: layers\.0\.type/],
    [[HEADER, { ...stepLine(0, 0), activations: [1] }], /:2: "activations" must map module paths/],
    [[HEADER, { step: 0, val_loss: 1 }], /holds no step: call rec\.after_backward/],
  ])('names the line and what to change in a bad recording (%#)', async (lines, message) => {
    const file = recording('bad.jsonl', lines);
    await expect(readLog(file)).rejects.toThrow(DataError);
    await expect(readLog(file)).rejects.toThrow(message);
  });
});
