import { describe, expect, it } from 'vitest';
import { lossFileHeader } from '../../src/logs/loss-file-columns.js';

describe('lossFileHeader: a CSV whose file name says it holds losses (held-out logs 641, 643, 645)', () => {
  it.each([
    {
      name: 'columns named by their split only (643)',
      file: 'losses.csv',
      cells: ['', 'ep', 'train', 'valid', 'total'],
      names: ['', 'ep', 'train_loss', 'valid_loss', 'total_loss'],
      firstIsRow: false,
      loss: undefined,
    },
    {
      name: "a GAN's two networks: the generator judged (641)",
      file: 'losses.csv',
      cells: ['', 'discriminator', 'Generator'],
      names: ['', 'discriminator_loss', 'Generator_loss'],
      firstIsRow: false,
      loss: 'Generator_loss',
    },
    {
      name: 'no header: step and loss pairs (645)',
      file: 'losses.csv',
      cells: ['1', '52.58781051635742'],
      names: ['step', 'loss'],
      firstIsRow: true,
      loss: undefined,
    },
    {
      name: 'no header: one column of losses',
      file: 'train_losses.csv',
      cells: ['0.93'],
      names: ['loss'],
      firstIsRow: true,
      loss: undefined,
    },
  ])('reads $name', ({ file, cells, names, firstIsRow, loss }) => {
    const header = lossFileHeader(file, cells);
    expect(header).toMatchObject({ names, firstIsRow });
    expect(header?.loss).toBe(loss);
  });

  it.each([
    ['a file not named for losses', 'results.csv', ['', 'train', 'valid']],
    ['a word that only contains "loss"', 'glossary.csv', ['', 'train', 'valid']],
    ['a header that names its loss (read by the CSV readers)', 'losses.csv', ['epoch', 'train_loss']],
    ['a headerless file of three columns', 'losses.csv', ['1', '0.5', '0.6']],
    ['a headerless pair whose first value is no step', 'losses.csv', ['0.5', '0.6']],
    ["a loss landscape's grid", 'loss_landscape.csv', ['alpha', 'beta', 'value']],
    ['class weights of a loss', 'loss_weights.csv', ['class', 'weight']],
    ['a table of anything else', 'loss-report.csv', ['name', 'age', 'score']],
  ])('does not read %s', (_name, file, cells) => {
    expect(lossFileHeader(file, cells)).toBeUndefined();
  });
});
