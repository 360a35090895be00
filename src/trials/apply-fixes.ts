/**
 * `diagnose --apply-fix`: re-runs the probe with fixes applied and measures each against the
 * baseline, over several seeds. In stages, each a batch of independent runs that may go in
 * parallel: the baseline's other seeds and the LR range test; every candidate on the first seed
 * (screening); for `all`, pairs of the best single fixes; then the finalists' other seeds. A
 * screening run is stopped once clearly behind the best run of an earlier stage (successive
 * halving), never against a run of its own stage, so results do not depend on which run finished
 * first.
 */
import type { Config } from '../config/schema.js';
import { FIX_PRIORITY } from '../fixes/catalog.js';
import { LR_SWEEP_DEFAULTS } from '../probe/lr-sweep-rules.js';
import type { RecommendedFix } from '../fixes/rank.js';
import { FIX_TRANSFORMS } from '../fixes/registry.js';
import type { FixContext } from '../fixes/transform.js';
import {
  improvement,
  isVerified,
  meanInterval,
  runScore,
  stepsToHalf,
  type LostRule,
  type Trial,
  type TrialCurve,
} from './trial-stats.js';
import type { ProbeSubject } from '../probe/index.js';
import { comparableLossFactor } from '../trace/loss-units.js';
import { mean } from '../util/stats.js';
import { runLength, type LrTest } from './lr-test.js';
import type { JobResult, ProbeExecutor, ProbeJob } from './probe-jobs.js';
import type { ProbeTrace } from '../trace/trace.js';
import type { Finding } from '../symptoms/finding.js';
import type { FixId } from '../symptoms/ids.js';

/** An LR range test as the report shows it: the rate and raw loss of each step, the smoothed loss from `smoothedFrom`. */
export interface LrRangeCurve {
  learningRate: number[];
  loss: number[];
  smoothed: number[];
  smoothedFrom: number;
  steepest: number | null;
  valley: number | null;
  suggested: number | null;
}

export interface UntriedFix {
  fix: FixId;
  why: string;
}

export type FixSelection = 'suggested' | 'all' | readonly FixId[];

/** Seeds per trial when the config does not say (`probe.seeds`). */
const DEFAULT_TRIAL_SEEDS = 3;
/** How many screened candidates go on to every seed. */
const FINALISTS = 3;
/** `all`: the best single fix is paired with each of the next best that helped, up to this many singles in all. */
const PAIRED_SINGLES = 3;
/**
 * A combination earns the other seeds only when its screening score is at least this much below
 * each of its fixes alone; otherwise the simpler fix is the better advice. One seed is weak
 * evidence: on the examples one trial's scores over 3 seeds spread (max − min) by 17% to 100% of
 * their mean, so a smaller bar would promote combinations on noise alone.
 */
const MIN_COMBINATION_GAIN = 0.2;

interface Run {
  trace: ProbeTrace;
  score: number;
}

export interface TrialPlan {
  subject: ProbeSubject;
  /** The config the baseline ran (the user's, with command-line overrides such as --steps). */
  config: Config;
  /** The baseline probe and its seed; the other seeds follow it. */
  baseline: ProbeTrace;
  seed: number;
  findings: readonly Finding[];
  recommended: readonly RecommendedFix[];
  selection: FixSelection;
}

export interface TrialResults {
  trials: Trial[];
  /** The LR range test the lr-schedule fix started from, when one ran. */
  lrRangeTest?: LrRangeCurve;
  /** Fixes asked for that were not measured, and why. */
  untriedFixes?: UntriedFix[];
}

