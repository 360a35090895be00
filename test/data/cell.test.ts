import { describe, expect, it } from 'vitest';
import { parseNumber } from '../../src/data/cell.js';

describe('parseNumber', () => {
  // The digit-led cells take a Number() fast path; it must read them exactly as the decimal grammar does.
  it.each([
    ['0', 0],
    ['007', 7],
    ['255', 255],
    ['0.5', 0.5],
    ['1.', 1],
    ['1e5', 1e5],
    ['1E-3', 1e-3],
    ['1e999', Number.POSITIVE_INFINITY],
    ['12 ', 12],
    [' 12', 12],
    ['-4.5', -4.5],
    ['.25', 0.25],
    ['NA', Number.NaN],
    ['', Number.NaN],
    ['-inf', Number.NEGATIVE_INFINITY],
  ])('reads %j as %d', (cell, expected) => {
    expect(parseNumber(cell)).toBe(expected);
  });

  it.each(['0x10', '0X1F', '0b1', '0B1', '0o7', '0O7', '1_000', '12abc', '1e', '1 2', '1.2.3'])(
    'does not take %j for a number',
    (cell) => {
      expect(parseNumber(cell)).toBeUndefined();
    },
  );
});
