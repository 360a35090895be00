/**
 * The measured fixes as every reporter states them. Columns say which split a loss is from and
 * which statistic over seeds it is, since the score is validation while the best loss is a training
 * minimum; and a diverged baseline is said in words: any finite run "improves" 100% on an infinite
 * loss, which tells the reader nothing. A report read back from JSON holds null where a loss was
 * not finite.
 */
import { accuracyLearned, verifyLevel, type RunsAccuracy, type Trial } from '../trials/trial-stats.js';
import { LEARNED_FRACTION_OF_CHANCE } from '../symptoms/signals.js';
import { formatFinite, formatFinitePercent, formatNumber, formatWholePercent, plural } from '../util/format.js';
import { trialOf, type ReportFix } from './measured-ranking.js';
import type { Report } from './report.js';

/**
 * The trial's name in tables and sentences: its fixes joined, or `baseline`; with the config edits it
 * ran with (trials past a config bug), which are part of what was measured.
 */
export function trialName(trial: Trial): string {
  const fixes = trial.fixes.length === 0 ? 'baseline' : trial.fixes.join(' + ');
  const edits = trial.edits ?? [];
  return edits.length === 0 ? fixes : `${fixes} with ${edits.map(({ key, to }) => `${key}: ${to}`).join(', ')}`;
}

/** A trial's row label in the trial tables: the user's baseline in parentheses, else its name. */
export function trialRowName(trial: Trial): string {
  return trial.fixes.length === 0 && trial.edits === undefined ? '(baseline)' : trialName(trial);
}

/**
 * What a trial's score is: its validation loss when the run holds out data, else its training loss.
 * The probe of the report ran the baseline's config, whose split every trial keeps.
 */
function scoreName(report: Report): string {
  const validated = report.probe?.trace.valLoss.some((loss) => loss !== null) ?? false;
  return validated ? 'validation loss at end' : 'training loss at end';
}

/** A trial's measurements, labelled, in the order of the reports' tables. */
export function trialFacts(trial: Trial, report: Report): [label: string, value: string][] {
  return [
    ['seeds', String(trial.seeds)],
    [`${scoreName(report)} (last tenth; mean of seeds)`, formatFinite(trial.finalLoss, 'diverged')],
    ['lowest training loss (mean of seeds)', formatFinite(trial.bestLoss, '—')],
    ['ended', endedText(trial, report)],
    ['improvement (90% interval)', improvementText(trial, report)],
    ['verified', trial.verified === undefined ? '' : trial.verified ? 'yes' : 'no'],
  ];
}

/**
 * The step a trial's loss stopped being finite on its first seed: from its curve, or for the
 * baseline from the probe (the same run) when the report carries no curves.
 */
export function divergedAt(trial: Trial, report: Report): number | null {
  if (!trial.diverged) return null;
  const curve = trial.curve;
  const index = curve?.loss.findIndex((loss) => loss === null || !Number.isFinite(loss)) ?? -1;
  if (index >= 0) return curve!.step[index]!;
  return trial.fixes.length === 0 ? (report.probe?.nanStep ?? null) : null;
}

function atStep(step: number | null): string {
  return step === null ? '' : ` at step ${step}`;
}

function endedText(trial: Trial, report: Report): string {
  if (trial.diverged) return `diverged${atStep(divergedAt(trial, report))}`;
  if (!trial.lost) return 'ran';
  const last = trial.curve?.step.at(-1);
  return `stopped${atStep(last ?? null)}, behind the best trial`;
}

/** The trial against the baseline: the improvement with its interval, or in words when either diverged. */
export function improvementText(trial: Trial, report: Report): string {
  if (trial.improvement === undefined) return '';
  const baseline = report.trials?.[0];
  if (trial.diverged) return baseline?.diverged === true ? 'both diverged' : 'fix diverged';
  if (baseline?.diverged === true)
    return `baseline diverged${atStep(divergedAt(baseline, report))}; fix reached ${formatFinite(trial.finalLoss)}`;
  const percent = (value: number) => formatFinitePercent(value, '−∞');
  return `${percent(trial.improvement)} (${trial.improvementInterval!.map(percent).join(' to ')})`;
}

/**
 * A recommended fix's measurement in a phrase, for the lists that rank fixes by it: `verified on 3
 * seeds: validation loss at the end 23.9; the baseline diverged at step 2`. Empty before trials.
 */
export function measuredText(entry: ReportFix, report: Report): string {
  if (entry.measured === undefined) return '';
  if (entry.measured === 'untried') {
    const why = report.untriedFixes?.find((untried) => untried.fix === entry.fix)?.why;
    // The trial budget's reasons already open with "not measured:"; said twice it reads as a stutter.
    if (why?.startsWith('not measured') === true) return why;
    return `not measured${why === undefined ? '' : ` (${why})`}`;
  }
  const trial = trialOf(entry.fix, report.trials ?? [])!;
  if (trial.diverged) return endedText(trial, report);
  const score = `${scoreName(report)} ${formatFinite(trial.finalLoss)}`;
  if (trial.lost)
    return `${endedText(trial, report)}; ${scoreName(report).replace(' at end', '')} then ${formatFinite(trial.finalLoss)}`;
  const baseline = report.trials![0]!;
  const versus = baseline.diverged
    ? `the baseline diverged${atStep(divergedAt(baseline, report))}`
    : `improvement ${formatFinitePercent(trial.improvement, '−∞')} over the baseline`;
  const seeds = plural(trial.seeds, 'seed');
  const status =
    entry.measured === 'verified'
      ? `verified on ${seeds}${longerLook(trial)}${notEverySeed(trial)}${learnedByAccuracy(trial, report)}`
      : `not verified on ${seeds}${longerLook(trial)}${notVerifiedBecause(trial, report)}`;
  return `${status}: ${score}; ${versus}`;
}