export async function runTrials(plan: TrialPlan, executor: ProbeExecutor): Promise<TrialResults> {
  const { config } = plan;
  const [firstSeed, ...otherSeeds] = Array.from(
    { length: config.probe.seeds ?? DEFAULT_TRIAL_SEEDS },
    (_, index) => plan.seed + index,
  );
  const baselineRun = toRun(plan.baseline);
  let context: FixContext = {
    layers: plan.subject.model.layers,
    findings: plan.findings,
    trace: plan.baseline,
    stepsPerEpoch: runLength(config, plan.subject.dataset.summary.rows).stepsPerEpoch,
  };
  const { available, untried } = triable(plan, context);
  const untriedFixes = untried.length === 0 ? {} : { untriedFixes: untried };
  const tried = candidates(plan.selection, available);
  if (tried.length === 0) return { trials: [summarize([], [baselineRun])], ...untriedFixes };
  const screened: { fixes: FixId[]; run: Run }[] = [];
  const probeJob = (fixes: readonly FixId[], variant: Config, seed: number, lost?: LostRule): ProbeJob => ({
    kind: 'probe',
    label: `${fixes.length === 0 ? 'baseline' : key(fixes)} (seed ${seed})`,
    cost: variant.probe.steps * (variant.model.layers ?? plan.subject.model.layers).length,
    config: variant,
    seed,
    ...(lost === undefined ? {} : { lost }),
  });
  const screeningJob = (fixes: FixId[]) =>
    probeJob(
      fixes,
      applyFixes(config, fixes, context),
      firstSeed!,
      lostRule([baselineRun, ...screened.map(({ run }) => run)], plan.baseline),
    );
  const confirmed = new Map<string, Run[]>();
  const confirmationJobs = (fixes: FixId[]) =>
    otherSeeds.map((seed) => probeJob(fixes, applyFixes(config, fixes, context), seed));

  // Stage 1: the LR range test and the baseline's other seeds, beside the first candidate in
  // root-cause order (unless it needs the range test), which the rest are then cut against.
  const rangeJobs: ProbeJob[] = tried.some(needsRangeTest)
    ? [
        {
          kind: 'lr-test',
          label: 'LR range test',
          cost: LR_SWEEP_DEFAULTS.steps * plan.subject.model.layers.length,
          seed: firstSeed!,
        },
      ]
    : [];
  const leading = needsRangeTest(tried[0]!) ? [] : [tried[0]!];
  const stageOne = await executor.run([
    ...rangeJobs,
    ...otherSeeds.map((seed) => probeJob([], config, seed)),
    ...leading.map(screeningJob),
  ]);
  const lrTest = rangeJobs.length === 0 ? undefined : lrTestOf(stageOne[0]!);
  const otherBaselines = stageOne
    .slice(rangeJobs.length, rangeJobs.length + otherSeeds.length)
    .map((result) => toRun(traceOf(result)));
  leading.forEach((fixes, index) =>
    screened.push({ fixes, run: toRun(traceOf(stageOne[rangeJobs.length + otherSeeds.length + index]!)) }),
  );
  if (lrTest?.analysis.suggested != null && lrTest.schedule !== null)
    context = { ...context, learningRateTest: { suggested: lrTest.analysis.suggested, schedule: lrTest.schedule } };

  // Stage 2: the other candidates on the first seed, cut against the best run of stage 1; beside
  // them, the other seeds of that first candidate when it beat the baseline: it is nearly always a finalist.
  const rest = tried.filter((fixes) => !leading.includes(fixes));
  const leader = screened.filter((entry) => beatsBaseline(entry, baselineRun)).map(({ fixes }) => fixes);
  const stageTwo = await runProbes(executor, [...rest.map(screeningJob), ...leader.flatMap(confirmationJobs)]);
  rest.forEach((fixes, index) => screened.push({ fixes, run: stageTwo[index]! }));
  leader.forEach((fixes) => confirmed.set(key(fixes), stageTwo.slice(rest.length)));
  // Stage 3 (`all`): the best single fix paired with the next best, among those that helped alone
  // (ran in full and ended below the baseline), cut against the best run so far.
  if (plan.selection === 'all') {
    const helped = ranked(screened.filter((entry) => entry.fixes.length === 1 && beatsBaseline(entry, baselineRun)));
    const pairs = helped.slice(1, PAIRED_SINGLES).map(({ fixes }) => ordered([...helped[0]!.fixes, ...fixes]));
    (await runProbes(executor, pairs.map(screeningJob))).forEach((run, index) =>
      screened.push({ fixes: pairs[index]!, run }),
    );
  }
  // Stage 4: the finalists' other seeds, in full.
  const finalists = chooseFinalists(screened, baselineRun);
  const unconfirmed = finalists.filter(({ fixes }) => !confirmed.has(key(fixes)));
  const confirmations = await runProbes(
    executor,
    unconfirmed.flatMap(({ fixes }) => confirmationJobs(fixes)),
  );
  unconfirmed.forEach(({ fixes }, index) =>
    confirmed.set(key(fixes), confirmations.slice(index * otherSeeds.length, (index + 1) * otherSeeds.length)),
  );
  const finalKeys = new Set(finalists.map(({ fixes }) => key(fixes)));
  const runsOf = (fixes: FixId[], run: Run) =>
    finalKeys.has(key(fixes)) ? [run, ...confirmed.get(key(fixes))!] : [run];

  // More seeds of the baseline only where a fix is still in the running: a baseline alone compares nothing.
  const baselineRuns = finalists.length === 0 ? [baselineRun] : [baselineRun, ...otherBaselines];
  const judge = { baselineRuns, chanceLoss: comparableChance(plan.baseline), seeds: otherSeeds.length + 1 };
  return {
    trials: [
      summarize([], baselineRuns),
      ...screened.map(({ fixes, run }) => summarize(fixes, runsOf(fixes, run), judge)),
    ],
    ...(lrTest === undefined ? {} : { lrRangeTest: rangeCurve(lrTest) }),
    ...untriedFixes,
  };
}

