/**
 * `--format github`: one GitHub Actions workflow command per finding, so each shows as an
 * annotation on the config line that its fix changes (or its edit, for config bugs). `::error` marks
 * the findings that make the exit code 1 (at or above `--fail-on`); the others are `::warning`
 * (critical or warning below `--fail-on`) or `::notice` (info). Pure: positions are the findings'
 * `location`, placed when the report was built; a finding without one annotates the config (or
 * the log or data file) without a line.
 */
import { displayPath } from '../util/paths.js';
import type { SourcePosition } from '../errors.js';
import type { Severity } from '../symptoms/ids.js';
import { findingDetails, reportSubject } from './plain-text.js';
import { failsRun, type FailOn, type Report } from './report.js';
import type { ReporterOptions } from './reporter.js';

export function renderGithub(report: Report, { failOn }: ReporterOptions): string {
  const wholeFile: SourcePosition = { file: displayPath(reportSubject(report)) };
  return report.findings
    .map((finding) =>
      workflowCommand(
        level(finding.severity, failOn),
        finding.location ?? wholeFile,
        `convdoc ${finding.symptom} (${finding.severity})`,
        [finding.message, ...findingDetails(finding, report)].join('\n'),
      ),
    )
    .join('');
}

/** One annotation: `::error file=…,line=…,col=…,title=…::message`, leaving out what is not known. */
export function workflowCommand(
  kind: 'error' | 'warning' | 'notice',
  position: Partial<SourcePosition>,
  title: string,
  message: string,
): string {
  const properties = [
    ['file', position.file],
    ['line', position.line],
    ['col', position.column],
    ['title', title],
  ]
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${kind} ${properties}::${escapeData(message)}\n`;
}

function level(severity: Severity, failOn: FailOn): 'error' | 'warning' | 'notice' {
  if (failsRun(severity, failOn)) return 'error';
  return severity === 'info' ? 'notice' : 'warning';
}

/** GitHub's escaping of a command's message (actions/toolkit, command.ts escapeData). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** GitHub's escaping of a command property (actions/toolkit, command.ts escapeProperty). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
