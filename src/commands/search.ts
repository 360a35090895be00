/**
 * `convdoc search <config>`: random search over optimizer, learning rate and batch size with
 * successive halving on probe budgets, measured against plain random search of the same total
 * budget. An independent study found a plain random baseline matches published repair tools, so
 * the search is only worth its complexity where it beats that baseline; the result says whether it
 * did, and by how much.
 *
 * Both methods pick a config within the budget; then each pick (and the user's config) is run once
 * more at the probe's full length on a held-out seed, outside the budget, and those scores decide
 * the comparison: a method's best score inside the budget is biased low by the choosing.
 */
import { keyPosition, loadConfig, type LoadedConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { UsageError } from '../errors.js';
import {
  applyCandidate,
  DEFAULT_ETA,
  halvingRungs,
  sampleCandidates,
  type Candidate,
  type Rung,
} from '../trials/search-space.js';
import { improvement, runScore } from '../trials/trial-stats.js';
import { selectBackend, type BackendChoice } from '../probe/backend.js';
import { loadProbeSubject, probeVariant, type ProbeSubject } from '../probe/index.js';
import type { StepListener } from '../probe/run-probe.js';
import { probeSteps, type StatusLine } from './progress.js';
import type { ProbeTrace } from '../trace/trace.js';

export interface SearchOptions {
  backend: BackendChoice;
  /** Candidates in the first rung (default 12). */
  trials?: number;
  /** Probe steps in all, for the search and for the random baseline alike (default trials × probe.steps / 2). */
  budget?: number;
  /** Overrides the config's seed: of sampling and of every search run. */
  seed?: number;
  /** Where to say which run is going. */
  status?: StatusLine;
}

export const DEFAULT_SEARCH_TRIALS = 12;
/** The default budget, as a share of running every trial at full length. */
export const DEFAULT_BUDGET_FRACTION = 0.5;
/** A first rung shorter than this per trial measures little but the initialisation. */
export const MIN_RUNG_STEPS = 10;
/** The held-out evaluation seed is the search seed plus this. */
export const EVALUATION_SEED_OFFSET = 1000;
/** Held-out scores within this relative difference are a tie. */
export const TIE_TOLERANCE = 0.01;

type Stop = ProbeTrace['stoppedEarly'];

export interface RungScore {
  rung: number;
  steps: number;
  stepsRun: number;
  /** runScore of the run: its last validation loss (or late training loss); null in JSON when it diverged. */
  score: number;
  stoppedEarly: Stop;
}

export interface SearchTrial {
  id: number;
  candidate: Candidate;
  /** The last rung it ran in (0 = the first). */
  rungReached: number;
  stepsUsed: number;
  scores: RungScore[];
  /** Why it went no further: not among the best of a rung, diverged (nan-loss), or it finished the last rung. */
  stopped: 'halved' | 'nan-loss' | 'finished';
}

export interface RandomRun {
  candidate: Candidate;
  stepsRun: number;
  score: number;
  stoppedEarly: Stop;
}

export interface SearchEdit {
  key: 'training.optimizer' | 'training.learningRate' | 'training.batchSize' | 'training.momentum';
  from: unknown;
  to: unknown;
  file: string;
  line: number;
  column: number;
}

export type SearchWinner = 'search' | 'random' | 'tie';

export interface SearchResult {
  command: 'search';
  config: string;
  backend: string;
  backendReason: string;
  seed: number;
  eta: number;
  budget: number;
  /** The probe's full length: the random baseline's runs and the held-out evaluation use it. */
  fullSteps: number;
  rungs: Rung[];
  trials: SearchTrial[];
  /** Trial ids, best first: by rung reached, then by the score there. */
  leaderboard: number[];
  best: { id: number; candidate: Candidate; score: number; steps: number } | null;
  /** The config keys the best candidate changes; empty without one. */
  edits: SearchEdit[];
  search: { stepsUsed: number; seconds: number };
  /** Plain random search of the same budget: full-length runs of candidates from the same sampling stream. */
  random: {
    runs: RandomRun[];
    stepsUsed: number;
    best: { candidate: Candidate; score: number } | null;
    seconds: number;
  };
  /** Held-out: each pick and the user's config run at full length on another seed. */
  evaluation: {
    seed: number;
    steps: number;
    current: number;
    search: number | null;
    random: number | null;
    /** 1 − search/random on the held-out scores (positive: the search picked better); null when a method had no pick. */
    searchOverRandom: number | null;
    searchOverCurrent: number | null;
    winner: SearchWinner;
  };
}

export async function search(configFile: string, options: SearchOptions): Promise<SearchResult> {
  const loaded = await loadConfig(configFile);
  const { config } = loaded;
  const trials = options.trials ?? DEFAULT_SEARCH_TRIALS;
  const fullSteps = config.probe.steps;
  const budget = options.budget ?? Math.round(trials * fullSteps * DEFAULT_BUDGET_FRACTION);
  if (!Number.isInteger(trials) || trials < 1)
    throw new UsageError(`--trials must be a whole number >= 1 (got ${trials}).`);
  if (!Number.isInteger(budget) || budget < 1)
    throw new UsageError(`--budget must be a whole number of probe steps >= 1 (got ${budget}).`);
  const eta = DEFAULT_ETA;
  const rungs = halvingRungs(trials, budget, eta, fullSteps);
  if (rungs[0]!.steps < MIN_RUNG_STEPS) {
    const needed = rungs.length * trials * MIN_RUNG_STEPS;
    throw new UsageError(
      `--budget ${budget} gives the first rung ${rungs[0]!.steps} steps per trial; at least ${MIN_RUNG_STEPS} are needed: use --budget ${needed} or more, or fewer --trials.`,
    );
  }
  const subject = await loadProbeSubject(loaded);
  const backend = await selectBackend(
    options.backend,
    subject.model.layers.map((layer) => layer.type),
  );
  const seed = options.seed ?? config.seed;
  const { status } = options;
  const run = (candidate: Candidate | null, steps: number, runSeed: number, label: string) =>
    probe(
      subject,
      backend.name,
      candidate === null ? config : applyCandidate(config, candidate),
      steps,
      runSeed,
      status === undefined ? undefined : probeSteps(status, label),
    );

  // Successive halving: the same seed for every run, so rungs compare candidates, not initialisations.
  let started = performance.now();
  const candidates = sampleCandidates(trials, seed);
  const searchTrials: SearchTrial[] = candidates.map((candidate, id) => ({
    id,
    candidate,
    rungReached: 0,
    stepsUsed: 0,
    scores: [],
    stopped: 'finished',
  }));
  let alive = searchTrials;
  for (const [index, rung] of rungs.entries()) {
    for (const trial of alive) {
      const trace = run(
        trial.candidate,
        rung.steps,
        seed,
        `search rung ${index + 1}/${rungs.length}, trial ${trial.id + 1}`,
      );
      trial.rungReached = index;
      trial.stepsUsed += trace.stepsRun;
      trial.scores.push({
        rung: index,
        steps: rung.steps,
        stepsRun: trace.stepsRun,
        score: runScore(trace),
        stoppedEarly: trace.stoppedEarly,
      });
      if (trace.stoppedEarly === 'nan-loss') trial.stopped = 'nan-loss';
    }
    const next = rungs[index + 1];
    if (next === undefined) break;
    // The best 1/eta go on; a diverged run would diverge again at the same step, so it never does.
    const ranked = alive.filter((trial) => trial.stopped !== 'nan-loss').sort((a, b) => lastScore(a) - lastScore(b));
    for (const trial of ranked.slice(next.trials)) trial.stopped = 'halved';
    alive = ranked.slice(0, next.trials);
  }
  const leaderboard = [...searchTrials].sort(compareTrials);
  const top = leaderboard[0];
  const best =
    top === undefined || !Number.isFinite(lastScore(top))
      ? null
      : { id: top.id, candidate: top.candidate, score: lastScore(top), steps: top.scores.at(-1)!.steps };
  const searchSeconds = (performance.now() - started) / 1000;

  // Plain random search of the same budget: full-length runs, the candidates drawn from the same stream.
  started = performance.now();
  const randomCount = Math.max(1, Math.floor(budget / fullSteps));
  const randomSteps = Math.min(fullSteps, budget);
  const randomRuns: RandomRun[] = sampleCandidates(randomCount, seed).map((candidate, index) => {
    const trace = run(candidate, randomSteps, seed, `random search run ${index + 1}/${randomCount}`);
    return { candidate, stepsRun: trace.stepsRun, score: runScore(trace), stoppedEarly: trace.stoppedEarly };
  });
  const randomTop = [...randomRuns].sort((a, b) => a.score - b.score)[0];
  const randomBest =
    randomTop === undefined || !Number.isFinite(randomTop.score)
      ? null
      : { candidate: randomTop.candidate, score: randomTop.score };
  const randomSeconds = (performance.now() - started) / 1000;

  // Held-out evaluation at full length on another seed.
  const evaluationSeed = seed + EVALUATION_SEED_OFFSET;
  const heldOut = (candidate: Candidate | null) => runScore(run(candidate, fullSteps, evaluationSeed, 'held-out run'));
  const current = heldOut(null);
  const searchScore = best === null ? null : heldOut(best.candidate);
  const randomScore =
    randomBest === null
      ? null
      : sameCandidate(randomBest.candidate, best?.candidate)
        ? searchScore
        : heldOut(randomBest.candidate);

  return {
    command: 'search',
    config: configFile,
    backend: backend.name,
    backendReason: backend.reason,
    seed,
    eta,
    budget,
    fullSteps,
    rungs,
    trials: searchTrials,
    leaderboard: leaderboard.map((trial) => trial.id),
    best,
    edits: best === null ? [] : edits(loaded, applyCandidate(config, best.candidate)),
    search: { stepsUsed: searchTrials.reduce((sum, trial) => sum + trial.stepsUsed, 0), seconds: searchSeconds },
    random: {
      runs: randomRuns,
      stepsUsed: randomRuns.reduce((sum, entry) => sum + entry.stepsRun, 0),
      best: randomBest,
      seconds: randomSeconds,
    },
    evaluation: {
      seed: evaluationSeed,
      steps: fullSteps,
      current,
      search: searchScore,
      random: randomScore,
      searchOverRandom: searchScore === null || randomScore === null ? null : improvement(randomScore, searchScore),
      searchOverCurrent: searchScore === null ? null : improvement(current, searchScore),
      winner: winner(searchScore, randomScore),
    },
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

function probe(
  subject: ProbeSubject,
  backend: string,
  config: Config,
  steps: number,
  seed: number,
  onStep: StepListener | undefined,
): ProbeTrace {
  return probeVariant(
    subject,
    backend,
    { ...config, probe: { ...config.probe, steps } },
    seed,
    onStep === undefined ? {} : { onStep },
  );
}

function lastScore(trial: SearchTrial): number {
  return trial.scores.at(-1)?.score ?? Number.POSITIVE_INFINITY;
}

/** Further rungs first; within a rung, the lower score. */
function compareTrials(a: SearchTrial, b: SearchTrial): number {
  if (a.rungReached !== b.rungReached) return b.rungReached - a.rungReached;
  const [sa, sb] = [lastScore(a), lastScore(b)];
  if (sa === sb) return a.id - b.id;
  return sa < sb ? -1 : 1;
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

function edits(loaded: LoadedConfig, next: Config): SearchEdit[] {
  const before = loaded.config.training;
  const after = next.training;
  const keys = ['optimizer', 'learningRate', 'batchSize', 'momentum'] as const;
  return keys
    .filter(
      (key) =>
        before[key] !== after[key] &&
        !(
          key === 'momentum' &&
          after.momentum === undefined &&
          (before.momentum === undefined || after.optimizer !== 'rmsprop')
        ),
    )
    .map((key) => ({
      key: `training.${key}` as const,
      from: before[key] ?? null,
      to: after[key] ?? null,
      ...keyPosition(loaded, ['training', key]),
    }));
}
