import { describe, expect, it } from 'vitest';
import { judgeEpochLoss, perStepLoss } from '../../src/logs/epoch-loss.js';
import { logColumns } from '../../src/logs/log-columns.js';
import type { LogRow } from '../../src/logs/log-row.js';
import { chooseTags, judgedRows, scalarRows } from '../../src/logs/tfevents-tags.js';
import { ScalarColumns } from '../../src/logs/scalar-columns.js';

describe('the training and validation losses judged: each epoch mean over each step', () => {
  it.each([
    // Lightning's CSVLogger with on_step=True, on_epoch=True (bench logs 125, 127).
    {
      names: ['epoch', 'step', 'train_loss_epoch', 'train_loss_step', 'val_loss'],
      loss: 'train_loss_epoch',
      stepLoss: 'train_loss_step',
      valLoss: 'val_loss',
    },
    {
      names: ['val_loss_step', 'step', 'val_loss_epoch', 'epoch', 'train_loss_epoch', 'train_loss_step'],
      loss: 'train_loss_epoch',
      stepLoss: 'train_loss_step',
      valLoss: 'val_loss_epoch',
    },
    // A per-step loss under its plain name beside the epoch mean.
    { names: ['step', 'train_loss', 'train_loss_epoch'], loss: 'train_loss_epoch', stepLoss: 'train_loss' },
    { names: ['step', 'batch_loss', 'epoch_loss'], loss: 'epoch_loss', stepLoss: 'batch_loss' },
    { names: ['step', 'train/loss', 'train/epoch_loss'], loss: 'train/epoch_loss', stepLoss: 'train/loss' },
    // One form only: read as it is, nothing beside it.
    { names: ['epoch', 'step', 'train_loss_step', 'val_loss'], loss: 'train_loss_step', valLoss: 'val_loss' },
    { names: ['epoch', 'step', 'train_loss_epoch', 'val_loss'], loss: 'train_loss_epoch', valLoss: 'val_loss' },
    { names: ['epoch', 'loss', 'val_loss'], loss: 'loss', valLoss: 'val_loss' },
    // Accuracy and other metrics are never a per-step loss beside the epoch mean.
    { names: ['step', 'train_loss_epoch', 'train_acc_step', 'train_f1_step'], loss: 'train_loss_epoch' },
    // A loss named for its kind is another loss, not the same one per step.
    { names: ['step', 'train_loss_epoch', 'nll_loss'], loss: 'train_loss_epoch' },
    { names: ['step', 'train_loss_epoch', 'train_mse'], loss: 'train_loss_epoch' },
  ])('$names', ({ names, loss, stepLoss, valLoss }) => {
    const columns = logColumns(names);
    expect({ loss: columns.loss, stepLoss: columns.stepLoss, valLoss: columns.valLoss }).toEqual({
      loss,
      stepLoss,
      valLoss,
    });
  });

  it.each([
    ['val_loss_epoch', ['val_loss_step', 'val_loss_epoch', 'train_loss_step'], 'val_loss_step'],
    ['test_loss_epoch', ['test_loss_step', 'test_loss_epoch'], 'test_loss_step'],
    ['val_loss', ['val_loss', 'val_loss_step'], undefined],
    ['train_acc_epoch', ['train_acc_epoch', 'train_acc_step'], 'train_acc_step'],
  ])('beside %s in %j the per-step value is %s', (epoch, names, step) => {
    expect(perStepLoss(names, epoch)).toBe(step);
  });

  it('says which validation loss it read when both forms are logged', () => {
    expect(logColumns(['step', 'val_loss_step', 'val_loss_epoch', 'train_loss_step']).notes).toEqual([
      '"val_loss_epoch" (each epoch\'s mean) read as the validation loss, not "val_loss_step"',
    ]);
  });
});

/** Rows as a Lightning run logs them: a per-step loss every 10 steps, each epoch's mean at its last step. */
function lightningRows(epochs: number, extraSteps = 0): LogRow[] {
  const rows: LogRow[] = [];
  const row = (step: number, values: Partial<LogRow>): LogRow => ({
    line: rows.length + 2,
    step,
    variableGradNorms: {},
    updateRatios: {},
    ...values,
  });
  for (let epoch = 0; epoch < epochs; epoch++)
    for (let step = epoch * 30 + 9; step < (epoch + 1) * 30; step += 10) {
      // One batch in each epoch at 50x the others: noise around the mean.
      rows.push(row(step, { stepLoss: step % 30 === 19 ? 50 : 1 }));
      if (step % 30 === 29) rows.push(row(step, { loss: 1 / (epoch + 1), valLoss: 1.1 / (epoch + 1) }));
    }
  for (let step = epochs * 30 + 9; step < epochs * 30 + extraSteps; step += 10) rows.push(row(step, { stepLoss: 9 }));
  return rows;
}

