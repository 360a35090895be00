/**
 * The total time `--apply-fix` may spend on its trial probes, and the plan that keeps within it.
 * A single probe may be given a long time budget (probe.maxSeconds); the trials multiply it by
 * every candidate and seed, so they are planned before they run: each run is estimated from the
 * baseline's measured seconds per step, the candidates are kept in the order asked (root cause
 * first) while their screening and the finalists' other seeds fit, and the rest are skipped and
 * named in the report (`trialBudget.skipped`), never silently left out.
 */
import type { ProbeTrace } from '../trace/trace.js';
import type { FixId } from '../symptoms/ids.js';

/**
 * Probe-seconds, summed over every trial run, that the trials may take. Issue 14: a user waited
 * past 3 minutes for `--apply-fix suggested`; with this process and one worker probing side by
 * side, 300 probe-seconds is about 2.5 minutes of waiting at most.
 */
const TRIAL_BUDGET_SECONDS = 300;

interface SkippedTrial {
  fixes: FixId[];
  why: string;
}

/** What the report says of the budget: the limit, what the kept trials were estimated to take, and what did not fit. */
export interface TrialBudget {
  seconds: number;
  estimatedSeconds: number;
  skipped: SkippedTrial[];
}

/** The runs the trials may make beside the candidates' screening runs. */
export interface PlanShape {
  /** Seeds beyond the first: the baseline's and each finalist's extra runs. */
  otherSeeds: number;
  /** At most this many screened candidates run the other seeds. */
  finalists: number;
  /** Steps of the LR range test, when a kept candidate needs it. */
  rangeTestSteps: (kept: readonly FixId[][]) => number;
}

/** Seconds per probe step, from the baseline (a run that stopped early still timed its steps). */
export function secondsPerStep(baseline: Pick<ProbeTrace, 'seconds' | 'stepsRun'>): number {
  return baseline.seconds / Math.max(1, baseline.stepsRun);
}

/**
 * The longest prefix of `candidates` whose pessimistic cost fits `budgetSeconds`: the baseline's
 * other seeds, the range test, every kept candidate screened, and the other seeds of as many as can
 * become finalists. Each run is estimated as a full run of `runSeconds`.
 */
export function planTrials(
  candidates: readonly FixId[][],
  runSeconds: number,
  stepSeconds: number,
  shape: PlanShape,
  budgetSeconds = TRIAL_BUDGET_SECONDS,
): { kept: FixId[][]; budget: TrialBudget } {
  const estimate = (kept: readonly FixId[][]) => {
    const runs = shape.otherSeeds + kept.length + Math.min(shape.finalists, kept.length) * shape.otherSeeds;
    return runs * runSeconds + shape.rangeTestSteps(kept) * stepSeconds;
  };
  let count = candidates.length;
  while (count > 0 && estimate(candidates.slice(0, count)) > budgetSeconds) count--;
  const kept = candidates.slice(0, count);
  const skipped = candidates.slice(count).map((fixes) => ({
    fixes: [...fixes],
    why: `not measured: the trials' budget of ${budgetSeconds} probe-seconds would be spent first (about ${formatSeconds(runSeconds)} per run)`,
  }));
  return { kept, budget: { seconds: budgetSeconds, estimatedSeconds: estimate(kept), skipped } };
}

/**
 * Whether `runs` more runs fit beside what the budget already holds; when they do, they are added
 * to its estimate, when not, `fixes` is named as skipped with `what`.
 */
export function fitsBudget(budget: TrialBudget, fixes: readonly FixId[], runs: number, runSeconds: number): boolean {
  const cost = runs * runSeconds;
  if (budget.estimatedSeconds + cost <= budget.seconds) {
    budget.estimatedSeconds += cost;
    return true;
  }
  budget.skipped.push({
    fixes: [...fixes],
    why: `not measured: ${runs} more runs (about ${formatSeconds(cost)}) would pass the trials' budget of ${budget.seconds} probe-seconds`,
  });
  return false;
}

function formatSeconds(seconds: number): string {
  return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
}
