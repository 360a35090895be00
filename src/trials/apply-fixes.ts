/**
 * `diagnose --apply-fix`: re-runs the probe with fixes applied and measures each against the
 * baseline, over several seeds. In stages, each a batch of independent runs that may go in
 * parallel: the baseline's other seeds and the LR range test; every candidate on the first seed
 * (screening); for `all`, pairs of the best single fixes; then the finalists' other seeds. A
 * screening run is stopped once clearly behind the best run of an earlier stage (successive
 * halving), never against a run of its own stage, so results do not depend on which run finished
 * first.
 */
import type { ModelGraph } from '../model/model-graph.js';
import type { Config } from '../config/schema.js';
import type { FixTable } from '../fixes/fix-table.js';
import { LR_SWEEP_DEFAULTS } from '../probe/lr-sweep-rules.js';
import type { RecommendedFix } from '../fixes/rank.js';
import { FIXES } from '../fixes/registry.js';
import type { FixContext } from '../fixes/transform.js';
import { fixContext } from './fix-context.js';
import { criticalEdits, withEdits } from './config-edits.js';
import { DATA_SYMPTOMS } from '../symptoms/ids.js';
import { rankFixes } from '../fixes/rank.js';
import { contextFor, measuresFirst, rangeTestBases, rangeTestJob } from './range-tests.js';
import { compressSchedule, type CompressedSchedule } from './compress-schedule.js';
import { probeLength } from '../probe/run-plan.js';
import {
  fixedRunsLearned,
  improvement,
  pairedTestPasses,
  meanAccuracy,
  meanInterval,
  runAccuracy,
  runScore,
  scoreDifference,
  stepsToHalf,
  verifyLevel,
  type LostRule,
  type RunsAccuracy,
  scoredOnValidation,
  type Trial,
  type TrialCurve,
} from './trial-stats.js';
import type { ProbeSubject } from '../probe/index.js';
import { shortProbeReason } from '../symptoms/short-probe.js';
import { planEnd } from '../symptoms/projection.js';
import { comparableLossFactor } from '../trace/loss-units.js';
import { mean } from '../util/stats.js';
import { signedRankPValue } from './signed-rank.js';
import {
  firstLook,
  longerHorizon,
  lookLevel,
  secondLookPlan,
  sequentialDesign,
  type SequentialDesign,
} from './sequential.js';
import type { LrTest } from './lr-test.js';
import type { JobResult, ProbeExecutor, ProbeJob } from './probe-jobs.js';
import type { ProbeTrace } from '../trace/trace.js';
import type { Finding } from '../symptoms/finding.js';
import type { FixId } from '../symptoms/ids.js';
import {
  budgetSteps,
  fitsBudget,
  planTrials,
  runSteps,
  trialSeeds,
  type TrialBudget,
  type TrialSeeds,
} from './trial-budget.js';

/**
 * An LR range test as the report shows it: the rate and raw loss of each step, the smoothed loss
 * from `smoothedFrom`.
 */
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
  /** The fixes to choose from: the registry's, unless a test brings its own. */
  fixes?: FixTable;
}

export interface TrialResults {
  trials: Trial[];
  /** The LR range test the fixes that measure first (lr-schedule) started from, when one ran. */
  lrRangeTest?: LrRangeCurve;
  /** Fixes asked for that were not measured, and why. */
  untriedFixes?: UntriedFix[];
  /** The total time the trials were planned in, and the trials that did not fit. */
  trialBudget?: TrialBudget;
}

interface Screened {
  fixes: FixId[];
  run: Run;
}

/**
 * What the stages share: the plan, its seeds, the runs so far and the fix context (with the range
 * test once it ran).
 */
