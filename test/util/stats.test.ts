import { describe, expect, it } from 'vitest';
import { fitLine, leastSquaresSlope, mean, median, quantile } from '../../src/util/stats.js';

describe('stats', () => {
  it('mean averages every value, NaN for none', () => {
    expect(mean([1, 2, 6])).toBe(3);
    expect(mean([])).toBeNaN();
  });

  it.each([
    { values: [5, 1, 3], expected: 3 },
    { values: [4, 1, 3, 2], expected: 2.5 },
    { values: [Number.NaN, 7, Number.POSITIVE_INFINITY, 1], expected: 4 },
    { values: [Number.NaN], expected: Number.NaN },
    { values: [], expected: Number.NaN },
  ])('median of $values is $expected, non-finite values skipped', ({ values, expected }) => {
    expect(median(values)).toEqual(expected);
  });

  it('quantile interpolates between the finite values and clamps q', () => {
    expect(quantile([0, 10, Number.NaN, 20], 0.25)).toBe(5);
    expect(quantile([0, 10, 20], 0.5)).toBe(10);
    expect(quantile([0, 10, 20], -1)).toBe(0);
    expect(quantile([0, 10, 20], 2)).toBe(20);
    expect(quantile([Number.NaN], 0.5)).toBeNaN();
  });

  it('leastSquaresSlope fits y over x, NaN when x does not vary', () => {
    expect(leastSquaresSlope([0, 1, 2, 3], [1, 3, 5, 7])).toBeCloseTo(2, 12);
    expect(leastSquaresSlope([0, 1, 2], [2, 1, 2])).toBe(0);
    expect(leastSquaresSlope([1, 1, 1], [1, 2, 3])).toBeNaN();
  });

  it('fitLine gives the slope standard error: zero on an exact line, larger with noise', () => {
    expect(fitLine([1, 2, 3, 4], [3, 5, 7, 9])).toEqual({ slope: 2, intercept: 1, slopeStandardError: 0 });
    const noisy = fitLine([1, 2, 3, 4], [3, 6, 6, 9]);
    expect(noisy.slope).toBeCloseTo(1.8, 12);
    // Residuals -0.3, 0.9, -0.9, 0.3: variance of x 5, residual squares 1.8 over 2 degrees of freedom.
    expect(noisy.slopeStandardError).toBeCloseTo(Math.sqrt(1.8 / 2 / 5), 12);
    expect(fitLine([1, 2], [1, 2]).slopeStandardError).toBeNaN();
  });
});
