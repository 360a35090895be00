/**
 * The measured fixes of --apply-fix as a table: each trial's losses and its improvement over the
 * baseline, with the interval over seeds.
 */
import type { Trial } from '../../trials/trial-stats.js';
import { trialFacts, trialName } from '../plain-text.js';
import { escapeHtml } from './escape.js';
import { formatFinite } from '../../util/format.js';

export function trialsTable(trials: readonly Trial[]): string {
  const header = ['fixes', ...trialFacts(trials[0]!).map(([label]) => label), 'seconds'];
  const rows = trials.map((trial) => {
    const cells = [
      trial.fixes.length === 0 ? '(baseline)' : trialName(trial),
      ...trialFacts(trial, trials[0]).map(([, value]) => value),
      formatFinite(trial.seconds, '—'),
    ];
    const cell = (text: string, index: number) =>
      index === 0 ? `<th scope="row">${escapeHtml(text)}</th>` : `<td>${escapeHtml(text)}</td>`;
    return `<tr>${cells.map(cell).join('')}</tr>`;
  });
  const head = `<thead><tr>${header.map((cell) => `<th scope="col">${cell}</th>`).join('')}</tr></thead>`;
  return `<table class="trials">\n${head}\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}
