/**
 * The top of the page: the verdict in large type with a symbol and a word (not colour alone) and
 * the subject; what ran (convdoc version, command, config or log, backend, seed, data and probe)
 * follows the first screen in a section of its own.
 */
import { plural } from '../../util/format.js';
import { findingCounts, reportSubject, runSummary, VERDICT_WORDS } from '../plain-text.js';
import type { Report } from '../report.js';
import { escapeHtml } from './escape.js';

export function headerSection(report: Report): string {
  const counts = findingCounts(report);
  return [
    `<header class="verdict-${report.verdict}">`,
    `<p class="verdict">${VERDICT_WORDS[report.verdict]}</p>`,
    `<p class="counts">${escapeHtml(counts)}</p>`,
    `<h1>convdoc ${escapeHtml(report.command)}${subject(report)}</h1>`,
    '</header>',
  ].join('\n');
}

export function runSection(report: Report): string {
  const facts = runFacts(report)
    .map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`)
    .join('');
  return ['<section>', '<h2>The run</h2>', `<dl class="run">${facts}</dl>`, '</section>'].join('\n');
}

function subject(report: Report): string {
  const file = reportSubject(report);
  return ` <code>${escapeHtml(file)}</code>`;
}

/** Terms are fixed words; values are escaped HTML. */
function runFacts(report: Report): [string, string][] {
  const { data, probe } = report;
  const facts: [string, string][] = [
    ['convdoc', escapeHtml(report.tool.version)],
    ['command', escapeHtml(report.command)],
    ...(report.log === undefined
      ? [
          ['config', report.config === null ? 'none (a data file)' : `<code>${escapeHtml(report.config)}</code>`] as [
            string,
            string,
          ],
        ]
      : []),
    [
      'backend',
      report.backend === null
        ? 'none (nothing trained)'
        : escapeHtml(probe === undefined ? report.backend : `${report.backend}: ${probe.backendReason}`),
    ],
    // Reading a log draws nothing at random: no seed to show.
    ...(report.log === undefined ? [['seed', String(report.seed)] as [string, string]] : []),
  ];
  if (data !== undefined)
    facts.push([
      'data',
      escapeHtml(
        `${plural(data.rows, 'row')}, ${plural(data.features, 'feature')} → ` +
          `${data.targetStats.map((column) => column.name).join(', ')} (${data.task}); normalize: ${data.normalize}`,
      ),
    ]);
  const run = runSummary(report);
  if (probe !== undefined && run !== undefined) {
    facts.push([
      run.label,
      run.label === 'log'
        ? `<code>${escapeHtml(report.log!.file)}</code> (${escapeHtml(run.text)})`
        : escapeHtml(`${run.text}, tfjs ${probe.tfjsVersion}`),
    ]);
    for (const note of probe.approximations) facts.push(['note', escapeHtml(note)]);
  }
  return facts;
}
