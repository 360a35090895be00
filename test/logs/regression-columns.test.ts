/**
 * A regression's `accuracy` column is no classifier's (log 83 of bench/logs: Keras' accuracy beside
 * an MSE loss and an `mae` metric): the columns that say "regression", and that logColumns then reads
 * no accuracy from which a chance level would be inferred.
 */
import { describe, expect, it } from 'vitest';
import { logColumns } from '../../src/logs/log-columns.js';
import { regressionColumn } from '../../src/logs/regression-columns.js';

describe('regressionColumn', () => {
  it.each([
    [['epoch', 'accuracy', 'loss', 'mae', 'val_accuracy', 'val_loss', 'val_mae'], 'mae'],
    [['epoch', 'loss', 'mean_absolute_error', 'acc'], 'mean_absolute_error'],
    [['step', 'train_mse', 'val_mse', 'train_acc'], 'train_mse'],
    [['epoch', 'train/loss', 'val/r2', 'val/acc'], 'val/r2'],
    [['epoch', 'epoch_rmse', 'epoch_accuracy'], 'epoch_rmse'],
    [['epoch', 'train_mae_epoch', 'train_acc_epoch'], 'train_mae_epoch'],
    [['epoch', 'huber_loss', 'accuracy'], 'huber_loss'],
    [['Epoch', 'TrainLoss', 'ValMAE', 'ValAcc'], 'ValMAE'],
  ])('must trigger: %j', (names, found) => {
    expect(regressionColumn(names)).toBe(found);
  });

  it.each([
    [['epoch', 'accuracy', 'loss', 'val_accuracy', 'val_loss']],
    [['epoch', 'train_loss', 'train_acc', 'nll', 'val_nll']],
    [['step', 'loss', 'bce', 'cross_entropy', 'eval_f1', 'eval_mcc']],
    [['epoch', 'maelstrom', 'mse_weight', 'accuracy', 'top5_accuracy']],
  ])('must not trigger: %j', (names) => {
    expect(regressionColumn(names)).toBeUndefined();
  });
});

describe('logColumns on a regression', () => {
  it('reads no accuracy when an mae column says regression, and says so', () => {
    const columns = logColumns(['epoch', 'accuracy', 'loss', 'mae', 'val_accuracy', 'val_loss', 'val_mae']);
    expect({ accuracy: columns.accuracy, valAccuracy: columns.valAccuracy, loss: columns.loss }).toEqual({
      accuracy: undefined,
      valAccuracy: undefined,
      loss: 'loss',
    });
    expect(columns.notes).toEqual([
      "accuracy and val_accuracy not read as a classifier's accuracy: the mae column says the run is a regression",
    ]);
  });

  it("keeps a classifier's accuracy", () => {
    const columns = logColumns(['epoch', 'accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect([columns.accuracy, columns.valAccuracy, columns.notes]).toEqual(['accuracy', 'val_accuracy', []]);
  });

  it('says nothing about a regression that logs no accuracy', () => {
    expect(logColumns(['epoch', 'loss', 'mae', 'val_loss', 'val_mae']).notes).toEqual([]);
  });
});
