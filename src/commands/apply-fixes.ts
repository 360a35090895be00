/**
 * `diagnose --apply-fix`: re-runs the probe with fixes applied and measures each against the
 * baseline, over several seeds. Candidates are screened on one seed first and only the promising
 * ones get the remaining seeds (successive halving), so `all` costs a few probes, not every
 * combination times every seed.
 */
import type { Config } from '../config/schema.js';
import { FIX_PRIORITY } from '../fixes/catalog.js';
import type { RecommendedFix } from '../fixes/rank.js';
import { FIX_TRANSFORMS } from '../fixes/registry.js';
import type { FixContext } from '../fixes/transform.js';
import { improvement, isVerified, lostAgainst, meanInterval, runScore, stepsToHalf, type Trial } from '../fixes/trial-stats.js';
import { probeVariant, type ProbeSubject } from '../probe/index.js';
import { learningRateTest, runLength } from '../probe/lr-test.js';
import type { ProbeTrace } from '../probe/trace.js';
import type { Finding } from '../symptoms/finding.js';
import type { FixId } from '../symptoms/ids.js';

export type FixSelection = 'suggested' | 'all' | readonly FixId[];

/** Seeds per trial when the config does not say (`probe.seeds`). */
export const DEFAULT_TRIAL_SEEDS = 3;
/** How many screened candidates go on to every seed. */
const FINALISTS = 3;
/** `all`: pairs are formed from this many of the best single fixes. */
const PAIRED_SINGLES = 3;


interface Run {
  trace: ProbeTrace;
  score: number;
}

export interface TrialPlan {
  subject: ProbeSubject;
  backend: string;
  /** The baseline probe and its seed; the other seeds follow it. */
  baseline: ProbeTrace;
  seed: number;
  findings: readonly Finding[];
  recommended: readonly RecommendedFix[];
  selection: FixSelection;
}

export function runTrials(plan: TrialPlan): Trial[] {
  const { config } = plan.subject.loaded;
  const seeds = Array.from({ length: config.probe.seeds ?? DEFAULT_TRIAL_SEEDS }, (_, index) => plan.seed + index);
  const tried = candidates(plan);
  const context: FixContext = {
    layers: plan.subject.model.layers,
    findings: plan.findings,
    trace: plan.baseline,
    stepsPerEpoch: runLength(config, plan.subject.dataset.summary.rows).stepsPerEpoch,
    ...(tried.some((fixes) => fixes.includes('lr-schedule')) ? rangeTested(plan) : {}),
  };
  const runs = new Map<string, Run[]>();
  // The best trial's training losses per seed: trials far behind it are stopped early.
  const leaders = new Map<number, Run>();
  const runOn = (fixes: readonly FixId[], seed: number): Run => {
    const leader = leaders.get(seed);
    // Only screening runs are cut short: a finalist's confirmation seeds run in full.
    const screening = seed === plan.seed && fixes.length > 0;
    const isLost = !screening || leader === undefined ? undefined : lostAgainst(leader.trace.loss, config.probe.steps);
    const trace = seed === plan.seed && fixes.length === 0 ? plan.baseline : probeVariant(plan.subject, plan.backend, applyFixes(config, fixes, context), seed, isLost);
    const run = { trace, score: runScore(trace) };
    runs.set(key(fixes), [...(runs.get(key(fixes)) ?? []), run]);
    if (trace.stoppedEarly === null && run.score < (leader?.score ?? Number.POSITIVE_INFINITY)) leaders.set(seed, run);
    return run;
  };

  const [firstSeed, ...otherSeeds] = seeds;
  runOn([], firstSeed!);
  const screened = tried.map((fixes) => ({ fixes, run: runOn(fixes, firstSeed!) }));
  if (plan.selection === 'all') {
    const bestSingles = screened.filter(({ fixes }) => fixes.length === 1).sort((a, b) => a.run.score - b.run.score).slice(0, PAIRED_SINGLES);
    for (const [i, a] of bestSingles.entries()) {
      for (const b of bestSingles.slice(i + 1)) screened.push({ fixes: ordered([...a.fixes, ...b.fixes]), run: runOn(ordered([...a.fixes, ...b.fixes]), firstSeed!) });
    }
  }
  // A trial that diverged, or was stopped as lost, in screening is out: more seeds would not save it.
  const finalists = screened.filter(({ run }) => Number.isFinite(run.score) && run.trace.stoppedEarly !== 'lost-trial').sort((a, b) => a.run.score - b.run.score).slice(0, FINALISTS);
  // More seeds only where a fix is still in the running: a baseline alone compares nothing.
  for (const seed of finalists.length === 0 ? [] : otherSeeds) {
    runOn([], seed);
    for (const { fixes } of finalists) runOn(fixes, seed);
  }

  const baselineRuns = runs.get(key([]))!;
  const judge = { baselineRuns, chanceLoss: plan.baseline.chanceLoss, seeds: seeds.length };
  return [summarize([], baselineRuns), ...screened.map(({ fixes }) => summarize(fixes, runs.get(key(fixes))!, judge))];
}