describe('judgeEpochLoss', () => {
  it('judges the epoch means when three or more epochs ended, and drops the per-step rows', () => {
    const judged = judgeEpochLoss(lightningRows(4), 'train_loss_epoch', 'train_loss_step', true);
    expect(judged.perEpoch).toBe(true);
    expect(judged.rows.map((row) => row.loss)).toEqual([1, 1 / 2, 1 / 3, 1 / 4]);
    expect(judged.notes).toEqual([
      '"train_loss_epoch" (each epoch\'s mean) read as the training loss, not "train_loss_step" (each step\'s)',
    ]);
  });

  it('says how many step values of an epoch that did not end are not judged', () => {
    const judged = judgeEpochLoss(lightningRows(3, 25), 'train_loss_epoch', 'train_loss_step', true);
    expect(judged.notes[0]).toMatch(/; the 2 step values after step 89, an epoch not ended, are not judged$/);
    // Keras logs its epoch means at the epoch's number: its batches' steps are no epoch that did not end.
    expect(judgeEpochLoss(lightningRows(3, 25), 'epoch_loss', 'batch_loss', false).notes[0]).not.toMatch(/not ended/);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])(
    'judges a %s step loss of an epoch not ended as its mean (what a mean with it in comes to)',
    (value) => {
      const rows = lightningRows(3, 45);
      rows.findLast((row) => row.stepLoss !== undefined)!.stepLoss = value;
      const judged = judgeEpochLoss(rows, 'train_loss_epoch', 'train_loss_step', true);
      expect(judged.rows.map((row) => [row.step, row.loss])).toEqual([
        [29, 1],
        [59, 1 / 2],
        [89, 1 / 3],
        [129, value],
      ]);
      expect(judged.notes[0]).toMatch(
        new RegExp(
          `the 4 step values after step 89, an epoch not ended, are not judged, but for the ${value} at step 129, judged as that epoch's mean$`,
        ),
      );
    },
  );

  it('gives each epoch mean the learning rate in force, logged on the per-step rows (LearningRateMonitor)', () => {
    const rows = lightningRows(3).map((row, index) =>
      row.stepLoss === undefined ? row : { ...row, learningRate: 0.1 / (index + 1) },
    );
    const judged = judgeEpochLoss(rows, 'train_loss_epoch', 'train_loss_step', true);
    const lastRateBefore = (step: number) =>
      rows.filter((row) => row.step <= step).findLast((row) => row.learningRate)!;
    expect(judged.rows.map((row) => row.learningRate)).toEqual(
      judged.rows.map((row) => lastRateBefore(row.step).learningRate),
    );
  });

  it('keeps the evaluations of a log whose two training losses hold no value yet', () => {
    const rows = lightningRows(2)
      .filter((row) => row.loss !== undefined)
      .map((row) => ({ ...row, loss: undefined }));
    const judged = judgeEpochLoss(rows, 'train_loss_epoch', 'train_loss_step', true);
    expect(judged.rows.map((row) => row.valLoss)).toEqual([1.1, 1.1 / 2]);
    expect(judged.rows.every((row) => row.loss === undefined)).toBe(true);
  });

  it.each([0, 1, 2])('judges the per-step values when only %i epochs ended', (epochs) => {
    const judged = judgeEpochLoss(lightningRows(epochs, 25), 'train_loss_epoch', 'train_loss_step', true);
    expect(judged.perEpoch).toBe(false);
    expect(judged.rows.filter((row) => row.loss !== undefined).length).toBe(epochs * 3 + 2);
    // The evaluations stay, at their steps.
    expect(judged.rows.filter((row) => row.valLoss !== undefined).length).toBe(epochs);
    expect(judged.notes[0]).toBe(
      `"train_loss_step" (each step's) read as the training loss: "train_loss_epoch" has ${epochs} epoch means, fewer than the 3 the log rules need`,
    );
  });
});

describe('TensorBoard: Lightning tags train_loss_step and train_loss_epoch', () => {
  function lightningScalars(): ScalarColumns {
    const scalars = new ScalarColumns();
    for (const [index, row] of lightningRows(4).entries()) {
      if (row.stepLoss !== undefined) scalars.push('train_loss_step', index, row.step, index, row.stepLoss);
      if (row.loss !== undefined) scalars.push('train_loss_epoch', index, row.step, index, row.loss);
      scalars.push('epoch', index, row.step, index, Math.floor(row.step / 30));
    }
    return scalars;
  }
  const names = ['train_loss_step', 'epoch', 'train_loss_epoch'];

  it('judges the epoch means, on the step axis (Lightning logs them at the global step)', () => {
    const judged = judgedRows(lightningScalars(), chooseTags(names, 'run'));
    expect(judged.byEpoch).toBe(false);
    expect(judged.rows.map((row) => [row.step, row.loss])).toEqual([
      [29, 1],
      [59, 1 / 2],
      [89, 1 / 3],
      [119, 1 / 4],
    ]);
    expect(judged.notes[0]).toMatch(/^"train_loss_epoch" \(each epoch's mean\) read as the training loss/);
  });

  it('reads the tag --tag names, alone', () => {
    const choice = chooseTags(names, 'run', 'train_loss_step');
    expect(choice.fields).toEqual(new Map([['train_loss_step', 'loss']]));
    const judged = judgedRows(lightningScalars(), choice);
    expect(judged.rows.length).toBe(scalarRows(lightningScalars(), choice.fields).length);
    expect(judged.rows.map((row) => row.loss).slice(0, 3)).toEqual([1, 50, 1]);
    expect(judged.notes).toEqual(['tag "train_loss_step" read as the training loss']);
  });

  it('reads a Keras run on its epoch axis: epoch_loss at the epoch number, no epoch tag', () => {
    expect(chooseTags(['batch_loss', 'epoch_loss'], 'run').byEpoch).toBe(true);
  });
});