/** The probe's chance-level loss in the units trials compare in (the target's original units), or null. */
function comparableChance(report: Report): number | null {
  const loss = report.probe?.loss;
  return typeof loss?.chance === 'number' ? loss.chance * (loss.originalUnitsFactor ?? 1) : null;
}

/** Which part of "verified" a finished trial missed, in parentheses; empty when the report cannot tell. */
function notVerifiedBecause(trial: Trial, report: Report): string {
  const chance = comparableChance(report);
  const accuracyLearnedToo = trial.accuracy !== undefined && accuracyLearned(trial.accuracy);
  if (chance !== null && !(trial.finalLoss <= LEARNED_FRACTION_OF_CHANCE * chance) && !accuracyLearnedToo)
    return ` (did not end below ${formatWholePercent(LEARNED_FRACTION_OF_CHANCE)} of the chance level ${formatFinite(chance)}${accuracyShort(trial)}${withinTrial(trial, report)})`;
  if (trial.seeds < report.trials![0]!.seeds) return ' (not run on every seed)';
  const level = trial.testLevel ?? verifyLevel(trial.seeds);
  if (trial.betterSeeds !== undefined && trial.pValue !== undefined && trial.pValue > level)
    return ` (better on ${trial.betterSeeds} of ${trial.seeds} seeds${secondLook(trial)}: ${pairedTest(trial.pValue)} above ${formatP(level)})`;
  return (trial.improvementInterval?.[0] ?? 0) > 0 ? '' : ' (not better on every seed)';
}

/**
 * A verified fix whose runs ended above the learned loss line says that their accuracy made them
 * "learned" (trials/trial-stats.ts fixedRunsLearned), with the numbers it was read on.
 */
function learnedByAccuracy(trial: Trial, report: Report): string {
  if (trial.learnedBy !== 'accuracy' || trial.accuracy === undefined) return '';
  const chance = comparableChance(report);
  const line =
    chance === null
      ? ''
      : ` (its loss stayed above ${formatWholePercent(LEARNED_FRACTION_OF_CHANCE)} of the chance level ${formatFinite(chance)})`;
  return `; learned by accuracy${line}: validation accuracy ${formatAccuracy(trial.accuracy)}`;
}

/** Beside a loss that did not end below the line: the accuracy that did not leave chance either. */
function accuracyShort(trial: Trial): string {
  return trial.accuracy === undefined ? '' : `, nor its validation accuracy ${formatAccuracy(trial.accuracy)} clearly`;
}

function formatAccuracy({ accuracy, chance }: RunsAccuracy): string {
  return `${formatNumber(accuracy)} against the chance accuracy ${formatNumber(chance)}`;
}

/**
 * Where the trials ran only part of the plan, how much: a run still at chance there may leave it
 * later, as a deep network leaves its early plateau only after many steps (Saxe, McClelland &
 * Ganguli 2014, "Exact solutions to the nonlinear dynamics of learning in deep linear neural
 * networks"), so "not verified" is then a statement about the trial's horizon, which --steps
 * lengthens. Every trial runs the baseline probe's steps (trials/trial-budget.ts, runSteps), or the
 * longer horizon of its second look (trials/sequential.ts longerHorizon).
 */
function withinTrial(trial: Trial, report: Report): string {
  const steps = trial.horizonSteps ?? report.probe?.steps;
  const planned = report.probe?.plan?.steps;
  if (steps === undefined || planned === undefined || !(steps < planned)) return '';
  return ` in the trial's ${formatNumber(steps)} of the planned ${formatNumber(planned)} steps; a fix slower to show is not judged there: --steps runs more of the plan`;
}

/** A verified fix that was not better on every seed says so, with the paired test that let it pass. */
function notEverySeed(trial: Trial): string {
  if (trial.betterSeeds === undefined || trial.pValue === undefined || trial.betterSeeds === trial.seeds) return '';
  return ` (better on ${trial.betterSeeds}${secondLook(trial)}: ${pairedTest(trial.pValue)})`;
}

/**
 * A trial whose second look ran it over a longer horizon (trials/sequential.ts longerHorizon) says
 * how long: its numbers are from those runs and the baseline's of the same horizon.
 */
function longerLook(trial: Trial): string {
  if (trial.horizonSteps === undefined) return '';
  return ` over ${formatNumber(trial.horizonSteps)} steps, with the baseline (a second look: better but not learned in the first look's shorter runs)`;
}

/** A trial that ran the second look of verification (trials/sequential.ts) says from how many seeds. */
function secondLook(trial: Trial): string {
  return trial.firstLookSeeds === undefined ? '' : `, extended from ${trial.firstLookSeeds} seeds inconclusive`;
}

function pairedTest(p: number): string {
  return `paired signed-rank p = ${formatP(p)}`;
}

/** A p-value or test level to two significant digits. */
export function formatP(p: number): string {
  return Number(p.toPrecision(2)).toString();
}
