import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { flattenRecord } from '../../src/logs/flatten-record.js';
import { logTrace } from '../../src/logs/log-trace.js';
import { readLog } from '../../src/logs/read-log.js';

describe('flattenRecord: nested records as `/`-joined keys', () => {
  it.each([
    { name: 'a flat record', record: { step: 1, loss: 2 }, flat: { step: 1, loss: 2 } },
    {
      name: 'one object per split',
      record: { epoch: 1, train: { loss: 5.2 }, val: { loss: 4.9, top1: 5.2 } },
      flat: { epoch: 1, 'train/loss': 5.2, 'val/loss': 4.9, 'val/top1': 5.2 },
    },
    {
      name: 'any depth',
      record: { step: 3, metrics: { val: { loss: 1, acc: { top1: 0.5 } } } },
      flat: { step: 3, 'metrics/val/loss': 1, 'metrics/val/acc/top1': 0.5 },
    },
    { name: 'lists and null kept as values', record: { a: [1, 2], b: null }, flat: { a: [1, 2], b: null } },
    { name: 'an empty object holds no key', record: { step: 0, extra: {} }, flat: { step: 0 } },
  ])('$name', ({ record, flat }) => {
    expect(flattenRecord(record)).toEqual(flat);
  });

  it('returns a flat record itself (no copy per line of a long log)', () => {
    const record = { step: 1, loss: 2 };
    expect(flattenRecord(record)).toBe(record);
  });
});

describe('JSON Lines with nested records', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'convdoc-nested-'));
  const read = async (lines: readonly string[]) => {
    const file = path.join(directory, 'nested.jsonl');
    writeFileSync(file, lines.join('\n'));
    const log = await readLog(file);
    return logTrace(log.file, log.rows);
  };

  it.each([
    {
      name: 'train/val objects',
      lines: [
        '{"epoch": 0, "train": {"loss": 2}, "val": {"loss": 3}}',
        '{"epoch": 1, "train": {"loss": 1}, "val": {"loss": 2}}',
      ],
      loss: [2, 1],
      valLoss: [3, 2],
    },
    {
      name: 'a step nested too, and the learning rate beside the loss',
      lines: ['{"train": {"step": 5, "loss": 2, "lr": 0.1}}', '{"train": {"step": 6, "loss": 1, "lr": 0.05}}'],
      loss: [2, 1],
      valLoss: [],
    },
  ])('$name', async ({ lines, loss, valLoss }) => {
    const trace = await read(lines);
    expect(trace.loss).toEqual(loss);
    expect(trace.valLoss).toEqual(valLoss);
  });

  it('reads `grad_norm: {<variable>: ...}` as per-variable norms', async () => {
    const trace = await read(['{"step": 0, "loss": 2, "grad_norm": {"dense/kernel": 3}}']);
    expect(trace.gradNorm).toEqual({ 'dense/kernel': [3] });
  });

  it('reads the learning rate of a nested record', async () => {
    const trace = await read(['{"train": {"step": 5, "loss": 2, "lr": 0.1}}']);
    expect({ step: trace.step, learningRate: trace.learningRate }).toEqual({ step: [5], learningRate: [0.1] });
  });
});