interface Session {
  plan: TrialPlan;
  executor: ProbeExecutor;
  table: FixTable;
  firstSeed: number;
  otherSeeds: number[];
  baselineRun: Run;
  /** The fix context of the user's config; each candidate adds the range test of its base (range-tests.ts). */
  context: FixContext;
  /** The LR range tests that ran, by key(base fixes): '' is the user's config. */
  rangeTests: Map<string, LrTest>;
  screened: Screened[];
  /** The runs on the other seeds, by key(fixes). */
  confirmed: Map<string, Run[]>;
  /** The schedules trials ran compressed to their horizon, by key(fixes). */
  compressed: Map<string, CompressedSchedule>;
  budget: TrialBudget;
  /** The steps of a full trial run: the baseline's. */
  stepsPerRun: number;
  /** The two looks of verification (sequential.ts), when convdoc chose the seeds and the first look leaves a level to spend. */
  design: SequentialDesign | undefined;
  /** The second look's runs on the seeds past the first look's: '' the baseline's, else by key(fixes). */
  extended: Map<string, Run[]>;
  /** The second look over a longer horizon, of the best trial better but too short at the first (sequential.ts). */
  longer?: LongerRuns;
}

/** A trial and the baseline run again on the first look's seeds over `horizon` steps. */
interface LongerRuns {
  fixes: FixId[];
  horizon: number;
  runs: Run[];
  baselineRuns: Run[];
  /** The schedule the trial's runs used, compressed to `horizon`; undefined when they ran it whole. */
  compressed: CompressedSchedule | undefined;
}

/**
 * The trials of a plan. When critical config findings carry edits the trials can make
 * (config-edits.ts), the fixes are measured on the edited config, after the user's baseline.
 */
export async function runTrials(plan: TrialPlan, executor: ProbeExecutor): Promise<TrialResults> {
  const edits = criticalEdits(plan.config, plan.findings);
  // The data findings hold whatever the config; the training dynamics were seen on a run the bug
  // broke (a plateau at chance under a softmax on one unit), so they are no evidence past the edit.
  const findings = plan.findings.filter((finding) => DATA_SYMPTOMS.has(finding.symptom));
  const recommended = rankFixes(findings, plan.fixes);
  // Nothing else to measure past the edit: the report says the edit is the whole answer.
  if (edits.length === 0 || (plan.selection === 'suggested' && recommended.length === 0))
    return runFixTrials(plan, executor);
  const config = withEdits(plan.config, edits);
  const layers = config.model.layers ?? plan.subject.model.layers;
  const [edited] = await executor.run([
    {
      kind: 'probe',
      label: `baseline with ${edits.map(({ key }) => key).join(', ')} edited (seed ${plan.seed})`,
      cost: config.probe.steps * layers.length,
      config,
      seed: plan.seed,
    },
  ]);
  const results = await runFixTrials({ ...plan, config, baseline: traceOf(edited!), findings, recommended }, executor);
  const trials = results.trials.map((trial) => ({ ...trial, edits }));
  return { ...results, trials: [summarize([], [toRun(plan.baseline)]), ...trials] };
}

async function runFixTrials(plan: TrialPlan, executor: ProbeExecutor): Promise<TrialResults> {
  const table = plan.fixes ?? FIXES;
  const baselineRun = toRun(plan.baseline);
  const context = fixContext(plan.subject, plan.config, plan.findings, plan.baseline);
  const { available, untried } = triable(plan, context, table);
  const cutShort = shortProbeReason(plan.baseline);
  if (cutShort !== undefined) {
    // Every trial would stop as early, and nothing compares against a baseline too short to judge.
    const skipped = available.map((fix) => ({ fix, why: `not measured: ${cutShort}, and a trial would be too` }));
    return { trials: [summarize([], [baselineRun])], untriedFixes: [...untried, ...skipped] };
  }
  const asked = candidates(plan.selection, available);
  if (asked.length === 0)
    return { trials: [summarize([], [baselineRun])], ...(untried.length === 0 ? {} : { untriedFixes: untried }) };
  const seeds = trialSeeds(plan.config, plan.baseline, FINALISTS);
  const [firstSeed, ...otherSeeds] = Array.from({ length: seeds.seeds }, (_, index) => plan.seed + index);
  const { tried, budget, stepsPerRun } = withinBudget(plan, table, asked, seeds);
  const withBudget = () => budgetResults(untried, budget);
  if (tried.length === 0) return { trials: [summarize([], [baselineRun])], ...withBudget() };
  const session: Session = {
    plan,
    executor,
    table,
    firstSeed: firstSeed!,
    otherSeeds,
    baselineRun,
    context,
    rangeTests: new Map(),
    screened: [],
    confirmed: new Map(),
    compressed: new Map(),
    budget,
    stepsPerRun,
    // Seeds the user set are the user's to choose: no more are run than asked.
    design: plan.config.probe.seeds === undefined ? sequentialDesign(seeds.seeds) : undefined,
    extended: new Map(),
  };
  const { lrTest, otherBaselines, leading } = await screenFirst(session, tried);
  await screenRest(
    session,
    tried.filter((fixes) => !leading.includes(fixes)),
  );
  if (plan.selection === 'all') await screenPairs(session);
  const finalists = await confirmFinalists(session);
  await secondLook(session, finalists, otherBaselines);
  return {
    trials: judged(session, finalists, otherBaselines),
    ...(lrTest === undefined ? {} : { lrRangeTest: rangeCurve(lrTest) }),
    ...withBudget(),
  };
}

