/**
 * The total work `--apply-fix` may spend on its trial probes, and the plan that keeps within it.
 * A single probe may be given a long time budget (probe.maxSeconds); the trials multiply it by
 * every candidate and seed, so they are planned before they run: the candidates are kept in the
 * order asked (root cause first) while their screening and the finalists' other seeds fit, and the
 * rest are skipped and named in the report (`trialBudget.skipped`), never silently left out.
 *
 * The budget counts optimizer steps, not seconds: a plan from measured time kept or skipped
 * candidates by the machine's load at the moment (a run estimated at 27 s kept three candidates,
 * at 30 s two), so the same config and seed gave different reports. Counted in the baseline's
 * steps, the same config and seed plan the same trials on any machine and load; their time
 * follows the baseline's, whose every run probe.maxSeconds already bounds.
 */
import type { Config } from '../config/schema.js';
import { probeLength } from '../probe/run-plan.js';
import type { ProbeTrace } from '../trace/trace.js';
import type { FixId } from '../symptoms/ids.js';

/**
 * Full baseline runs' worth of steps that the trials may take. With the default 3 seeds, every
 * plan of `suggested` and `all` on the fix registry fits: `all` over the five config changes
 * screens 5 singles and at most 2 pairs, beside the baseline's 2 other seeds, 3 finalists × 2
 * seeds and a 100-step range test or two (15-16 runs); more seeds (probe.seeds) are what it trims.
 * Issue 14: a user waited past 3 minutes on trials nobody bounded; with the runs spread over two
 * processes this is about 8 baseline probes of waiting.
 */
const TRIAL_BUDGET_RUNS = 16;

interface SkippedTrial {
  fixes: FixId[];
  why: string;
}

/** What the report says of the budget: the limit and what the kept trials take, in steps, and what did not fit. */
export interface TrialBudget {
  steps: number;
  estimatedSteps: number;
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

/**
 * The steps a trial run takes: the config's probe length for the baseline's plan (trialVariant in
 * apply-fixes.ts), whatever the baseline itself ran: a fix may let a diverged run go on. When the
 * baseline's time budget stopped it, the config the trials get holds the steps it ran
 * (commands/diagnose.ts).
 */
export function runSteps(config: Config, baseline: Pick<ProbeTrace, 'plan'>): number {
  return Math.max(1, baseline.plan === undefined ? config.probe.steps : probeLength(config, baseline.plan));
}

/** The trials' budget for a baseline run of `stepsPerRun` steps. */
export function budgetSteps(stepsPerRun: number): number {
  return TRIAL_BUDGET_RUNS * stepsPerRun;
}

/**
 * The longest prefix of `candidates` whose cost fits `budget` steps: the baseline's other seeds,
 * the range test, every kept candidate screened, and the other seeds of as many as can become
 * finalists. Each run is counted in full, `stepsPerRun` steps.
 */
export function planTrials(
  candidates: readonly FixId[][],
  stepsPerRun: number,
  shape: PlanShape,
  budget = budgetSteps(stepsPerRun),
): { kept: FixId[][]; budget: TrialBudget } {
  const estimate = (kept: readonly FixId[][]) => {
    const runs = shape.otherSeeds + kept.length + Math.min(shape.finalists, kept.length) * shape.otherSeeds;
    return runs * stepsPerRun + shape.rangeTestSteps(kept);
  };
  let count = candidates.length;
  while (count > 0 && estimate(candidates.slice(0, count)) > budget) count--;
  const kept = candidates.slice(0, count);
  const skipped = candidates.slice(count).map((fixes) => ({
    fixes: [...fixes],
    why: `not measured: the trials' budget of ${budget} probe steps (${formatRuns(budget, stepsPerRun)}) would be spent first`,
  }));
  return { kept, budget: { steps: budget, estimatedSteps: estimate(kept), skipped } };
}

/**
 * Whether `steps` more steps fit beside what the budget already holds; when they do, they are
 * added to its estimate, when not, `fixes` is named as skipped with the reason.
 */
export function fitsBudget(budget: TrialBudget, fixes: readonly FixId[], steps: number, stepsPerRun: number): boolean {
  if (budget.estimatedSteps + steps <= budget.steps) {
    budget.estimatedSteps += steps;
    return true;
  }
  budget.skipped.push({
    fixes: [...fixes],
    why: `not measured: ${formatRuns(steps, stepsPerRun)} more would pass the trials' budget of ${budget.steps} probe steps`,
  });
  return false;
}

/** Steps as runs of the baseline's length, for the reasons a reader weighs. */
function formatRuns(steps: number, stepsPerRun: number): string {
  const runs = steps / stepsPerRun;
  return `${Number.isInteger(runs) ? runs : runs.toFixed(1)} runs of ${stepsPerRun} steps`;
}
