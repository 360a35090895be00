/**
 * The trials of `convdoc search`: random search over optimizer, learning rate and batch size with
 * successive halving on probe budgets, measured against plain random search of the same total
 * budget. An independent study found a plain random baseline matches published repair tools, so
 * the search is only worth its complexity where it beats that baseline; the result says whether it
 * did, and by how much.
 *
 * Both methods pick a config within the budget; then each pick (and the user's config) is run once
 * more at the probe's full length on a held-out seed, outside the budget, and those scores decide
 * the comparison (./search-evaluation.ts).
 */
import { keyPosition, type LoadedConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { probeVariant, withOverrides, type ProbeSubject } from '../probe/index.js';
import type { StepListener } from '../probe/run-probe.js';
import { evaluateHeldOut, type SearchEvaluation } from './search-evaluation.js';
import { applyCandidate, sampleCandidates, type Candidate, type Rung } from './search-space.js';
import {
  successiveHalving,
  type CandidateProbe,
  type SearchBest,
  type SearchTrial,
  type Stop,
} from './successive-halving.js';
import { runScore } from './trial-stats.js';

/** What the command settled: the seeds, the halving schedule and the budget it shares with the random baseline. */
export interface SearchPlan {
  seed: number;
  eta: number;
  budget: number;
  /** The probe's full length: the random baseline's runs and the held-out evaluation use it. */
  fullSteps: number;
  rungs: Rung[];
}

interface RandomRun {
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

/** The trials' part of the result: the plan, then what each method did, then the held-out comparison. */
export interface SearchRun extends SearchPlan {
  trials: SearchTrial[];
  /** Trial ids, best first: by rung reached, then by the score there. */
  leaderboard: number[];
  best: SearchBest | null;
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
  evaluation: SearchEvaluation;
}

export interface SearchResult extends SearchRun {
  command: 'search';
  config: string;
  backend: string;
  backendReason: string;
}

/**
 * Runs the search, the random baseline and the held-out comparison on the subject; `progress`
 * gives each probe run, by its label, a listener for its steps. The backend must already be selected.
 */
export function runSearch(
  subject: ProbeSubject,
  backend: string,
  plan: SearchPlan,
  progress: ((label: string) => StepListener) | undefined,
): SearchRun {
  const { config } = subject.loaded;
  const { seed, eta, budget, fullSteps, rungs } = plan;
  const probe: CandidateProbe = (candidate, steps, runSeed, label) =>
    probeVariant(
      subject,
      backend,
      withOverrides(candidate === null ? config : applyCandidate(config, candidate), { steps }),
      runSeed,
      progress === undefined ? {} : { onStep: progress(label) },
    );
  const halving = successiveHalving(rungs, seed, probe);
  const random = randomSearch(plan, probe);
  return {
    seed,
    eta,
    budget,
    fullSteps,
    rungs,
    trials: halving.trials,
    leaderboard: halving.leaderboard,
    best: halving.best,
    edits: halving.best === null ? [] : searchEdits(subject.loaded, applyCandidate(config, halving.best.candidate)),
    search: { stepsUsed: halving.stepsUsed, seconds: halving.seconds },
    random,
    evaluation: evaluateHeldOut(probe, seed, fullSteps, {
      search: halving.best?.candidate,
      random: random.best?.candidate,
    }),
  };
}

/** Plain random search of the same budget: full-length runs, the candidates drawn from the same stream. */
function randomSearch({ seed, budget, fullSteps }: SearchPlan, probe: CandidateProbe): SearchRun['random'] {
  const started = performance.now();
  const count = Math.max(1, Math.floor(budget / fullSteps));
  const steps = Math.min(fullSteps, budget);
  const runs: RandomRun[] = sampleCandidates(count, seed).map((candidate, index) => {
    const trace = probe(candidate, steps, seed, `random search run ${index + 1}/${count}`);
    return { candidate, stepsRun: trace.stepsRun, score: runScore(trace), stoppedEarly: trace.stoppedEarly };
  });
  const top = [...runs].sort((a, b) => a.score - b.score)[0];
  return {
    runs,
    stepsUsed: runs.reduce((sum, run) => sum + run.stepsRun, 0),
    best: top === undefined || !Number.isFinite(top.score) ? null : { candidate: top.candidate, score: top.score },
    seconds: (performance.now() - started) / 1000,
  };
}

function searchEdits(loaded: LoadedConfig, next: Config): SearchEdit[] {
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
