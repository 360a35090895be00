/** The measured fixes of --apply-fix as a table: each trial's losses and its improvement over the baseline, with the interval over seeds. */
import type { Trial } from '../../fixes/trial-stats.js';
import { escapeHtml } from './escape.js';
import { formatFinite, formatFinitePercent } from './numbers.js';

const HEADER = ['fixes', 'seeds', 'final loss', 'best loss', 'ended', 'improvement (90% interval)', 'verified', 'seconds'];

export function trialsTable(trials: readonly Trial[]): string {
  const rows = trials.map((trial) => {
    const cells = [
      trial.fixes.length === 0 ? '(baseline)' : trial.fixes.join(' + '),
      String(trial.seeds),
      formatFinite(trial.finalLoss, 'diverged'),
      formatFinite(trial.bestLoss, '—'),
      trial.diverged ? 'diverged' : trial.lost ? 'stopped: lost' : 'ran',
      improvementText(trial),
      trial.verified === undefined ? '' : trial.verified ? '✔ yes' : '✖ no',
      formatFinite(trial.seconds, '—'),
    ];
    return `<tr>${cells.map((cell, index) => (index === 0 ? `<th scope="row">${escapeHtml(cell)}</th>` : `<td>${escapeHtml(cell)}</td>`)).join('')}</tr>`;
  });
  return `<table class="trials">\n<thead><tr>${HEADER.map((cell) => `<th scope="col">${cell}</th>`).join('')}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

function improvementText(trial: Trial): string {
  if (trial.improvement === undefined) return '';
  const interval = trial.improvementInterval === undefined ? '' : ` (${trial.improvementInterval.map((value) => formatFinitePercent(value, '−∞')).join(' to ')})`;
  return `${formatFinitePercent(trial.improvement, '−∞')}${interval}`;
}
