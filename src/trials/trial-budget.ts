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
import type { LayerSummary, ProbeTrace } from '../trace/trace.js';
import type { FixId } from '../symptoms/ids.js';
import { shapeSize } from '../util/shape.js';

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
  /** The paired seeds each finalist and the baseline ran, when more than the default because the runs are cheap, and why. */
  seeds?: number;
  seedsReason?: string;
  /** The second look of verification (sequential.ts), when a finalist's first look was inconclusive. */
  secondLook?: SecondLook;
  /** The second look over a longer horizon (sequential.ts longerHorizon), when a finalist was better but too short. */
  longerLook?: LongerLook;
}

/** The trial that looked longer, its horizon and level, and the steps its runs and the baseline's took (added to `steps`). */
interface LongerLook {
  horizon: number;
  fixes: FixId[];
  level: number;
  steps: number;
}

/** The trials that ran the second look, up to how many seeds, at which levels, and those the budget held back. */
interface SecondLook {
  seeds: number;
  /** The first look's level and the second's: their sum is the verification level. */
  levels: [number, number];
  extended: FixId[][];
  /** The steps its runs took, within the budget's `steps`. */
  steps: number;
  /** Inconclusive at the first look, and left there: the budget's unspent steps did not hold their seeds. */
  notExtended?: FixId[][];
}

/** Seeds per trial when the config does not say (`probe.seeds`) and the runs are not cheap. */
export const DEFAULT_TRIAL_SEEDS = 3;
/**
 * Seeds per trial when the config does not say and the runs are cheap. With 5 paired seeds the
 * signed-rank test at 1/8 (trial-stats.ts) can verify a fix that is slightly worse on one seed and
 * clearly better on four, and one better on all five passes at p = 1/32; with 3, one seed worse
 * sinks any fix. Noisy small runs (a few rows, batch size 1 to 5) are where seeds disagree,
 * and they are the cheap ones.
 */
export const CHEAP_TRIAL_SEEDS = 5;
/**
 * A trial run is cheap at or below this many multiply-adds of its forward passes (steps x batch x
 * the model's per-example multiply-adds). With the backward pass about 3x that, 2 flops each, it
 * is 6 GFLOP: ~0.2 s at the 25-30 GFLOP/s the wasm backend's matrix products reach
 * (docs/performance.md), below the fixed cost of the run's kernel calls (~1 ms per step and more,
 * 300 steps). The 784-784-50-10 MLP's 300 steps of 32 rows are 6.3e9: not cheap, still 3 seeds.
 */
const CHEAP_RUN_MULTIPLY_ADDS = 1e9;

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

/** How many paired seeds the trials run, and the extra runs they add to the budget (the baseline's and each finalist's). */
export interface TrialSeeds {
  seeds: number;
  extraRuns: number;
  reason?: string;
}

/**
 * `probe.seeds` when the config sets it; else CHEAP_TRIAL_SEEDS when a run is cheap, with the
 * budget grown by exactly the runs the extra seeds take (so the same candidates fit), else
 * DEFAULT_TRIAL_SEEDS. From the config and the model's shapes only: the same on any machine.
 */
export function trialSeeds(
  config: Config,
  baseline: Pick<ProbeTrace, 'plan' | 'layers'>,
  finalists: number,
): TrialSeeds {
  if (config.probe.seeds !== undefined) return { seeds: config.probe.seeds, extraRuns: 0 };
  const work = runMultiplyAdds(config, baseline);
  if (!(work <= CHEAP_RUN_MULTIPLY_ADDS)) return { seeds: DEFAULT_TRIAL_SEEDS, extraRuns: 0 };
  const extra = CHEAP_TRIAL_SEEDS - DEFAULT_TRIAL_SEEDS;
  return {
    seeds: CHEAP_TRIAL_SEEDS,
    extraRuns: extra * (1 + finalists),
    reason: `a run is cheap (${work.toExponential(1)} multiply-adds, at most ${CHEAP_RUN_MULTIPLY_ADDS.toExponential(0)}): ${CHEAP_TRIAL_SEEDS} paired seeds in place of ${DEFAULT_TRIAL_SEEDS}, the budget grown by their ${extra * (1 + finalists)} runs`,
  };
}

/**
 * The forward multiply-adds of one trial run: steps x batch x each layer's parameters times the
 * positions it is applied at (a convolution's output pixels, a recurrent layer's input steps; the
 * larger of its input's and output's inner sizes). Infinity when the model's layers are unknown.
 */
export function runMultiplyAdds(config: Config, baseline: Pick<ProbeTrace, 'plan' | 'layers'>): number {
  const { layers } = baseline;
  if (layers.length === 0) return Number.POSITIVE_INFINITY;
  const perExample = layers.reduce(
    (sum, layer, index) => sum + layer.params * Math.max(innerSize(layer), innerSize(layers[index - 1])),
    0,
  );
  return runSteps(config, baseline) * config.training.batchSize * perExample;
}

/** The positions of a layer's output: its shape without the batch and channel axes; 1 for none. */
function innerSize(layer: LayerSummary | undefined): number {
  return layer === undefined ? 1 : shapeSize(layer.outputShape.slice(1, -1));
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
