/**
 * The GitHub Actions job summary: the report as Markdown (verdict, probe loss sparkline, findings,
 * recommended fixes, measured trials), which the CLI appends to the file `$GITHUB_STEP_SUMMARY`
 * names, where GitHub renders it on the run's page. Annotations (github.ts) point at lines; this is
 * the overview.
 */
import type { Finding } from '../symptoms/finding.js';
import { displayPath } from '../util/paths.js';
import {
  editText,
  evidenceText,
  findingCounts,
  fixChange,
  lossLandmarks,
  reportSubject,
  runSummary,
  SEVERITY_MARKS,
  trialFacts,
  trialName,
  VERDICT_WORDS,
} from './plain-text.js';
import type { Report } from './report.js';
import { sparkline } from './sparkline.js';

export function renderGithubSummary(report: Report): string {
  const sections = [
    [`## convdoc ${report.command} \`${displayPath(reportSubject(report))}\``],
    [`**${VERDICT_WORDS[report.verdict]}**: ${findingCounts(report)}`],
    probeLines(report),
    report.findings.length === 0
      ? []
      : [
          '### Findings',
          '',
          ...table(
            ['', 'symptom', 'message', 'evidence', 'what to change'],
            report.findings.map((finding) => findingRow(finding, report)),
          ),
        ],
    report.recommendedFixes.length === 0
      ? []
      : [
          '### Recommended fixes',
          '',
          ...report.recommendedFixes.map(
            ({ rank, fix, because, change }) =>
              `${rank}. **${fix}**: ${markdownText(change ?? fixChange(report, fix))} (answers ${because.join(', ')})`,
          ),
        ],
    report.trials === undefined
      ? []
      : [
          '### Measured fixes',
          '',
          ...table(
            ['fixes', ...trialFacts(report.trials[0]!).map(([label]) => label)],
            report.trials.map((trial) => [
              trialName(trial),
              ...trialFacts(trial, report.trials![0]).map(([, value]) => value),
            ]),
          ),
        ],
  ];
  return `${sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join('\n'))
    .join('\n\n')}\n`;
}

function probeLines(report: Report): string[] {
  const { probe } = report;
  const run = runSummary(report);
  if (probe === undefined || run === undefined) return [];
  return [
    `${run.label === 'log' ? 'Log' : 'Probe'}: ${run.text}`,
    '',
    `Loss: \`${sparkline(probe.trace.loss)}\` ${lossLandmarks(probe.loss)}`,
  ];
}

function findingRow(finding: Finding, report: Report): string[] {
  const change =
    finding.edit !== undefined
      ? `edit ${editText(finding.edit)}`
      : finding.fixes.map((fix) => `**${fix}**: ${fixChange(report, fix)}`).join('\n') || (finding.advice ?? '');
  return [
    `${SEVERITY_MARKS[finding.severity]} ${finding.severity}`,
    `\`${finding.symptom}\``,
    finding.message,
    evidenceText(finding),
    change,
  ];
}

function table(header: string[], rows: string[][]): string[] {
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.map(cellText).join(' | ')} |`);
}

/** A table cell stays one cell: pipes escaped, line breaks as <br> (the only markup the cells carry). */
function cellText(text: string): string {
  return markdownText(text).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** Angle brackets and ampersands of the text itself would be read as HTML. */
function markdownText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
