/**
 * The search half of `convdoc search`: successive halving over sampled candidates (Jamieson &
 * Talwalkar, AISTATS 2016; the schedule is halvingRungs in ./search-space.ts), and the leaderboard
 * it leaves. Every run uses the same seed, so rungs compare candidates, not initialisations.
 */
import type { ProbeTrace } from '../trace/trace.js';
import { sampleCandidates, type Candidate, type Rung } from './search-space.js';
import { runScore } from './trial-stats.js';

/** Probes a candidate (null: the config as written) for `steps` on `seed`; `label` names the run while it goes. */
export type CandidateProbe = (candidate: Candidate | null, steps: number, seed: number, label: string) => ProbeTrace;

export type Stop = ProbeTrace['stoppedEarly'];

interface RungScore {
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

export interface SearchBest {
  id: number;
  candidate: Candidate;
  score: number;
  steps: number;
}

export interface HalvingOutcome {
  trials: SearchTrial[];
  /** Trial ids, best first: by rung reached, then by the score there. */
  leaderboard: number[];
  best: SearchBest | null;
  stepsUsed: number;
  seconds: number;
}

/** Samples the first rung's candidates from `seed` and halves them rung by rung. */
export function successiveHalving(rungs: readonly Rung[], seed: number, probe: CandidateProbe): HalvingOutcome {
  const started = performance.now();
  const trials: SearchTrial[] = sampleCandidates(rungs[0]!.trials, seed).map((candidate, id) => ({
    id,
    candidate,
    rungReached: 0,
    stepsUsed: 0,
    scores: [],
    stopped: 'finished',
  }));
  let alive = trials;
  for (const [index, rung] of rungs.entries()) {
    for (const trial of alive) {
      const label = `search rung ${index + 1}/${rungs.length}, trial ${trial.id + 1}`;
      recordRung(trial, index, rung.steps, probe(trial.candidate, rung.steps, seed, label));
    }
    const next = rungs[index + 1];
    if (next === undefined) break;
    alive = halve(alive, next.trials);
  }
  const leaderboard = [...trials].sort(compareTrials);
  const top = leaderboard[0];
  return {
    trials,
    leaderboard: leaderboard.map((trial) => trial.id),
    best:
      top === undefined || !Number.isFinite(lastScore(top))
        ? null
        : { id: top.id, candidate: top.candidate, score: lastScore(top), steps: top.scores.at(-1)!.steps },
    stepsUsed: trials.reduce((sum, trial) => sum + trial.stepsUsed, 0),
    seconds: (performance.now() - started) / 1000,
  };
}

function recordRung(trial: SearchTrial, rung: number, steps: number, trace: ProbeTrace): void {
  trial.rungReached = rung;
  trial.stepsUsed += trace.stepsRun;
  trial.scores.push({
    rung,
    steps,
    stepsRun: trace.stepsRun,
    score: runScore(trace),
    stoppedEarly: trace.stoppedEarly,
  });
  if (trace.stoppedEarly === 'nan-loss') trial.stopped = 'nan-loss';
}

/** The best `survivors` go on; a diverged run would diverge again at the same step, so it never does. */
function halve(alive: readonly SearchTrial[], survivors: number): SearchTrial[] {
  const ranked = alive.filter((trial) => trial.stopped !== 'nan-loss').sort((a, b) => lastScore(a) - lastScore(b));
  for (const trial of ranked.slice(survivors)) trial.stopped = 'halved';
  return ranked.slice(0, survivors);
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
