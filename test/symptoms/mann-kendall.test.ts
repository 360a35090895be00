import { describe, expect, it } from 'vitest';
import { mannKendallZ, TREND_Z_5_PERCENT } from '../../src/symptoms/mann-kendall.js';

describe('mannKendallZ', () => {
  it.each([
    ['four values each above all before (S = 6 of 6)', [1, 2, 3, 4], 1.7],
    ['a noisy climb over eleven values', [58, 73, 89, 113, 71, 123, 103, 114, 86, 168, 122], 2.18],
  ])('rises significantly: %s', (_, values, z) => {
    expect(mannKendallZ(values)).toBeCloseTo(z, 1);
    expect(mannKendallZ(values)).toBeGreaterThanOrEqual(TREND_Z_5_PERCENT);
  });
  it.each([
    ['a rise then a fall back', [0.67, 0.679, 0.671, 0.733, 0.716, 0.7, 0.692, 0.694]],
    ['three values (too few for 5%)', [1, 2, 3]],
    ['all equal (ties only)', [0.5, 0.5, 0.5, 0.5, 0.5]],
    ['a fall', [4, 3, 2, 1]],
    ['two values', [1, 2]],
  ])('does not: %s', (_, values) => {
    expect(mannKendallZ(values)).toBeLessThan(TREND_Z_5_PERCENT);
  });
  it('is antisymmetric: a reversed series scores the negative', () => {
    const values = [3, 1, 4, 1, 5, 9, 2, 6];
    expect(mannKendallZ([...values].reverse())).toBeCloseTo(-mannKendallZ(values), 10);
  });
});
