import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { logTrace } from '../../src/logs/log-trace.js';
import { readLog, type TrainingLog } from '../../src/logs/read-log.js';
import { selectSegment, splitSegments } from '../../src/logs/log-segments.js';
import { DataError } from '../../src/errors.js';
import { tempLogWriter } from './temp-log.js';

const LOGS = path.resolve(import.meta.dirname, '../../fixtures/logs');
/** The trace analyze judges by default: the log's last segment. */
const traceOf = (log: TrainingLog, chanceLoss: number | null = null) =>
  logTrace(log.file, selectSegment(log.file, splitSegments(log.rows), 'last'), chanceLoss);

const logFile = tempLogWriter('read-log');

describe('readLog: formats', () => {
  it('reads a step that starts again each epoch as one run, every evaluation kept (bench log 305)', async () => {
    const content = 'epoch,step,train_loss,val_loss\n1,299,1.7,1.7\n1,599,1.4,1.4\n2,299,1.2,1.3\n2,599,1.1,1.2\n';
    const log = await readLog(logFile('within-epochs.csv', content));
    expect(splitSegments(log.rows)).toHaveLength(1);
    expect(traceOf(log).valLoss).toEqual([1.7, 1.4, 1.3, 1.2]);
  });

  it('reads a Keras CSVLogger log: epochs as steps, val_loss as evaluations, lr, nan and inf as data', async () => {
    const log = await readLog(path.join(LOGS, 'keras-diverging.csv'));
    expect(log.format).toBe('keras-csv');
    const trace = traceOf(log);
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

  it('reads Keras 3 `learning_rate`', async () => {
    const trace = traceOf(
      await readLog(
        logFile('keras3.csv', 'epoch,accuracy,learning_rate,loss,val_loss\n0,0.6,0.001,1.5,1.6\n1,0.7,0.001,1.2,NA\n'),
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
    const trace = traceOf(log);
    expect(trace.step.slice(0, 3)).toEqual([0, 10, 20]);
    expect(trace.seconds).toBeCloseTo(247.5, 6);
    expect(trace.evalStep).toEqual([]);
  });

  it('reads JSON Lines with evaluation-only lines, per-variable gradient norms, and bare NaN', async () => {
    const file = logFile(
      'run.jsonl',
      [
        '{"epoch": 0, "loss": 2, "grad_norm/a": 3, "grad_norm/b": 4}',
        '',
        '{"epoch": 1, "loss": NaN, "lr": 0.1}',
        '{"epoch": 1, "val_loss": "inf"}',
        '{"train_runtime": 12.5}',
      ].join('\n'),
    );
    const trace = traceOf(await readLog(file));
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

  it("reads a JSON null as a value not logged (Python's None), not as NaN", async () => {
    const file = logFile(
      'run.jsonl',
      [
        '{"step": 0, "loss": null, "accuracy": 0.99}',
        '{"step": 25, "loss": 0.5, "accuracy": 0.7}',
        '{"step": 50, "loss": 0.25, "val_loss": null}',
      ].join('\n'),
    );
    const log = await readLog(file);
    const trace = traceOf(log);
    expect({ step: trace.step, loss: trace.loss, nanStep: trace.nanStep }).toEqual({
      step: [25, 50],
      loss: [0.5, 0.25],
      nanStep: null,
    });
    expect(trace.evalStep).toEqual([]);
    // JSON.stringify writes a NaN as null: the report says how many null losses were passed over.
    expect(log.notes).toContainEqual(expect.stringMatching(/^2 loss values logged as null read as not logged/));
  });

  it('takes a file without a known extension by its content', async () => {
    expect((await readLog(logFile('run.out', '{"step": 0, "loss": 1}\n'))).format).toBe('jsonl');
  });
});

describe('readLog: hand-written CSV headers in any spelling', () => {
  // bench/logs 170 (a blank line after every row) and 172-173 (\r\n), refused before as "not a training log".
  it.each([
    [
      'blank lines between rows',
      'Epoch,TrainLoss,ValLoss,ValAcc\n\n1,5.8,1.46,0.70\n\n2,2.3,0.76,0.79\n\n3,1.9,0.61,0.83\n\n',
    ],
    [
      '\\r\\n',
      'Epoch,TrainLoss,ValLoss,ValSpearman,LR\r\n1,5.8,1.46,0.5,0.001\r\n2,2.3,0.76,0.6,0.001\r\n3,1.9,0.61,0.7,0.001\r\n',
    ],
    ['Title Case', 'Epoch,Train Loss,Val Loss,Val Acc\n1,5.8,1.46,0.70\n2,2.3,0.76,0.79\n3,1.9,0.61,0.83\n'],
    ['kebab-case and dotted', 'Epoch,train-loss,val.loss\n1,5.8,1.46\n2,2.3,0.76\n3,1.9,0.61\n'],
  ])('reads CamelCase and other spellings: %s', async (_, content) => {
    const log = await readLog(logFile('hand.csv', content));
    expect(log.format).toBe('history-csv');
    const trace = traceOf(log);
    expect({ step: trace.step, loss: trace.loss, valLoss: trace.valLoss }).toEqual({
      step: [1, 2, 3],
      loss: [5.8, 2.3, 1.9],
      valLoss: [1.46, 0.76, 0.61],
    });
  });

  it('reads LR and ValAcc by their aliases', async () => {
    const columns = 'Epoch,TrainLoss,ValLoss,ValAcc,LR\n1,5.8,1.46,0.70,0.01\n2,2.3,0.76,0.79,0.001\n';
    const trace = traceOf(await readLog(logFile('lr.csv', columns)));
    expect(trace.learningRate).toEqual([0.01, 0.001]);
  });

  it.each([
    ['people', 'Name,Age\nAlice,30\nBob,41\n'],
    ['an epoch and no loss', 'Epoch,Name,Age\n1,Alice,30\n'],
    ['accuracy alone', 'Epoch,TrainAcc,ValAcc\n1,0.5,0.4\n'],
    ['a metric no alias names', 'Epoch,ValSpearman\n1,0.5\n'],
  ])('is still not a training log: %s', async (_, content) => {
    await expect(readLog(logFile('other.csv', content))).rejects.toThrow(/other\.csv:1: not a training log/);
  });
});

describe('reading a log: errors name the file and the line', () => {
  const cases: [name: string, file: string, content: string, message: RegExp][] = [
    ['an unknown CSV header', 'data.csv', 'x,y\n1,2\n', /data\.csv:1: not a training log: expected a Keras CSVLogger/],
    ['an unknown header after blank lines', 'data.csv', '\n\nx,y,z\n1,2\n', /data\.csv:3: not a training log/],
    [
      'a ragged row',
      'ragged.csv',
      'epoch,loss,val_loss\n0,1.2,1.3\n1,1.1\n',
      /ragged\.csv:3: row has 2 fields but the header has 3/,
    ],
    ['a loss that is text', 'text.csv', 'epoch,loss\n0,1.2\n1,oops\n', /text\.csv:3: loss is "oops", not a number/],
    ['an empty loss', 'empty.csv', 'epoch,loss\n0,\n', /empty\.csv: the log holds no training loss/],
    // A fractional epoch is HuggingFace's (log-tolerance.test.ts); a step is always whole.
    [
      'a fractional step',
      'fraction.csv',
      'step,loss\n0.5,1\n',
      /fraction\.csv:2: step is "0\.5"; expected a whole number/,
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
    ['a JSON line that is not an object', 'list.jsonl', '[1, 2]\n', /list\.jsonl:1: not a training log/],
    [
      'a JSON loss without a step',
      'nostep.jsonl',
      '{"loss": 1}\n',
      /nostep\.jsonl:1: the line has no "step" or "epoch"/,
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
      /none\.jsonl: no line holds a loss/,
    ],
    ['an empty file', 'empty.log', '', /empty\.log:1: not a training log/],
  ];

  it.each(cases)('%s', async (_, name, content, message) => {
    const error = await readLog(logFile(name, content))
      .then((log) => traceOf(log))
      .then(
        () => null,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('a missing file', async () => {
    await expect(readLog(path.join(LOGS, 'missing.csv'))).rejects.toThrow(
      /missing\.csv: cannot read the log \(ENOENT\)/,
    );
  });
});

describe('readLog: the formats people have, by content', () => {
  it.each([
    ['keras-windows-append.csv', 'keras-csv'],
    ['keras-crcrlf.log', 'keras-csv'],
    ['lightning_logs/version_0/metrics.csv', 'lightning-csv'],
    ['hf-output/trainer_state.json', 'hf-trainer-state'],
    ['nanollama-log.jsonl', 'jsonl'],
    ['pandas-history.csv', 'history-csv'],
    ['tensorboard-export/run-.-tag-loss.csv', 'tensorboard-csv'],
  ])('%s is %s', async (name, format) => {
    expect((await readLog(path.join(LOGS, name))).format).toBe(format);
  });

  it.each([
    ['\\r\\r\\n (Keras on Windows)', 'epoch,loss\r\r\n0,1\r\r\n1,oops\r\r\n', 3],
    ['\\r\\n', 'epoch,loss\r\n0,1\r\n1,oops\r\n', 3],
    ['\\n with a blank line', 'epoch,loss\n0,1\n\n1,oops\n', 4],
    ['a lone \\r (classic Mac)', 'epoch,loss\r0,1\r1,oops\r', 3],
    ['\\r\\r between rows (a blank line in Mac endings)', 'epoch,loss\r0,1\r\r1,oops', 4],
  ])('numbers lines ending in %s as git and GitHub do', async (_, text, line) => {
    await expect(readLog(logFile('endings.csv', text))).rejects.toThrow(`endings.csv:${line}: loss is "oops"`);
  });

  it('reads a Lightning log saved again with ";" and decimal commas as the same log with "," and points (bench log 395)', async () => {
    const semicolons = await readLog(path.join(LOGS, 'lightning-semicolon-decimal-comma.csv'));
    expect(semicolons.format).toBe('lightning-csv');
    const rows = readFileSync(path.join(LOGS, 'lightning-semicolon-decimal-comma.csv'), 'latin1')
      .replaceAll(',', '.')
      .replaceAll(';', ',');
    const commas = await readLog(logFile('metrics.csv', rows));
    expect(traceOf(semicolons)).toEqual(traceOf(commas));
    expect(traceOf(semicolons).valLoss[0]).toBe(0.128839159);
  });

  it('reads a ";" Keras log written with decimal points as it is', async () => {
    const log = await readLog(logFile('points.csv', 'epoch;loss;val_loss\n0;1.5;1.6\n1;1.2;1.3\n'));
    expect(log.rows.map((row) => [row.loss, row.valLoss])).toEqual([
      [1.5, 1.6],
      [1.2, 1.3],
    ]);
    expect(log.notes).toEqual([]);
  });

  it('decodes UTF-16 LE with a byte-order mark (a PowerShell redirect, bench log 316)', async () => {
    const text =
      'Using device: cpu\r\nEpoch 1, Train Loss: 0.43, Val Loss: 0.41\r\nEpoch 2, Train Loss: 0.36, Val Loss: 0.37\r\n';
    const log = await readLog(logFile('utf16.log', Buffer.from(`\uFEFF${text}`, 'utf16le')));
    expect(log.format).toBe('printed');
    expect(log.rows.map((row) => [row.line, row.loss, row.valLoss])).toEqual([
      [2, 0.43, 0.41],
      [3, 0.36, 0.37],
    ]);
  });

  it('a UTF-16 file that is not a log is still rejected at its first line', async () => {
    const file = logFile('notes-utf16.txt', Buffer.from('\uFEFFShopping list\r\nmilk: 2\r\n', 'utf16le'));
    await expect(readLog(file)).rejects.toThrow(/notes-utf16\.txt:1: not a training log/);
  });

  it('spans a \\r\\r\\n file of 3 lines as lines 2-3', async () => {
    const log = await readLog(logFile('crcrlf-ok.csv', 'epoch,loss\r\r\n0,1\r\r\n1,0.5\r\r\n'));
    expect(log.rows.map((row) => row.line)).toEqual([2, 3]);
  });

  it('reads Lightning rows that fill only some columns: the epoch means and the epoch-end validation', async () => {
    const log = await readLog(path.join(LOGS, 'lightning_logs'));
    const trace = traceOf(log);
    expect(trace.step.slice(0, 2)).toEqual([1087, 2175]);
    // On a step axis, each training loss is still an epoch's: the whole-run rules count epochs by them.
    expect([log.byEpoch, log.epochMeans]).toEqual([false, true]);
    expect(log.notes[0]).toBe(
      '"train_loss_epoch" (each epoch\'s mean) read as the training loss, not "train_loss_step" (each step\'s)',
    );
    expect(trace.evalStep.slice(0, 2)).toEqual([1087, 2175]);
    expect(trace.valMetric?.name).toBe('accuracy');
  });

  it('reads the validation accuracy of a history with no validation loss as its evaluations (bench log 542)', async () => {
    const history = { train_loss: [0.7, 0.6, 0.5], train_acc: [0.5, 0.7, 0.9], val_acc: [0.61, 0.5, 0.43] };
    const trace = traceOf(await readLog(logFile('accuracy-only.json', JSON.stringify(history))));
    expect(trace.evalStep).toEqual([1, 2, 3]);
    expect(trace.valMetric).toEqual({ name: 'accuracy', values: [0.61, 0.5, 0.43] });
    // No validation loss was measured: NaN at each evaluation, as the engine reads "not measured".
    expect(trace.valLoss.every(Number.isNaN)).toBe(true);
  });

  it('skips the Trainer summary entry of trainer_state.json and reads eval_loss as evaluations', async () => {
    const trace = traceOf(await readLog(path.join(LOGS, 'hf-output')));
    expect(trace.evalStep).toEqual([125, 250, 375]);
    expect(trace.step.at(-1)).toBe(360);
  });

  it("passes over Trainer.predict's entries (a test set's scores, no step), as bench log 315 writes them after each evaluation", async () => {
    const history = [1, 2, 3].flatMap((epoch) => [
      { epoch: epoch - 0.1, step: 100 * epoch - 10, loss: 1 / epoch },
      { epoch, step: 100 * epoch, eval_loss: 1.2 / epoch },
      { epoch, predict_loss: 1.1 / epoch, predict_runtime: 9.5 },
    ]);
    const log = await readLog(logFile('trainer_state.json', JSON.stringify({ log_history: history })));
    expect(splitSegments(log.rows)).toHaveLength(1);
    const trace = traceOf(log);
    expect(trace.loss).toEqual([1, 1 / 2, 1 / 3]);
    expect(trace.evalStep).toEqual([100, 200, 300]);
  });

  it.each([
    // A line per logged step and a line per epoch, as a JSON logger of Lightning's metrics writes them.
    {
      perEpochLine: (epoch: number, step: number) => ({
        epoch,
        step,
        train_loss_epoch: 1 / (epoch + 1),
        val_loss: 1.2 / (epoch + 1),
      }),
    },
    // Both values on the epoch's last line.
    {
      perEpochLine: (epoch: number, step: number) => ({
        epoch,
        step,
        train_loss_step: 50,
        train_loss_epoch: 1 / (epoch + 1),
        val_loss: 1.2 / (epoch + 1),
      }),
    },
  ])(
    'judges the epoch means of JSON Lines whose lines hold a per-step or a per-epoch loss (%#)',
    async ({ perEpochLine }) => {
      const lines: string[] = [];
      for (let epoch = 0; epoch < 4; epoch++) {
        for (let step = epoch * 30; step < epoch * 30 + 29; step += 7)
          lines.push(JSON.stringify({ epoch, step, train_loss_step: step % 2 === 0 ? 50 : 1 }));
        lines.push(JSON.stringify(perEpochLine(epoch, epoch * 30 + 29)));
      }
      const log = await readLog(logFile('epochs.jsonl', lines.join('\n') + '\n'));
      expect(log.rows.map((row) => row.loss)).toEqual([1, 1 / 2, 1 / 3, 1 / 4]);
      expect(log.epochMeans).toBe(true);
      expect(log.notes[0]).toBe(
        '"train_loss_epoch" (each epoch\'s mean) read as the training loss, not "train_loss_step" (each step\'s)',
      );
    },
  );

  it('reads JSON Lines with one training loss as they are', async () => {
    const log = await readLog(
      logFile('plain.jsonl', '{"step": 0, "loss": 2}\n{"step": 1, "loss": 1, "val_loss": 1.5}\n'),
    );
    expect(log.rows.map((row) => row.loss)).toEqual([2, 1]);
    expect(log.notes).toEqual([]);
    expect(log.epochMeans).toBe(false);
  });

  it('reads JSON Lines whose losses name their unit (nats per byte)', async () => {
    const line = (step: number, loss: number) =>
      JSON.stringify({
        step,
        train_loss_nats_per_byte: loss,
        validation_loss_nats_per_byte: loss + 0.1,
        train_bpb_estimate: loss / Math.LN2,
        validation_bpb: (loss + 0.1) / Math.LN2,
        learning_rate: 0.001,
      });
    const log = await readLog(logFile('units.jsonl', `${line(0, 2)}\n${line(1, 1.5)}\n`));
    expect(traceOf(log).loss).toEqual([2, 1.5]);
    expect(traceOf(log).valLoss).toEqual([2.1, 1.6]);
    expect(traceOf(log).learningRate).toEqual([0.001, 0.001]);
  });

  it('reads JSON Lines aliases and Python bare NaN / Infinity', async () => {
    const file = logFile(
      'aliases.jsonl',
      '{"iter": 0, "train/loss": NaN, "val/loss": Infinity, "lr": 0.1}\n{"iter": 1, "train/loss": -Infinity}\n',
    );
    const trace = traceOf(await readLog(file));
    expect(trace.loss).toEqual([Number.NaN, Number.NEGATIVE_INFINITY]);
    expect(trace.valLoss).toEqual([Number.POSITIVE_INFINITY]);
  });

  it('reads test_ columns as the validation loss and says so', async () => {
    const log = await readLog(logFile('hand.csv', 'epoch,train_loss,train_acc,test_loss,test_acc\n1,2,0.1,2.1,0.1\n'));
    expect(log.notes).toEqual(['test_loss read as the validation loss']);
    expect(traceOf(log).valLoss).toEqual([2.1]);
  });

  it("rejects one test evaluation with no training or validation loss (Lightning's trainer.test()), at its row", async () => {
    await expect(readLog(logFile('metrics.csv', 'epoch,test_loss,test_acc,step\n0,0.157,0.954,0\n'))).rejects.toThrow(
      /metrics\.csv:2: not a training log: one test evaluation \(test_loss on one row/,
    );
  });

  it('still reads a test_ loss over several steps with no training loss, as the validation loss', async () => {
    const log = await readLog(logFile('held-out.csv', 'epoch,test_loss\n0,0.9\n1,0.8\n'));
    expect(log.rows.map((row) => row.valLoss)).toEqual([0.9, 0.8]);
  });

  it("reads Lightning's validation_epoch_average (the 2.0 migration example's name) as the validation loss, and says so", async () => {
    const log = await readLog(
      logFile(
        'epoch-average.csv',
        'loss,epoch,step,validation_epoch_average\n0.6,0,49,\n,0,99,0.23\n0.5,1,149,\n,1,199,0.16\n',
      ),
    );
    expect(log.notes).toContain(
      '"validation_epoch_average" read as the epoch\'s mean loss (the name Lightning\'s migration example gives it)',
    );
    expect(traceOf(log).valLoss).toEqual([0.23, 0.16]);
  });

  it.each([
    ['hist.csv', 'epoch,train_mse,val_mse,train_r2\n0,0.5,0.6,0.1\n1,0.4,0.5,0.2\n'],
    ['hist.jsonl', '{"epoch": 0, "train_mse": 0.5, "val_mse": 0.6}\n{"epoch": 1, "train_mse": 0.4, "val_mse": 0.5}\n'],
  ])('reads MSE columns as the losses of %s when no column is named for a loss, and says so', async (name, text) => {
    const log = await readLog(logFile(name, text));
    expect(log.notes).toEqual(['no column is named for a loss: train_mse and val_mse read as the loss']);
    expect(traceOf(log).loss).toEqual([0.5, 0.4]);
    expect(traceOf(log).valLoss).toEqual([0.6, 0.5]);
  });

  it('takes a pandas index column as the epoch', async () => {
    const trace = traceOf(await readLog(logFile('pandas.csv', ',loss,val_loss\n0,1,1.1\n1,0.9,1\n')));
    expect(trace.step).toEqual([0, 1]);
  });

  it('reads a TensorBoard export named tag-val_loss as the validation loss', async () => {
    const log = await readLog(path.join(LOGS, 'tensorboard-export/run-.-tag-val_loss.csv'));
    expect(log.rows.every((row) => row.valLoss !== undefined && row.loss === undefined)).toBe(true);
    expect(log.notes[0]).toContain('validation loss');
  });

  it.each([
    ['val_loss.csv', 'validation'],
    ['my-run_validation.csv', 'validation'],
    ['valid-loss.json', 'validation'],
    ['train_loss.csv', 'training'],
    ['interval.csv', 'training'],
  ])('reads a TensorBoard export renamed %s as the %s loss', async (name, split) => {
    const text = name.endsWith('.json')
      ? '[[1700000000.5, 12, 0.07], [1700000001.5, 25, 0.04]]'
      : 'Wall time,Step,Value\n1700000000.5,12,0.07\n1700000001.5,25,0.04\n';
    const log = await readLog(logFile(name, text));
    const validation = log.rows.every((row) => row.valLoss !== undefined && row.loss === undefined);
    expect(validation).toBe(split === 'validation');
    expect(log.notes[0]).toContain(`${split} loss`);
  });

  it('starts a new segment where the steps go back (an appended Keras run)', async () => {
    const log = await readLog(path.join(LOGS, 'keras-windows-append.csv'));
    const segments = splitSegments(log.rows);
    expect(segments.map((rows) => rows.length)).toEqual([2, 48]);
    expect(
      selectSegment(log.file, segments, 'all')
        .map((row) => row.step)
        .slice(0, 4),
    ).toEqual([0, 1, 2, 3]);
    expect(() => selectSegment(log.file, segments, 3)).toThrow(/--segment 3: the log has 2 segments/);
  });
});
