/**
 * Verification in two looks, a group-sequential design: a finalist whose paired test on the trials'
 * seeds is inconclusive runs on as many seeds again, while the trials' budget has room, and is
 * tested once more on all of them. Either look may verify a fix, so the chance of verifying a fix
 * that does nothing is at most the sum of the two looks' levels (the Bonferroni inequality, which
 * holds however the looks depend on each other; spending an error rate over the looks of a trial
 * is Lan & DeMets 1983, "Discrete sequential boundaries for clinical trials", Biometrika 70(3)).
 * The sum stays VERIFY_LEVEL: the first look is tested at the level the exact test actually
 * attains on its seeds (at 5 seeds p <= 1/8 is p <= 3/32, signed-rank.ts: the same rule as with one
 * look), the second look at what is left (1/32). Where the first look attains the whole level
 * (3 seeds: 1/8) nothing is left, and there is no second look. Pure, and deterministic: the extra
 * seeds are the next ones in order.
 */
import { attainedSize } from './signed-rank.js';
import { fixedRunsLearned, isVerified, VERIFY_LEVEL, type RunsAccuracy } from './trial-stats.js';

/**
 * The second look runs the trial on this many times the first look's seeds: two equal groups, the
 * shape of Pocock's (1977) and O'Brien & Fleming's (1979) two-stage designs. At 5 seeds it is 10,
 * where a fix worse on one seed of middling size (rank 7 of 10, p = 0.019) or on the two smallest
 * changes (p = 0.005) still passes 1/32.
 */
const SECOND_LOOK_SEEDS_FACTOR = 2;

export interface SequentialDesign {
  firstSeeds: number;
  /** The seeds of the second look: the first look's and as many more. */
  maxSeeds: number;
  firstLevel: number;
  finalLevel: number;
}

/** The two looks for trials of `firstSeeds` paired seeds; undefined when the first look spends the whole level. */
export function sequentialDesign(firstSeeds: number): SequentialDesign | undefined {
  const firstLevel = attainedSize(firstSeeds, VERIFY_LEVEL);
  const finalLevel = VERIFY_LEVEL - firstLevel;
  const maxSeeds = SECOND_LOOK_SEEDS_FACTOR * firstSeeds;
  if (firstLevel === 0 || !(attainedSize(maxSeeds, finalLevel) > 0)) return undefined;
  return { firstSeeds, maxSeeds, firstLevel, finalLevel };
}

/**
 * The first look of a trial: verified; inconclusive, and worth the second look over more seeds;
 * better but too short, and worth the second look over a longer horizon (longerHorizon); or not
 * verified. More seeds are worth it only when the fix was better on most seeds and its runs
 * learned: more seeds cannot make a run that ended at chance learn, and a fix worse on half its
 * seeds rarely turns. A longer horizon can: a fix better on most seeds whose runs have not yet
 * learned where the trial stopped, `shortOfPlan` (its horizon shorter than the planned run), may
 * learn later, as a deep network leaves its early plateau only after many steps (Saxe, McClelland &
 * Ganguli 2014; mlm-circles-deep-tanh, bench/cases/README.md). Declining a second look (stopping
 * for futility) only lowers the chance of a false verification.
 */
export function firstLook(
  differences: readonly number[],
  endScores: readonly number[],
  chanceLoss: number | null,
  design: SequentialDesign,
  accuracies: readonly (RunsAccuracy | null)[] = [],
  shortOfPlan = false,
): 'verified' | 'inconclusive' | 'too short' | 'not verified' {
  if (isVerified(differences, endScores, chanceLoss, design.firstLevel, accuracies)) return 'verified';
  const mostlyBetter = 2 * differences.filter((difference) => difference > 0).length > differences.length;
  if (!mostlyBetter) return 'not verified';
  if (fixedRunsLearned(endScores, chanceLoss, accuracies) !== null) return 'inconclusive';
  return shortOfPlan ? 'too short' : 'not verified';
}

/**
 * The horizon of the second look of a trial that was better but too short (firstLook): the planned
 * run when it fits, else the longest horizon at which the first look's seeds of the trial and of the
 * baseline fit one more trials' budget (`budgetSteps`, trial-budget.ts), so that the look at most
 * doubles the trials' wait, which issue 14 bounds; undefined when that is no longer than the trial
 * already ran. One trial gets it, the best: two would halve the horizon. Its runs are tested on
 * their own at the second look's level: the Bonferroni bound holds whatever the looks' runs share
 * (here the seeds).
 */
export function longerHorizon(
  budgetSteps: number,
  firstSeeds: number,
  stepsPerRun: number,
  plannedSteps: number,
): number | undefined {
  const horizon = Math.min(plannedSteps, Math.floor(budgetSteps / (2 * firstSeeds)));
  return horizon > stepsPerRun ? horizon : undefined;
}

/**
 * The inconclusive trials (best first) whose second look fits `roomSteps`: the baseline's extra
 * seeds once, then each trial's, in order while they fit; the rest stay at the first look.
 */
export function secondLookPlan<T>(
  inconclusive: readonly T[],
  design: SequentialDesign,
  roomSteps: number,
  stepsPerRun: number,
): { extended: T[]; left: T[] } {
  const runSteps = (design.maxSeeds - design.firstSeeds) * stepsPerRun;
  let count = 0;
  while (count < inconclusive.length && (count + 2) * runSteps <= roomSteps) count++;
  return { extended: inconclusive.slice(0, count), left: inconclusive.slice(count) };
}

/** The level a trial on `seeds` paired seeds is tested at: the second look's beyond the first look's seeds. */
export function lookLevel(design: SequentialDesign, seeds: number): number {
  return seeds > design.firstSeeds ? design.finalLevel : design.firstLevel;
}
