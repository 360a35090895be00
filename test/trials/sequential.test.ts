import { describe, expect, it } from 'vitest';
import { firstLook, longerHorizon, lookLevel, secondLookPlan, sequentialDesign } from '../../src/trials/sequential.js';
import { attainedSize } from '../../src/trials/signed-rank.js';
import { isVerified } from '../../src/trials/trial-stats.js';

/** Gains of `seeds` distinct sizes (rank i is 0.01·i), worse on the ranks listed. */
function gains(seeds: number, worseRanks: readonly number[] = []): number[] {
  return Array.from({ length: seeds }, (_, index) => (worseRanks.includes(index + 1) ? -1 : 1) * 0.01 * (index + 1));
}

const CHANCE = 10;
/** Every run ended well below chance, so the paired test alone decides. */
const learnedEnds = (seeds: number) => new Array<number>(seeds).fill(1);

describe('sequentialDesign: the level 1/8 spent over two looks (Bonferroni)', () => {
  it.each([
    // At 3 and 4 seeds the exact test attains 1/8 itself: nothing is left for a second look.
    { seeds: 3, design: undefined },
    { seeds: 4, design: undefined },
    { seeds: 5, design: { firstSeeds: 5, maxSeeds: 10, firstLevel: 3 / 32, finalLevel: 1 / 32 } },
    { seeds: 6, design: { firstSeeds: 6, maxSeeds: 12, firstLevel: 7 / 64, finalLevel: 1 / 64 } },
  ])('$seeds seeds', ({ seeds, design }) => {
    expect(sequentialDesign(seeds)).toEqual(design);
  });

  it('never spends more than 1/8 in all, and the first look is the one-look rule on untied seeds', () => {
    for (const seeds of [5, 6, 7, 9, 10]) {
      const design = sequentialDesign(seeds);
      if (design === undefined) continue;
      expect(design.firstLevel + design.finalLevel).toBeCloseTo(1 / 8, 15);
      expect(attainedSize(seeds, 1 / 8)).toBe(design.firstLevel);
    }
  });
});

describe('attainedSize: the largest p at or below a level that n untied seeds can give', () => {
  it.each([
    { seeds: 1, level: 1 / 8, size: 0 },
    { seeds: 3, level: 1 / 8, size: 1 / 8 },
    { seeds: 5, level: 1 / 8, size: 3 / 32 },
    { seeds: 10, level: 1 / 32, size: 25 / 1024 },
  ])('$seeds seeds at $level: $size', ({ seeds, level, size }) => {
    expect(attainedSize(seeds, level)).toBeCloseTo(size, 15);
  });
});

describe('the two looks of a cheap trial (5 seeds, then 10)', () => {
  const design = sequentialDesign(5)!;
  const room = (runs: number) => runs * 20;

  it.each([
    {
      name: 'decisive early: better on every seed, verified at the first look',
      first: gains(5),
      ends: learnedEnds(5),
      look: 'verified',
    },
    {
      name: 'decisive early: the smallest change worse (p = 2/32), as with one look',
      first: gains(5, [1]),
      ends: learnedEnds(5),
      look: 'verified',
    },
    {
      name: 'inconclusive: better on 4, the middle change worse (p = 5/32)',
      first: gains(5, [3]),
      ends: learnedEnds(5),
      look: 'inconclusive',
    },
    {
      name: 'not worth a second look: better on only 2',
      first: gains(5, [3, 4, 5]),
      ends: learnedEnds(5),
      look: 'not verified',
    },
    {
      name: 'not worth a second look: better on 4, but the runs ended at chance',
      first: gains(5, [3]),
      ends: new Array<number>(5).fill(CHANCE),
      look: 'not verified',
    },
  ])('$name', ({ first, ends, look }) => {
    expect(firstLook(first, ends, CHANCE, design)).toBe(look);
  });

  it.each([
    { name: 'extended, then verified: better on 9 of 10 (p = 5/1024)', all: gains(10, [3]), verified: true },
    {
      name: 'extended, then verified: worse on sizes 3 and 5 of 10 (p = 25/1024)',
      all: gains(10, [3, 5]),
      verified: true,
    },
    {
      name: 'extended, then not verified: worse on sizes 3 and 6 (p = 33/1024)',
      all: gains(10, [3, 6]),
      verified: false,
    },
    // p = 67/1024 would pass one look of 10 seeds at 1/8: the price of the early look.
    { name: 'extended, then not verified: worse on sizes 3 and 9', all: gains(10, [3, 9]), verified: false },
  ])('$name', ({ all, verified }) => {
    expect(firstLook(all.slice(0, 5), learnedEnds(5), CHANCE, design)).toBe('inconclusive');
    expect(isVerified(all, learnedEnds(10), CHANCE, lookLevel(design, all.length))).toBe(verified);
  });

  it.each([
    { name: 'room for the baseline and both trials', room: room(15), extended: ['a', 'b'], left: [] },
    { name: 'room for the baseline and the best trial only', room: room(14), extended: ['a'], left: ['b'] },
    { name: 'budget exhausted: no room for the baseline and one trial', room: room(9), extended: [], left: ['a', 'b'] },
  ])('$name', ({ room: roomSteps, extended, left }) => {
    expect(secondLookPlan(['a', 'b'], design, roomSteps, 20)).toEqual({ extended, left });
  });

  it('tests each trial at its look: 3/32 on the first look’s seeds, 1/32 on more', () => {
    expect(lookLevel(design, 5)).toBe(3 / 32);
    expect(lookLevel(design, 10)).toBe(1 / 32);
  });
});

describe('the second look over a longer horizon: a fix better but not learned where the trial stopped', () => {
  const design = sequentialDesign(5)!;
  const atChance = new Array<number>(5).fill(CHANCE);

  it.each([
    {
      name: 'better on 4, at chance, the plan longer than the trial: too short',
      first: gains(5, [3]),
      short: true,
      look: 'too short',
    },
    {
      name: 'better on every seed, at chance, the plan longer: too short',
      first: gains(5),
      short: true,
      look: 'too short',
    },
    {
      name: 'the same runs when the trial ran the whole plan: not verified',
      first: gains(5),
      short: false,
      look: 'not verified',
    },
    {
      name: 'better on only 2: not worth it however long the plan',
      first: gains(5, [3, 4, 5]),
      short: true,
      look: 'not verified',
    },
  ])('$name', ({ first, short, look }) => {
    expect(firstLook(first, atChance, CHANCE, design, [], short)).toBe(look);
  });

  it('learned runs still look further over more seeds, whatever the plan', () => {
    expect(firstLook(gains(5, [3]), learnedEnds(5), CHANCE, design, [], true)).toBe('inconclusive');
  });

  it.each([
    // 7200 steps of budget (16 + 8 runs of 300), the trial and the baseline on 5 seeds: 720 steps each.
    { name: 'the plan when it fits the budget', budget: 7200, planned: 500, horizon: 500 },
    { name: 'else as long as one more budget holds', budget: 7200, planned: 8000, horizon: 720 },
    { name: 'none when that is no longer than the trial ran', budget: 2400, planned: 8000, horizon: undefined },
  ])('$name', ({ budget, planned, horizon }) => {
    expect(longerHorizon(budget, 5, 300, planned)).toBe(horizon);
  });
});