/** The fixes to try: the ones asked for, each alone and together; or the recommended ones; or all but search. */
function candidates({ selection, recommended }: TrialPlan): FixId[][] {
  const ids: FixId[] =
    selection === 'suggested' ? recommended.map((entry) => entry.fix) : selection === 'all' ? FIX_PRIORITY.filter((fix) => fix in FIX_TRANSFORMS) : [...selection];
  const available = ordered(ids.filter((fix) => fix in FIX_TRANSFORMS));
  const singles = available.map((fix) => [fix]);
  return selection !== 'all' && available.length > 1 ? [...singles, ordered(available)] : singles;
}

/** The LR range test the lr-schedule fix starts from, when it suggests a rate. */
function rangeTested({ subject, seed }: TrialPlan): Pick<FixContext, 'learningRateTest'> {
  const { analysis, schedule } = learningRateTest(subject, seed);
  return analysis.suggested === null || schedule === null ? {} : { learningRateTest: { suggested: analysis.suggested, schedule } };
}

/** Fixes are applied, and named, in root-cause order. */
function ordered(fixes: readonly FixId[]): FixId[] {
  return [...new Set(fixes)].sort((a, b) => FIX_PRIORITY.indexOf(a) - FIX_PRIORITY.indexOf(b));
}

function key(fixes: readonly FixId[]): string {
  return fixes.join('+');
}

export function applyFixes(config: Config, fixes: readonly FixId[], context: FixContext): Config {
  return fixes.reduce((current, fix) => FIX_TRANSFORMS[fix]!.apply(current, { ...context, layers: current.model.layers ?? context.layers }).config, config);
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
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const trial: Trial = {
    fixes,
    finalLoss: mean(scores),
    bestLoss: mean(traces.map((trace) => trace.loss.filter(Number.isFinite).reduce((least, loss) => Math.min(least, loss), Number.POSITIVE_INFINITY))),
    valLoss: mean(traces.map((trace) => trace.valLoss.at(-1) ?? Number.NaN)),
    diverged: traces.some((trace) => trace.stoppedEarly === 'nan-loss'),
    lost: traces.some((trace) => trace.stoppedEarly === 'lost-trial'),
    stepsToHalf: traces.map(stepsToHalf).reduce<number | null>((worst, steps) => (steps === null || worst === null ? null : Math.max(worst, steps)), 0),
    seconds: traces.reduce((sum, trace) => sum + trace.seconds, 0),
    seeds: runs.length,
  };
  if (judge === undefined) return trial;
  // Run i of a trial and of the baseline share seed i: the comparison is paired.
  const gains = runs.map((run, index) => improvement(judge.baselineRuns[index]!.score, run.score));
  const interval = meanInterval(gains);
  const everySeed = runs.length === judge.seeds;
  return { ...trial, improvement: interval.mean, improvementInterval: [interval.low, interval.high], verified: everySeed && isVerified(gains, scores, judge.chanceLoss) };
}
