import { describe, expect, it } from 'vitest';
import { logColumns } from '../../src/logs/log-columns.js';
import { readLog } from '../../src/logs/read-log.js';
import { tempLogWriter } from './temp-log.js';

/** The rule of keysByRank (log-keys.ts): which column of a header is read as the training loss. */
describe('the training loss column of a header', () => {
  it.each([
    // A plain name before anything named for a kind, a part or an aggregate.
    [['epoch', 'loss', 'total_loss', 'kl_loss'], 'loss'],
    [['step', 'train_loss_step', 'total_loss'], 'train_loss_step'],
    [['epoch', 'train_loss_epoch', 'train_loss_step'], 'train_loss_epoch'],
    // An aggregate (total, sum, mean) before its parts, wherever it stands.
    [['recon_loss', 'kl_loss', 'total_loss'], 'total_loss'],
    [['kl_loss', 'loss_total'], 'loss_total'],
    [['step', 'loss_tgt_mean', 'loss_scaled', 'vicreg_loss', 'lr', 'grad_norm'], 'loss_tgt_mean'],
    [['nll_loss', 'avg_loss'], 'avg_loss'],
    [['epoch', 'train/recon_loss', 'train/combined_loss'], 'train/combined_loss'],
    // Parts only: the first, as a logger writes the loss it optimizes first.
    [['', 'mse_observation_loss', 'saturation_loss', 'ce_reward_loss', 'reward_f1'], 'mse_observation_loss'],
    [['epoch', 'policy_loss', 'value_loss'], 'policy_loss'],
    // A part named for a loss before a metric that is a loss function; a metric when nothing else is.
    [['epoch', 'train_mse', 'nll_loss'], 'nll_loss'],
    [['epoch', 'train_mse', 'val_mse'], 'train_mse'],
    // Not losses: a mixed-precision scaler, a weight, a scaled copy.
    [['step', 'loss_scale', 'loss_weight', 'reward_loss'], 'reward_loss'],
    [['step', 'loss_scaled', 'lr'], undefined],
  ])('%j -> %s', (header, loss) => {
    expect(logColumns(header).loss).toBe(loss);
  });

  it('keeps the validation loss apart: an aggregate of each split', () => {
    const columns = logColumns(['epoch', 'train_kl_loss', 'train_total_loss', 'val_kl_loss', 'val_total_loss']);
    expect(columns).toMatchObject({ loss: 'train_total_loss', valLoss: 'val_total_loss' });
    expect(columns.lossAlternatives).toEqual(['train_kl_loss']);
  });

  it('reads the column it is given alone, and picks the others without it', () => {
    const columns = logColumns(['epoch', 'loss', 'aux_loss', 'val_loss'], 'aux_loss');
    expect(columns).toMatchObject({ loss: 'aux_loss', valLoss: 'val_loss', stepLoss: undefined });
    expect(columns.lossAlternatives).toEqual([]);
  });
});

describe('a loss column that holds one value on every line', () => {
  const write = tempLogWriter('constant-loss');
  const lines = (count: number, line: (index: number) => string) =>
    Array.from({ length: count }, (_, index) => line(index)).join('\n');

  it.each([
    ['csv', `epoch,vicreg_loss,recon_loss\n${lines(6, (i) => `${i},0.0,${(1 / (i + 1)).toFixed(3)}`)}\n`],
    ['jsonl', `${lines(6, (i) => JSON.stringify({ step: i, vicreg_loss: 0, recon_loss: 1 / (i + 1) }))}\n`],
  ])('is passed over for one that varies (%s), and the report says so', async (extension, text) => {
    const log = await readLog(write(`parts.${extension}`, text));
    expect(log.lossColumn).toBe('recon_loss');
    expect(log.rows.map((row) => row.loss)).toEqual(
      [1, 0.5, 1 / 3, 0.25, 0.2, 1 / 6].map((value) => expect.closeTo(value, 3)),
    );
    expect(log.notes).toContain(
      '"vicreg_loss" holds 0 on every line: "recon_loss", which varies, read as the training loss',
    );
  });

  it('passes over a value that is no number in a loss key it does not read (a list)', async () => {
    const text = lines(4, (i) => JSON.stringify({ step: i, aux_loss: 0, kl_loss: [i, 1] }));
    const log = await readLog(write('lists.jsonl', `${text}\n`));
    expect(log.lossColumn).toBe('aux_loss');
  });

  it.each([
    // The objective itself never moving is the run's own plateau.
    ['a plain loss', `epoch,loss,kl_loss\n${lines(5, (i) => `${i},0.693,${i / 10}`)}\n`, 'loss'],
    ['a total', `epoch,total_loss,kl_loss\n${lines(5, (i) => `${i},2.0,${i / 10}`)}\n`, 'total_loss'],
    // No other loss column varies.
    ['every part constant', `epoch,aux_loss,recon_loss\n${lines(5, (i) => `${i},0,1`)}\n`, 'aux_loss'],
  ])('is kept when it is %s', async (_, text, loss) => {
    const log = await readLog(write('kept.csv', text));
    expect(log.lossColumn).toBe(loss);
    expect(log.notes.join('\n')).not.toMatch(/on every line/);
  });
});
