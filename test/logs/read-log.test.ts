import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { logTrace } from '../../src/logs/log-trace.js';
import { readLog } from '../../src/logs/read-log.js';
import { DataError } from '../../src/errors.js';

const LOGS = path.resolve(import.meta.dirname, '../../fixtures/logs');
const directory = mkdtempSync(path.join(tmpdir(), 'convdoc-read-log-'));

function logFile(name: string, content: string): string {
  const file = path.join(directory, name);
  writeFileSync(file, content);
  return file;
}

describe('readLog: formats', () => {
  it('reads a Keras CSVLogger log: epochs as steps, val_loss as evaluations, lr, nan and inf as data', async () => {
    const log = await readLog(path.join(LOGS, 'keras-diverging.csv'));
    expect(log.format).toBe('keras-csv');
    const trace = logTrace(log);
    expect(trace.step).toEqual(Array.from({ length: 15 }, (_, epoch) => epoch));
    expect(trace.loss.slice(10, 13)).toEqual([89_073_800, Number.POSITIVE_INFINITY, Number.NaN]);
    expect(trace.nanStep).toBe(11);
    expect(trace.learningRate.every((rate) => rate === 0.1)).toBe(true);
    expect(trace.evalStep).toEqual(trace.step);
    expect({
      globalGradNorm: trace.globalGradNorm,
      gradNorm: trace.gradNorm,
      updateRatio: trace.updateRatio,
      activations: trace.activations,
    }).toEqual({ globalGradNorm: [], gradNorm: {}, updateRatio: {}, activations: [] });
  });

  it('reads Keras 3 `learning_rate` and leaves metric columns unread', async () => {
    const trace = logTrace(
      await readLog(
        logFile('keras3.csv', 'epoch,accuracy,learning_rate,loss,val_loss\n0,oops,0.001,1.5,1.6\n1,0.7,0.001,1.2,NA\n'),
      ),
    );
    expect(trace.learningRate).toEqual([0.001, 0.001]);
    // Keras writes NA for a key it did not log: no evaluation at epoch 1.
    expect({ evalStep: trace.evalStep, valLoss: trace.valLoss }).toEqual({ evalStep: [0], valLoss: [1.6] });
  });

  it("reads a Keras log named training.log, as Keras' own example names it", async () => {
    expect((await readLog(logFile('training.log', 'epoch,loss\n0,1\n1,0.5\n'))).format).toBe('keras-csv');
  });

  it('reads a TensorBoard scalar export as the training loss, with the run time from its wall times', async () => {
    const log = await readLog(path.join(LOGS, 'tensorboard-loss.csv'));
    expect(log.format).toBe('tensorboard-csv');
    const trace = logTrace(log);
    expect(trace.step.slice(0, 3)).toEqual([0, 10, 20]);
    expect(trace.seconds).toBeCloseTo(247.5, 6);
    expect(trace.evalStep).toEqual([]);
  });

  it('reads JSON Lines with evaluation-only lines, per-variable gradient norms, and null as NaN', async () => {
    const file = logFile(
      'run.jsonl',
      [
        '{"epoch": 0, "loss": 2, "grad_norm/a": 3, "grad_norm/b": 4}',
        '',
        '{"epoch": 1, "loss": null, "lr": 0.1}',
        '{"epoch": 1, "val_loss": "inf"}',
        '{"train_runtime": 12.5}',
      ].join('\n'),
    );
    const trace = logTrace(await readLog(file));
    expect(trace.loss).toEqual([2, Number.NaN]);
    expect(trace.gradNorm).toEqual({ a: [3, Number.NaN], b: [4, Number.NaN] });
    // Derived from the per-variable norms, as the probe computes it.
    expect(trace.globalGradNorm).toEqual([5, Number.NaN]);
    expect(trace.learningRate).toEqual([Number.NaN, 0.1]);
    expect({ evalStep: trace.evalStep, valLoss: trace.valLoss }).toEqual({
      evalStep: [1],
      valLoss: [Number.POSITIVE_INFINITY],
    });
  });

  it('takes a file without a known extension by its content', async () => {
    expect((await readLog(logFile('run.out', '{"step": 0, "loss": 1}\n'))).format).toBe('jsonl');
  });
});

describe('reading a log: errors name the file and the line', () => {
  const cases: [name: string, file: string, content: string, message: RegExp][] = [
    [
      'an unknown CSV header',
      'data.csv',
      'x,y\n1,2\n',
      /data\.csv:1: not a training log: expected a Keras CSVLogger header/,
    ],
    ['an unknown header after blank lines', 'data.csv', '\n\nx,y,z\n1,2\n', /data\.csv:3: not a training log/],
    [
      'a ragged row',
      'ragged.csv',
      'epoch,loss,val_loss\n0,1.2,1.3\n1,1.1\n',
      /ragged\.csv:3: row has 2 fields but the header has 3/,
    ],
    ['a loss that is text', 'text.csv', 'epoch,loss\n0,1.2\n1,oops\n', /text\.csv:3: loss is "oops", not a number/],
    ['an empty loss', 'empty.csv', 'epoch,loss\n0,\n', /empty\.csv:2: the loss is empty/],
    [
      'a fractional epoch',
      'fraction.csv',
      'epoch,loss\n0.5,1\n',
      /fraction\.csv:2: epoch is "0\.5"; expected a whole number/,
    ],
    [
      'steps that go back',
      'back.csv',
      'epoch,loss\n0,1\n1,0.9\n1,0.8\n',
      /back\.csv:4: step 1 comes after step 1: steps must increase/,
    ],
    [
      'a TensorBoard value that is text',
      'tb.csv',
      'Wall time,Step,Value\n1,0,0.5\n2,1,x\n',
      /tb\.csv:3: Value is "x", not a number/,
    ],
    [
      'broken JSON',
      'broken.jsonl',
      '{"step": 0, "loss": 1}\n{"step": 1, "loss": \n',
      /broken\.jsonl:2: not valid JSON/,
    ],
    ['a JSON line that is not an object', 'list.jsonl', '[1, 2]\n', /list\.jsonl:1: expected a JSON object/],
    [
      'a JSON loss without a step',
      'nostep.jsonl',
      '{"loss": 1}\n',
      /nostep\.jsonl:1: the object has no "step" or "epoch"/,
    ],
    [
      'a JSON loss that is text',
      'word.jsonl',
      '{"step": 0, "loss": 1}\n{"step": 1, "loss": "high"}\n',
      /word\.jsonl:2: loss is "high", not a number/,
    ],
    [
      'JSON Lines without any loss',
      'none.jsonl',
      '{"step": 0, "accuracy": 0.5}\n',
      /none\.jsonl: no line holds a "loss" or "val_loss"/,
    ],
    ['an empty file', 'empty.log', '', /empty\.log: the log is empty/],
  ];

  it.each(cases)('%s', async (_, name, content, message) => {
    const error = await readLog(logFile(name, content))
      .then(logTrace)
      .then(
        () => null,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('a missing file', async () => {
    await expect(readLog(path.join(directory, 'missing.csv'))).rejects.toThrow(
      /missing\.csv: cannot read the log \(ENOENT\)/,
    );
  });
});