/**
 * The candidates that fit the trials' budget, in the order asked, the budget, and a run's steps.
 * Extra seeds for cheap runs bring their runs into the budget, and the report says so.
 */
function withinBudget(plan: TrialPlan, table: FixTable, asked: readonly FixId[][], seeds: TrialSeeds) {
  const stepsPerRun = runSteps(plan.config, plan.baseline);
  const shape = {
    otherSeeds: seeds.seeds - 1,
    finalists: FINALISTS,
    // One range test is planned with the candidates; a combination's own test only runs in room left (screenFirst).
    rangeTestSteps: (kept: readonly FixId[][]) =>
      kept.some((fixes) => measuresFirst(table, fixes)) ? LR_SWEEP_DEFAULTS.steps : 0,
  };
  const limit = budgetSteps(stepsPerRun) + seeds.extraRuns * stepsPerRun;
  const { kept, budget } = planTrials(asked, stepsPerRun, shape, limit);
  const said = seeds.reason === undefined ? {} : { seeds: seeds.seeds, seedsReason: seeds.reason };
  return { tried: kept, budget: { ...budget, ...said }, stepsPerRun };
}

/** The budget for the report; a single fix it left out is also an untried fix, with the same reason. */
function budgetResults(
  untried: readonly UntriedFix[],
  budget: TrialBudget,
): Pick<TrialResults, 'untriedFixes' | 'trialBudget'> {
  const skipped = budget.skipped.flatMap(({ fixes, why }) => (fixes.length === 1 ? [{ fix: fixes[0]!, why }] : []));
  const notMeasured = [...untried, ...skipped];
  return { ...(notMeasured.length === 0 ? {} : { untriedFixes: notMeasured }), trialBudget: budget };
}

/**
 * Stage 1: the LR range tests (range-tests.ts) and the baseline's other seeds, beside the first candidate in
 * root-cause order (unless it needs the range test), which the rest are then cut against.
 */
async function screenFirst(session: Session, tried: readonly FixId[][]) {
  const { plan, table, firstSeed, otherSeeds } = session;
  const bases = affordable(session, rangeTestBases(table, tried));
  const cost = LR_SWEEP_DEFAULTS.steps * plan.subject.model.layers.length;
  const rangeJobs = bases.map((base) =>
    rangeTestJob(table, { config: plan.config, context: session.context, seed: firstSeed, cost }, base),
  );
  const leading = measuresFirst(table, tried[0]!) ? [] : [tried[0]!];
  const results = await session.executor.run([
    ...rangeJobs,
    ...otherSeeds.map((seed) => probeJob(session, [], { config: plan.config }, seed)),
    ...leading.map((fixes) => screeningJob(session, fixes)),
  ]);
  bases.forEach((base, index) => session.rangeTests.set(key(base), lrTestOf(results[index]!)));
  const otherBaselines = results
    .slice(rangeJobs.length, rangeJobs.length + otherSeeds.length)
    .map((result) => toRun(traceOf(result)));
  leading.forEach((fixes, index) =>
    session.screened.push({ fixes, run: toRun(traceOf(results[rangeJobs.length + otherSeeds.length + index]!)) }),
  );
  // The report shows the test of the user's config, else the first that ran.
  const lrTest = session.rangeTests.get('') ?? session.rangeTests.values().next().value;
  return { lrTest, otherBaselines, leading };
}