function needsRangeTest(fixes: readonly FixId[]): boolean {
  return fixes.includes('lr-schedule');
}

function ranked<T extends { run: Run }>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => a.run.score - b.run.score);
}

/** Ran in full, stayed finite and ended below the baseline of the same seed. */
function beatsBaseline({ run }: { run: Run }, baseline: Run): boolean {
  return Number.isFinite(run.score) && run.trace.stoppedEarly !== 'lost-trial' && !(run.score >= baseline.score);
}

/**
 * The screened trials that earn the other seeds: the best FINALISTS that beat the baseline on the
 * first seed (a fix worse there cannot be verified, which needs every seed), where a combination
 * counts only when it clearly beats each of its fixes alone: the simpler fix is the better
 * recommendation otherwise.
 */
function chooseFinalists(
  screened: readonly { fixes: FixId[]; run: Run }[],
  baseline: Run,
): { fixes: FixId[]; run: Run }[] {
  const alone = new Map(
    screened.filter(({ fixes }) => fixes.length === 1).map(({ fixes, run }) => [fixes[0]!, run.score]),
  );
  const clearlyBetter = ({ fixes, run }: { fixes: FixId[]; run: Run }) =>
    fixes.length === 1 ||
    fixes.every((fix) => !(run.score > (1 - MIN_COMBINATION_GAIN) * (alone.get(fix) ?? Number.POSITIVE_INFINITY)));
  return ranked(screened.filter((entry) => beatsBaseline(entry, baseline) && clearlyBetter(entry))).slice(0, FINALISTS);
}

async function runProbes(executor: ProbeExecutor, jobs: ProbeJob[]): Promise<Run[]> {
  if (jobs.length === 0) return [];
  return (await executor.run(jobs)).map((result) => toRun(traceOf(result)));
}

function traceOf(result: JobResult): ProbeTrace {
  if (result.kind !== 'probe') throw new Error('internal: expected a probe result');
  return result.trace;
}

function lrTestOf(result: JobResult): LrTest {
  if (result.kind !== 'lr-test') throw new Error('internal: expected an LR range test result');
  return result.test;
}

function toRun(trace: ProbeTrace): Run {
  return { trace, score: runScore(trace) };
}

/** The earlier stages' best run that ran in full to cut against; else the chance-level loss; else nothing. */
function lostRule(earlier: readonly Run[], baseline: ProbeTrace): LostRule | undefined {
  const leader = earlier
    .filter(({ trace, score }) => trace.stoppedEarly === null && Number.isFinite(score))
    .sort((a, b) => a.score - b.score)[0];
  if (leader !== undefined) {
    const factor = comparableLossFactor(leader.trace);
    return { against: 'leader', losses: leader.trace.loss.map((loss) => loss * factor) };
  }
  const chance = comparableChance(baseline);
  return chance === null ? undefined : { against: 'chance', loss: chance };
}

/** The baseline's chance-level loss in original units, as runScore compares. */
function comparableChance(baseline: ProbeTrace): number | null {
  return baseline.chanceLoss === null ? null : baseline.chanceLoss * comparableLossFactor(baseline);
}

function rangeCurve({ sweep, analysis }: LrTest): LrRangeCurve {
  return {
    learningRate: sweep.learningRate,
    loss: sweep.loss,
    smoothed: analysis.smoothed.slice(analysis.window.burnIn),
    smoothedFrom: analysis.window.burnIn,
    steepest: analysis.steepest,
    valley: analysis.valley,
    suggested: analysis.suggested,
  };
}

/**
 * The fixes asked for (the recommended ones, all five transforms, or the ids given) that can be
 * measured here, and the others with the reason: `search` is a search, not a config change; a fix
 * that changes nothing in this config (inputs already standardized, no sigmoid to replace) would
 * only re-run the baseline. lr-schedule always counts as a change: the rate it sets comes from the
 * LR range test, which has not run yet.
 */
