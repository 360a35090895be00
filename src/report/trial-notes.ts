/**
 * What the trial table cannot say in a cell: which trial its second look ran over a longer horizon,
 * which schedules a trial ran compressed to its horizon (and the planned sizes the config is written
 * with), and where each trial's loss is projected to end the planned run. Shared by the text and
 * HTML reporters.
 */
import type { CompressedSchedule } from '../trials/compress-schedule.js';
import type { Report } from './report.js';
import type { Trial } from '../trials/trial-stats.js';
import { formatFinite, formatNumber } from '../util/format.js';
import { formatP, trialName } from './trial-facts.js';

export function trialNotes(trials: readonly Trial[], plannedSteps: number | undefined): string[] {
  const compressed = trials.flatMap((trial) => [
    ...(trial.horizonSteps === undefined ? [] : [longerNote(trialName(trial), trial, plannedSteps)]),
    ...(trial.compressedSchedule === undefined ? [] : [compressedNote(trialName(trial), trial.compressedSchedule)]),
  ]);
  const projected = trials.filter((trial) => trial.projectedLoss !== undefined);
  if (projected.length === 0 || plannedSteps === undefined) return compressed;
  const ends = projected.map((trial) => `${trialName(trial)} ${formatFinite(trial.projectedLoss)}`).join(', ');
  return [
    ...compressed,
    `loss projected to the planned end (step ${formatNumber(plannedSteps)}): ${ends}; ` +
      'the measured loss decides "verified"',
  ];
}

/**
 * The fixes asked for that no trial measured, each with why: a reader must not take their absence
 * from the table for a measurement. Single fixes the budget left out are among `untriedFixes`
 * already; skipped combinations are named here.
 */
export function untriedTexts(report: Report): string[] {
  return [
    ...(report.untriedFixes ?? []).map(({ fix, why }) => `not tried: ${fix} (${why})`),
    ...(report.trialBudget?.skipped ?? [])
      .filter(({ fixes }) => fixes.length > 1)
      .map(({ fixes, why }) => `not tried: ${fixes.join(' + ')} (${why})`),
  ];
}

/** A trial whose row is from its second look's longer runs (trials/sequential.ts longerHorizon) says so. */
function longerNote(name: string, trial: Trial, plannedSteps: number | undefined): string {
  const of = plannedSteps === undefined ? '' : ` of the planned ${formatNumber(plannedSteps)}`;
  const level = trial.testLevel === undefined ? '' : `, tested at ${formatP(trial.testLevel)}`;
  return (
    `${name}: better on most seeds but not learned in the first look's runs, so run again with the baseline ` +
    `on the same seeds over ${formatNumber(trial.horizonSteps!)} steps${of} (a second look${level}); ` +
    'its row and improvement are from those runs'
  );
}

function compressedNote(name: string, { trialSteps, plannedSteps, measured }: CompressedSchedule): string {
  const sizes = [
    measured.warmupSteps > 0 ? `warmup ${formatNumber(measured.warmupSteps)}` : '',
    'decaySteps' in measured ? `decay ${formatNumber(measured.decaySteps)}` : '',
    'stepSize' in measured ? `step size ${formatNumber(measured.stepSize)}` : '',
  ].filter((part) => part !== '');
  return (
    `${name}: the ${measured.type} schedule ran compressed to the trial's ${formatNumber(trialSteps)} steps` +
    `${sizes.length === 0 ? '' : ` (${sizes.join(', ')})`}; the config is written for the planned ` +
    `${formatNumber(plannedSteps)} steps`
  );
}
