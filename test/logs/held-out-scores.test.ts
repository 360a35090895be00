import { describe, expect, it } from 'vitest';
import { judgeLog } from '../../src/commands/analyze.js';
import { logTrace } from '../../src/logs/log-trace.js';
import { readLog, type TrainingLog } from '../../src/logs/read-log.js';
import { selectSegment, splitSegments } from '../../src/logs/log-segments.js';
import { ScalarColumns } from '../../src/logs/scalar-columns.js';
import { chooseTags, scalarRows } from '../../src/logs/tfevents-tags.js';
import { tempLogWriter } from './temp-log.js';

/**
 * Every reader's key table reads a held-out score that improves upwards (log-keys.ts HELD_OUT_SCORES)
 * into the trace's own series, valScore, at the steps it was logged; never into valMetric, which
 * the detectors read as an accuracy.
 */
const logFile = tempLogWriter('held-out-scores');
const traceOf = (log: TrainingLog) => logTrace(log.file, selectSegment(log.file, splitSegments(log.rows), 'last'));

describe('readers read a held-out score', () => {
  it.each([
    {
      format: 'a Keras-style CSV',
      name: 'history.csv',
      content: 'epoch,loss,val_loss,val_f1\n0,1.0,1.1,0.50\n1,0.8,1.0,0.60\n2,0.6,1.05,0.58\n',
      score: { name: 'f1', step: [0, 1, 2], values: [0.5, 0.6, 0.58] },
    },
    {
      format: 'JSON Lines',
      name: 'metrics.jsonl',
      content:
        '{"iter": 100, "train/loss": 2.0}\n{"iter": 200, "train/loss": 1.5, "val/mIoU": 0.41}\n' +
        '{"iter": 300, "train/loss": 1.2}\n{"iter": 400, "train/loss": 1.0, "val/mIoU": 0.47}\n',
      score: { name: 'miou', step: [200, 400], values: [0.41, 0.47] },
    },
    {
      format: "HuggingFace's trainer_state.json",
      name: 'trainer_state.json',
      content: JSON.stringify({
        log_history: [
          { loss: 0.9, step: 10, epoch: 1 },
          { eval_loss: 0.8, eval_f1: 0.71, step: 10, epoch: 1 },
          { loss: 0.6, step: 20, epoch: 2 },
          { eval_loss: 0.7, eval_f1: 0.74, step: 20, epoch: 2 },
        ],
      }),
      score: { name: 'f1', step: [10, 20], values: [0.71, 0.74] },
    },
    {
      format: 'a printed log whose validation line prints only scores (bench log 568)',
      name: 'train_log.txt',
      content: [
        '  step    100/300  loss 0.08252  lr 4.00e-07',
        '  step    200/300  loss 0.06992  lr 4.00e-05',
        '  VAL step 200: PSNR 24.5440  SSIM 0.5819',
        '  saved best.pt (PSNR 24.5440)',
        '  step    300/300  loss 0.06231  lr 8.00e-05',
        '  VAL step 300: PSNR 26.2598  SSIM 0.6630',
        '',
      ].join('\n'),
      score: { name: 'psnr', step: [200, 300], values: [24.544, 26.2598] },
    },
  ])('$format', async ({ name, content, score }) => {
    const trace = traceOf(await readLog(logFile(name, content)));
    expect(trace.valScore).toEqual(score);
    expect(trace.valMetric).toBeNull();
  });

  it.each([
    {
      name: 'JSON Lines that write val_auc, then val_f1',
      file: 'scores.jsonl',
      content:
        '{"epoch": 0, "loss": 1.0, "val_auc": 0.90}\n{"epoch": 1, "loss": 0.8, "val_auc": 0.957}\n' +
        '{"epoch": 2, "loss": 0.6, "val_f1": 0.61}\n{"epoch": 3, "loss": 0.5, "val_f1": 0.62}\n',
      score: { name: 'auc', step: [0, 1], values: [0.9, 0.957] },
    },
    {
      name: 'a printed log with a PSNR line and an SSIM line',
      file: 'train.log',
      content:
        'step 100 loss 0.08\nVAL step 100: PSNR 24.5\nVAL step 100: SSIM 0.58\n' +
        'step 200 loss 0.07\nVAL step 200: PSNR 26.2\nVAL step 200: SSIM 0.66\n',
      score: { name: 'psnr', step: [100, 200], values: [24.5, 26.2] },
    },
  ])('two scores: only the first one the log writes is read ($name)', async ({ file, content, score }) => {
    const report = judgeLog(await readLog(logFile(file, content)));
    expect(report.probe?.trace.valScore).toEqual(score);
  });

  it('a TensorBoard run: the validation score tag fills valScore, named by its score', () => {
    const scalars = new ScalarColumns();
    const choice = chooseTags(['train/loss', 'val/dice'], 'run');
    expect(choice.fields.get('val/dice')).toBe('valScore');
    scalars.push('train/loss', 1, 1, 0, 0.9);
    scalars.push('val/dice', 2, 1, 0, 0.62);
    scalars.push('train/loss', 3, 2, 0, 0.7);
    scalars.push('val/dice', 4, 2, 0, 0.66);
    const trace = logTrace('run', scalarRows(scalars, choice.fields));
    expect(trace.valScore).toEqual({ name: 'dice', step: [1, 2], values: [0.62, 0.66] });
  });

  it.each([
    {
      name: 'a training score is not read',
      content: 'epoch,loss,val_loss,train_f1\n0,1.0,1.1,0.5\n1,0.8,1.0,0.6\n',
    },
    {
      name: 'a score line of a printed log without its step is not read',
      content: 'step 100 loss 0.08\nstep 200 loss 0.07\nVAL: PSNR 24.5\nstep 300 loss 0.06\n',
      file: 'train.log',
    },
    {
      name: 'a Dice loss is a loss, not a score',
      content: 'epoch,loss,val_dice_loss\n0,1.0,0.9\n1,0.8,0.7\n',
    },
  ])('must not read: $name', async ({ content, file }) => {
    const trace = traceOf(await readLog(logFile(file ?? 'other.csv', content)));
    expect(trace.valScore).toBeNull();
  });
});

