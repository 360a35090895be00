import { describe, expect, it } from 'vitest';
import { signedRankPValue } from '../../src/trials/signed-rank.js';

describe('signedRankPValue: the exact one-sided Wilcoxon signed-rank test', () => {
  // Exact tail probabilities of W+ for n = 3 and 5 (Conover 1999, table A12; 2^n sign patterns).
  it.each([
    { name: 'n = 1, better', gains: [0.3], p: 1 / 2 },
    { name: 'n = 3, every seed better: the sign test', gains: [0.1, 0.5, 0.2], p: 1 / 8 },
    { name: 'n = 3, the smallest change worse', gains: [-0.01, 0.5, 0.2], p: 2 / 8 },
    { name: 'n = 3, one seed unchanged counts against', gains: [0, 0.5, 0.2], p: 2 / 8 },
    { name: 'n = 5, every seed better', gains: [0.1, 0.2, 0.3, 0.4, 0.5], p: 1 / 32 },
    { name: 'n = 5, the smallest change worse (W+ = 14)', gains: [-0.01, 0.2, 0.3, 0.4, 0.5], p: 2 / 32 },
    { name: 'n = 5, the second smallest worse (W+ = 13)', gains: [0.01, -0.2, 0.3, 0.4, 0.5], p: 3 / 32 },
    { name: 'n = 5, the third smallest worse (W+ = 12)', gains: [0.01, 0.2, -0.3, 0.4, 0.5], p: 5 / 32 },
    { name: 'n = 5, better on 3 by little, worse on 2 by much', gains: [0.01, 0.02, 0.03, -0.4, -0.5], p: 22 / 32 },
    { name: 'n = 5, every seed worse', gains: [-0.1, -0.2, -0.3, -0.4, -0.5], p: 1 },
    { name: 'n = 5, a diverged run ranks largest', gains: [0.1, 0.2, 0.3, 0.4, Number.NEGATIVE_INFINITY], p: 10 / 32 },
    { name: 'n = 5, NaN counts as the worst', gains: [0.1, 0.2, 0.3, 0.4, Number.NaN], p: 10 / 32 },
    // Ties share mean ranks 2.5: W+ = 1 + 2.5 + 2.5 + 4 + 5 − 2.5 = 12.5 of the doubled-rank distribution.
    { name: 'n = 5, tied sizes share their mean rank', gains: [0.1, 0.2, -0.2, 0.4, 0.5], p: 4 / 32 },
    { name: 'no seeds', gains: [], p: 1 },
  ])('$name: p = $p', ({ gains, p }) => {
    expect(signedRankPValue(gains)).toBeCloseTo(p, 12);
  });

  it('is exact for many seeds: all 12 better is 2^-12', () => {
    expect(signedRankPValue(Array.from({ length: 12 }, (_, index) => 0.1 + index / 100))).toBeCloseTo(2 ** -12, 15);
  });

  it('does not depend on the order of the seeds', () => {
    expect(signedRankPValue([0.5, -0.01, 0.3, 0.2, 0.4])).toBe(signedRankPValue([-0.01, 0.2, 0.3, 0.4, 0.5]));
  });
});