/**
 * The range tests to run: the first, planned with the candidates, and each other while the trials'
 * budget has room for it; a combination without its own test starts from the user's config's.
 */
function affordable(session: Session, bases: readonly FixId[][]): FixId[][] {
  const cost = LR_SWEEP_DEFAULTS.steps;
  return bases.filter((_, index) => {
    if (index === 0) return true;
    if (session.budget.estimatedSteps + cost > session.budget.steps) return false;
    session.budget.estimatedSteps += cost;
    return true;
  });
}

/**
 * Stage 2: the other candidates on the first seed, cut against the best run of stage 1; beside
 * them, the other seeds of that first candidate when it beat the baseline: it is nearly always a finalist.
 */
async function screenRest(session: Session, rest: readonly FixId[][]): Promise<void> {
  const leader = session.screened
    .filter((entry) => beatsBaseline(entry, session.baselineRun))
    .map(({ fixes }) => fixes);
  const runs = await runProbes(session.executor, [
    ...rest.map((fixes) => screeningJob(session, fixes)),
    ...leader.flatMap((fixes) => confirmationJobs(session, fixes)),
  ]);
  rest.forEach((fixes, index) => session.screened.push({ fixes, run: runs[index]! }));
  leader.forEach((fixes) => session.confirmed.set(key(fixes), runs.slice(rest.length)));
}

/**
 * Stage 3 (`all`): the best single fix paired with the next best, among those that helped alone
 * (ran in full and ended below the baseline), cut against the best run so far.
 */
async function screenPairs(session: Session): Promise<void> {
  const helped = ranked(
    session.screened.filter((entry) => entry.fixes.length === 1 && beatsBaseline(entry, session.baselineRun)),
  );
  // A pair may become a finalist: its screening and its other seeds must fit.
  const pairs = helped
    .slice(1, PAIRED_SINGLES)
    .map(({ fixes }) => session.table.ordered([...helped[0]!.fixes, ...fixes]))
    .filter((fixes) =>
      fitsBudget(session.budget, fixes, (1 + session.otherSeeds.length) * session.stepsPerRun, session.stepsPerRun),
    );
  const runs = await runProbes(
    session.executor,
    pairs.map((fixes) => screeningJob(session, fixes)),
  );
  runs.forEach((run, index) => session.screened.push({ fixes: pairs[index]!, run }));
}

/** Stage 4: the finalists' other seeds, in full. */
async function confirmFinalists(session: Session): Promise<Screened[]> {
  const finalists = chooseFinalists(session.screened, session.baselineRun, comparableChance(session.plan.baseline));
  const unconfirmed = finalists.filter(({ fixes }) => !session.confirmed.has(key(fixes)));
  const runs = await runProbes(
    session.executor,
    unconfirmed.flatMap(({ fixes }) => confirmationJobs(session, fixes)),
  );
  const seeds = session.otherSeeds.length;
  unconfirmed.forEach(({ fixes }, index) =>
    session.confirmed.set(key(fixes), runs.slice(index * seeds, (index + 1) * seeds)),
  );
  return finalists;
}

/**
 * Stage 5, the second look (sequential.ts): the finalists whose first look is inconclusive run on
 * the next seeds, beside the baseline's, as far as the budget's unspent steps hold them; the report
 * names those it could not hold (`trialBudget.secondLook`). The best finalist that was better but
 * too short runs again over a longer horizon (`trialBudget.longerLook`).
 */