/** analyze's `notEvaluated` follows what the overfitting detectors read: any one form of held-out data is enough. */
describe('analyze: overfitting not evaluated', () => {
  const rows = (column: string) =>
    `epoch,train_loss,${column}\n0,1.0,0.50\n1,0.8,0.60\n2,0.6,0.65\n3,0.5,0.70\n4,0.45,0.72\n`;
  const listed = async (column: string) =>
    judgeLog(await readLog(logFile(`${column}.csv`, rows(column)))).notEvaluated?.filter(
      ({ symptom }) => symptom === 'overfitting',
    );

  it.each(['val_acc', 'val_f1', 'val_loss'])('must not list it: a log with %s', async (column) => {
    expect(await listed(column)).toEqual([]);
  });

  it.each(['train_acc', 'train_f1'])('must list it: a log with only %s beside the loss', async (column) => {
    expect(await listed(column)).toEqual([{ symptom: 'overfitting', needs: ['val_loss'] }]);
  });

  it.each([
    ['val_acc', 50],
    ['val_mIoU', 30],
  ])('must list it: a log whose %s is in percent (from %i), a scale no detector reads', async (column, from) => {
    const lines = Array.from({ length: 20 }, (_, epoch) => `${epoch},${1 / (epoch + 1)},${from + epoch}`);
    const log = await readLog(logFile(`percent-${column}.csv`, [`epoch,loss,${column}`, ...lines, ''].join('\n')));
    expect(judgeLog(log).notEvaluated?.filter(({ symptom }) => symptom === 'overfitting')).toEqual([
      { symptom: 'overfitting', needs: ['val_loss'] },
    ]);
  });
});
