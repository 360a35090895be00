/**
 * The measured fixes of --apply-fix as a table: each trial's losses and its improvement over the
 * baseline, with the interval over seeds.
 */
import type { Report } from '../report.js';
import { trialFacts, trialRowName } from '../trial-facts.js';
import { escapeHtml } from './escape.js';
import { formatFinite } from '../../util/format.js';

export function trialsTable(report: Report): string {
  const trials = report.trials!;
  const header = ['fixes', ...trialFacts(trials[0]!, report).map(([label]) => label), 'seconds'];
  const rows = trials.map((trial) => {
    const cells = [
      trialRowName(trial),
      ...trialFacts(trial, report).map(([, value]) => value),
      formatFinite(trial.seconds, '—'),
    ];
    const cell = (text: string, index: number) =>
      index === 0 ? `<th scope="row">${escapeHtml(text)}</th>` : `<td>${escapeHtml(text)}</td>`;
    return `<tr>${cells.map(cell).join('')}</tr>`;
  });
  const head = `<thead><tr>${header.map((cell) => `<th scope="col">${cell}</th>`).join('')}</tr></thead>`;
  // The wrapper scrolls a table wider than a narrow window inside itself, as a code block does.
  return `<div class="table-scroll"><table class="trials">\n${head}\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table></div>`;
}
