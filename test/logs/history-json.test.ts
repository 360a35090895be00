import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { readLog } from '../../src/logs/read-log.js';
import { tempLogWriter } from './temp-log.js';

const logFile = tempLogWriter('history-json');

interface HistoryCase {
  name: string;
  text: string;
  steps: number[];
  loss: number[];
  valLoss?: (number | undefined)[];
  learningRate?: number[];
  notes?: RegExp[];
}

const cases: HistoryCase[] = [
  {
    name: "Keras' json.dump(history.history): epochs counted from 1, lr read",
    text: '{"loss": [0.9, 0.6, 0.5], "accuracy": [0.5, 0.7, 0.8], "val_loss": [0.8, 0.7, 0.75], "lr": [0.001, 0.001, 0.0005]}',
    steps: [1, 2, 3],
    loss: [0.9, 0.6, 0.5],
    valLoss: [0.8, 0.7, 0.75],
    learningRate: [0.001, 0.001, 0.0005],
  },
  {
    name: 'pretty-printed, as indent=2 writes it (sweep s17: Sinon218/electra-model)',
    text: '{\n  "train_loss": [\n    1.04,\n    0.77\n  ],\n  "val_loss": [\n    0.89,\n    0.80\n  ]\n}\n',
    steps: [1, 2],
    loss: [1.04, 0.77],
    valLoss: [0.89, 0.8],
  },
  {
    name: 'lists named in the plural, a scalar setting beside them (sweep s17: Umarfh/FL-SystemAware)',
    text: '{"train_losses": [1.4, 0.6, 0.3], "test_losses": [1.3, 1.1, 1.2], "test_accuracies": [0.5, 0.6, 0.6], "rounds": 3}',
    steps: [1, 2, 3],
    loss: [1.4, 0.6, 0.3],
    valLoss: [1.3, 1.1, 1.2],
    notes: [/"train_losses" \(a list per epoch\) read as "train_loss"/, /test_loss read as the validation loss/],
  },
  {
    name: 'an epoch list numbers the rows; NaN as Python writes it',
    text: '{"epochs": [0, 1, 2], "loss": [0.5, NaN, 0.4]}',
    steps: [0, 1, 2],
    loss: [0.5, Number.NaN, 0.4],
  },
  {
    name: 'a validation list evaluated less often is read as the first epochs, and the report says so',
    text: '{"loss": [0.9, 0.7, 0.6], "val_loss": [0.8, 0.7]}',
    steps: [1, 2, 3],
    loss: [0.9, 0.7, 0.6],
    valLoss: [0.8, 0.7, undefined],
    notes: [/"val_loss" holds fewer values than the longest list \(3\)/],
  },
  {
    name: 'a list of records on one line: every epoch, not only the last (sweep s17: Yasar-17)',
    text: '[{"epoch": 0, "train_mdn_loss": 2.49, "val_mdn_loss": 2.32, "lr": 0.001}, {"epoch": 1, "train_mdn_loss": 2.23, "val_mdn_loss": 2.19, "lr": 0.001}]',
    steps: [0, 1],
    loss: [2.49, 2.23],
    valLoss: [2.32, 2.19],
    learningRate: [0.001, 0.001],
  },
  {
    name: 'pretty-printed, settings and lists of names before the lists (bench log 424), none of them read or noted',
    text: '{\n  "timestamp": "2026-04-18T17:21:59",\n  "classes": [\n    "Happy",\n    "Sad"\n  ],\n  "phase_starts": [\n    0\n  ],\n  "train_loss": [\n    0.54,\n    0.5\n  ],\n  "val_loss": [\n    0.52,\n    0.49\n  ],\n  "test_acc": 77.6\n}\n',
    steps: [1, 2],
    loss: [0.54, 0.5],
    valLoss: [0.52, 0.49],
  },
  {
    name: 'records under a key beside the run\'s results (held-out log 629: json.dump({"history": history, ...}))',
    text: '{"history": [{"epoch": 1, "train_loss": 0.9, "val_loss": 0.8}, {"epoch": 2, "train_loss": 0.7, "val_loss": 0.75}], "stop_reason": "max_epochs"}',
    steps: [1, 2],
    loss: [0.9, 0.7],
    valLoss: [0.8, 0.75],
    notes: [/the records under "history" read as the history/],
  },
  {
    name: 'a UTF-8 byte-order mark before the object, as Windows tools write it (bench log 617)',
    text: '\uFEFF{\n  "loss": [\n    16.2,\n    18.4\n  ]\n}',
    steps: [1, 2],
    loss: [16.2, 18.4],
  },
  {
    name: 'a list of records, pretty-printed',
    text: '[\n  {\n    "epoch": 1,\n    "loss": 0.9\n  },\n  {\n    "epoch": 2,\n    "loss": 0.7\n  }\n]\n',
    steps: [1, 2],
    loss: [0.9, 0.7],
  },
];

