/**
 * Findings with their evidence, edits and fixes; the detectors an analyzed log could not feed; and
 * the recommended fixes in order. Every string from the report is escaped.
 */
import { formatPosition } from '../../errors.js';
import { FIX_SUMMARIES } from '../../fixes/registry.js';
import type { ConfigEdit, Finding } from '../../symptoms/finding.js';
import { SEVERITY_MARKS } from '../plain-text.js';
import type { Report } from '../report.js';
import type { ReportFix } from '../measured-ranking.js';
import { measuredText } from '../trial-facts.js';
import type { FixCode } from '../../fixes/code/code-context.js';
import { escapeHtml } from './escape.js';
import { formatFinite } from '../../util/format.js';

export function findingsSection(report: Report): string {
  const body = report.findings.length === 0 ? ['<p>No findings.</p>'] : report.findings.map(findingHtml);
  return [
    '<section>',
    `<h2>Findings (${report.findings.length})</h2>`,
    ...body,
    ...notEvaluatedHtml(report),
    '</section>',
  ].join('\n');
}

function findingHtml(finding: Finding): string {
  const { evidence } = finding;
  const where = [
    finding.layer === undefined ? '' : `layer ${finding.layer}`,
    finding.step === undefined ? '' : `step ${finding.step}`,
    finding.columns?.length ? `columns ${finding.columns.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const details: [string, string][] = [
    [
      'evidence',
      `${escapeHtml(evidence.what)} = <strong>${formatFinite(evidence.measured)}</strong> (threshold ` +
        `${formatFinite(evidence.threshold)})`,
    ],
  ];
  if (finding.edit !== undefined) details.push(['edit', editHtml(finding.edit)]);
  if (finding.fixes.length > 0)
    details.push(['fixes', finding.fixes.map((fix) => `<code>${escapeHtml(fix)}</code>`).join(', ')]);
  if (finding.advice) details.push(['what to do', escapeHtml(finding.advice)]);
  return [
    `<article class="finding severity-${finding.severity}">`,
    `<h3><span class="badge">${SEVERITY_MARKS[finding.severity]} ${finding.severity}</span> ` +
      `<code>${escapeHtml(finding.symptom)}</code> <span class="meta">confidence ` +
      `${finding.confidence.toFixed(2)}${where === '' ? '' : ` · ${escapeHtml(where)}`}</span></h3>`,
    `<p>${escapeHtml(finding.message)}</p>`,
    `<dl>${details.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join('')}</dl>`,
    '</article>',
  ].join('\n');
}

function editHtml(edit: ConfigEdit): string {
  const where =
    edit.file === undefined
      ? ''
      : `<code>${escapeHtml(formatPosition({ file: edit.file, line: edit.line, column: edit.column }))}</code> `;
  return (
    `${where}<code>${escapeHtml(edit.key)}</code>: ` +
    `<code>${escapeHtml(String(edit.from ?? '(absent)'))}</code> → ` +
    `<code>${escapeHtml(String(edit.to))}</code>`
  );
}

function notEvaluatedHtml(report: Report): string[] {
  if (report.notEvaluated === undefined || report.notEvaluated.length === 0) return [];
  return [
    '<h3>Not evaluated</h3>',
    '<p>The log lacks the signals these detectors need, ' +
      'so they did not run (absence of a finding here says nothing):</p>',
    `<ul>${report.notEvaluated
      .map(
        ({ symptom, needs }) => `<li><code>${escapeHtml(symptom)}</code>: needs ${escapeHtml(needs.join(', '))}</li>`,
      )
      .join('')}</ul>`,
  ];
}

/** The status word of each measured fix, as a badge: a lost fix stays listed, marked, below the rest. */
const MEASURED_BADGES: Record<NonNullable<ReportFix['measured']>, string> = {
  verified: 'verified',
  untried: 'not tried',
  'not-verified': 'not verified',
  lost: 'measured: lost',
};

/** The recommended fixes in the report's order, which after trials is the measured one (measured-ranking.ts). */
export function recommendedFixesSection(report: Report): string {
  if (report.recommendedFixes.length === 0) return '';
  const items = report.recommendedFixes.map((entry) => fixItemHtml(entry, report));
  return ['<section>', '<h2>Recommended fixes</h2>', `<ol class="fixes">${items.join('')}</ol>`, '</section>'].join(
    '\n',
  );
}

function fixItemHtml(entry: ReportFix, report: Report): string {
  const { rank, fix, because, change, code = [], measured } = entry;
  const badge =
    measured === undefined ? '' : ` <span class="badge measured-${measured}">${MEASURED_BADGES[measured]}</span>`;
  const numbers = measuredText(entry, report);
  return (
    `<li value="${rank}"><strong><code>${escapeHtml(fix)}</code></strong>${badge}: ` +
    `${escapeHtml(change ?? FIX_SUMMARIES[fix])}` +
    (numbers === '' ? '' : `<br>measured: ${escapeHtml(numbers)}`) +
    `<br><span class="meta">answers ${escapeHtml(because.join(', '))}</span>` +
    codeHtml(code) +
    '</li>'
  );
}

/** A fix's code for each framework the report gives it in, labelled. */
function codeHtml(code: readonly FixCode[]): string {
  return code
    .map(
      ({ framework, code: text }) =>
        `<br><span class="meta">${escapeHtml(framework)}</span><pre><code>${escapeHtml(text)}</code></pre>`,
    )
    .join('');
}
