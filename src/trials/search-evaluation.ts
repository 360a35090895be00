/**
 * How `convdoc search` judges its pick against plain random search's: each pick (and the user's
 * config) runs once more at the probe's full length on a held-out seed, outside the budget. A
 * method's best score inside the budget is biased low by the choosing, so only these scores decide.
 */
import type { Candidate } from './search-space.js';
import type { CandidateProbe } from './successive-halving.js';
import { improvement, runScore } from './trial-stats.js';

/** The held-out evaluation seed is the search seed plus this. */
const EVALUATION_SEED_OFFSET = 1000;
/** Held-out scores within this relative difference are a tie. */
const TIE_TOLERANCE = 0.01;

export type SearchWinner = 'search' | 'random' | 'tie';

/** Held-out: each pick and the user's config run at full length on another seed. */
export interface SearchEvaluation {
  seed: number;
  steps: number;
  current: number;
  search: number | null;
  random: number | null;
  /**
   * 1 − search/random on the held-out scores (positive: the search picked better); null when a
   * method had no pick.
   */
  searchOverRandom: number | null;
  searchOverCurrent: number | null;
  winner: SearchWinner;
}

/** The held-out scores of the config as written and of each method's pick (null: no pick). */
export function evaluateHeldOut(
  probe: CandidateProbe,
  seed: number,
  fullSteps: number,
  picks: { search: Candidate | undefined; random: Candidate | undefined },
): SearchEvaluation {
  const evaluationSeed = seed + EVALUATION_SEED_OFFSET;
  const heldOut = (candidate: Candidate | null) =>
    runScore(probe(candidate, fullSteps, evaluationSeed, 'held-out run'));
  const current = heldOut(null);
  const searchScore = picks.search === undefined ? null : heldOut(picks.search);
  const randomScore =
    picks.random === undefined ? null : sameCandidate(picks.random, picks.search) ? searchScore : heldOut(picks.random);
  return {
    seed: evaluationSeed,
    steps: fullSteps,
    current,
    search: searchScore,
    random: randomScore,
    searchOverRandom: searchScore === null || randomScore === null ? null : improvement(randomScore, searchScore),
    searchOverCurrent: searchScore === null ? null : improvement(current, searchScore),
    winner: winner(searchScore, randomScore),
  };
}

/** Which pick did better on the held-out run: lower score wins, within TIE_TOLERANCE a tie; no pick loses. */
export function winner(searchScore: number | null, randomScore: number | null): SearchWinner {
  const s = searchScore ?? Number.POSITIVE_INFINITY;
  const r = randomScore ?? Number.POSITIVE_INFINITY;
  if (s === r) return 'tie';
  if (!Number.isFinite(s) || !Number.isFinite(r)) return s < r ? 'search' : 'random';
  if (Math.abs(s - r) <= TIE_TOLERANCE * Math.max(Math.abs(s), Math.abs(r))) return 'tie';
  return s < r ? 'search' : 'random';
}

function sameCandidate(a: Candidate, b: Candidate | undefined): boolean {
  return (
    b !== undefined &&
    a.optimizer === b.optimizer &&
    a.learningRate === b.learningRate &&
    a.batchSize === b.batchSize &&
    a.momentum === b.momentum
  );
}
