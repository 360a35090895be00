/**
 * The reporters `--format` chooses from, by name. A new format is one file with a Reporter and one
 * line here; the CLI offers every name and only picks.
 */
import { Chalk } from 'chalk';
import { renderGithub } from './github.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import type { Report } from './report.js';
import type { Reporter, ReporterOptions } from './reporter.js';
import { renderText } from './text.js';

export const REPORTERS = {
  text: renderText,
  json: renderJson,
  junit: renderJunit,
  github: renderGithub,
} as const satisfies Record<string, Reporter>;

export type ReportFormat = keyof typeof REPORTERS;

export const REPORT_FORMATS = Object.keys(REPORTERS) as ReportFormat[];

/** A report in a format; by default without colour and failing on critical findings, as the CLI does. */
export function renderReport(report: Report, format: ReportFormat, options: Partial<ReporterOptions> = {}): string {
  return REPORTERS[format](report, { failOn: 'critical', paint: new Chalk({ level: 0 }), ...options });
}