async function secondLook(session: Session, finalists: readonly Screened[], otherBaselines: readonly Run[]) {
  const { design } = session;
  if (design === undefined) return;
  const baselineRuns = [session.baselineRun, ...otherBaselines];
  const chanceLoss = comparableChance(session.plan.baseline);
  const planned = session.plan.baseline.plan?.steps;
  const shortOfPlan = planned !== undefined && session.stepsPerRun < planned;
  const looks = finalists.map(({ fixes, run }) => {
    const runs = [run, ...session.confirmed.get(key(fixes))!];
    const ends = endScores(runs, session.compressed.get(key(fixes)));
    const accuracies = runs.map((entry) => runAccuracy(entry.trace));
    const differences = pairedDifferences(runs, baselineRuns);
    return { fixes, look: firstLook(differences, ends, chanceLoss, design, accuracies, shortOfPlan) };
  });
  const inconclusive = looks.filter(({ look }) => look === 'inconclusive');
  if (inconclusive.length > 0) await lookFurther(session, inconclusive, design);
  // After lookFurther, which spends the room the budget has left: this look brings its own.
  // The longer look is for a repair slower than the trial; a finalist verified already answers, and
  // a second verified fix at another horizon would only double the wait for the same advice.
  const verified = looks.some(({ look }) => look === 'verified');
  const tooShort = verified ? undefined : looks.find(({ look }) => look === 'too short');
  if (tooShort !== undefined) await lookLonger(session, tooShort.fixes, design, planned!);
}

/** The second look over more seeds (secondLookPlan), within the budget's unspent steps. */
async function lookFurther(session: Session, inconclusive: readonly { fixes: FixId[] }[], design: SequentialDesign) {
  const room = session.budget.steps - spentSteps(session);
  const { extended, left } = secondLookPlan(inconclusive, design, room, session.stepsPerRun);
  const seeds = Array.from(
    { length: design.maxSeeds - design.firstSeeds },
    (_, index) => session.firstSeed + design.firstSeeds + index,
  );
  const groups = extended.length === 0 ? [] : [[] as FixId[], ...extended.map(({ fixes }) => fixes)];
  const runs = await runProbes(
    session.executor,
    groups.flatMap((fixes) => {
      const variant = fixes.length === 0 ? { config: session.plan.config } : trialVariant(session, fixes);
      return seeds.map((seed) => probeJob(session, fixes, variant, seed));
    }),
  );
  groups.forEach((fixes, index) =>
    session.extended.set(key(fixes), runs.slice(index * seeds.length, (index + 1) * seeds.length)),
  );
  session.budget.secondLook = {
    seeds: design.maxSeeds,
    levels: [design.firstLevel, design.finalLevel],
    extended: extended.map(({ fixes }) => fixes),
    steps: runs.length * session.stepsPerRun,
    ...(left.length === 0 ? {} : { notExtended: left.map(({ fixes }) => fixes) }),
  };
}

/**
 * The second look over a longer horizon (longerHorizon): the trial and the baseline on the first
 * look's seeds, each run `horizon` steps, the budget grown by exactly those runs.
 */
async function lookLonger(session: Session, fixes: FixId[], design: SequentialDesign, planned: number) {
  const horizon = longerHorizon(session.budget.steps, design.firstSeeds, session.stepsPerRun, planned);
  if (horizon === undefined) return;
  const config = { ...session.plan.config, probe: { ...session.plan.config.probe, steps: horizon } };
  const seeds = [session.firstSeed, ...session.otherSeeds];
  const variant = horizonVariant(session, fixes, config);
  const runs = await runProbes(session.executor, [
    ...seeds.map((seed) => probeJob(session, [], { config }, seed)),
    ...seeds.map((seed) => probeJob(session, fixes, variant, seed)),
  ]);
  const [baselineRuns, trialRuns] = [runs.slice(0, seeds.length), runs.slice(seeds.length)];
  session.longer = { fixes, horizon, baselineRuns, runs: trialRuns, compressed: variant.compressed };
  const steps = runs.length * horizon;
  session.budget.steps += steps;
  session.budget.estimatedSteps += steps;
  session.budget.longerLook = { horizon, fixes, level: design.finalLevel, steps };
}

/** The steps the trials ran so far, each run counted in full as the budget plans them. */
function spentSteps(session: Session): number {
  const confirmed = [...session.confirmed.values()].reduce((sum, runs) => sum + runs.length, 0);
  const runs = session.otherSeeds.length + session.screened.length + confirmed;
  return runs * session.stepsPerRun + session.rangeTests.size * LR_SWEEP_DEFAULTS.steps;
}

