import { describe, expect, it } from 'vitest';
import { logNumber } from '../../src/logs/log-row.js';
import { tensorValue } from '../../src/logs/printed-tensor.js';
import { readLog } from '../../src/logs/read-log.js';
import { tempLogWriter } from './temp-log.js';

const logFile = tempLogWriter('printed-tensor');

describe('tensorValue: a printed PyTorch scalar tensor', () => {
  it.each([
    ["tensor(3.1304, device='cuda:0', grad_fn=<DivBackward0>)", '3.1304'],
    ["tensor(4.9054e-06, device='cuda:0')", '4.9054e-06'],
    ['tensor(0.)', '0.'],
    ['tensor(nan)', 'nan'],
    ['tensor(0.5000, dtype=torch.float64, requires_grad=True)', '0.5000'],
    [' tensor(2.2151) ', '2.2151'],
  ])('must read %s', (cell, value) => {
    expect(tensorValue(cell)).toBe(value);
  });

  it.each(['tensor([0.5000, 0.3000])', 'tensor(1, 2)', 'mytensor(1.0)', 'tensor()', '0.5', 'Tensor(0.5)'])(
    'must not read %s',
    (cell) => {
      expect(tensorValue(cell)).toBeUndefined();
    },
  );

  it('logNumber reads the value, and names the cell when the value is no number', () => {
    expect(logNumber("tensor(1.25, device='cuda:0')", 'a.csv:2', 'loss')).toBe(1.25);
    expect(logNumber('tensor(nan)', 'a.csv:2', 'loss')).toBeNaN();
    expect(() => logNumber('tensor(abc)', 'a.csv:2', 'loss')).toThrow(/a\.csv:2: loss is "abc", not a number/);
  });

  it('reads a CSV whose loss cells are printed tensors (bench log 600)', async () => {
    const text =
      'Epoch,Train_loss,Val_loss\n' +
      `1,"tensor(3.1304, device='cuda:0', grad_fn=<DivBackward0>)","tensor(2.9495, device='cuda:0')"\n` +
      `2,"tensor(3.0639, device='cuda:0', grad_fn=<DivBackward0>)","tensor(2.8784, device='cuda:0')"\n`;
    const log = await readLog(logFile('losses.csv', text));
    expect(log.rows.map((row) => [row.step, row.loss, row.valLoss])).toEqual([
      [1, 3.1304, 2.9495],
      [2, 3.0639, 2.8784],
    ]);
  });
});
