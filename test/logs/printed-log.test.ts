import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { readLog } from '../../src/logs/read-log.js';

const directory = mkdtempSync(path.join(tmpdir(), 'convdoc-printed-log-'));

function logFile(name: string, content: string): string {
  const file = path.join(directory, name);
  writeFileSync(file, content);
  return file;
}

interface PrintedCase {
  name: string;
  text: string;
  steps: number[];
  loss: (number | undefined)[];
  valLoss?: (number | undefined)[];
  learningRate?: (number | undefined)[];
}

const cases: PrintedCase[] = [
  {
    name: 'a script printing "Epoch:1/80  Learning Rate: ...  Train Loss: ...  Val Loss: ..." (bench log 144)',
    text: 'Epoch:1/80  Learning Rate: 0.001000  Train Loss: 4.834  Val Loss: 3.255  \nEpoch:2/80  Learning Rate: 0.001000  Train Loss: 2.821  Val Loss: 2.431  \n',
    steps: [1, 2],
    loss: [4.834, 2.821],
    valLoss: [3.255, 2.431],
    learningRate: [0.001, 0.001],
  },
  {
    name: "Keras' fit output from stdout: the epoch on a line of its own, progress updates (ETA) passed over",
    text: [
      'Epoch 1/2',
      ' 1/10 [==>...........................] - ETA: 3s - loss: 0.9000 - accuracy: 0.5000',
      '10/10 [==============================] - 1s 20ms/step - loss: 0.6931 - accuracy: 0.5100 - val_loss: 0.6800 - val_accuracy: 0.5500',
      'Epoch 2/2',
      '10/10 [==============================] - 0s 18ms/step - loss: 0.5012 - accuracy: 0.8000 - val_loss: 0.5500 - val_accuracy: 0.7800',
    ].join('\n'),
    steps: [1, 2],
    loss: [0.6931, 0.5012],
    valLoss: [0.68, 0.55],
  },
  {
    name: "PyTorch's tutorial: an epoch and a step that restarts each epoch, so the lines are counted",
    text: 'Epoch 1\nEpoch [1/2], Step [100/200], Loss: 0.5000\nEpoch [1/2], Step [200/200], Loss: 0.4000\nEpoch [2/2], Step [100/200], Loss: 0.3000\n',
    steps: [1, 2, 3],
    loss: [0.5, 0.4, 0.3],
  },
  {
    name: "nanoGPT's evaluation lines: no colon between a name and its value",
    text: 'step 0: train loss 4.2000, val loss 4.2100\nstep 250: train loss 1.9100, val loss 2.0300\n',
    steps: [0, 250],
    loss: [4.2, 1.91],
    valLoss: [4.21, 2.03],
  },
  {
    name: 'name=value pairs with nan, and a closing line without a loss',
    text: 'epoch=0 | train_loss=1.5 | time=12ms\nepoch=1 | train_loss=nan\ntraining finished in 30s\n',
    steps: [0, 1],
    loss: [1.5, Number.NaN],
  },
  {
    name: 'no epoch or step printed: each line that prints a loss is a step',
    text: 'loss: 0.9\nloss: 0.7\nloss: 0.6\n',
    steps: [1, 2, 3],
    loss: [0.9, 0.7, 0.6],
  },
];

describe('readLog: printed lines of name: value pairs', () => {
  it.each(cases)('$name', async ({ text, steps, loss, valLoss, learningRate }) => {
    const log = await readLog(logFile('train.log', text));
    expect(log.format).toBe('printed');
    expect(log.rows.map((row) => row.step)).toEqual(steps);
    expect(log.rows.map((row) => row.loss)).toEqual(loss);
    if (valLoss !== undefined) expect(log.rows.map((row) => row.valLoss)).toEqual(valLoss);
    if (learningRate !== undefined) expect(log.rows.map((row) => row.learningRate)).toEqual(learningRate);
  });

  it.each([
    ['prose with numbers but no loss', 'Started at 12:30 with 4 workers\nbatch size: 32\n'],
    ['one line of a loss among many without', 'loss: 0.5\nsomething else\nmore text\n'],
    ['a percentage is not a value', 'loss 12%\nloss 11%\n'],
  ])('not a printed log: %s', async (_name, text) => {
    await expect(readLog(logFile('notes.txt', text))).rejects.toThrow(DataError);
  });
});