/** Every trial over its runs: the finalists' over every seed, the others' over the first. */
function judged(session: Session, finalists: readonly Screened[], otherBaselines: readonly Run[]): Trial[] {
  const finalKeys = new Set(finalists.map(({ fixes }) => key(fixes)));
  const more = (fixes: FixId[]) => session.extended.get(key(fixes)) ?? [];
  const runsOf = (fixes: FixId[], run: Run) =>
    finalKeys.has(key(fixes)) ? [run, ...session.confirmed.get(key(fixes))!, ...more(fixes)] : [run];
  // More seeds of the baseline only where a fix is still in the running: a baseline alone compares nothing.
  const baselineRuns = finalists.length === 0 ? [session.baselineRun] : [session.baselineRun, ...otherBaselines];
  const chanceLoss = comparableChance(session.plan.baseline);
  const seeds = session.otherSeeds.length + 1;
  const { design } = session;
  const judge: Judge = {
    // The second look's trials pair with the baseline's runs on their extra seeds too.
    baselineRuns: [...baselineRuns, ...more([])],
    chanceLoss,
    seeds,
    levelFor: (runs) => (design === undefined ? verifyLevel(runs) : lookLevel(design, runs)),
  };
  const summarized = ({ fixes, run }: Screened) =>
    session.longer !== undefined && key(session.longer.fixes) === key(fixes)
      ? summarizeLonger(session.longer, judge, design!)
      : summarize(fixes, runsOf(fixes, run), judge, session.compressed.get(key(fixes)));
  return [summarize([], baselineRuns), ...session.screened.map(summarized)];
}

/**
 * The trial that looked longer, judged on those runs alone against the baseline's of the same seeds
 * and horizon, at the second look's level (sequential.ts longerHorizon).
 */
function summarizeLonger(longer: LongerRuns, judge: Judge, design: SequentialDesign): Trial {
  const atHorizon: Judge = { ...judge, baselineRuns: longer.baselineRuns, levelFor: () => design.finalLevel };
  return { ...summarize(longer.fixes, longer.runs, atHorizon, longer.compressed), horizonSteps: longer.horizon };
}

function probeJob(
  session: Session,
  fixes: readonly FixId[],
  { config: variant, graph }: Variant,
  seed: number,
  lost?: LostRule,
): ProbeJob {
  const layers = graph?.layers ?? variant.model.layers ?? session.plan.subject.model.layers;
  return {
    kind: 'probe',
    label: `${fixes.length === 0 ? 'baseline' : key(fixes)} (seed ${seed})`,
    cost: variant.probe.steps * layers.length,
    config: variant,
    seed,
    ...(lost === undefined ? {} : { lost }),
    ...(graph === undefined ? {} : { graph }),
    // Scored only: the gradients that size a fix are the baseline's (fix-context.ts).
    scoresOnly: true,
  };
}

/** A config variant to probe, its model graph when a fix edited a graph model, and the schedule it compressed. */
interface Variant {
  config: Config;
  graph?: ModelGraph | undefined;
  compressed?: CompressedSchedule | undefined;
}

/**
 * The config a trial of `fixes` runs at the trial's horizon, its compressed schedule recorded so
 * the report says what was measured.
 */
function trialVariant(session: Session, fixes: FixId[]): Variant {
  const variant = horizonVariant(session, fixes, session.plan.config);
  if (variant.compressed !== undefined) session.compressed.set(key(fixes), variant.compressed);
  return variant;
}

/**
 * The config a trial of `fixes` runs at `config`'s probe steps: the fixes applied, with a schedule
 * they wrote for the planned run compressed to that horizon (`compressed`, undefined when the
 * schedule runs whole: at the plan's own length nothing is compressed).
 */
function horizonVariant(session: Session, fixes: FixId[], config: Config): Variant {
  const { baseline } = session.plan;
  const variant = session.table.apply(
    config,
    fixes,
    contextFor(session.table, session.context, session.rangeTests, fixes),
  );
  if (baseline.plan === undefined) return variant;
  const trialSteps = probeLength(variant.config, baseline.plan);
  const { config: measured, compressed } = compressSchedule(variant.config, config, trialSteps, baseline.plan.steps);
  return { ...variant, config: measured, compressed };
}

