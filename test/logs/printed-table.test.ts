import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/logs/read-log.js';
import { isTableHeader, tableCells } from '../../src/logs/printed-table.js';
import { tempLogWriter } from './temp-log.js';

const logFile = tempLogWriter('printed-table');

describe('printed tables: a header of column names, a row of numbers per epoch', () => {
  it.each([
    {
      name: "fastai's epoch table (columns padded with spaces, a time column)",
      text: 'Training lm from random weights\nepoch     train_loss  valid_loss  accuracy  time\n0         1.102223    0.367693    0.916667  00:00\n1         0.688286    0.281458    0.916667  00:01\n',
      steps: [0, 1],
      loss: [1.102223, 0.688286],
      valLoss: [0.367693, 0.281458],
    },
    {
      name: "'|' between columns, a rule under the header, tr_/va_ prefixes (held-out log 634)",
      text: 'LUTNet(\n  (0): Thermometer()\n)\n\nepoch | tr_loss | tr_acc | va_loss | va_acc | time\n------------------------------------------\n    1 |   1.540 |  47.36 |   1.638 |  42.68 |   61s\n    2 |   1.352 |  54.99 |   1.534 |  47.30 |  123s\n',
      steps: [1, 2],
      loss: [1.54, 1.352],
      valLoss: [1.638, 1.534],
    },
    {
      name: 'a Markdown table',
      text: '| epoch | train_loss | val_loss |\n|---|---|---|\n| 1 | 0.9 | 0.8 |\n| 2 | 0.7 | 0.75 |\n',
      steps: [1, 2],
      loss: [0.9, 0.7],
      valLoss: [0.8, 0.75],
    },
    {
      name: "fastai's fine_tune: a header per phase, the epochs going back",
      text: 'epoch     train_loss  valid_loss  time\n0         0.9         0.8         00:10\nepoch     train_loss  valid_loss  time\n0         0.7         0.6         00:10\n1         0.5         0.55        00:10\n',
      steps: [0, 0, 1],
      loss: [0.9, 0.7, 0.5],
      valLoss: [0.8, 0.6, 0.55],
    },
  ])('reads $name', async ({ text, steps, loss, valLoss }) => {
    const log = await readLog(logFile('train.log', text));
    expect(log.format).toBe('printed');
    expect(log.rows.map((row) => row.step)).toEqual(steps);
    expect(log.rows.map((row) => row.loss)).toEqual(loss);
    expect(log.rows.map((row) => row.valLoss)).toEqual(valLoss);
  });

  it.each([
    ['names with no epoch or step column', 'train_loss  valid_loss'],
    ['a row of numbers', '1  0.5  0.6'],
    ['names with no loss', 'epoch  accuracy  time'],
    ['one name', 'epoch'],
  ])('not a table header: %s', (_name, line) => {
    expect(isTableHeader(tableCells(line))).toBe(false);
  });

  it.each([
    ['a header with no row under it', 'epoch  train_loss  valid_loss\nTraining done.\n'],
    ['a confusion matrix of numbers, no header', '      cat  dog\ncat    50    2\ndog     3   45\n'],
  ])('not a training log: %s', async (_name, text) => {
    await expect(readLog(logFile('out.log', text))).rejects.toThrow(/not a training log/);
  });
});