function triable(
  { selection, recommended, config }: TrialPlan,
  context: FixContext,
): { available: FixId[]; untried: UntriedFix[] } {
  const asked = ordered(
    selection === 'suggested'
      ? recommended.map((entry) => entry.fix)
      : selection === 'all'
        ? FIX_PRIORITY.filter((fix) => fix in FIX_TRANSFORMS)
        : selection,
  );
  const why = (fix: FixId): string | undefined => {
    if (!(fix in FIX_TRANSFORMS)) return 'not a config change: run convdoc search';
    if (needsRangeTest([fix])) return undefined;
    return FIX_TRANSFORMS[fix]!.apply(config, context).changes.length === 0
      ? 'changes nothing in this config'
      : undefined;
  };
  const untried = asked.flatMap((fix) => {
    const reason = why(fix);
    return reason === undefined ? [] : [{ fix, why: reason }];
  });
  return { available: asked.filter((fix) => why(fix) === undefined), untried };
}

/** Each fix alone, and, for fixes named or recommended, all of them together. */
function candidates(selection: FixSelection, available: readonly FixId[]): FixId[][] {
  const singles = available.map((fix) => [fix]);
  return selection !== 'all' && available.length > 1 ? [...singles, [...available]] : singles;
}

/** Fixes are applied, and named, in root-cause order. */
function ordered(fixes: readonly FixId[]): FixId[] {
  return [...new Set(fixes)].sort((a, b) => FIX_PRIORITY.indexOf(a) - FIX_PRIORITY.indexOf(b));
}

function key(fixes: readonly FixId[]): string {
  return fixes.join('+');
}

export function applyFixes(config: Config, fixes: readonly FixId[], context: FixContext): Config {
  return fixes.reduce(
    (current, fix) =>
      FIX_TRANSFORMS[fix]!.apply(current, { ...context, layers: current.model.layers ?? context.layers }).config,
    config,
  );
}

/** The first seed's losses, in original units, for before/after plots. */
function curveOf(trace: ProbeTrace): TrialCurve {
  const factor = comparableLossFactor(trace);
  return {
    step: trace.step,
    loss: trace.loss.map((loss) => loss * factor),
    evalStep: trace.evalStep,
    valLoss: trace.valLoss.map((loss) => loss * factor),
  };
}

/** How trials are judged: against the baseline run of the same seed; verified only when run on every seed. */
interface Judge {
  baselineRuns: readonly Run[];
  chanceLoss: number | null;
  seeds: number;
}

function summarize(fixes: FixId[], runs: readonly Run[], judge?: Judge): Trial {
  const traces = runs.map((run) => run.trace);
  const scores = runs.map((run) => run.score);
  // Losses in the target's original units, as the scores: a fix that scales the target compares.
  const original = (trace: ProbeTrace) => (loss: number) => loss * comparableLossFactor(trace);
  const trial: Trial = {
    fixes,
    finalLoss: mean(scores),
    bestLoss: mean(
      traces.map((trace) =>
        original(trace)(
          trace.loss.filter(Number.isFinite).reduce((least, loss) => Math.min(least, loss), Number.POSITIVE_INFINITY),
        ),
      ),
    ),
    valLoss: mean(traces.map((trace) => original(trace)(trace.valLoss.at(-1) ?? Number.NaN))),
    diverged: traces.some((trace) => trace.stoppedEarly === 'nan-loss'),
    lost: traces.some((trace) => trace.stoppedEarly === 'lost-trial'),
    stepsToHalf: traces
      .map(stepsToHalf)
      .reduce<number | null>((worst, steps) => (steps === null || worst === null ? null : Math.max(worst, steps)), 0),
    seconds: traces.reduce((sum, trace) => sum + trace.seconds, 0),
    seeds: runs.length,
    curve: curveOf(runs[0]!.trace),
  };
  if (judge === undefined) return trial;
  // A run cut short has no score to compare: its loss is from the step it was stopped at.
  if (trial.lost) return { ...trial, verified: false };
  // Run i of a trial and of the baseline share seed i: the comparison is paired.
  const gains = runs.map((run, index) => improvement(judge.baselineRuns[index]!.score, run.score));
  const interval = meanInterval(gains);
  const everySeed = runs.length === judge.seeds;
  // No run can improve by more than 100%: a wide t-interval is cut there.
  const high = Math.min(1, interval.high);
  return {
    ...trial,
    improvement: interval.mean,
    improvementInterval: [interval.low, high],
    verified: everySeed && isVerified(gains, scores, judge.chanceLoss),
  };
}
