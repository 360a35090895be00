import { describe, expect, it } from 'vitest';
import { csvCells, csvDelimiter } from '../../src/logs/csv-line.js';
import { DecimalCommas } from '../../src/logs/decimal-commas.js';
import { DataError } from '../../src/errors.js';

describe('csvDelimiter: from the header line', () => {
  it.each([
    { header: 'epoch;lr-Adam;step;train_loss_epoch;val_loss', delimiter: ';' },
    { header: 'epoch,loss,val_loss', delimiter: ',' },
    { header: 'loss', delimiter: ',' },
    // A comma anywhere in the header: a comma-delimited file whose names hold a ";".
    { header: 'epoch,note;loss', delimiter: ',' },
    // Tab-separated (sweep s18, Yuvitsu/1REM), and a tab beside a comma or a ";" is no delimiter.
    { header: 'Epoch\tTrain_Loss\tVal_Loss\tTest_Loss', delimiter: '\t' },
    { header: 'epoch,train loss\tnote', delimiter: ',' },
    { header: 'epoch;loss\tnote', delimiter: ';' },
  ])('$header: "$delimiter"', ({ header, delimiter }) => {
    expect(csvDelimiter(header)).toBe(delimiter);
  });

  it('splits a tab-separated line on tabs, its cells trimmed', () => {
    expect(csvCells('1\t0.050210\t0.009718\t0.006539', '\t')).toEqual(['1', '0.050210', '0.009718', '0.006539']);
    expect(csvCells('training error\t', '\t')).toEqual(['training error', '']);
  });

  it('splits a ";" line on ";" only, quoted cells kept whole', () => {
    expect(csvCells('0;;9;0,107383213', ';')).toEqual(['0', '', '9', '0,107383213']);
    expect(csvCells('0;"a;b";1,5', ';')).toEqual(['0', 'a;b', '1,5']);
  });
});

describe('DecimalCommas: one decimal mark throughout a ";" log', () => {
  it.each([
    // Bench log 395's rows.
    { row: ['', '0,0001', '0', '', '', '', '', '', '', ''], read: ['', '0.0001', '0', '', '', '', '', '', '', ''] },
    { row: ['1', '-2,5e-3', '+3,0', 'nan'], read: ['1', '-2.5e-3', '+3.0', 'nan'] },
    // Whole numbers and words have no decimal mark: kept as they are.
    { row: ['12', 'abc', '1,2,3'], read: ['12', 'abc', '1,2,3'] },
  ])('$row → $read', ({ row, read }) => {
    expect(new DecimalCommas().read(row, 'log.csv:2')).toEqual(read);
  });

  it('reads decimal points as they are when no cell uses a comma, with no note', () => {
    const commas = new DecimalCommas();
    expect(commas.read(['0', '0.5'], 'log.csv:2')).toEqual(['0', '0.5']);
    expect(commas.notes()).toEqual([]);
  });

  it('notes the first line read with decimal commas', () => {
    const commas = new DecimalCommas();
    commas.read(['0', '1'], 'log.csv:2');
    commas.read(['1', '0,5'], 'log.csv:3');
    expect(commas.notes()).toEqual([
      'numbers written with a decimal comma (from log.csv:3, cells separated by ";") read as decimals',
    ]);
  });

  it.each([
    { first: ['0', '1,5'], second: ['1', '1.2'] },
    { first: ['0', '1.5'], second: ['1', '1,2'] },
  ])('throws at the row that mixes the marks: $first then $second', ({ first, second }) => {
    const commas = new DecimalCommas();
    commas.read(first, 'log.csv:2');
    expect(() => commas.read(second, 'log.csv:3')).toThrow(DataError);
  });

  it('throws at a row that mixes the marks itself, naming both', () => {
    expect(() => new DecimalCommas().read(['1,5', '1.2'], 'log.csv:2')).toThrow(
      /log\.csv:2: numbers written with a decimal comma \(log\.csv:2\) and with a decimal point \(log\.csv:2\)/,
    );
  });
});
