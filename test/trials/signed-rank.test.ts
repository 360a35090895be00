import { describe, expect, it } from 'vitest';
import { attainedSize, signedRankPValue } from '../../src/trials/signed-rank.js';
import { improvement, scoreDifference } from '../../src/trials/trial-stats.js';

const INF = Number.POSITIVE_INFINITY;

/**
 * The share of the 2^n ways to label each seed's two runs (which was the baseline, which the fix)
 * whose p is at or below `level`, for a statistic of (baseline, fixed). Under the null hypothesis that
 * the fix does nothing every labelling is equally likely, so for an exact test this share is at
 * most the level, whatever the runs scored (the permutation argument, Conover 1999 section 5.7).
 */
function nullRejections(
  pairs: readonly [number, number][],
  level: number,
  statistic: (b: number, f: number) => number,
) {
  let rejected = 0;
  for (let mask = 0; mask < 2 ** pairs.length; mask++) {
    const values = pairs.map(([a, b], index) => ((mask >> index) & 1 ? statistic(b, a) : statistic(a, b)));
    if (signedRankPValue(values) <= level) rejected++;
  }
  return rejected / 2 ** pairs.length;
}

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

/** Five seeds whose baseline and fixed runs never tie: a fix better on each by 1 to 5. */
const UNTIED_FIVE: [number, number][] = [
  [1, 2],
  [1, 3],
  [1, 4],
  [1, 5],
  [1, 6],
];

describe('the test on score differences is exact at its level, for any runs', () => {
  // Pairs of (baseline, fixed) scores of the kinds trials produce: noisy tails, a diverged run,
  // losses spread over decades, negative losses, ties.
  it.each([
    {
      name: 'so-34673164-like noisy 20-step tails',
      pairs: [
        [0.19, 0.16],
        [0.16, 0.16],
        [0.21, 0.16],
        [0.13, 0.16],
        [0.26, 0.16],
      ],
    },
    {
      name: 'scores over decades',
      pairs: [
        [17.7, 0.09],
        [64, 1.9],
        [59, 1.3],
        [41, 0.29],
        [40, 0.29],
      ],
    },
    {
      name: 'a diverged baseline run',
      pairs: [
        [INF, 1],
        [2, 1.5],
        [3, 2],
        [2.5, 2.6],
        [4, 1],
      ],
    },
    {
      name: 'negative losses',
      pairs: [
        [-0.5, -1],
        [-0.2, -0.1],
        [-0.9, -0.3],
        [-0.4, -0.45],
        [-0.7, -0.6],
      ],
    },
    {
      name: 'tied differences',
      pairs: [
        [1, 2],
        [2, 1],
        [3, 2],
        [2, 3],
        [5, 4],
      ],
    },
    { name: 'ten seeds', pairs: Array.from({ length: 10 }, (_, index) => [1 + index, 1.5 + (index % 3)]) },
  ] as { name: string; pairs: [number, number][] }[])('$name', ({ pairs }) => {
    for (const level of [1 / 8, 3 / 32, 1 / 32]) {
      expect(nullRejections(pairs, level, scoreDifference)).toBeLessThanOrEqual(level + 1e-12);
    }
  });

  it('attains its level on untied seeds: every labelling counted, 3/32 of them pass at 5 seeds', () => {
    expect(nullRejections(UNTIED_FIVE, 1 / 8, scoreDifference)).toBeCloseTo(attainedSize(5, 1 / 8), 12);
  });

  it('1 − fixed/baseline, not sign-symmetric, gives away level: 1/32 of labellings pass 1/8 where 3/32 should', () => {
    // Swapped, a fix's gain of 1 − f/b becomes 1 − b/f, larger in size: worse seeds outrank better ones.
    expect(nullRejections(UNTIED_FIVE, 1 / 8, improvement)).toBeCloseTo(1 / 32, 12);
  });
});

describe('a fix that passes is better on the user’s metric: the mean score difference is positive', () => {
  // At every level a trial is tested at (3 seeds 1/8, 5 seeds 3/32, 10 seeds 1/32), each seed where
  // the fix was worse is outranked by a distinct seed where it was better, so the fixed runs' mean
  // score is below the baseline's, however large the sizes. Checked on every sign pattern.
  it.each([
    { seeds: 3, level: 1 / 8 },
    { seeds: 5, level: 3 / 32 },
    { seeds: 10, level: 1 / 32 },
  ])('$seeds seeds at p <= $level', ({ seeds, level }) => {
    // Sizes growing fast, so that a worse seed's size outweighs all the smaller ones together.
    const sizes = Array.from({ length: seeds }, (_, index) => 3 ** index);
    for (let mask = 0; mask < 2 ** seeds; mask++) {
      const differences = sizes.map((size, index) => ((mask >> index) & 1 ? -size : size));
      if (signedRankPValue(differences) <= level)
        expect(differences.reduce((sum, value) => sum + value, 0)).toBeGreaterThan(0);
    }
  });
});