/** The first seed, cut against the best run of the stages before. */
function screeningJob(session: Session, fixes: FixId[]): ProbeJob {
  const variant = trialVariant(session, fixes);
  const earlier = [session.baselineRun, ...session.screened.map(({ run }) => run)];
  return probeJob(session, fixes, variant, session.firstSeed, lostRule(earlier, session.plan.baseline));
}

function confirmationJobs(session: Session, fixes: FixId[]): ProbeJob[] {
  const variant = trialVariant(session, fixes);
  return session.otherSeeds.map((seed) => probeJob(session, fixes, variant, seed));
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
 * first seed (the other seeds are spent on a fix that led where it was screened), where a combination
 * counts only when it clearly beats each of its fixes alone, or learned (screeningLearned) where
 * none of them did: the simpler fix is the better recommendation when it does as well, and a fix
 * that leaves the run at chance does not. Near chance a fifth off the loss is the whole repair (the
 * learned line, LEARNED_FRACTION_OF_CHANCE): the score's margin alone would hold back the one
 * candidate that learned (mlm-circles-deep-tanh, bench/cases/README.md).
 */
function chooseFinalists(screened: readonly Screened[], baseline: Run, chanceLoss: number | null): Screened[] {
  const alone = new Map(screened.filter(({ fixes }) => fixes.length === 1).map(({ fixes, run }) => [fixes[0]!, run]));
  const learned = (run: Run | undefined) => run !== undefined && screeningLearned(run, chanceLoss);
  const clearlyBetter = ({ fixes, run }: Screened) =>
    fixes.length === 1 ||
    fixes.every(
      (fix) => !(run.score > (1 - MIN_COMBINATION_GAIN) * (alone.get(fix)?.score ?? Number.POSITIVE_INFINITY)),
    ) ||
    (learned(run) && fixes.every((fix) => alone.has(fix) && !learned(alone.get(fix))));
  return ranked(screened.filter((entry) => beatsBaseline(entry, baseline) && clearlyBetter(entry))).slice(0, FINALISTS);
}

/** A screening run that ran in full and learned by its measured end (fixedRunsLearned, one seed). */
function screeningLearned(run: Run, chanceLoss: number | null): boolean {
  if (run.trace.stoppedEarly !== null) return false;
  return fixedRunsLearned([run.score], chanceLoss, [runAccuracy(run.trace)]) !== null;
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
    const inOriginalUnits = (values: readonly number[]) => values.map((loss) => loss * factor);
    const losses = inOriginalUnits(leader.trace.loss);
    // Cut on the loss the leader was ranked by: validation when runScore read it.
    if (!scoredOnValidation(leader.trace)) return { against: 'leader', losses };
    return { against: 'leader', losses, validation: inOriginalUnits(leader.trace.valLoss) };
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
 * The fixes asked for (the recommended ones, every config change, or the ids given) that can be
 * measured here, and the others with the reason: `search` is a search, not a config change; a fix
 * that changes nothing in this config (inputs already standardized, no sigmoid to replace) would
 * only re-run the baseline. A fix that measures first always counts as a change: lr-schedule's
 * rate comes from the LR range test, which has not run yet.
 */
function triable(
  { selection, recommended, config }: TrialPlan,
  context: FixContext,
  table: FixTable,
): { available: FixId[]; untried: UntriedFix[] } {
  const asked = table.ordered(
    selection === 'suggested'
      ? recommended.map((entry) => entry.fix)
      : selection === 'all'
        ? table.configChanges
        : selection,
  );
  const why = (fix: FixId): string | undefined => {
    const { transform, measureFirst } = table.definition(fix);
    if (transform === 'none') return 'not a config change: run convdoc search';
    if (measureFirst !== 'nothing') return undefined;
    return transform.apply(config, context).changes.length === 0 ? 'changes nothing in this config' : undefined;
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

function key(fixes: readonly FixId[]): string {
  return fixes.join('+');
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

/**
 * The mean over seeds of the loss projected to the planned run's end (original units), when the
 * plan is longer than the trial and every run's projection holds; reported beside the measured
 * tail, which alone decides `verified`: the power law has no floor, so it favours a run still
 * falling over one that has settled (docs/report.md).
 */
function projectedEnd(traces: readonly ProbeTrace[]): { projectedLoss?: number } {
  const ends = traces.map(projectionOf);
  return ends.length > 0 && ends.every(Number.isFinite) ? { projectedLoss: mean(ends) } : {};
}

/** The loss projected to the planned end (original units); NaN when the run covers its plan or cannot be fitted. */
function projectionOf(trace: ProbeTrace): number {
  const end = planEnd(trace);
  return end?.kind === 'projected' ? end.loss * comparableLossFactor(trace) : Number.NaN;
}

/**
 * Where a run leaves the planned run: its score, or lower where the plan is longer than the trial
 * and the loss is projected to keep falling. A schedule run compressed to the trial has run its
 * course: its score stands.
 */
function planEndScore(run: Run, compressed: CompressedSchedule | undefined): number {
  const projected = compressed === undefined ? projectionOf(run.trace) : Number.NaN;
  return Number.isFinite(projected) ? Math.min(run.score, projected) : run.score;
}

/**
 * How trials are judged: against the baseline run of the same seed; verified only when run on every
 * seed of the first look (or more, in the second), at the level of the look (sequential.ts).
 */
interface Judge {
  baselineRuns: readonly Run[];
  chanceLoss: number | null;
  seeds: number;
  levelFor: (seeds: number) => number;
}

/** Run i of a trial and of the baseline share seed i: the comparison is paired. */
function pairedGains(runs: readonly Run[], baselineRuns: readonly Run[]): number[] {
  return runs.map((run, index) => improvement(baselineRuns[index]!.score, run.score));
}

/** What the paired test ranks (trial-stats.ts scoreDifference): the baseline's score minus the fix's, seed by seed. */
function pairedDifferences(runs: readonly Run[], baselineRuns: readonly Run[]): number[] {
  return runs.map((run, index) => scoreDifference(baselineRuns[index]!.score, run.score));
}

function endScores(runs: readonly Run[], compressed: CompressedSchedule | undefined): number[] {
  return runs.map((run) => planEndScore(run, compressed));
}

function summarize(fixes: FixId[], runs: readonly Run[], judge?: Judge, compressed?: CompressedSchedule): Trial {
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
    // A compressed schedule ran its whole course in the trial: its end stands for the plan's, unprojected.
    ...(compressed === undefined ? projectedEnd(traces) : { compressedSchedule: compressed }),
  };
  if (judge === undefined) return trial;
  // A run cut short has no score to compare: its loss is from the step it was stopped at.
  if (trial.lost) return { ...trial, verified: false };
  const differences = pairedDifferences(runs, judge.baselineRuns);
  const interval = meanInterval(pairedGains(runs, judge.baselineRuns));
  const everySeed = runs.length >= judge.seeds;
  const level = judge.levelFor(runs.length);
  const betterSeeds = differences.filter((difference) => difference > 0).length;
  // No run can improve by more than 100%: a wide t-interval is cut there.
  const high = Math.min(1, interval.high);
  const ends = endScores(runs, compressed);
  const accuracies = runs.map((run) => runAccuracy(run.trace));
  // isVerified's two parts, the fixed runs' learned measure computed once: accuracyFields reports it too.
  const learned = fixedRunsLearned(ends, judge.chanceLoss, accuracies);
  const verified = everySeed && pairedTestPasses(differences, level) && learned !== null;
  return {
    ...trial,
    improvement: interval.mean,
    improvementInterval: [interval.low, high],
    betterSeeds,
    pValue: signedRankPValue(differences),
    ...(runs.length > judge.seeds ? { firstLookSeeds: judge.seeds } : {}),
    ...(everySeed ? { testLevel: level } : {}),
    verified,
    ...accuracyFields(accuracies, verified && learned === 'accuracy'),
  };
}

/** A judged trial's mean end accuracy, when every run measured one, and whether it made the verified runs "learned". */
function accuracyFields(accuracies: readonly (RunsAccuracy | null)[], byAccuracy: boolean): Partial<Trial> {
  const accuracy = meanAccuracy(accuracies, accuracies.length);
  return {
    ...(accuracy === null ? {} : { accuracy }),
    ...(byAccuracy ? { learnedBy: 'accuracy' as const } : {}),
  };
}
