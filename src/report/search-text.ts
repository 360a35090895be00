/**
 * `convdoc search` as text: the halving schedule, the leaderboard, the best config as edits to the
 * config file, and the comparison with plain random search of the same budget, both numbers shown.
 * Colour only through `paint`.
 */
import type { ChalkInstance } from 'chalk';
import type { SearchEdit, SearchResult } from '../trials/search.js';
import type { SearchTrial } from '../trials/successive-halving.js';
import { formatNumber, formatRate, formatWholePercent, plural } from '../util/format.js';
import type { Candidate } from '../trials/search-space.js';
import { displayPath } from '../util/paths.js';
import type { ResultRenderer } from './reporter.js';

export const renderSearchText: ResultRenderer<SearchResult> = (result, { paint }) => {
  const lines: string[] = [paint.bold(`convdoc search  ${displayPath(result.config)}`)];
  const schedule = result.rungs.map((rung) => `${rung.trials}×${rung.steps}`).join(' → ');
  lines.push(
    `successive halving (eta ${result.eta}) on ${result.backend}, seed ${result.seed}: ` +
      `${schedule} steps; ${result.search.stepsUsed} of ${result.budget} budget steps in ` +
      `${result.search.seconds.toFixed(1)} s`,
    '',
    paint.bold('Leaderboard'),
    ...leaderboard(result),
    '',
  );
  if (result.best === null) lines.push(paint.yellow.bold('no candidate trained without diverging'));
  else {
    lines.push(
      `${paint.bold('best')}: ` +
        `${paint.green.bold(describeCandidate(result.best.candidate))} (score ` +
        `${formatNumber(result.best.score)} on its last rung, a run of ${result.best.steps} steps)`,
    );
    if (result.edits.length === 0) lines.push(paint.green('The config already has these settings.'));
    else
      lines.push(
        paint.bold('Change'),
        ...result.edits.map((edit) => `  ${paint.dim(`${edit.file}:${edit.line}:${edit.column}`)}  ${editText(edit)}`),
      );
  }
  lines.push('', ...comparison(result, paint));
  return `${lines.join('\n')}\n`;
};

function leaderboard(result: SearchResult): string[] {
  const byId = new Map(result.trials.map((trial) => [trial.id, trial]));
  const last = result.rungs.length - 1;
  const rows = result.leaderboard.map((id, rank) => {
    const trial = byId.get(id)!;
    const score = trial.scores.at(-1)?.score ?? Number.POSITIVE_INFINITY;
    return [
      String(rank + 1),
      trial.candidate.optimizer,
      formatRate(trial.candidate.learningRate),
      String(trial.candidate.batchSize),
      `${trial.rungReached + 1}/${last + 1}`,
      String(trial.stepsUsed),
      Number.isFinite(score) ? formatNumber(score) : 'diverged',
      status(trial),
    ];
  });
  // Each rung trains from scratch: "steps used" sums the trial's rungs, the score is its last rung's.
  const header = ['#', 'optimizer', 'lr', 'batch', 'rung', 'steps used', 'score', 'status'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  // The optimizer and status columns are words, left-aligned; the others are numbers.
  const pad = (cell: string, column: number) =>
    column === 1 || column === 7 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!);
  const format = (row: string[]) => `  ${row.map(pad).join('  ')}`.trimEnd();
  return [format(header), ...rows.map(format)];
}

function status(trial: SearchTrial): string {
  return { halved: `cut after rung ${trial.rungReached + 1}`, 'nan-loss': 'diverged', finished: 'finished' }[
    trial.stopped
  ];
}

function comparison(result: SearchResult, paint: ChalkInstance): string[] {
  const { evaluation, random } = result;
  const show = (score: number | null) =>
    score === null ? 'no pick' : Number.isFinite(score) ? formatNumber(score) : 'diverged';
  const randomBest =
    random.best === null
      ? 'every run diverged'
      : `best ${formatNumber(random.best.score)} (${describeCandidate(random.best.candidate)})`;
  const lines = [
    paint.bold('Against plain random search of the same budget'),
    `  random search: ${plural(random.runs.length, 'full run')} of ${result.fullSteps} steps, ` +
      `${random.stepsUsed} steps in ${random.seconds.toFixed(1)} s; ${randomBest}`,
    `  held-out run (seed ${evaluation.seed}, ${evaluation.steps} steps): ` +
      `search ${show(evaluation.search)}, random ${show(evaluation.random)}, ` +
      `your config ${show(evaluation.current)}`,
  ];
  const gain = evaluation.searchOverRandom;
  const by =
    gain === null || !Number.isFinite(gain)
      ? ''
      : ` (${formatWholePercent(Math.abs(gain))} ${gain >= 0 ? 'lower' : 'higher'} loss)`;
  const verdict = {
    search: paint.green.bold(`successive halving won${by}`),
    random: paint.yellow.bold(`plain random search won${by}`),
    tie: paint.bold(`a tie${by}`),
  }[evaluation.winner];
  lines.push(`  ${verdict}`);
  return lines;
}

function describeCandidate(candidate: Candidate): string {
  const momentum = candidate.momentum === undefined ? '' : ` ${candidate.momentum}`;
  return `${candidate.optimizer}${momentum}, lr ${formatRate(candidate.learningRate)}, batch ${candidate.batchSize}`;
}

function editText(edit: SearchEdit): string {
  return edit.to === null
    ? `${edit.key}: ${valueText(edit.from)} → (remove)`
    : `${edit.key}: ${edit.from === null ? '(unset)' : valueText(edit.from)} → ${valueText(edit.to)}`;
}

/** The search changes scalars only: an optimizer's name or a number. */
function valueText(value: unknown): string {
  return `${value as string | number}`;
}
