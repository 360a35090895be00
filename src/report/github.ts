/**
 * `--format github`: one GitHub Actions workflow command per finding, so each shows as an
 * annotation on the config line that its fix changes (or its edit, for config bugs). `::error` marks
 * the findings that make the exit code 1 (at or above `--fail-on`); the others are `::warning`
 * (critical or warning below `--fail-on`) or `::notice` (info). Pure: positions come from `locate`,
 * which the CLI builds from the loaded config (fix-location.ts); without one, or for a finding it
 * cannot place, the annotation names the config (or the log or data file) without a line.
 */
import { displayPath } from '../util/paths.js';
import type { SourcePosition } from '../errors.js';
import type { Finding } from '../symptoms/finding.js';
import { failsRun } from './check-results.js';
import type { FindingLocator } from './fix-location.js';
import { findingDetails, reportSubject } from './plain-text.js';
import type { FailOn, Report } from './report.js';

export function renderGithub(report: Report, failOn: FailOn, locate: FindingLocator = () => undefined): string {
  const wholeFile: SourcePosition = { file: displayPath(reportSubject(report)) };
  return report.findings
    .map((finding) => {
      const position = editPosition(finding) ?? locate(finding) ?? wholeFile;
      const properties = [
        ['file', position.file],
        ['line', position.line],
        ['col', position.column],
        ['title', `convdoc ${finding.symptom} (${finding.severity})`],
      ]
        .filter(([, value]) => value !== undefined)
        .map(([name, value]) => `${name}=${escapeProperty(String(value))}`)
        .join(',');
      return `::${level(finding, failOn)} ${properties}::${escapeData([finding.message, ...findingDetails(finding, report)].join('\n'))}\n`;
    })
    .join('');
}

function level(finding: Finding, failOn: FailOn): 'error' | 'warning' | 'notice' {
  if (failsRun(finding.severity, failOn)) return 'error';
  return finding.severity === 'info' ? 'notice' : 'warning';
}

/** A config bug's edit, where the report placed it (edits inside a model file may name the file only). */
function editPosition({ edit }: Finding): SourcePosition | undefined {
  return edit?.file === undefined ? undefined : { file: edit.file, line: edit.line, column: edit.column };
}

/** GitHub's escaping of a command's message (actions/toolkit, command.ts escapeData). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** GitHub's escaping of a command property (actions/toolkit, command.ts escapeProperty). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
