/**
 * The GitHub Actions job summary: the report as Markdown (verdict and the one thing to do first,
 * then the probe's loss sparkline, every change once with the findings it answers, the findings,
 * measured trials), which the CLI appends to the file `$GITHUB_STEP_SUMMARY`
 * names, where GitHub renders it on the run's page. Annotations (github.ts) point at lines; this is
 * the overview.
 */
import type { Finding } from '../symptoms/finding.js';
import { displayPath } from '../util/paths.js';
import { changeRows } from './change-rows.js';
import {
  evidenceText,
  findingCounts,
  lossLandmarks,
  reportSubject,
  runSummary,
  SEVERITY_MARKS,
  VERDICT_WORDS,
} from './plain-text.js';
import type { Report } from './report.js';
import { sparkline } from './sparkline.js';
import { topAction } from './top-action.js';
import { trialFacts, trialName } from './trial-facts.js';

export function renderGithubSummary(report: Report): string {
  const changes = changeRows(report);
  const sections = [
    [`## convdoc ${report.command} \`${displayPath(reportSubject(report))}\``],
    [`**${VERDICT_WORDS[report.verdict]}**: ${findingCounts(report)}`],
    actionLines(report),
    probeLines(report),
    changes.length === 0
      ? []
      : [
          '### Changes',
          '',
          ...table(
            ['', 'change', 'answers', 'measured'],
            changes.map((row) => [
              row.kind,
              `${row.fix === undefined ? '' : `**${row.fix}**: `}${row.what}`,
              row.answers.join(', '),
              row.measured,
            ]),
          ),
        ],
    report.findings.length === 0
      ? []
      : [
          '### Findings',
          '',
          ...table(
            ['', 'symptom', 'message', 'evidence', 'answered by'],
            report.findings.map((finding) => findingRow(finding)),
          ),
        ],
    report.trials === undefined
      ? []
      : [
          '### Measured fixes',
          '',
          ...table(
            ['fixes', ...trialFacts(report.trials[0]!, report).map(([label]) => label)],
            report.trials.map((trial) => [trialName(trial), ...trialFacts(trial, report).map(([, value]) => value)]),
          ),
        ],
  ];
  return `${sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join('\n'))
    .join('\n\n')}\n`;
}

/** The one thing to do, right under the verdict: what, the change, what was measured, and the command. */
function actionLines(report: Report): string[] {
  const action = topAction(report);
  const facts = [
    action.change === undefined ? '' : `change: \`${action.change}\``,
    action.proof === undefined ? '' : `measured: ${markdownText(action.proof)}`,
  ].filter(Boolean);
  return [
    `**What to do**: ${markdownText(action.headline)}`,
    ...(facts.length === 0 ? [] : ['', facts.join('; ')]),
    ...action.commands.flatMap(({ what, command }) => ['', `${what}:`, '', '```sh', command, '```']),
  ];
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

/** The finding and what answers it by name; the change itself is in the Changes table, once. */
function findingRow(finding: Finding): string[] {
  const answeredBy = [
    finding.edit === undefined ? '' : 'edit',
    ...finding.fixes,
    finding.edit === undefined && finding.fixes.length === 0 && finding.advice !== undefined ? 'advice' : '',
  ].filter(Boolean);
  return [
    `${SEVERITY_MARKS[finding.severity]} ${finding.severity}`,
    `\`${finding.symptom}\``,
    finding.message,
    evidenceText(finding),
    answeredBy.join(', '),
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
