/**
 * A logged cell as a number: the fast path for plain decimals must agree with the careful one on
 * every spelling a logger writes, and reject what only Number() would read (hex, binary, octal).
 */
import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { logNumber } from '../../src/logs/log-row.js';

describe('logNumber', () => {
  it.each([
    ['0.25', 0.25],
    ['-1.5e-3', -1.5e-3],
    ['1e5', 1e5],
    ['.5', 0.5],
    ['3.', 3],
    ['007', 7],
    [' 0.5 ', 0.5],
    ['+2', 2],
    ['nan', Number.NaN],
    ['NaN', Number.NaN],
    ['inf', Number.POSITIVE_INFINITY],
    ['-inf', Number.NEGATIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    [1.25, 1.25],
  ])('reads %j as %d', (cell, value) => {
    expect(logNumber(cell, 'log.csv:2', 'loss')).toBe(value);
  });

  it.each(['', 'NA', 'null', null])('reads %j as no value', (cell) => {
    expect(logNumber(cell, 'log.csv:2', 'loss')).toBeUndefined();
  });

  it.each(['0x10', '0b1', '0o7', '-0x10', '1e', '-', '1_000', 'abc', '0.5.1'])(
    'rejects %j with the line and column',
    (cell) => {
      expect(() => logNumber(cell, 'log.csv:2', 'loss')).toThrow(DataError);
      expect(() => logNumber(cell, 'log.csv:2', 'loss')).toThrow(/log\.csv:2: loss is/);
    },
  );
});