describe('readLog: a Keras history as Python prints it (printed-history.ts)', () => {
  it.each([
    ["print(history.history)'s repr, Python's nan", "{'loss': [0.9, 0.6, nan], 'val_loss': [0.8, 0.7, 0.75]}\n"],
    // Bench log 648's shape: one `name:[values]` line per metric, validation first.
    ['name:[values] lines', 'val_loss:[0.8, 0.7, 0.75]\nloss:[0.9, 0.6, nan]\n'],
    ['name: [values] lines, CRLF', 'loss: [0.9, 0.6, nan]\r\nval_loss: [0.8, 0.7, 0.75]\r\n'],
  ])('%s: one epoch per list position', async (_name, text) => {
    const log = await readLog(logFile('loss_log.txt', text));
    expect(log.format).toBe('history-json');
    expect(log.rows.map((row) => row.step)).toEqual([1, 2, 3]);
    expect(log.rows.map((row) => row.loss)).toEqual([0.9, 0.6, Number.NaN]);
    expect(log.rows.map((row) => row.valLoss)).toEqual([0.8, 0.7, 0.75]);
  });

  it.each([
    ['a list line among printed lines', 'loss: [0.52]\nEpoch 1: loss 0.5\nEpoch 2: loss 0.4\n'],
    ['a list of names', "classes: ['cat', 'dog']\nEpoch 1: loss 0.5\nEpoch 2: loss 0.4\n"],
    ['a printed history among printed lines', "{'loss': [0.5, 0.4]}\nEpoch 1: loss 0.5\nEpoch 2: loss 0.4\n"],
  ])('not a printed history: %s', async (_name, text) => {
    expect((await readLog(logFile('train.log', text))).format).toBe('printed');
  });
});

describe('readLog: a history saved as one JSON object of lists, or a list of records', () => {
  it.each(cases)('$name', async ({ text, steps, loss, valLoss, learningRate, notes }) => {
    const log = await readLog(logFile('history.json', text));
    expect(log.format).toBe('history-json');
    expect(log.byEpoch).toBe(true);
    expect(log.rows.map((row) => row.step)).toEqual(steps);
    expect(log.rows.map((row) => row.loss)).toEqual(loss);
    if (valLoss !== undefined) expect(log.rows.map((row) => row.valLoss)).toEqual(valLoss);
    if (learningRate !== undefined) expect(log.rows.map((row) => row.learningRate)).toEqual(learningRate);
    for (const note of notes ?? []) expect(log.notes.join('\n')).toMatch(note);
    if (notes === undefined) expect(log.notes.join('\n')).not.toMatch(/fewer values|classes|phase_starts/);
  });

  it.each([
    ['lists that name no loss', '{"accuracy": [0.5, 0.6], "f1": [0.4, 0.5]}'],
    ['lists of objects (trades, not metrics)', '{"positions": [{"id": 1, "loss": 0.5}], "closed": []}'],
    ['records that hold no loss', '[{"id": 1, "price": 0.5}, {"id": 2, "price": 0.7}]'],
    [
      'two lists of records: no way to tell which is the history',
      '{"a": [{"epoch": 1, "loss": 0.5}], "b": [{"epoch": 1, "loss": 0.6}]}',
    ],
    ['a pretty-printed config with lists', '{\n  "model": "resnet",\n  "layers": [\n    64,\n    128\n  ]\n}\n'],
  ])('not a training log: %s', async (_name, text) => {
    await expect(readLog(logFile('history.json', text))).rejects.toThrow(DataError);
    await expect(readLog(logFile('history.json', text))).rejects.toThrow(/history\.json:1: /);
  });

  // Bench log 501's shape: a distillation scored by a cosine similarity that rises, no loss.
  it.each([
    [
      'records of a score that rises',
      '[{"epoch": 1, "train_cos": 0.632, "val_cos": 0.672}, {"epoch": 2, "train_cos": 0.699, "val_cos": 0.686}]',
      /holds "epoch", "train_cos", "val_cos"\. convdoc judges a loss.*no option makes it so/,
    ],
    ['lists of a score that rises', '{"accuracy": [0.5, 0.6], "f1": [0.4, 0.5]}', /holds "epoch", "accuracy", "f1"\./],
  ])('a history with no loss names what it holds and why it is not read: %s', async (_name, text, message) => {
    await expect(readLog(logFile('history.json', text))).rejects.toThrow(message);
  });
});
